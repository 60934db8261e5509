"""Starts the real app on a data folder and types a check-in draft, for `test_crash_recovery`.

Usage: python tests/crash_driver.py DATA_DIR

The app is started by `ui.app.run` itself (the lock, the instance server, the
main window, the worker thread); a timer then drives the window with real
mouse and key events: Check-in → start → rate the first skill → type its note
→ wait until the note is in the database → click into the second skill's note
and type. Then it prints READY and keeps typing into the second note, in short
bursts, until it is killed. Nothing here ever lets the app close by itself.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

if __name__ == "__main__":  # started as a script: tests/ is on the path, the checkout is not
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QDeadlineTimer, QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.paths import DATABASE_NAME
from tests.helpers import click, type_char, type_text

RATING = 3
FIRST_NOTE = "<b>Zoë</b> & 李雷 🚀"
SECOND_NOTE = "still typing the second note "  # typed over and over until the kill
READY = "READY"
BURST = 6  # keys typed 40 ms apart, then a pause long enough for the delayed save
KEY_INTERVAL_MS = 40
PAUSE_MS = 600
TIMEOUT_MS = 10_000  # for any one step


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Run the event loop until `condition` holds.

    Not `QTest.qWait`: it keeps the GIL while it waits, which starves the worker thread.
    """
    deadline = QDeadlineTimer(TIMEOUT_MS)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError(f"timed out waiting for {what}")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def stored_note(data_dir: Path, skill_id: str) -> str | None:
    """The note as it is in the database file now (a separate read-only connection)."""
    uri = f"{(data_dir / DATABASE_NAME).as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        row = conn.execute("SELECT note FROM ratings WHERE skill_id = ?", (skill_id,)).fetchone()
    return row[0] if row else None


class Driver:
    def __init__(self, app: QApplication, data_dir: Path) -> None:
        self.app = app
        self.data_dir = data_dir
        self.keys = itertools.cycle(SECOND_NOTE)
        self.typed = 0
        self.field: QPlainTextEdit | None = None
        self.timer = QTimer()
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.keep_typing)

    def start(self) -> None:
        try:
            self.drive()
        except Exception:
            traceback.print_exc()
            sys.stderr.flush()
            self.app.exit(2)

    def drive(self) -> None:
        from ui.checkin import SkillRater
        from ui.main_window import MainWindow

        [window] = [w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow)]
        # The sections are built once the window's shell has been painted; the Dashboard
        # loads after the draft lookup (one worker, in order): once it shows, the window
        # has settled and there is no draft yet.
        wait_until(
            lambda: window.opened and window.dashboard.draft.text() == "No draft waiting",
            "the dashboard",
        )
        [item] = window.sidebar.findItems("Check-in", Qt.MatchFlag.MatchExactly)
        QTest.mouseClick(
            window.sidebar.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            window.sidebar.visualItemRect(item).center(),
        )
        assert window.current_section() == "checkin"
        panel = window.checkin
        # Built as it is first shown, the section enables Start once the draft lookup is back.
        wait_until(
            lambda: panel.start_button.isVisible() and panel.start_button.isEnabled(),
            "the start screen",
        )
        QTest.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)

        def raters() -> list[SkillRater]:
            page = panel.steps.currentWidget()
            return page.findChildren(SkillRater) if page is not None else []

        wait_until(lambda: len(raters()) >= 2, "the wizard")
        first, second = raters()[:2]

        click(first.choices.button(RATING))
        assert first.choices.checkedId() == RATING
        click(first.note)
        type_text(first.note, FIRST_NOTE)
        assert first.note.toPlainText() == FIRST_NOTE
        # The user pauses; the delayed save takes the note to the database.
        wait_until(lambda: stored_note(self.data_dir, first.skill.id) == FIRST_NOTE, "the save")

        click(second.note)
        self.field = second.note
        for _ in range(BURST):
            self.type_next()
        sys.stdout.write(f"{READY}\n")
        sys.stdout.flush()
        self.timer.start(KEY_INTERVAL_MS)

    def type_next(self) -> None:
        assert self.field is not None
        type_char(self.field, next(self.keys))
        self.typed += 1

    def keep_typing(self) -> None:
        self.type_next()
        self.timer.start(PAUSE_MS if self.typed % BURST == 0 else KEY_INTERVAL_MS)


def main() -> int:
    from ui.app import run

    data_dir = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    driver = Driver(app, data_dir)
    QTimer.singleShot(0, driver.start)  # runs once `run` is in its event loop
    return run(data_dir)


if __name__ == "__main__":
    sys.exit(main())
