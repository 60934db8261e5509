"""The Backups section, erasing from the app, the integrity check, and a damaged database
at startup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import Services, open_services
from app.services.backups import backups_of
from app.services.demo import create_demo
from tests.helpers import mark_as_newer
from ui import dialogs
from ui.app import open_or_recover, show_new_warnings
from ui.backups import EMPTY_TEXT, BackupTableModel, reason_text, size_text
from ui.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def no_file_or_question_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Like conftest's guard, for the dialogs it does not know: a test must answer them."""

    def unexpected(_parent: Any, title: str, *_args: Any) -> Any:
        raise AssertionError(f"unexpected dialog '{title}'")

    for name in ("ask", "open_file", "notice"):
        monkeypatch.setattr(dialogs, name, unexpected)


def _demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, years=1)


def _answer(monkeypatch: pytest.MonkeyPatch, name: str, answer: Any) -> list[str]:
    """Replace `dialogs.<name>` with one that records its text and gives `answer`."""
    texts: list[str] = []

    def reply(_parent: Any, _title: str, text: str, *_args: Any) -> Any:
        texts.append(text)
        return answer

    monkeypatch.setattr(dialogs, name, reply)
    return texts


@pytest.fixture
def window(main_window: Any, services: Services, runner: Any) -> Any:
    """The main window on a demo profile, showing the Backups section."""
    main_window.reload_profiles(_demo(services))
    main_window.show_section("backups")
    runner.drain()
    return main_window


def _wait_idle(qtbot: QtBot, window: Any, runner: Any) -> None:
    qtbot.waitUntil(lambda: not window.backups.busy)
    runner.drain()


def _reasons(window: Any) -> list[str]:
    model = window.backups.model
    return [model.index(row, BackupTableModel.REASON).data() for row in range(model.rowCount())]


def _back_up_now(qtbot: QtBot, window: Any, runner: Any) -> None:
    qtbot.mouseClick(window.backups.backup_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window, runner)


def test_words_for_reasons_and_sizes() -> None:
    assert reason_text("daily") == "Daily"
    assert reason_text("before-migration-from-0001") == "Before a migration"
    assert reason_text("before-import") == "Before an import"
    assert reason_text("before-restore") == "Before a restore"
    assert reason_text("manual") == "Manual"
    assert size_text(300) == "1 KiB"
    assert size_text(200 * 1024) == "200 KiB"
    assert size_text(3 * 1024 * 1024 + 512 * 1024) == "3.5 MiB"


def test_empty_state_then_back_up_now_adds_a_row(
    qtbot: QtBot, window: Any, runner: Any, qtmodeltester: Any
) -> None:
    panel = window.backups
    assert panel.model.rowCount() == 0
    assert panel.pages.currentWidget() is panel.empty
    assert panel.empty.text() == EMPTY_TEXT
    assert not panel.restore_button.isEnabled()

    _back_up_now(qtbot, window, runner)
    assert panel.model.rowCount() == 1
    assert panel.pages.currentWidget() is panel.view
    assert _reasons(window) == ["Manual"]
    assert panel.selected_info() == backups_of(window._data_dir).all()[0]
    assert panel.restore_button.isEnabled()
    assert panel.status.text().startswith("1 backup, ")

    _back_up_now(qtbot, window, runner)
    assert panel.model.rowCount() == 2
    assert panel.selected_name() == backups_of(window._data_dir).all()[0].name  # the new one
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.proxy)


def test_restoring_a_backup_undoes_later_changes_and_keeps_the_state_it_replaced(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = window.profile_id
    _back_up_now(qtbot, window, runner)
    backup = window.backups.selected_name()
    services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(first)
    assert window.switcher.count() == 2

    texts = _answer(monkeypatch, "confirm", True)
    qtbot.mouseClick(window.backups.restore_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window, runner)

    assert "backed up first" in texts[0]
    assert [p.name for p in services.profiles.all()] == [services.profiles.get(first).name]
    assert window.switcher.count() == 1
    assert window.profile_id == first
    assert window.dashboard.title.text() == services.profiles.get(first).name
    assert _reasons(window) == ["Before a restore", "Manual"]
    assert window.backups.selected_info().reason == "before-restore"
    assert window.backups.status.text().startswith("Restored the backup of ")
    # The state it replaced holds Ana: restoring it brings her back.
    window.backups.select(window.backups.model.info(0).name)
    qtbot.mouseClick(window.backups.restore_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window, runner)
    assert sorted(p.name for p in services.profiles.all())[0] == "Ana"
    assert window.switcher.count() == 2
    assert backup in [info.name for info in backups_of(window._data_dir).all()]


def test_declining_the_restore_changes_nothing(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _back_up_now(qtbot, window, runner)
    services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(window.profile_id)
    _answer(monkeypatch, "confirm", False)
    qtbot.mouseClick(window.backups.restore_button, Qt.MouseButton.LeftButton)
    runner.drain()
    assert not window.backups.busy
    assert len(services.profiles.all()) == 2
    assert window.switcher.count() == 2
    assert _reasons(window) == ["Manual"]


def _other_folder(tmp_path: Path, name: str) -> Path:
    """A database in another data folder (as from another computer) with one profile."""
    other = open_services(tmp_path / "other")
    try:
        other.profiles.create(
            name=name, framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
        )
    finally:
        other.close()
    return tmp_path / "other" / "rung.sqlite3"


def test_restore_from_a_file_of_another_data_folder(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    source = _other_folder(tmp_path, "Maren Other-Computer")
    chosen: list[str] = []

    def open_file(_parent: Any, title: str, file_filter: str) -> Path:
        chosen.append(file_filter)
        return source

    monkeypatch.setattr(dialogs, "open_file", open_file)
    texts = _answer(monkeypatch, "confirm", True)
    qtbot.mouseClick(window.backups.restore_file_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window, runner)

    assert "*.sqlite3" in chosen[0]
    assert "rung.sqlite3" in texts[0]
    assert [p.name for p in services.profiles.all()] == ["Maren Other-Computer"]
    assert window.dashboard.title.text() == "Maren Other-Computer"
    assert window.switcher.currentText() == "Maren Other-Computer"
    assert _reasons(window) == ["Before a restore"]


def test_cancelling_the_file_dialog_changes_nothing(
    qtbot: QtBot, window: Any, services: Services, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "open_file", lambda *_args: None)
    qtbot.mouseClick(window.backups.restore_file_button, Qt.MouseButton.LeftButton)
    runner.drain()
    assert len(services.profiles.all()) == 1
    assert window.backups.model.rowCount() == 0


def test_a_file_that_is_not_a_database_is_refused_with_nothing_changed(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database")
    monkeypatch.setattr(dialogs, "open_file", lambda *_args: junk)
    _answer(monkeypatch, "confirm", True)
    errors = _answer(monkeypatch, "error", None)
    qtbot.mouseClick(window.backups.restore_file_button, Qt.MouseButton.LeftButton)
    _wait_idle(qtbot, window, runner)
    assert "not an SQLite database" in errors[0]
    assert window.backups.status.text() == "Nothing was restored."
    assert len(services.profiles.all()) == 1
    assert backups_of(window._data_dir).all() == []
    window.reload_profiles(window.profile_id)  # the database still works
    assert window.switcher.count() == 1


def test_erase_all_data_returns_to_the_first_run_with_no_backups(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _back_up_now(qtbot, window, runner)
    texts = _answer(monkeypatch, "confirm", True)
    window.erase_all_action.trigger()
    runner.drain()
    assert "every profile" in texts[0]
    assert "every backup" in texts[0]
    assert "cannot be undone" in texts[0]
    assert services.profiles.all() == []
    assert backups_of(window._data_dir).all() == []
    assert window.central.currentWidget() is window.first_run
    assert window.backups.model.rowCount() == 0
    assert window.statusBar().currentMessage().startswith("Erased every profile")


def test_declining_erase_all_keeps_everything(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _back_up_now(qtbot, window, runner)
    _answer(monkeypatch, "confirm", False)
    window.erase_all_action.trigger()
    runner.drain()
    assert len(services.profiles.all()) == 1
    assert len(backups_of(window._data_dir).all()) == 1


def test_deleting_a_profile_erases_it_from_every_backup(
    qtbot: QtBot,
    window: Any,
    services: Services,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = services.profiles.get(window.profile_id).name
    _back_up_now(qtbot, window, runner)
    backup = backups_of(window._data_dir).all()[0].path
    assert name.encode() in backup.read_bytes()
    texts = _answer(monkeypatch, "confirm", True)
    window.delete_profile_action.trigger()
    assert "every backup" in texts[0]
    assert services.profiles.all() == []
    assert window.central.currentWidget() is window.first_run
    assert name.encode() not in backup.read_bytes()
    assert window.statusBar().currentMessage().startswith(f"Deleted the profile {name}: ")


def test_checking_the_database_reports_a_healthy_one(
    qtbot: QtBot, window: Any, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _answer(monkeypatch, "inform", None)
    window.check_action.trigger()
    qtbot.waitUntil(lambda: bool(texts))
    assert "passed the full integrity check" in texts[0]
    assert window.check_action.isEnabled()


def test_checking_the_database_shows_its_problems(
    qtbot: QtBot, window: Any, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = ["row 3 of ratings points to a missing checkins"]
    monkeypatch.setattr(
        type(window._services.store), "integrity_problems", lambda *_a, **_k: problems
    )
    texts = _answer(monkeypatch, "error", None)
    window.check_action.trigger()
    qtbot.waitUntil(lambda: bool(texts))
    assert problems[0] in texts[0]
    assert "Backups section" in texts[0]


# -- startup ---------------------------------------------------------------------


def _damaged_folder(data_dir: Path, *, with_backup: bool) -> str:
    """A data folder whose database is garbage; with a good backup holding one profile."""
    services = open_services(data_dir)
    try:
        name = services.profiles.create(
            name="Before The Damage",
            framework="ml-engineer",
            level="junior-ml-engineer",
            target="ml-engineer",
        ).name
        if with_backup:
            backups_of(data_dir).create()
    finally:
        services.close()
    for suffix in ("-wal", "-shm"):
        (data_dir / f"rung.sqlite3{suffix}").unlink(missing_ok=True)
    (data_dir / "rung.sqlite3").write_bytes(b"garbage, not a database" * 100)
    return name


def _opened(recovered: Services | None) -> Services:
    assert recovered is not None
    return recovered


def _moved_aside(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.glob("rung.sqlite3.corrupt-*") if "-wal" not in p.name]


def test_a_damaged_database_is_moved_aside_and_the_newest_backup_restored(
    qapp: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = _damaged_folder(data_dir, with_backup=True)
    texts = _answer(monkeypatch, "ask", True)
    services = _opened(open_or_recover(data_dir))
    try:
        assert [p.name for p in services.profiles.all()] == [name]
    finally:
        services.close()
    assert "moved aside" in texts[0]
    assert "Restore the backup of " in texts[0]
    [moved] = _moved_aside(data_dir)
    assert moved.read_bytes().startswith(b"garbage")


def test_a_damaged_database_can_be_left_for_a_fresh_one(
    qapp: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damaged_folder(data_dir, with_backup=True)
    _answer(monkeypatch, "ask", False)
    services = _opened(open_or_recover(data_dir))
    try:
        assert services.profiles.all() == []
    finally:
        services.close()
    assert len(_moved_aside(data_dir)) == 1
    assert [b.reason for b in backups_of(data_dir).all()] == ["manual"]  # still there


def test_a_damaged_database_without_backups_says_so_and_starts_fresh(
    qapp: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _damaged_folder(data_dir, with_backup=False)
    errors = _answer(monkeypatch, "error", None)
    services = _opened(open_or_recover(data_dir))
    try:
        assert services.profiles.all() == []
    finally:
        services.close()
    assert "moved aside" in errors[0]
    assert len(_moved_aside(data_dir)) == 1


def test_a_database_from_a_newer_rung_is_refused_and_left_alone(
    qapp: Any, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_services(data_dir).close()
    database = data_dir / "rung.sqlite3"
    mark_as_newer(database)
    before = database.read_bytes()
    errors = _answer(monkeypatch, "error", None)
    assert open_or_recover(data_dir) is None
    assert "newer version" in errors[0]
    assert database.read_bytes() == before
    assert _moved_aside(data_dir) == []


def test_one_time_warnings_are_shown_once_per_data_folder(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QWidget

    data_dir.mkdir(parents=True)
    parent = QWidget()
    qtbot.addWidget(parent)
    texts = _answer(monkeypatch, "notice", None)
    warnings = ["SQLite 3.40.1 has the rare 'WAL-reset' bug, with commas, twice.", "Cloud folder."]

    def show() -> None:
        show_new_warnings(parent, warnings, Settings(data_dir))  # a fresh Settings each time

    show()
    assert texts == ["\n\n".join(warnings)]
    show()
    assert len(texts) == 1
    warnings.append("A new one.")
    show()
    assert texts[1:] == ["A new one."]


def test_the_section_fits_at_the_minimum_size_with_backups_and_while_busy(
    qtbot: QtBot, window: Any, runner: Any
) -> None:
    from PySide6.QtWidgets import QApplication

    from tests.layout_check import check_layout

    for reason in ("daily", "before-import", "before-migration-from-0001", "manual"):
        backups_of(window._data_dir).create(reason)
    window.backups.reload()
    runner.drain()
    window.resize(window.minimumSize())
    problems: list[str] = []
    for busy in (None, "Restoring the backup of 2026-11-26 23:55 (before a migration)…"):
        window.backups._set_busy(busy)
        for _ in range(3):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        problems += check_layout(window)
    assert sorted(_reasons(window)) == [
        "Before a migration",
        "Before an import",
        "Daily",
        "Manual",
    ]
    assert not problems, "\n".join(problems)
