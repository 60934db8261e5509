"""Every page fits: no cut-off text and no overlapping widgets, at the minimum window size
and at 1280×800, and again with QT_SCALE_FACTOR=2 (in a subprocess, as the factor must be
set before the QApplication exists).

The smallest window is what a 1280×720 laptop screen leaves: every section but
the Dashboard fits it without scrolling, and tables give way on the secondary
column (a dimension) before the name.

Set RUNG_LAYOUT_SHOTS to a folder to save a screenshot of every page checked.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.demo import create_demo
from app.services.evidence import Impact
from tests.layout_check import ELIDES, check_layout
from tests.test_manager import share
from ui import dialogs
from ui.calibration import CalibrationModel
from ui.evidence import EvidenceTableModel
from ui.frameworks import LevelDiffModel

pytestmark = pytest.mark.gui

TYPICAL = QSize(1280, 800)
NAME = "Zoë Example-Longname"
LONG = "A text far too long for the twenty pixels this label has been given"


class _Walk:
    """Checks the window on a page at each size and collects the problems."""

    def __init__(self, window: Any, runner: Any) -> None:
        self.window = window
        self.runner = runner
        self.problems: list[str] = []
        self.pages: list[str] = []
        self._shots = os.environ.get("RUNG_LAYOUT_SHOTS")

    def check(self, page: str) -> None:
        self.runner.drain()
        self.pages.append(page)
        for size in (self.window.minimumSize(), TYPICAL):
            self.window.resize(size)
            for _ in range(3):  # layouts, then scroll areas, then their content
                QApplication.sendPostedEvents()
                QApplication.processEvents()
            assert self.window.size() == size, f"{page}: the window did not take {size}"
            where = f"{page} at {size.width()}×{size.height()}"
            self.problems += [f"{where}: {problem}" for problem in check_layout(self.window)]
            if self._shots:
                slug = re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-")
                path = Path(self._shots) / f"layout_{slug}_{size.width()}x{size.height()}.png"
                self.window.grab().save(str(path))


def test_every_page_fits_at_minimum_and_typical_size(
    qtbot: QtBot,
    main_window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = main_window
    if scale := os.environ.get("QT_SCALE_FACTOR"):  # the subprocess run below
        assert window.devicePixelRatio() >= float(scale)
    walk = _Walk(window, runner)

    # The first run, empty and with the problem an empty name gives.
    form = window.first_run
    assert window.central.currentWidget() is form
    walk.check("first run")
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert form.message.text()
    walk.check("first run with a problem")
    form.name.setText(NAME)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert window.central.currentWidget() is window.sections
    walk.check("dashboard")

    for key in ("evidence", "plan", "frameworks", "reports", "backups"):
        window.show_section(key)
        walk.check(key)

    # Every page of the check-in wizard, each built as it is first shown.
    window.show_section("checkin")
    panel = window.checkin
    walk.check("check-in start")
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is not None)
    count = panel.steps.count()
    assert count == len(panel._state.framework.dimensions) + 4
    for index in range(count):
        panel.go_to(index)
        assert panel.current_step() == index
        runner.drain()
        walk.check(f"check-in step {index + 1} ({panel._page_builders[index][0]})")
    assert panel.review_summary.text().startswith("Nothing changed")
    window.show_section("dashboard")
    walk.check("dashboard with a draft")

    # Finalise (nothing rated: asked, and answered); the Dashboard says what changed,
    # History lists it, amending reopens the wizard.
    window.show_section("checkin")
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text, _a: asked.append(text) or True)
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is None)
    assert len(asked) == 1
    walk.check("check-in finalised")
    window.show_section("history")
    history = window.history
    qtbot.waitUntil(lambda: history.shown is not None)
    walk.check("history")
    history.amend_button.click()
    qtbot.waitUntil(lambda: panel._state is not None and panel._state.amending)
    walk.check("amending step 1")
    panel.go_to(count - 1)
    walk.check("amending review")
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    walk.check("amended")

    # A second profile brings the profile switcher above every section.
    first = window.profile_id
    services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(first)
    window.show_section("dashboard")
    assert window.toolbar.isVisibleTo(window)
    walk.check("dashboard with two profiles")

    assert len(walk.pages) == count + 16
    assert not walk.problems, f"{len(walk.problems)} layout problems:\n" + "\n".join(walk.problems)


@pytest.mark.slow
def test_every_page_fits_at_scale_factor_2(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    test = f"{Path(__file__).resolve()}::test_every_page_fits_at_minimum_and_typical_size"
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(
        [*command, f"--basetemp={tmp_path / 'run'}", test],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout[-20_000:] + result.stderr[-5_000:]
    assert result.returncode == 0, output
    assert "1 passed" in result.stdout, output


# -- the check itself -----------------------------------------------------------


def _window(qtbot: QtBot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(500, 400)
    return window


def _show(qtbot: QtBot, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)


def test_check_reports_cut_off_text_and_overlaps(qtbot: QtBot) -> None:
    window = _window(qtbot)
    narrow = QLabel(LONG, window)
    narrow.setFixedWidth(20)
    narrow.move(0, 0)
    short = QLabel(f"{LONG}. " * 4, window)
    short.setWordWrap(True)
    short.setGeometry(0, 40, 200, 20)
    check = QCheckBox("A check box with a long text", window)
    check.setGeometry(0, 80, 40, 24)
    box = QGroupBox("A group box with a long title", window)
    box.setGeometry(0, 120, 50, 50)
    first = QPushButton("First", window)
    first.setGeometry(250, 0, 100, 30)
    second = QPushButton("Second", window)
    second.setGeometry(300, 20, 100, 30)
    area = QScrollArea(window)
    area.setGeometry(250, 100, 150, 100)
    content = QWidget()
    content.resize(300, 300)
    QPushButton("Inside", content).setGeometry(0, 0, 80, 30)
    QPushButton("Also inside", content).setGeometry(40, 20, 100, 30)
    area.setWidget(content)
    outside = QWidget(window)
    outside.setGeometry(0, 300, 100, 50)
    QPushButton("Out", outside).setGeometry(60, 10, 80, 30)
    hidden = QLabel(LONG, window)
    hidden.setGeometry(250, 300, 20, 20)
    hidden.hide()
    _show(qtbot, window)

    problems = check_layout(window)

    def found(*parts: str) -> bool:
        return any(all(part in problem for part in parts) for problem in problems)

    assert found(LONG[:20], "the label is 20 px wide"), problems
    assert found("px of height at 200 px wide but the label is 20 px tall"), problems
    assert found("A check box", "there are"), problems
    assert found("A group box", "the title needs"), problems
    assert found("'First'", "overlaps", "'Second'", "by 50×10 px"), problems
    assert found("'Inside'", "overlaps", "'Also inside'"), problems  # in scrolled content
    assert found("'Out'", "sticks out of its parent"), problems
    assert len(problems) == 7, problems  # not the hidden label, and no scroll area internals


def test_check_accepts_a_sound_layout_and_labels_that_elide_on_purpose(qtbot: QtBot) -> None:
    window = _window(qtbot)
    layout = QVBoxLayout(window)
    wrapped = QLabel(f"{LONG}. " * 6, window)
    wrapped.setWordWrap(True)
    layout.addWidget(wrapped)
    layout.addWidget(QLabel("A label with room", window))
    layout.addWidget(QCheckBox("A check box", window))
    layout.addWidget(QPushButton("A button", window), alignment=Qt.AlignmentFlag.AlignLeft)
    elided = QLabel(LONG, window)
    elided.setFixedWidth(20)
    elided.setProperty(ELIDES, True)
    layout.addWidget(elided)
    _show(qtbot, window)

    assert check_layout(window) == []
    elided.setProperty(ELIDES, False)
    assert len(check_layout(window)) == 1


# -- a small laptop screen ----------------------------------------------------------

FIT = ("checkin", "history", "evidence", "plan", "frameworks", "reports", "backups")


def _at_minimum_size(window: Any, services: Services, runner: Any) -> str:
    """The demo and a second profile (so the switcher shows), a status bar, the smallest
    window; the demo's id."""
    profile_id = create_demo(services.store, services.frameworks, services.profiles, years=1)
    services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(profile_id)
    window.statusBar().showMessage("A message")
    window.resize(window.minimumSize())
    return profile_id


def _settle(runner: Any) -> None:
    runner.drain()
    for _ in range(3):  # layouts, then scroll areas, then their content
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _scrolls(window: Any) -> bool:
    page = window.pages.currentWidget()
    assert isinstance(page, QScrollArea)
    return page.verticalScrollBar().isVisible() or page.horizontalScrollBar().isVisible()


def test_every_section_fits_the_smallest_window_without_scrolling(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    assert window.minimumSize() == QSize(800, 560)  # what a 1280×720 screen leaves
    demo = _at_minimum_size(window, services, runner)
    for key in FIT:
        window.show_section(key)
        _settle(runner)
        assert not _scrolls(window), (
            f"{key} needs {window.pages.currentWidget().widget().minimumSizeHint()}"
        )
        assert check_layout(window) == [], key
    share(services, demo)  # the Assessment section shows for a profile shared with you
    window.reload_profiles(demo)
    for key in ("assessment", "team"):  # and the Team section while one is in the folder
        window.show_section(key)
        _settle(runner)
        assert not _scrolls(window), key
        assert check_layout(window) == [], key


@pytest.mark.xfail(
    reason="the Dashboard needs about 620 px of height: at 800×560 its section scrolls",
    strict=True,
)
def test_the_dashboard_fits_the_smallest_window_without_scrolling(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    _at_minimum_size(window, services, runner)
    window.show_section("dashboard")
    _settle(runner)
    assert check_layout(window) == []  # it scrolls rather than cut anything off
    assert not _scrolls(window)


def _name_first(view: QTableView, name: int, second: int) -> None:
    """The name column shows whole names, or the second column has given way all it can;
    at the smallest window, the second column is narrower than its contents."""
    header = view.horizontalHeader()

    def wanted(column: int) -> int:
        return max(view.sizeHintForColumn(column), header.sectionSizeHint(column))

    least = view.fontMetrics().horizontalAdvance("Mmmmmm…") + 12
    assert header.sectionSize(second) < wanted(second)
    assert header.sectionSize(name) >= wanted(name) or header.sectionSize(second) == least


def test_tables_give_the_names_room_before_the_dimensions(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    demo = _at_minimum_size(window, services, runner)
    window.show_section("frameworks")
    _settle(runner)
    frameworks = window.frameworks
    _name_first(frameworks.view, LevelDiffModel.SKILL, LevelDiffModel.DIMENSION)
    services.evidence.add(
        demo,
        day=date(2026, 1, 5),
        title="Cut the ranking model's p95 latency",
        impact=Impact(outcome="Checkout conversion up after the p95 latency fell " * 3),
    )
    window.show_section("evidence")
    _settle(runner)
    evidence = window.evidence.view
    _name_first(evidence, EvidenceTableModel.TITLE, EvidenceTableModel.TAGS)
    # The impact, however long, keeps about a third of the room beside the title, never all.
    header = evidence.horizontalHeader()
    impact = header.sectionSize(EvidenceTableModel.IMPACT)
    assert evidence.viewport().width() * 0.2 < impact < evidence.viewport().width() * 0.4
    assert header.sectionSize(EvidenceTableModel.TITLE) > impact / 2
    share(services, demo)
    window.reload_profiles(demo)
    window.show_section("assessment")
    _settle(runner)
    calibration = window.manager.view
    _name_first(calibration, CalibrationModel.SKILL, CalibrationModel.DIMENSION)
