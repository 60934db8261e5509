"""Gather what one report prints: its period, its audience's sections, and its privacy.

This is the only place that decides what leaves the machine in a report
(the brief's Privacy table): rating, milestone and KPI notes, reflections,
private evidence and plan notes are read only when `include_private` is set,
and every count counts only what is included. Data for sections the
audience does not print is never gathered.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.charts import multiples_within
from app.errors import InvalidInputError
from app.framework.model import HORIZONS, Framework, TrendTarget
from app.kpis import evaluate
from app.milestones import due_date
from app.readiness import Point, projection_text, readiness_text
from app.report.model import (
    AUDIENCE_SECTIONS,
    AUDIENCE_TITLES,
    CalibrationLine,
    Charts,
    Cover,
    CriterionRow,
    DimensionComment,
    EvidenceGroup,
    EvidenceItem,
    GoalRow,
    KpiRow,
    LearningRow,
    ManagerAssessment,
    MilestoneRow,
    Note,
    Plan,
    Reflection,
    ReportContent,
    ReportOptions,
    SkillGroup,
    SkillRow,
    Summary,
)
from app.services.charts import HORIZON_NAMES, MILESTONE_STACKS
from app.services.checkins import CurrentRating
from app.services.evidence import EvidenceInfo
from app.services.plan import quarter_of
from app.services.profiles import ProfileInfo

if TYPE_CHECKING:
    from app.services import Services

HIGHLIGHTS = 5  # evidence entries shown per dimension
CRITERION_EVIDENCE = 8  # evidence entries shown per promotion criterion
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


class _Builder:
    """One report's gathering; holds what several sections share."""

    def __init__(
        self, services: Services, profile: ProfileInfo, options: ReportOptions, today: date
    ) -> None:
        self.services = services
        self.profile = profile
        self.options = options
        finals = services.checkins.finals(profile.id)
        self.start, self.end = period(profile, finals[0].date if finals else None, options, today)
        stage = profile.stage_on(self.end)
        self.framework = services.frameworks.get(stage.framework, stage.framework_version)
        self.level, self.target = stage.level, stage.target
        self.names = _names(self.framework)
        # Read once: readiness, the radar and the skills table all start from it.
        self.ratings = services.checkins.current_ratings(profile.id, self.end)
        self._evidence: list[EvidenceInfo] | None = None

    @property
    def evidence(self) -> list[EvidenceInfo]:
        """The period's evidence the report may show, newest first (private only if included)."""
        if self._evidence is None:
            entries = self.services.evidence.search(self.profile.id, start=self.start, end=self.end)
            self._evidence = [e for e in entries if self.options.include_private or not e.private]
        return self._evidence

    def item(self, entry: EvidenceInfo) -> EvidenceItem:
        return EvidenceItem(
            date=entry.date,
            title=entry.title,
            description=entry.description,
            link=entry.link,
            tags=[self.names.get((t.kind, t.ref), t.ref) for t in entry.tags],
        )

    # -- sections ------------------------------------------------------------------

    def manager(self) -> ManagerAssessment | None:
        """The assessment of the manager who imported this profile; None for your own
        profile, or when they added nothing."""
        if not self.profile.shared:
            return None
        manager = self.services.manager
        assessment = manager.assessment(self.profile.id)
        if assessment.empty:
            return None
        bands = {b.id: b.name for b in self.framework.verdict_bands}
        return ManagerAssessment(
            band=bands.get(assessment.band, assessment.band) if assessment.band else None,
            rationale=assessment.rationale,
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
                for row in manager.calibration(self.profile.id, self.end)
                if row.manager_rating is not None
            ],
        )

    def charts(self, history: list[Point]) -> Charts:
        charts = self.services.charts
        pid = self.profile.id
        return Charts(
            radar=charts.radar_chart(pid, self.end, self.ratings),
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
                if not (old and old.not_applicable) and not (new and new.not_applicable):
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
                        since=state.since if state else None,
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
            rows.append(
                KpiRow(
                    name=kpi.name,
                    unit=kpi.unit,
                    value=history[-1][1] if history else None,
                    date=history[-1][0] if history else None,
                    target=kpi.target_text,
                    met=met,
                    met_text=words,
                )
            )
        return rows

    def criteria(self) -> list[CriterionRow]:
        rows = []
        for criterion in self.framework.promotion_criteria:
            skills = set(criterion.skills)
            backing = [
                e
                for e in self.evidence
                if any(t.kind == "skill" and t.ref in skills for t in e.tags)
            ]
            rows.append(
                CriterionRow(
                    text=criterion.text,
                    skills=[self.names.get(("skill", s), s) for s in criterion.skills],
                    evidence=[self.item(e) for e in backing[:CRITERION_EVIDENCE]],
                    more=max(0, len(backing) - CRITERION_EVIDENCE),
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

    def evidence_groups(self) -> list[EvidenceGroup]:
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
                items=[self.item(e) for e in entries[:HIGHLIGHTS]],
                more=max(0, len(entries) - HIGHLIGHTS),
            )
            for name, entries in groups
            if entries
        ]

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
    builder = _Builder(services, profile, options, today)
    manager = builder.manager() if "manager" in AUDIENCE_SECTIONS[options.audience] else None
    sections = tuple(
        s for s in AUDIENCE_SECTIONS[options.audience] if s != "manager" or manager is not None
    )
    history = [
        p
        for p in services.readiness.over_time(profile_id)
        if builder.start <= p.date <= builder.end
    ]
    readiness = services.readiness.as_of(
        profile_id, builder.end, history=history, ratings=builder.ratings
    )
    framework = builder.framework
    cover = Cover(
        title=AUDIENCE_TITLES[options.audience],
        name=profile.name,
        manager=profile.manager,
        level=framework.level(builder.level).name,
        target=framework.level(builder.target).name,
        framework=framework.name,
        framework_version=framework.version,
        start=builder.start,
        end=builder.end,
        exported=today,
        verdict=readiness.verdict,
        readiness=readiness_text(readiness),
        includes_private=options.include_private,
    )
    private = options.include_private
    owner = services.identity.get()
    return ReportContent(
        options=options,
        sections=sections,
        cover=cover,
        author=owner.name if owner else None,
        summary=Summary(readiness=readiness, projection=projection_text(readiness)),
        manager=manager,
        charts=builder.charts(history) if "charts" in sections else None,
        skills=builder.skills() if "skills" in sections else [],
        milestones=builder.milestones() if "milestones" in sections else [],
        kpis=builder.kpis() if "kpis" in sections else [],
        criteria=builder.criteria() if "criteria" in sections else [],
        reflections=builder.reflections() if private and "reflections" in sections else [],
        reflections_withheld=not private and "reflections" in sections,
        evidence=builder.evidence_groups() if "evidence" in sections else [],
        plan=builder.plan() if "plan" in sections else None,
    )


def _names(framework: Framework) -> dict[tuple[str, str], str]:
    """What evidence tags and notes refer to, by (kind, id), in words."""
    names: dict[tuple[str, str], str] = {("skill", s.id): s.name for s in framework.skills}
    names.update({("milestone", m.id): m.title for m in framework.milestones})
    names.update({("kpi", k.id): k.name for k in framework.kpis})
    return names


def _value(state: CurrentRating | None) -> int:
    return (state.value or 0) if state else 0


def _shown(state: CurrentRating | None) -> str:
    return _rating_text(state.value, state.not_applicable) if state else "—"


def _rating_text(value: int | None, not_applicable: bool) -> str:
    """A rating as the report prints it: "3", "n/a", or "—" when never rated."""
    if not_applicable:
        return "n/a"
    return "—" if value is None else str(value)
