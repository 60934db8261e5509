"""A profile shared by its owner is read-only: every writer refuses and changes nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from app.errors import ReadOnlyError
from app.services import Services
from app.services.evidence import Tag
from app.services.profiles import StageChange
from app.store.models import Profile
from tests.conftest import folder_digest
from tests.helpers import private_profile

# The public methods of each service that write a profile's data, and those that only
# read or compute. A new method fails `test_every_public_method_is_classified` until it
# is put in one list (and, if it writes, it refuses to touch a shared profile).
WRITERS = {
    "checkins": {"start_draft", "set_rating", "set_milestone", "set_kpi", "set_reflection",
                 "clear", "finalize", "delete"},
    "evidence": {"add", "add_many", "update", "delete", "link", "unlink"},
    "plan": {"add_goal", "update_goal", "set_status", "complete", "drop", "delete_goal",
             "accept", "add_learning", "update_learning", "set_learning_done",
             "delete_learning"},
    "profiles": {"update_details", "change_stage"},
}  # fmt: skip
READERS = {
    "checkins": {"all", "finals", "draft", "current_ratings", "last_kpi_values", "kpi_history",
                 "kpi_histories", "rating_history", "final_history", "final_histories",
                 "current_milestones_of", "final_span",
                 "last_final_date", "notes", "ratings_as_of",
                 "detail",
                 "changes", "compare", "schedule", "current_milestones"},
    "evidence": {"get", "search", "for_skill", "by_skill", "links", "linked", "rated_skills"},
    "plan": {"goals", "goal", "due_soon", "suggestions", "learning", "quarter_count",
             "checkin_dates", "calendar", "export_ics"},
    "profiles": {"all", "get", "create", "new_row", "resolve", "delete"},
}  # fmt: skip


def _public(service: object) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(type(service), inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_public_method_is_classified(services: Services) -> None:
    for name in WRITERS:
        assert _public(getattr(services, name)) == WRITERS[name] | READERS[name], name


@pytest.fixture
def shared(services: Services, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A profile with data of every kind, then marked as shared by its owner."""
    profile_id = private_profile(services, tmp_path)  # bundles carry no drafts: nor does this
    ids = {
        "final": services.checkins.finals(profile_id)[0].id,
        "evidence": services.evidence.search(profile_id)[0].id,
        "goal": services.plan.goals(profile_id)[0].id,
        "learning": services.plan.learning(profile_id)[0].id,
    }
    with services.store.session() as session:
        session.execute(update(Profile).where(Profile.id == profile_id).values(origin="shared"))
    return profile_id, ids


def _writes(services: Services, profile_id: str, ids: dict[str, str]) -> list[Callable[[], Any]]:
    c, e, p, pr = services.checkins, services.evidence, services.plan, services.profiles
    day = date(2026, 6, 2)
    suggestion = p.suggestions(profile_id, day)[0]
    return [
        lambda: c.start_draft(profile_id, on=day),
        lambda: c.set_rating(ids["final"], "a-critical", 3),  # an amendment
        lambda: c.set_milestone(ids["final"], "m6", "done"),
        lambda: c.set_kpi(ids["final"], "prs", 5),
        lambda: c.set_reflection(ids["final"], "wins", "changed"),
        lambda: c.clear(ids["final"], "rating", "a-critical"),
        lambda: c.finalize(ids["final"]),
        lambda: c.delete(ids["final"]),
        lambda: e.add(profile_id, day=day, title="New"),
        lambda: e.add_many(profile_id, [e.get(ids["evidence"])]),
        lambda: e.update(ids["evidence"], day=day, title="Changed"),
        lambda: e.delete(ids["evidence"]),
        lambda: e.link(ids["final"], "b-important", ids["evidence"]),
        lambda: e.unlink(ids["final"], "a-critical", ids["evidence"]),
        lambda: p.add_goal(profile_id, title="New goal"),
        lambda: p.update_goal(ids["goal"], title="X", skills=[], due=None, status="active",
                              notes=None),
        lambda: p.set_status(ids["goal"], "active"),
        lambda: p.complete(ids["goal"]),
        lambda: p.drop(ids["goal"]),
        lambda: p.delete_goal(ids["goal"]),
        lambda: p.accept(profile_id, suggestion),
        lambda: p.add_learning(profile_id, title="New", quarter="2026-Q3"),
        lambda: p.update_learning(ids["learning"], title="X", quarter="2026-Q3", notes=None),
        lambda: p.set_learning_done(ids["learning"], True),
        lambda: p.delete_learning(ids["learning"]),
        lambda: pr.update_details(profile_id, name="X", interval_days=7, manager=None,
                                  role_start=day),
        lambda: pr.change_stage(profile_id, effective_from=day, framework="two-dims",
                                level="senior", target="senior"),
        lambda: pr.update_details(profile_id, name="X", interval_days=7, manager=None,
                                  role_start=day, stage=StageChange(day, "two-dims", "senior",
                                                                    "senior")),
    ]  # fmt: skip


def test_every_writer_refuses_a_shared_profile_and_changes_nothing(
    services: Services, shared: tuple[str, dict[str, str]], data_dir: Path
) -> None:
    profile_id, ids = shared
    writes = _writes(services, profile_id, ids)
    writers_called = len(writes)
    assert writers_called >= sum(len(names) for names in WRITERS.values())
    before = folder_digest(data_dir)
    for write in writes:
        with pytest.raises(ReadOnlyError, match="Zoë shared this profile with you"):
            write()
    assert folder_digest(data_dir) == before


def test_a_shared_profile_can_still_be_read_reported_and_deleted(
    services: Services, shared: tuple[str, dict[str, str]]
) -> None:
    profile_id, _ids = shared
    assert services.profiles.get(profile_id).shared
    assert services.readiness.as_of(profile_id, date(2026, 6, 15)).readiness == 85
    assert services.evidence.search(profile_id, tag=Tag("skill", "a-critical"))
    services.profiles.delete(profile_id)
    assert services.profiles.all() == []
