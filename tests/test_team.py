"""The team at a glance: one row per shared profile, read for the whole team at once.

Every figure of a row is the one the profile's own views show (its Dashboard, its
Assessment, `rung readiness`), read for all the shared profiles together in a fixed
number of queries.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.errors import InvalidInputError
from app.services import Services
from app.services.team import (
    TREND_DAYS,
    LatestAssessment,
    TeamRow,
    assessment_state,
    team_record,
)
from tests.helpers import BUILTIN, JUNIOR, MID, TEAM, TEAM_DAY, assess_team, share_team


@pytest.fixture
def team(services: Services, tmp_path: Path) -> dict[str, str]:
    ids = share_team(services, tmp_path)
    assess_team(services, ids)
    return ids


def _by_name(rows: list[TeamRow]) -> dict[str, TeamRow]:
    return {row.name: row for row in rows}


def test_one_row_per_shared_profile_by_name_and_none_for_your_own(
    services: Services, team: dict[str, str]
) -> None:
    own = services.profiles.create(  # the manager's own profile
        name="Me", framework=BUILTIN, level=JUNIOR, target=MID
    ).id
    rows = services.team.rows(TEAM_DAY)
    assert [row.name for row in rows] == sorted(TEAM, key=str.casefold)
    assert own not in {row.id for row in rows}
    assert {row.id for row in rows} == set(team.values())


def test_no_row_without_a_shared_profile(services: Services) -> None:
    services.profiles.create(name="Me", framework=BUILTIN, level=JUNIOR, target=MID)
    assert services.team.rows(TEAM_DAY) == []


def test_every_figure_is_the_one_the_profile_shows_alone(
    services: Services, team: dict[str, str]
) -> None:
    """Readiness, verdict, gates, the calibrated figure, the schedule, the trend and the
    largest disagreement: each as the profile's own views compute it, one at a time."""
    rows = _by_name(services.team.rows(TEAM_DAY))
    for name, profile_id in team.items():
        row = rows[name]
        profile = services.profiles.get(profile_id)
        alone = services.readiness.as_of(profile_id, TEAM_DAY, with_projection=False)
        assert row.readiness == alone, name
        schedule = services.checkins.schedule(
            profile_id, profile.checkin_interval_days, profile.role_start
        )
        assert (row.last_checkin, row.next_due) == (schedule.last, schedule.next_due)
        assert row.bundle_exported_at == profile.shared_exported_at
        points = [p for p in services.readiness.over_time(profile_id) if p.readiness is not None]
        recent = [
            (p.date, p.readiness)
            for p in points
            if p.date > points[-1].date - timedelta(days=TREND_DAYS)
        ] if points else []  # fmt: skip
        assert list(row.trend) == recent, name
        assessment = services.manager.assessment(profile_id, TEAM_DAY)
        if assessment.date is None:
            assert (row.calibrated, row.assessment_date, row.disagreement) == (None, None, None)
            continue
        calibrated = services.readiness.calibrated(profile_id, TEAM_DAY, assessment.calibrations)
        assert row.calibrated == calibrated, name
        assert row.assessment_date == assessment.date
        largest = services.manager.calibration(profile_id, TEAM_DAY)[0]
        if largest.difference:
            assert row.disagreement is not None
            assert (row.disagreement.skill_id, row.disagreement.difference) == (
                largest.skill_id,
                largest.difference,
            )
        else:
            assert row.disagreement is None


def test_what_the_rows_say_of_the_team(services: Services, team: dict[str, str]) -> None:
    rows = _by_name(services.team.rows(TEAM_DAY))
    zoe = rows["Zoë"]
    assert (zoe.level_name, zoe.target_name) == ("Junior", "Senior")
    assert zoe.last_checkin == date(2026, 5, 1)
    assert zoe.checkins == 2
    assert zoe.readiness.readiness == 85
    assert [gate.name for gate in zoe.gates] == ["A Critical"]
    assert zoe.calibrated is not None
    assert zoe.calibrated.readiness == 45  # B Important at 0 instead of 2: B scores 0
    assert zoe.disagreement is not None
    assert (zoe.disagreement.name, zoe.disagreement.self_rating) == ("B Important", 2)
    assert (zoe.disagreement.manager_rating, zoe.disagreement.difference) == (0, -2)
    assert (zoe.assessment, zoe.recommendation, zoe.recommendation_name) == (
        "drafted",
        "approaching",
        "Approaching",
    )
    assert zoe.calibrated_skills == 1
    assert rows["Ana Lima"].disagreement is not None
    assert rows["Ana Lima"].disagreement.difference == 2
    chidi = rows["Chidi"]  # a comment only: an assessment, with nothing calibrated
    assert chidi.assessment == "drafted"
    assert chidi.calibrated is not None
    assert chidi.calibrated.readiness == chidi.readiness.readiness
    assert chidi.disagreement is None
    assert rows["Bea"].assessment == "none"
    assert len(rows["Bea"].trend) >= 10  # a year of monthly check-ins
    noor = rows["Noor"]  # no check-in yet
    assert (noor.readiness.readiness, noor.readiness.verdict) == (None, "Not assessable")
    assert (noor.last_checkin, noor.checkins, noor.trend, noor.trend_change) == (None, 0, (), None)
    assert noor.next_due == date(2026, 5, 31)  # 30 days after the role start
    assert noor.gates == []


def test_an_assessment_is_drafted_then_emptied(services: Services, team: dict[str, str]) -> None:
    bea = team["Bea"]
    profile = services.profiles.get(bea)
    skill = services.frameworks.get(profile.framework, profile.framework_version).skills[0]
    services.manager.set_calibration(bea, skill.id, 1, on=TEAM_DAY)
    assert _by_name(services.team.rows(TEAM_DAY))["Bea"].assessment == "drafted"
    services.manager.set_calibration(bea, skill.id, None, on=TEAM_DAY)
    row = _by_name(services.team.rows(TEAM_DAY))["Bea"]
    assert row.assessment == "none"  # nothing left in it
    assert row.assessment_date == TEAM_DAY
    # An assessment dated after the day the rows are for does not count yet.
    services.manager.set_calibration(bea, skill.id, 1, on=TEAM_DAY + timedelta(days=1))
    assert _by_name(services.team.rows(TEAM_DAY))["Bea"].assessment == "none"


def test_an_assessment_reads_exported_once_its_bundle_is_written_until_it_changes(
    services: Services, team: dict[str, str], tmp_path: Path
) -> None:
    from app.bundle.assessment import export_assessment

    zoe = team["Zoë"]

    def state() -> str:
        return _by_name(services.team.rows(TEAM_DAY))["Zoë"].assessment

    assert state() == "drafted"
    export_assessment(services.store, zoe, tmp_path / "zoe.rung")
    assert state() == "exported"
    assert _by_name(services.team.rows(TEAM_DAY))["Ana Lima"].assessment == "drafted"
    services.manager.set_calibration(zoe, "b-important", 1, on=TEAM_DAY)
    assert state() == "drafted"  # changed since: it has to go again
    export_assessment(services.store, zoe, tmp_path / "zoe.rung")
    assert state() == "exported"


def test_an_empty_assessment_is_none_even_if_sent() -> None:
    made = datetime(2026, 6, 15, 9)
    assert assessment_state(None) == "none"
    empty = LatestAssessment(TEAM_DAY, made, {}, None, False, made + timedelta(minutes=1))
    assert assessment_state(empty) == "none"


def _statements(services: Services) -> tuple[list[str], Any]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(services.store.engine, "before_cursor_execute", record)
    return seen, lambda: event.remove(services.store.engine, "before_cursor_execute", record)


def test_the_team_is_read_in_a_fixed_number_of_queries(
    services: Services, team: dict[str, str]
) -> None:
    """Six people take as many queries as two: the rows are read for the team at once."""
    services.team.rows(TEAM_DAY)  # the frameworks' cache warmed
    seen, stop = _statements(services)
    try:
        services.team.rows(TEAM_DAY)
        six = len(seen)
        for name in TEAM[2:]:
            services.profiles.delete(team[name])
        seen.clear()
        services.team.rows(TEAM_DAY)
        two = len(seen)
    finally:
        stop()
    assert six == two
    assert six <= 8  # profiles (and stages), check-ins, ratings, milestones, 2 assessment


def test_bulk_reads_equal_the_reads_of_one_profile(
    services: Services, team: dict[str, str]
) -> None:
    ids = list(team.values())
    histories = services.checkins.final_histories(ids)
    milestones = services.checkins.current_milestones_of(ids, TEAM_DAY)
    for profile_id in ids:
        assert histories[profile_id] == services.checkins.final_history(profile_id)
        assert milestones[profile_id] == services.checkins.current_milestones(profile_id, TEAM_DAY)
    assert services.checkins.final_histories([]) == {}


def test_the_json_record(services: Services, team: dict[str, str]) -> None:
    row = _by_name(services.team.rows(TEAM_DAY))["Zoë"]
    record = team_record(row, TEAM_DAY)
    assert record["level"] == "junior"
    assert record["target"] == "senior"
    assert record["framework"] == "two-dims"
    assert record["last_checkin"] == "2026-05-01"
    assert record["readiness"] == 85
    assert record["calibrated_readiness"] == 45
    assert record["gates"] == [
        {
            "kind": "critical-skill",
            "id": "a-critical",
            "name": "A Critical",
            "detail": "Critical skill rated 2, expected 3",
        }
    ]
    assert record["largest_disagreement"] == {
        "skill": "b-important",
        "name": "B Important",
        "self": 2,
        "manager": 0,
        "difference": -2,
    }
    assert record["trend"] == [
        {"date": "2026-03-01", "readiness": row.trend[0][1]},
        {"date": "2026-05-01", "readiness": 85},
    ]


def _read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_csv_export_reads_back(
    services: Services, team: dict[str, str], tmp_path: Path
) -> None:
    path = services.team.export_csv(tmp_path / "team.csv", TEAM_DAY)
    rows = {row["name"]: row for row in _read_csv(path)}
    assert list(rows) == sorted(TEAM, key=str.casefold)
    zoe = rows["Zoë"]
    assert (zoe["level"], zoe["target"], zoe["last_checkin"]) == ("Junior", "Senior", "2026-05-01")
    assert (zoe["readiness"], zoe["verdict"]) == ("85", "Approaching")
    assert (zoe["calibrated_readiness"], zoe["calibrated_verdict"]) == ("45", "Not yet")
    assert (zoe["gates"], zoe["gate_names"]) == ("1", "A Critical")
    assert (zoe["disagreement_skill"], zoe["disagreement_self"]) == ("B Important", "2")
    assert zoe["disagreement_manager"] == "0"
    assert (zoe["assessment"], zoe["recommendation"]) == ("drafted", "Approaching")
    noor = rows["Noor"]
    assert (noor["readiness"], noor["verdict"], noor["last_checkin"]) == ("", "Not assessable", "")
    assert path.stat().st_mode & 0o777 == 0o600


def test_text_a_spreadsheet_would_run_is_written_as_text(
    services: Services, team: dict[str, str], tmp_path: Path
) -> None:
    """A name such as `=HYPERLINK(…)` is written after an apostrophe, never as a formula."""
    from sqlalchemy import update

    from app.store.models import Profile

    with services.store.session() as session:
        session.execute(
            update(Profile).where(Profile.id == team["Bea"]).values(name='=HYPERLINK("x")')
        )
    path = services.team.export_csv(tmp_path / "team.csv", TEAM_DAY)
    names = [row["name"] for row in _read_csv(path)]
    assert '\'=HYPERLINK("x")' in names


def test_a_csv_is_never_written_into_the_data_folder(
    services: Services, team: dict[str, str], data_dir: Path
) -> None:
    database = data_dir / "rung.sqlite3"
    before = database.stat().st_size
    with pytest.raises(InvalidInputError, match="Rung's own data"):
        services.team.export_csv(database, TEAM_DAY)
    with pytest.raises(InvalidInputError, match="is a folder"):
        services.team.export_csv(data_dir.parent, TEAM_DAY)
    assert database.stat().st_size == before
    with contextlib.suppress(FileNotFoundError):
        assert not (data_dir / "team.csv").exists()


def _pdf_text(data: bytes) -> tuple[int, str]:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_team_summary_is_one_page_with_every_person(
    services: Services, team: dict[str, str], tmp_path: Path
) -> None:
    from app.report.team import export_team_pdf

    path = export_team_pdf(services, tmp_path / "team.pdf", TEAM_DAY)
    pages, text = _pdf_text(path.read_bytes())
    assert pages == 1
    for name in TEAM:
        assert name in text
    assert "As of 2026-06-15 · 6 people · prepared by Jordan Lee — Engineering manager" in text
    assert "theirs 2 → yours 0" in text  # Zoë's largest disagreement
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(InvalidInputError, match="Rung's own data"):
        export_team_pdf(services, services.store.path, TEAM_DAY)


def test_a_large_team_goes_on_over_more_pages_and_text_prints_as_typed(
    services: Services, team: dict[str, str]
) -> None:
    import dataclasses

    from app.report.team import render

    rows = services.team.rows(TEAM_DAY)
    many = [
        dataclasses.replace(rows[n % len(rows)], name=f"Person {n:02d} <b>&amp;</b>")
        for n in range(45)
    ]
    pages, text = _pdf_text(render(many, TEAM_DAY, None))
    assert pages == 3  # about 20 people a page
    for n in range(45):
        assert f"Person {n:02d} <b>&amp;</b>" in text
    assert text.count("Largest disagreement") == 3  # the header on every page
