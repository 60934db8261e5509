"""Check-ins: drafts saved field by field, finalising, amendments, and carry-forward.

A check-in records what changed that day. The current state of a skill or
milestone on a date is its latest value in a finalised check-in on or before
that date (same-day check-ins ordered by when they were finalised); drafts
never count. The carry-forward is one windowed SQL query, not a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidInputError, NotFoundError
from app.framework.model import Framework
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService
from app.store.db import Store
from app.store.models import (
    MILESTONE_STATUSES,
    Amendment,
    CheckIn,
    KpiValue,
    MilestoneStatus,
    Rating,
    utcnow,
)
from app.text import check_text

REFLECTION_FIELDS = ("wins", "blockers", "focus")


@dataclass(frozen=True)
class CheckInInfo:
    id: str
    profile_id: str
    date: date
    status: str
    finalized_at: datetime | None
    ratings: int


@dataclass(frozen=True)
class CurrentRating:
    """A skill's carried-forward state: a value, or not applicable, as of `since`."""

    value: int | None
    not_applicable: bool
    since: date


@dataclass(frozen=True)
class CurrentMilestone:
    status: str
    since: date


class CheckInService:
    def __init__(
        self, store: Store, frameworks: FrameworkService, profiles: ProfileService
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles

    # -- reading -----------------------------------------------------------------

    def all(self, profile_id: str) -> list[CheckInInfo]:
        """Every check-in of a profile, oldest first, with its number of ratings."""
        counts = (
            select(Rating.checkin_id, func.count().label("n"))
            .group_by(Rating.checkin_id)
            .subquery()
        )
        query = (
            select(CheckIn, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.checkin_id == CheckIn.id)
            .where(CheckIn.profile_id == profile_id)
            .order_by(CheckIn.date, CheckIn.finalized_at.is_(None), CheckIn.finalized_at)
        )
        with self._store.session() as session:
            return [
                CheckInInfo(c.id, c.profile_id, c.date, c.status, c.finalized_at, n)
                for c, n in session.execute(query)
            ]

    def draft(self, profile_id: str) -> CheckInInfo | None:
        return next((c for c in self.all(profile_id) if c.status == "draft"), None)

    def current_ratings(self, profile_id: str, as_of: date) -> dict[str, CurrentRating]:
        """Each rated skill's latest finalised state on or before `as_of`."""
        rows = self._latest(
            select(
                Rating.skill_id.label("key"),
                Rating.value,
                Rating.not_applicable,
                CheckIn.date,
            )
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(or_(Rating.value.is_not(None), Rating.not_applicable)),
            Rating.skill_id,
            profile_id,
            as_of,
        )
        return {r.key: CurrentRating(r.value, bool(r.not_applicable), r.date) for r in rows}

    def current_milestones(self, profile_id: str, as_of: date) -> dict[str, CurrentMilestone]:
        """Each milestone's latest finalised status on or before `as_of`."""
        rows = self._latest(
            select(
                MilestoneStatus.milestone_id.label("key"),
                MilestoneStatus.status,
                CheckIn.date,
            ).join(CheckIn, CheckIn.id == MilestoneStatus.checkin_id),
            MilestoneStatus.milestone_id,
            profile_id,
            as_of,
        )
        return {r.key: CurrentMilestone(r.status, r.date) for r in rows}

    def _latest(
        self, query: Select[*tuple[Any, ...]], key: Any, profile_id: str, as_of: date
    ) -> list[Any]:
        rank = (
            func.row_number()
            .over(partition_by=key, order_by=(CheckIn.date.desc(), CheckIn.finalized_at.desc()))
            .label("rank")
        )
        ranked = (
            query.add_columns(rank)
            .where(
                and_(
                    CheckIn.profile_id == profile_id,
                    CheckIn.status == "final",
                    CheckIn.date <= as_of,
                )
            )
            .subquery()
        )
        with self._store.session() as session:
            return list(session.execute(select(ranked).where(ranked.c.rank == 1)))

    # -- writing -----------------------------------------------------------------

    def start_draft(self, profile_id: str, on: date | None = None) -> CheckInInfo:
        """The profile's draft, created for `on` (default today) if there is none."""
        existing = self.draft(profile_id)
        if existing is not None:
            return existing
        self._profiles.get(profile_id)
        with self._store.session() as session:
            row = CheckIn(profile_id=profile_id, date=on or date.today(), status="draft")
            session.add(row)
            session.flush()
            return CheckInInfo(row.id, profile_id, row.date, row.status, None, 0)

    def _open(self, session: Session, checkin_id: str) -> tuple[CheckIn, Framework]:
        row = session.get(CheckIn, checkin_id)
        if row is None:
            raise NotFoundError(f"No check-in has the id {checkin_id}.")
        stage = self._profiles.get(row.profile_id).stage_on(row.date)
        return row, self._frameworks.get(stage.framework, stage.framework_version)

    def _log(self, checkin: CheckIn, field: str, old: Any, new: Any, *, private: bool) -> None:
        """Record an amendment when a finalised check-in changes."""
        if checkin.status == "final" and old != new:
            checkin.amendments.append(
                Amendment(
                    field=field,
                    old=None if old is None else str(old),
                    new=None if new is None else str(new),
                    private=private,
                )
            )

    def set_rating(
        self,
        checkin_id: str,
        skill_id: str,
        value: int | None,
        *,
        not_applicable: bool = False,
        confidence: int | None = None,
        note: str | None = None,
    ) -> None:
        """Rate a skill (or mark it not applicable), with an optional confidence and note."""
        note = check_text(note, "rating note")
        with self._store.session() as session:
            checkin, framework = self._open(session, checkin_id)
            if skill_id not in {s.id for s in framework.skills}:
                raise InvalidInputError(f"The framework has no skill '{skill_id}'.")
            skill = framework.skill(skill_id)
            if value is not None and not 0 <= value <= framework.max_rating:
                raise InvalidInputError(
                    f"The rating {value} for '{skill.name}' is outside the scale "
                    f"0–{framework.max_rating}."
                )
            if not_applicable and (value is not None or framework.is_critical(skill)):
                raise InvalidInputError(
                    f"'{skill.name}' is critical and cannot be marked not applicable."
                    if framework.is_critical(skill)
                    else "A rating cannot have a value and be not applicable."
                )
            if confidence is not None and not 1 <= confidence <= 5:
                raise InvalidInputError("A confidence must be between 1 and 5.")
            rating = next((r for r in checkin.ratings if r.skill_id == skill_id), None)
            if rating is None:
                rating = Rating(skill_id=skill_id)
                checkin.ratings.append(rating)
            for name, new, private in (
                ("value", value, False),
                ("not_applicable", not_applicable, False),
                ("confidence", confidence, False),
                ("note", note, True),
            ):
                self._log(
                    checkin,
                    f"rating:{skill_id}.{name}",
                    getattr(rating, name),
                    new,
                    private=private,
                )
                setattr(rating, name, new)

    def set_milestone(
        self,
        checkin_id: str,
        milestone_id: str,
        status: str,
        *,
        status_date: date | None = None,
        note: str | None = None,
    ) -> None:
        note = check_text(note, "milestone note")
        if status not in MILESTONE_STATUSES:
            raise InvalidInputError(
                f"The milestone status '{status}' is not one of {', '.join(MILESTONE_STATUSES)}."
            )
        with self._store.session() as session:
            checkin, framework = self._open(session, checkin_id)
            if milestone_id not in {m.id for m in framework.milestones}:
                raise InvalidInputError(f"The framework has no milestone '{milestone_id}'.")
            row = next((m for m in checkin.milestones if m.milestone_id == milestone_id), None)
            if row is None:
                row = MilestoneStatus(milestone_id=milestone_id, status=status)
                checkin.milestones.append(row)
            for name, new, private in (
                ("status", status, False),
                ("status_date", status_date, False),
                ("note", note, True),
            ):
                self._log(
                    checkin,
                    f"milestone:{milestone_id}.{name}",
                    getattr(row, name),
                    new,
                    private=private,
                )
                setattr(row, name, new)

    def set_kpi(
        self, checkin_id: str, kpi_id: str, value: float, *, note: str | None = None
    ) -> None:
        note = check_text(note, "KPI note")
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidInputError("A KPI value must be a finite number.")
        with self._store.session() as session:
            checkin, framework = self._open(session, checkin_id)
            if kpi_id not in {k.id for k in framework.kpis}:
                raise InvalidInputError(f"The framework has no KPI '{kpi_id}'.")
            row = next((k for k in checkin.kpi_values if k.kpi_id == kpi_id), None)
            if row is None:
                row = KpiValue(kpi_id=kpi_id, value=value)
                checkin.kpi_values.append(row)
            for name, new, private in (("value", value, False), ("note", note, True)):
                self._log(checkin, f"kpi:{kpi_id}.{name}", getattr(row, name), new, private=private)
                setattr(row, name, new)

    def set_reflection(self, checkin_id: str, field: str, text: str | None) -> None:
        """Set one of `wins`, `blockers`, `focus` (reflections are private)."""
        if field not in REFLECTION_FIELDS:
            raise InvalidInputError(f"'{field}' is not a reflection field.")
        text = check_text(text, field)
        with self._store.session() as session:
            checkin, _ = self._open(session, checkin_id)
            self._log(checkin, f"reflection.{field}", getattr(checkin, field), text, private=True)
            setattr(checkin, field, text)

    def finalize(self, checkin_id: str) -> None:
        with self._store.session() as session:
            checkin, _ = self._open(session, checkin_id)
            if checkin.status == "final":
                raise InvalidInputError("This check-in is already final.")
            checkin.status = "final"
            checkin.finalized_at = utcnow()

    def delete(self, checkin_id: str) -> None:
        with self._store.session() as session:
            checkin, _ = self._open(session, checkin_id)
            session.delete(checkin)
