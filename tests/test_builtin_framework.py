"""The shipped ML Engineer ladder: it validates, holds every item of the seed, and is pinned."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.framework.loader import framework_hash, load_framework_file
from app.framework.model import Framework
from app.paths import builtin_framework_files
from app.services import Services

# Changing the built-in ladder means bumping its version and updating this pin:
# a stored ladder is identified by ID@VERSION, so new content under the old version
# would be refused by every data folder that already holds it.
BUILTIN_HASH = "78ed7577f457a07125d12222ad683da8cab8cddd1fc15ad3ba92b868292a08d6"

# Technical skills whose seed wording is not a plain "Critical"/"Important"/"Optional",
# with that wording and the criticality its first criticality word gives.
LOOSE_CRITICALITIES: dict[str, tuple[str, str]] = {
    "workflow-orchestration": ("Optional → Important depending on environment", "optional"),
    "feature-stores": ("Optional/Context-specific", "optional"),
    "mlops-patterns": ("Optional → growth", "optional"),
    "model-monitoring": ("Optional → growth", "optional"),
    "distributed-data-processing": ("Optional/Context-specific", "optional"),
    "kubernetes": ("Optional/Context-specific", "optional"),
    "llm-integration": ("Optional/Context-specific", "optional"),
    "ml-governance": ("Important trend", "important"),
    "synthetic-data-privacy": ("Optional/Context-specific", "optional"),
}

JUNIOR = "junior-ml-engineer"
MID = "ml-engineer"


def builtin_path() -> Path:
    paths = [p for p in builtin_framework_files() if p.name == "ml-engineer.yaml"]
    assert len(paths) == 1, builtin_framework_files()
    return paths[0]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework_file(builtin_path())


def test_builtin_is_found_and_identified(fw: Framework) -> None:
    """The app finds the file and it names the ladder every data folder will store."""
    assert fw.ref == "ml-engineer@1.0"
    assert fw.name == "ML Engineer ladder"


def test_builtin_hash_is_pinned(fw: Framework) -> None:
    """Any edit to the shipped ladder shows up here, so it cannot slip in under 1.0."""
    assert framework_hash(fw) == BUILTIN_HASH


def test_levels_go_from_junior_to_ml_engineer(fw: Framework) -> None:
    assert [level.id for level in fw.levels] == [JUNIOR, MID]


def test_rating_scale_is_zero_to_four(fw: Framework) -> None:
    assert [point.value for point in fw.rating_scale] == [0, 1, 2, 3, 4]
    assert fw.max_rating == 4


def test_twenty_responsibilities(fw: Framework) -> None:
    assert len(fw.responsibilities) == 20
    assert [r.source for r in fw.responsibilities] == [
        f"§3 Core responsibilities, item {n}" for n in range(1, 21)
    ]


def test_skills_by_category(fw: Framework) -> None:
    """Every §8 and §9 skill of the seed is present, in its own category."""
    counts = Counter(skill.category for skill in fw.skills)
    assert counts == {"must-have": 8, "good-to-have": 6, "advanced": 5, "emerging": 4, "soft": 10}


def test_milestones_by_horizon(fw: Framework) -> None:
    assert len(fw.milestones) == 21
    counts = Counter(m.horizon for m in fw.milestones)
    assert counts == {"30d": 5, "60d": 4, "90d": 4, "6m": 4, "12m": 4}


def test_kpis_have_targets_and_cadence(fw: Framework) -> None:
    assert len(fw.kpis) == 21
    for kpi in fw.kpis:
        assert kpi.targets, kpi.id
        assert kpi.cadence in {"weekly", "monthly", "quarterly", "per-release"}, kpi.id
        assert kpi.target_text.strip(), kpi.id


def test_dimension_weights(fw: Framework) -> None:
    """The §19 scorecard weights, unchanged."""
    assert {d.id: d.weight for d in fw.dimensions} == {
        "python-engineering": 25,
        "ml-fundamentals": 20,
        "data-skills": 15,
        "production-mindset": 15,
        "problem-solving": 15,
        "communication-collaboration": 10,
    }


def test_every_dimension_has_skills(fw: Framework) -> None:
    """A dimension without skills would score nothing and skew readiness."""
    used = {skill.dimension for skill in fw.skills}
    for dimension in fw.dimensions:
        assert dimension.id in used, dimension.id


def test_promotion_criteria_link_existing_skills(fw: Framework) -> None:
    assert len(fw.promotion_criteria) == 5
    skill_ids = {skill.id for skill in fw.skills}
    for criterion in fw.promotion_criteria:
        assert criterion.skills, criterion.id
        assert set(criterion.skills) <= skill_ids, criterion.id


def test_anti_patterns_and_red_flags(fw: Framework) -> None:
    """Both §16 lists are kept, told apart by their source."""
    avoid = [a for a in fw.anti_patterns if a.source.startswith("§16 Anti-patterns to avoid")]
    under = [
        a
        for a in fw.anti_patterns
        if a.source.startswith("§16 Common reasons for underperformance")
    ]
    assert len(avoid) == 5
    assert len(under) == 5
    assert len(fw.anti_patterns) == 10
    assert len(fw.red_flags) == 5
    assert all(flag.source.startswith("§19 Red flags") for flag in fw.red_flags)


def test_every_item_names_its_section(fw: Framework) -> None:
    """Each item is traceable to the seed section it came from."""
    sources: list[tuple[str, str]] = [
        (item.id, item.source)
        for group in (
            fw.dimensions,
            fw.skills,
            fw.responsibilities,
            fw.milestones,
            fw.kpis,
            fw.promotion_criteria,
            fw.anti_patterns,
            fw.red_flags,
        )
        for item in group
    ]
    assert len(sources) == 6 + 33 + 20 + 21 + 21 + 5 + 10 + 5
    for item_id, source in sources:
        assert source.startswith("§"), (item_id, source)


def test_soft_skills_describe_behaviour(fw: Framework) -> None:
    for skill in fw.skills:
        if skill.category == "soft":
            assert skill.why_it_matters, skill.id
            assert skill.on_the_job, skill.id
            assert skill.strong_performance, skill.id


def test_loose_criticalities_keep_the_seed_wording(fw: Framework) -> None:
    """The seed's own wording survives wherever it was mapped to a plain criticality."""
    for skill_id, (wording, criticality) in LOOSE_CRITICALITIES.items():
        skill = fw.skill(skill_id)
        assert skill.seed_note is not None, skill_id
        assert wording in skill.seed_note, skill_id
        assert skill.criticality == criticality, skill_id


def test_first_criticality_word_decides(fw: Framework) -> None:
    """Every technical seed note follows the header's rule: the first word wins."""
    for skill in fw.skills:
        if skill.category == "soft" or skill.seed_note is None:
            continue
        assert skill.id in LOOSE_CRITICALITIES, skill.id
        first = re.search(r"Critical|Important|Optional", skill.seed_note)
        assert first is not None, skill.id
        assert skill.criticality == first.group().lower(), skill.id


def test_soft_skills_say_the_seed_gives_no_criticality(fw: Framework) -> None:
    for skill in fw.skills:
        if skill.category == "soft":
            assert skill.seed_note is not None, skill.id
            assert "no criticality" in skill.seed_note, skill.id
            assert skill.criticality == "important", skill.id


def test_critical_must_haves_outrank_emerging_skills(fw: Framework) -> None:
    """An ML Engineer is expected to be better at a critical skill than a junior at a trend."""
    critical = [s for s in fw.skills if s.category == "must-have" and fw.is_critical(s)]
    emerging = [s for s in fw.skills if s.category == "emerging"]
    assert critical
    assert emerging
    lowest_critical = min(s.expected[MID] for s in critical)
    highest_emerging = max(s.expected[JUNIOR] for s in emerging)
    assert lowest_critical > highest_emerging


def test_no_expectation_drops_with_promotion(fw: Framework) -> None:
    for skill in fw.skills:
        assert skill.expected[MID] >= skill.expected[JUNIOR], skill.id


def test_promotion_skills_are_raised(fw: Framework) -> None:
    """Each promotion criterion asks for more at ml-engineer in at least one linked skill."""
    for criterion in fw.promotion_criteria:
        linked = [fw.skill(skill_id) for skill_id in criterion.skills]
        for skill in linked:
            assert skill.expected[MID] >= skill.expected[JUNIOR], (criterion.id, skill.id)
        assert any(s.expected[MID] > s.expected[JUNIOR] for s in linked), criterion.id


def test_same_ladder_as_json_hashes_the_same(fw: Framework, tmp_path: Path) -> None:
    """The hash is of the model, not of the file format."""
    data = yaml.safe_load(builtin_path().read_text(encoding="utf-8"))
    path = tmp_path / "ml-engineer.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    assert framework_hash(load_framework_file(path)) == framework_hash(fw) == BUILTIN_HASH


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_export_reimports_with_the_same_hash(
    services: Services, tmp_path: Path, suffix: str
) -> None:
    """An exported ladder is the same ladder: same hash, and importing it adds nothing."""
    path = tmp_path / f"exported{suffix}"
    info = services.frameworks.export_file("ml-engineer@1.0", path)
    assert info.hash == BUILTIN_HASH
    assert framework_hash(load_framework_file(path)) == BUILTIN_HASH
    reimported, created = services.frameworks.import_file(path)
    assert created is False
    assert reimported.hash == BUILTIN_HASH
    assert [i.ref for i in services.frameworks.all()] == [
        "ml-engineer@1.0",
        "ml-engineer@1.1",
        "software-engineer@1.0",
    ]
