"""Every modal question goes through these functions, so tests can answer them.

Message texts often quote what the user typed (a profile's name, a note), so
they are always shown as plain text: `<b>` appears as typed, never as bold.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.errors import describe, is_bug
from app.log import log_bug


def message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
) -> QMessageBox:
    """A message box that shows `text` exactly as written (plain text)."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be undone; `action` names the button (e.g. "Delete")."""
    box = message_box(parent, QMessageBox.Icon.Warning, title, text)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def ask(parent: QWidget | None, title: str, text: str, yes_text: str, no_text: str) -> bool:
    """A question with two named answers; True for `yes_text` (the default)."""
    box = message_box(parent, QMessageBox.Icon.Warning, title, text)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(no_text, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def choose(parent: QWidget | None, title: str, text: str, choices: Sequence[str]) -> int | None:
    """One of `choices` (the first is the default), or None for Cancel (and Escape), so that
    a key pressed in haste never picks the other answer."""
    box = message_box(parent, QMessageBox.Icon.Question, title, text)
    buttons = [box.addButton(choice, QMessageBox.ButtonRole.AcceptRole) for choice in choices]
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return next((n for n, button in enumerate(buttons) if button is clicked), None)


def open_file(parent: QWidget | None, title: str, file_filter: str) -> Path | None:
    """Choose an existing file; None if the user cancelled."""
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return Path(name) if name else None


def open_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    """Choose an existing folder (starting in `start`); None if the user cancelled."""
    name = QFileDialog.getExistingDirectory(parent, title, start)
    return Path(name) if name else None


def inform(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Information, title, text).exec()


def notice(parent: QWidget, title: str, text: str) -> None:
    """Information that needs no answer, over `parent`; returns at once, without waiting.

    Nothing waits in a nested event loop, so the app goes on starting (and can
    still be closed by a signal) while it is shown.
    """
    box = message_box(parent, QMessageBox.Icon.Information, title, text)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def error(parent: QWidget | None, title: str, text: str, log: Path | None = None) -> None:
    """An error; for a bug, `log` is the log file, and a button opens its folder."""
    box = message_box(parent, QMessageBox.Icon.Critical, title, text)
    if log is not None:
        folder = box.addButton("Open the &log folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is folder:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(log.parent)))
        return
    box.exec()


def show_error(
    parent: QWidget | None, title: str, exc: BaseException, data_dir: Path | None = None
) -> None:
    """Any exception, told in the words the command line uses (`app.errors.describe`).

    A bug is written with its traceback to the data folder's log (unless the
    worker already did), which the sentence names and the dialog offers to
    open; `title` (what was being done) is its context there, so it never
    holds the user's text.
    """
    log = log_bug(exc, f"{title} failed", data_dir) if is_bug(exc) else None
    text = describe(exc, log)
    if log is None:
        error(parent, title, text)
    else:
        error(parent, title, text, log)


def save_file(
    parent: QWidget | None, title: str, file_filter: str, suggested: str = ""
) -> Path | None:
    """Choose where to save a file, offering `suggested` as its name; None if cancelled."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return Path(name) if name else None
