"""The growth plan service: suggestion ranking, goals, due-soon, learning by quarter, .ics."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from app.errors import InvalidInputError
from app.services import Services
from app.services.plan import quarter_of
from tests.helpers import import_framework, two_dims_data

START = date(2026, 1, 5)
TODAY = date(2026, 3, 15)
MILESTONES = [
    {"id": "m30", "horizon": "30d", "title": "Ship a first fix", "source": "test"},
    {"id": "m90", "horizon": "90d", "title": "Own a component", "source": "test"},
    {"id": "m6", "horizon": "6m", "title": "Lead a project", "source": "test"},
    {"id": "m12", "horizon": "12m", "title": "Mentor someone", "source": "test"},
]


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    """The brief's worked example: B's skill lost 20 points, the Critical skill 15."""
    ref = import_framework(services, tmp_path, two_dims_data(milestones=MILESTONES))
    profile = services.profiles.create(
        name="Zoë", framework=ref, level="junior", target="senior", started=START
    )
    draft = services.checkins.start_draft(profile.id, on=date(2026, 3, 1))
    for skill, value in (("a-critical", 2), ("a-optional", 2), ("b-important", 1)):
        services.checkins.set_rating(draft.id, skill, value)
    services.checkins.set_milestone(draft.id, "m30", "done")
    services.checkins.finalize(draft.id)
    return profile.id


def test_suggestions_rank_largest_gaps_then_milestones_due_next(
    services: Services, profile_id: str
) -> None:
    suggestions = services.plan.suggestions(profile_id, TODAY)
    assert [s.key for s in suggestions] == [
        "gap:b-important",
        "gap:a-critical",
        "milestone:m90",
        "milestone:m6",
    ]
    assert [s.points_lost for s in suggestions[:2]] == pytest.approx([20, 15])
    assert suggestions[0].skills == ("b-important",)
    assert suggestions[2].due == date(2026, 4, 5)  # start + 90 days
    assert "20.0 points lost" in suggestions[0].reason


def test_a_skill_never_rated_is_suggested_as_rate_it_not_grow_it(
    services: Services, tmp_path: Path
) -> None:
    ref = import_framework(services, tmp_path, two_dims_data(milestones=MILESTONES))
    profile = services.profiles.create(
        name="Ada", framework=ref, level="junior", target="senior", started=START
    )
    assert [s.kind for s in services.plan.suggestions(profile.id, TODAY)] == ["milestone"] * 2
    draft = services.checkins.start_draft(profile.id, on=date(2026, 3, 1))
    services.checkins.set_rating(draft.id, "a-critical", 2)
    services.checkins.finalize(draft.id)
    gaps = {s.skills[0]: s for s in services.plan.suggestions(profile.id, TODAY) if s.skills}
    assert gaps["b-important"].title == "Rate B Important"
    assert gaps["b-important"].reason.startswith("Not rated yet: counts as 0")
    assert gaps["a-critical"].title == "Grow A Critical to 3"


def test_open_goals_take_their_skills_and_milestones_out_of_the_suggestions(
    services: Services, profile_id: str
) -> None:
    first = services.plan.suggestions(profile_id, TODAY)[0]
    goal = services.plan.accept(profile_id, first)
    assert goal.status == "planned"
    assert goal.skills == ("b-important",)
    services.plan.add_goal(profile_id, title="Own a component")
    keys = [s.key for s in services.plan.suggestions(profile_id, TODAY)]
    assert keys == ["gap:a-critical", "milestone:m6", "milestone:m12"]
    services.plan.complete(goal.id)  # a done goal no longer serves its skill
    assert services.plan.suggestions(profile_id, TODAY)[0].key == "gap:b-important"


def test_goals_are_validated(services: Services, profile_id: str) -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        services.plan.add_goal(profile_id, title="  ")
    with pytest.raises(InvalidInputError, match="no skill 'nope'"):
        services.plan.add_goal(profile_id, title="Goal", skills=["nope"])
    goal = services.plan.add_goal(profile_id, title="Goal", notes="private 🚀")
    with pytest.raises(InvalidInputError, match="status"):
        services.plan.set_status(goal.id, "finished")
    updated = services.plan.update_goal(
        goal.id,
        title="<b>Zoë</b> & 李雷 🚀",
        skills=["a-optional", "a-critical"],
        due=TODAY,
        status="active",
        notes=None,
    )
    assert (updated.title, updated.skills, updated.status, updated.notes) == (
        "<b>Zoë</b> & 李雷 🚀",
        ("a-optional", "a-critical"),
        "active",
        None,
    )
    assert services.plan.drop(goal.id).status == "dropped"


def test_due_soon_lists_overdue_and_next_30_days_of_open_goals(
    services: Services, profile_id: str
) -> None:
    plan = services.plan
    late = plan.add_goal(profile_id, title="Late", due=TODAY - timedelta(days=1))
    today = plan.add_goal(profile_id, title="Today", due=TODAY, status="active")
    edge = plan.add_goal(profile_id, title="Edge", due=TODAY + timedelta(days=30))
    plan.add_goal(profile_id, title="Later", due=TODAY + timedelta(days=31))
    plan.add_goal(profile_id, title="Undated")
    done = plan.add_goal(profile_id, title="Done", due=TODAY - timedelta(days=3))
    plan.complete(done.id)
    due = plan.due_soon(profile_id, TODAY)
    assert [g.id for g in due.overdue] == [late.id]
    assert [g.id for g in due.upcoming] == [today.id, edge.id]


def test_quarter_count_counts_this_quarters_items(services: Services, profile_id: str) -> None:
    plan = services.plan
    assert quarter_of(TODAY) == "2026-Q1"
    assert plan.quarter_count(profile_id, TODAY) == (0, 0)
    first = plan.add_learning(profile_id, title="Module 1", quarter="2026-Q1")
    plan.add_learning(profile_id, title="Module 2", quarter="2026-Q1")
    plan.add_learning(profile_id, title="Next", quarter="2026-Q2")
    plan.set_learning_done(first.id, True)
    assert plan.quarter_count(profile_id, TODAY) == (1, 2)
    assert plan.quarter_count(profile_id, date(2026, 4, 1)) == (0, 1)
    with pytest.raises(InvalidInputError, match="quarter"):
        plan.add_learning(profile_id, title="Bad", quarter="2026-Q5")


def test_ics_export_reads_back_with_the_right_dates(
    services: Services, profile_id: str, tmp_path: Path
) -> None:
    plan = services.plan
    goal = plan.add_goal(profile_id, title="<b>Zoë</b> & 李雷 🚀", due=date(2026, 5, 2))
    plan.drop(plan.add_goal(profile_id, title="Dropped", due=date(2026, 5, 3)).id)
    path = plan.export_ics(profile_id, tmp_path / "plan.ics", TODAY, count=3)
    assert path.stat().st_mode & 0o777 == 0o600
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events = [(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")]
    # the last check-in was on 1 March; the interval is 30 days
    assert events == [
        ("Rung check-in: Zoë", date(2026, 3, 31)),
        ("Rung check-in: Zoë", date(2026, 4, 30)),
        ("Rung check-in: Zoë", date(2026, 5, 30)),
        ("Goal due: <b>Zoë</b> & 李雷 🚀", date(2026, 5, 2)),
    ]
    assert len({str(e["uid"]) for e in calendar.walk("VEVENT")}) == 4
    assert goal.id in str(list(calendar.walk("VEVENT"))[-1]["uid"])


def test_ics_check_ins_start_today_when_one_is_overdue(services: Services, profile_id: str) -> None:
    later = date(2026, 6, 1)
    assert services.plan.checkin_dates(profile_id, later, 2) == [later, date(2026, 7, 1)]
