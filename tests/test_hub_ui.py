"""The Team hub menu against a real PostgreSQL (`tests.pg`): connecting through the dialog
with real keys, publishing and pulling in the background, publishing after a finalised
check-in, and an unreachable hub told in one sentence, never as a bug."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bundle.export import stamp
from app.errors import BUG
from app.hub.connection import KEYRING_SERVICE, HubSettings, keyring_account
from app.services import Services, open_services
from tests.helpers import (
    activate,
    click,
    press_mnemonic,
    private_profile,
    type_text,
    wait_idle,
)
from tests.layout_check import check_layout
from tests.pg import Hub
from tests.shortcut_check import collisions
from ui import dialogs
from ui.hub import ConnectDialog, ago, sync_line
from ui.main_window import MainWindow
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui


@dataclass
class Shown:
    """What the app put in front of the user in boxes: (title, text) each."""

    errors: list[tuple[str, str]]
    infos: list[tuple[str, str]]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    boxes = Shown([], [])
    monkeypatch.setattr(
        dialogs, "error", lambda _p, title, text, *_a: boxes.errors.append((title, text))
    )
    monkeypatch.setattr(
        dialogs, "inform", lambda _p, title, text: boxes.infos.append((title, text))
    )
    return boxes


def _connect_dialog(qtbot: QtBot, window: MainWindow) -> ConnectDialog:
    activate(qtbot, window)
    window.hub_connect_action.trigger()
    dialog = window.hub.dialog
    assert dialog is not None
    activate(qtbot, dialog)
    qtbot.waitUntil(dialog.url.hasFocus)
    return dialog


def _connect(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, url: str, *, publish_after: bool = False
) -> ConnectDialog:
    """Team hub → Connect…, the URL typed, the box ticked with its key if asked, Enter."""
    dialog = _connect_dialog(qtbot, window)
    dialog.url.selectAll()
    type_text(dialog.url, url)
    if publish_after:
        assert press_mnemonic(qtbot, dialog.url, Qt.Key.Key_P) is dialog.publish_after
        assert dialog.publish_after.isChecked()
        dialog.url.setFocus()
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)  # Connect is the default button
    wait_idle(qtbot, runner)
    return dialog


def _close(qtbot: QtBot, dialog: ConnectDialog) -> None:
    click(dialog.cancel_button)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())


def _hub_json(data_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((data_dir / "hub.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def second_window(
    qtbot: QtBot, qapp: QApplication, runner: TaskRunner, tmp_path: Path
) -> Iterator[tuple[MainWindow, Services]]:
    """Another person's Rung: a window on a data folder of its own."""
    folder = tmp_path / "manager"
    services = open_services(folder)
    window = MainWindow(Settings(folder), Theme(qapp, Appearance.LIGHT), folder)
    window.open(services, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, runner)
    yield window, services
    window.close()
    runner.drain()
    services.close()


def test_a_folder_without_a_hub_shows_nothing_new_but_the_menu(
    main_window: MainWindow, services: Services, data_dir: Path
) -> None:
    window = main_window
    assert window.hub.settings is None
    assert window.hub.label is None  # no status-bar label, no status bar made for it
    assert window.hub_connect_action.isEnabled()
    for action in (
        window.hub_publish_action,
        window.hub_pull_action,
        window.hub_status_action,
        window.hub_publish_after_action,
    ):
        assert not action.isEnabled()
    assert not (data_dir / "hub.json").exists()
    window.show_section("dashboard")
    assert collisions(window) == []


def test_connecting_through_the_dialog_says_who_you_are_and_saves_no_password(
    qtbot: QtBot,
    main_window: MainWindow,
    runner: TaskRunner,
    hub: Hub,
    data_dir: Path,
    shown: Shown,
) -> None:
    window = main_window
    url = hub.add("zoe", ["engineer", "manager"])

    # A password in the URL, then a URL that is not PostgreSQL's: one sentence, nothing saved.
    dialog = _connect(qtbot, window, runner, url.replace("@", ":secret@", 1))
    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert "never stores a password" in dialog.message.text()
    assert "\n" not in dialog.message.text()
    assert not (data_dir / "hub.json").exists()
    dialog.url.selectAll()
    type_text(dialog.url, "mysql://zoe@localhost/hub")
    qtbot.keyClick(dialog.url, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert "is not a PostgreSQL URL" in dialog.message.text()
    assert not (data_dir / "hub.json").exists()
    assert window.hub.label is None
    assert not window.hub_publish_action.isEnabled()
    assert collisions(dialog) == []
    assert check_layout(dialog) == []
    _close(qtbot, dialog)

    dialog = _connect(qtbot, window, runner, url, publish_after=True)
    assert not dialog.message.isVisible()
    text = dialog.status_lines.text()
    assert f"Login: {hub.login('zoe')}, Zoe (engineer, manager)" in text
    assert "Last publish: never; last pull: never" in text
    assert not dialog.connect_button.isVisible()
    assert dialog.cancel_button.text() == "Close"
    assert check_layout(dialog) == []
    assert collisions(dialog) == []
    _close(qtbot, dialog)

    saved = _hub_json(data_dir)
    assert saved["url"].startswith(f"postgresql://{hub.login('zoe')}@/{hub.database}?host=")
    assert saved["publish_after_finalise"] is True
    assert "secret" not in (data_dir / "hub.json").read_text(encoding="utf-8")
    assert window.hub_publish_after_action.isChecked()
    assert window.hub_publish_action.isEnabled()
    assert window.hub_pull_action.isEnabled()
    label = window.hub.label
    assert label is not None
    assert label.isVisible()
    assert label.text() == "Hub: connected, not synced yet"
    assert collisions(window) == []

    # The menu's check box is the same setting.
    window.hub_publish_after_action.trigger()
    wait_idle(qtbot, runner)
    assert _hub_json(data_dir)["publish_after_finalise"] is False

    # Hub status… asks the hub, and says when it last published and pulled.
    window.hub_status_action.trigger()
    wait_idle(qtbot, runner)
    [(title, status)] = shown.infos
    assert title == "Hub status"
    assert "Zoe (engineer, manager)" in status
    assert "Last publish: never; last pull: never" in status
    assert "Publishes after each finalised check-in: no" in status
    assert shown.errors == []


def test_publish_now_then_a_manager_pulls_the_profile_in_another_window(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    hub: Hub,
    tmp_path: Path,
    data_dir: Path,
    second_window: tuple[MainWindow, Services],
    shown: Shown,
) -> None:
    manager_url = hub.add("noor", ["manager"])
    engineer_url = hub.add("zoe", ["engineer"], manager="noor")
    profile_id = private_profile(services, tmp_path)
    window = main_window
    window.reload_profiles(profile_id)
    wait_idle(qtbot, runner)
    _close(qtbot, _connect(qtbot, window, runner, engineer_url))

    window.hub_publish_action.trigger()
    assert not window.hub_publish_action.isEnabled()  # one publish at a time
    wait_idle(qtbot, runner)
    assert window.statusBar().currentMessage().startswith("Published 1 profile")
    assert window.hub_publish_action.isEnabled()
    assert _hub_json(data_dir)["last_publish"] is not None
    label = window.hub.label
    assert label is not None
    qtbot.waitUntil(lambda: label.text() == "Hub: published just now")
    window.hub_status_action.trigger()
    wait_idle(qtbot, runner)
    [(_title, status)] = shown.infos
    assert re.search(
        r"Last publish: \d{4}-\d\d-\d\d \d\d:\d\d \(just now\); last pull: never", status
    )

    manager, theirs = second_window
    assert not manager.section_actions["team"].isVisible()
    _close(qtbot, _connect(qtbot, manager, runner, manager_url))
    manager.hub_pull_action.trigger()
    wait_idle(qtbot, runner)
    assert manager.statusBar().currentMessage() == "Pulled from the hub: 1 profile updated."
    # Shown at once, as after a bundle import: the profile chooser and the Team section.
    assert manager.switcher.findData(profile_id) >= 0
    assert manager.section_actions["team"].isVisible()
    manager.show_section("team")
    wait_idle(qtbot, runner)
    people = [
        manager.team.model.index(row, 0).data() for row in range(manager.team.model.rowCount())
    ]
    assert [person.splitlines()[0] for person in people] == ["Zoë"]
    assert theirs.profiles.get(profile_id).shared
    assert shown.errors == []

    manager.hub_pull_action.trigger()
    wait_idle(qtbot, runner)
    assert (
        manager.statusBar().currentMessage()
        == "Pulled from the hub: no profile changed, 1 unchanged."
    )


def test_a_password_typed_in_the_dialog_is_kept_in_the_keyring_not_in_rungs_files(
    qtbot: QtBot,
    main_window: MainWindow,
    runner: TaskRunner,
    hub: Hub,
    data_dir: Path,
    kept: Any,
    shown: Shown,
) -> None:
    window = main_window
    hub.add("zoe", ["engineer"])
    url = hub.require_password("zoe", "ünïcode & <pw>")
    dialog = _connect_dialog(qtbot, window)
    type_text(dialog.url, url)
    assert press_mnemonic(qtbot, dialog.url, Qt.Key.Key_W) is dialog.password
    type_text(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert "refused the password of the login" in dialog.message.text()
    assert not (data_dir / "hub.json").exists()
    dialog.password.selectAll()
    type_text(dialog.password, "ünïcode & <pw>")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert not dialog.message.isVisible()
    assert dialog.password.text() == ""
    assert collisions(dialog) == []
    assert check_layout(dialog) == []
    _close(qtbot, dialog)
    saved = _hub_json(data_dir)
    assert saved["password_in_keyring"] is True
    account = keyring_account(data_dir, saved["url"])
    assert kept.get_password(KEYRING_SERVICE, account) == "ünïcode & <pw>"
    assert "<pw>" not in (data_dir / "hub.json").read_text(encoding="utf-8")

    window.hub_publish_action.trigger()
    wait_idle(qtbot, runner)
    assert window.statusBar().currentMessage().startswith("Nothing to publish")
    again = _connect_dialog(qtbot, window)
    assert again.password.placeholderText().startswith("Kept in the keyring")
    press_mnemonic(qtbot, again.url, Qt.Key.Key_F)  # Forget it
    wait_idle(qtbot, runner)
    assert not again.forget_button.isVisible()
    assert not again.password.placeholderText().startswith("Kept")
    assert kept.get_password(KEYRING_SERVICE, account) is None
    assert _hub_json(data_dir)["password_in_keyring"] is False
    _close(qtbot, again)
    assert shown.errors == []


def test_withdraw_asks_then_takes_your_profiles_off_the_hub(
    qtbot: QtBot,
    main_window: MainWindow,
    runner: TaskRunner,
    services: Services,
    hub: Hub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    window = main_window
    engineer_url = hub.add("zoe", ["engineer"])
    profile_id = private_profile(services, tmp_path)
    window.reload_profiles(profile_id)
    wait_idle(qtbot, runner)
    assert not window.hub_withdraw_action.isEnabled()  # no hub yet
    _close(qtbot, _connect(qtbot, window, runner, engineer_url, publish_after=True))
    window.hub_publish_action.trigger()
    wait_idle(qtbot, runner)
    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(1,)]

    asked: list[str] = []
    answer = False

    def confirm(_parent: Any, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return answer

    monkeypatch.setattr(dialogs, "confirm", confirm)
    window.hub_withdraw_action.trigger()  # asked, and kept
    wait_idle(qtbot, runner)
    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(1,)]
    assert "Publish after each finalised check-in is on" in asked[0]
    answer = True
    window.hub_withdraw_action.trigger()
    wait_idle(qtbot, runner)
    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(0,)]
    assert window.statusBar().currentMessage().startswith("Withdrew 1 profile from the hub")
    assert services.profiles.get(profile_id).name == "Zoë"  # nothing here changed
    assert shown.errors == []


def _finalise_a_check_in(
    qtbot: QtBot, window: MainWindow, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One skill rated, then Finalise (the unrated critical skills: yes, anyway)."""
    from ui.checkin import SkillRater

    window.show_section("checkin")
    panel = window.checkin
    wait_idle(qtbot, runner)
    click(panel.start_button)
    qtbot.waitUntil(lambda: panel.steps.count() > 0 and panel.current_step() == 0)
    click(panel.steps.currentWidget().findChildren(SkillRater)[0].choices.button(3))
    panel.go_to(panel.steps.count() - 1)
    qtbot.waitUntil(lambda: "Finalise when ready" in panel.review_summary.text())
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    click(panel.finish_button)
    qtbot.waitUntil(lambda: window.current_section() == "dashboard")
    wait_idle(qtbot, runner)


def test_a_finalised_check_in_is_published_when_the_folder_asks_for_it(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    hub: Hub,
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    url = hub.add("zoe", ["engineer"])
    profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window = main_window
    window.reload_profiles(profile.id)
    wait_idle(qtbot, runner)
    _close(qtbot, _connect(qtbot, window, runner, url, publish_after=True))

    _finalise_a_check_in(qtbot, window, runner, monkeypatch)
    [checkin] = services.checkins.all(profile.id)
    assert checkin.status == "final"
    published = hub.sql(
        "SELECT id FROM rung_hub.records WHERE kind = 'checkin' AND profile_id = %s",
        (profile.id,),
    )
    assert published == [(checkin.id,)]
    assert window.statusBar().currentMessage().startswith("Published 1 profile")
    assert window.dashboard.notice.isVisible()  # what the check-in changed, still said
    assert shown.errors == []


def test_an_unreachable_hub_is_one_sentence_never_a_bug(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    hub: Hub,
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shown: Shown,
) -> None:
    window = main_window
    nowhere = tmp_path / "no-server"
    nowhere.mkdir()
    gone = f"postgresql://zoe@/hub?host={nowhere}"

    # Connecting to it: one sentence in the dialog, nothing saved.
    dialog = _connect(qtbot, window, runner, gone)
    assert "cannot be reached" in dialog.message.text()
    assert dialog.message.text().endswith("; nothing was changed.")  # no sync was asked for
    assert "\n" not in dialog.message.text()
    assert BUG not in dialog.message.text()
    assert not (data_dir / "hub.json").exists()
    _close(qtbot, dialog)

    # A hub that went away after connecting: Publish now and Pull now say so in one sentence.
    url = hub.add("zoe", ["engineer"])
    profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(profile.id)
    wait_idle(qtbot, runner)
    _close(qtbot, _connect(qtbot, window, runner, url, publish_after=True))
    settings = _hub_json(data_dir) | {"url": gone}
    (data_dir / "hub.json").write_text(json.dumps(settings), encoding="utf-8")
    window.hub.load()
    wait_idle(qtbot, runner)
    for action, title in (
        (window.hub_publish_action, "Publish to the hub"),
        (window.hub_pull_action, "Pull from the hub"),
    ):
        action.trigger()
        wait_idle(qtbot, runner)
        [(shown_title, text)] = shown.errors
        shown.errors.clear()
        assert shown_title == title
        assert "cannot be reached" in text
        assert "\n" not in text
        assert BUG not in text
        assert action.isEnabled()
    label = window.hub.label
    assert label is not None
    assert label.text() == "Hub: not pulled"

    # After a finalised check-in: a sentence in the status bar, and the check-in stays final.
    _finalise_a_check_in(qtbot, window, runner, monkeypatch)
    [checkin] = services.checkins.all(profile.id)
    assert checkin.status == "final"
    message = window.statusBar().currentMessage()
    assert message == (
        "Not published to the hub: the hub cannot be reached; it will be published next time."
    )
    assert label.text() == "Hub: not published"
    why = label.toolTip().splitlines()
    assert why[0] == message
    assert why[1].startswith("The hub at postgresql://zoe@/hub?host=")
    assert " cannot be reached (" in why[1]
    assert BUG not in label.toolTip()
    assert shown.errors == []


def test_the_label_says_how_long_ago_in_words() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert ago(stamp(now - timedelta(seconds=20)), now) == "just now"
    assert ago(stamp(now - timedelta(minutes=5)), now) == "5 min ago"
    assert ago(stamp(now - timedelta(hours=3)), now) == "3 h ago"
    assert ago(stamp(now - timedelta(days=1, hours=2)), now) == "yesterday"
    assert ago(stamp(now - timedelta(days=3)), now) == "3 days ago"
    assert ago(stamp(now - timedelta(days=30)), now).startswith("on 2026-04-0")
    settings = HubSettings("postgresql://zoe@hub/db", False, stamp(now - timedelta(minutes=5)))
    assert sync_line(settings, now) == "Hub: published 5 min ago"
    settings = HubSettings(
        settings.url, False, settings.last_publish, stamp(now - timedelta(hours=1))
    )
    assert sync_line(settings, now) == "Hub: published 5 min ago, pulled 1 h ago"
