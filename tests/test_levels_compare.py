"""The level diff ("what do I need for promotion?") and comparing two check-ins."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import InvalidInputError
from app.levels import level_diff
from app.services import Services


def test_level_diff_lists_what_is_new_raised_and_the_criteria(services: Services) -> None:
    framework = services.frameworks.load("ml-engineer")
    diff = level_diff(framework, "junior-ml-engineer", "ml-engineer")
    assert (diff.lower, diff.higher) == ("Junior ML Engineer", "ML Engineer")
    assert len(diff.skills) == len(framework.skills)
    by_id = {s.id: s for s in diff.skills}
    for skill in framework.skills:
        row = by_id[skill.id]
        before, after = skill.expected["junior-ml-engineer"], skill.expected["ml-engineer"]
        assert (row.lower, row.higher) == (before, after)
        expected_change = (
            ("same" if after else "not expected")
            if before == after
            else "new"
            if before == 0
            else "raised"
            if after > before
            else "lowered"
        )
        assert row.change == expected_change
    assert by_id["python-ml-engineering"].change == "raised"
    assert by_id["mlops-patterns"].change == "new"
    assert {s.id for s in diff.changed} == {
        s.id for s in diff.skills if s.change in {"new", "raised", "lowered"}
    }
    step = framework.criteria_of_step("ml-engineer")  # only the criteria of this step
    assert [c.text for c in diff.criteria] == [c.text for c in step]
    assert {c.step for c in diff.criteria} == {"ML Engineer"}
    assert all(criterion.skills for criterion in diff.criteria)
    dimensions = [s.dimension for s in diff.skills]
    assert dimensions == sorted(
        dimensions, key=[d.name for d in framework.dimensions].index
    )  # grouped by dimension, in framework order


def test_any_two_levels_compare_in_either_order(services: Services) -> None:
    framework = services.frameworks.load("ml-engineer@1.1")
    ids = [level.id for level in framework.levels]
    up = level_diff(framework, "junior-ml-engineer", "staff-ml-engineer")
    down = level_diff(framework, "staff-ml-engineer", "junior-ml-engineer")
    assert up == down  # the lower level comes first whichever is named first
    assert (up.lower, up.higher) == ("Junior ML Engineer", "Staff ML Engineer")
    for row in up.skills:
        skill = framework.skill(row.id)
        assert (row.lower, row.higher) == (
            skill.expected.get("junior-ml-engineer", 0),
            skill.expected.get("staff-ml-engineer", 0),
        )
        assert row.change != "lowered"  # expectations never fall on the way up this ladder
    # every step's criteria, lowest step first
    expected = [c.text for to in ids[1:] for c in framework.criteria_of_step(to)]
    assert [c.text for c in up.criteria] == expected
    assert [c.step for c in up.criteria][-1] == "Staff ML Engineer"
    same = level_diff(framework, "ml-engineer", "ml-engineer")
    assert same.criteria == []
    assert not same.changed


def _final(services: Services, profile_id: str, day: date, ratings: dict[str, int]) -> str:
    draft = services.checkins.start_draft(profile_id, day)
    for skill_id, value in ratings.items():
        services.checkins.set_rating(draft.id, skill_id, value)
    return draft.id


def test_comparing_two_check_ins_shows_deltas_and_completed_milestones(
    services: Services,
) -> None:
    profile = services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 1),
    )
    first = _final(
        services, profile.id, date(2026, 2, 1), {"python-ml-engineering": 1, "sql-fundamentals": 3}
    )
    services.checkins.set_milestone(first, "30d-run-pipeline", "in-progress")
    services.checkins.finalize(first)
    middle = _final(services, profile.id, date(2026, 3, 1), {"python-ml-engineering": 2})
    services.checkins.set_milestone(middle, "30d-run-pipeline", "done")
    services.checkins.finalize(middle)
    last = _final(
        services, profile.id, date(2026, 4, 1), {"sql-fundamentals": 2, "ml-fundamentals": 2}
    )
    services.checkins.finalize(last)

    comparison = services.checkins.compare(last, first)  # either order
    assert (comparison.first.id, comparison.second.id) == (first, last)
    changed = {c.item_id: (c.before, c.after, c.direction) for c in comparison.changed}
    assert changed == {
        "python-ml-engineering": ("1", "2", 1),
        "sql-fundamentals": ("3", "2", -1),
        "ml-fundamentals": ("not rated", "2", 0),  # a first rating, not a rise from 0
    }
    assert comparison.completed == ["30d-run-pipeline"]


def test_check_ins_of_different_profiles_cannot_be_compared(services: Services) -> None:
    ids = []
    for name in ("Ada", "Bo"):
        profile = services.profiles.create(
            name=name, framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
        )
        checkin = _final(services, profile.id, date(2026, 2, 1), {"sql-fundamentals": 1})
        services.checkins.finalize(checkin)
        ids.append(checkin)
    with pytest.raises(InvalidInputError, match="same profile"):
        services.checkins.compare(*ids)
