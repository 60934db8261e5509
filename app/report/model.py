"""What a promotion-readiness report contains: plain data, already filtered.

`app.report.content` builds a `ReportContent` from the services and is the
one place that decides privacy (the brief's Privacy table), the audience's
sections and the period. `app.report.pdf` lays it out and decides nothing:
whatever is in the content is printed, whatever is not can never leak.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from app.charts import BarChart, RadarChart, SmallMultiples, TimeChart
from app.readiness import Readiness
from app.report import AUDIENCES as AUDIENCES  # re-exported beside the type

Audience = Literal["self", "1:1", "packet"]
Section = Literal[
    "summary",
    "manager",
    "charts",
    "skills",
    "milestones",
    "kpis",
    "criteria",
    "reflections",
    "evidence",
    "plan",
]

SECTION_TITLES: dict[Section, str] = {
    "summary": "Summary",
    "manager": "Manager's assessment",
    "charts": "Growth charts",
    "skills": "Skills",
    "milestones": "Milestones",
    "kpis": "KPIs",
    "criteria": "Promotion criteria",
    "reflections": "Reflections",
    "evidence": "Evidence highlights",
    "plan": "Growth plan",
}

# The sections of each audience, in the order they are printed. The 1:1 report is
# the short one; the packet leads with the criteria and the evidence behind them,
# after the assessment of the manager preparing it (printed only for a profile
# shared with them that they annotated).
AUDIENCE_SECTIONS: dict[Audience, tuple[Section, ...]] = {
    "self": (
        "summary",
        "charts",
        "skills",
        "milestones",
        "kpis",
        "criteria",
        "reflections",
        "evidence",
        "plan",
    ),
    "1:1": ("summary", "charts", "evidence", "plan"),
    "packet": (
        "summary",
        "manager",
        "criteria",
        "evidence",
        "skills",
        "milestones",
        "kpis",
        "charts",
        "reflections",
        "plan",
    ),
}

AUDIENCE_TITLES: dict[Audience, str] = {
    "self": "Promotion-readiness report",
    "1:1": "1:1 growth summary",
    "packet": "Promotion packet",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReportOptions(_Model):
    """What the user asked for; `start`/`end` None mean the whole history / today."""

    start: dt.date | None = None
    end: dt.date | None = None
    include_private: bool = False
    audience: Audience = "self"


class Cover(_Model):
    title: str  # AUDIENCE_TITLES of the audience
    name: str
    manager: str | None
    level: str  # level names, not ids
    target: str
    framework: str  # framework name
    framework_version: str
    start: dt.date  # the period covered
    end: dt.date
    exported: dt.date
    verdict: str
    readiness: str  # `readiness_text`: "72.5 / 100 — Approaching (…)"
    includes_private: bool


class Summary(_Model):
    readiness: Readiness  # as of the period's end; dimensions, gates, gaps, projection
    projection: str  # `projection_text`, empty when there is none


class Charts(_Model):
    """The period's charts, the same data the Dashboard draws."""

    radar: RadarChart
    growth: SmallMultiples
    readiness: TimeChart
    milestones: BarChart


class SkillRow(_Model):
    name: str
    criticality: str  # its name
    critical: bool
    start: str  # the rating before the period: "3", "n/a" or "—" (never rated)
    end: str  # the rating at the period's end
    expected: int  # at the target level
    delta: int | None  # end − start when both are numbers
    evidence: int  # included evidence entries of the period tagged to this skill


class SkillGroup(_Model):
    dimension: str  # its name
    rows: list[SkillRow]


class MilestoneRow(_Model):
    horizon: str  # "90 days"
    title: str
    due: dt.date
    status: str  # "Done", "In progress", …
    since: dt.date | None  # the check-in that set the status
    overdue: bool


class KpiRow(_Model):
    name: str
    unit: str | None
    value: float | None  # the last value on or before the period's end
    date: dt.date | None
    target: str  # the target in words
    met: bool | None  # None: no value yet, or judged by the user (qualitative)
    met_text: str  # "Met", "Not met", "No value yet", "Judged by you"


class EvidenceItem(_Model):
    date: dt.date
    title: str
    description: str | None
    link: str | None
    tags: list[str]  # names of the skills, milestones and KPIs it is tagged to


class CriterionRow(_Model):
    text: str
    skills: list[str]  # names
    evidence: list[EvidenceItem]  # the newest included entries of the period on those skills
    more: int = 0  # how many more such entries there are


class EvidenceGroup(_Model):
    dimension: str  # a dimension's name, or "Other" for entries tagged to no skill
    items: list[EvidenceItem]  # the newest few
    more: int  # how many more included entries of the period the group has


class Note(_Model):
    label: str  # "Wins", "Blockers", "Focus", "Rating note: Model evaluation", …
    text: str


class Reflection(_Model):
    """One final check-in of the period: its reflection and notes (private text)."""

    date: dt.date
    notes: list[Note]


class GoalRow(_Model):
    title: str
    skills: list[str]  # names
    due: dt.date | None
    status: str
    notes: str | None  # private: only when included


class LearningRow(_Model):
    title: str
    quarter: str
    done: bool
    notes: str | None  # private: only when included


class Plan(_Model):
    goals: list[GoalRow]
    learning: list[LearningRow]


class CalibrationLine(_Model):
    skill: str  # its name
    dimension: str  # its name
    self_rating: str  # the owner's rating at the period's end: "3", "n/a" or "—" (never rated)
    manager_rating: int
    difference: int | None  # manager − owner; None when the owner marked it not applicable


class DimensionComment(_Model):
    dimension: str  # its name
    text: str


class ManagerAssessment(_Model):
    """What the manager who imported a shared profile added: theirs, never the owner's."""

    band: str | None  # the recommended verdict band's name
    rationale: str | None
    comments: list[DimensionComment]  # in the framework's order
    calibrations: list[CalibrationLine]  # the skills they rated, largest disagreements first


class ReportContent(_Model):
    """Everything one report prints, in the order of `sections`.

    Sections not in `sections` are left empty and are not printed. The text
    here is user text, unescaped: the renderer escapes every piece of it.
    """

    options: ReportOptions
    sections: tuple[Section, ...]
    cover: Cover
    author: str | None = None  # the owner of the data folder that made it, as they signed
    summary: Summary | None = None
    manager: ManagerAssessment | None = None
    charts: Charts | None = None
    skills: list[SkillGroup] = []
    milestones: list[MilestoneRow] = []
    kpis: list[KpiRow] = []
    criteria: list[CriterionRow] = []
    reflections: list[Reflection] = []
    reflections_withheld: bool = False  # private text was left out: the section says so
    evidence: list[EvidenceGroup] = []
    plan: Plan | None = None

    @property
    def title(self) -> str:
        """The PDF's title metadata."""
        return f"{self.cover.title}: {self.cover.name}"

    @property
    def subject(self) -> str:
        """The PDF's subject metadata."""
        cover = self.cover
        return (
            f"{cover.framework} {cover.framework_version}: {cover.level} → {cover.target}, "
            f"{cover.start.isoformat()} to {cover.end.isoformat()}"
        )
