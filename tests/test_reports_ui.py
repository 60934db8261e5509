"""The Reports section: options, the preview in the background, export with progress."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.report.model import AUDIENCES, ReportOptions
from app.report.service import ReportService
from app.services import Services
from app.services.demo import create_demo
from tests.helpers import click, date_ranges
from ui import dialogs
from ui import reports as reports_ui
from ui.main_window import MainWindow
from ui.reports import (
    AUDIENCE_HELP,
    NO_PROFILE_TEXT,
    NOT_ASSESSABLE_TEXT,
    RENDERING_TEXT,
    ReportsPanel,
    report_file_name,
)
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier


def _demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, years=1)


@pytest.fixture
def window(qtbot: QtBot, main_window: MainWindow, services: Services) -> MainWindow:
    """The main window, active, on a demo profile."""
    main_window.reload_profiles(_demo(services))
    main_window.activateWindow()
    qtbot.waitActive(main_window)
    return main_window


@pytest.fixture
def saved_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """`dialogs.save_file` answers a path in `tmp_path/out` (without the suffix: it is added);
    the list records each file name it offered."""
    asked: list[str] = []
    (tmp_path / "out").mkdir()

    def answer(_parent: Any, title: str, file_filter: str, suggested: str) -> Path:
        assert "*.pdf" in file_filter
        asked.append(suggested)
        return tmp_path / "out" / "report"

    monkeypatch.setattr(dialogs, "save_file", answer)
    return asked


def _wait_for_preview(qtbot: QtBot, panel: ReportsPanel) -> None:
    """Wait for the preview of the options shown (or why there is none): from a change of
    the options until it is on screen, the summary says it is being made."""
    assert panel.summary.text() == RENDERING_TEXT
    qtbot.waitUntil(lambda: panel.summary.text() != RENDERING_TEXT, timeout=10_000)


def _type_date(qtbot: QtBot, window: QWidget, mnemonic: Qt.Key, day: date) -> None:
    """Jump to a date field by its label's mnemonic and type the date's digits."""
    qtbot.keyClick(window, mnemonic, ALT)
    edit = QApplication.focusWidget()
    qtbot.keyClicks(edit, day.strftime("%Y%m%d"))


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_options_start_private_off_and_explain_each_audience(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    panel = ReportsPanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)

    assert panel.message.text() == NO_PROFILE_TEXT
    assert not panel.export_button.isEnabled()
    assert not panel.include_private.isChecked()
    assert panel.whole.isChecked()
    assert not panel.start.isEnabled()
    assert panel.options() == ReportOptions(audience="self")
    assert [panel.audience.itemData(i) for i in range(panel.audience.count())] == list(AUDIENCES)
    for index, audience in enumerate(AUDIENCES):
        panel.audience.setCurrentIndex(index)
        assert panel.audience_help.text() == AUDIENCE_HELP[audience]
    click(panel.between)
    assert panel.start.isEnabled()
    assert panel.end.isEnabled()
    assert panel.start.displayFormat() == "yyyy-MM-dd"
    assert panel.start.calendarPopup()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sam Rivera (demo)", "Rung report - Sam Rivera (demo) - 2026-03-15.pdf"),
        ('A/B: "C"\tD?', "Rung report - A B C D - 2026-03-15.pdf"),
        ("...", "Rung report - profile - 2026-03-15.pdf"),
        ("Zoë " + "x" * 200, f"Rung report - Zoë {'x' * 76} - 2026-03-15.pdf"),
    ],
)
def test_the_file_name_offered_is_safe_on_every_file_system(name: str, expected: str) -> None:
    assert report_file_name(name, date(2026, 3, 15)) == expected


def test_a_one_to_one_report_for_a_period_previews_and_exports(
    qtbot: QtBot,
    window: MainWindow,
    services: Services,
    runner: TaskRunner,
    saved_to: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = window.reports
    name = services.profiles.get(window.profile_id).name
    opened: list[Path] = []
    monkeypatch.setattr(reports_ui, "open_folder", lambda folder: opened.append(folder) or True)
    renders: list[ReportOptions] = []
    pdf = ReportService.pdf

    def recorded_pdf(
        reports: ReportService, pid: str, options: ReportOptions, *args: Any, **kwargs: Any
    ) -> bytes:
        renders.append(options)
        return pdf(reports, pid, options, *args, **kwargs)

    monkeypatch.setattr(ReportService, "pdf", recorded_pdf)

    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "reports"
    _wait_for_preview(qtbot, panel)
    assert panel.document.pageCount() > 0
    assert panel.pages.currentWidget() is panel.view

    # The 1:1 audience and the last 120 days, with the keyboard.
    qtbot.keyClick(window, Qt.Key.Key_A, ALT)
    assert QApplication.focusWidget() is panel.audience
    qtbot.keyClick(panel.audience, Qt.Key.Key_Down)
    assert panel.audience.currentData() == "1:1"
    qtbot.keyClick(window, Qt.Key.Key_B, ALT)
    qtbot.waitUntil(panel.between.isChecked)  # a mnemonic clicks after a short press
    today = date.today()
    _type_date(qtbot, window, Qt.Key.Key_M, today - timedelta(days=120))
    _type_date(qtbot, window, Qt.Key.Key_T, today - timedelta(days=1))
    wanted = ReportOptions(
        start=today - timedelta(days=120), end=today - timedelta(days=1), audience="1:1"
    )
    assert panel.options() == wanted
    _wait_for_preview(qtbot, panel)
    assert renders[-1] == wanted
    assert panel.shown is not None
    assert panel.shown.options == wanted
    pages = panel.document.pageCount()
    assert pages > 0
    assert panel.summary.text().startswith(f"{pages} page")
    assert "1:1 with my manager" in panel.summary.text()
    assert "private notes left out" in panel.summary.text()
    assert not panel.note.isVisible()

    # Export: the progress bar counts the service's steps; the button waits meanwhile.
    seen: list[tuple[int, int]] = []
    panel.progress.valueChanged.connect(lambda v: seen.append((v, panel.progress.maximum())))
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        click(panel.export_button)
        assert saved_to == [report_file_name(name, date.today())]
        assert panel.exporting
        assert not panel.export_button.isEnabled()
        assert panel.progress.isVisible()
    assert not panel.exporting
    path = tmp_path / "out" / "report.pdf"
    assert path.is_file()
    assert path.read_bytes().startswith(b"%PDF")
    assert name in _pdf_text(path)
    assert len(pypdf.PdfReader(path).pages) == pages
    assert seen[-1] == (3, 3)
    assert panel.export_button.isEnabled()
    assert not panel.progress.isVisible()
    assert panel.status.text() == "Saved “report.pdf”."
    assert panel.open_button.isVisible()
    assert opened == []
    click(panel.open_button)
    assert opened == [path.parent]


def test_including_private_notes_says_so(qtbot: QtBot, window: MainWindow) -> None:
    panel = window.reports
    window.show_section("reports")
    _wait_for_preview(qtbot, panel)
    qtbot.keyClick(window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(panel.include_private.isChecked)
    _wait_for_preview(qtbot, panel)
    assert "includes private notes" in panel.summary.text()
    assert panel.shown is not None
    assert panel.shown.options.include_private


def test_a_period_that_ends_before_it_starts_says_so_and_writes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    runner: TaskRunner,
    saved_to: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = window.reports
    window.show_section("reports")
    _wait_for_preview(qtbot, panel)
    click(panel.between)
    today = date.today()
    _type_date(qtbot, window, Qt.Key.Key_M, today - timedelta(days=10))
    _type_date(qtbot, window, Qt.Key.Key_T, today - timedelta(days=20))
    _wait_for_preview(qtbot, panel)
    sentence = (
        f"The period's start ({(today - timedelta(days=10)).isoformat()}) is after its end "
        f"({(today - timedelta(days=20)).isoformat()})."
    )
    assert panel.pages.currentWidget() is panel.message
    assert panel.message.text() == sentence
    assert panel.document.pageCount() == 0

    errors: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _p, _t, text: errors.append(text))
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(saved_to) == 1
    assert not panel.exporting
    assert errors == [sentence]
    assert list((tmp_path / "out").iterdir()) == []
    assert panel.status.text() == "Nothing was exported."
    assert not panel.open_button.isVisible()


def test_a_profile_without_check_ins_still_exports_a_not_assessable_report(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    saved_to: list[str],
    tmp_path: Path,
) -> None:
    profile = services.profiles.create(
        name="Zoë New", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    main_window.reload_profiles(profile.id)
    main_window.export_report_action.trigger()  # File → Export report…: asks where, exports
    assert main_window.current_section() == "reports"
    panel = main_window.reports
    qtbot.waitUntil(lambda: panel.status.text().startswith("Saved"), timeout=10_000)
    assert saved_to == [report_file_name("Zoë New", date.today())]
    path = tmp_path / "out" / "report.pdf"
    text = _pdf_text(path)
    assert "Zoë New" in text
    assert "Not assessable" in text
    qtbot.waitUntil(lambda: panel.summary.text() not in ("", RENDERING_TEXT), timeout=10_000)
    assert panel.note.isVisible()
    assert panel.note.text() == NOT_ASSESSABLE_TEXT
    assert panel.document.pageCount() > 0
    assert panel.export_button.isEnabled()


def test_renders_never_stack_and_stale_ones_are_dropped(
    qtbot: QtBot, services: Services, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Options changed while a render runs wait for it; its result is not shown."""
    profile_id = _demo(services)
    running = threading.Event()
    release = threading.Event()
    calls: list[ReportOptions] = []
    pdf = ReportService.pdf

    def slow_pdf(
        reports: ReportService, pid: str, options: ReportOptions, *args: Any, **kwargs: Any
    ) -> bytes:
        calls.append(options)
        running.set()
        assert release.wait(10)
        return pdf(reports, pid, options, *args, **kwargs)

    monkeypatch.setattr(ReportService, "pdf", slow_pdf)
    panel = ReportsPanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    panel.show_profile(profile_id)
    assert running.wait(10)
    for index in (1, 2, 0, 1):  # four changes while the first render runs
        panel.audience.setCurrentIndex(index)
        panel.render_preview()
    assert len(calls) == 1
    release.set()
    _wait_for_preview(qtbot, panel)
    assert [c.audience for c in calls] == ["self", "1:1"]
    assert panel.shown is not None
    assert panel.shown.options.audience == "1:1"


def test_export_progress_from_the_worker_thread_arrives_on_the_gui_thread(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, saved_to: list[str], tmp_path: Path
) -> None:
    panel = window.reports
    window.show_section("reports")
    _wait_for_preview(qtbot, panel)
    gui = threading.current_thread()
    seen: list[tuple[int, int, bool]] = []
    panel.progress.valueChanged.connect(
        lambda value: seen.append(
            (value, panel.progress.maximum(), threading.current_thread() is gui)
        )
    )
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        click(panel.export_button)
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True)]
    assert (tmp_path / "out" / "report.pdf").is_file()
    assert not panel.progress.isVisible()


def test_every_control_is_reachable_with_tab(qtbot: QtBot, window: MainWindow) -> None:
    """The period's radio buttons are one Tab stop (arrow keys choose), as everywhere in Qt."""
    panel = window.reports
    window.show_section("reports")
    _wait_for_preview(qtbot, panel)

    def tab_through(count: int) -> list[QWidget]:
        """The widgets Tab visits, each once (Tab first steps through a date's parts)."""
        reached: list[QWidget] = []
        while len(reached) < count:
            widget = QApplication.focusWidget()
            if widget not in reached:
                reached.append(widget)
            QTest.keyClick(widget, Qt.Key.Key_Tab)
        return reached

    panel.whole.setFocus()
    assert tab_through(6) == [
        panel.whole,
        panel.audience,
        panel.include_private,
        panel.refresh_button,
        panel.export_button,
        panel.view,
    ]
    panel.whole.setFocus()
    QTest.keyClick(panel.whole, Qt.Key.Key_Down)
    assert panel.between.isChecked()
    assert tab_through(4) == [panel.between, panel.start, panel.end, panel.audience]


@pytest.mark.parametrize("section", ["dashboard", "evidence", "reports"])
def test_ctrl_e_exports_the_report_from_any_section(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, saved_to: list[str], section: str
) -> None:
    action = window.export_report_action
    assert action.shortcut() == QKeySequence("Ctrl+E")  # shown in the File menu beside it
    assert action in window.menuBar().actions()[0].menu().actions()
    window.show_section(section)
    runner.drain()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "reports"
    panel = window.reports
    qtbot.waitUntil(lambda: panel.status.text().startswith("Saved"), timeout=10_000)
    [offered] = saved_to
    assert offered.startswith("Rung report - Sam Rivera (demo) - ")


def test_exporting_onto_the_database_is_refused_in_one_sentence(
    qtbot: QtBot,
    window: MainWindow,
    runner: TaskRunner,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The Save dialog's answer goes through the same check as every --out."""
    panel = window.reports
    window.show_section("reports")
    _wait_for_preview(qtbot, panel)
    database = data_dir / "rung.sqlite3"
    before = database.stat().st_size, database.stat().st_ino
    monkeypatch.setattr(dialogs, "save_file", lambda *_args: data_dir / "rung.sqlite3.pdf")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _p, _t, text: errors.append(text))
    with qtbot.waitSignal(runner.idle, timeout=10_000):
        click(panel.export_button)
    assert errors == [
        f"{data_dir / 'rung.sqlite3.pdf'} is Rung's own data (in the data folder {data_dir}); "
        "choose a file somewhere else. Nothing was written."
    ]
    assert not (data_dir / "rung.sqlite3.pdf").exists()
    assert (database.stat().st_size, database.stat().st_ino) == before


def test_the_period_holds_only_dates_from_1900_to_today(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    today = date(2026, 5, 4)
    panel = ReportsPanel(services, runner, today=lambda: today)
    qtbot.addWidget(panel)
    assert date_ranges(panel) == {
        "From date": (date(1900, 1, 1), today),
        "To date": (date(1900, 1, 1), today),
    }
