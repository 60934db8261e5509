"""`rung checkins add`: a check-in scripted with the wizard's rules and one-sentence errors."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest

from app.services import open_services
from tests.conftest import folder_digest
from tests.helpers import BUILTIN, Run, assert_failed, assert_ok, create_profile

DAY = "2026-11-02"


@pytest.fixture
def data(tmp_path: Path, rung: Run) -> Path:
    folder = tmp_path / "data"
    create_profile(rung, folder, "Zoë", "--started", "2026-09-01")
    return folder


def add(rung: Run, data: Path, *args: str) -> str:
    result = rung("--data-dir", data, "checkins", "add", "--profile", "Zoë", *args)
    assert_ok(result)
    return result.out.strip()


def test_a_final_check_in_with_every_kind_of_value(rung: Run, data: Path) -> None:
    checkin_id = add(
        rung,
        data,
        *["--date", DAY, "--rate", "python-ml-engineering=3", "--rate", "llm-integration=na"],
        *["--milestone", "30d-run-pipeline=done@2026-10-01"],
        *["--milestone", "60d-ml-enhancement=in-progress"],
        *["--kpi", "pr-throughput=4.5", "--final"],
    )
    [listed] = rung("--data-dir", data, "checkins", "list", "--profile", "Zoë", "--json").json()
    assert (listed["id"], listed["date"], listed["status"], listed["ratings"]) == (
        checkin_id,
        DAY,
        "final",
        2,
    )
    with contextlib.closing(open_services(data)) as services:
        profile = services.profiles.resolve("Zoë")
        ratings = services.checkins.current_ratings(profile.id, date(2026, 11, 2))
        assert ratings["python-ml-engineering"].value == 3
        assert ratings["llm-integration"].not_applicable
        milestones = services.checkins.detail(checkin_id).milestones
        assert milestones["30d-run-pipeline"].status == "done"
        assert milestones["30d-run-pipeline"].status_date == date(2026, 10, 1)
        assert milestones["60d-ml-enhancement"].status_date == date(2026, 11, 2)
        values = services.checkins.last_kpi_values(profile.id, date(2026, 11, 2))
        assert values["pr-throughput"] == (4.5, date(2026, 11, 2))


def test_without_final_it_is_the_draft_and_later_calls_add_to_it(rung: Run, data: Path) -> None:
    first = add(rung, data, "--date", DAY, "--rate", "python-ml-engineering=1")
    second = add(rung, data, "--rate", "sql-fundamentals=2", "--final")
    assert first == second
    [listed] = rung("--data-dir", data, "checkins", "list", "--profile", "Zoë", "--json").json()
    assert (listed["status"], listed["ratings"]) == ("final", 2)


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--rate", "juggling=2"], 1, "The framework has no skill 'juggling'."),
        (["--rate", "sql-fundamentals=7"], 1, "is outside the scale 0–4"),
        (["--rate", "python-ml-engineering=na"], 1, "is critical and cannot be marked not"),
        (["--rate", "sql-fundamentals"], 2, "is not in the form SKILL=N or SKILL=na"),
        (["--rate", "sql-fundamentals=two"], 2, "'two' is not a rating"),
        (["--milestone", "30d-run-pipeline=finished"], 1, "is not one of not-started"),
        (["--milestone", "nope=done"], 1, "The framework has no milestone 'nope'."),
        (["--milestone", "30d-run-pipeline=done@2300-01-01"], 2, "not between 1900-01-01"),
        (["--kpi", "pr-throughput=4,5"], 2, "'4,5' is not a number (write decimals with a point"),
        (["--kpi", "nope=1"], 1, "The framework has no KPI 'nope'."),
        (["--date", "9999-12-31"], 2, "not between 1900-01-01 and 2199-12-31"),
    ],
)
def test_bad_values_are_refused_in_one_sentence_and_change_nothing(
    rung: Run, data: Path, args: list[str], code: int, fragment: str
) -> None:
    before = folder_digest(data)
    good = ["--rate", "sql-fundamentals=2", "--final"]  # the bad value comes after a good one
    result = rung("--data-dir", data, "checkins", "add", "--profile", "Zoë", *good, *args)
    assert_failed(result, code, fragment)
    assert folder_digest(data) == before


def test_a_draft_of_another_date_is_not_added_to_silently(rung: Run, data: Path) -> None:
    add(rung, data, "--date", DAY, "--rate", "sql-fundamentals=2")
    before = folder_digest(data)
    result = rung("--data-dir", data, "checkins", "add", "--profile", "Zoë", "--date", "2026-11-09")
    assert_failed(result, 1, f"has a draft check-in dated {DAY}")
    assert folder_digest(data) == before


def test_a_shared_profile_is_read_only(rung: Run, data: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "zoe.rung"
    assert_ok(rung("--data-dir", data, "bundle", "export", "--profile", "Zoë", "--out", bundle))
    manager = tmp_path / "manager"
    assert_ok(rung("--data-dir", manager, "bundle", "import", bundle))
    before = folder_digest(manager)
    result = rung(
        "--data-dir", manager, "checkins", "add", "--profile", "Zoë", "--rate", f"{BUILTIN}=1"
    )
    assert result.code == 1
    assert "shared" in result.err
    assert folder_digest(manager) == before
