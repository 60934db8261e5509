"""The shipped ladders: ML Engineer 1.0 and 1.1 and the software engineering ladder.

Each one validates from the command line and has the structure a ladder promises:
levels in order, expectations that never fall from one level to the next, every
criterion's skills present, every step with its criteria, weights that add up to
100. Version 1.0 of the ML ladder stays as it shipped, and a profile on it moves
to 1.1 keeping its history.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from app.framework.loader import framework_hash, load_framework_file
from app.framework.model import Framework
from app.paths import builtin_framework_files
from app.services import Services
from tests.helpers import Run, assert_ok

# The bytes of ml-engineer.yaml as 1.0 shipped: a new version is a new file.
ML_1_0_FILE_SHA256 = "b38e49b300e9b77f2f1f2f8d7ef9332fa779585578c633d122d341036817e921"

LADDERS = {
    "ml-engineer.yaml": (
        "ml-engineer@1.0",
        ["junior-ml-engineer", "ml-engineer"],
    ),
    "ml-engineer-1.1.yaml": (
        "ml-engineer@1.1",
        ["junior-ml-engineer", "ml-engineer", "senior-ml-engineer", "staff-ml-engineer"],
    ),
    "software-engineer.yaml": (
        "software-engineer@1.0",
        [
            "junior-software-engineer",
            "software-engineer",
            "senior-software-engineer",
            "staff-software-engineer",
        ],
    ),
}


def _path(name: str) -> Path:
    return next(p for p in builtin_framework_files() if p.name == name)


def _load(name: str) -> Framework:
    return load_framework_file(_path(name))


def test_the_shipped_ladders_are_exactly_these() -> None:
    assert sorted(p.name for p in builtin_framework_files()) == sorted(LADDERS)


def test_version_1_0_is_unchanged_byte_for_byte() -> None:
    assert hashlib.sha256(_path("ml-engineer.yaml").read_bytes()).hexdigest() == (
        ML_1_0_FILE_SHA256
    )


@pytest.mark.parametrize("name", sorted(LADDERS))
def test_each_ladder_passes_rung_frameworks_validate(rung: Run, name: str) -> None:
    ref, _levels = LADDERS[name]
    result = rung("frameworks", "validate", _path(name))
    assert_ok(result)
    assert result.out.startswith(f"{name}: a valid framework, {ref} (")


@pytest.mark.parametrize("name", sorted(LADDERS))
def test_each_ladder_has_the_structure_a_ladder_promises(name: str) -> None:
    ref, levels = LADDERS[name]
    fw = _load(name)
    assert fw.ref == ref
    assert [level.id for level in fw.levels] == levels
    assert sum(d.weight for d in fw.dimensions) == 100
    assert sum(c.weight for c in [c for c in fw.criticalities if c.critical]) > 0
    skills = {s.id for s in fw.skills}
    for skill in fw.skills:
        ratings = [skill.expected[level] for level in levels]
        assert ratings == sorted(ratings), f"{skill.id} falls somewhere along {ratings}"
        assert all(0 <= r <= fw.max_rating for r in ratings)
        assert skill.description or skill.use or skill.why_it_matters, skill.id
    for criterion in fw.promotion_criteria:
        assert set(criterion.skills) <= skills, criterion.id
    for step in levels[1:]:
        assert fw.criteria_of_step(step), f"no promotion criteria for the step into {step}"
    assert fw.milestones
    assert fw.kpis


def test_ml_1_1_keeps_the_first_step_of_1_0() -> None:
    """Junior → ML Engineer reads the same on 1.1: the same skills with the same
    expectations (added skills expect 0 there) and the seed's five criteria."""
    old, new = _load("ml-engineer.yaml"), _load("ml-engineer-1.1.yaml")
    first = ("junior-ml-engineer", "ml-engineer")
    for skill in new.skills:
        expected = {level: skill.expected[level] for level in first}
        if any(s.id == skill.id for s in old.skills):
            assert expected == old.skill(skill.id).expected, skill.id
            assert skill.model_copy(update={"expected": {}}) == old.skill(skill.id).model_copy(
                update={"expected": {}}
            )
        else:
            assert expected == dict.fromkeys(first, 0), skill.id
    assert new.criteria_of_step("ml-engineer") == old.criteria_of_step("ml-engineer")
    assert len(new.criteria_of_step("ml-engineer")) == 5
    for part in (
        "dimensions",
        "criticalities",
        "verdict_bands",
        "rating_scale",
        "milestones",
        "kpis",
        "responsibilities",
        "anti_patterns",
        "red_flags",
    ):
        assert getattr(new, part) == getattr(old, part), part


def test_the_ladders_share_the_dimensions_they_have_in_common() -> None:
    ml, se = _load("ml-engineer-1.1.yaml"), _load("software-engineer.yaml")
    shared = {d.id for d in ml.dimensions} & {d.id for d in se.dimensions}
    assert shared == {"production-mindset", "problem-solving", "communication-collaboration"}
    for dimension in shared:
        assert next(d.name for d in ml.dimensions if d.id == dimension) == next(
            d.name for d in se.dimensions if d.id == dimension
        )
    for skill in {s.id for s in ml.skills} & {s.id for s in se.skills}:
        assert ml.skill(skill).dimension == se.skill(skill).dimension, skill


def test_every_data_folder_stores_the_three_ladders(services: Services) -> None:
    refs = [info.ref for info in services.frameworks.all()]
    assert refs == ["ml-engineer@1.0", "ml-engineer@1.1", "software-engineer@1.0"]
    assert all(info.builtin for info in services.frameworks.all())
    assert services.frameworks.resolve("ml-engineer").version == "1.1"  # the newest
    stored = services.frameworks.load("ml-engineer@1.1")
    assert framework_hash(stored) == framework_hash(_load("ml-engineer-1.1.yaml"))


def test_a_1_0_profile_moves_to_1_1_keeping_its_history(services: Services) -> None:
    profile = services.profiles.create(
        name="Ada", framework="ml-engineer@1.0", level="junior-ml-engineer",
        target="ml-engineer", started=date(2026, 1, 1),
    )  # fmt: skip
    draft = services.checkins.start_draft(profile.id, date(2026, 2, 1))
    for skill in ("python-ml-engineering", "ml-fundamentals", "written-communication"):
        services.checkins.set_rating(draft.id, skill, 3)
    services.checkins.finalize(draft.id)
    before = services.readiness.as_of(profile.id, date(2026, 2, 1))

    services.profiles.change_stage(
        profile.id, effective_from=date(2026, 3, 1), framework="ml-engineer@1.1",
        level="ml-engineer", target="senior-ml-engineer",
    )  # fmt: skip
    moved = services.profiles.get(profile.id)
    assert (moved.framework_version, moved.level, moved.target) == (
        "1.1",
        "ml-engineer",
        "senior-ml-engineer",
    )
    past = services.readiness.as_of(profile.id, date(2026, 2, 1))
    assert (past.framework_version, past.readiness, past.target) == (
        "1.0",
        before.readiness,
        "ml-engineer",
    )
    now = services.readiness.as_of(profile.id, date(2026, 3, 1))
    assert (now.framework_version, now.target) == ("1.1", "senior-ml-engineer")
    ratings = services.checkins.current_ratings(profile.id, date(2026, 3, 1))
    assert ratings["python-ml-engineering"].value == 3  # carried across the versions
