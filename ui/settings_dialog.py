"""File → Settings…: who you are (the identity that signs what this data folder makes) and
the appearance.

The identity lives in the database (`app.services.identity`), the appearance in
`settings.ini` (`ui.settings`). Save stores both or neither: a bad email is one
sentence in the dialog, and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.services import Services
from app.services.identity import Identity
from ui.identity import IdentityFields, problem_line, store
from ui.tasks import TaskRunner
from ui.theme import Appearance

IDENTITY_TEXT = (
    "Your name and role sign the assessments you make and name the author of your reports "
    "and bundles. They stay on this computer until you share something you made."
)
APPEARANCES = (
    (Appearance.SYSTEM, "System (follows the desktop)"),
    (Appearance.LIGHT, "Light"),
    (Appearance.DARK, "Dark"),
)


class SettingsDialog(QDialog):
    """Who you are, and the palette.

    Signals:
        identity_saved(object): the identity was stored (its `Identity`).
        appearance_chosen(object): Save was pressed with this `Appearance`.
    """

    identity_saved = Signal(object)
    appearance_chosen = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        identity: Identity | None,
        appearance: Appearance,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._identity = identity
        self.setWindowTitle("Settings")

        who = QGroupBox("Who you are", self)
        explanation = QLabel(IDENTITY_TEXT, who)
        explanation.setWordWrap(True)
        form = QFormLayout(who)
        form.addRow(explanation)
        self.fields = IdentityFields(form, who, identity)
        self.name, self.role = self.fields.name, self.fields.role
        assert self.fields.email is not None
        self.email: QLineEdit = self.fields.email

        look = QGroupBox("Appearance", self)
        self.appearance = QComboBox(look)
        self.appearance.setAccessibleName("Palette")
        for value, text in APPEARANCES:
            self.appearance.addItem(text, value)
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(appearance)))
        palette = QLabel("&Palette:", look)
        palette.setBuddy(self.appearance)
        QFormLayout(look).addRow(palette, self.appearance)

        self.message = problem_line(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(look)
        layout.addStretch(1)  # room the wrapped explanation leaves goes here, not in a group
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 70)
        self.name.setFocus()

    def chosen_appearance(self) -> Appearance:
        return Appearance(self.appearance.currentData())  # the combo hands back a plain str

    def _on_save(self) -> None:
        typed, services = self.fields.typed(), self._services
        if typed == self._identity or (self._identity is None and typed == Identity("")):
            self._on_saved(None)  # nothing to store: none was given, or none changed
            return
        self.buttons.setEnabled(False)
        self._runner.submit(
            lambda: store(services, typed),
            self._on_saved,
            owner=self,
            on_error=self._on_save_failed,
        )

    def _on_saved(self, identity: Identity | None) -> None:
        if identity is not None:
            self.identity_saved.emit(identity)
        self.appearance_chosen.emit(self.chosen_appearance())
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe(error))
        self.message.show()
