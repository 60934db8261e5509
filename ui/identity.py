"""Who you are, asked for in the app: the fields Settings shows, and the small dialog the
Assessment section opens when a first change needs a signature and none is known yet.

Both store it through `app.services.identity`, on the worker; a refused value
(an empty name, a bad email) is one sentence in the dialog, and nothing changes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.services import Services
from app.services.identity import Identity
from ui.tasks import TaskRunner


class IdentityFields:
    """Name, role or title and (optionally) email, each a row of a form with a labelled
    shortcut; `typed()` is the identity they hold."""

    def __init__(
        self,
        form: QFormLayout,
        parent: QWidget,
        identity: Identity | None,
        *,
        name: str = "",
        with_email: bool = True,
    ) -> None:
        self.name = QLineEdit(identity.name if identity else name, parent)
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Your name, as it signs what you make")
        self.role = QLineEdit((identity.role or "") if identity else "", parent)
        self.role.setAccessibleName("Your role or title")
        self.role.setPlaceholderText("e.g. Engineering manager")
        rows: list[tuple[str, QLineEdit]] = [("&Name:", self.name), ("&Role or title:", self.role)]
        self.email: QLineEdit | None = None
        if with_email:
            self.email = QLineEdit((identity.email or "") if identity else "", parent)
            self.email.setAccessibleName("Your email")
            self.email.setPlaceholderText("Optional")
            rows.append(("&Email:", self.email))
        for text, field in rows:
            label = QLabel(text, parent)
            label.setBuddy(field)
            form.addRow(label, field)

    def typed(self) -> Identity:
        email = self.email.text() if self.email is not None else ""
        return Identity(self.name.text(), self.role.text() or None, email or None)


def store(services: Services, typed: Identity, *, with_email: bool = True) -> Identity:
    """Set who you are to what was typed (a role or email left empty is cleared); without
    the email field, the email stays as it was. Runs on the worker."""
    return services.identity.set(
        name=typed.name,
        role=typed.role or "",
        email=(typed.email or "") if with_email else None,
    )


def problem_line(parent: QWidget) -> QLabel:
    """Where a dialog says, in one sentence, why what was typed was not stored."""
    message = QLabel(parent)
    message.setWordWrap(True)
    message.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
    message.setAccessibleName("Problem")
    message.hide()
    return message


class SignDialog(QDialog):
    """Asks, once, who signs the assessment: the data folder does not know its owner yet.

    Signals:
        signed(object): who you are was stored (its `Identity`); the dialog then closes.
    """

    signed = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        profile_name: str,
        suggested_name: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.setWindowTitle("Sign your assessment")
        self.explanation = QLabel(
            f"Your assessment of {profile_name} is dated and signed with your name and role, "
            "as the promotion packet prints them, and this data folder does not know them yet. "
            "You can change them later in File → Settings.",
            self,
        )
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)  # the owner's name as typed
        self.explanation.setWordWrap(True)
        form = QFormLayout()
        # The owner's profile may name their manager: most likely the one reading this.
        self.fields = IdentityFields(form, self, None, name=suggested_name or "", with_email=False)
        self.message = problem_line(self)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton("&Sign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 60)
        # The name is there to confirm when the profile suggests one: the role is asked.
        (self.fields.role if suggested_name else self.fields.name).setFocus()

    def _on_sign(self) -> None:
        typed, services = self.fields.typed(), self._services
        self.buttons.setEnabled(False)
        self._runner.submit(
            lambda: store(services, typed, with_email=False),
            self._on_stored,
            owner=self,
            on_error=self._on_failed,
        )

    def _on_stored(self, identity: Identity) -> None:
        self.signed.emit(identity)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe(error))
        self.message.show()
