"""Check-ins: drafts saved field by field, finalising, amendments, and carry-forward.

A check-in records what changed that day. The current state of a skill or
milestone on a date is its latest value in a finalised check-in on or before
that date (same-day check-ins ordered by when they were finalised); drafts
never count. The carry-forward is one windowed SQL query, not a Python loop.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from app.dates import check_date
from app.errors import InvalidInputError, NotFoundError
from app.framework.model import Framework
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService, check_editable
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

RatingChange = tuple[str, int | None, bool]  # what a check-in records: skill, value, n/a


@dataclass(frozen=True)
class CheckInInfo:
    id: str
    profile_id: str
    date: date
    status: str
    finalized_at: datetime | None
    ratings: int
    changed: int = 0


FinalHistory = list[tuple[CheckInInfo, list[RatingChange]]]  # see `final_history`


@dataclass(frozen=True)
class CurrentRating:
    """A skill's carried-forward state: a value, or not applicable, as of `since`."""

    value: int | None
    not_applicable: bool
    since: date


@dataclass(frozen=True)
class CurrentMilestone:
    status: str
    since: date  # the check-in that recorded the status
    status_date: date | None = None  # the date the user gave for it, if any

    @property
    def dated(self) -> date:
        """The status's date as the user entered it, else its check-in's."""
        return self.status_date or self.since


@dataclass(frozen=True)
class RatingEntry:
    value: int | None
    not_applicable: bool
    confidence: int | None
    note: str | None


@dataclass(frozen=True)
class MilestoneEntry:
    status: str
    status_date: date | None
    note: str | None


@dataclass(frozen=True)
class KpiEntry:
    value: float
    note: str | None


@dataclass(frozen=True)
class AmendmentEntry:
    at: datetime
    field: str
    old: str | None
    new: str | None
    private: bool


@dataclass(frozen=True)
class CheckInDetail:
    """Everything one check-in holds, for the wizard, History and the review."""

    info: CheckInInfo
    ratings: dict[str, RatingEntry]
    milestones: dict[str, MilestoneEntry]
    kpis: dict[str, KpiEntry]
    reflection: dict[str, str | None]
    amendments: list[AmendmentEntry]


@dataclass(frozen=True)
class CheckInNotes:
    """A final check-in's private text: its reflection and its notes by (kind, item id)."""

    date: date
    reflection: dict[str, str]  # wins / blockers / focus that are filled in
    notes: list[tuple[str, str, str]]  # ("rating" | "milestone" | "kpi", item id, text)


@dataclass(frozen=True)
class Change:
    """A difference a check-in makes to the state before it (for the review page)."""

    kind: str  # "rating" or "milestone"
    item_id: str
    before: str
    after: str
    direction: int  # +1 up or completed, -1 down, 0 otherwise


@dataclass(frozen=True)
class Comparison:
    """Two check-ins compared: every skill old → new, and milestones completed between."""

    first: CheckInInfo
    second: CheckInInfo
    skills: list[Change]
    completed: list[str]  # milestone ids

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.skills if c.before != c.after]


@dataclass(frozen=True)
class Schedule:
    """Where a profile stands: its last final check-in, the next one due, any draft."""

    last: date | None
    next_due: date
    draft: date | None


class CheckInService:
    def __init__(
        self, store: Store, frameworks: FrameworkService, profiles: ProfileService
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles

    # -- reading -----------------------------------------------------------------

    def all(self, profile_id: str) -> list[CheckInInfo]:
        """Every check-in of a profile, oldest first, with its counts of ratings and changes.

        A final check-in's `changed` counts the skills whose state differs from
        the state before it (a skill never rated counts as 0), found with one
        windowed query rather than by replaying history in Python.
        """
        state = case((Rating.not_applicable, -1), else_=Rating.value)
        sequence = (
            select(
                Rating.checkin_id,
                state.label("state"),
                func.lag(state, 1, 0)
                .over(partition_by=Rating.skill_id, order_by=(CheckIn.date, CheckIn.finalized_at))
                .label("previous"),
            )
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(
                CheckIn.profile_id == profile_id,
                CheckIn.status == "final",
                or_(Rating.value.is_not(None), Rating.not_applicable),
            )
            .subquery()
        )
        changed = (
            select(
                sequence.c.checkin_id,
                func.sum(case((sequence.c.state != sequence.c.previous, 1), else_=0)).label("n"),
            )
            .group_by(sequence.c.checkin_id)
            .subquery()
        )
        counts = (
            select(Rating.checkin_id, func.count().label("n"))
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(CheckIn.profile_id == profile_id)
            .group_by(Rating.checkin_id)
            .subquery()
        )
        query = (
            select(CheckIn, func.coalesce(counts.c.n, 0), func.coalesce(changed.c.n, 0))
            .outerjoin(counts, counts.c.checkin_id == CheckIn.id)
            .outerjoin(changed, changed.c.checkin_id == CheckIn.id)
            .where(CheckIn.profile_id == profile_id)
            .order_by(CheckIn.date, CheckIn.finalized_at.is_(None), CheckIn.finalized_at)
        )
        with self._store.session() as session:
            return [
                CheckInInfo(c.id, c.profile_id, c.date, c.status, c.finalized_at, n, m)
                for c, n, m in session.execute(query)
            ]

    def finals(self, profile_id: str) -> list[CheckInInfo]:
        """Final check-ins in order, without the rating counts (a light query for charts)."""
        with self._store.session() as session:
            return self._finals(session, profile_id)

    def _finals(self, session: Session, profile_id: str) -> list[CheckInInfo]:
        query = (
            select(CheckIn.id, CheckIn.date, CheckIn.finalized_at)
            .where(CheckIn.profile_id == profile_id, CheckIn.status == "final")
            .order_by(CheckIn.date, CheckIn.finalized_at)
        )
        return [
            CheckInInfo(id_, profile_id, day, "final", finalized_at, 0)
            for id_, day, finalized_at in session.execute(query)
        ]

    def last_final_date(self, profile_id: str) -> date | None:
        """The date of the latest final check-in (None before the first)."""
        query = select(func.max(CheckIn.date)).where(
            CheckIn.profile_id == profile_id, CheckIn.status == "final"
        )
        with self._store.session() as session:
            last: date | None = session.scalar(query)
        return last

    def final_span(self, profile_id: str) -> tuple[date, date] | None:
        """The dates of the first and the latest final check-in (None before the first)."""
        query = select(func.min(CheckIn.date), func.max(CheckIn.date)).where(
            CheckIn.profile_id == profile_id, CheckIn.status == "final"
        )
        with self._store.session() as session:
            first, last = session.execute(query).one()
        return (first, last) if first is not None and last is not None else None

    def final_history(self, profile_id: str) -> FinalHistory:
        """Each date with a final check-in, in order, as of the end of that day: the day's
        last check-in, with the ratings (a value or n/a) that the day's check-ins record,
        in the order they were finalised.

        One entry per date, so a series drawn from it has one point per date and a
        day's first check-in never shows as a point of its own.
        """
        return _by_day(self._final_ratings(profile_id))

    def final_histories(self, profile_ids: list[str]) -> dict[str, FinalHistory]:
        """`final_history` of each of several profiles, read in two queries for them all
        (a team's worth of history at once); a profile without final check-ins has []."""
        histories = self._final_ratings_of(profile_ids)
        return {profile_id: _by_day(histories[profile_id]) for profile_id in profile_ids}

    def _final_ratings(self, profile_id: str) -> FinalHistory:
        """Every final check-in in the order finalised, with the ratings it records."""
        return self._final_ratings_of([profile_id])[profile_id]

    def _final_ratings_of(self, profile_ids: list[str]) -> dict[str, FinalHistory]:
        """Each profile's final check-ins in the order finalised, with the ratings each
        records. Two queries whatever the length of the histories: the check-ins in
        order, then all their ratings."""
        finals = (
            select(CheckIn.id, CheckIn.profile_id, CheckIn.date, CheckIn.finalized_at)
            .where(CheckIn.profile_id.in_(profile_ids), CheckIn.status == "final")
            .order_by(CheckIn.profile_id, CheckIn.date, CheckIn.finalized_at)
        )
        query = (
            select(Rating.checkin_id, Rating.skill_id, Rating.value, Rating.not_applicable)
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(
                CheckIn.profile_id.in_(profile_ids),
                CheckIn.status == "final",
                or_(Rating.value.is_not(None), Rating.not_applicable),
            )
        )  # unordered: each rating goes to its check-in, and a check-in rates a skill once
        with self._store.session() as session:  # one transaction: the two reads agree
            checkins = [  # Core rows: cheaper than ORM's
                CheckInInfo(id_, profile_id, day, "final", finalized_at, 0)
                for id_, profile_id, day, finalized_at in session.connection().execute(finals)
            ]
            rows = self._store.plain_rows(session, query)  # a row a rating: plain tuples
        recorded: dict[str, list[RatingChange]] = {c.id: [] for c in checkins}
        for checkin_id, skill_id, value, not_applicable in rows:
            recorded[checkin_id].append((skill_id, value, bool(not_applicable)))
        histories: dict[str, FinalHistory] = {profile_id: [] for profile_id in profile_ids}
        for checkin in checkins:
            histories[checkin.profile_id].append((checkin, recorded[checkin.id]))
        return histories

    def draft(self, profile_id: str) -> CheckInInfo | None:
        """The profile's draft, if one is waiting (a profile has at most one)."""
        query = (
            select(CheckIn, func.count(Rating.id))
            .outerjoin(Rating, Rating.checkin_id == CheckIn.id)
            .where(CheckIn.profile_id == profile_id, CheckIn.status == "draft")
            .group_by(CheckIn.id)
        )
        with self._store.session() as session:
            for c, ratings in session.execute(query):
                return CheckInInfo(c.id, c.profile_id, c.date, c.status, c.finalized_at, ratings)
        return None

    def current_ratings(self, profile_id: str, as_of: date) -> dict[str, CurrentRating]:
        """Each rated skill's latest finalised state on or before `as_of`."""
        rows = self._read(_latest_ratings(), profile_id=profile_id, as_of=as_of)
        return {r.key: CurrentRating(r.value, bool(r.not_applicable), r.date) for r in rows}

    @staticmethod
    def ratings_as_of(history: FinalHistory, as_of: date) -> dict[str, CurrentRating]:
        """`current_ratings(profile_id, as_of)` from the profile's `final_history()`, for a
        caller that has read it already (the Dashboard): each skill's state in the latest
        final check-in on or before `as_of` that rates it, same-day check-ins in the order
        they were finalised, as the windowed query ranks them."""
        current: dict[str, CurrentRating] = {}
        for checkin, ratings in history:  # oldest first, one entry per date
            if checkin.date > as_of:
                break
            for skill_id, value, not_applicable in ratings:
                current[skill_id] = CurrentRating(value, not_applicable, checkin.date)
        return current

    def last_kpi_values(self, profile_id: str, as_of: date) -> dict[str, tuple[float, date]]:
        """Each KPI's latest finalised value on or before `as_of`, with its date."""
        rows = self._read(_latest_kpi_values(), profile_id=profile_id, as_of=as_of)
        return {r.key: (r.value, r.date) for r in rows}

    def kpi_history(self, profile_id: str, kpi_id: str) -> list[tuple[date, float]]:
        """A KPI's values in final check-ins, oldest first."""
        return self.kpi_histories(profile_id, [kpi_id])[kpi_id]

    def kpi_histories(
        self, profile_id: str, kpi_ids: list[str]
    ) -> dict[str, list[tuple[date, float]]]:
        """Each KPI's values in final check-ins, oldest first, read in one query."""
        histories: dict[str, list[tuple[date, float]]] = {kpi_id: [] for kpi_id in kpi_ids}
        for kpi_id, day, value in self._read(_kpi_values(), profile_id=profile_id, kpi_ids=kpi_ids):
            histories[kpi_id].append((day, value))
        return histories

    def rating_history(
        self, profile_id: str, skill_ids: list[str]
    ) -> dict[str, list[tuple[date, int | None]]]:
        """Each skill's ratings in final check-ins, oldest first (None: not applicable)."""
        query = (
            select(Rating.skill_id, CheckIn.date, Rating.value, Rating.not_applicable)
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(
                CheckIn.profile_id == profile_id,
                CheckIn.status == "final",
                Rating.skill_id.in_(skill_ids),
                or_(Rating.value.is_not(None), Rating.not_applicable),
            )
            .order_by(CheckIn.date, CheckIn.finalized_at)
        )
        history: dict[str, list[tuple[date, int | None]]] = {skill: [] for skill in skill_ids}
        with self._store.session() as session:
            rows = session.connection().execute(query).all()
        for skill_id, day, value, not_applicable in rows:
            history[skill_id].append((day, None if not_applicable else value))
        return history

    def notes(self, profile_id: str, start: date, end: date) -> list[CheckInNotes]:
        """Reflections and notes of the final check-ins dated in [start, end], oldest first.

        Four queries for any length of history, instead of one `detail()` per check-in.
        """
        in_period = (
            CheckIn.profile_id == profile_id,
            CheckIn.status == "final",
            CheckIn.date >= start,
            CheckIn.date <= end,
        )
        order = (CheckIn.date, CheckIn.finalized_at)
        found: dict[str, CheckInNotes] = {}
        with self._store.session() as session:
            for row in session.execute(
                select(CheckIn.id, CheckIn.date, *(getattr(CheckIn, f) for f in REFLECTION_FIELDS))
                .where(*in_period)
                .order_by(*order)
            ):
                reflection = {
                    f: text for f, text in zip(REFLECTION_FIELDS, row[2:], strict=True) if text
                }
                found[row[0]] = CheckInNotes(row[1], reflection, [])
            for kind, table, item in (
                ("rating", Rating, Rating.skill_id),
                ("milestone", MilestoneStatus, MilestoneStatus.milestone_id),
                ("kpi", KpiValue, KpiValue.kpi_id),
            ):
                query = (
                    select(table.checkin_id, item, table.note)
                    .join(CheckIn, CheckIn.id == table.checkin_id)
                    .where(*in_period, table.note.is_not(None))
                    .order_by(*order, item)
                )
                for checkin_id, item_id, text in session.execute(query):
                    if text:
                        found[checkin_id].notes.append((kind, item_id, text))
        return [entry for entry in found.values() if entry.reflection or entry.notes]

    def detail(self, checkin_id: str) -> CheckInDetail:
        with self._store.session() as session:
            row = session.get(CheckIn, checkin_id)
            if row is None:
                raise NotFoundError(f"No check-in has the id {checkin_id}.")
            info = CheckInInfo(
                row.id, row.profile_id, row.date, row.status, row.finalized_at, len(row.ratings)
            )
            return CheckInDetail(
                info=info,
                ratings={
                    r.skill_id: RatingEntry(r.value, r.not_applicable, r.confidence, r.note)
                    for r in row.ratings
                },
                milestones={
                    m.milestone_id: MilestoneEntry(m.status, m.status_date, m.note)
                    for m in row.milestones
                },
                kpis={k.kpi_id: KpiEntry(k.value, k.note) for k in row.kpi_values},
                reflection={name: getattr(row, name) for name in REFLECTION_FIELDS},
                amendments=[
                    AmendmentEntry(a.at, a.field, a.old, a.new, a.private) for a in row.amendments
                ],
            )

    def changes(self, checkin_id: str) -> list[Change]:
        """What a draft changes against the current state on its date (ratings, milestones)."""
        detail = self.detail(checkin_id)
        profile_id, day = detail.info.profile_id, detail.info.date
        ratings = self.current_ratings(profile_id, day)
        milestones = self.current_milestones(profile_id, day)
        changes = []
        for skill_id, entry in detail.ratings.items():
            if entry.value is None and not entry.not_applicable:
                continue
            before = _state_text(ratings.get(skill_id))
            after = "n/a" if entry.not_applicable else str(entry.value)
            if before != after:
                changes.append(Change("rating", skill_id, before, after, _direction(before, after)))
        for milestone_id, m_entry in detail.milestones.items():
            old_status = milestones.get(milestone_id)
            before = old_status.status if old_status else "not-started"
            if before != m_entry.status:
                done = m_entry.status == "done"
                changes.append(
                    Change("milestone", milestone_id, before, m_entry.status, 1 if done else 0)
                )
        return changes

    def compare(self, first_id: str, second_id: str) -> Comparison:
        """Two final check-ins side by side: each skill's state just after each was
        finalised (so two check-ins of one day differ by what the second changed), and
        the milestones completed between them."""
        first, second = sorted(
            (self.detail(first_id).info, self.detail(second_id).info),
            key=lambda c: (c.date, c.finalized_at or datetime.max),
        )
        if first.profile_id != second.profile_id:
            raise InvalidInputError("Only check-ins of the same profile can be compared.")
        before: dict[str, tuple[int | None, bool]] = {}
        after: dict[str, tuple[int | None, bool]] = {}
        for checkin, ratings in self._final_ratings(first.profile_id):
            for skill_id, value, not_applicable in ratings:
                after[skill_id] = (value, not_applicable)
            if checkin.id == first.id:
                before = dict(after)
            if checkin.id == second.id:
                break
        skills = []
        for skill_id in sorted(set(before) | set(after)):
            old_text = _pair_text(before.get(skill_id))
            new_text = _pair_text(after.get(skill_id))
            skills.append(
                Change("rating", skill_id, old_text, new_text, _direction(old_text, new_text))
            )
        done = (
            select(MilestoneStatus.checkin_id, MilestoneStatus.milestone_id)
            .join(CheckIn, CheckIn.id == MilestoneStatus.checkin_id)
            .where(CheckIn.profile_id == first.profile_id, MilestoneStatus.status == "done")
        )
        with self._store.session() as session:
            order = [c.id for c in self._finals(session, first.profile_id)]
            rows = session.execute(done).all()
        position = {checkin_id: n for n, checkin_id in enumerate(order)}
        start, end = position[first.id], position[second.id]
        done_before = {m for c, m in rows if c in position and position[c] <= start}
        completed = {m for c, m in rows if c in position and start < position[c] <= end}
        return Comparison(first, second, skills, sorted(completed - done_before))

    def schedule(self, profile_id: str, interval_days: int, role_start: date) -> Schedule:
        query = select(
            func.max(case((CheckIn.status == "final", CheckIn.date))),
            func.max(case((CheckIn.status == "draft", CheckIn.date))),
        ).where(CheckIn.profile_id == profile_id)
        with self._store.session() as session:
            last, draft = session.execute(query).one()
        return Schedule(last, next_due(last, role_start, interval_days), draft)

    def current_milestones(self, profile_id: str, as_of: date) -> dict[str, CurrentMilestone]:
        """Each milestone's latest finalised status on or before `as_of`."""
        rows = self._read(_latest_milestones(), profile_id=profile_id, as_of=as_of)
        return {r.key: CurrentMilestone(r.status, r.date, r.status_date) for r in rows}

    def current_milestones_of(
        self, profile_ids: list[str], as_of: date
    ) -> dict[str, dict[str, CurrentMilestone]]:
        """`current_milestones` of each of several profiles, in one query for them all."""
        found: dict[str, dict[str, CurrentMilestone]] = {p: {} for p in profile_ids}
        rows = self._read(_latest_milestones_of(), profile_ids=profile_ids, as_of=as_of)
        for r in rows:
            found[r.profile_id][r.key] = CurrentMilestone(r.status, r.date, r.status_date)
        return found

    def _read(self, statement: Select[*tuple[Any, ...]], **params: Any) -> list[Any]:
        """The rows of a prepared statement (see `_latest`), as plain Core rows."""
        with self._store.session() as session:
            return list(session.connection().execute(statement, params))

    # -- writing -----------------------------------------------------------------

    def start_draft(self, profile_id: str, on: date | None = None) -> CheckInInfo:
        """The profile's draft, created for `on` (default today) if there is none."""
        if on is not None:
            check_date(on, "check-in date")
        existing = self.draft(profile_id)
        if existing is not None:
            return existing
        self._profiles.get(profile_id)
        with self._store.session() as session:
            check_editable(session, profile_id)
            row = CheckIn(profile_id=profile_id, date=on or date.today(), status="draft")
            session.add(row)
            session.flush()
            return CheckInInfo(row.id, profile_id, row.date, row.status, None, 0)

    def _open(self, session: Session, checkin_id: str) -> CheckIn:
        """The check-in to change, in `session`; refused for a profile shared with you."""
        row = session.get(CheckIn, checkin_id)
        if row is None:
            raise NotFoundError(f"No check-in has the id {checkin_id}.")
        check_editable(session, row.profile_id)
        return row

    def _framework(self, checkin: CheckIn) -> Framework:
        """The framework version in force on the check-in's date (what its fields rate)."""
        stage = self._profiles.get(checkin.profile_id).stage_on(checkin.date)
        return self._frameworks.get(stage.framework, stage.framework_version)

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
            checkin = self._open(session, checkin_id)
            framework = self._framework(checkin)
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
        if status_date is not None:
            check_date(status_date, "milestone status date")
        if status not in MILESTONE_STATUSES:
            raise InvalidInputError(
                f"The milestone status '{status}' is not one of {', '.join(MILESTONE_STATUSES)}."
            )
        with self._store.session() as session:
            checkin = self._open(session, checkin_id)
            framework = self._framework(checkin)
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
            checkin = self._open(session, checkin_id)
            framework = self._framework(checkin)
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
            checkin = self._open(session, checkin_id)
            self._log(checkin, f"reflection.{field}", getattr(checkin, field), text, private=True)
            setattr(checkin, field, text)

    def clear(self, checkin_id: str, kind: str, item_id: str) -> None:
        """Take a skill's rating, a milestone's status or a KPI's value out of a check-in.

        In a draft this means "keep the current state"; in a final check-in the
        removal is logged like any other amendment.
        """
        relation, key = {
            "rating": ("ratings", "skill_id"),
            "milestone": ("milestones", "milestone_id"),
            "kpi": ("kpi_values", "kpi_id"),
        }[kind]
        with self._store.session() as session:
            checkin = self._open(session, checkin_id)
            rows = getattr(checkin, relation)
            for row in [r for r in rows if getattr(r, key) == item_id]:
                main = "status" if kind == "milestone" else "value"
                self._log(
                    checkin, f"{kind}:{item_id}.{main}", getattr(row, main), None, private=False
                )
                if getattr(row, "note", None) is not None:
                    self._log(checkin, f"{kind}:{item_id}.note", row.note, None, private=True)
                rows.remove(row)

    def finalize(self, checkin_id: str) -> None:
        with self._store.session() as session:
            checkin = self._open(session, checkin_id)
            if checkin.status == "final":
                raise InvalidInputError("This check-in is already final.")
            checkin.status = "final"
            checkin.finalized_at = utcnow()

    def delete(self, checkin_id: str) -> None:
        with self._store.session() as session:
            checkin = self._open(session, checkin_id)
            session.delete(checkin)


# Prepared statements: read often (every chart, every Dashboard), built once. A statement
# built per call costs SQLAlchemy more to construct and key for its cache than SQLite
# takes to run it.


def _latest(
    query: Select[*tuple[Any, ...]], key: Any, *, many: bool = False
) -> Select[*tuple[Any, ...]]:
    """`query`'s row of each `key` from the latest final check-in on or before `:as_of`
    (same-day check-ins ordered by when they were finalised), for `:profile_id` (with
    `many`, for each of `:profile_ids`, each row with its `profile_id`)."""
    partition = (CheckIn.profile_id, key) if many else (key,)
    rank = (
        func.row_number()
        .over(partition_by=partition, order_by=(CheckIn.date.desc(), CheckIn.finalized_at.desc()))
        .label("rank")
    )
    whose = (
        CheckIn.profile_id.in_(bindparam("profile_ids", expanding=True))
        if many
        else CheckIn.profile_id == bindparam("profile_id")
    )
    if many:
        query = query.add_columns(CheckIn.profile_id)
    ranked = (
        query.add_columns(rank)
        .where(whose, CheckIn.status == "final", CheckIn.date <= bindparam("as_of"))
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1)


@functools.cache
def _latest_ratings() -> Select[*tuple[Any, ...]]:
    return _latest(
        select(Rating.skill_id.label("key"), Rating.value, Rating.not_applicable, CheckIn.date)
        .join(CheckIn, CheckIn.id == Rating.checkin_id)
        .where(or_(Rating.value.is_not(None), Rating.not_applicable)),
        Rating.skill_id,
    )


@functools.cache
def _latest_kpi_values() -> Select[*tuple[Any, ...]]:
    return _latest(
        select(KpiValue.kpi_id.label("key"), KpiValue.value, CheckIn.date).join(
            CheckIn, CheckIn.id == KpiValue.checkin_id
        ),
        KpiValue.kpi_id,
    )


def _milestone_statuses() -> Select[*tuple[Any, ...]]:
    return select(
        MilestoneStatus.milestone_id.label("key"),
        MilestoneStatus.status,
        MilestoneStatus.status_date,
        CheckIn.date,
    ).join(CheckIn, CheckIn.id == MilestoneStatus.checkin_id)


@functools.cache
def _latest_milestones() -> Select[*tuple[Any, ...]]:
    return _latest(_milestone_statuses(), MilestoneStatus.milestone_id)


@functools.cache
def _latest_milestones_of() -> Select[*tuple[Any, ...]]:
    return _latest(_milestone_statuses(), MilestoneStatus.milestone_id, many=True)


@functools.cache
def _kpi_values() -> Select[*tuple[Any, ...]]:
    """The values of `:kpi_ids` in `:profile_id`'s final check-ins, oldest first."""
    return (
        select(KpiValue.kpi_id, CheckIn.date, KpiValue.value)
        .join(CheckIn, CheckIn.id == KpiValue.checkin_id)
        .where(
            CheckIn.profile_id == bindparam("profile_id"),
            CheckIn.status == "final",
            KpiValue.kpi_id.in_(bindparam("kpi_ids", expanding=True)),
        )
        .order_by(CheckIn.date, CheckIn.finalized_at)
    )


def next_due(last: date | None, role_start: date, interval_days: int) -> date:
    """When the next check-in is due: an interval after the last final one (or the start)."""
    return (last or role_start) + timedelta(days=interval_days)


def _by_day(history: FinalHistory) -> FinalHistory:
    """One entry per date, as of the end of that day: the day's last check-in, with the
    ratings that the day's check-ins record, in the order they were finalised."""
    days: dict[date, tuple[CheckInInfo, list[RatingChange]]] = {}
    for checkin, ratings in history:
        earlier = days[checkin.date][1] if checkin.date in days else []
        days[checkin.date] = (checkin, earlier + ratings)  # the day's last stands for it
    return list(days.values())


def carried_ratings(history: FinalHistory, as_of: date) -> dict[str, CurrentRating]:
    """Each rated skill's state at the end of `as_of`, carried forward through a
    `final_history` (what `current_ratings` reads from the database, for a history
    already read)."""
    current: dict[str, tuple[int | None, bool, date]] = {}
    for checkin, ratings in history:
        day = checkin.date
        if day > as_of:
            break
        for skill_id, value, not_applicable in ratings:
            current[skill_id] = (value, not_applicable, day)
    return {skill_id: CurrentRating(*state) for skill_id, state in current.items()}


NOT_RATED = "not rated"  # a skill with no rating yet: never shown as 0


def _state_text(rating: CurrentRating | None) -> str:
    if rating is None:
        return NOT_RATED
    return "n/a" if rating.not_applicable else str(rating.value)


def _pair_text(state: tuple[int | None, bool] | None) -> str:
    if state is None:
        return NOT_RATED
    value, not_applicable = state
    return "n/a" if not_applicable else str(value)


def _direction(before: str, after: str) -> int:
    """+1 up, -1 down, 0 for a first rating or a change to or from not applicable."""
    if not (before.isdecimal() and after.isdecimal()):
        return 0
    return (int(after) > int(before)) - (int(after) < int(before))
