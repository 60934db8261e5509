"""The review of proposals from git in the Evidence section, on a real repository built in
tmp_path: read it, accept one, edit one, dismiss one with real clicks and keys; a second
read offers none of them again; a folder that is not a repository is one sentence; a profile
shared with you has no such button."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.evidence import Tag
from tests.gitrepo import ALEX, SAM, RepoBuilder
from tests.helpers import activate, click, press_mnemonic, type_text, wait_idle
from tests.layout_check import check_layout
from tests.shortcut_check import collisions
from tests.test_manager import share
from ui import dialogs
from ui.evidence import EvidencePanel
from ui.git_proposals import (
    NO_AUTHOR_TEXT,
    GitProposalsDialog,
    ProposalEditDialog,
    ProposalTableModel,
)
from ui.main_window import MainWindow
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
DOCKER = Tag("skill", "docker")


def _when(days_ago: int) -> str:
    """An author date `days_ago` days ago, mid-morning in UTC+1: inside the default period."""
    day = date.today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, 10, 0).isoformat() + "+01:00"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    builder = RepoBuilder(tmp_path / "ranker")
    builder.remote("git@github.com:acme/ranker.git")
    builder.commit("Add tests for the loader", {"tests/test_loader.py": b"x"}, when=_when(30))
    builder.commit("Ship the Dockerfile (#12)", {"Dockerfile": b"FROM x"}, when=_when(20))
    builder.commit("Tune the ranker's weights", {"ranker/weights.py": b"1"}, when=_when(10))
    builder.commit("Theirs", {"x.txt": b"1"}, author=ALEX, when=_when(5))
    return tmp_path / "ranker"


@pytest.fixture
def profile_id(services: Services) -> str:
    services.identity.set(name="Sam Lee", email=SAM[1])
    return services.profiles.create(
        name="Sam",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 5),
    ).id


def _panel(qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str) -> EvidencePanel:
    panel = EvidencePanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 640)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_profile(profile_id)
    wait_idle(qtbot, runner)
    return panel


def _open(qtbot: QtBot, panel: EvidencePanel, runner: TaskRunner) -> GitProposalsDialog:
    assert panel.git_button.isVisible()
    assert panel.git_button.isEnabled()
    click(panel.git_button)
    dialog = panel.git_dialog
    assert dialog is not None
    assert dialog.isVisible()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    wait_idle(qtbot, runner)  # the owner's email
    return dialog


def _read(qtbot: QtBot, panel: EvidencePanel, runner: TaskRunner, repo: Path) -> GitProposalsDialog:
    """The dialog opened, `repo` given and its history read."""
    dialog = _open(qtbot, panel, runner)
    dialog.repository.setText(str(repo))
    click(dialog.read_button)
    wait_idle(qtbot, runner)
    return dialog


def _titles(dialog: GitProposalsDialog) -> list[str]:
    column = ProposalTableModel.TITLE
    return [dialog.proxy.index(row, column).data() for row in range(dialog.proxy.rowCount())]


def _click_row(dialog: GitProposalsDialog, title: str) -> None:
    row = _titles(dialog).index(title)
    rect = dialog.view.visualRect(dialog.proxy.index(row, ProposalTableModel.TITLE))
    QTest.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [p.title for p in dialog.selected()] == [title]


def test_accept_one_edit_one_dismiss_one_and_none_comes_back(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile_id: str,
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _open(qtbot, panel, runner)
    assert dialog.owner_line.text() == f"{SAM[1]} and"
    asked: list[str] = []
    monkeypatch.setattr(
        dialogs, "open_folder", lambda _parent, title, _start: asked.append(title) or repo
    )
    press_mnemonic(qtbot, dialog, Qt.Key.Key_B)  # Browse…: the folder chosen is read at once
    assert asked == ["Choose a git repository"]
    assert dialog.status.text() == "Reading history…" or not runner.busy
    wait_idle(qtbot, runner)
    assert dialog.message.isHidden()
    assert _titles(dialog) == [
        "Tune the ranker's weights",
        "Ship the Dockerfile (#12)",
        "Add tests for the loader",
    ]
    assert dialog.status.text().startswith("3 proposals from 4 commits read")
    docker_row = _titles(dialog).index("Ship the Dockerfile (#12)")
    assert dialog.proxy.index(docker_row, ProposalTableModel.TAGS).data() == "Docker fundamentals"
    assert dialog.proxy.index(docker_row, ProposalTableModel.COMMITS).data() == "1"

    # Accept as proposed: the details show it first, the Evidence list has it after.
    _click_row(dialog, "Add tests for the loader")
    assert "tests/test_loader.py" in dialog.details.toPlainText()
    click(dialog.accept_button)
    wait_idle(qtbot, runner)
    assert "Add tests for the loader" not in _titles(dialog)
    assert dialog.status.text() == "Added 1 evidence entry."
    assert [panel.model.info(n).title for n in range(panel.model.rowCount())] == [
        "Add tests for the loader"
    ]

    # Edit, then accept: a new title, private, without the Docker tag.
    _click_row(dialog, "Ship the Dockerfile (#12)")
    assert "https://github.com/acme/ranker/pull/12" in dialog.details.toPlainText()
    press_mnemonic(qtbot, dialog, Qt.Key.Key_E)
    edit = dialog.edit_dialog
    assert isinstance(edit, ProposalEditDialog)
    qtbot.waitExposed(edit)
    activate(qtbot, edit)
    assert edit.title.text() == "Ship the Dockerfile (#12)"
    assert edit.checked_tags() == [DOCKER]
    assert not edit.kind_row.isVisible()
    assert not edit.impact_toggle.isVisible()
    edit.title.setFocus()
    edit.title.selectAll()
    type_text(edit.title, "Containerised the ranker")
    assert collisions(edit) == []
    press_mnemonic(qtbot, edit, Qt.Key.Key_P)  # Private
    assert edit.private.isChecked()
    edit.check_tag(DOCKER, False)
    qtbot.keyClick(edit.title, Qt.Key.Key_Return)  # Accept is the default button
    wait_idle(qtbot, runner)
    assert not shiboken6.isValid(edit) or not edit.isVisible()
    assert _titles(dialog) == ["Tune the ranker's weights"]

    # Dismiss the last one with its key.
    activate(qtbot, dialog)  # back from the edit dialog
    _click_row(dialog, "Tune the ranker's weights")
    press_mnemonic(qtbot, dialog, Qt.Key.Key_D)
    wait_idle(qtbot, runner)
    assert _titles(dialog) == []
    assert dialog.status.text() == "Dismissed 1 proposal: not proposed again."

    stored = {e.title: e for e in services.evidence.search(profile_id)}
    assert set(stored) == {"Add tests for the loader", "Containerised the ranker"}
    edited = stored["Containerised the ranker"]
    assert (edited.private, edited.tags, edited.link) == (
        True,
        (),
        "https://github.com/acme/ranker/pull/12",
    )
    assert edited.description
    assert "Dockerfile" in edited.description
    assert stored["Add tests for the loader"].private is False

    # A second read offers none of them again.
    press_mnemonic(qtbot, dialog, Qt.Key.Key_H)
    wait_idle(qtbot, runner)
    assert _titles(dialog) == []
    assert dialog.status.text() == (
        "0 proposals from 4 commits read (3 accepted or dismissed before)."
    )
    assert len(services.evidence.search(profile_id)) == 2
    dialog.close()


def test_a_folder_that_is_not_a_repository_is_one_sentence(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str, tmp_path: Path
) -> None:
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _open(qtbot, panel, runner)
    plain = tmp_path / "notes"
    plain.mkdir()
    dialog.repository.setFocus()
    type_text(dialog.repository, str(plain))
    qtbot.keyClick(dialog.repository, Qt.Key.Key_Return)  # Read history is the default
    wait_idle(qtbot, runner)
    assert dialog.message.isVisible()
    assert dialog.message.text() == f"'{plain}' is not a git repository (nor inside one)."
    assert _titles(dialog) == []
    assert not dialog.accept_button.isEnabled()
    dialog.close()


def test_without_an_email_it_asks_for_one_and_reads_nothing(
    qtbot: QtBot, services: Services, runner: TaskRunner, repo: Path
) -> None:
    profile_id = services.profiles.create(
        name="Sam",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 5),
    ).id
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _open(qtbot, panel, runner)
    assert not dialog.owner_line.isVisible()
    dialog.repository.setText(str(repo))
    click(dialog.read_button)
    assert not runner.busy
    assert dialog.message.text() == NO_AUTHOR_TEXT
    type_text(dialog.aliases, SAM[1].upper())  # an alias alone will do, in any case
    click(dialog.read_button)
    wait_idle(qtbot, runner)
    assert dialog.message.isHidden()
    assert len(_titles(dialog)) == 3
    dialog.close()


def test_stop_drops_the_read_and_closing_stops_it(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str, repo: Path
) -> None:
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _open(qtbot, panel, runner)
    dialog.repository.setText(str(repo))
    click(dialog.read_button)
    assert dialog.stop_button.isVisible()
    assert dialog.progress.isVisible()
    assert dialog.status.text() == "Reading history…"
    click(dialog.stop_button)
    wait_idle(qtbot, runner)
    assert _titles(dialog) == []
    assert dialog.status.text() == "Stopped: nothing was read."
    assert not dialog.stop_button.isVisible()
    assert dialog.read_button.isEnabled()
    dialog.close()


def test_the_dialog_fits_and_no_two_controls_share_a_key(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str, repo: Path
) -> None:
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _read(qtbot, panel, runner, repo)
    QApplication.processEvents()
    assert check_layout(dialog) == []
    assert collisions(dialog) == []
    assert collisions(panel) == []
    dialog.close()


def test_a_profile_shared_with_you_offers_no_proposals(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner, profile_id: str
) -> None:
    window = main_window
    share(services, profile_id)
    window.reload_profiles(profile_id)
    window.show_section("evidence")
    wait_idle(qtbot, runner)
    panel: Any = window.evidence
    assert panel.read_only_line.isVisible()
    assert not panel.git_button.isVisible()
    assert panel.propose_from_git() is None


def test_a_link_template_typed_once_is_remembered_for_the_repository(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str, tmp_path: Path
) -> None:
    builder = RepoBuilder(tmp_path / "gitea")
    builder.remote("https://git.example.com/acme/ranker.git")  # a forge Rung does not know
    made = builder.commit("Ship the Dockerfile (#12)", {"Dockerfile": b"FROM x"}, when=_when(3))
    link = f"https://git.example.com/acme/ranker/commit/{made}"
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _open(qtbot, panel, runner)
    dialog.repository.setFocus()
    type_text(dialog.repository, str(tmp_path / "gitea"))
    press_mnemonic(qtbot, dialog, Qt.Key.Key_L)
    assert dialog.links.hasFocus()
    type_text(dialog.links, "https://git.example.com/acme/ranker/commit/{commit}")
    qtbot.keyClick(dialog.links, Qt.Key.Key_Return)  # Read history is the default
    wait_idle(qtbot, runner)
    _click_row(dialog, "Ship the Dockerfile (#12)")
    assert link in dialog.details.toPlainText()
    dialog.close()

    again = _open(qtbot, panel, runner)
    assert again.links.text() == ""
    again.repository.setFocus()
    type_text(again.repository, str(tmp_path / "gitea"))
    qtbot.keyClick(again.repository, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)
    assert again.links.text() == "https://git.example.com/acme/ranker/commit/{commit}"
    _click_row(again, "Ship the Dockerfile (#12)")
    assert link in again.details.toPlainText()

    # A typo is one sentence, and the template remembered stays as it was.
    again.links.setFocus()
    again.links.selectAll()
    type_text(again.links, "git.example.com/{commit}")
    click(again.read_button)
    wait_idle(qtbot, runner)
    assert again.message.text().startswith("The link template must be a web address")
    again.close()
    third = _read(qtbot, panel, runner, tmp_path / "gitea")
    assert third.links.text() == "https://git.example.com/acme/ranker/commit/{commit}"
    third.close()


def test_select_all_then_accept_stores_every_proposal_at_once(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str, repo: Path
) -> None:
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _read(qtbot, panel, runner, repo)
    assert dialog.accept_button.text() == "&Accept"  # the first proposal is selected
    press_mnemonic(qtbot, dialog, Qt.Key.Key_S)
    assert len(dialog.selected()) == 3
    assert dialog.accept_button.text() == "&Accept 3"
    assert dialog.dismiss_button.text() == "&Dismiss 3"
    assert not dialog.select_all_button.isEnabled()  # everything is selected
    press_mnemonic(qtbot, dialog, Qt.Key.Key_A)
    wait_idle(qtbot, runner)
    assert _titles(dialog) == []
    assert dialog.status.text() == "Added 3 evidence entries."
    assert not dialog.select_all_button.isEnabled()
    assert len(services.evidence.search(profile_id)) == 3
    dialog.close()
