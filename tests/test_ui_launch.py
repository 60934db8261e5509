"""The desktop app starts and lists the profiles of the data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.demo import create_demo
from ui.main_window import MainWindow

pytestmark = pytest.mark.gui


def test_main_window_lists_profiles(qtbot: QtBot, services: Services) -> None:
    create_demo(services.store, services.frameworks, services.profiles, years=1)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    items = [window.profile_list.item(i).text() for i in range(window.profile_list.count())]
    assert len(items) == 1
    assert items[0].startswith("Sam Rivera (demo)")


@pytest.mark.slow
def test_smoke_test_flag_draws_the_window_and_exits_zero(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "RUNG_DATA_DIR": str(data_dir)}
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
