"""Who you are, in the app: Settings sets it (all or nothing), and the first run prefills it
from the first profile's name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.identity import Identity
from tests.helpers import (
    MANAGER_NAME,
    MANAGER_ROLE,
    activate,
    private_profile,
    sign_as_manager,
    type_text,
    wait_idle,
)
from tests.layout_check import check_layout
from tests.shortcut_check import collisions
from tests.test_manager import share
from tests.test_manager_ui import rate
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.settings_dialog import SettingsDialog
from ui.tasks import TaskRunner
from ui.theme import Appearance

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
NAME = "Zoë <b>Example</b> & 李"


def _settings(qtbot: QtBot, window: MainWindow, runner: TaskRunner) -> SettingsDialog:
    """File → Settings…, once who you are has loaded."""
    activate(qtbot, window)
    window.settings_action.trigger()
    wait_idle(qtbot, runner)
    dialog = window.settings_dialog
    assert dialog is not None
    activate(qtbot, dialog)
    qtbot.waitUntil(dialog.name.hasFocus)
    return dialog


def _alt(qtbot: QtBot, dialog: QWidget, key: Qt.Key) -> QWidget:
    qtbot.keyClick(dialog, key, ALT)
    focused = QApplication.focusWidget()
    assert focused is not None
    return focused


def _enter(qtbot: QtBot, runner: TaskRunner) -> None:
    """Enter in the focused one-line field: Save, the default button."""
    field = QApplication.focusWidget()
    assert field is not None
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)


def _closed(dialog: SettingsDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_settings_sets_who_you_are_and_a_bad_email_changes_nothing(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner, data_dir: Path
) -> None:
    window = main_window
    dialog = _settings(qtbot, window, runner)
    assert (dialog.name.text(), dialog.role.text(), dialog.email.text()) == ("", "", "")
    assert collisions(dialog) == []
    assert check_layout(dialog) == []
    type_text(dialog.name, NAME)
    type_text(_alt(qtbot, dialog, Qt.Key.Key_R), MANAGER_ROLE)
    type_text(_alt(qtbot, dialog, Qt.Key.Key_E), "zoe at example")
    assert _alt(qtbot, dialog, Qt.Key.Key_P) is dialog.appearance
    qtbot.keyClick(dialog.appearance, Qt.Key.Key_End)
    assert dialog.appearance.currentText() == "Dark"
    dialog.email.setFocus()
    _enter(qtbot, runner)
    assert dialog.isVisible()
    assert dialog.message.text() == (
        "'zoe at example' is not an email address such as sam@example.com."
    )
    assert services.identity.get() is None  # nothing changed: neither who you are…
    assert window.appearance_actions[Appearance.LIGHT].isChecked()  # …nor the palette
    assert Settings(data_dir).appearance is not Appearance.DARK

    dialog.email.selectAll()
    type_text(dialog.email, "zoe@example.com")
    _enter(qtbot, runner)
    assert _closed(dialog)
    assert services.identity.get() == Identity(NAME, MANAGER_ROLE, "zoe@example.com")
    assert window.appearance_actions[Appearance.DARK].isChecked()
    assert Settings(data_dir).appearance is Appearance.DARK

    # Again: what is set shows; a role and an email emptied are cleared; an empty name is not.
    dialog = _settings(qtbot, window, runner)
    assert (dialog.name.text(), dialog.role.text()) == (NAME, MANAGER_ROLE)
    assert dialog.appearance.currentText() == "Dark"
    for field in (dialog.role, dialog.email):
        field.clear()
    dialog.name.selectAll()
    qtbot.keyClick(dialog.name, Qt.Key.Key_Delete)
    _enter(qtbot, runner)
    assert dialog.message.text() == "The name is empty."
    assert services.identity.get() == Identity(NAME, MANAGER_ROLE, "zoe@example.com")
    type_text(dialog.name, "Zoë")
    _enter(qtbot, runner)
    assert _closed(dialog)
    assert services.identity.get() == Identity("Zoë")


def test_settings_with_nothing_typed_sets_no_one(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner
) -> None:
    dialog = _settings(qtbot, main_window, runner)
    _enter(qtbot, runner)
    assert _closed(dialog)
    assert services.identity.get() is None


def _create_profile(qtbot: QtBot, window: MainWindow, runner: TaskRunner, name: str) -> None:
    """The profile form (the first run, or File → New profile) filled in and Enter pressed."""
    form = window.first_run
    assert window.central.currentWidget() is form
    activate(qtbot, window)
    form.name.setFocus()
    type_text(form.name, name)
    qtbot.keyClick(form.name, Qt.Key.Key_Return)  # Enter in any field creates the profile
    wait_idle(qtbot, runner)
    assert window.central.currentWidget() is window.sections


def test_the_first_run_prefills_who_you_are_from_the_first_profile(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner
) -> None:
    window = main_window
    _create_profile(qtbot, window, runner, NAME)
    assert services.identity.get() == Identity(NAME)
    notice = window.dashboard.notice
    assert notice.isVisible()
    assert f"signed “{NAME}”" in notice.text()
    assert "File → Settings" in notice.text()
    # Settings shows it, to add the role.
    dialog = _settings(qtbot, window, runner)
    assert dialog.name.text() == NAME
    dialog.reject()

    # A second profile (a mentee's, say) names no one.
    window.new_profile_action.trigger()
    _create_profile(qtbot, window, runner, "Ana")
    assert len(services.profiles.all()) == 2
    assert services.identity.get() == Identity(NAME)


def test_the_first_run_keeps_who_you_are_when_it_is_known(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner
) -> None:
    sign_as_manager(services)  # `rung whoami` ran first
    _create_profile(qtbot, main_window, runner, "Ana")
    identity = services.identity.get()
    assert identity is not None
    assert (identity.name, identity.role) == (MANAGER_NAME, MANAGER_ROLE)
    assert not main_window.dashboard.notice.isVisible()


def test_every_settings_field_has_a_label_and_is_reached_by_tab(
    qtbot: QtBot, main_window: MainWindow, runner: TaskRunner
) -> None:
    dialog = _settings(qtbot, main_window, runner)
    fields: list[Any] = [dialog.name, dialog.role, dialog.email, dialog.appearance]
    reached = []
    for _ in range(len(fields) + 2):
        focused = QApplication.focusWidget()
        assert focused is not None
        reached.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert reached[: len(fields)] == fields
    buttons = [w for w in reached if isinstance(w, QAbstractButton)]
    assert [b.text().replace("&", "") for b in buttons] == ["Save", "Cancel"]
    dialog.reject()


def test_who_you_are_set_in_settings_signs_the_assessment_shown(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    tmp_path: Path,
) -> None:
    window = main_window
    profile_id = private_profile(services, tmp_path)
    share(services, profile_id)
    window.reload_profiles(profile_id)
    window.show_section("assessment")
    wait_idle(qtbot, runner)
    panel = window.manager
    assert panel.history.currentText().endswith(", not signed yet")
    assert panel.status_line.isVisible()

    dialog = _settings(qtbot, window, runner)
    type_text(dialog.name, MANAGER_NAME)
    type_text(_alt(qtbot, dialog, Qt.Key.Key_R), MANAGER_ROLE)
    _enter(qtbot, runner)
    assert _closed(dialog)
    assert panel.history.currentText().endswith(f", signed by {MANAGER_NAME}, {MANAGER_ROLE}")
    assert not panel.status_line.isVisible()
    # Signed: a rating typed now is saved at once, no question asked.
    rate(qtbot, panel, "a-critical", Qt.Key.Key_4)
    wait_idle(qtbot, runner)
    assert panel.sign_dialog is None
    [assessment] = services.manager.assessments(profile_id)
    assert assessment.assessor == Identity(MANAGER_NAME, MANAGER_ROLE)
    assert assessment.calibrations == {"a-critical": 4}
