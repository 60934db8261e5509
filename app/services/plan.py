"""The growth plan: goals tied to skills, learning items by quarter, and suggestions.

Suggestions come from the readiness engine's largest gaps (points lost) and
from the framework's milestones due next. Each has a stable key; dismissing
one is the caller's business (nothing about suggestions is stored).
The calendar export writes the next check-in dates and open goals' due dates
as an iCalendar file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import check_date
from app.errors import InvalidInputError, NotFoundError
from app.files import atomic_write
from app.milestones import due_date
from app.services.checkins import CheckInService
from app.services.frameworks import FrameworkService
from app.services.profiles import ProfileService, check_editable
from app.services.readiness import ReadinessService
from app.store.db import Store
from app.store.models import GOAL_STATUSES as GOAL_STATUSES
from app.store.models import Goal, GoalSkill, LearningItem
from app.text import check_name, check_text

if TYPE_CHECKING:
    import icalendar

OPEN_STATUSES = ("planned", "active")
DUE_SOON_DAYS = 30
GAP_SUGGESTIONS = 3
MILESTONE_SUGGESTIONS = 2
GAP_GOAL_DAYS = 90  # a goal suggested for a gap is due in a quarter
MILESTONE_DONE = ("done", "not-applicable")


@dataclass(frozen=True)
class GoalInfo:
    id: str
    profile_id: str
    title: str
    skills: tuple[str, ...]
    due: date | None
    status: str
    notes: str | None  # private

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class LearningInfo:
    id: str
    profile_id: str
    title: str
    target_quarter: str
    done: bool
    notes: str | None


@dataclass(frozen=True)
class Suggestion:
    """A goal the plan proposes; `key` stays the same while its reason holds."""

    key: str
    kind: str  # "gap" or "milestone"
    title: str
    skills: tuple[str, ...]
    due: date
    reason: str
    points_lost: float = 0.0


@dataclass(frozen=True)
class DueSoon:
    overdue: list[GoalInfo]
    upcoming: list[GoalInfo]  # due today or in the next 30 days


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def check_quarter(value: str) -> str:
    parts = value.split("-Q")
    if (
        len(parts) != 2
        or len(parts[0]) != 4
        or not parts[0].isdigit()
        or parts[1] not in ("1", "2", "3", "4")
    ):
        raise InvalidInputError(f"'{value}' is not a quarter such as 2026-Q3.")
    return value


def _goal_info(row: Goal) -> GoalInfo:
    return GoalInfo(
        row.id,
        row.profile_id,
        row.title,
        tuple(s.skill_id for s in row.skills),
        row.due,
        row.status,
        row.notes,
    )


def _learning_info(row: LearningItem) -> LearningInfo:
    return LearningInfo(row.id, row.profile_id, row.title, row.target_quarter, row.done, row.notes)


class PlanService:
    def __init__(
        self,
        store: Store,
        frameworks: FrameworkService,
        profiles: ProfileService,
        checkins: CheckInService,
        readiness: ReadinessService,
    ) -> None:
        self._store = store
        self._frameworks = frameworks
        self._profiles = profiles
        self._checkins = checkins
        self._readiness = readiness

    # -- goals -------------------------------------------------------------------

    def goals(self, profile_id: str) -> list[GoalInfo]:
        """The profile's goals: open ones first, then by due date (none last) and title."""
        with self._store.session() as session:
            rows = session.scalars(select(Goal).where(Goal.profile_id == profile_id)).all()
            goals = [_goal_info(r) for r in rows]
        return sorted(
            goals,
            key=lambda g: (not g.open, g.due is None, g.due or date.max, g.title.casefold()),
        )

    def goal(self, goal_id: str) -> GoalInfo:
        with self._store.session() as session:
            return _goal_info(self._goal_row(session, goal_id))

    @staticmethod
    def _goal_row(session: Session, goal_id: str) -> Goal:
        row = session.get(Goal, goal_id)
        if row is None:
            raise NotFoundError(f"No goal has the id {goal_id}.")
        return row

    @classmethod
    def _editable_goal(cls, session: Session, goal_id: str) -> Goal:
        row = cls._goal_row(session, goal_id)
        check_editable(session, row.profile_id)
        return row

    def _check_skills(self, profile_id: str, skills: tuple[str, ...] | list[str]) -> list[str]:
        profile = self._profiles.get(profile_id)
        framework = self._frameworks.get(profile.framework, profile.framework_version)
        known = {s.id for s in framework.skills}
        unknown = [s for s in skills if s not in known]
        if unknown:
            raise InvalidInputError(f"The framework has no skill '{unknown[0]}'.")
        return list(dict.fromkeys(skills))

    @staticmethod
    def _check_status(status: str) -> str:
        if status not in GOAL_STATUSES:
            raise InvalidInputError(
                f"The goal status '{status}' is not one of {', '.join(GOAL_STATUSES)}."
            )
        return status

    def add_goal(
        self,
        profile_id: str,
        *,
        title: str,
        skills: tuple[str, ...] | list[str] = (),
        due: date | None = None,
        status: str = "planned",
        notes: str | None = None,
    ) -> GoalInfo:
        title = check_name(title, "goal title")
        notes = check_text(notes, "goal notes")
        status = self._check_status(status)
        if due is not None:
            check_date(due, "goal's due date")
        skill_ids = self._check_skills(profile_id, skills)
        with self._store.session() as session:
            check_editable(session, profile_id)
            row = Goal(profile_id=profile_id, title=title, due=due, status=status, notes=notes)
            row.skills = [GoalSkill(skill_id=s) for s in skill_ids]
            session.add(row)
            session.flush()
            return _goal_info(row)

    def update_goal(
        self,
        goal_id: str,
        *,
        title: str,
        skills: tuple[str, ...] | list[str],
        due: date | None,
        status: str,
        notes: str | None,
    ) -> GoalInfo:
        title = check_name(title, "goal title")
        notes = check_text(notes, "goal notes")
        status = self._check_status(status)
        if due is not None:
            check_date(due, "goal's due date")
        profile_id = self.goal(goal_id).profile_id
        skill_ids = self._check_skills(profile_id, skills)
        with self._store.session() as session:
            row = self._editable_goal(session, goal_id)
            row.title, row.due, row.status, row.notes = title, due, status, notes
            existing = {s.skill_id: s for s in row.skills}
            row.skills = [existing.get(s) or GoalSkill(skill_id=s) for s in skill_ids]
            session.flush()
            return _goal_info(row)

    def set_status(self, goal_id: str, status: str) -> GoalInfo:
        """Move a goal to another status (any move is allowed: a done goal can be reopened)."""
        status = self._check_status(status)
        with self._store.session() as session:
            row = self._editable_goal(session, goal_id)
            row.status = status
            session.flush()
            return _goal_info(row)

    def complete(self, goal_id: str) -> GoalInfo:
        return self.set_status(goal_id, "done")

    def drop(self, goal_id: str) -> GoalInfo:
        return self.set_status(goal_id, "dropped")

    def delete_goal(self, goal_id: str) -> None:
        with self._store.session() as session:
            session.delete(self._editable_goal(session, goal_id))

    def due_soon(self, profile_id: str, today: date) -> DueSoon:
        """Open goals past their due date, and those due within the next 30 days."""
        open_goals = [g for g in self.goals(profile_id) if g.open and g.due is not None]
        horizon = today + timedelta(days=DUE_SOON_DAYS)
        return DueSoon(
            overdue=[g for g in open_goals if g.due is not None and g.due < today],
            upcoming=[g for g in open_goals if g.due is not None and today <= g.due <= horizon],
        )

    # -- suggestions -------------------------------------------------------------

    def suggestions(self, profile_id: str, today: date) -> list[Suggestion]:
        """Goals to propose: the largest gaps (most points lost) not served by an open
        goal, then the milestones not yet done, the soonest due first.

        A skill never rated is a gap only because it counts as 0: it is proposed as
        "Rate X", never "Grow X". Before the first final check-in there are no gaps.
        """
        open_goals = [g for g in self.goals(profile_id) if g.open]
        served = {s for g in open_goals for s in g.skills}
        titles = {g.title.casefold() for g in open_goals}
        readiness = self._readiness.as_of(profile_id, today, with_projection=False)
        gaps = sorted(
            (
                s
                for s in readiness.skills
                if readiness.readiness is not None and s.points_lost > 0 and s.id not in served
            ),
            key=lambda s: (-s.points_lost, s.name.casefold(), s.id),
        )
        result = [
            Suggestion(
                key=f"gap:{skill.id}",
                kind="gap",
                title=(
                    f"Grow {skill.name} to {skill.expected}"
                    if skill.rated
                    else f"Rate {skill.name}"
                ),
                skills=(skill.id,),
                due=today + timedelta(days=GAP_GOAL_DAYS),
                reason=(
                    f"Largest gap: {skill.points_lost:.1f} points lost"
                    if skill.rated
                    else f"Not rated yet: counts as 0, {skill.points_lost:.1f} points lost"
                ),
                points_lost=skill.points_lost,
            )
            for skill in gaps[:GAP_SUGGESTIONS]
        ]
        profile = self._profiles.get(profile_id)
        framework = self._frameworks.get(profile.framework, profile.framework_version)
        states = self._checkins.current_milestones(profile_id, today)
        pending = sorted(
            (
                (due_date(profile.role_start, m.horizon), m)
                for m in framework.milestones
                if (states[m.id].status if m.id in states else "not-started") not in MILESTONE_DONE
                and m.title.casefold() not in titles
            ),
            key=lambda pair: (pair[0], pair[1].id),
        )
        for due, milestone in pending[:MILESTONE_SUGGESTIONS]:
            when = "overdue since" if due < today else "due"
            result.append(
                Suggestion(
                    key=f"milestone:{milestone.id}",
                    kind="milestone",
                    title=milestone.title,
                    skills=(),
                    due=max(due, today),
                    reason=f"Milestone ({milestone.horizon}) {when} {due.isoformat()}",
                )
            )
        return result

    def accept(self, profile_id: str, suggestion: Suggestion) -> GoalInfo:
        """Turn a suggestion into a planned goal as it stands."""
        return self.add_goal(
            profile_id, title=suggestion.title, skills=suggestion.skills, due=suggestion.due
        )

    # -- learning items ----------------------------------------------------------

    def learning(self, profile_id: str, quarter: str | None = None) -> list[LearningInfo]:
        query = select(LearningItem).where(LearningItem.profile_id == profile_id)
        if quarter is not None:
            query = query.where(LearningItem.target_quarter == check_quarter(quarter))
        with self._store.session() as session:
            items = [_learning_info(r) for r in session.scalars(query)]
        return sorted(items, key=lambda i: (i.target_quarter, i.done, i.title.casefold()))

    def add_learning(
        self, profile_id: str, *, title: str, quarter: str, notes: str | None = None
    ) -> LearningInfo:
        title = check_name(title, "learning item title")
        notes = check_text(notes, "learning notes")
        self._profiles.get(profile_id)
        with self._store.session() as session:
            check_editable(session, profile_id)
            row = LearningItem(
                profile_id=profile_id,
                title=title,
                target_quarter=check_quarter(quarter),
                notes=notes,
            )
            session.add(row)
            session.flush()
            return _learning_info(row)

    def _learning_row(self, session: Session, item_id: str) -> LearningItem:
        row = session.get(LearningItem, item_id)
        if row is None:
            raise NotFoundError(f"No learning item has the id {item_id}.")
        check_editable(session, row.profile_id)
        return row

    def update_learning(
        self, item_id: str, *, title: str, quarter: str, notes: str | None
    ) -> LearningInfo:
        title = check_name(title, "learning item title")
        notes = check_text(notes, "learning notes")
        with self._store.session() as session:
            row = self._learning_row(session, item_id)
            row.title, row.target_quarter, row.notes = title, check_quarter(quarter), notes
            session.flush()
            return _learning_info(row)

    def set_learning_done(self, item_id: str, done: bool) -> LearningInfo:
        with self._store.session() as session:
            row = self._learning_row(session, item_id)
            row.done = done
            session.flush()
            return _learning_info(row)

    def delete_learning(self, item_id: str) -> None:
        with self._store.session() as session:
            session.delete(self._learning_row(session, item_id))

    def quarter_count(self, profile_id: str, day: date) -> tuple[int, int]:
        """(done, total) learning items targeted at the quarter `day` falls in."""
        items = self.learning(profile_id, quarter_of(day))
        return sum(i.done for i in items), len(items)

    # -- calendar ----------------------------------------------------------------

    def checkin_dates(self, profile_id: str, today: date, count: int) -> list[date]:
        """The next `count` check-in dates: every interval from the last final check-in
        (or the role start), the first one due on or after `today` (an overdue one is
        moved to today)."""
        profile = self._profiles.get(profile_id)
        interval = profile.checkin_interval_days
        first = self._checkins.schedule(profile_id, interval, profile.role_start).next_due
        first = max(first, today)
        return [first + timedelta(days=interval * n) for n in range(count)]

    def calendar(self, profile_id: str, today: date, count: int = 12) -> bytes:
        """An iCalendar file: the next check-ins and every open goal's due date."""
        import icalendar  # only here: with `importlib.metadata`, ~30 ms of every start

        profile = self._profiles.get(profile_id)
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Rung//Growth plan//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"Rung: {profile.name}")
        stamp = datetime.now(UTC)
        for day in self.checkin_dates(profile_id, today, count):
            uid = f"checkin-{profile_id}-{day.isoformat()}"
            cal.add_component(_event(uid, f"Rung check-in: {profile.name}", day, stamp))
        for goal in self.goals(profile_id):
            if goal.open and goal.due is not None:
                summary = f"Goal due: {goal.title}"
                cal.add_component(_event(f"goal-{goal.id}", summary, goal.due, stamp))
        return bytes(cal.to_ical())

    def export_ics(self, profile_id: str, path: Path, today: date, count: int = 12) -> Path:
        """Write `calendar()` to `path` atomically, owner-only."""
        atomic_write(path, self.calendar(profile_id, today, count), data_dir=self._store.data_dir)
        return path


def _event(uid: str, summary: str, day: date, stamp: datetime) -> icalendar.Event:
    """An all-day event on `day`."""
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"{uid}@rung.local")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", stamp)
    return event
