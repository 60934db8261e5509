"""Gather what one report prints: its period, its audience's sections, and its privacy.

This is the only place that decides what leaves the machine in a report
(the brief's Privacy table): rating, milestone and KPI notes, reflections,
private evidence and plan notes are read only when `include_private` is set,
and every count counts only what is included. Data for sections the
audience does not print is never gathered, and a section with nothing to
show is left out.

Evidence is numbered once per report (E1 the oldest entry of the period) and
printed in full once, at the end; everywhere else it is cited by number,
title and one-line impact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.charts import multiples_within
from app.criteria import CriterionSkill as CountedSkill
from app.criteria import CriterionStatus, whole_months
from app.errors import InvalidInputError
from app.framework.model import HORIZONS, Framework, TrendTarget
from app.kpis import evaluate
from app.milestones import due_date
from app.readiness import Gate, Point, Readiness, format_score, not_rated_text, projection_text
from app.report.model import (
    AUDIENCE_SECTIONS,
    AUDIENCE_TITLES,
    CalibrationLine,
    Charts,
    Cover,
    CriterionBlock,
    CriterionLine,
    CriterionSkill,
    Decision,
    DimensionComment,
    EvidenceCite,
    EvidenceEntry,
    EvidenceGroup,
    GateLine,
    GoalRow,
    KpiRow,
    LearningRow,
    ManagerAssessment,
    MilestoneRow,
    Note,
    Plan,
    Quote,
    Readout,
    Recommendation,
    Reflection,
    ReportContent,
    ReportOptions,
    Section,
    SkillGroup,
    SkillRow,
    Summary,
    possessive,
)
from app.services.charts import HORIZON_NAMES, MILESTONE_STACKS
from app.services.checkins import CurrentRating
from app.services.evidence import EvidenceInfo
from app.services.manager import Assessment
from app.services.plan import quarter_of
from app.services.profiles import ProfileInfo

if TYPE_CHECKING:
    from app.services import Services

HIGHLIGHTS = 5  # evidence entries cited per dimension
STRONGEST = 3  # evidence entries cited per promotion criterion
OTHER = "Other"
STATUS_NAMES = dict(MILESTONE_STACKS)
REFLECTION_LABELS = {"wins": "Wins", "blockers": "Blockers", "focus": "Focus"}
GOAL_STATUS_NAMES = {"planned": "Planned", "active": "Active", "done": "Done", "dropped": "Dropped"}
# A note's kind → its label and the kind of item it is about.
NOTE_KINDS = {
    "rating": ("Rating note", "skill"),
    "milestone": ("Milestone note", "milestone"),
    "kpi": ("KPI note", "kpi"),
}


def period(
    profile: ProfileInfo, first_checkin: date | None, options: ReportOptions, today: date
) -> tuple[date, date]:
    """The period covered: by default from the role start (or an earlier check-in) to today."""
    start = options.start or min(profile.role_start, first_checkin or profile.role_start)
    end = options.end or today
    if end > today:
        raise InvalidInputError(f"The period's end ({end.isoformat()}) is after today.")
    if start > end:
        raise InvalidInputError(
            f"The period's start ({start.isoformat()}) is after its end ({end.isoformat()})."
        )
    return start, end


def short_name(name: str) -> str:
    """How the report speaks of the person: the first word of a name of several ("Sam"),
    else the name as it is."""
    words = name.split()
    return words[0] if len(words) > 1 else name.strip()


@dataclass(frozen=True)
class _Backing:
    """An entry that backs a criterion, and how strongly: lower tiers first."""

    tier: int  # 0: tagged to the criterion, 1: linked to a rating of its skills, 2: tagged
    entry: EvidenceInfo


class _Builder:
    """One report's gathering; holds what several sections share."""

    def __init__(
        self, services: Services, profile: ProfileInfo, options: ReportOptions, today: date
    ) -> None:
        self.services = services
        self.profile = profile
        self.options = options
        self.today = today
        finals = services.checkins.finals(profile.id)
        self.start, self.end = period(profile, finals[0].date if finals else None, options, today)
        stage = profile.stage_on(self.end)
        self.framework = services.frameworks.get(stage.framework, stage.framework_version)
        self.level, self.target = stage.level, stage.target
        self.names = _names(self.framework)
        self.short = short_name(profile.name)
        self.whose = possessive(self.short)
        # Read once: readiness, the radar and the skills table all start from it.
        self.ratings = services.checkins.current_ratings(profile.id, self.end)
        self.assessment = self._assessment()
        entries = services.evidence.search(profile.id, start=self.start, end=self.end)
        # The period's evidence the report may show, newest first (private only if included).
        self.evidence = [e for e in entries if options.include_private or not e.private]
        self.numbers = {e.id: n for n, e in enumerate(reversed(self.evidence), 1)}
        self.quoted_under: dict[str, int] = {}  # feedback id → the criterion quoting it

    def _assessment(self) -> Assessment | None:
        """The latest assessment on or before the period's end, or None before any.

        Of a shared copy: the importing manager's own, printed in their packet only. Of
        one's own profile: the latest one the manager sent back (an assessment bundle),
        in every report the owner makes — theirs to bring to a 1:1 or a packet.
        """
        if self.profile.shared and self.options.audience != "packet":
            return None
        assessment = self.services.manager.assessment(self.profile.id, self.end)
        return None if assessment.empty else assessment

    def cite(self, entry: EvidenceInfo) -> EvidenceCite:
        return EvidenceCite(
            number=self.numbers[entry.id],
            date=entry.date,
            title=entry.title,
            impact=entry.impact.line(),
            link=entry.link,
            feedback=_giver(entry),
        )

    # -- page 1 --------------------------------------------------------------------

    def recommendation(self) -> Recommendation | None:
        assessment = self.assessment
        if assessment is None:
            return None
        bands = {b.id: b.name for b in self.framework.verdict_bands}
        assessor = assessment.assessor
        return Recommendation(
            band=bands.get(assessment.band, assessment.band) if assessment.band else None,
            rationale=assessment.rationale,
            assessor=assessor.name if assessor else None,
            role=assessor.role if assessor else None,
            date=assessment.date,
        )

    def gates(self, readiness: Readiness, calibrated: Readiness | None) -> list[GateLine]:
        """Every gate, self-assessed first, then those only the calibration has."""
        calibrations = self.assessment.calibrations if self.assessment else {}
        lines = [self._gate(gate, calibrations) for gate in readiness.gates]
        own = {(g.kind, g.id) for g in readiness.gates}
        for gate in calibrated.gates if calibrated else []:
            if (gate.kind, gate.id) not in own:
                lines.append(self._gate(gate, calibrations))
        return lines

    def _gate(self, gate: Gate, calibrations: dict[str, int]) -> GateLine:
        if gate.kind == "overdue-milestone":
            milestone = next(m for m in self.framework.milestones if m.id == gate.id)
            due = due_date(self.profile.role_start, milestone.horizon)
            state = self.services.checkins.current_milestones(self.profile.id, self.end)
            status = state[gate.id].status if gate.id in state else "not-started"
            late = _duration(due, self.end)
            status_name = STATUS_NAMES.get(status, status).lower()
            return GateLine(
                name=gate.name,
                state=f"overdue by {late} (due {due.isoformat()}, {status_name})",
                calibrated=None,
            )
        skill = self.framework.skill(gate.id)
        expected = skill.expected.get(self.target, 0)
        rating = self.ratings.get(gate.id)
        value = rating.value if rating else None
        calibration = calibrations.get(gate.id)
        words = None
        if calibration is not None:
            if calibration == expected:
                words = "calibrated at expectation by the manager"
            elif calibration > expected:
                words = f"calibrated above expectation ({calibration}) by the manager"
            else:
                words = f"calibrated {calibration} by the manager"
        return GateLine(
            name=gate.name,
            state=(
                f"Critical skill, expected {expected}, not rated yet by {self.short}"
                if value is None
                else f"Critical skill rated {value} by {self.short}, expected {expected}"
            ),
            calibrated=words,
        )

    def criteria_lines(
        self, own: list[CriterionStatus], calibrated: list[CriterionStatus] | None
    ) -> list[CriterionLine]:
        theirs = {c.id: c.words for c in calibrated} if calibrated is not None else {}
        return [
            CriterionLine(
                number=number,
                text=status.text,
                step=self.step_name(status.step),
                status=status.words,
                calibrated=theirs.get(status.id) if calibrated is not None else None,
                sustained_since=status.sustained_since,
                sustained_months=status.sustained_months,
            )
            for number, status in enumerate(own, 1)
        ]

    def step_name(self, step: tuple[str, str]) -> str:
        low, high = step
        return f"{self.framework.level(low).name} → {self.framework.level(high).name}"

    # -- sections ------------------------------------------------------------------

    def manager(self) -> ManagerAssessment | None:
        assessment, recommendation = self.assessment, self.recommendation()
        if assessment is None or recommendation is None:
            return None
        return ManagerAssessment(
            recommendation=recommendation,
            comments=[
                DimensionComment(dimension=d.name, text=assessment.comments[d.id])
                for d in self.framework.dimensions
                if d.id in assessment.comments
            ],
            calibrations=[
                CalibrationLine(
                    skill=row.name,
                    dimension=row.dimension,
                    self_rating=_rating_text(row.self_rating, row.not_applicable),
                    manager_rating=row.manager_rating,
                    difference=row.difference,
                )
                for row in self.services.manager.calibration(self.profile.id, self.end)
                if row.manager_rating is not None
            ],
        )

    def criteria(
        self, lines: list[CriterionLine], own: list[CriterionStatus]
    ) -> list[CriterionBlock]:
        """Each criterion with its skills and the evidence that backs it most strongly;
        feedback is quoted under the first criterion it backs, and cited after that."""
        rated = self.services.evidence.rated_skills(self.profile.id, self.start, self.end)
        blocks = []
        for line, status in zip(lines, own, strict=True):
            backing = [b.entry for b in self._backing(status, rated)]
            work = [e for e in backing if e.feedback is None]
            feedback = [e for e in backing if e.feedback is not None]
            quoted_above = sorted(self.numbers[e.id] for e in feedback if e.id in self.quoted_under)
            quotes = [e for e in feedback if e.id not in self.quoted_under]
            self.quoted_under |= {e.id: line.number for e in quotes}
            blocks.append(
                CriterionBlock(
                    line=line,
                    level=self.framework.level(status.step[1]).name,
                    skills=[self._criterion_skill(skill) for skill in status.skills],
                    evidence=[self.cite(e) for e in work[:STRONGEST]],
                    also=sorted(self.numbers[e.id] for e in work[STRONGEST:]),
                    quotes=[
                        Quote(
                            number=self.numbers[e.id],
                            text=e.description or "",
                            giver=_giver(e) or "",
                            date=e.date,
                        )
                        for e in quotes
                    ],
                    quoted_above=quoted_above,
                )
            )
        return blocks

    def _criterion_skill(self, skill: CountedSkill) -> CriterionSkill:
        calibrations = self.assessment.calibrations if self.assessment else None
        manager = None
        if calibrations is not None:
            manager = str(calibrations[skill.id]) if skill.id in calibrations else ""
        return CriterionSkill(
            name=skill.name,
            self_rating="not rated yet" if skill.rating is None else str(skill.rating),
            manager=manager,
            expected=skill.expected,
        )

    def _backing(self, status: CriterionStatus, rated: dict[str, set[str]]) -> list[_Backing]:
        """The entries that back a criterion: tagged to it, then linked to a rating of one
        of its skills, then tagged to one of them; newest first within each."""
        skills = {s.id for s in status.skills}
        found = []
        for entry in self.evidence:  # newest first already
            if any(t.kind == "criterion" and t.ref == status.id for t in entry.tags):
                tier = 0
            elif rated.get(entry.id, set()) & skills:
                tier = 1
            elif any(t.kind == "skill" and t.ref in skills for t in entry.tags):
                tier = 2
            else:
                continue
            found.append(_Backing(tier, entry))
        return sorted(found, key=lambda b: b.tier)  # stable: newest first within a tier

    def charts(self, history: list[Point]) -> Charts:
        charts = self.services.charts
        pid = self.profile.id
        return Charts(
            radar=charts.radar_chart(
                pid,
                self.end,
                self.ratings,
                whose=self.whose,
                calibrations=self.assessment.calibrations if self.assessment else None,
            ),
            growth=multiples_within(charts.growth_chart(pid), self.start, self.end),
            readiness=charts.readiness_chart(pid, history=history),
            milestones=charts.milestone_chart(pid, self.end),
        )

    def skills(self) -> list[SkillGroup]:
        checkins = self.services.checkins
        before = checkins.current_ratings(self.profile.id, self.start - timedelta(days=1))
        after = self.ratings
        counts: dict[str, int] = {}
        for entry in self.evidence:
            for tag in entry.tags:
                if tag.kind == "skill":
                    counts[tag.ref] = counts.get(tag.ref, 0) + 1
        groups = []
        for dimension in self.framework.dimensions:
            rows = []
            for skill in self.framework.skills:
                if skill.dimension != dimension.id:
                    continue
                old, new = before.get(skill.id), after.get(skill.id)
                delta = None
                if old and new and not (old.not_applicable or new.not_applicable):
                    delta = _value(new) - _value(old)
                rows.append(
                    SkillRow(
                        name=skill.name,
                        criticality=self.framework.criticality(skill.criticality).name,
                        critical=self.framework.is_critical(skill),
                        start=_shown(old),
                        end=_shown(new),
                        expected=skill.expected.get(self.target, 0),
                        delta=delta,
                        evidence=counts.get(skill.id, 0),
                    )
                )
            groups.append(SkillGroup(dimension=dimension.name, rows=rows))
        return groups

    def milestones(self) -> list[MilestoneRow]:
        states = self.services.checkins.current_milestones(self.profile.id, self.end)
        rows = []
        for horizon in HORIZONS:
            for milestone in self.framework.milestones:
                if milestone.horizon != horizon:
                    continue
                state = states.get(milestone.id)
                status = state.status if state else "not-started"
                due = due_date(self.profile.role_start, horizon)
                rows.append(
                    MilestoneRow(
                        horizon=HORIZON_NAMES[horizon],
                        title=milestone.title,
                        due=due,
                        status=STATUS_NAMES.get(status, status),
                        since=state.dated if state else None,
                        overdue=due < self.end and status not in ("done", "not-applicable"),
                    )
                )
        return rows

    def kpis(self) -> list[KpiRow]:
        checkins = self.services.checkins
        last = checkins.last_kpi_values(self.profile.id, self.end)
        # Thresholds and ranges judge the last value, which one query gives for every KPI;
        # only trends need their history, all read in one more query.
        trends = [
            k.id for k in self.framework.kpis if any(isinstance(t, TrendTarget) for t in k.targets)
        ]
        histories = checkins.kpi_histories(self.profile.id, trends) if trends else {}
        rows = []
        for kpi in self.framework.kpis:
            if kpi.id in histories:
                history = [(d, v) for d, v in histories[kpi.id] if d <= self.end]
            elif kpi.id in last:
                value, day = last[kpi.id]
                history = [(day, value)]
            else:
                history = []
            met, words = evaluate(kpi, history)
            shown = ""
            if history:
                shown = _number(history[-1][1]) + (f"\xa0{kpi.unit}" if kpi.unit else "")
            rows.append(
                KpiRow(
                    name=kpi.name,
                    value=shown,
                    date=history[-1][0] if history else None,
                    target=kpi.target_text,
                    met=met,
                    met_text=words,
                )
            )
        return rows

    def reflections(self) -> list[Reflection]:
        entries = self.services.checkins.notes(self.profile.id, self.start, self.end)
        return [
            Reflection(
                date=entry.date,
                notes=[
                    *(
                        Note(label=REFLECTION_LABELS[k], text=v)
                        for k, v in entry.reflection.items()
                    ),
                    *(
                        Note(label=self.note_label(kind, ref), text=text)
                        for kind, ref, text in entry.notes
                    ),
                ],
            )
            for entry in entries
        ]

    def note_label(self, kind: str, ref: str) -> str:
        label, item_kind = NOTE_KINDS[kind]
        return f"{label}: {self.names.get((item_kind, ref), ref)}"

    def highlights(self) -> list[EvidenceGroup]:
        dimension_of = {s.id: s.dimension for s in self.framework.skills}
        grouped: dict[str, list[EvidenceInfo]] = {d.id: [] for d in self.framework.dimensions}
        other: list[EvidenceInfo] = []
        for entry in self.evidence:
            dimensions = {
                dimension_of[t.ref]
                for t in entry.tags
                if t.kind == "skill" and t.ref in dimension_of
            }
            for dimension in dimensions:
                grouped[dimension].append(entry)
            if not dimensions:
                other.append(entry)
        groups = [(d.name, grouped[d.id]) for d in self.framework.dimensions]
        groups.append((OTHER, other))
        return [
            EvidenceGroup(
                dimension=name,
                items=[self.cite(e) for e in entries[:HIGHLIGHTS]],
                more=max(0, len(entries) - HIGHLIGHTS),
            )
            for name, entries in groups
            if entries
        ]

    def appendix(self) -> list[EvidenceEntry]:
        """Every included entry of the period in full, oldest first; a quote printed under a
        criterion is not printed again."""
        entries = []
        for entry in reversed(self.evidence):
            impact = entry.impact
            quoted = self.quoted_under.get(entry.id)
            entries.append(
                EvidenceEntry(
                    number=self.numbers[entry.id],
                    date=entry.date,
                    title=entry.title,
                    description=None if quoted else entry.description,
                    link=entry.link,
                    tags=[self.names.get((t.kind, t.ref), t.ref) for t in entry.tags],
                    context=impact.context,
                    action=impact.action,
                    outcome=impact.outcome,
                    metric=impact.metric,
                    feedback=_giver(entry),
                    quoted_under=quoted,
                )
            )
        return entries

    def plan(self) -> Plan:
        plan = self.services.plan
        private = self.options.include_private
        goals = [
            g
            for g in plan.goals(self.profile.id)
            if g.open or (g.due is not None and self.start <= g.due <= self.end)
        ]
        first_quarter = quarter_of(self.start)
        learning = [i for i in plan.learning(self.profile.id) if i.target_quarter >= first_quarter]
        return Plan(
            goals=[
                GoalRow(
                    title=g.title,
                    skills=[self.names.get(("skill", s), s) for s in g.skills],
                    due=g.due,
                    status=GOAL_STATUS_NAMES.get(g.status, g.status),
                    notes=g.notes if private else None,
                )
                for g in goals
            ],
            learning=[
                LearningRow(
                    title=i.title,
                    quarter=i.target_quarter,
                    done=i.done,
                    notes=i.notes if private else None,
                )
                for i in learning
            ],
        )


def build(
    services: Services, profile_id: str, options: ReportOptions, today: date
) -> ReportContent:
    """The report's content; raises InvalidInputError for a period that can't be."""
    profile = services.profiles.get(profile_id)
    b = _Builder(services, profile, options, today)
    wanted = AUDIENCE_SECTIONS[options.audience]
    history = [p for p in services.readiness.over_time(profile_id) if b.start <= p.date <= b.end]
    readiness = services.readiness.as_of(profile_id, b.end, history=history, ratings=b.ratings)
    calibrations = b.assessment.calibrations if b.assessment else None
    calibrated = (
        services.readiness.calibrated(profile_id, b.end, calibrations) if calibrations else None
    )
    own_criteria = services.criteria.statuses(profile_id, b.end)
    their_criteria = (
        services.criteria.statuses(profile_id, b.end, calibrations=calibrations)
        if calibrations
        else None
    )
    lines = b.criteria_lines(own_criteria, their_criteria)
    readouts = [_readout("Self-assessed", readiness)]
    if calibrated is not None:
        readouts.append(_readout("Calibrated by the manager", calibrated))
    decision = Decision(
        recommendation=b.recommendation(),
        readiness=readouts,
        gates=b.gates(readiness, calibrated),
        steps=list(dict.fromkeys(line.step for line in lines)),
        criteria=lines,
        not_rated=not_rated_text(readiness),
    )
    framework = b.framework
    cover = Cover(
        title=AUDIENCE_TITLES[options.audience],
        name=profile.name,
        short_name=short_name(profile.name),
        manager=profile.manager,
        level=framework.level(b.level).name,
        target=framework.level(b.target).name,
        framework=framework.name,
        framework_version=framework.version,
        start=b.start,
        end=b.end,
        exported=today,
        data_as_of=_data_as_of(profile, b.end),
        includes_private=options.include_private,
    )
    private = options.include_private
    # Criteria first: they decide which feedback is quoted there, not in the evidence.
    criteria = b.criteria(lines, own_criteria) if "criteria" in wanted else []
    parts = {
        "summary": True,
        "criteria": criteria,
        "manager": b.manager() if "manager" in wanted else None,
        "charts": b.charts(history) if "charts" in wanted else None,
        "skills": b.skills() if "skills" in wanted else [],
        "milestones": b.milestones() if "milestones" in wanted else [],
        "kpis": b.kpis() if "kpis" in wanted else [],
        "highlights": b.highlights() if "highlights" in wanted else [],
        "reflections": b.reflections() if private and "reflections" in wanted else [],
        "evidence": b.appendix() if "evidence" in wanted else [],
    }
    plan = b.plan() if "plan" in wanted else None
    parts["plan"] = plan if plan and (plan.goals or plan.learning) else None
    sections: tuple[Section, ...] = tuple(s for s in wanted if parts[s])
    owner = services.identity.get()
    return ReportContent(
        options=options,
        sections=sections,
        cover=cover,
        author=owner.name if owner else None,
        decision=decision,
        summary=Summary(
            readiness=readiness, projection=projection_text(readiness), calibrated=calibrated
        ),
        manager=parts["manager"] or None,
        charts=parts["charts"] or None,
        skills=parts["skills"] or [],
        milestones=parts["milestones"] or [],
        kpis=parts["kpis"] or [],
        criteria=criteria,
        highlights=parts["highlights"] or [],
        reflections=parts["reflections"] or [],
        plan=parts["plan"],
        evidence=parts["evidence"] or [],
    )


def _readout(label: str, readiness: Readiness) -> Readout:
    return Readout(
        label=label,
        score=None if readiness.readiness is None else f"{format_score(readiness.readiness)} / 100",
        verdict=readiness.verdict,
        band=readiness.band if readiness.held_back else None,
        gates=len(readiness.gates),
    )


def _data_as_of(profile: ProfileInfo, end: date) -> str:
    """Whose data, as of when: a shared profile is its owner's export."""
    if profile.shared and profile.shared_exported_at is not None:
        exported = profile.shared_exported_at.date()
        return f"Data as of {possessive(profile.name)} export of {exported.isoformat()}"
    return f"Data as of {end.isoformat()}"


def _duration(start: date, end: date) -> str:
    """How long from `start` to `end` in words: "12 months", "1 month", "9 days"."""
    months = whole_months(start, end)
    if months >= 1:
        return f"{months} month" + ("s" if months > 1 else "")
    days = (end - start).days
    return f"{days} day" + ("s" if days > 1 else "")


def _giver(entry: EvidenceInfo) -> str | None:
    feedback = entry.feedback
    if feedback is None:
        return None
    return f"{feedback.giver}, {feedback.role}" if feedback.role else feedback.giver


def _names(framework: Framework) -> dict[tuple[str, str], str]:
    """What evidence tags and notes refer to, by (kind, id), in words."""
    names: dict[tuple[str, str], str] = {("skill", s.id): s.name for s in framework.skills}
    names.update({("milestone", m.id): m.title for m in framework.milestones})
    names.update({("kpi", k.id): k.name for k in framework.kpis})
    names.update({("criterion", c.id): c.text for c in framework.promotion_criteria})
    return names


def _number(value: float) -> str:
    """A KPI's value as entered: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", "−")


def _value(state: CurrentRating | None) -> int:
    return (state.value or 0) if state else 0


def _shown(state: CurrentRating | None) -> str:
    return _rating_text(state.value, state.not_applicable) if state else "—"


def _rating_text(value: int | None, not_applicable: bool) -> str:
    """A rating as the report prints it: "3", "n/a", or "—" when never rated."""
    if not_applicable:
        return "n/a"
    return "—" if value is None else str(value)
