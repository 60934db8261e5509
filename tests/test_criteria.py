"""Promotion criteria: status by the brief's rules, and "sustained since", on made-up histories."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.criteria import CriterionSkill, status_of, sustained_since, whole_months
from app.framework.model import Framework, FrameworkProblems
from app.services import Services
from tests.helpers import import_framework, two_dims_data, two_dims_skill

# Three levels; the criteria of the first step (junior → mid) and of the second (mid → senior).
SKILLS = [
    two_dims_skill("a1", "a", "critical", 2, 3),
    two_dims_skill("a2", "a", "important", 2, 3),
    two_dims_skill("b1", "b", "important", 1, 2),
    two_dims_skill("b2", "b", "optional", 0, 0),
]
CRITERIA = [
    {"id": "ship", "text": "Ships on their own", "skills": ["a1", "a2", "b1"], "source": "t"},
    {"id": "legacy", "text": "Knows the legacy", "skills": ["b2"], "source": "t"},
    {"id": "lead", "text": "Leads others", "skills": ["a1"], "source": "t", "step": "senior"},
]


def framework_data() -> dict[str, Any]:
    data = copy.deepcopy(two_dims_data(SKILLS))
    data["levels"] = [
        {"id": "junior", "name": "Junior"},
        {"id": "mid", "name": "Mid"},
        {"id": "senior", "name": "Senior"},
    ]
    for skill in data["skills"]:  # mid expects what senior did in the two-level ladder
        skill["expected"] = {
            "junior": skill["expected"]["junior"],
            "mid": skill["expected"]["senior"],
            "senior": skill["expected"]["senior"] + (1 if skill["id"] == "a1" else 0),
        }
    data["promotion_criteria"] = copy.deepcopy(CRITERIA)
    return data


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    ref = import_framework(services, tmp_path, framework_data())
    return services.profiles.create(
        name="Zoë", framework=ref, level="junior", target="mid", started=date(2026, 1, 1)
    ).id


def check_in(services: Services, profile_id: str, day: date, ratings: dict[str, Any]) -> None:
    draft = services.checkins.start_draft(profile_id, day)
    for skill, value in ratings.items():
        if value == "n/a":
            services.checkins.set_rating(draft.id, skill, None, not_applicable=True)
        else:
            services.checkins.set_rating(draft.id, skill, value)
    services.checkins.finalize(draft.id)


def by_id(services: Services, profile_id: str, day: date) -> dict[str, Any]:
    return {s.id: s for s in services.criteria.statuses(profile_id, day)}


@pytest.mark.parametrize(
    ("ratings", "status"),
    [
        ((3, 3, 2), "met"),
        ((3, 2, 2), "partly"),  # the brief's example: one is at 3, so partly
        ((2, 2, 1), "partly"),  # none at expectation, every one within one point
        ((1, 1, 1), "not-met"),  # none at expectation, and 1 is two below 3
        ((3, None, 2), "not-rated"),
    ],
)
def test_status_follows_the_rules(ratings: tuple[int | None, ...], status: str) -> None:
    skills = [
        CriterionSkill(f"s{n}", f"S{n}", rating, expected)
        for n, (rating, expected) in enumerate(zip(ratings, (3, 3, 2), strict=True))
    ]
    assert status_of(skills) == status


def test_met_lost_and_met_again_is_sustained_from_the_last_time(
    services: Services, profile_id: str
) -> None:
    check_in(services, profile_id, date(2026, 2, 1), {"a1": 3, "a2": 3, "b1": 2})  # met
    check_in(services, profile_id, date(2026, 3, 1), {"a2": 2})  # lost: partly
    check_in(services, profile_id, date(2026, 4, 10), {"a2": 3})  # met again
    check_in(services, profile_id, date(2026, 6, 1), {"b1": 2})  # still met
    ship = by_id(services, profile_id, date(2026, 9, 15))["ship"]
    assert (ship.status, ship.sustained_since, ship.sustained_months) == (
        "met",
        date(2026, 4, 10),
        5,
    )
    assert by_id(services, profile_id, date(2026, 3, 15))["ship"].sustained_since is None
    early = by_id(services, profile_id, date(2026, 2, 20))["ship"]
    assert (early.sustained_since, early.sustained_months) == (date(2026, 2, 1), 0)


def test_a_never_rated_skill_makes_it_not_rated_yet(services: Services, profile_id: str) -> None:
    check_in(services, profile_id, date(2026, 2, 1), {"a1": 3, "a2": 3})
    ship = by_id(services, profile_id, date(2026, 2, 1))["ship"]
    assert (ship.status, ship.words, ship.sustained_since) == ("not-rated", "not rated yet", None)


def test_a_criterion_whose_skills_are_all_left_out_is_not_shown(
    services: Services, profile_id: str
) -> None:
    """`legacy`'s one skill is expected 0 at mid: left out, so the criterion is not shown;
    a skill marked not applicable is left out the same way."""
    check_in(services, profile_id, date(2026, 2, 1), {"a1": 3, "a2": "n/a", "b1": 2})
    shown = by_id(services, profile_id, date(2026, 2, 1))
    assert set(shown) == {"ship"}  # `lead` belongs to the next step up, beyond the target
    assert [s.id for s in shown["ship"].skills] == ["a1", "b1"]
    assert shown["ship"].status == "met"


def test_criteria_of_every_step_up_to_the_target_are_shown_grouped_by_step(
    services: Services, profile_id: str
) -> None:
    framework = services.profiles.get(profile_id).framework
    services.profiles.change_stage(
        profile_id,
        effective_from=date(2026, 1, 1),
        framework=framework,
        level="junior",
        target="senior",
    )
    check_in(services, profile_id, date(2026, 2, 1), {"a1": 3, "a2": 3, "b1": 2})
    shown = services.criteria.statuses(profile_id, date(2026, 2, 1))
    assert [(s.id, s.step, s.status) for s in shown] == [
        ("ship", ("junior", "mid"), "met"),
        ("lead", ("mid", "senior"), "partly"),  # a1 expected 4 at senior: 3 is within one
    ]


def test_calibrated_statuses_take_the_assessors_ratings(
    services: Services, profile_id: str
) -> None:
    check_in(services, profile_id, date(2026, 2, 1), {"a1": 3, "a2": 3, "b1": 2})
    calibrations = {"a1": 1, "a2": 1, "b1": 0}
    [ship] = services.criteria.statuses(profile_id, date(2026, 2, 1), calibrations=calibrations)
    assert (ship.status, ship.sustained_since) == ("not-met", None)


def test_a_step_must_lead_to_a_level_above_the_first() -> None:
    data = framework_data()
    data["promotion_criteria"][0]["step"] = "junior"
    with pytest.raises(FrameworkProblems, match="the step must be a level above the first"):
        Framework.model_validate(data)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 0),
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2026, 3, 1), date(2026, 12, 7), 9),
    ],
)
def test_whole_months(start: date, end: date, months: int) -> None:
    assert whole_months(start, end) == months


def test_sustained_since_needs_every_date_to_hold() -> None:
    days = [(date(2026, 1, d), holds) for d, holds in ((1, True), (2, False), (3, True))]
    assert sustained_since(days, date(2026, 1, 3)) == date(2026, 1, 3)
    assert sustained_since(days, date(2026, 1, 2)) is None
    assert sustained_since([], date(2026, 1, 2)) is None
