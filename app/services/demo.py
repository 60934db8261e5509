"""A plausible demo profile: years of check-ins with uneven growth, the same for the same seed.

The profile and its rows are written in one transaction (bulk Core inserts),
so ten years of weekly check-ins take about a second and an interrupted demo
leaves nothing behind.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from app.framework.model import Framework, Kpi, RangeTarget, ThresholdTarget
from app.milestones import due_date
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService
from app.store.db import Store
from app.store.models import (
    CheckIn,
    Evidence,
    EvidenceTag,
    Goal,
    GoalSkill,
    KpiValue,
    LearningItem,
    MilestoneStatus,
    Rating,
    new_id,
)

DEMO_FRAMEWORK = "ml-engineer"
DEMO_NAME = "Sam Rivera (demo)"

_NOTES = (
    "Paired with a senior on this; next time I want to lead it.",
    "Reviewer asked for fewer changes than last month.",
    "Still shaky on edge cases — need more practice.",
    "Shipped it end-to-end this time 🚀",
    "Feedback from the 1:1: focus on <b>clarity</b> & brevity.",
    "Read two internal docs and applied the pattern.",
)
_WINS = (
    "Closed the flaky pipeline ticket and added a regression test.",
    "Demoed the evaluation gate to the team.",
    "Got a PR merged with no requested changes.",
    "Helped a new joiner run the training pipeline.",
)
_BLOCKERS = (
    "Waiting on data access approval for two weeks.",
    "Staging environment was down for days.",
    "Too many context switches between tickets.",
    "",
)
_FOCUS = (
    "Monitoring and alert tuning.",
    "Write the design note before coding.",
    "Timebox experiments; baseline first.",
    "Learn the deployment templates properly.",
)


@dataclass(frozen=True)
class _Work:
    """A demo evidence entry, its impact stated as context → action → outcome."""

    title: str
    description: str
    skills: tuple[str, ...]
    context: str | None = None
    action: str | None = None
    outcome: str | None = None
    metric: tuple[float, str] | None = None
    criterion: str | None = None  # the promotion criterion it backs, if any


_EVIDENCE = (
    _Work(
        "Added schema validation to the scoring job",
        "Catches missing partitions before scoring.",
        ("data-validation", "operational-discipline"),
        "Two scoring runs a month failed late on missing partitions",
        "Added a schema and partition check before the job starts",
        "Bad partitions now stop the job before it scores",
        (0, "late failures a month"),
        "mlops-competency",
    ),
    _Work(
        "Wrote the rollback runbook",
        "Short, template-based, reviewed by SRE.",
        ("mlops-patterns", "written-communication"),
        outcome="An engineer new to the service rehearsed a rollback alone",
        metric=(12, "minutes"),
    ),
    _Work(
        "Reduced p95 latency of the ranking endpoint",
        "Batching requests cut p95 from 140 ms to 90 ms.",
        ("performance-optimization", "api-service-fundamentals"),
        "The ranking endpoint missed its 100 ms p95 budget",
        "Profiled it and batched the feature lookups",
        "p95 latency from 140 ms, inside the 100 ms budget",
        (90, "ms"),
        "system-thinking",
    ),
    _Work(
        "Presented evaluation results to PM",
        "Explained the precision/recall trade-off.",
        ("stakeholder-empathy", "ml-fundamentals"),
        outcome="PM chose the recall-first threshold for launch",
        criterion="business-impact-standards",
    ),
    _Work(
        "Fixed leakage in the churn features",
        "A feature used post-period data.",
        ("pandas-numpy", "scikit-learn"),
        "Offline AUC was far above online",
        "Traced the gap to a feature computed after the label date",
        "Offline and online AUC agree again",
        (0.01, "AUC apart"),
        "own-component-end-to-end",
    ),
    _Work(
        "Reviewed three PRs from peers",
        "Focused on tests and seed control.",
        ("software-engineering-basics", "collaboration-feedback"),
    ),
    _Work(
        "Onboarded to the feature store",
        "Read the docs and migrated one feature.",
        ("feature-stores", "learning-agility"),
    ),
    _Work(
        "Incident RCA: stale features",
        "Added a freshness alert as the preventative fix.",
        ("model-monitoring", "ownership-mindset"),
        "Recommendations went stale for six hours",
        "Led the RCA and added a feature-freshness alert",
        "The next staleness was caught by the alert",
        (10, "minutes to detect"),
        "mlops-competency",
    ),
    _Work(
        "Planned the ranking model refresh",
        "Split the work into four milestones and ran the weekly check-in.",
        ("time-management", "collaboration-feedback"),
        "The refresh had slipped twice without an owner",
        "Took it on, planned it with two engineers and ran the weekly check-in",
        "Shipped in six weeks, on the date agreed",
        criterion="lead-small-initiative",
    ),
    _Work(
        "Containerised the batch scoring job",
        "One image for local runs, CI and production.",
        ("docker", "python-ml-engineering"),
        outcome="Setup for a new engineer down from a day",
        metric=(1, "hour"),
        criterion="own-component-end-to-end",
    ),
)
_IMPACT_COLUMNS = (
    "description",
    "context",
    "action",
    "outcome",
    "metric_value",
    "metric_unit",
    "feedback_from",
    "feedback_role",
)
# Feedback received: (days after the role start, quote, from whom, their role, criterion).
_FEEDBACK = (
    (
        120,
        "Sam's design doc for the scoring job was the clearest we had this quarter.",
        "Priya Nair",
        "Staff ML engineer",
        "own-component-end-to-end",
    ),
    (
        420,
        "During the stale-features incident Sam kept everyone calm and the timeline exact.",
        "Tomás Ortega",
        "SRE lead",
        "mlops-competency",
    ),
)


@dataclass
class _SkillPath:
    """A skill's hidden ability over time: start, yearly growth and a plateau."""

    start: float
    per_year: float
    cap: float

    def at(self, years: float, noise: float) -> float:
        return min(self.cap, self.start + self.per_year * years) + noise


def _kpi_value(kpi: Kpi, progress: float, rng: random.Random) -> float | None:
    """A value near the KPI's numeric target that improves as `progress` goes 0 → 1."""
    for target in kpi.targets:
        if isinstance(target, RangeTarget):
            mid = (target.low + target.high) / 2
            return round(max(0.0, mid * (0.5 + 0.6 * progress) + rng.uniform(-1, 1)), 1)
        if isinstance(target, ThresholdTarget):
            goal = target.value if target.value else 1.0
            worse = 1.6 if target.comparator in {"<", "<="} else 0.8
            factor = worse + (1 - worse) * progress * 1.1
            return round(max(0.0, goal * factor * rng.uniform(0.93, 1.07)), 2)
    return None


def create_demo(
    store: Store,
    frameworks: FrameworkService,
    profiles: ProfileService,
    *,
    years: int = 2,
    weekly: bool = False,
    seed: int = 0,
    today: date | None = None,
) -> str:
    """Create the demo profile with `years` of finalised check-ins; returns its id."""
    rng = random.Random(seed)
    today = today or date.today()
    step = timedelta(days=7 if weekly else 30)
    count = max(1, (years * 365) // step.days)
    started = today - step * count - timedelta(days=14)
    framework = frameworks.load(DEMO_FRAMEWORK)
    profile = profiles.new_row(
        name=DEMO_NAME,
        framework=framework.ref,
        level="junior-ml-engineer",
        target="ml-engineer",
        started=started,
        interval_days=step.days,
        manager="Jordan Lee",
    )
    plan = _Plan(framework, rng, profile.id, started)
    for index in range(count):
        plan.check_in(started + timedelta(days=14) + step * (index + 1), first=index == 0)
    plan.extras(today)
    with store.session() as session:  # all or nothing: a kill leaves no half-made profile
        session.add(profile)
        session.flush()
        for model, rows in plan.rows.items():
            if rows:
                session.execute(insert(model), rows)
    return profile.id


class _Plan:
    """Collects the demo's rows per table before one bulk write."""

    def __init__(self, framework: Framework, rng: random.Random, profile_id: str, start: date):
        self.framework = framework
        self.rng = rng
        self.profile_id = profile_id
        self.start = start
        self.rows: dict[Any, list[dict[str, Any]]] = {
            model: []
            for model in (
                CheckIn,
                Rating,
                MilestoneStatus,
                KpiValue,
                Evidence,
                EvidenceTag,
                Goal,
                GoalSkill,
                LearningItem,
            )
        }
        top = framework.max_rating
        self.paths = {
            skill.id: _SkillPath(
                start=rng.uniform(0.3, 1.2) + 0.4 * skill.expected.get("junior-ml-engineer", 0),
                per_year=rng.choice((0.1, 0.3, 0.5, 0.8, 1.1)),
                cap=rng.uniform(2.2, top + 0.4),
            )
            for skill in framework.skills
        }
        self.last: dict[str, int] = {}
        self.milestone_plan = self._milestone_plan()
        self.milestone_last: dict[str, str] = {}

    def _milestone_plan(self) -> dict[str, tuple[date, date, str]]:
        """Per milestone: when work starts, when it ends, and how (done or not applicable)."""
        plan = {}
        skip = self.rng.choice(self.framework.milestones).id
        for milestone in self.framework.milestones:
            due = due_date(self.start, milestone.horizon)
            late = self.rng.random() < 0.2
            end = due + timedelta(
                days=self.rng.randint(10, 60) if late else -self.rng.randint(0, 20)
            )
            begin = max(self.start, end - timedelta(days=self.rng.randint(20, 60)))
            plan[milestone.id] = (begin, end, "not-applicable" if milestone.id == skip else "done")
        return plan

    def check_in(self, day: date, *, first: bool) -> None:
        rng = self.rng
        checkin_id = new_id()
        finalized = datetime.combine(day, time(18, 0))
        self.rows[CheckIn].append(
            {
                "id": checkin_id,
                "profile_id": self.profile_id,
                "date": day,
                "status": "final",
                "finalized_at": finalized,
                "created_at": finalized,
                "updated_at": finalized,
                "public_updated_at": finalized,
                "wins": rng.choice(_WINS),
                "blockers": rng.choice(_BLOCKERS) or None,
                "focus": rng.choice(_FOCUS),
            }
        )
        years = (day - self.start).days / 365.25
        top = self.framework.max_rating
        for skill in self.framework.skills:
            value = round(self.paths[skill.id].at(years, rng.gauss(0, 0.25)))
            value = max(0, min(top, value))
            if not first and value == self.last.get(skill.id) and rng.random() > 0.15:
                continue
            self.last[skill.id] = value
            self.rows[Rating].append(
                {
                    "id": new_id(),
                    "checkin_id": checkin_id,
                    "skill_id": skill.id,
                    "value": value,
                    "not_applicable": False,
                    "confidence": rng.randint(2, 5),
                    "note": rng.choice(_NOTES) if rng.random() < 0.15 else None,
                    "updated_at": finalized,
                }
            )
        for milestone_id, (begin, end, final_status) in self.milestone_plan.items():
            status = final_status if day >= end else "in-progress" if day >= begin else None
            if status is None or self.milestone_last.get(milestone_id) == status:
                continue
            self.milestone_last[milestone_id] = status
            self.rows[MilestoneStatus].append(
                {
                    "id": new_id(),
                    "checkin_id": checkin_id,
                    "milestone_id": milestone_id,
                    "status": status,
                    "status_date": min(day, end) if status != "in-progress" else day,
                    "note": None,
                    "updated_at": finalized,
                }
            )
        progress = min(1.0, years / 3)
        for kpi in self.framework.kpis:
            measured = _kpi_value(kpi, progress, rng)
            if measured is not None and (kpi.cadence == "weekly" or rng.random() < 0.35):
                self.rows[KpiValue].append(
                    {
                        "id": new_id(),
                        "checkin_id": checkin_id,
                        "kpi_id": kpi.id,
                        "value": measured,
                        "note": None,
                        "updated_at": finalized,
                    }
                )

    def evidence(self, day: date, stamp: datetime, **fields: object) -> str:
        """Add an evidence entry of `fields` (shared unless said); returns its id."""
        evidence_id = new_id()
        self.rows[Evidence].append(
            {
                "id": evidence_id,
                "profile_id": self.profile_id,
                "date": day,
                "link": None,
                "private": False,
                "kind": "work",
                **dict.fromkeys(_IMPACT_COLUMNS),
                "created_at": stamp,
                "updated_at": stamp,
                **fields,
            }
        )
        return evidence_id

    def tags(self, evidence_id: str, stamp: datetime, tags: list[tuple[str, str]]) -> None:
        for kind, ref in tags:
            self.rows[EvidenceTag].append(
                {
                    "id": new_id(),
                    "evidence_id": evidence_id,
                    "kind": kind,
                    "ref": ref,
                    "updated_at": stamp,
                }
            )

    def extras(self, today: date) -> None:
        """Evidence (some private), goals and learning items across the period."""
        rng = self.rng
        skills = [skill.id for skill in self.framework.skills]
        names = {skill.id: skill.name for skill in self.framework.skills}
        stamp = datetime.combine(today, time(12, 0))
        day = self.start + timedelta(days=10)
        while day <= today:
            work = rng.choice(_EVIDENCE)
            value, unit = work.metric or (None, None)
            evidence_id = self.evidence(
                day,
                stamp,
                title=work.title,
                description=work.description,
                private=rng.random() < 0.2,
                context=work.context,
                action=work.action,
                outcome=work.outcome,
                metric_value=value,
                metric_unit=unit,
            )
            tags = [("skill", skill_id) for skill_id in work.skills]
            if work.criterion:
                tags.append(("criterion", work.criterion))
            self.tags(evidence_id, stamp, tags)
            day += timedelta(days=rng.randint(14, 45))
        for after, quote, giver, role, criterion in _FEEDBACK:
            day = self.start + timedelta(days=after)
            if day <= today:
                evidence_id = self.evidence(
                    day,
                    stamp,
                    title=f"Feedback from {giver}",
                    description=quote,
                    kind="feedback",
                    feedback_from=giver,
                    feedback_role=role,
                )
                self.tags(evidence_id, stamp, [("criterion", criterion)])
        for index, (title, status) in enumerate(
            (
                ("Own the batch scoring job end-to-end", "done"),
                ("Add drift monitoring to the ranking model", "active"),
                ("Write a design doc for the feature pipeline", "planned"),
                ("Run a canary release", "dropped"),
            )
        ):
            goal_id = new_id()
            self.rows[Goal].append(
                {
                    "id": goal_id,
                    "profile_id": self.profile_id,
                    "title": title,
                    "due": today + timedelta(days=30 * (index - 1)),
                    "status": status,
                    "notes": "Progress: talked it through with my manager.",
                    "created_at": stamp,
                    "updated_at": stamp,
                    "public_updated_at": stamp,
                }
            )
            self.rows[GoalSkill].append(
                {
                    "id": new_id(),
                    "goal_id": goal_id,
                    "skill_id": rng.choice(skills),
                    "updated_at": stamp,
                }
            )
        for quarter_back in range(4):
            year, quarter = today.year, (today.month - 1) // 3 + 1 - quarter_back
            while quarter < 1:
                year, quarter = year - 1, quarter + 4
            for number in range(rng.randint(2, 4)):
                self.rows[LearningItem].append(
                    {
                        "id": new_id(),
                        "profile_id": self.profile_id,
                        "title": f"Skill module {number + 1}: {names[rng.choice(skills)]}",
                        "target_quarter": f"{year}-Q{quarter}",
                        "done": quarter_back > 0 or number == 0,
                        "notes": None,
                        "updated_at": stamp,
                        "public_updated_at": stamp,
                    }
                )
