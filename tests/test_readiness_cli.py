"""`rung readiness`: the documented JSON fields, the services' arithmetic, clear failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.services import Services, open_services
from app.services.demo import create_demo


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_fields_and_matches_the_service(
    services: Services, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile_id = create_demo(services.store, services.frameworks, services.profiles, years=2)
    last = max(c.date for c in services.checkins.all(profile_id))
    services.close()
    code, out, err = _run(
        capsys, "readiness", "--profile", profile_id, "--on", last.isoformat(), "--json"
    )
    assert (code, err) == (0, "")
    result = json.loads(out)
    for field in ("readiness", "verdict", "dimensions", "gates", "gaps", "projection"):
        assert field in result
    for dimension in result["dimensions"]:
        assert {"id", "name", "weight", "score", "contribution"} <= dimension.keys()
        assert 0 <= dimension["score"] <= 1
    assert all("points_lost" in gap for gap in result["gaps"])
    assert sum(d["contribution"] for d in result["dimensions"]) == pytest.approx(
        result["readiness"]
    )
    assert (result["framework"], result["level"]) == ("ml-engineer", "junior-ml-engineer")
    reopened = open_services(data_dir)
    expected = reopened.readiness.as_of(profile_id, last)
    reopened.close()
    assert result["readiness"] == expected.readiness
    assert result["verdict"] == expected.verdict


def test_text_output_shows_the_arithmetic_per_dimension(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    profile_id = create_demo(services.store, services.frameworks, services.profiles, years=1)
    framework = services.frameworks.load("ml-engineer")
    services.close()
    code, out, _err = _run(capsys, "readiness", "--profile", profile_id)
    assert code == 0
    assert out.startswith("Sam Rivera (demo): readiness ")
    for dimension in framework.dimensions:
        assert f"{dimension.name}: score " in out
        assert f"× weight {dimension.weight} = " in out


def test_before_any_check_in_it_is_not_assessable(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = services.profiles.create(
        name="New", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    services.close()
    code, out, _err = _run(capsys, "readiness", "--profile", profile.id, "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["readiness"], result["verdict"]) == (None, "Not assessable")
    assert {(d["score"], d["contribution"]) for d in result["dimensions"]} == {(None, None)}
    assert (result["gates"], result["gaps"]) == ([], [])
    code, out, _err = _run(capsys, "readiness", "--profile", profile.id)
    assert "score" not in out  # no dimension line reading 0%


def test_a_first_check_in_says_which_skills_are_not_rated_yet(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    services = open_services(data_dir)
    profile = services.profiles.create(
        name="Ada", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    draft = services.checkins.start_draft(profile.id)
    services.checkins.set_rating(draft.id, "python-ml-engineering", 3)
    services.checkins.finalize(draft.id)
    services.close()
    code, out, _err = _run(capsys, "readiness", "--profile", profile.id, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["gaps"]
    assert all(gap["rated"] is False for gap in result["gaps"])  # the largest gaps: unrated
    assert result["not_rated"] == sum(not s["rated"] for s in result["skills"]) > 0
    code, out, _err = _run(capsys, "readiness", "--profile", profile.id)
    assert f"{result['not_rated']} of " in out
    assert "are not rated yet; they count as 0 until rated." in out
    assert "(not rated yet) loses" in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["readiness", "--profile", "nobody"], 1, "No profile matches 'nobody'"),
        (["readiness"], 2, "--profile"),
        (["readiness", "--profile", "x", "--on", "2026-02-30"], 2, "not a date"),
    ],
)
def test_failures_are_one_sentence(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    status: int,
    message: str,
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == status
    assert out == ""
    assert err.startswith("rung: ")
    assert err.count("\n") == 1
    assert message in err
    assert not data_dir.exists()  # a read-only command never creates the data folder
