"""The line each section shows above its controls while a profile shared with you is current.

A module of its own, so that the Dashboard (built at start) shows it without
loading the Assessment section and, with it, the check-in wizard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from app.services.profiles import ProfileInfo


def shared_line(profile: ProfileInfo) -> str | None:
    """The line that says a profile is its owner's and read-only here; None for your own."""
    if not profile.shared:
        return None
    exported = profile.shared_exported_at
    when = f" on {exported.date().isoformat()}" if exported else ""
    return f"Shared by {profile.name}{when}: read-only."


class ReadOnlyLine(QLabel):
    """The `shared_line` a panel shows above its controls while a shared profile is current."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the owner's name, exactly as typed
        self.setWordWrap(True)
        self.setAccessibleName("Read-only")
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.hide()

    def show_line(self, line: str | None) -> None:
        self.setText(line or "")
        self.setVisible(line is not None)
