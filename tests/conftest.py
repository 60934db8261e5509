"""Shared fixtures: every test gets its own data folder; nothing boots the whole app."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

from app.cli import main
from app.services import Services, open_services
from app.store.lock import LOCK_NAME
from tests.helpers import Result, Run, wait_idle

pytest_plugins = ["tests.pg"]  # the hub's PostgreSQL server and hubs

if TYPE_CHECKING:  # the core's tests run without Qt
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("ci")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data folder, also exported as RUNG_DATA_DIR."""
    folder = tmp_path / "data"
    monkeypatch.setenv("RUNG_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def services(data_dir: Path) -> Iterator[Services]:
    """The service layer on a real SQLite file in a fresh data folder."""
    opened = open_services(data_dir)
    yield opened
    opened.close()


@pytest.fixture
def rung(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `rung ARGS...` in-process and capture its exit status, stdout and stderr."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder that does not exist yet, passed explicitly with --data-dir."""
    return tmp_path / "rung-data"


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes, to prove nothing changed.

    The data folder's empty lock file is left out (see `tests.helpers.tree`).
    """
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != LOCK_NAME
    }


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    """The GUI's worker thread; drained and stopped after the test."""
    from ui.tasks import TaskRunner

    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def main_window(
    qtbot: QtBot, qapp: QApplication, services: Services, runner: TaskRunner, data_dir: Path
) -> MainWindow:
    """The main window on the test's data folder, in the Light palette, once what it shows
    first has loaded."""
    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.theme import Appearance, Theme

    theme = Theme(qapp, Appearance.LIGHT)
    window = MainWindow(Settings(data_dir), theme, data_dir)
    window.open(services, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, runner)
    return window


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal dialog would hang a headless test: errors fail it, questions must be answered."""
    from ui import dialogs

    shown: list[str] = []

    def unexpected(_parent: Any, title: str, text: str, *_args: Any) -> Any:
        shown.append(text)
        raise AssertionError(f"unexpected dialog '{title}': {text}")

    for name in ("confirm", "inform", "error"):
        monkeypatch.setattr(dialogs, name, unexpected)
    return shown


@pytest.fixture(autouse=True)
def no_dialog_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """A dialog opened without waiting (`QDialog.open()`, e.g. the Assessment section asking
    who signs) that a test did not expect is still showing when it ends: that fails it."""
    yield
    if "qapp" not in request.fixturenames:
        return  # the core's tests: no Qt at all
    from PySide6.QtWidgets import QApplication, QDialog

    left = [
        widget.windowTitle()
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QDialog) and widget.isVisible()
    ]
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.close()  # not to leak into the next test
    assert not left, f"dialogs left open: {left}"
