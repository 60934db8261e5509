"""The desktop app starts: dashboard, profile switcher, smoke test, one instance per folder."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLockFile, QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.demo import create_demo
from ui.instance import InstanceServer, hand_over

pytestmark = pytest.mark.gui


def _demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, years=1)


def test_dashboard_shows_profile_last_checkin_next_due_and_draft(
    qtbot: QtBot, services: Services, main_window: Any, runner: Any
) -> None:
    profile_id = _demo(services)
    main_window.reload_profiles(profile_id)
    runner.drain()
    dashboard = main_window.dashboard
    profile = services.profiles.get(profile_id)
    last = max(c.date for c in services.checkins.all(profile_id))
    assert dashboard.title.text() == profile.name
    assert dashboard.last.text().startswith(last.isoformat())
    due = last + timedelta(days=profile.checkin_interval_days)
    assert dashboard.next_due.text().startswith(due.isoformat())
    assert dashboard.draft.text() == "No draft waiting"
    services.checkins.start_draft(profile_id, date.today())
    main_window.refresh_dashboard()
    runner.drain()
    assert dashboard.draft.text() == f"A draft for {date.today().isoformat()} is waiting"


def test_switcher_appears_with_several_profiles_and_is_remembered(
    qtbot: QtBot, services: Services, main_window: Any, runner: Any, data_dir: Path
) -> None:
    first = _demo(services)
    second = services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    ).id
    main_window.reload_profiles(first)
    assert main_window.toolbar.isVisible()
    assert main_window.switcher.count() == 2
    main_window.switcher.setCurrentIndex(main_window.switcher.findData(second))
    main_window.switcher.activated.emit(main_window.switcher.currentIndex())
    runner.drain()
    assert main_window.profile_id == second
    assert main_window.dashboard.title.text() == "Ana"
    main_window.show_section("history")
    main_window.close()
    stored = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    assert stored.value("last_profile") == second
    assert stored.value("last_section") == "history"


def test_deleting_a_profile_asks_first(
    qtbot: QtBot,
    services: Services,
    main_window: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import dialogs

    _demo(services)
    main_window.reload_profiles()
    answers = iter([False, True])
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: next(answers))
    main_window.delete_profile_action.trigger()
    assert len(services.profiles.all()) == 1
    main_window.delete_profile_action.trigger()
    assert services.profiles.all() == []
    assert main_window.central.currentWidget() is main_window.first_run


def test_a_second_start_hands_over_and_the_first_comes_to_the_front(
    qtbot: QtBot, data_dir: Path, main_window: Any
) -> None:
    """Offscreen tracks the active window, so another one is activated first."""
    server = InstanceServer(data_dir, main_window)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow())
    assert not main_window.isActiveWindow()
    assert hand_over(data_dir, QLockFile(str(data_dir / "rung.lock")))
    qtbot.waitUntil(lambda: main_window.isActiveWindow())
    server.close()


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RUNG_DATA_DIR": str(data_dir)}


@pytest.mark.slow
def test_smoke_test_flag_draws_the_window_and_exits_zero(data_dir: Path) -> None:
    env = _env(data_dir)
    demo = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--years", "1"], env=env, capture_output=True
    )
    assert demo.returncode == 0
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_smoke_test_fails_with_a_message_on_a_damaged_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "rung.sqlite3").write_bytes(b"not a database at all")
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke-test"],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("rung: The database")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_smoke_test_ends_with_a_message_when_the_window_would_show_a_dialog(
    data_dir: Path,
) -> None:
    """Data no check lets in any more (a start date in the year 9999, from an older Rung)
    makes the Dashboard fail; the smoke test says so instead of waiting on the dialog."""
    env = _env(data_dir)
    demo = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--years", "1"], env=env, capture_output=True
    )
    assert demo.returncode == 0
    with contextlib.closing(sqlite3.connect(data_dir / "rung.sqlite3")) as conn, conn:
        conn.execute("UPDATE profiles SET role_start = '9999-12-31'")
        conn.execute("UPDATE profile_stages SET effective_from = '9999-12-31'")
    result = subprocess.run(
        [sys.executable, "-m", "app", "--smoke-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    rung_lines = [line for line in result.stderr.splitlines() if line.startswith("rung: ")]
    assert rung_lines == [rung_lines[0]]
    assert rung_lines[0].startswith("rung: The main window showed a dialog: ")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_second_process_hands_over_to_the_first(data_dir: Path) -> None:
    """Two real processes on one data folder: the second exits at once, the first stays."""
    env = _env(data_dir)
    first = subprocess.Popen(
        [sys.executable, "-m", "app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not (data_dir / "rung.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "app"], env=env, capture_output=True, timeout=30
        )
        assert second.returncode == 0
        assert first.poll() is None  # the first instance is still running
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
