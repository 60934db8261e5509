"""The SQLite schema as typed SQLAlchemy 2 models.

Every record has a stable UUID and an `updated_at`, so that bundles can
mirror records across machines; a record with private parts also has a
`public_updated_at` (see `app.store.stamps`). Changes to this file go through a new
Alembic migration in `app/store/migrations/versions`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CHECKIN_STATUSES = ("draft", "final")
MILESTONE_STATUSES = ("not-started", "in-progress", "done", "not-applicable")
GOAL_STATUSES = ("planned", "active", "done", "dropped")
TAG_KINDS = ("skill", "milestone", "kpi", "criterion")
PROFILE_ORIGINS = ("own", "shared")
EVIDENCE_KINDS = ("work", "feedback")  # something done, or feedback received
# An assessment made in this folder (by its owner, of a profile shared with them), or
# one received from the assessor of the owner's own profile (an assessment bundle).
ASSESSMENT_ORIGINS = ("own", "received")
OWNER_ID = "owner"  # the one row of `owner`
# What the user decided about a proposal from their git history.
PROPOSAL_DECISIONS = ("accepted", "dismissed")


def utcnow() -> datetime:
    """Naive UTC, as SQLite stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class PublicStamp:
    """A record with private parts also keeps `public_updated_at`: its last change to what a
    bundle without private text carries (`app.store.stamps` keeps both stamps)."""

    public_updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StoredFramework(Base):
    """One version of a framework, kept as its validated canonical JSON."""

    __tablename__ = "frameworks"
    __table_args__ = (UniqueConstraint("framework_id", "version", name="version"),)

    framework_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(default=False)
    source_digest: Mapped[str | None] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Profile(Base):
    """A person on a ladder; their level history lives in `stages`.

    `origin` is "own" for the user's profiles and "shared" for a copy imported
    from its owner's bundle: read-only, mirrored from the bundle exported at
    `shared_exported_at` whose checksum was `shared_checksum`.
    """

    __tablename__ = "profiles"
    __table_args__ = (CheckConstraint(_in("origin", PROFILE_ORIGINS), name="origin"),)

    name: Mapped[str] = mapped_column(Text)
    manager: Mapped[str | None] = mapped_column(Text)
    role_start: Mapped[date] = mapped_column(Date)
    checkin_interval_days: Mapped[int] = mapped_column(Integer, default=30)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(8), default="own", server_default="own")
    shared_exported_at: Mapped[datetime | None] = mapped_column(DateTime)
    shared_checksum: Mapped[str | None] = mapped_column(String(64))

    stages: Mapped[list[ProfileStage]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="ProfileStage.effective_from",
        lazy="selectin",
    )


class ProfileStage(Base):
    """Framework version and levels in force from a date on (a promotion adds one)."""

    __tablename__ = "profile_stages"
    __table_args__ = (UniqueConstraint("profile_id", "effective_from", name="date"),)

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    effective_from: Mapped[date] = mapped_column(Date)
    framework_id: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(64))
    target_level: Mapped[str] = mapped_column(String(64))

    profile: Mapped[Profile] = relationship(back_populates="stages")


class CheckIn(PublicStamp, Base):
    """An assessment on a date: a draft while being written, then final."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint(_in("status", CHECKIN_STATUSES), name="status"),
        Index("ix_checkins_profile_date", "profile_id", "status", "date"),
        Index(
            "uq_checkins_one_draft",
            "profile_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
        ),
    )

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="draft")
    finalized_at: Mapped[datetime | None] = mapped_column(DateTime)
    wins: Mapped[str | None] = mapped_column(Text)
    blockers: Mapped[str | None] = mapped_column(Text)
    focus: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    ratings: Mapped[list[Rating]] = relationship(cascade="all, delete-orphan")
    milestones: Mapped[list[MilestoneStatus]] = relationship(cascade="all, delete-orphan")
    kpi_values: Mapped[list[KpiValue]] = relationship(cascade="all, delete-orphan")
    amendments: Mapped[list[Amendment]] = relationship(
        cascade="all, delete-orphan", order_by="Amendment.at"
    )


class Rating(Base):
    """A skill's rating in one check-in; the note is always private."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("checkin_id", "skill_id", name="skill"),
        CheckConstraint("NOT (value IS NOT NULL AND not_applicable)", name="value_or_na"),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 5", name="confidence"),
    )

    checkin_id: Mapped[str] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int | None] = mapped_column(Integer)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    confidence: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class MilestoneStatus(Base):
    __tablename__ = "milestone_statuses"
    __table_args__ = (
        UniqueConstraint("checkin_id", "milestone_id", name="milestone"),
        CheckConstraint(_in("status", MILESTONE_STATUSES), name="status"),
    )

    checkin_id: Mapped[str] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    milestone_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    status_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class KpiValue(Base):
    __tablename__ = "kpi_values"
    __table_args__ = (UniqueConstraint("checkin_id", "kpi_id", name="kpi"),)

    checkin_id: Mapped[str] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    kpi_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)


class Amendment(Base):
    """One change to a finalised check-in: when, which field, old → new."""

    __tablename__ = "amendments"

    checkin_id: Mapped[str] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    field: Mapped[str] = mapped_column(Text)
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False)


class Evidence(Base):
    """A dated accomplishment, or feedback received; shared unless marked private.

    Impact is stated as context → what the person did → outcome, with a metric
    (a value and its unit); all optional. Feedback keeps the quote in
    `description`, and who gave it.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        Index("ix_evidence_profile_date", "profile_id", "date"),
        CheckConstraint(_in("kind", EVIDENCE_KINDS), name="kind"),
    )

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="work", server_default="work")
    context: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    metric_value: Mapped[float | None] = mapped_column(Float)
    metric_unit: Mapped[str | None] = mapped_column(Text)
    feedback_from: Mapped[str | None] = mapped_column(Text)
    feedback_role: Mapped[str | None] = mapped_column(Text)

    tags: Mapped[list[EvidenceTag]] = relationship(cascade="all, delete-orphan")


class EvidenceTag(Base):
    """Links evidence to a skill, milestone or KPI of the profile's framework."""

    __tablename__ = "evidence_tags"
    __table_args__ = (
        UniqueConstraint("evidence_id", "kind", "ref", name="ref"),
        CheckConstraint(_in("kind", TAG_KINDS), name="kind"),
    )

    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))


class GitProposal(Base):
    """A proposal from a git repository that the user accepted (stored as evidence) or
    dismissed, so that proposing again over the same period offers neither again. Local
    bookkeeping: not carried in bundles. Deleting the evidence keeps the decision."""

    __tablename__ = "git_proposals"
    __table_args__ = (
        UniqueConstraint("profile_id", "proposal_id", name="proposal"),
        CheckConstraint(_in("decision", PROPOSAL_DECISIONS), name="decision"),
    )

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    proposal_id: Mapped[str] = mapped_column(String(64))
    repository: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    evidence_id: Mapped[str | None] = mapped_column(
        ForeignKey("evidence.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Goal(PublicStamp, Base):
    """A growth-plan goal; shared, but its progress notes are private."""

    __tablename__ = "goals"
    __table_args__ = (CheckConstraint(_in("status", GOAL_STATUSES), name="status"),)

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    skills: Mapped[list[GoalSkill]] = relationship(cascade="all, delete-orphan")


class GoalSkill(Base):
    __tablename__ = "goal_skills"
    __table_args__ = (UniqueConstraint("goal_id", "skill_id", name="skill"),)

    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(String(64))


class LearningItem(PublicStamp, Base):
    """Something to learn by a target quarter (e.g. `2026-Q4`)."""

    __tablename__ = "learning_items"
    __table_args__ = (
        CheckConstraint("target_quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'", name="quarter"),
    )

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    target_quarter: Mapped[str] = mapped_column(String(7))
    done: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)


class RatingEvidence(Base):
    """Evidence linked to a skill's rating in one check-in."""

    __tablename__ = "rating_evidence"
    __table_args__ = (UniqueConstraint("rating_id", "evidence_id", name="pair"),)

    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"))
    evidence_id: Mapped[str] = mapped_column(
        ForeignKey("evidence.id", ondelete="CASCADE"), index=True
    )


# -- who this folder belongs to --------------------------------------------------


class Owner(Base):
    """The data folder's owner: it signs what the folder makes (an assessment, a PDF's
    author, a bundle). One row, `id` = OWNER_ID."""

    __tablename__ = "owner"

    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)


# -- the manager's assessments, kept apart from the assessed profile's own data -------


class Assessment(Base):
    """A manager's dated, signed assessment of a profile: calibrations per skill, comments
    per dimension and a recommendation. One per profile, origin and date (a second one on
    the same day replaces the first); the assessor's identity as it was on signing.

    `own`: made here, of a profile shared with this folder's owner, with the checksum and
    export time of the profile bundle it was last changed on. `received`: the owner's own
    profile as their manager assessed it, from an assessment bundle (whose checksum and
    export time are kept too), with the same of the profile bundle that was assessed.
    """

    __tablename__ = "assessments"
    __table_args__ = (
        UniqueConstraint("profile_id", "origin", "date", name="day"),
        CheckConstraint(_in("origin", ASSESSMENT_ORIGINS), name="origin"),
    )

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(8), default="own")
    assessor_name: Mapped[str | None] = mapped_column(Text)  # None: not recorded (before 0004)
    assessor_role: Mapped[str | None] = mapped_column(Text)
    assessor_email: Mapped[str | None] = mapped_column(Text)
    assessed_checksum: Mapped[str | None] = mapped_column(String(64))
    assessed_exported_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_checksum: Mapped[str | None] = mapped_column(String(64))  # the assessment bundle's
    received_exported_at: Mapped[datetime | None] = mapped_column(DateTime)

    calibrations: Mapped[list[Calibration]] = relationship(cascade="all, delete-orphan")
    comments: Mapped[list[DimensionComment]] = relationship(cascade="all, delete-orphan")
    recommendation: Mapped[Recommendation | None] = relationship(cascade="all, delete-orphan")


class AssessmentSend(Base):
    """When an assessment made here last went to its owner — in an assessment bundle or
    published to a team hub. A row of its own, so that sending is not a change of the
    assessment: the Team view reads "exported" while the send is newer than the change."""

    __tablename__ = "assessment_sends"

    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Calibration(Base):
    """The assessor's own rating of one skill."""

    __tablename__ = "calibrations"
    __table_args__ = (UniqueConstraint("assessment_id", "skill_id", name="skill"),)

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )


class DimensionComment(Base):
    """The assessor's comment on one dimension."""

    __tablename__ = "dimension_comments"
    __table_args__ = (UniqueConstraint("assessment_id", "dimension_id", name="dimension"),)

    profile_id: Mapped[str] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    dimension_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )


class Recommendation(Base):
    """The assessor's recommendation: a verdict band of the framework, and why."""

    __tablename__ = "recommendations"

    profile_id: Mapped[str] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    band: Mapped[str] = mapped_column(String(64))
    rationale: Mapped[str | None] = mapped_column(Text)
    assessment_id: Mapped[str] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
