"""Dates are bounded to 1900-01-01 … 2199-12-31 wherever they enter, so date arithmetic
(milestone horizons, the next check-in, the projection) never overflows.

Python's dates end at 9999-12-31: before the bounds, a role start of 9999-12-31
was stored and then crashed readiness, the report and the Dashboard with an
OverflowError.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.dates import MAX_DATE, MAX_INTERVAL_DAYS, MIN_DATE, check_date, check_interval
from app.errors import InvalidInputError
from app.framework.model import Horizon
from app.milestones import due_date
from app.readiness import projection_text
from app.report.model import ReportOptions
from app.report.service import ReportService
from app.services import Services
from app.services.evidence import EvidenceInfo
from app.services.profiles import StageChange
from tests.helpers import import_framework, report_framework

FAR = [date(9999, 12, 31), date(1, 1, 1), date(1899, 12, 31), date(2200, 1, 1)]
ALLOWED = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)


def test_the_bounds_and_their_sentence() -> None:
    assert check_date(MIN_DATE) == MIN_DATE
    assert check_date(MAX_DATE) == MAX_DATE
    with pytest.raises(InvalidInputError) as exc:
        check_date(date(9999, 12, 31), "role start date")
    assert str(exc.value) == (
        "The role start date 9999-12-31 is not between 1900-01-01 and 2199-12-31."
    )
    assert check_interval(MAX_INTERVAL_DAYS) == 366
    with pytest.raises(InvalidInputError, match="between 1 and 366 days"):
        check_interval(367)


# -- every service that takes a date refuses one outside the bounds ----------------------


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    ref = import_framework(services, tmp_path, report_framework())
    return services.profiles.create(
        name="Zoë", framework=ref, level="junior", target="senior", started=date(2026, 1, 5)
    ).id


def _content(services: Services) -> list[str]:
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        return list(conn.iterdump())


def _refusals(services: Services, profile_id: str) -> dict[str, Callable[[date], Any]]:
    """Each way a service takes a date, as a call with that date."""
    profiles, checkins, evidence, plan = (
        services.profiles,
        services.checkins,
        services.evidence,
        services.plan,
    )
    ref = services.profiles.get(profile_id).framework
    draft = checkins.start_draft(profile_id, on=date(2026, 2, 1))
    entry = evidence.add(profile_id, day=date(2026, 2, 1), title="Shipped")
    goal = plan.add_goal(profile_id, title="Lead", due=date(2026, 6, 1))
    return {
        "role start date": lambda day: profiles.create(
            name="Pat", framework=ref, level="junior", target="senior", started=day
        ),
        "role start date ": lambda day: profiles.update_details(
            profile_id, name="Zoë", interval_days=30, manager=None, role_start=day
        ),
        "promotion date": lambda day: profiles.change_stage(
            profile_id, effective_from=day, framework=ref, level="senior", target="senior"
        ),
        "promotion date ": lambda day: profiles.update_details(
            profile_id,
            name="Zoë",
            interval_days=30,
            manager=None,
            role_start=date(2026, 1, 5),
            stage=StageChange(day, ref, "senior", "senior"),
        ),
        "milestone status date": lambda day: checkins.set_milestone(
            draft.id, "m30", "done", status_date=day
        ),
        "evidence date": lambda day: evidence.add(profile_id, day=day, title="Far"),
        "evidence date ": lambda day: evidence.update(entry.id, day=day, title="Far"),
        "evidence date  ": lambda day: evidence.add_many(
            profile_id, [EvidenceInfo("", profile_id, day, "Far", None, None, False, ())]
        ),
        "goal's due date": lambda day: plan.add_goal(profile_id, title="Far", due=day),
        "goal's due date ": lambda day: plan.update_goal(
            goal.id, title="Lead", skills=(), due=day, status="planned", notes=None
        ),
    }


@pytest.mark.parametrize("day", FAR, ids=str)
def test_services_refuse_dates_outside_the_bounds(
    services: Services, profile_id: str, day: date
) -> None:
    calls = _refusals(services, profile_id)
    before = _content(services)
    for what, call in calls.items():
        with pytest.raises(InvalidInputError) as exc:
            call(day)
        assert str(exc.value) == (
            f"The {what.strip()} {day.isoformat()} is not between 1900-01-01 and 2199-12-31."
        )
    assert _content(services) == before


def test_a_check_in_date_outside_the_bounds_is_refused(services: Services, profile_id: str) -> None:
    """Checked before the draft is looked up: no draft is made, and none is returned."""
    before = _content(services)
    for day in FAR:
        with pytest.raises(InvalidInputError, match=r"check-in date .* is not between"):
            services.checkins.start_draft(profile_id, on=day)
    assert _content(services) == before
    assert services.checkins.draft(profile_id) is None


# -- arithmetic on any allowed date stays in range ---------------------------------------


@given(ALLOWED, st.sampled_from(get_args(Horizon)))
def test_every_milestone_due_date_of_an_allowed_start_exists(start: date, horizon: str) -> None:
    due = due_date(start, horizon)  # type: ignore[arg-type]
    assert start < due <= MAX_DATE + timedelta(days=366)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=ALLOWED, interval=st.integers(min_value=1, max_value=MAX_INTERVAL_DAYS), today=ALLOWED)
def test_the_next_check_ins_of_an_allowed_start_exist(
    services: Services, start: date, interval: int, today: date
) -> None:
    """Next due = last (or the role start) + interval; no check-ins for this id."""
    schedule = services.checkins.schedule("no-such-profile", interval, start)
    assert schedule.next_due == start + timedelta(days=interval)


@pytest.mark.parametrize("start", [MIN_DATE, MAX_DATE], ids=str)
def test_a_profile_at_either_end_of_the_calendar_works_everywhere(
    services: Services, tmp_path: Path, start: date
) -> None:
    """Readiness, the schedule, the plan's calendar and the report, at the extremes."""
    ref = import_framework(services, tmp_path, report_framework())
    profile = services.profiles.create(
        name="Edge",
        framework=ref,
        level="junior",
        target="senior",
        started=start,
        interval_days=MAX_INTERVAL_DAYS,
    )
    draft = services.checkins.start_draft(profile.id, on=start)
    services.checkins.set_rating(draft.id, "a-critical", 1)
    services.checkins.set_milestone(draft.id, "m6", "in-progress", status_date=start)
    services.checkins.finalize(draft.id)
    services.evidence.add(profile.id, day=start, title="Edge case")
    services.plan.add_goal(profile.id, title="Edge goal", due=start)
    for day in (MIN_DATE, start, MAX_DATE):
        readiness = services.readiness.as_of(profile.id, day)
        projection_text(readiness)
    schedule = services.checkins.schedule(profile.id, MAX_INTERVAL_DAYS, start)
    assert schedule.next_due == start + timedelta(days=MAX_INTERVAL_DAYS)
    assert services.plan.checkin_dates(profile.id, MAX_DATE, 12)[-1] > MAX_DATE
    assert b"Edge goal" in services.plan.calendar(profile.id, MAX_DATE)
    services.plan.suggestions(profile.id, start)
    content = ReportService(services).content(profile.id, ReportOptions(), today=MAX_DATE)
    assert content is not None
