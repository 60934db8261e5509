"""The `.rung` bundle: one UTF-8 JSON document that carries a profile between machines.

The models are the format's contract (the brief's Bundle section). Every
record is listed field by field: what is not named here is never exported,
and an unknown key in a file is refused (`extra="forbid"`).

Version 2 adds the owner's identity, evidence as impact (context, action,
outcome, a metric), feedback received, and evidence tagged to a promotion
criterion; those keys have defaults, so a version 1 bundle still reads.

A bundle has a `kind`: `profile` (a bundle without one is a profile bundle)
or `assessment` — a manager's assessment of a profile, sent back to its
owner, in the same envelope with the same checksum rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel
from pydantic_core import PydanticCustomError

from app.dates import MAX_INTERVAL_DAYS, MIN_INTERVAL_DAYS, check_date
from app.errors import InvalidInputError

FORMAT = "rung-bundle"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
KINDS = ("profile", "assessment")
MAX_BYTES = 64 * 1024 * 1024
SAFE_INTEGER = 2**53 - 1

Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=100_000)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
_STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_Day = TypeVar("_Day", bound=dt.date)  # a date or a datetime


def _in_range(value: _Day) -> _Day:
    """Dates and times in the calendar Rung accepts (`app.dates`), so arithmetic never overflows."""
    try:
        return check_date(value, "time" if isinstance(value, dt.datetime) else "date")
    except InvalidInputError as exc:
        message = str(exc)
        raise PydanticCustomError("date_range", message[:1].lower() + message[1:-1]) from None


def _stamp(value: str) -> str:
    """An export time as the exporter writes it, in the accepted calendar."""
    try:
        moment = dt.datetime.strptime(value, _STAMP_FORMAT)
    except ValueError:
        raise PydanticCustomError(
            "stamp", "this is not a time such as 2026-05-02T09:00:00Z"
        ) from None
    _in_range(moment)
    return value


Day = Annotated[dt.date, AfterValidator(_in_range)]
Moment = Annotated[dt.datetime, AfterValidator(_in_range)]
Stamp = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"),
    AfterValidator(_stamp),
]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageRecord(_Record):
    effective_from: Day
    framework: Id
    framework_version: Annotated[str, Field(min_length=1, max_length=32)]
    level: Id
    target: Id


class ProfileRecord(_Record):
    id: Id
    updated_at: Moment
    name: Name
    manager: Name | None
    role_start: Day
    checkin_interval_days: Annotated[int, Field(ge=MIN_INTERVAL_DAYS, le=MAX_INTERVAL_DAYS)]
    stages: Annotated[list[StageRecord], Field(min_length=1)]


class FrameworkRecord(_Record):
    """A framework version the profile uses, as its validated canonical JSON object."""

    id: Id
    version: Annotated[str, Field(min_length=1, max_length=32)]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    framework: dict[str, Any]


class RatingRecord(_Record):
    skill: Id
    value: Annotated[int, Field(ge=0, le=100)] | None
    not_applicable: bool
    confidence: Annotated[int, Field(ge=1, le=5)] | None
    note: Text | None  # private
    evidence: list[Id]  # linked evidence entries (only those the bundle carries)


class MilestoneRecord(_Record):
    milestone: Id
    status: Literal["not-started", "in-progress", "done", "not-applicable"]
    status_date: Day | None
    note: Text | None  # private


class KpiRecord(_Record):
    kpi: Id
    value: Finite
    note: Text | None  # private


class AmendmentRecord(_Record):
    at: Moment
    field: Text
    old: Text | None
    new: Text | None
    private: bool


class CheckInRecord(_Record):
    """A final check-in; drafts stay on the computer where they were started."""

    id: Id
    updated_at: Moment
    date: Day
    finalized_at: Moment
    ratings: list[RatingRecord]
    milestones: list[MilestoneRecord]
    kpis: list[KpiRecord]
    wins: Text | None  # the reflection: private
    blockers: Text | None
    focus: Text | None
    amendments: list[AmendmentRecord]  # private ones only when private text is included


class TagRecord(_Record):
    kind: Literal["skill", "milestone", "kpi", "criterion"]
    ref: Id


class MetricRecord(_Record):
    """A measured outcome: "p95 latency 220 → 90 ms" is 90 ms."""

    value: Finite
    unit: Name


class EvidenceRecord(_Record):
    id: Id
    updated_at: Moment
    date: Day
    title: Name
    description: Text | None  # for feedback received: the quote
    link: Text | None
    private: bool
    tags: list[TagRecord]
    kind: Literal["work", "feedback"] = "work"  # version 2 on
    context: Text | None = None
    action: Text | None = None
    outcome: Text | None = None
    metric: MetricRecord | None = None
    feedback_from: Name | None = None
    feedback_role: Name | None = None


class OwnerRecord(_Record):
    """A data folder's owner identity: who exported a profile bundle, or who assessed."""

    name: Name
    role: Name | None
    email: Name | None


class GoalRecord(_Record):
    id: Id
    updated_at: Moment
    title: Name
    skills: list[Id]
    due: Day | None
    status: Literal["planned", "active", "done", "dropped"]
    notes: Text | None  # private


class LearningRecord(_Record):
    id: Id
    updated_at: Moment
    title: Name
    target_quarter: Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]
    done: bool
    notes: Text | None  # private


class Payload(_Record):
    include_private: bool  # False: absent private text is withheld, not deleted
    owner: OwnerRecord | None = None  # version 2 on; None: the folder had no identity
    profile: ProfileRecord
    frameworks: list[FrameworkRecord]
    checkins: list[CheckInRecord]
    evidence: list[EvidenceRecord]
    goals: list[GoalRecord]
    learning: list[LearningRecord]


Checksum = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Bundle(_Record):
    """A profile bundle, the whole document; `checksum` is over the rest of it (see
    `app.bundle.export.checksum`)."""

    format: Literal["rung-bundle"]
    format_version: Literal[1, 2]
    kind: Literal["profile"] = "profile"  # version 2 on; a bundle without a kind is this
    exported_at: Stamp
    payload: Payload
    checksum: Checksum


# -- assessment bundles: a manager's assessment, back to the profile's owner ----------


class AssessedRecord(_Record):
    """What was assessed: the profile, as the bundle its owner exported."""

    profile: Id
    checksum: Checksum  # of that profile bundle
    exported_at: Stamp


class CalibrationRecord(_Record):
    """The assessor's rating of one skill."""

    skill: Id
    value: Annotated[int, Field(ge=0, le=100)]


class CommentRecord(_Record):
    """The assessor's comment on one dimension."""

    dimension: Id
    text: Annotated[str, Field(min_length=1, max_length=100_000)]


class RecommendationRecord(_Record):
    """A verdict band of the framework, and why."""

    band: Id
    rationale: Text | None


class AssessmentPayload(_Record):
    assessor: OwnerRecord
    date: Day
    assessed: AssessedRecord
    calibrations: list[CalibrationRecord]
    comments: list[CommentRecord]
    recommendation: RecommendationRecord | None


class AssessmentBundle(_Record):
    """An assessment bundle, the whole document, with the checksum rules of `Bundle`."""

    format: Literal["rung-bundle"]
    format_version: Literal[2]
    kind: Literal["assessment"]
    exported_at: Stamp
    payload: AssessmentPayload
    checksum: Checksum


class AnyBundle(RootModel[Bundle | AssessmentBundle]):
    """A `.rung` file: a profile bundle or an assessment bundle, told apart by `kind`."""
