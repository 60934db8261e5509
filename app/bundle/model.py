"""The `.rung` bundle: one UTF-8 JSON document that carries a profile between machines.

The models are the format's contract (the brief's Bundle section). Every
record is listed field by field: what is not named here is never exported,
and an unknown key in a file is refused (`extra="forbid"`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "rung-bundle"
FORMAT_VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
SAFE_INTEGER = 2**53 - 1

Id = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(max_length=100_000)]
Stamp = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
Finite = Annotated[float, Field(allow_inf_nan=False)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StageRecord(_Record):
    effective_from: dt.date
    framework: Id
    framework_version: Annotated[str, Field(min_length=1, max_length=32)]
    level: Id
    target: Id


class ProfileRecord(_Record):
    id: Id
    updated_at: dt.datetime
    name: Name
    manager: Name | None
    role_start: dt.date
    checkin_interval_days: Annotated[int, Field(ge=1, le=3650)]
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
    status_date: dt.date | None
    note: Text | None  # private


class KpiRecord(_Record):
    kpi: Id
    value: Finite
    note: Text | None  # private


class AmendmentRecord(_Record):
    at: dt.datetime
    field: Text
    old: Text | None
    new: Text | None
    private: bool


class CheckInRecord(_Record):
    """A final check-in; drafts stay on the computer where they were started."""

    id: Id
    updated_at: dt.datetime
    date: dt.date
    finalized_at: dt.datetime
    ratings: list[RatingRecord]
    milestones: list[MilestoneRecord]
    kpis: list[KpiRecord]
    wins: Text | None  # the reflection: private
    blockers: Text | None
    focus: Text | None
    amendments: list[AmendmentRecord]  # private ones only when private text is included


class TagRecord(_Record):
    kind: Literal["skill", "milestone", "kpi"]
    ref: Id


class EvidenceRecord(_Record):
    id: Id
    updated_at: dt.datetime
    date: dt.date
    title: Name
    description: Text | None
    link: Text | None
    private: bool
    tags: list[TagRecord]


class GoalRecord(_Record):
    id: Id
    updated_at: dt.datetime
    title: Name
    skills: list[Id]
    due: dt.date | None
    status: Literal["planned", "active", "done", "dropped"]
    notes: Text | None  # private


class LearningRecord(_Record):
    id: Id
    updated_at: dt.datetime
    title: Name
    target_quarter: Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]
    done: bool
    notes: Text | None  # private


class Payload(_Record):
    include_private: bool  # False: absent private text is withheld, not deleted
    profile: ProfileRecord
    frameworks: list[FrameworkRecord]
    checkins: list[CheckInRecord]
    evidence: list[EvidenceRecord]
    goals: list[GoalRecord]
    learning: list[LearningRecord]


class Bundle(_Record):
    """The whole document; `checksum` is over the rest of it (see `app.bundle.checksum`)."""

    format: Literal["rung-bundle"]
    format_version: Literal[1]
    exported_at: Stamp
    payload: Payload
    checksum: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
