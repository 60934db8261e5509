"""The evidence log in the UI: quick capture by the shortcut, the list, and the wizard."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.evidence import Tag
from tests.helpers import CALENDAR, date_ranges, type_text
from ui import dialogs
from ui.checkin import SkillRater
from ui.evidence import EvidencePanel, EvidenceTableModel
from ui.evidence_capture import CaptureContext, QuickCaptureDialog
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui

TEXT = "<b>Zoë</b> & 李雷 🚀"
SKILL = Tag("skill", "python-ml-engineering")


def _rows(services: Services, sql: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        return conn.execute(sql).fetchall()


def _window_with_profile(main_window: Any, services: Services, runner: Any) -> str:
    profile_id = services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 5),
    ).id
    main_window.reload_profiles(profile_id)
    runner.drain()
    return profile_id


def test_capture_by_shortcut_tag_see_in_wizard_and_link(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    profile_id = _window_with_profile(window, services, runner)
    window.show_section("history")  # the shortcut works from any section
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.keyClick(
        window.history,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QuickCaptureDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QuickCaptureDialog)
    qtbot.waitUntil(dialog.title.hasFocus)
    type_text(dialog.title, TEXT)
    dialog.description.setFocus()
    type_text(dialog.description, "Shipped the pipeline")
    [item] = [
        dialog.tags.item(n)
        for n in range(dialog.tags.count())
        if dialog.tags.item(n).data(Qt.ItemDataRole.UserRole) == SKILL
    ]
    dialog.tags.setCurrentItem(item)
    qtbot.keyClick(dialog.tags, Qt.Key.Key_Space)
    assert dialog.checked_tags() == [SKILL]
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    runner.drain()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    [entry] = services.evidence.search(profile_id)
    assert (entry.title, entry.description, entry.private) == (TEXT, "Shipped the pipeline", False)
    assert entry.tags == (SKILL,)
    assert _rows(services, "SELECT title FROM evidence") == [(TEXT,)]

    window.show_section("evidence")
    runner.drain()
    qtbot.waitUntil(lambda: window.evidence.model.rowCount() == 1)
    assert window.evidence.model.info(0).title == TEXT

    window.show_section("checkin")
    panel = window.checkin
    runner.drain()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is not None)
    rater = next(
        r for r in panel.steps.currentWidget().findChildren(SkillRater) if r.skill.id == SKILL.ref
    )
    box = rater.evidence[entry.id]
    assert TEXT.replace("&", "&&") in box.text()  # shown as typed, "&" not a mnemonic
    assert isinstance(box, QCheckBox)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    runner.drain()
    draft = services.checkins.draft(profile_id)
    assert draft is not None
    assert [e.id for e in services.evidence.linked(draft.id, SKILL.ref)] == [entry.id]
    # Leaving the rating as "keep current" keeps the link (the rating row holds it).
    panel.flush()
    runner.drain()
    assert [e.id for e in services.evidence.linked(draft.id, SKILL.ref)] == [entry.id]


def _search_width(qtbot: QtBot, window: MainWindow, runner: Any) -> int:
    """The Evidence section's search box's width, once its tag filter is filled."""
    window.show_section("evidence")
    panel = window.evidence
    runner.drain()
    qtbot.waitUntil(lambda: panel.tag.count() > 1)
    QApplication.processEvents()
    return panel.search.width()


def test_the_search_box_keeps_its_width_after_a_capture_from_another_section(
    qtbot: QtBot,
    qapp: QApplication,
    main_window: Any,
    services: Services,
    runner: Any,
    data_dir: Path,
) -> None:
    """A capture from the Dashboard builds the Evidence section, hidden, with the framework's
    tags in its filter: the search box beside it is as wide as when the section is opened."""
    window = main_window
    _window_with_profile(window, services, runner)
    window.resize(900, 640)
    window.activateWindow()
    qtbot.waitActive(window)
    window.show_section("dashboard")
    qtbot.keyClick(
        window.dashboard,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QuickCaptureDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QuickCaptureDialog)
    type_text(dialog.title, "Shipped the pipeline")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)  # Save, the default button
    runner.drain()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    after_capture = _search_width(qtbot, window, runner)
    window.hide()  # its shortcuts with it

    opened = MainWindow(Settings(data_dir), Theme(qapp, Appearance.LIGHT), data_dir)
    opened.open(services, runner)
    qtbot.addWidget(opened)
    opened.resize(900, 640)
    opened.show()
    qtbot.waitExposed(opened)
    assert after_capture == _search_width(qtbot, opened, runner)
    assert after_capture >= opened.evidence.tag.width()  # the search's stretch is 3 to its 2


def test_panel_filters_edits_and_deletes(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any, monkeypatch: Any
) -> None:
    window = main_window
    profile_id = _window_with_profile(window, services, runner)
    services.evidence.add(profile_id, day=date(2026, 2, 1), title="Talk on 李雷", tags=[SKILL])
    services.evidence.add(profile_id, day=date(2026, 3, 1), title="Pipeline", private=True)
    window.show_section("evidence")
    panel = window.evidence
    panel.reload()
    runner.drain()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)
    # newest first: the private "Pipeline", then the shared talk
    assert panel.model.data(panel.model.index(0, EvidenceTableModel.PRIVATE)) == "private"
    assert panel.model.data(panel.model.index(1, EvidenceTableModel.PRIVATE)) == ""

    panel.search.setFocus()
    type_text(panel.search, "李雷")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not runner.busy, timeout=3000)
    assert panel.model.info(0).title == "Talk on 李雷"
    panel.search.clear()
    panel.tag.setCurrentIndex(panel.tag.findData(SKILL))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not runner.busy, timeout=3000)
    panel.tag.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2 and not runner.busy, timeout=3000)

    panel.view.selectRow(panel.proxy.mapFromSource(panel.model.index(0, 0)).row())
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda *args: asked.append(args[2]) or True)
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    runner.drain()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and not runner.busy, timeout=3000)
    assert len(asked) == 1
    assert len(services.evidence.search(profile_id)) == 1


def test_a_bad_entry_shows_its_problem_and_keeps_the_dialog(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    _window_with_profile(window, services, runner)
    panel = window.evidence  # built as first used: the profile's framework loads first
    runner.drain()
    dialog = panel.capture()
    assert dialog is not None
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    runner.drain()
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    assert "title is empty" in dialog.message.text()
    assert dialog.isVisible()
    dialog.reject()


def test_the_evidence_model_is_a_valid_model(qtmodeltester: Any, services: Services) -> None:
    profile_id = services.profiles.create(
        name="Ada", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    ).id
    services.evidence.add(profile_id, day=date(2026, 2, 1), title=TEXT, tags=[SKILL])
    model = EvidenceTableModel()
    model.set_rows(services.evidence.search(profile_id))
    qtmodeltester.check(model)


def test_import_a_brag_document_with_a_bad_row(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = main_window
    profile_id = _window_with_profile(window, services, runner)
    with qtbot.waitSignal(runner.idle):  # built as first shown, it loads the framework
        window.show_section("evidence")
    panel = window.evidence
    brag = tmp_path / "wins.csv"
    brag.write_text(
        "date,title,description,tags\n"
        f"2026-01-05,{TEXT},Shipped,skill:python-ml-engineering\n"
        "2026-13-01,Bad date,,\n"
        "2026-02-01,Second,,\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(dialogs, "open_file", lambda *args: brag)
    with qtbot.waitSignal(runner.idle):
        qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    dialog = panel.import_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model)
    assert [dialog.problems.item(n).text() for n in range(dialog.problems.count())] == [
        "row 3: the date '2026-13-01' is not a date in the form YYYY-MM-DD"
    ]
    assert "2 entries will be imported; 1 row cannot be read" in dialog.summary.text()
    assert services.evidence.search(profile_id) == []  # nothing until confirmed
    assert _rows(services, "SELECT count(*) FROM evidence") == [(0,)]
    with qtbot.waitSignal(runner.idle):  # the import, then the list loaded again
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 2
    found = services.evidence.search(profile_id)
    assert [e.title for e in found] == ["Second", TEXT]
    assert found[1].tags == (SKILL,)
    assert services.store.backups is not None
    assert [b for b in services.store.backups.all() if b.reason == "before-import"]


def test_a_cancelled_import_stores_nothing(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    window = main_window
    profile_id = _window_with_profile(window, services, runner)
    panel = window.evidence
    runner.drain()  # the section, built as first used, loads the profile's framework
    brag = tmp_path / "wins.md"
    brag.write_text("- 2026-01-05: Shipped — it works\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "open_file", lambda *args: brag)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    runner.drain()
    qtbot.waitUntil(lambda: panel.import_dialog is not None and panel.import_dialog.isVisible())
    dialog = panel.import_dialog
    assert dialog is not None
    dialog.reject()
    runner.drain()
    assert services.evidence.search(profile_id) == []
    assert services.store.backups is not None
    assert not [b for b in services.store.backups.all() if b.reason == "before-import"]


def test_date_fields_hold_only_dates_in_the_calendar(
    qtbot: QtBot, services: Services, runner: Any
) -> None:
    framework = services.frameworks.load("ml-engineer")
    profile_id = services.profiles.create(
        name="Ada", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    ).id
    dialog = QuickCaptureDialog(services, runner, CaptureContext(profile_id, framework, ()))
    qtbot.addWidget(dialog)
    assert date_ranges(dialog) == {"Date": CALENDAR}
    panel = EvidencePanel(services, runner)
    qtbot.addWidget(panel)
    assert date_ranges(panel) == {"From date": CALENDAR, "To date": CALENDAR}
