"""A real app process killed mid-draft: the next start recovers the draft where it was left.

`crash_driver.py` starts the app with `ui.app.run` on a data folder, rates the
first skill and types its note with real mouse and key events, waits until
that note is in the database, then types into the second skill's note, says
READY and keeps typing. This test SIGKILLs it right then: no close event, no
flush, the lock file and the SQLite write-ahead log left behind. The next start
must take over the stale lock, open an intact database and show the draft
with the first skill's rating and note exactly as typed; the field being typed
at the kill may be lost, but nothing else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from app.paths import DATABASE_NAME
from app.services import Services, open_services
from tests.crash_driver import FIRST_NOTE, RATING, READY, SECOND_NOTE
from ui.checkin import SkillRater, load_wizard
from ui.instance import InstanceServer, server_name

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "crash_driver.py"
READY_TIMEOUT_S = 25  # the driver gives up on any one step after 10 s


def _create_profile(data_dir: Path) -> str:
    with contextlib.closing(open_services(data_dir)) as services:
        return services.profiles.create(
            name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
        ).id


def _start_type_and_kill(data_dir: Path, log: Path) -> int:
    """Run the driver until READY, then SIGKILL it; its pid. Fails with its stderr."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RUNG_DATA_DIR": str(data_dir)}
    with (
        log.open("wb") as stderr,
        subprocess.Popen(
            [sys.executable, str(DRIVER), str(data_dir)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
        ) as proc,
    ):
        assert proc.stdout is not None
        watchdog = threading.Timer(READY_TIMEOUT_S, proc.kill)  # a hung driver ends the read
        watchdog.start()
        try:
            ready = any(line.rstrip("\n") == READY for line in proc.stdout)
        finally:
            watchdog.cancel()
            still_running = proc.poll() is None
            proc.kill()
            proc.wait(timeout=10)
    problem = log.read_text(encoding="utf-8", errors="replace")
    assert ready, f"the driver never said {READY} (exit code {proc.returncode}):\n{problem}"
    assert still_running, f"the driver had stopped before the kill:\n{problem}"
    assert proc.returncode == (-signal.SIGKILL if os.name == "posix" else 1)
    return proc.pid


def test_a_draft_typed_into_a_killed_app_is_recovered_on_the_next_start(
    qtbot: QtBot, request: pytest.FixtureRequest, data_dir: Path, tmp_path: Path
) -> None:
    profile_id = _create_profile(data_dir)
    # The killed app cannot remove its local socket; nor can this test if it fails early.
    request.addfinalizer(lambda: QLocalServer.removeServer(server_name(data_dir)))
    pid = _start_type_and_kill(data_dir, tmp_path / "driver-stderr.txt")

    # The killed process left its lock and an unmerged write-ahead log behind.
    assert (data_dir / f"{DATABASE_NAME}-wal").exists()
    lock = QLockFile(str(data_dir / "rung.lock"))
    assert lock.getLockInfo()[0] == pid
    lock.setStaleLockTime(0)  # as `ui.app.run` does: only a dead owner makes it stale
    assert lock.tryLock(1000), lock.error()
    lock.unlock()

    # The next start opens the database (the conftest fixture, only now) and it is intact.
    services: Services = request.getfixturevalue("services")
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    [draft] = services.checkins.all(profile_id)
    assert draft.status == "draft"
    framework = load_wizard(services, draft.id).framework
    first, second = [s for s in framework.skills if s.dimension == framework.dimensions[0].id][:2]
    ratings = services.checkins.detail(draft.id).ratings
    assert set(ratings) <= {first.id, second.id}
    saved = ratings.get(first.id)
    assert saved is not None, "the first skill's rating and note were lost"
    assert (saved.value, saved.not_applicable, saved.note) == (RATING, False, FIRST_NOTE)
    # The field being typed at the kill: lost, or saved as it was at a pause in the typing.
    typing = ratings.get(second.id)
    typed = typing.note if typing is not None else ""
    assert typed is not None
    assert (SECOND_NOTE * 10).startswith(typed)

    # The main window (the conftest fixture, on the same folder) reopens the draft as it was.
    window: Any = request.getfixturevalue("main_window")
    assert window.current_section() == "checkin"  # where the user was
    panel = window.checkin

    def raters() -> list[SkillRater]:
        page = panel.steps.currentWidget()
        return page.findChildren(SkillRater) if page is not None else []

    qtbot.waitUntil(lambda: len(raters()) >= 2)
    assert panel.current_step() == 0
    rater = raters()[0]
    assert rater.skill.id == first.id
    assert rater.choices.checkedId() == RATING
    assert rater.note.toPlainText() == FIRST_NOTE
    assert raters()[1].note.toPlainText() == typed

    # The killed instance's local socket does not stop this one from listening.
    server = InstanceServer(data_dir, window)
    assert server.isListening(), server.errorString()
    server.close()
