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
    "criteria",
    "manager",
    "charts",
    "skills",
    "milestones",
    "kpis",
    "highlights",
    "reflections",
    "plan",
    "evidence",
]

SECTION_TITLES: dict[Section, str] = {
    "summary": "Readiness",
    "criteria": "Promotion criteria",
    "manager": "Manager's assessment",
    "charts": "Growth charts",
    "skills": "Skills",
    "milestones": "Milestones",
    "kpis": "KPIs",
    "highlights": "Evidence highlights",
    "reflections": "Reflections",
    "plan": "Growth plan",
    "evidence": "Evidence",
}

# The sections each audience may print after page 1 (the decision), in order; one
# with nothing to show is left out. The packet makes the case: the criteria and the
# evidence behind them, then the manager's assessment (for a profile shared with a
# manager who assessed it) and the detail. Every audience ends with the evidence,
# each entry printed in full once and cited by its number (E12) everywhere else.
AUDIENCE_SECTIONS: dict[Audience, tuple[Section, ...]] = {
    "self": (
        "summary",
        "criteria",
        "manager",
        "charts",
        "skills",
        "milestones",
        "kpis",
        "highlights",
        "reflections",
        "plan",
        "evidence",
    ),
    "1:1": ("summary", "criteria", "manager", "charts", "highlights", "plan", "evidence"),
    "packet": (
        "criteria",
        "manager",
        "summary",
        "skills",
        "milestones",
        "kpis",
        "charts",
        "reflections",
        "plan",
        "evidence",
    ),
}

AUDIENCE_TITLES: dict[Audience, str] = {
    "self": "Promotion-readiness report",
    "1:1": "1:1 growth summary",
    "packet": "Promotion packet",
}


def possessive(name: str) -> str:
    """ "Sam's", "James'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


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
    short_name: str  # how the report speaks of the person: "Sam's ratings"
    manager: str | None  # the manager named on the profile
    level: str  # level names, not ids
    target: str
    framework: str  # framework name
    framework_version: str
    start: dt.date  # the period covered
    end: dt.date
    exported: dt.date
    data_as_of: str  # "Data as of Sam Rivera's export of 2026-11-30", or "of 2026-12-07"
    includes_private: bool

    @property
    def whose(self) -> str:
        """How the report says whose ratings it shows: "Sam's"."""
        return possessive(self.short_name)


class Readout(_Model):
    """One readiness figure as page 1 shows it: self-assessed, or calibrated."""

    label: str  # "Self-assessed", "Calibrated by the manager"
    score: str | None  # "72.5 / 100"; None: not assessable
    verdict: str
    band: str | None  # the band the score reaches when gates hold the verdict back
    gates: int


class GateLine(_Model):
    """A gate in plain words: what holds the verdict back, and where it stands."""

    name: str
    state: str  # "rated 2, expected 3", "overdue by 12 months (due 2025-03-01, in progress)"
    calibrated: str | None  # "calibrated at expectation by the manager", …; None: not calibrated


class Recommendation(_Model):
    """The manager's recommendation, signed: who, in which role, on which date."""

    band: str | None  # a verdict band's name
    rationale: str | None
    assessor: str | None  # None: made before assessments were signed
    role: str | None
    date: dt.date | None


class CriterionLine(_Model):
    """A promotion criterion at a glance: its status, and how long it has held."""

    number: int  # criteria are numbered across steps, as the criteria section prints them
    text: str
    step: str  # "Junior ML Engineer → ML Engineer"
    status: str  # STATUS_WORDS: "met", "partly met", "not met", "not rated yet"
    calibrated: str | None  # the status with the manager's calibration; None: no assessment
    sustained_since: dt.date | None  # met at every check-in since; None: not met on the date
    sustained_months: int | None  # whole months


class Decision(_Model):
    """Page 1: what the reader needs to decide, in one glance."""

    recommendation: Recommendation | None
    readiness: list[Readout]  # self-assessed, then calibrated when there is an assessment
    gates: list[GateLine]  # every gate; page 1 prints the first few
    steps: list[str]  # the steps the criteria belong to, in order
    criteria: list[CriterionLine]  # every criterion; page 1 prints the first few
    not_rated: str | None  # never-rated skills count as 0: said once, in words


class Summary(_Model):
    readiness: Readiness  # as of the period's end; dimensions, gates, gaps, projection
    projection: str  # `projection_text`, empty when there is none
    calibrated: Readiness | None = None  # with the manager's calibration


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
    since: dt.date | None  # the status's date as the person entered it (else its check-in's)
    overdue: bool


class KpiRow(_Model):
    name: str
    value: str  # the last value on or before the period's end with its unit: "2.4 modules/quarter"
    date: dt.date | None
    target: str  # the target in words
    met: bool | None  # None: no value yet, or judged by the reader (qualitative)
    met_text: str  # "Met", "Not met", "No value yet", "Judged by the reader"


class EvidenceCite(_Model):
    """An evidence entry where it is cited: its number, title and impact, never its text."""

    number: int  # E12
    date: dt.date
    title: str
    impact: str | None  # the impact in one line
    link: str | None
    feedback: str | None  # for feedback received: who gave it ("Noor, Staff engineer")


class Quote(_Model):
    """Feedback received, quoted in full under the first criterion it evidences."""

    number: int
    text: str
    giver: str  # "Noor, Staff engineer"
    date: dt.date


class CriterionSkill(_Model):
    name: str
    self_rating: str  # "3", or "not rated yet"
    manager: str | None  # the manager's calibration, "" where none; None: no assessment
    expected: int  # at the step's upper level


class CriterionBlock(_Model):
    line: CriterionLine
    level: str  # the step's upper level, which the criterion is part of reaching
    skills: list[CriterionSkill]
    evidence: list[EvidenceCite]  # the strongest few
    also: list[int]  # the numbers of the other entries that back it
    quotes: list[Quote]
    quoted_above: list[int]  # feedback backing it too, quoted under an earlier criterion


class EvidenceGroup(_Model):
    dimension: str  # a dimension's name, or "Other" for entries tagged to no skill
    items: list[EvidenceCite]  # the newest few
    more: int  # how many more included entries of the period the group has


class EvidenceEntry(_Model):
    """An evidence entry in full, printed once, in the evidence at the end."""

    number: int
    date: dt.date
    title: str
    description: str | None  # None also when the quote is printed under a criterion
    link: str | None
    tags: list[str]  # names of what it is tagged to
    context: str | None
    action: str | None
    outcome: str | None
    metric: str | None  # "90 ms"
    feedback: str | None  # for feedback received: who gave it ("Noor, Staff engineer")
    quoted_under: int | None  # the criterion whose page quotes it


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
    """The latest assessment on or before the period's end by the manager who imported a
    shared profile: theirs, never the owner's, and signed."""

    recommendation: Recommendation
    comments: list[DimensionComment]  # in the framework's order
    calibrations: list[CalibrationLine]  # the skills they rated, largest disagreements first


class ReportContent(_Model):
    """Everything one report prints: page 1, then the `sections` in order.

    Sections not in `sections` are left empty and are not printed. The text
    here is user text, unescaped: the renderer escapes every piece of it.
    """

    options: ReportOptions
    sections: tuple[Section, ...]
    cover: Cover
    author: str | None = None  # the owner of the data folder that made it, as they signed
    decision: Decision
    summary: Summary
    manager: ManagerAssessment | None = None
    charts: Charts | None = None
    skills: list[SkillGroup] = []
    milestones: list[MilestoneRow] = []
    kpis: list[KpiRow] = []
    criteria: list[CriterionBlock] = []
    highlights: list[EvidenceGroup] = []
    reflections: list[Reflection] = []
    plan: Plan | None = None
    evidence: list[EvidenceEntry] = []

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
