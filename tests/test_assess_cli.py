"""`rung assess`: a manager's dated, signed assessment of a profile shared with them, scripted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import folder_digest
from tests.helpers import (
    MANAGER_NAME,
    MANAGER_ROLE,
    Run,
    assert_failed,
    assert_ok,
    create_profile,
)

RATIONALE = "Owns the <b>pipeline</b> & its on-call 🚀"


@pytest.fixture
def manager(rung: Run, tmp_path: Path) -> Path:
    """A manager's data folder holding Zoë's shared profile (one check-in)."""
    mentee = tmp_path / "mentee"
    profile_id = create_profile(rung, mentee, "Zoë", "--started", "2026-01-05")
    assert_ok(
        rung(
            "--data-dir",
            mentee,
            "checkins",
            "add",
            "--profile",
            profile_id,
            "--date",
            "2026-03-01",
            "--rate",
            "python-ml-engineering=2",
            "--rate",
            "sql-fundamentals=3",
            "--final",
        )
    )
    bundle = tmp_path / "zoe.rung"
    assert_ok(rung("--data-dir", mentee, "bundle", "export", "--profile", "Zoë", "--out", bundle))
    folder = tmp_path / "manager"
    assert_ok(rung("--data-dir", folder, "bundle", "import", bundle))
    return folder


def test_a_manager_rates_comments_recommends_and_reads_it_back(rung: Run, manager: Path) -> None:
    assert_ok(rung("--data-dir", manager, "whoami", "--name", MANAGER_NAME, "--role", MANAGER_ROLE))
    for args in (
        ["rate", "--skill", "python-ml-engineering", "--value", "3"],
        ["comment", "--dimension", "python-engineering", "--text", "Steady, reviewed well."],
        ["recommend", "--verdict", "Approaching", "--rationale", RATIONALE],
    ):
        assert_ok(rung("--data-dir", manager, "assess", *args, "--profile", "Zoë"))

    shown = rung("--data-dir", manager, "assess", "show", "--profile", "Zoë", "--json").json()
    assert shown["date"] == date.today().isoformat()
    assert shown["assessor"] == {"name": MANAGER_NAME, "role": MANAGER_ROLE, "email": None}
    assert shown["recommendation"] == {"band": "approaching", "rationale": RATIONALE}
    assert shown["comments"] == {"python-engineering": "Steady, reviewed well."}
    assert shown["calibrations"] == {"python-ml-engineering": 3}
    assert shown["calibrated"]["verdict"]

    text = rung("--data-dir", manager, "assess", "show", "--profile", "Zoë").out
    assert f"by {MANAGER_NAME} — {MANAGER_ROLE}." in text
    assert "Recommendation: Approaching" in text
    assert RATIONALE in text
    assert "Python for ML engineering: self 2, manager 3, expected 3" in text

    readiness = rung("--data-dir", manager, "readiness", "--profile", "Zoë", "--json").json()
    assert readiness["calibrated"]["readiness"] > readiness["readiness"]  # 3 where self said 2
    assert readiness["calibrated"]["assessment_date"] == date.today().isoformat()


def test_an_assessment_without_an_identity_is_refused_naming_whoami(
    rung: Run, manager: Path
) -> None:
    before = folder_digest(manager)
    result = rung(
        "--data-dir", manager, "assess", "rate", "--profile", "Zoë", "--skill",
        "python-ml-engineering", "--value", "3",
    )  # fmt: skip
    assert_failed(result, 1, "rung whoami --name NAME")
    assert folder_digest(manager) == before


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["rate", "--skill", "juggling", "--value", "2"], 1, "The framework has no skill"),
        (["rate", "--skill", "sql-fundamentals", "--value", "9"], 1, "is not on the rating scale"),
        (["rate", "--skill", "sql-fundamentals"], 2, "One of the arguments --value --clear"),
        (["comment", "--dimension", "nope", "--text", "x"], 1, "The framework has no dimension"),
        (["recommend", "--verdict", "Maybe", "--rationale", "x"], 2, "is not a verdict band"),
    ],
)
def test_bad_assessments_are_refused_in_one_sentence(
    rung: Run, manager: Path, args: list[str], code: int, fragment: str
) -> None:
    assert_ok(rung("--data-dir", manager, "whoami", "--name", MANAGER_NAME))
    before = folder_digest(manager)
    assert_failed(rung("--data-dir", manager, "assess", *args, "--profile", "Zoë"), code, fragment)
    assert folder_digest(manager) == before


def test_your_own_profile_is_not_assessed_here(rung: Run, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    create_profile(rung, folder, "Sam")
    assert_ok(rung("--data-dir", folder, "whoami", "--name", "Sam"))
    result = rung(
        "--data-dir", folder, "assess", "rate", "--profile", "Sam", "--skill",
        "python-ml-engineering", "--value", "3",
    )  # fmt: skip
    assert_failed(result, 1, "Only a profile shared with you can be annotated")
