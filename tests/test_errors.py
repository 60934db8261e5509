"""One error path: the command line and the app say the same sentence, and a bug leaves a trace.

A bug (an exception that is not a `RungError`) is written with its traceback
to `logs/rung.log` in the data folder, and the sentence names that file; the
log never holds the user's text (a canary planted in a note is looked for).
"""

from __future__ import annotations

import stat
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.errors import BusyDatabaseError, describe
from app.log import log_path
from app.services import Services
from app.services.checkins import CheckInService
from tests.helpers import Run, assert_failed, create_profile, wait_idle
from ui import dialogs
from ui.tasks import TaskRunner

CANARY = "CANARY-private-note-7f3a"
PROBLEM = "the carried-forward state is inconsistent"


def bug(*_args: Any, **_kwargs: Any) -> Any:
    raise RuntimeError(PROBLEM)


def sentence_for(folder: Path) -> str:
    return (
        f"Unexpected error (RuntimeError: {PROBLEM}); this is a bug, please report it; "
        f"the details are in {log_path(folder)}."
    )


def plant_note(services: Services, profile_id: str) -> None:
    draft = services.checkins.start_draft(profile_id)
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2, note=CANARY)


def assert_logged_without_private_text(folder: Path, context: str) -> None:
    log = log_path(folder)
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert f"RuntimeError: {PROBLEM}" in text
    assert context in text
    assert CANARY not in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_a_bug_in_a_command_names_the_log_that_holds_its_traceback(
    rung: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    profile_id = create_profile(rung, folder, "Ada")
    from app.services import open_services

    services = open_services(folder)
    plant_note(services, profile_id)
    services.close()
    monkeypatch.setattr(CheckInService, "all", bug)

    result = rung("--data-dir", folder, "checkins", "list", "--profile", profile_id)

    assert_failed(result, 1, "this is a bug")
    assert result.err == f"rung: {sentence_for(folder)}\n"
    assert_logged_without_private_text(folder, "rung checkins list failed")


@pytest.mark.gui
def test_a_bug_in_a_background_job_says_the_same_and_offers_the_log(
    qtbot: QtBot,
    main_window: Any,
    runner: TaskRunner,
    services: Services,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    profile = services.profiles.create(
        name="Ada", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    plant_note(services, profile.id)
    shown: list[tuple[str, str, tuple[Any, ...]]] = []
    monkeypatch.setattr(
        dialogs, "error", lambda _parent, title, text, *log: shown.append((title, text, log))
    )
    monkeypatch.setattr(CheckInService, "all", bug)

    runner.submit(lambda: services.checkins.all(profile.id), lambda _rows: None, owner=main_window)
    wait_idle(qtbot, runner)

    assert shown == [("Rung", sentence_for(data_dir), (log_path(data_dir),))]
    assert_logged_without_private_text(data_dir, "Rung failed")


@pytest.mark.gui
def test_an_exception_no_code_caught_goes_the_same_way(
    qtbot: QtBot, main_window: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.app import route_uncaught_exceptions

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, _title, text, *_log: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    route_uncaught_exceptions(main_window, data_dir)
    try:
        bug()
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert shown == [sentence_for(data_dir)]
    assert_logged_without_private_text(data_dir, "Rung failed")


def test_a_known_error_is_its_own_sentence_and_is_not_logged(tmp_path: Path) -> None:
    error = BusyDatabaseError("Rung's data in X is in use by another program; nothing was changed.")
    assert describe(error) == str(error)
    assert describe(PermissionError(13, "Permission denied", "/out.pdf")) == (
        "Permission denied: /out.pdf."
    )
    assert not log_path(tmp_path).exists()
