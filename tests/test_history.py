"""History: the list of check-ins, a check-in's detail shown exactly, amend and delete, and
two check-ins compared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextCursor, QTextTable
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTextEdit
from pytestqt.qtbot import QtBot

from app.errors import NotFoundError
from app.services import Services
from app.services.demo import create_demo
from ui import dialogs, history
from ui.history import EMPTY_TEXT, CheckInTableModel, HistoryPanel
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui

NOTE = "<b>Zoë</b> & 李雷 🚀"


@pytest.fixture
def demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, years=1)


def make_panel(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str
) -> HistoryPanel:
    panel = HistoryPanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 650)
    panel.show()
    panel.show_profile(profile_id)
    expected = len(services.checkins.all(profile_id))
    qtbot.waitUntil(lambda: panel.model.rowCount() == expected and not runner.busy)
    return panel


@pytest.fixture
def panel(qtbot: QtBot, services: Services, runner: TaskRunner, demo: str) -> HistoryPanel:
    return make_panel(qtbot, services, runner, demo)


def click_row(qtbot: QtBot, panel: HistoryPanel, checkin_id: str) -> None:
    """Click a check-in's row with the mouse and wait for its detail."""
    source = panel.model.index(panel.model.row_of(checkin_id), CheckInTableModel.STATUS)
    index = panel.proxy.mapFromSource(source)
    panel.view.scrollTo(index)
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(index).center()
    )
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.detail.info.id == checkin_id)


def finished_checkin(services: Services, profile_id: str) -> str:
    """A final check-in between two demo ones, with markup-like text, then amended."""
    day = services.checkins.all(profile_id)[3].date + timedelta(days=3)
    framework = services.frameworks.load("ml-engineer")
    skill = framework.skills[0]
    checkin = services.checkins.start_draft(profile_id, on=day)
    services.checkins.set_rating(checkin.id, skill.id, 3, confidence=4, note=NOTE)
    services.checkins.set_reflection(checkin.id, "wins", f"{NOTE}\n  indented second line")
    services.checkins.set_reflection(checkin.id, "focus", "Tabs\tand  double  spaces")
    services.checkins.finalize(checkin.id)
    services.checkins.set_rating(checkin.id, skill.id, 2, confidence=4, note="Rethought: 2")
    return checkin.id


def test_model_passes_the_model_tester(panel: HistoryPanel, qtmodeltester) -> None:
    assert panel.model.rowCount() == 12
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_lists_every_checkin_newest_first_with_counts(
    panel: HistoryPanel, services: Services, demo: str
) -> None:
    infos = services.checkins.all(demo)
    shown = [
        tuple(panel.proxy.index(row, column).data() for column in range(4))
        for row in range(panel.proxy.rowCount())
    ]
    expected = [
        (info.date.isoformat(), "Final", str(info.ratings), str(info.changed))
        for info in reversed(infos)
    ]
    assert shown == expected
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Date", "Status", "Ratings", "Changed"]
    # The newest is selected and shown at once.
    assert panel.shown is not None
    assert panel.shown.detail.info.id == infos[-1].id


def test_sorting_by_a_column_header(qtbot: QtBot, panel: HistoryPanel) -> None:
    header = panel.view.horizontalHeader()
    section = CheckInTableModel.RATINGS
    pos = QPoint(header.sectionViewportPosition(section) + 5, header.height() // 2)

    def counts() -> list[int]:
        return [
            panel.proxy.index(row, section).data(CheckInTableModel.SORT_ROLE)
            for row in range(panel.proxy.rowCount())
        ]

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    first = counts()
    assert first in (sorted(first), sorted(first, reverse=True))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert counts() == sorted(first, reverse=first == sorted(first))


def _arrow(header: QHeaderView, section: int) -> str:
    """Which way the sort arrow drawn in a header section points: "up" when its widest row
    of ink is at the bottom, "down" when it is at the top."""
    pixmap = header.grab()
    image, ratio = pixmap.toImage(), pixmap.devicePixelRatio()
    left = round(
        (header.sectionViewportPosition(section) + header.sectionSize(section) // 2) * ratio
    )
    right = round((header.sectionViewportPosition(section) + header.sectionSize(section)) * ratio)
    text = header.fontMetrics().horizontalAdvance(
        header.model().headerData(section, Qt.Orientation.Horizontal)
    )
    left += round(text * ratio / 2) + 2  # right of the centred title
    widths = []
    for y in range(image.height()):
        row = [image.pixelColor(x, y).lightness() for x in range(left, right - 2)]
        middle = sorted(row)[len(row) // 2]
        widths.append(sum(abs(value - middle) > 60 for value in row))
    inked = [(y, width) for y, width in enumerate(widths) if width]
    assert len(inked) >= 2, f"no sort arrow in section {section}"
    top, bottom = inked[0][1], inked[-1][1]
    assert top != bottom, widths
    return "up" if bottom > top else "down"


def test_the_sort_arrow_points_the_way_the_dates_run(
    qtbot: QtBot, qapp: QApplication, services: Services, runner: TaskRunner, demo: str
) -> None:
    """Up (▲) for the oldest first, down (▼) for the newest first, as most desktop apps draw
    it, whichever way the user last clicked."""
    Theme(qapp, Appearance.LIGHT)
    panel = make_panel(qtbot, services, runner, demo)
    header = panel.view.horizontalHeader()
    section = CheckInTableModel.DATE
    for _click in range(3):
        days = [panel.proxy.index(row, section).data() for row in range(panel.proxy.rowCount())]
        newest_first = days == sorted(days, reverse=True)
        assert newest_first or days == sorted(days)
        assert _arrow(header, section) == ("down" if newest_first else "up"), days[:3]
        pos = QPoint(header.sectionViewportPosition(section) + 5, header.height() // 2)
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_empty_state(qtbot: QtBot, services: Services, runner: TaskRunner) -> None:
    profile = services.profiles.create(
        name="New person", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    panel = HistoryPanel(services, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_profile(profile.id)
    qtbot.waitUntil(lambda: not runner.busy)
    assert panel.pages.currentWidget() is panel.empty
    assert panel.empty.text() == EMPTY_TEXT
    assert not panel.amend_button.isEnabled()
    assert not panel.delete_button.isEnabled()


def test_detail_shows_text_exactly_and_the_amendment_log(
    qtbot: QtBot, services: Services, runner: TaskRunner, demo: str
) -> None:
    checkin_id = finished_checkin(services, demo)
    panel = make_panel(qtbot, services, runner, demo)
    click_row(qtbot, panel, checkin_id)
    text = panel.detail.toPlainText()
    skill = services.frameworks.load("ml-engineer").skills[0]
    assert skill.name in text
    assert "2 – Does scoped tasks with guidance" in text
    assert "4/5" in text
    assert "Rethought: 2" in text
    assert f"Wins: {NOTE}\n  indented second line" in text
    assert "Focus: Tabs\tand  double  spaces" in text
    assert "Blockers: —" in text
    # The amendment log: the value and the note, old → new, under the skill's name.
    assert f"{skill.name}: value" in text
    assert "3 → 2" in text
    assert f"{NOTE} → Rethought: 2" in text


def test_detail_shows_milestones_kpis_and_the_demo_notes_as_typed(
    qtbot: QtBot, panel: HistoryPanel, services: Services, demo: str
) -> None:
    # The demo has a note that looks like markup; it must show as typed.
    target = next(
        info
        for info in services.checkins.all(demo)
        if any(
            entry.note and "<b>clarity</b> &" in entry.note
            for entry in services.checkins.detail(info.id).ratings.values()
        )
    )
    click_row(qtbot, panel, target.id)
    detail = services.checkins.detail(target.id)
    text = panel.detail.toPlainText()
    for entry in detail.ratings.values():
        if entry.note:
            assert entry.note in text
    framework = services.frameworks.load("ml-engineer")
    for milestone_id, m_entry in detail.milestones.items():
        milestone = next(m for m in framework.milestones if m.id == milestone_id)
        assert milestone.title in text
        if m_entry.status_date:
            assert m_entry.status_date.isoformat() in text
    for kpi_id, k_entry in detail.kpis.items():
        kpi = next(k for k in framework.kpis if k.id == kpi_id)
        assert kpi.name in text
        assert f"{k_entry.value:g}" in text
    assert detail.reflection["wins"] in text
    assert "Not amended since it was finalised." in text


def test_keyboard_moves_through_checkins(qtbot: QtBot, panel: HistoryPanel) -> None:
    panel.view.setFocus()
    newest = panel.shown.detail.info.id if panel.shown else None
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: panel.shown is not None and panel.shown.detail.info.id != newest)
    assert panel.shown is not None
    assert panel.shown.detail.info.id == panel.selected_id()
    assert panel.view.currentIndex().row() == 1


def test_amend_emits_the_checkin_id(
    qtbot: QtBot, services: Services, runner: TaskRunner, demo: str
) -> None:
    checkin_id = finished_checkin(services, demo)
    panel = make_panel(qtbot, services, runner, demo)
    click_row(qtbot, panel, checkin_id)
    assert panel.amend_button.isEnabled()
    with qtbot.waitSignal(panel.amend_requested) as blocker:
        qtbot.mouseClick(panel.amend_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [checkin_id]


def test_a_draft_cannot_be_amended_here(
    qtbot: QtBot, services: Services, runner: TaskRunner, demo: str
) -> None:
    draft = services.checkins.start_draft(demo)
    panel = make_panel(qtbot, services, runner, demo)
    click_row(qtbot, panel, draft.id)
    assert panel.proxy.index(0, CheckInTableModel.STATUS).data() == "Draft"
    assert not panel.amend_button.isEnabled()
    assert panel.delete_button.isEnabled()


def test_delete_after_yes_removes_the_checkin(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    demo: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checkin_id = finished_checkin(services, demo)
    asked: list[str] = []

    def confirm(parent, title, text, action) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(dialogs, "confirm", confirm)
    panel = make_panel(qtbot, services, runner, demo)
    before = panel.model.rowCount()
    click_row(qtbot, panel, checkin_id)
    row = panel.view.currentIndex().row()
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.model.rowCount() == before - 1 and not runner.busy)
    assert len(asked) == 1
    assert panel.model.row_of(checkin_id) == -1
    assert checkin_id not in {info.id for info in services.checkins.all(demo)}
    with pytest.raises(NotFoundError):
        services.checkins.detail(checkin_id)
    # The neighbour that moved into its place is selected and shown.
    assert panel.view.currentIndex().row() == row
    qtbot.waitUntil(lambda: panel.shown is not None)


def test_delete_after_no_keeps_the_checkin(
    qtbot: QtBot,
    panel: HistoryPanel,
    services: Services,
    runner: TaskRunner,
    demo: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dialogs, "confirm", lambda *args: False)
    checkin_id = panel.selected_id()
    assert checkin_id is not None
    with qtbot.assertNotEmitted(panel.changed, wait=100):
        qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert not runner.busy
    assert panel.model.row_of(checkin_id) >= 0
    assert services.checkins.detail(checkin_id).info.id == checkin_id


def test_delete_key_asks_too(
    qtbot: QtBot, panel: HistoryPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda *args: asked.append(args[1]) or False)
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert asked == ["Delete check-in"]


def test_every_control_has_an_accessible_name(panel: HistoryPanel) -> None:
    for widget in (
        panel.view,
        panel.detail,
        panel.amend_button,
        panel.delete_button,
        panel.status,
        panel.empty,
    ):
        assert widget.accessibleName()


def test_ten_years_of_weekly_checkins(qtbot: QtBot, services: Services, runner: TaskRunner) -> None:
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=10, weekly=True
    )
    panel = make_panel(qtbot, services, runner, profile_id)
    assert panel.model.rowCount() == 521
    qtbot.waitUntil(lambda: panel.shown is not None)
    QApplication.processEvents()


def test_holding_down_shows_the_checkin_reached(
    qtbot: QtBot, services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=2, weekly=True
    )
    panel = make_panel(qtbot, services, runner, profile_id)
    loaded: list[str] = []
    original = history.load_detail

    def counting(services: Services, checkin_id: str) -> history.LoadedDetail:
        loaded.append(checkin_id)
        return original(services, checkin_id)

    monkeypatch.setattr(history, "load_detail", counting)
    panel.view.setFocus()
    for _ in range(30):
        qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not runner.busy)
    assert panel.view.currentIndex().row() == 30
    assert panel.shown is not None
    assert panel.shown.detail.info.id == panel.selected_id()
    assert loaded[-1] == panel.selected_id()


def test_a_new_palette_redraws_the_detail(
    qtbot: QtBot, panel: HistoryPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    original = history.write_detail

    def counting(editor: QTextEdit, loaded: history.LoadedDetail) -> None:
        drawn.append(loaded.detail.info.id)
        original(editor, loaded)

    monkeypatch.setattr(history, "write_detail", counting)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Mid, QColor("#3c4541"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: bool(drawn))
    finally:
        app.setPalette(before)
    assert panel.shown is not None
    assert drawn[0] == panel.shown.detail.info.id


# -- comparing two check-ins ---------------------------------------------------------

PYTHON, FUNDAMENTALS, PANDAS, SKLEARN, SQL = (
    "python-ml-engineering",
    "ml-fundamentals",
    "pandas-numpy",
    "scikit-learn",
    "sql-fundamentals",
)
MILESTONE = "30d-run-pipeline"


@dataclass(frozen=True)
class Known:
    """A profile with three final check-ins (oldest first) and a milestone done in the second."""

    profile_id: str
    checkins: tuple[str, str, str]


def final_checkin(
    services: Services,
    profile_id: str,
    day: date,
    ratings: dict[str, int | None],
    milestones: dict[str, str] | None = None,
) -> str:
    """A final check-in; a rating of None marks the skill not applicable."""
    checkin = services.checkins.start_draft(profile_id, on=day)
    for skill_id, value in ratings.items():
        services.checkins.set_rating(checkin.id, skill_id, value, not_applicable=value is None)
    for milestone_id, status in (milestones or {}).items():
        services.checkins.set_milestone(checkin.id, milestone_id, status, status_date=day)
    services.checkins.finalize(checkin.id)
    return checkin.id


@pytest.fixture
def known(services: Services) -> Known:
    profile = services.profiles.create(
        name="Ana",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2024, 1, 1),
    )
    first = final_checkin(
        services,
        profile.id,
        date(2024, 2, 1),
        {PYTHON: 1, FUNDAMENTALS: 2, PANDAS: 3, SKLEARN: 2, SQL: 2},
        {MILESTONE: "in-progress"},
    )
    second = final_checkin(
        services, profile.id, date(2024, 3, 1), {PYTHON: 3, FUNDAMENTALS: 1}, {MILESTONE: "done"}
    )
    third = final_checkin(services, profile.id, date(2024, 4, 1), {PYTHON: 2, PANDAS: 4, SQL: None})
    return Known(profile.id, (first, second, third))


@pytest.fixture
def known_panel(qtbot: QtBot, services: Services, runner: TaskRunner, known: Known) -> HistoryPanel:
    panel = make_panel(qtbot, services, runner, known.profile_id)
    qtbot.waitUntil(lambda: panel.shown is not None)  # the newest, selected at once
    return panel


def row_center(panel: HistoryPanel, checkin_id: str) -> QPoint:
    source = panel.model.index(panel.model.row_of(checkin_id), CheckInTableModel.DATE)
    index = panel.proxy.mapFromSource(source)
    panel.view.scrollTo(index)
    return panel.view.visualRect(index).center()


def ctrl_click_row(qtbot: QtBot, panel: HistoryPanel, checkin_id: str) -> None:
    qtbot.mouseClick(
        panel.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        row_center(panel, checkin_id),
    )


def compare(qtbot: QtBot, panel: HistoryPanel, runner: TaskRunner) -> str:
    """Click Compare and wait for the comparison; the detail pane's text."""
    assert panel.compare_button.isEnabled()
    qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.compared is not None and not runner.busy)
    return panel.detail.toPlainText()


def skill_names(services: Services) -> dict[str, str]:
    return {s.id: s.name for s in services.frameworks.load("ml-engineer").skills}


def changed_rows(panel: HistoryPanel) -> list[tuple[str, ...]]:
    """The rows of the comparison's table of changed skills, as shown."""
    document = panel.detail.document()
    tables = [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]
    assert len(tables) == 1
    table = tables[0]

    def text(row: int, column: int) -> str:
        cursor = table.cellAt(row, column).firstCursorPosition()
        end = table.cellAt(row, column).lastCursorPosition().position()
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    return [
        tuple(text(row, column) for column in range(table.columns())) for row in range(table.rows())
    ]


def test_compare_two_checkins_picked_with_ctrl_click(
    qtbot: QtBot, known_panel: HistoryPanel, services: Services, runner: TaskRunner, known: Known
) -> None:
    panel = known_panel
    first, _second, third = known.checkins
    assert panel.selected_ids() == [third]
    assert not panel.compare_button.isEnabled()
    ctrl_click_row(qtbot, panel, first)
    assert panel.selected_ids() == [third, first]
    assert panel.detail.toPlainText() == ""
    assert panel.detail.placeholderText() == history.TWO_SELECTED_TEXT
    # Amend and Delete act on one check-in only.
    assert not panel.amend_button.isEnabled()
    assert not panel.delete_button.isEnabled()

    text = compare(qtbot, panel, runner)
    names = skill_names(services)
    assert text.startswith("From 2024-02-01 to 2024-04-01\n")
    assert "60 days apart" in text
    assert "Skills that changed (4): 2 up, 1 down" in text
    assert changed_rows(panel) == [
        ("Skill", "Rating", "Change"),
        (names[PYTHON], "1 → 2", "▲ +1"),
        (names[FUNDAMENTALS], "2 → 1", "▼ −1"),
        (names[PANDAS], "3 → 4", "▲ +1"),
        (names[SQL], "2 → not applicable", "marked not applicable"),
    ]
    assert names[SKLEARN] not in text  # 2 → 2: unchanged, only counted
    # scikit-learn, and the 31 skills never rated (0 → 0; 1.1 has 36 skills).
    assert "32 skills unchanged, 31 of them not rated yet." in text
    milestone = next(
        m.title for m in services.frameworks.load("ml-engineer").milestones if m.id == MILESTONE
    )
    assert "Milestones completed between them (1)" in text
    assert f"✓ {milestone}" in text
    assert panel.detail.accessibleName() == "Comparison of two check-ins"

    # A reload (after a check-in elsewhere) keeps both selected and compares them again.
    panel.reload()
    qtbot.waitUntil(lambda: not runner.busy)
    assert panel.selected_ids() == [third, first]
    assert panel.compared is not None
    assert panel.detail.toPlainText() == text

    # Back to one check-in: its detail, Amend and Delete again.
    click_row(qtbot, panel, first)
    assert panel.compared is None
    assert "Check-in of 2024-02-01" in panel.detail.toPlainText()
    assert panel.amend_button.isEnabled()
    assert not panel.compare_button.isEnabled()


def test_either_selection_order_compares_older_to_newer(
    qtbot: QtBot, known_panel: HistoryPanel, services: Services, runner: TaskRunner, known: Known
) -> None:
    panel = known_panel
    first, second, third = known.checkins
    names = skill_names(services)
    expected = [
        ("Skill", "Rating", "Change"),
        (names[PYTHON], "1 → 3", "▲ +2"),
        (names[FUNDAMENTALS], "2 → 1", "▼ −1"),
    ]
    texts = []
    for one, other in ((first, second), (second, first)):
        click_row(qtbot, panel, one)
        ctrl_click_row(qtbot, panel, other)
        texts.append(compare(qtbot, panel, runner))
        assert panel.compared is not None
        assert panel.compared.comparison.first.id == first
        assert panel.compared.comparison.second.id == second
        assert changed_rows(panel) == expected
    assert texts[0] == texts[1]
    assert texts[0].startswith("From 2024-02-01 to 2024-03-01\n")
    assert "34 skills unchanged, 31 of them not rated yet." in texts[0]
    # Between the second and the third nothing was completed.
    click_row(qtbot, panel, third)
    ctrl_click_row(qtbot, panel, second)
    text = compare(qtbot, panel, runner)
    assert text.startswith("From 2024-03-01 to 2024-04-01\n")
    assert changed_rows(panel)[1] == (names[PYTHON], "3 → 2", "▼ −1")
    assert "No milestone was completed between them." in text


def test_compare_needs_exactly_two_final_checkins(
    qtbot: QtBot, known_panel: HistoryPanel, services: Services, runner: TaskRunner, known: Known
) -> None:
    panel = known_panel
    first, second, third = known.checkins
    click_row(qtbot, panel, second)
    assert panel.selected_ids() == [second]
    assert not panel.compare_button.isEnabled()
    ctrl_click_row(qtbot, panel, first)
    assert panel.compare_button.isEnabled()
    ctrl_click_row(qtbot, panel, third)
    assert panel.selected_ids() == [third, second, first]
    assert not panel.compare_button.isEnabled()
    assert not panel.amend_button.isEnabled()
    assert not panel.delete_button.isEnabled()
    assert panel.detail.placeholderText() == "3 check-ins selected. Select two to compare them."
    ctrl_click_row(qtbot, panel, second)  # Ctrl+click again deselects
    assert panel.selected_ids() == [third, first]
    assert panel.compare_button.isEnabled()
    # A draft cannot be compared.
    services.checkins.start_draft(known.profile_id, on=date(2024, 5, 1))
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4 and not runner.busy)
    assert panel.selected_ids() == [third, first]  # a reload keeps both selected
    draft = panel.proxy.index(0, 0).data(CheckInTableModel.ROW_ROLE).id
    click_row(qtbot, panel, draft)
    ctrl_click_row(qtbot, panel, third)
    assert not panel.compare_button.isEnabled()
    assert panel.detail.placeholderText() == history.DRAFT_SELECTED_TEXT


def test_compare_by_keyboard(
    qtbot: QtBot, known_panel: HistoryPanel, runner: TaskRunner, known: Known
) -> None:
    panel = known_panel
    first, second, third = known.checkins
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.view.setFocus()
    assert panel.selected_ids() == [third]
    # Ctrl+Down moves without selecting; Ctrl+Space adds the row reached.
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, ctrl)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, ctrl)
    qtbot.keyClick(panel.view, Qt.Key.Key_Space, ctrl)
    assert panel.selected_ids() == [third, first]
    assert panel.compare_button.isEnabled()
    qtbot.keyClick(panel, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # C&ompare
    qtbot.waitUntil(lambda: panel.compared is not None and not runner.busy)
    assert panel.detail.toPlainText().startswith("From 2024-02-01 to 2024-04-01\n")
    # An arrow selects one check-in; Shift+arrow extends the selection to the next one.
    qtbot.keyClick(panel.view, Qt.Key.Key_Up)
    assert panel.selected_ids() == [second]
    qtbot.keyClick(panel.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert panel.selected_ids() == [second, first]
    assert panel.compared is None
    assert panel.compare_button.isEnabled()


def drawn(panel: HistoryPanel, text: str, color: QColor) -> bool:
    """The detail pane shows `text` in `color`."""
    found = panel.detail.document().find(text)
    return not found.isNull() and found.charFormat().foreground().color() == color


def test_rises_and_falls_are_bold_and_distinct_in_light_and_dark(
    qtbot: QtBot, qapp: QApplication, known_panel: HistoryPanel, runner: TaskRunner, known: Known
) -> None:
    panel = known_panel
    ctrl_click_row(qtbot, panel, known.checkins[0])
    compare(qtbot, panel, runner)
    before = qapp.palette()
    try:
        for appearance in (Appearance.LIGHT, Appearance.DARK):
            Theme(qapp, appearance)  # the detail is redrawn in the new palette
            palette = qapp.palette()
            rise, fall = history.change_colors(palette)
            base = palette.base().color()
            assert rise != fall
            for color in (rise, fall):
                assert history._contrast(color, base) >= 4.5, (appearance, color.name())
            document = panel.detail.document()
            for text, color in (("▲ +1", rise), ("▼ −1", fall)):
                qtbot.waitUntil(lambda t=text, c=color: drawn(panel, t, c))  # a queued redraw
                assert document.find(text).charFormat().fontWeight() == QFont.Weight.Bold
            plain = document.find("1 → 2").charFormat()
            assert plain.fontWeight() != QFont.Weight.Bold
    finally:
        qapp.setPalette(before)


def test_comparison_controls_have_accessible_names(known_panel: HistoryPanel) -> None:
    assert known_panel.compare_button.accessibleName() == "Compare check-ins"
    assert known_panel.compare_button.text() == "C&ompare"
    assert known_panel.view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection


def test_model_tester_with_two_selected(
    qtbot: QtBot, known_panel: HistoryPanel, runner: TaskRunner, known: Known, qtmodeltester
) -> None:
    ctrl_click_row(qtbot, known_panel, known.checkins[0])
    compare(qtbot, known_panel, runner)
    qtmodeltester.check(known_panel.model)
    qtmodeltester.check(known_panel.proxy)
