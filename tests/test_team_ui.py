"""The Team section, driven as a manager would: six people's bundles imported, their rows
sorted by a click on a header, filtered by typing, opened with Enter, exported as CSV and
as a one-page PDF; and the table says what `rung team list --json` says."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.cli import main
from app.readiness import format_score
from app.services import Services
from tests.helpers import (
    MANAGER_NAME,
    TEAM,
    TEAM_DAY,
    assess_team,
    click,
    share_team,
    type_text,
    wait_idle,
)
from tests.test_manager_ui import Dialogs
from ui.main_window import SECTIONS, MainWindow
from ui.tasks import TaskRunner
from ui.team import STATES, TeamModel, TeamPanel

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def team(services: Services, tmp_path: Path) -> dict[str, str]:
    ids = share_team(services, tmp_path)
    assess_team(services, ids)
    return ids


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def panel(qtbot: QtBot, services: Services, runner: TaskRunner, team: dict[str, str]) -> TeamPanel:
    """The Team section on its own, as of TEAM_DAY, once its rows have arrived."""
    widget = TeamPanel(services, runner, today=lambda: TEAM_DAY)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.reload()
    wait_idle(qtbot, runner)
    return widget


def _column(panel: TeamPanel, column: int, line: int = 0) -> list[str]:
    """One line of a column's cells, in the order the view shows the rows."""
    proxy = panel.proxy
    return [
        str(proxy.index(row, column).data()).split("\n")[line] for row in range(proxy.rowCount())
    ]


def _names(panel: TeamPanel) -> list[str]:
    return _column(panel, TeamModel.PERSON)


def _click_header(panel: TeamPanel, column: int) -> None:
    header = panel.view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(x, header.height() // 2),
    )


def _click_row(panel: TeamPanel, name: str) -> None:
    row = _names(panel).index(name)
    rect = panel.view.visualRect(panel.proxy.index(row, TeamModel.PERSON))
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_one_row_per_person_with_what_a_manager_looks_for(
    panel: TeamPanel, qtmodeltester: Any
) -> None:
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)
    assert _names(panel) == sorted(TEAM, key=str.casefold)
    zoe = _names(panel).index("Zoë")
    row = [str(panel.proxy.index(zoe, c).data()) for c in range(panel.proxy.columnCount())]
    assert row == [
        "Zoë\nJunior → Senior",
        "2026-05-01\nbundle: today",
        "2026-05-31\n⚠ overdue",
        "85\nApproaching",
        "45\nNot yet",
        "",
        "1\nA Critical",
        "B Important\ntheirs 2 → yours 0",
        "Drafted\nrecommends Approaching",
    ]
    noor = _names(panel).index("Noor")
    assert _column(panel, TeamModel.READINESS, 1)[noor] == "Not assessable"
    assert panel.proxy.index(noor, TeamModel.GATES).data() == "—"
    assert panel.status.text() == "6 people · 2 overdue for a check-in"
    assert not panel.progress.isVisible()
    tip = panel.proxy.index(zoe, TeamModel.CALIBRATED).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("By your assessment of 2026-06-15 (1 skill rated): 45 / 100 — Not yet")


def test_the_trend_is_drawn_as_a_sparkline(panel: TeamPanel) -> None:
    """Each row with check-ins has a line in the accent colour in its trend cell."""
    image = panel.view.viewport().grab().toImage()
    accent = panel.palette().highlight().color()
    for row, name in enumerate(_names(panel)):
        rect = panel.view.visualRect(panel.proxy.index(row, TeamModel.TREND))
        inked = sum(
            _near(QColor(image.pixel(x, y)), accent)
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
        )
        assert (inked > 10) == (name != "Noor"), name


def _near(color: QColor, accent: QColor) -> bool:
    return (
        abs(color.red() - accent.red())
        + abs(color.green() - accent.green())
        + abs(color.blue() - accent.blue())
        < 40
    )


def test_a_click_on_a_header_sorts_and_a_second_reverses(panel: TeamPanel) -> None:
    readiness = {name: value for name, value in zip(_names(panel), _column(panel, 3), strict=True)}
    _click_header(panel, TeamModel.READINESS)
    ascending = _names(panel)
    assert ascending[0] == "Noor"  # not assessable: nothing to compare, first
    scores = [float(readiness[name]) for name in ascending[1:]]
    assert scores == sorted(scores)
    _click_header(panel, TeamModel.READINESS)
    assert _names(panel) == ascending[::-1]
    _click_header(panel, TeamModel.DISAGREEMENT)
    _click_header(panel, TeamModel.DISAGREEMENT)
    assert _names(panel)[:2] == ["Zoë", "Ana Lima"] or _names(panel)[:2] == ["Ana Lima", "Zoë"]


def test_typing_filters_the_rows(qtbot: QtBot, panel: TeamPanel) -> None:
    click(panel.filter)
    type_text(panel.filter, "li")
    assert _names(panel) == ["Ana Lima"]
    assert panel.status.text() == "1 of 6 people match “li”"
    for _ in range(2):
        qtbot.keyClick(panel.filter, Qt.Key.Key_Backspace)
    type_text(panel.filter, "李")
    assert _names(panel) == ["李雷"]
    panel.filter.selectAll()
    type_text(panel.filter, "not yet")  # a verdict, self-assessed or calibrated
    assert set(_names(panel)) == {"Zoë", "李雷"}
    panel.filter.selectAll()
    type_text(panel.filter, "nobody")
    assert _names(panel) == []
    assert panel.status.text() == "0 of 6 people match “nobody”"
    panel.filter.selectAll()
    qtbot.keyClick(panel.filter, Qt.Key.Key_Delete)
    assert len(_names(panel)) == 6


def test_enter_or_a_double_click_opens_a_person(
    qtbot: QtBot, panel: TeamPanel, team: dict[str, str]
) -> None:
    _click_row(panel, "Bea")
    assert panel.open_button.isEnabled()
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert opened.args == [team["Bea"]]
    row = _names(panel).index("Chidi")
    rect = panel.view.visualRect(panel.proxy.index(row, TeamModel.READINESS))
    viewport, left, at = panel.view.viewport(), Qt.MouseButton.LeftButton, rect.center()
    with qtbot.waitSignal(panel.open_requested) as opened:  # press, release, press again
        QTest.mousePress(viewport, left, pos=at)
        QTest.mouseRelease(viewport, left, pos=at)
        QTest.mouseDClick(viewport, left, pos=at)
    assert opened.args == [team["Chidi"]]


def test_the_table_says_what_rung_team_list_json_says(
    panel: TeamPanel, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["team", "list", "--json", "--on", TEAM_DAY.isoformat()]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [person["name"] for person in listed] == _names(panel)
    for row, person in enumerate(listed):
        cell = {c: str(panel.proxy.index(row, c).data()).split("\n") for c in range(9)}
        assert (
            panel.model.row_at(panel.proxy.mapToSource(panel.proxy.index(row, 0))).id
            == (person["id"])
        )
        assert cell[TeamModel.LAST][0] == (person["last_checkin"] or "none yet")
        assert cell[TeamModel.DUE][0] == person["next_checkin_due"]
        for column, value, verdict in (
            (TeamModel.READINESS, person["readiness"], person["verdict"]),
            (TeamModel.CALIBRATED, person["calibrated_readiness"], person["calibrated_verdict"]),
        ):
            assert cell[column][0] == ("—" if value is None else format_score(value))
            assert cell[column][1] == (verdict or "not assessed")
        gates = person["gates"]
        if person["readiness"] is not None:
            assert cell[TeamModel.GATES][0] == str(len(gates))
            assert cell[TeamModel.GATES][1:] == [gate["name"] for gate in gates[:1]]
        largest = person["largest_disagreement"]
        if largest:
            own = "not rated" if largest["self"] is None else largest["self"]
            assert cell[TeamModel.DISAGREEMENT] == [
                largest["name"],
                f"theirs {own} → yours {largest['manager']}",
            ]
        assert cell[TeamModel.ASSESSMENT][0] == STATES[person["assessment"]]
        index = panel.proxy.index(row, TeamModel.TREND)
        assert index.data(TeamModel.TREND_ROLE) == [p["readiness"] for p in person["trend"]]


def test_the_team_exports_as_csv_and_as_a_one_page_pdf(
    qtbot: QtBot, panel: TeamPanel, runner: TaskRunner, answers: Dialogs, tmp_path: Path
) -> None:
    answers.queue("save_file", tmp_path / "team")  # no suffix given: .csv is added
    click(panel.csv_button)
    wait_idle(qtbot, runner)
    (_title, _filter, suggested) = answers.asked["save_file"][0]
    assert suggested == "Rung team table - 2026-06-15.csv"
    path = tmp_path / "team.csv"
    assert panel.status.text() == "Saved team.csv"
    assert panel.status.toolTip() == str(path)
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["name"] for row in rows] == sorted(TEAM, key=str.casefold)
    assert {row["name"]: row["readiness"] for row in rows}["Zoë"] == "85"

    answers.queue("save_file", tmp_path / "summary.pdf")
    click(panel.pdf_button)
    wait_idle(qtbot, runner)
    reader = pypdf.PdfReader(tmp_path / "summary.pdf")
    assert len(reader.pages) == 1
    words = reader.pages[0].extract_text()
    for name in TEAM:
        assert name in words
    assert "Team summary" in words
    assert "B Important" in words
    assert reader.metadata is not None
    assert reader.metadata.author == MANAGER_NAME
    assert not answers.asked["error"]


def test_an_export_into_the_data_folder_is_refused_in_one_sentence(
    qtbot: QtBot,
    panel: TeamPanel,
    runner: TaskRunner,
    answers: Dialogs,
    data_dir: Path,
) -> None:
    database = data_dir / "rung.sqlite3"
    size = database.stat().st_size
    answers.queue("save_file", database.with_suffix(".csv"))
    click(panel.csv_button)
    wait_idle(qtbot, runner)
    [(title, text, *_rest)] = answers.asked["error"]
    assert title == "Export the team"
    assert "is Rung's own data" in text
    assert not database.with_suffix(".csv").exists()
    assert database.stat().st_size == size
    assert panel.status.text() == "6 people · 2 overdue for a check-in"


def test_the_section_shows_with_shared_profiles_and_opens_a_persons_dashboard(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    tmp_path: Path,
) -> None:
    window = main_window
    services.profiles.create(
        name="Me", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles()
    row = [key for key, _title, _icon in SECTIONS].index("team")
    assert window.sidebar.item(row).isHidden()  # only your own profile: no team
    qtbot.keyClick(window, Qt.Key.Key_0, CTRL)
    assert window.current_section() == "dashboard"

    ids = share_team(services, tmp_path)
    window.reload_profiles(window.profile_id)
    assert not window.sidebar.item(row).isHidden()
    qtbot.keyClick(window, Qt.Key.Key_0, CTRL)
    assert window.current_section() == "team"
    wait_idle(qtbot, runner)
    panel = window.team
    assert len(_names(panel)) == len(TEAM)
    _click_row(panel, "Chidi")
    qtbot.keyClick(panel.view, Qt.Key.Key_Enter)
    wait_idle(qtbot, runner)
    assert window.current_section() == "dashboard"
    assert window.profile_id == ids["Chidi"]
    assert window.switcher.currentText() == "Chidi"

    # Deleting every shared profile hides the section again.
    for profile_id in ids.values():
        services.profiles.delete(profile_id)
    window.show_section("team")
    window.reload_profiles()
    assert window.sidebar.item(row).isHidden()
    assert window.current_section() == "dashboard"


def test_rows_are_read_again_when_the_section_is_shown(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    team: dict[str, str],
) -> None:
    window = main_window
    window.reload_profiles()
    window.show_section("team")
    wait_idle(qtbot, runner)
    panel = window.team
    bea = _names(panel).index("Bea")
    assert panel.proxy.index(bea, TeamModel.ASSESSMENT).data() == "None"
    profile = services.profiles.get(team["Bea"])
    skill = services.frameworks.get(profile.framework, profile.framework_version).skills[0]
    services.manager.set_calibration(team["Bea"], skill.id, 0)  # as the Assessment section does
    window.show_section("dashboard")
    window.show_section("team")
    wait_idle(qtbot, runner)
    bea = _names(panel).index("Bea")
    assert panel.proxy.index(bea, TeamModel.ASSESSMENT).data() == "Drafted"
    assert panel.proxy.index(bea, TeamModel.CALIBRATED).data() != "—\nnot assessed"
