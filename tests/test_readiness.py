"""The readiness formula (PRODUCT.md, "Readiness — the one formula"), pinned by hand.

Unit tests call `app.readiness.compute` and `project` on small frameworks built
in code; the rest go through the real services on a real SQLite file, so that
carry-forward, same-day ordering, stages and imported frameworks are covered
the way the app uses them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import update

from app.dates import MAX_DATE, MIN_DATE
from app.framework.model import Framework
from app.milestones import due_date
from app.readiness import (
    NOT_ASSESSABLE,
    Gate,
    MilestoneState,
    Point,
    Projection,
    Readiness,
    SkillState,
    band_for,
    compute,
    not_rated_text,
    project,
    projection_text,
)
from app.services import Services
from app.store.models import CheckIn
from tests.helpers import WORKED_SKILLS, import_framework, two_dims_data, two_dims_skill

Rated = int | str | None  # a value, "n/a", or None (a rating row without a value)

TODAY = date(2026, 3, 15)


# -- building frameworks and ratings ---------------------------------------------------------


def _framework(
    skills: list[dict[str, Any]] | None = None, milestones: list[dict[str, Any]] | None = None
) -> Framework:
    return Framework.model_validate(two_dims_data(skills, milestones))


def _states(ratings: dict[str, Rated]) -> dict[str, SkillState]:
    return {
        skill: SkillState(value if isinstance(value, int) else None, value == "n/a")
        for skill, value in ratings.items()
    }


def _compute(
    framework: Framework,
    ratings: dict[str, Rated],
    *,
    target: str = "senior",
    role_start: date = date(2026, 1, 1),
    as_of: date = TODAY,
    milestones: dict[str, str] | None = None,
    assessed: bool = True,
) -> Readiness:
    return compute(
        framework,
        profile_id="p",
        level="junior",
        target=target,
        role_start=role_start,
        as_of=as_of,
        ratings=_states(ratings),
        milestones={k: MilestoneState(v) for k, v in (milestones or {}).items()},
        assessed=assessed,
    )


def _skills(result: Readiness) -> dict[str, Any]:
    return {skill.id: skill for skill in result.skills}


# -- the brief's worked examples -------------------------------------------------------------


def test_first_worked_example_scores_65_with_a_critical_gate() -> None:
    """PRODUCT.md's first example, number by number: 65, 0.75 / 0.5, lost 15 / 0 / 20."""
    result = _compute(_framework(), {"a-critical": 2, "a-optional": 2, "b-important": 1})

    assert result.readiness_exact == "65"
    assert result.readiness == 65
    assert [(d.id, d.score, d.contribution) for d in result.dimensions] == [
        ("a", 0.75, 45),
        ("b", 0.5, 20),
    ]
    assert not any(d.counts_fully for d in result.dimensions)
    skills = _skills(result)
    assert skills["a-critical"].attainment == pytest.approx(2 / 3, abs=1e-12)
    assert skills["a-optional"].attainment == 1
    assert skills["b-important"].attainment == 0.5
    assert {k: s.points_lost for k, s in skills.items()} == {
        "a-critical": 15,
        "a-optional": 0,
        "b-important": 20,
    }
    assert sum(s.points_lost for s in result.skills) == 100 - 65
    assert [gap.id for gap in result.gaps] == ["b-important", "a-critical"]
    assert [(g.kind, g.id) for g in result.gates] == [("critical-skill", "a-critical")]
    assert result.gates[0].detail == "Critical skill rated 2, expected 3"
    assert (result.band, result.verdict, result.held_back) == ("Not yet", "Not yet", False)


def test_second_worked_example_100_held_back_by_an_overdue_milestone() -> None:
    """100 but a 90-day milestone due last month is in progress: capped at Approaching."""
    framework = _framework()
    ratings: dict[str, Rated] = {"a-critical": 3, "a-optional": 2, "b-important": 2}
    start = date(2025, 11, 20)  # + 90 days = 2026-02-18, last month
    result = _compute(framework, ratings, role_start=start, milestones={"m90": "in-progress"})

    assert result.readiness_exact == "100"
    assert result.band == "Ready"
    assert result.verdict == "Approaching"
    assert result.held_back is True
    assert [(g.kind, g.id, g.name) for g in result.gates] == [
        ("overdue-milestone", "m90", "Own a component")
    ]
    assert result.gates[0].detail == "due 2026-02-18, in progress"
    assert result.gaps == []

    done = _compute(framework, ratings, role_start=start, milestones={"m90": "done"})
    assert (done.verdict, done.held_back, done.gates) == ("Ready", False, [])


# -- the property: points lost add up to 100 − readiness ---------------------------------------


@st.composite
def _random_case(draw: st.DrawFn, force_na: bool) -> tuple[Framework, dict[str, SkillState]]:
    """A random valid framework (1–4 dimensions, 1–3 criticalities) with random ratings."""
    n_dims = draw(st.integers(1, 4))
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=n_dims - 1, max_size=n_dims - 1)))
    bounds = [0, *cuts, 100]
    top = draw(st.integers(1, 5))
    crit_weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=3))
    skills, ratings = [], {}
    for index in range(draw(st.integers(1, 10))):
        skill_id = f"s{index}"
        skills.append(
            two_dims_skill(
                skill_id,
                f"d{draw(st.integers(0, n_dims - 1))}",
                f"c{draw(st.integers(0, len(crit_weights) - 1))}",
                draw(st.integers(0, top)),
                draw(st.integers(0, top)),
            )
        )
        kind = draw(st.sampled_from(["missing", "never", "value", "value", "n/a"]))
        if kind == "never":
            ratings[skill_id] = SkillState(None)
        elif kind == "value":
            ratings[skill_id] = SkillState(draw(st.integers(0, top)))
        elif kind == "n/a":
            ratings[skill_id] = SkillState(None, True)
    if force_na:
        forced = f"s{draw(st.integers(0, len(skills) - 1))}"
        ratings[forced] = SkillState(None, True)
    data = two_dims_data(skills, [])
    data["rating_scale"] = [
        {"value": v, "label": f"L{v}", "anchor": f"A{v}"} for v in range(top + 1)
    ]
    data["dimensions"] = [
        {"id": f"d{i}", "name": f"D{i}", "weight": bounds[i + 1] - bounds[i], "source": "t"}
        for i in range(n_dims)
    ]
    data["criticalities"] = [
        {"id": f"c{i}", "name": f"C{i}", "weight": w, "critical": i == 0}
        for i, w in enumerate(crit_weights)
    ]
    return Framework.model_validate(data), ratings


def _reference(framework: Framework, ratings: dict[str, SkillState]) -> Fraction | None:
    """The formula written out again, independently, straight from PRODUCT.md."""
    weight = {c.id: c.weight for c in framework.criticalities}
    total, assessable = Fraction(0), False
    for dimension in framework.dimensions:
        num, den = Fraction(0), 0
        for skill in framework.skills:
            expected = skill.expected["senior"]
            state = ratings.get(skill.id, SkillState(None))
            if skill.dimension != dimension.id or expected == 0 or state.not_applicable:
                continue
            num += weight[skill.criticality] * min(Fraction(state.value or 0, expected), 1)
            den += weight[skill.criticality]
        assessable = assessable or den > 0
        total += dimension.weight * (num / den if den else 1)
    return total if assessable else None


@pytest.mark.parametrize("force_na", [False, True])
@given(data=st.data())
def test_points_lost_add_up_to_100_minus_readiness(force_na: bool, data: st.DataObject) -> None:
    """For any framework and ratings (n/a too), Σ points lost = 100 − readiness, exactly."""
    framework, ratings = data.draw(_random_case(force_na))
    result = compute(
        framework,
        profile_id="p",
        level="junior",
        target="senior",
        role_start=TODAY,
        as_of=TODAY,
        ratings=ratings,
        milestones={},
    )
    expected = _reference(framework, ratings)
    if expected is None:
        assert (result.readiness, result.verdict) == (None, NOT_ASSESSABLE)
        return
    assert result.readiness_exact is not None
    assert result.readiness is not None
    assert Fraction(result.readiness_exact) == expected
    assert 0 <= result.readiness <= 100
    assert abs(sum(s.points_lost for s in result.skills) - (100 - result.readiness)) <= 1e-9
    assert all(s.points_lost >= 0 for s in result.skills)
    assert all(s.points_lost == 0 for s in result.skills if s.not_applicable)
    assert result.band == framework.verdict_bands[band_for(framework, expected)].name


# -- hand-made cases ----------------------------------------------------------------------------

SEVENTY: dict[str, Rated] = {
    # python-engineering: all met → 1
    "python-ml-engineering": 3,
    "software-engineering-basics": 3,
    "api-service-fundamentals": 3,
    "linux-scripting": 3,
    # ml-fundamentals: (3·⅓ + 3·⅓) / 6 = ⅓, the Important E2 skill n/a (⅓ is not reachable
    # with it counted: 3a + 3b + 2c is a whole number, 8/3 is not)
    "ml-fundamentals": 1,
    "scikit-learn": 1,
    "deep-learning-framework": "n/a",
    # data-skills, production-mindset: all at the top of the scale → 1
    **dict.fromkeys(
        [
            "pandas-numpy",
            "sql-fundamentals",
            "data-validation",
            "feature-stores",
            "distributed-data-processing",
            "docker",
            "workflow-orchestration",
            "experiment-tracking",
            "mlops-patterns",
            "model-monitoring",
            "kubernetes",
            "performance-optimization",
            "ml-governance",
            "operational-discipline",
            "ethical-judgment",
        ],
        4,
    ),
    # problem-solving, five Important skills: (1 + ⅔ + 0 + 0 + 0) / 5 = ⅓
    "structured-problem-solving": 3,
    "ownership-mindset": 2,
    "time-management": 0,
    "attention-to-detail": 0,
    "learning-agility": 0,
    # communication-collaboration: all 1 of 3 → ⅓
    "written-communication": 1,
    "collaboration-feedback": 1,
    "stakeholder-empathy": 1,
}


def test_exactly_70_with_the_builtin_weights_is_approaching(services: Services) -> None:
    """25 + 20/3 + 15 + 15 + 15/3 + 10/3 = 70 exactly: on the threshold, so Approaching."""
    framework = services.frameworks.load("ml-engineer")
    result = _compute(framework, SEVENTY, target="ml-engineer")

    assert [d.id for d in result.dimensions] == [
        "python-engineering",
        "ml-fundamentals",
        "data-skills",
        "production-mindset",
        "problem-solving",
        "communication-collaboration",
    ]
    assert [d.score for d in result.dimensions] == pytest.approx([1, 1 / 3, 1, 1, 1 / 3, 1 / 3])
    assert result.readiness_exact == "70"
    assert (result.band, result.verdict, result.held_back) == ("Approaching", "Approaching", False)

    # The same through the services: one final check-in, as of its date and over time.
    profile_id = _profile(services, "ml-engineer", level="junior-ml-engineer", target="ml-engineer")
    _check_in(services, profile_id, date(2025, 3, 1), SEVENTY)
    stored = services.readiness.as_of(profile_id, date(2025, 3, 1))
    assert (stored.readiness_exact, stored.band) == ("70", "Approaching")
    assert [p.readiness for p in services.readiness.over_time(profile_id)] == [70]


def test_a_critical_gate_holds_back_a_ready_score() -> None:
    """85 — exactly the Ready threshold — with a Critical skill below E: band Ready, verdict not."""
    framework = _framework()
    result = _compute(framework, {"a-critical": 2, "a-optional": 2, "b-important": 2})

    assert result.readiness_exact == "85"
    assert (result.band, result.verdict, result.held_back) == ("Ready", "Approaching", True)
    assert [(g.kind, g.id) for g in result.gates] == [("critical-skill", "a-critical")]

    met = _compute(framework, {"a-critical": 3, "a-optional": 2, "b-important": 2})
    assert (met.verdict, met.held_back, met.gates) == ("Ready", False, [])


def test_a_never_rated_critical_skill_counts_as_zero_and_gates() -> None:
    """A skill never rated counts as 0 (not left out) and a Critical one gates the verdict."""
    result = _compute(_framework(), {"a-optional": 2, "b-important": 2})

    assert result.readiness_exact == "55"  # A: (3·0 + 1·1) / 4 = ¼ → 15; B: 40
    assert _skills(result)["a-critical"].points_lost == 45
    assert result.gates[0].detail == "Critical skill not rated yet, expected 3"
    assert not _skills(result)["a-critical"].rated
    assert _skills(result)["a-optional"].rated
    assert result.not_rated == 1
    assert not_rated_text(result) == (
        "1 of 3 skills expected at the target is not rated yet; it counts as 0 until rated."
    )


def test_before_any_final_check_in_there_are_no_scores_gates_or_gaps() -> None:
    """Not assessable: null dimension scores and contributions, no gates, no gaps."""
    framework = _framework()
    result = compute(
        framework,
        profile_id="p",
        level="junior",
        target="senior",
        role_start=date(2025, 1, 1),  # a Critical skill below expectation, yet no gate
        as_of=date(2026, 6, 1),
        ratings={},
        milestones={},
        assessed=False,
    )
    assert (result.readiness, result.verdict) == (None, NOT_ASSESSABLE)
    assert [(d.score, d.contribution) for d in result.dimensions] == [(None, None)] * 2
    assert (result.gates, result.gaps) == ([], [])
    assert not_rated_text(result) is None


def test_a_skill_expected_at_zero_is_ignored() -> None:
    """E = 0 at the target: no attainment, no points lost, no gate, even if Critical and 0."""
    skills = [*WORKED_SKILLS, two_dims_skill("a-legacy", "a", "critical", 1, 0)]
    framework = _framework(skills)
    ratings: dict[str, Rated] = {"a-critical": 3, "a-optional": 2, "b-important": 2}

    for legacy in (0, 4, None):
        result = _compute(framework, {**ratings, "a-legacy": legacy})
        assert result.readiness_exact == "100"
        assert "a-legacy" not in _skills(result)
        assert result.gates == []

    # At the junior target the same skill is expected (E 1): rated 0 it counts and gates.
    junior = _compute(framework, {**ratings, "a-legacy": 0}, target="junior")
    assert junior.readiness_exact == "520/7"  # A: (3·1 + 1·1 + 3·0) / 7 → 240/7, B: 40
    assert [g.id for g in junior.gates] == ["a-legacy"]


def test_not_applicable_is_left_out_and_its_dimension_renormalised() -> None:
    """An n/a skill drops out of its dimension's weights; an all-n/a dimension counts fully."""
    skills = [*WORKED_SKILLS, two_dims_skill("b-optional", "b", "optional", 1, 2)]
    framework = _framework(skills)
    full_a: dict[str, Rated] = {"a-critical": 3, "a-optional": 2}

    rated_zero = _compute(framework, {**full_a, "b-important": 1, "b-optional": 0})
    assert rated_zero.readiness_exact == "220/3"  # B: (2·½ + 1·0) / 3 = ⅓ → 40/3

    left_out = _compute(framework, {**full_a, "b-important": 1, "b-optional": "n/a"})
    assert left_out.readiness_exact == "80"  # B: 2·½ / 2 = ½ → 20
    b_optional = _skills(left_out)["b-optional"]
    assert (b_optional.not_applicable, b_optional.rating, b_optional.attainment) == (
        True,
        None,
        None,
    )
    assert b_optional.points_lost == 0
    assert _skills(left_out)["b-important"].points_lost == 20  # 40 × 2/2 × ½

    all_na = _compute(framework, {**full_a, "b-important": "n/a", "b-optional": "n/a"})
    assert all_na.readiness_exact == "100"
    assert [(d.id, d.score, d.counts_fully) for d in all_na.dimensions] == [
        ("a", 1, False),
        ("b", 1, True),
    ]


def test_a_dimension_with_nothing_expected_counts_fully() -> None:
    """No skill of B is expected at the target: B counts fully and says so."""
    skills = [*WORKED_SKILLS[:2], two_dims_skill("b-later", "b", "important", 0, 2)]
    result = _compute(_framework(skills), {"a-critical": 1, "a-optional": 1}, target="junior")

    assert result.readiness_exact == "155/2"  # A: (3·½ + 1·1) / 4 = ⅝ → 37.5, B: 40
    assert [(d.id, d.counts_fully) for d in result.dimensions] == [("a", False), ("b", True)]


def test_not_assessable_before_anything_is_assessed() -> None:
    """Before the first finalised check-in, or with every expected skill n/a: no readiness."""
    framework = _framework()
    before = _compute(framework, {}, assessed=False)
    assert (before.readiness, before.readiness_exact, before.band) == (None, None, None)
    assert (before.verdict, before.held_back, before.gaps) == (NOT_ASSESSABLE, False, [])

    everything_na = _compute(
        framework, dict.fromkeys(["a-critical", "a-optional", "b-important"], "n/a")
    )
    assert (everything_na.readiness, everything_na.verdict) == (None, NOT_ASSESSABLE)

    one_left = _compute(framework, {"a-critical": "n/a", "a-optional": "n/a", "b-important": 1})
    assert one_left.readiness_exact == "80"  # A counts fully, B ½


# -- through the services ------------------------------------------------------------------------


def _profile(
    services: Services,
    ref: str,
    *,
    level: str = "junior",
    target: str = "senior",
    started: date = date(2025, 1, 1),
) -> str:
    return services.profiles.create(
        name="Alex", framework=ref, level=level, target=target, started=started
    ).id


def _check_in(
    services: Services,
    profile_id: str,
    day: date,
    ratings: dict[str, Rated],
    milestones: dict[str, str] | None = None,
) -> str:
    """One finalised check-in rating `ratings` ("n/a" = not applicable)."""
    draft = services.checkins.start_draft(profile_id, day)
    for skill_id, value in ratings.items():
        if isinstance(value, str):
            services.checkins.set_rating(draft.id, skill_id, None, not_applicable=value == "n/a")
        else:
            services.checkins.set_rating(draft.id, skill_id, value)
    for milestone_id, status in (milestones or {}).items():
        services.checkins.set_milestone(draft.id, milestone_id, status)
    services.checkins.finalize(draft.id)
    return draft.id


def test_nothing_final_yet_is_not_assessable(services: Services, tmp_path: Path) -> None:
    """No check-in, or only a draft: readiness None and "Not assessable"; a final one counts."""
    profile_id = _profile(services, import_framework(services, tmp_path))
    assert services.readiness.as_of(profile_id, TODAY).verdict == NOT_ASSESSABLE
    assert services.readiness.over_time(profile_id) == []

    draft = services.checkins.start_draft(profile_id, date(2025, 2, 1))
    services.checkins.set_rating(draft.id, "a-critical", 3)
    draft_only = services.readiness.as_of(profile_id, TODAY)
    assert (draft_only.readiness, draft_only.verdict) == (None, NOT_ASSESSABLE)

    services.checkins.finalize(draft.id)
    assert services.readiness.as_of(profile_id, TODAY).readiness_exact == "45"  # A ¾, B 0
    before = services.readiness.as_of(profile_id, date(2025, 1, 31))
    assert (before.readiness, before.verdict) == (None, NOT_ASSESSABLE)


def test_a_custom_framework_uses_its_own_weights(services: Services, tmp_path: Path) -> None:
    """An imported ladder (A 60 / B 40, 3:1 inside A) scores the worked example at 65."""
    ref = import_framework(services, tmp_path)
    assert ref == "two-dims@1.0"
    profile_id = _profile(services, ref, started=date(2026, 1, 1))
    _check_in(services, profile_id, TODAY, {"a-critical": 2, "a-optional": 2, "b-important": 1})

    result = services.readiness.as_of(profile_id, TODAY)
    assert (result.framework, result.framework_version, result.target) == (
        "two-dims",
        "1.0",
        "senior",
    )
    assert result.readiness_exact == "65"
    assert [(d.weight, d.score) for d in result.dimensions] == [(60, 0.75), (40, 0.5)]
    assert [g.id for g in result.gaps] == ["b-important", "a-critical"]
    assert result.verdict == "Not yet"


def test_carry_forward_across_checkins_rating_different_skills(
    services: Services, tmp_path: Path
) -> None:
    """The second check-in rates only B; as of its date A's ratings still count."""
    profile_id = _profile(services, import_framework(services, tmp_path), started=date(2026, 1, 1))
    _check_in(services, profile_id, date(2026, 2, 1), {"a-critical": 2, "a-optional": 2})
    _check_in(services, profile_id, date(2026, 3, 1), {"b-important": 1})

    assert services.readiness.as_of(profile_id, date(2026, 2, 1)).readiness_exact == "45"
    assert services.readiness.as_of(profile_id, date(2026, 2, 28)).readiness_exact == "45"
    second = services.readiness.as_of(profile_id, date(2026, 3, 1))
    assert second.readiness_exact == "65"
    assert {s.id: s.rating for s in second.skills} == {
        "a-critical": 2,
        "a-optional": 2,
        "b-important": 1,
    }
    assert [p.readiness for p in services.readiness.over_time(profile_id)] == [45, 65]


def test_same_day_checkins_are_ordered_by_finalisation(services: Services, tmp_path: Path) -> None:
    """Two finals on one day: the one finalised last wins, whatever order they were made in,
    and the day is one point, as of its end."""
    profile_id = _profile(services, import_framework(services, tmp_path), started=date(2026, 1, 1))
    day = date(2026, 2, 1)
    first = _check_in(services, profile_id, day, {"a-critical": 1, "a-optional": 2})
    second = _check_in(services, profile_id, day, {"a-critical": 3})

    def stamp(checkin_id: str, at: datetime) -> None:
        with services.store.session() as session:
            session.execute(update(CheckIn).where(CheckIn.id == checkin_id).values(finalized_at=at))

    stamp(first, datetime(2026, 2, 1, 9))
    stamp(second, datetime(2026, 2, 1, 10))
    # first: A (3·⅓ + 1·1) / 4 = ½ → 30; then second: A (3·1 + 1·1) / 4 = 1 → 60 (B 0).
    assert services.readiness.as_of(profile_id, day).readiness_exact == "60"
    points = services.readiness.over_time(profile_id)
    assert [(p.checkin_id, p.readiness) for p in points] == [(second, 60)]

    stamp(first, datetime(2026, 2, 1, 11))  # now the first one made was finalised last
    # second alone: A (3·1 + 1·0) / 4 = ¾ → 45; then first: back to 30.
    assert services.readiness.as_of(profile_id, day).readiness_exact == "30"
    points = services.readiness.over_time(profile_id)
    assert [(p.checkin_id, p.readiness) for p in points] == [(first, 30)]


def test_a_day_with_two_check_ins_is_one_point_and_leaves_the_projection_alone(
    services: Services, tmp_path: Path
) -> None:
    """A first check-in that rates one skill, then the rest the same day: the half-done
    state (readiness 15) is no point of the series, so the projection only sees the days."""
    profile_id = _profile(services, import_framework(services, tmp_path), started=date(2026, 1, 1))
    _check_in(services, profile_id, date(2026, 2, 1), {"a-critical": 1})
    _check_in(
        services, profile_id, date(2026, 2, 1), {"a-optional": 1, "b-important": 1}
    )  # the same day
    _check_in(services, profile_id, date(2026, 3, 1), {"a-critical": 2})
    _check_in(services, profile_id, date(2026, 4, 1), {"a-critical": 3, "a-optional": 2})
    points = services.readiness.over_time(profile_id)
    assert [p.date for p in points] == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    for point in points:  # each the state at the end of its day
        assert point.readiness == services.readiness.as_of(profile_id, point.date).readiness
    assert [p.readiness for p in points] == sorted(p.readiness or 0 for p in points)
    projection = services.readiness.as_of(profile_id, date(2026, 4, 1)).projection
    assert projection is not None
    assert projection.status == "projected"
    assert projection.slope_per_month is not None
    assert projection.slope_per_month > 0


def test_horizons_count_in_calendar_months() -> None:
    """6 months from 31 August is 28 February: overdue on 1 March, not on 28 February."""
    start = date(2025, 8, 31)
    assert due_date(start, "6m") == date(2026, 2, 28)
    assert due_date(date(2024, 2, 29), "12m") == date(2025, 2, 28)
    assert due_date(start, "90d") == date(2025, 11, 29)

    framework = _framework(
        milestones=[{"id": "m6", "horizon": "6m", "title": "Ship", "source": "test"}]
    )
    ratings: dict[str, Rated] = {"a-critical": 3, "a-optional": 2, "b-important": 2}
    on_due = _compute(framework, ratings, role_start=start, as_of=date(2026, 2, 28))
    assert (on_due.gates, on_due.verdict) == ([], "Ready")
    after = _compute(framework, ratings, role_start=start, as_of=date(2026, 3, 1))
    assert [(g.kind, g.id, g.detail) for g in after.gates] == [
        ("overdue-milestone", "m6", "due 2026-02-28, not started")
    ]
    assert after.verdict == "Approaching"


def test_a_role_start_in_the_future_gates_nothing(services: Services, tmp_path: Path) -> None:
    """Horizons count from the role start: a start ahead of the date makes nothing overdue."""
    horizons = ["30d", "60d", "90d", "6m", "12m"]
    framework = _framework(
        milestones=[{"id": f"m{h}", "horizon": h, "title": h, "source": "t"} for h in horizons]
    )
    ratings: dict[str, Rated] = {"a-critical": 3, "a-optional": 2, "b-important": 2}
    future = _compute(framework, ratings, role_start=date(2026, 6, 1))
    assert (future.gates, future.verdict) == ([], "Ready")
    past = _compute(framework, ratings, role_start=date(2024, 1, 1))
    assert [g.id for g in past.gates] == [f"m{h}" for h in horizons]

    profile_id = _profile(services, import_framework(services, tmp_path), started=date(2026, 6, 1))
    _check_in(services, profile_id, TODAY, ratings, {"m90": "not-started"})
    result = services.readiness.as_of(profile_id, TODAY)
    assert (result.gates, result.verdict) == ([], "Ready")


def test_the_target_in_force_on_each_date(services: Services, tmp_path: Path) -> None:
    """A promotion changes the target for dates from its effective date on, not before."""
    ref = import_framework(services, tmp_path)
    profile_id = _profile(services, ref, level="junior", target="junior")
    _check_in(services, profile_id, date(2025, 2, 1), {"a-critical": 2, "a-optional": 1})
    _check_in(services, profile_id, date(2025, 3, 1), {"b-important": 1})
    services.profiles.change_stage(
        profile_id, effective_from=date(2025, 6, 1), framework=ref, level="senior", target="senior"
    )
    _check_in(services, profile_id, date(2025, 7, 1), {"a-optional": 2})

    before = services.readiness.as_of(profile_id, date(2025, 5, 31))
    assert (before.level, before.target, before.readiness_exact) == ("junior", "junior", "100")
    # Senior: A (3·⅔ + 1·½) / 4 = ⅝ → 75/2, B ½ → 20.
    promoted = services.readiness.as_of(profile_id, date(2025, 6, 1))
    assert (promoted.level, promoted.target, promoted.readiness_exact) == (
        "senior",
        "senior",
        "115/2",
    )
    later = services.readiness.as_of(profile_id, date(2025, 7, 1))
    assert later.readiness_exact == "65"  # A ¾ → 45, B ½ → 20
    points = services.readiness.over_time(profile_id)
    assert [(p.date, p.readiness) for p in points] == [
        (date(2025, 2, 1), 60),  # junior: A met, B never rated
        (date(2025, 3, 1), 100),
        (date(2025, 7, 1), 65),
    ]


# -- the projection -------------------------------------------------------------------------------


def _points(*values: tuple[int, float | None]) -> list[Point]:
    origin = date(2026, 1, 1)
    return [
        Point(checkin_id=f"c{i}", date=origin + timedelta(days=day), readiness=value)
        for i, (day, value) in enumerate(values)
    ]


def test_a_rising_line_is_projected_to_the_ready_threshold() -> None:
    """(0, 60), (30, 66), (60, 69): slope 270/1800 = 0.15 a day, 60.5 at day 0 → day 163⅓."""
    projection = project(_framework(), _points((0, 60), (30, 66), (60, 69)))

    # mean x 30, mean y 65; Σ(x−x̄)(y−ȳ) = 150 + 120 = 270; Σ(x−x̄)² = 1800.
    # (85 − 60.5) / 0.15 = 163.33 days → the first whole day at or past it: day 164.
    assert projection.status == "projected"
    assert projection.date == date(2026, 6, 14)  # 2026-01-01 + 164 days
    assert projection.slope_per_month == pytest.approx(4.5)
    assert projection.threshold == 85


def test_the_projection_ignores_unassessed_points() -> None:
    """Points without a readiness do not count towards the line or the three dates."""
    framework = _framework()
    points = _points((0, None), (0, 60), (30, 66), (60, 69))
    assert project(framework, points).date == date(2026, 6, 14)
    assert project(framework, _points((0, None), (30, 66), (60, 69))).status == "too-few-points"


@pytest.mark.parametrize(
    ("values", "status"),
    [
        (((0, 70), (30, 70), (60, 70)), "not-projected"),  # flat
        (((0, 80), (30, 75), (60, 72)), "not-projected"),  # falling
        (((0, 60), (30, 70), (30, 75)), "too-few-points"),  # three points, two dates
        (((0, 60),), "too-few-points"),
        ((), "too-few-points"),
        (((0, 60), (30, 85)), "reached"),  # already at the threshold
        (((0, 90), (30, 80), (60, 70)), "not-projected"),  # was above, fell back
    ],
)
def test_projection_statuses(values: tuple[tuple[int, float], ...], status: str) -> None:
    """Flat or falling: not projected; under three dates: too few; already above: reached."""
    projection = project(_framework(), _points(*values))
    assert projection.status == status
    assert projection.date is None


CALENDAR_DATES = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)
READINESS = st.floats(min_value=0, max_value=100, allow_nan=False) | st.none()


@given(st.lists(st.tuples(CALENDAR_DATES, READINESS), max_size=8))
def test_the_projection_never_leaves_the_calendar(values: list[tuple[date, float | None]]) -> None:
    """Any readiness on any dates Rung accepts: a projected date is a date in that range."""
    points = [Point(checkin_id=f"c{i}", date=d, readiness=r) for i, (d, r) in enumerate(values)]
    result = project(_framework(), sorted(points, key=lambda p: p.date))
    if result.date is not None:
        assert MIN_DATE <= result.date <= MAX_DATE


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            [(date(2025, 1, 1), 50.0), (date(2025, 6, 1), 50.0), (date(2026, 1, 1), 50.001)],
            "Not projected: at this pace, Ready is after 2199-12-31.",
        ),
        (
            [(date(1900, 1, 1), 10.0), (date(2000, 6, 1), 10.0), (date(2199, 1, 1), 10.5)],
            "Not projected: at this pace, Ready is after 2199-12-31.",
        ),
        (
            [(date(1900, 1, 1), 84.0), (date(1900, 2, 20), 100.0), (date(1900, 4, 11), 84.9)],
            "Not projected: the trend line crossed Ready before 1900-01-01.",
        ),
    ],
    ids=["a year, +0.001", "three centuries, +0.5", "crossed before 1900"],
)
def test_a_line_meeting_ready_outside_the_calendar_is_not_projected(
    values: list[tuple[date, float]], text: str
) -> None:
    """Before, the date overflowed (past 9999) and readiness, the report and the Dashboard
    crashed with OverflowError; a rise of 0.001 in a year was enough."""
    points = [Point(checkin_id=f"c{i}", date=d, readiness=r) for i, (d, r) in enumerate(values)]
    projection = project(_framework(), points)
    assert (projection.status, projection.date) == ("too-far", None)
    readiness = Readiness.model_construct(projection=projection, as_of=values[-1][0], gates=[])
    assert projection_text(readiness) == text


def test_a_score_at_ready_held_back_by_gates_never_reads_as_reached() -> None:
    """Before, "The Ready threshold is reached." printed beside the capped verdict."""
    gates = [
        Gate(kind="critical-skill", id=f"s{i}", name=f"Skill {i}", detail="") for i in range(3)
    ]
    reached = Projection(status="reached", threshold=85)
    readiness = Readiness.model_construct(
        projection=reached, as_of=date(2026, 1, 1), held_back=True, gates=gates[:1],
        verdict="Approaching",
    )  # fmt: skip
    assert projection_text(readiness) == (
        "The score is at the Ready threshold, but Skill 0 holds the verdict at Approaching."
    )
    ahead = Projection(status="projected", threshold=85, date=date(2026, 6, 1))
    readiness = Readiness.model_construct(
        projection=ahead, as_of=date(2026, 1, 1), held_back=True, gates=gates, verdict="Not yet"
    )
    assert projection_text(readiness) == (
        "At this pace, the score reaches Ready around 2026-06-01; the verdict waits for "
        "Skill 0, Skill 1 and 1 more gate too."
    )


def test_the_projection_through_the_services(services: Services, tmp_path: Path) -> None:
    """as_of carries the projection over the finalised check-ins up to its date."""
    profile_id = _profile(services, import_framework(services, tmp_path), started=date(2026, 1, 1))
    _check_in(services, profile_id, date(2026, 1, 1), {"a-critical": 2, "a-optional": 2})
    _check_in(services, profile_id, date(2026, 1, 31), {"b-important": 1})  # 65
    two = services.readiness.as_of(profile_id, date(2026, 3, 1)).projection
    assert two is not None
    assert two.status == "too-few-points"
    _check_in(services, profile_id, date(2026, 3, 2), {"a-critical": 3})  # 80

    # (0, 45), (30, 65), (60, 80): slope 35/60 a day; intercept 190/3 − 35/60·30 = 275/6;
    # (85 − 275/6) / (7/12) = 470/7 = 67.1 days → day 68 = 2026-03-10.
    projection = services.readiness.as_of(profile_id, date(2026, 3, 2)).projection
    assert projection is not None
    assert (projection.status, projection.date) == ("projected", date(2026, 3, 10))
    early = services.readiness.as_of(profile_id, date(2026, 2, 1)).projection
    assert early is not None
    assert early.status == "too-few-points"
