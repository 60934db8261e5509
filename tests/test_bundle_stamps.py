"""A bundle's timestamps change only when something it carries changes.

Exported without private text at the same instant, a profile edited only in
private (a note, a reflection, a private evidence entry) gives the same file,
byte for byte; an edit the bundle carries moves the stamp of the record it
changed, and only that one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from app.bundle.export import build_bundle, bundle_bytes
from app.bundle.model import Payload
from app.services import Services
from app.services.evidence import EvidenceInfo
from app.services.plan import GoalInfo, LearningInfo
from tests.helpers import CANARIES, private_profile

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
Edit = Callable[[Services, "Zoe"], Any]


class Zoe:
    """`private_profile`'s records, by what they are."""

    def __init__(self, services: Services, profile_id: str) -> None:
        self.id = profile_id
        self.first, self.second = (c.id for c in services.checkins.finals(profile_id))
        entries = {e.private: e for e in services.evidence.search(profile_id)}
        self.shared: EvidenceInfo = entries[False]
        self.private: EvidenceInfo = entries[True]
        [self.goal] = services.plan.goals(profile_id)
        [self.learning] = services.plan.learning(profile_id)


def _entry(services: Services, entry: EvidenceInfo, **changes: Any) -> None:
    fields = {
        "day": entry.date,
        "title": entry.title,
        "description": entry.description,
        "link": entry.link,
        "private": entry.private,
        "tags": entry.tags,
    }
    services.evidence.update(entry.id, **(fields | changes))


def _goal(services: Services, goal: GoalInfo, **changes: Any) -> None:
    fields = {
        "title": goal.title,
        "skills": goal.skills,
        "due": goal.due,
        "status": goal.status,
        "notes": goal.notes,
    }
    services.plan.update_goal(goal.id, **(fields | changes))


def _learning(services: Services, item: LearningInfo, **changes: Any) -> None:
    fields = {"title": item.title, "quarter": item.target_quarter, "notes": item.notes}
    services.plan.update_learning(item.id, **(fields | changes))


PRIVATE_EDITS: dict[str, Edit] = {
    "a rating note": lambda s, z: s.checkins.set_rating(z.first, "a-critical", 2, note="Again"),
    "a milestone note": lambda s, z: s.checkins.set_milestone(z.first, "m30", "done", note="Hm"),
    "a KPI note": lambda s, z: s.checkins.set_kpi(z.first, "prs", 3, note="Slow week"),
    "a reflection": lambda s, z: s.checkins.set_reflection(z.first, "wins", "Shipped it"),
    "a reflection cleared": lambda s, z: s.checkins.set_reflection(z.first, "focus", None),
    "goal notes": lambda s, z: _goal(s, z.goal, notes="Talked to Sam"),
    "learning notes": lambda s, z: _learning(s, z.learning, notes="Chapter 3"),
    "a private entry": lambda s, z: _entry(s, z.private, title="Renamed", link=None),
    "a private entry linked": lambda s, z: s.evidence.link(z.first, "a-critical", z.private.id),
    "a private entry deleted": lambda s, z: s.evidence.delete(z.private.id),
}


def _link_then(edit: Edit) -> Edit:
    def both(services: Services, zoe: Zoe) -> None:
        services.evidence.link(zoe.first, "a-critical", zoe.private.id)
        stamps = shared_stamps(services, zoe.id)
        edit(services, zoe)
        assert shared_stamps(services, zoe.id) == stamps

    return both


PRIVATE_EDITS |= {
    "a private entry unlinked": _link_then(
        lambda s, z: s.evidence.unlink(z.first, "a-critical", z.private.id)
    ),
    "a linked private entry deleted": _link_then(lambda s, z: s.evidence.delete(z.private.id)),
}

# An edit a shared bundle carries, and the records whose stamp it moves.
PUBLIC_EDITS: dict[str, tuple[Edit, set[str]]] = {
    "a rating": (lambda s, z: s.checkins.set_rating(z.second, "b-important", 3), {"second"}),
    "a rating cleared": (
        lambda s, z: s.checkins.clear(z.second, "rating", "b-important"), {"second"}
    ),
    "a milestone": (
        lambda s, z: s.checkins.set_milestone(
            z.first, "m30", "in-progress", note=CANARIES["milestone note"]
        ),
        {"first"},
    ),
    "a shared entry linked": (
        lambda s, z: s.evidence.link(z.second, "b-important", z.shared.id),
        {"second"},
    ),
    "a linked shared entry made private": (
        lambda s, z: (
            s.evidence.link(z.first, "a-optional", z.shared.id),
            _entry(s, z.shared, private=True),
        ),
        {"first"},
    ),
    "a shared entry renamed": (lambda s, z: _entry(s, z.shared, title="Renamed"), {"shared"}),
    "a goal's title": (lambda s, z: _goal(s, z.goal, title="Lead two launches"), {"goal"}),
    "a goal's skills": (lambda s, z: _goal(s, z.goal, skills=["b-important"]), {"goal"}),
    "a learning item done": (
        lambda s, z: s.plan.set_learning_done(z.learning.id, True), {"learning"}
    ),
}  # fmt: skip


def shared_bundle(services: Services, profile_id: str, *, private: bool = False) -> bytes:
    bundle = build_bundle(services.store, profile_id, include_private=private, now=NOW)
    return bundle_bytes(bundle)


def _stamps(payload: Payload, zoe: Zoe | None = None) -> dict[str, datetime]:
    """Each record's `updated_at`, by the name `Zoe` gives it (or its id)."""
    names = {}
    if zoe is not None:
        names = {
            zoe.first: "first",
            zoe.second: "second",
            zoe.shared.id: "shared",
            zoe.private.id: "private",
            zoe.goal.id: "goal",
            zoe.learning.id: "learning",
        }
    records: list[Any] = [*payload.checkins, *payload.evidence, *payload.goals, *payload.learning]
    stamps = {names.get(r.id, r.id): r.updated_at for r in records}
    return stamps | {"profile": payload.profile.updated_at}


def shared_stamps(services: Services, profile_id: str) -> dict[str, datetime]:
    return _stamps(build_bundle(services.store, profile_id, include_private=False).payload)


@pytest.fixture
def zoe(services: Services, tmp_path: Path) -> Zoe:
    return Zoe(services, private_profile(services, tmp_path))


@pytest.mark.parametrize("edit", PRIVATE_EDITS.values(), ids=list(PRIVATE_EDITS))
def test_a_private_edit_changes_nothing_in_a_bundle_without_private_text(
    services: Services, zoe: Zoe, edit: Edit
) -> None:
    before = shared_bundle(services, zoe.id)
    full = shared_bundle(services, zoe.id, private=True)
    edit(services, zoe)
    assert shared_bundle(services, zoe.id) == before
    assert shared_bundle(services, zoe.id, private=True) != full  # the edit did happen


def test_a_bundle_with_private_text_shows_a_private_edit_on_its_record(
    services: Services, zoe: Zoe
) -> None:
    payload = build_bundle(services.store, zoe.id, include_private=True).payload
    before = _stamps(payload, zoe)
    services.checkins.set_rating(zoe.first, "a-critical", 2, note="Again")
    _goal(services, zoe.goal, notes="Talked to Sam")
    after = _stamps(build_bundle(services.store, zoe.id, include_private=True).payload, zoe)
    assert {name for name in after if after[name] != before[name]} == {"first", "goal"}
    assert after["first"] > before["first"]


@pytest.mark.parametrize(("edit", "moved"), PUBLIC_EDITS.values(), ids=list(PUBLIC_EDITS))
def test_an_edit_the_bundle_carries_moves_the_stamp_of_its_record(
    services: Services, zoe: Zoe, edit: Edit, moved: set[str]
) -> None:
    payload = build_bundle(services.store, zoe.id, include_private=False).payload
    before = _stamps(payload, zoe)
    edit(services, zoe)
    after = _stamps(build_bundle(services.store, zoe.id, include_private=False).payload, zoe)
    changed = {name for name in after if name in before and after[name] != before[name]}
    assert changed == moved
    assert all(after[name] > before[name] for name in moved)


def test_a_promotion_moves_the_profiles_stamp(services: Services, zoe: Zoe) -> None:
    before = shared_stamps(services, zoe.id)["profile"]
    services.profiles.change_stage(
        zoe.id, effective_from=date(2026, 7, 1), framework="two-dims", level="senior",
        target="senior",
    )  # fmt: skip
    assert shared_stamps(services, zoe.id)["profile"] > before
