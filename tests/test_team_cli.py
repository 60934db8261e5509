"""`rung team list [--json]`: the shared profiles at a glance, from a script."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services import Services
from app.services.team import team_record
from tests.conftest import folder_digest
from tests.helpers import (
    TEAM,
    TEAM_DAY,
    Run,
    assert_failed,
    assert_ok,
    assess_team,
    mark_as_newer,
    share_team,
)

ON = ("--on", TEAM_DAY.isoformat())


def _files(data_dir: Path) -> dict[str, str]:
    """The data folder's files and digests, less SQLite's shared-memory index (`-shm`),
    which any reader touches."""
    return {name: digest for name, digest in folder_digest(data_dir).items() if "-shm" not in name}


@pytest.fixture
def team(services: Services, tmp_path: Path) -> dict[str, str]:
    ids = share_team(services, tmp_path)
    assess_team(services, ids)
    return ids


def test_the_json_lists_every_shared_profile_as_the_service_reads_it(
    rung: Run, services: Services, team: dict[str, str], data_dir: Path
) -> None:
    before = _files(data_dir)
    result = rung("team", "list", "--json", *ON)
    assert_ok(result)
    listed = result.json()
    assert [person["name"] for person in listed] == sorted(TEAM, key=str.casefold)
    assert listed == [team_record(row, TEAM_DAY) for row in services.team.rows(TEAM_DAY)]
    for person in listed:
        assert {
            "id", "name", "level", "target", "last_checkin", "readiness", "verdict",
            "calibrated_readiness",
        } <= set(person)  # fmt: skip
    zoe = next(person for person in listed if person["name"] == "Zoë")
    assert (zoe["id"], zoe["level"], zoe["target"]) == (team["Zoë"], "junior", "senior")
    assert (zoe["last_checkin"], zoe["readiness"], zoe["verdict"]) == (
        "2026-05-01",
        85,
        "Approaching",
    )
    assert (zoe["calibrated_readiness"], zoe["calibrated_verdict"]) == (45, "Not yet")
    assert zoe["assessment"] == "drafted"
    noor = next(person for person in listed if person["name"] == "Noor")
    assert (noor["readiness"], noor["verdict"], noor["last_checkin"]) == (
        None,
        "Not assessable",
        None,
    )
    assert noor["calibrated_readiness"] is None
    assert _files(data_dir) == before  # a read-only command


def test_the_text_says_each_persons_state(rung: Run, team: dict[str, str]) -> None:
    result = rung("team", "list", *ON)
    assert_ok(result)
    lines = result.out.splitlines()
    first = lines.index(f"Zoë  Junior → Senior  [{team['Zoë']}]")
    block = lines[first : first + 7]
    assert block[1].startswith("  last check-in 2026-05-01 (bundle ")
    assert block[1].endswith("; next overdue since 2026-05-31")
    assert block[2] == (
        "  readiness 85 / 100 — Approaching (the score reaches Ready; held back by 1 gate)"
    )
    assert block[3] == "  calibrated by your assessment of 2026-06-15: 45 / 100 — Not yet"
    assert block[4] == "  gates: A Critical"
    assert block[5] == "  largest disagreement: B Important, self 2, yours 0"
    assert block[6] == "  assessment: drafted, recommending Approaching"
    assert "  readiness not assessable yet: finalise a check-in to see it" in lines
    for name in TEAM:
        assert any(line.startswith(f"{name}  ") for line in lines)


def test_without_shared_profiles_it_says_how_to_get_one(rung: Run, data: Path) -> None:
    result = rung("--data-dir", data, "team", "list")
    assert_ok(result)
    assert result.out == (
        "No profile is shared with you yet; import a bundle with 'rung bundle import FILE'.\n"
    )
    assert_ok(json_result := rung("--data-dir", data, "team", "list", "--json"))
    assert json_result.json() == []
    assert not data.exists()


def test_a_database_from_a_newer_rung_is_refused_and_left_alone(
    rung: Run, team: dict[str, str], services: Services, data_dir: Path
) -> None:
    services.close()
    mark_as_newer(data_dir / "rung.sqlite3")
    before = folder_digest(data_dir)
    assert_failed(rung("team", "list", "--json"), 1, "newer version of Rung")
    assert folder_digest(data_dir) == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["team", "list", "--on", "2026-02-30"], "'2026-02-30' is not a date"),
        (["team", "list", "--on"], "expected one argument"),
        (["team", "show"], "invalid choice"),
    ],
)
def test_usage_errors(
    rung: Run, team: dict[str, str], data_dir: Path, args: list[str], fragment: str
) -> None:
    before = folder_digest(data_dir)
    assert_failed(rung(*args), 2, fragment)
    assert folder_digest(data_dir) == before
