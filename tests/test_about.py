"""The About dialog: the version, the data folder, and the licences of what is bundled."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app import __version__
from ui import dialogs
from ui.about import FONTS, LIBRARIES, AboutDialog, library_version

pytestmark = pytest.mark.gui

EXPECTED_LICENCES = {
    "Qt 6 / PySide6": "LGPL-3.0",
    "SQLAlchemy": "MIT",
    "Alembic": "MIT",
    "pydantic": "MIT",
    "PyYAML": "MIT",
    "ReportLab": "BSD-3-Clause",
    "platformdirs": "MIT",
    "rfc8785": "Apache-2.0",
    "icalendar": "BSD-2-Clause",
    "filelock": "MIT",
    "python-bidi": "LGPL-3.0-or-later",
    "arabic-reshaper": "MIT",
    "openpyxl": "MIT",
    "et-xmlfile": "MIT",
    "defusedxml": "PSF-2.0",
    "pygit2": "GPL-2.0-only WITH GCC-exception-2.0",
    "Python": "PSF-2.0",
}


@pytest.fixture
def dialog(qtbot: QtBot, data_dir: Path) -> AboutDialog:
    dialog = AboutDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def table_rows(dialog: AboutDialog) -> dict[str, tuple[str, str, str]]:
    table = dialog.libraries
    cells = [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]
    return {name: (version, licence, url) for name, version, licence, url in cells}


def test_shows_the_version(dialog: AboutDialog) -> None:
    assert __version__ in dialog.title.text()
    assert "Rung" in dialog.title.text()


def test_shows_the_data_folder_as_selectable_text(dialog: AboutDialog, data_dir: Path) -> None:
    assert dialog.data_folder.text() == str(data_dir)
    assert dialog.data_folder.textFormat() == Qt.TextFormat.PlainText
    flags = dialog.data_folder.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard


def test_lists_each_library_with_its_licence(dialog: AboutDialog) -> None:
    rows = table_rows(dialog)
    assert {name: licence for name, (_v, licence, _u) in rows.items()} == EXPECTED_LICENCES
    for name, _licence, url in LIBRARIES:
        assert rows[name][2] == url
        assert url.startswith("https://")


def test_shows_versions_where_they_are_known(dialog: AboutDialog) -> None:
    rows = table_rows(dialog)
    assert rows["SQLAlchemy"][0] == library_version("SQLAlchemy")
    assert rows["Python"][0].startswith("3.")
    assert rows["Qt 6 / PySide6"][0].startswith("Qt 6.")
    for name, (version, _licence, _url) in rows.items():
        assert version, name


def test_lists_each_bundled_font_with_its_licence_text(dialog: AboutDialog) -> None:
    assert [(name, licence) for name, licence, _path in FONTS] == [
        ("DejaVu Sans", "Bitstream-Vera"),
        ("Droid Sans Fallback", "Apache-2.0"),
        ("Nanum Gothic", "OFL-1.1"),
    ]
    lines = dialog.fonts.text().splitlines()
    assert lines == [f"{name}: {licence} ({path})" for name, licence, path in FONTS]
    for name, _licence, path in FONTS:
        assert name.split()[0] in Path(path).read_text(encoding="utf-8"), path


def test_close_button_closes(qtbot: QtBot, dialog: AboutDialog) -> None:
    assert dialog.close_button.accessibleName() == "Close"
    with qtbot.waitSignal(dialog.finished) as blocker:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [QDialog.DialogCode.Rejected.value]
    assert not dialog.isVisible()


def test_escape_closes(qtbot: QtBot, dialog: AboutDialog) -> None:
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_message_boxes_show_user_text_as_typed(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile named `<b>Zoë</b> & 李雷` is quoted in confirmations without turning bold."""
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    dialogs.message_box(
        None, QMessageBox.Icon.Warning, "Delete", "Delete <b>Zoë</b> & 李雷?"
    ).exec()
    [box] = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == "Delete <b>Zoë</b> & 李雷?"


def test_says_where_the_log_of_bugs_is(dialog: AboutDialog, data_dir: Path) -> None:
    assert str(data_dir / "logs" / "rung.log") in dialog.log_file.text()


def test_says_which_sqlite_it_uses_and_its_known_bug(dialog: AboutDialog) -> None:
    from app.services import SQLITE_VERSION, sqlite_version_note

    assert f"SQLite {SQLITE_VERSION}" in dialog.sqlite.text()
    assert dialog.sqlite.text() == (sqlite_version_note() or f"SQLite {SQLITE_VERSION}.")
