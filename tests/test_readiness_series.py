"""Readiness over time: the carried-forward series agrees with `as_of`, in a few queries.

`ReadinessService.over_time` reads the final check-ins and their ratings in one
ordered pass and carries each rating forward in Python. These tests hold it to
the same numbers as the one-date computation, and count the queries it runs
(a fixed number, whatever the history) and the rows they return (each rating
once).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select

from app.services import Services
from app.services.demo import create_demo
from app.store.models import CheckIn, Rating, new_id
from tests.helpers import import_framework, two_dims_data

TODAY = date(2026, 1, 15)
SLACK = 10  # the profile, its stages, a framework snapshot: a few rows whatever the history
QUERIES = 4  # the profile, its stages, the final check-ins, their ratings


def _finals(services: Services, profile_id: str) -> list[Any]:
    return [c for c in services.checkins.all(profile_id) if c.status == "final"]


def _assert_series_matches_as_of(services: Services, profile_id: str) -> list[float | None]:
    """over_time gives, for each final check-in, exactly as_of(its date).readiness."""
    points = services.readiness.over_time(profile_id)
    finals = _finals(services, profile_id)
    assert [p.checkin_id for p in points] == [c.id for c in finals]
    assert len({p.date for p in points}) == len(points)  # one per date, so as_of is that point
    for point in points:
        expected = services.readiness.as_of(profile_id, point.date, with_projection=False)
        assert point.readiness == expected.readiness, point.date
    return [p.readiness for p in points]


def test_over_time_equals_as_of_for_the_demo(services: Services) -> None:
    """Every final check-in of a two-year demo: the SQL series equals the direct formula."""
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=2, today=TODAY
    )
    values = _assert_series_matches_as_of(services, profile_id)
    assert len(values) == 24
    assert all(value is not None for value in values)
    assert len(set(values)) > 5  # the demo moves; a constant series would prove little


def test_over_time_equals_as_of_with_na_and_a_promotion(services: Services, tmp_path: Path) -> None:
    """n/a in and out, a dimension all n/a, and a promotion mid-way: both paths agree."""
    ref = import_framework(services, tmp_path, two_dims_data(milestones=[]))
    profile_id = services.profiles.create(
        name="Alex", framework=ref, level="junior", target="junior", started=date(2025, 1, 1)
    ).id
    history: list[tuple[date, dict[str, int | str]]] = [
        (date(2025, 2, 1), {"a-critical": 1, "a-optional": "n/a", "b-important": 1}),
        (date(2025, 3, 1), {"a-critical": 2}),
        (date(2025, 7, 1), {"a-optional": 2}),  # after the promotion, back from n/a
        (date(2025, 8, 1), {"b-important": "n/a"}),  # B has nothing left: counts fully
        (date(2025, 9, 1), {"a-critical": 3, "b-important": 2}),
    ]
    services.profiles.change_stage(
        profile_id, effective_from=date(2025, 6, 1), framework=ref, level="senior", target="senior"
    )
    for day, ratings in history:
        draft = services.checkins.start_draft(profile_id, day)
        for skill_id, value in ratings.items():
            if isinstance(value, str):
                services.checkins.set_rating(draft.id, skill_id, None, not_applicable=True)
            else:
                services.checkins.set_rating(draft.id, skill_id, value)
        services.checkins.finalize(draft.id)

    values = _assert_series_matches_as_of(services, profile_id)
    # junior: A ½ (a-optional n/a) → 30 + B 40 = 70; A met → 100.
    # senior: A (3·⅔ + 1·1) / 4 = ¾ → 45 + B ½ → 20 = 65; B all n/a → 45 + 40 = 85; all met.
    assert values == [70, 100, 65, 85, 100]
    late = services.readiness.as_of(profile_id, date(2025, 8, 1))
    assert [d.counts_fully for d in late.dimensions] == [False, True]


def test_ratings_as_of_the_history_are_the_current_ratings(
    services: Services, tmp_path: Path
) -> None:
    """The Dashboard takes the verdict's ratings from the history it has read: on every
    date, before the first check-in and after the last, they are the windowed query's,
    with n/a, a rating left as it was, and same-day check-ins (the later one wins)."""
    ref = import_framework(services, tmp_path, two_dims_data(milestones=[]))
    profile_id = services.profiles.create(
        name="Alex", framework=ref, level="junior", target="senior", started=date(2025, 1, 1)
    ).id
    history: list[tuple[date, dict[str, int | str | None]]] = [
        (date(2025, 2, 1), {"a-critical": 1, "a-optional": "n/a"}),
        (date(2025, 3, 1), {"a-critical": 2, "b-important": None}),  # None: not rated
        (date(2025, 3, 1), {"a-critical": 3, "a-optional": 1}),  # the same day, later
        (date(2025, 5, 1), {"b-important": "n/a"}),
        (date(2025, 6, 1), {"b-important": 2, "a-optional": "n/a"}),
    ]
    for day, ratings in history:
        draft = services.checkins.start_draft(profile_id, day)
        for skill_id, value in ratings.items():
            if value == "n/a":
                services.checkins.set_rating(draft.id, skill_id, None, not_applicable=True)
            else:
                rating = None if value is None else int(value)
                services.checkins.set_rating(draft.id, skill_id, rating)
        services.checkins.finalize(draft.id)
    demo = create_demo(services.store, services.frameworks, services.profiles, years=1)

    for profile in (profile_id, demo):
        finals = services.checkins.final_history(profile)
        days = {c.date + timedelta(days=d) for c, _ratings in finals for d in (-1, 0, 1)}
        for day in sorted(days | {date(2024, 1, 1), date(2030, 1, 1)}):
            expected = services.checkins.current_ratings(profile, day)
            assert services.checkins.ratings_as_of(finals, day) == expected, (profile, day)
    on_the_day = services.checkins.ratings_as_of(
        services.checkins.final_history(profile_id), date(2025, 3, 1)
    )
    assert on_the_day["a-critical"].value == 3
    assert on_the_day["a-optional"].value == 1
    assert "b-important" not in on_the_day


# -- queries and rows ---------------------------------------------------------------------------


def _reads(services: Services, action: Callable[[], object]) -> tuple[int, int]:
    """The SELECTs `action` runs, and the rows they return (re-run on a separate connection).

    `cursor.rowcount` is -1 for a SELECT in sqlite3, so each recorded statement
    is executed again with its own parameters and its rows are counted.
    """
    recorded: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        _conn, _cursor, statement, parameters, _context, _many = args
        recorded.append((statement, parameters))

    event.listen(services.store.engine, "after_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(services.store.engine, "after_cursor_execute", record)
    assert recorded, "the listener saw no statement"
    rows = 0
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        for statement, parameters in recorded:
            verb = statement.lstrip().split(None, 1)[0].upper()
            assert verb in {"SELECT", "WITH"}, statement  # over_time only reads
            rows += len(conn.execute(statement, parameters).fetchall())
    return len(recorded), rows


def _rating_rows(services: Services, profile_id: str) -> int:
    with services.store.session() as session:
        query = (
            select(func.count())
            .select_from(Rating)
            .join(CheckIn, CheckIn.id == Rating.checkin_id)
            .where(CheckIn.profile_id == profile_id)
        )
        return int(session.scalar(query) or 0)


def _densify(services: Services, profile_id: str) -> None:
    """Re-rate every skill in every final check-in at its carried-forward value.

    The readiness series cannot change (each skill's state at each check-in is
    the same), only the number of rating rows does.
    """
    skills = [s.id for s in services.frameworks.load("ml-engineer").skills]
    state: dict[str, int] = {}
    rows = []
    with services.store.session() as session:
        for checkin in _finals(services, profile_id):
            query = select(Rating.skill_id, Rating.value).where(Rating.checkin_id == checkin.id)
            rated: dict[str, int | None] = {
                row.skill_id: row.value for row in session.execute(query)
            }
            state.update({k: v for k, v in rated.items() if v is not None})
            for skill_id in skills:
                if skill_id not in rated and skill_id in state:
                    rows.append(
                        {
                            "id": new_id(),
                            "checkin_id": checkin.id,
                            "skill_id": skill_id,
                            "value": state[skill_id],
                            "not_applicable": False,
                            "updated_at": checkin.finalized_at,
                        }
                    )
        session.execute(insert(Rating), rows)


def test_over_time_reads_each_rating_once_in_a_fixed_number_of_queries(
    services: Services,
) -> None:
    """The demo, then the same history with every skill re-rated in every check-in.

    About 2.3× the rating rows and the same readiness series, read with the same
    few queries (the profile and its stages, the check-ins, their ratings); the
    rows returned are each rating once, plus one per check-in and a constant.
    """
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=2, today=TODAY
    )
    readiness = services.readiness
    sparse_points = readiness.over_time(profile_id)  # warms the framework cache
    sparse_queries, sparse_rows = _reads(services, lambda: readiness.over_time(profile_id))
    sparse_ratings = _rating_rows(services, profile_id)

    _densify(services, profile_id)
    dense_points = readiness.over_time(profile_id)
    dense_queries, dense_rows = _reads(services, lambda: readiness.over_time(profile_id))
    dense_ratings = _rating_rows(services, profile_id)

    checkins = len(_finals(services, profile_id))
    assert dense_points == sparse_points
    assert dense_ratings >= 2.2 * sparse_ratings  # the premise: 864 vs 376 rating rows
    assert sparse_queries == dense_queries <= QUERIES
    assert sparse_rows <= sparse_ratings + checkins + SLACK
    assert dense_rows <= dense_ratings + checkins + SLACK
    assert dense_rows - sparse_rows == dense_ratings - sparse_ratings


def _bulk_history(services: Services, profile_id: str, days: list[date], skills: list[str]) -> None:
    """Final check-ins on `days`, each rating `skills` (values varying), in one transaction."""
    checkins, ratings = [], []
    for index, day in enumerate(days):
        checkin_id = new_id()
        at = datetime.combine(day, time(18))
        checkins.append(
            {
                "id": checkin_id,
                "profile_id": profile_id,
                "date": day,
                "status": "final",
                "finalized_at": at,
                "created_at": at,
                "updated_at": at,
            }
        )
        for position, skill_id in enumerate(skills):
            ratings.append(
                {
                    "id": new_id(),
                    "checkin_id": checkin_id,
                    "skill_id": skill_id,
                    "value": (index + position) % 5,
                    "not_applicable": False,
                    "updated_at": at,
                }
            )
    with services.store.session() as session:
        session.execute(insert(CheckIn), checkins)
        session.execute(insert(Rating), ratings)


def test_the_queries_do_not_grow_with_the_history(services: Services) -> None:
    """Two years of monthly check-ins rating every skill, and the first year alone: the
    same queries, and the rows grow with the ratings read, not faster."""
    framework = services.frameworks.load("ml-engineer")
    skills = [s.id for s in framework.skills]
    days = [date(2024, 1, 1) + timedelta(days=30 * i) for i in range(24)]
    reads = {}
    for name, history in (("all", days), ("half", days[:12])):
        profile_id = services.profiles.create(
            name=name,
            framework="ml-engineer",
            level="junior-ml-engineer",
            target="ml-engineer",
            started=date(2023, 12, 1),
        ).id
        _bulk_history(services, profile_id, history, skills)
        services.readiness.over_time(profile_id)
        reads[name] = _reads(services, lambda p=profile_id: services.readiness.over_time(p))
    (all_queries, all_rows), (half_queries, half_rows) = reads["all"], reads["half"]
    assert all_queries == half_queries <= QUERIES
    assert all_rows - half_rows == 12 * len(skills) + 12  # the second year's ratings, check-ins
