"""The team hub in the app: the Team hub menu, its Connect dialog, and the status-bar label
saying when this folder last published and pulled.

Everything that talks to the hub (or reads its settings) runs on the worker:
a hub can take seconds to answer, or the connect timeout to fail. A folder
that never connected one shows nothing new but the menu: no label, no job after
a check-in, and `app.hub.service` (with what it pulls in) is never imported.
A failure is one sentence; an unreachable hub is the network's, never a bug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import HubUnreachableError, describe
from app.hub.connection import HubSettings, load_settings
from ui import dialogs
from ui.identity import problem_line
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.hub.service import HubService, HubStatus
    from app.hub.sync import PublishResult, PullResult
    from app.services import Services

T = TypeVar("T")

URL_PLACEHOLDER = "postgresql://LOGIN@HOST/DATABASE"
PASSWORD_TEXT = (
    "A password typed here is kept in this computer's keyring, never in Rung's files. Leave "
    "it empty to use PostgreSQL's password file (~/.pgpass) or PGPASSWORD, or a password "
    "kept before. Leave it out of the URL."
)
PASSWORD_PLACEHOLDER = "Only if the hub asks for one"
PASSWORD_KEPT_PLACEHOLDER = "Kept in the keyring; type a new one to replace it"
PUBLISH_AFTER_TEXT = "&Publish after each finalised check-in"
NOT_A_MEMBER = "Ask the hub's admin to add your login with 'rung hub member add'."
WITHDRAW_TEXT = (
    "Every profile you published leaves the hub, with its check-ins, evidence and the "
    "assessments made of it there. Your data on this computer stays as it is, and a "
    "publish puts the profiles back."
)
WITHDRAW_AFTER_TEXT = (
    " Publish after each finalised check-in is on: turn it off to stay off the hub."
)
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
REFRESH_MS = 60_000  # the label's "5 min ago" stays true to the minute
MESSAGE_MS = 15_000


def _service(services: Services) -> HubService:
    """The folder's hub service, imported only once the hub is used (on the worker)."""
    from app.hub.service import HubService

    return HubService(services)


def _withdraw(services: Services) -> str:
    """Withdraw this folder's profiles from its hub (on the worker); what it did."""
    from app.hub.service import withdrawn_text

    return withdrawn_text(_service(services).withdraw())


def _moment(stamp: str) -> datetime:
    return datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=UTC)


def local_time(stamp: str | None) -> str:
    """A UTC stamp as this computer's time, to the minute; "never" for none."""
    if stamp is None:
        return "never"
    return _moment(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def ago(stamp: str, now: datetime) -> str:
    """How long ago `stamp` was, as a glance at the status bar reads it."""
    seconds = (now - _moment(stamp)).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86_400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86_400)
    if days < 7:
        return "yesterday" if days == 1 else f"{days} days ago"
    return f"on {_moment(stamp).astimezone().strftime('%Y-%m-%d')}"


def sync_line(settings: HubSettings, now: datetime) -> str:
    """The status bar's word on the hub: when this folder last published and pulled."""
    parts = [
        f"{what} {ago(stamp, now)}"
        for what, stamp in (("published", settings.last_publish), ("pulled", settings.last_pull))
        if stamp is not None
    ]
    return "Hub: " + (", ".join(parts) if parts else "connected, not synced yet")


def status_text(status: HubStatus, now: datetime | None = None) -> str:
    """The hub's status as the app shows it: the command line's lines, in local times."""
    moment = now or datetime.now(UTC)

    def when(stamp: str | None) -> str:
        return "never" if stamp is None else f"{local_time(stamp)} ({ago(stamp, moment)})"

    lines = status.lines(when)
    if status.member is None:
        lines.append(NOT_A_MEMBER)
    return "\n".join(lines)


class ConnectDialog(QDialog):
    """Team hub → Connect to a team hub…: the URL, checked by connecting, then saved.

    A refused URL or a hub that does not answer is one sentence here, and nothing is
    saved; once connected, the dialog shows who you are on the hub.

    Signals:
        connected(object): the hub answered and was saved (its `HubStatus`).
    """

    connected = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        settings: HubSettings | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.setWindowTitle("Connect to a team hub")

        self.url = QLineEdit(settings.url if settings else "", self)
        self.url.setPlaceholderText(URL_PLACEHOLDER)
        self.url.setAccessibleName("Hub URL")
        url_label = QLabel("Hub &URL:", self)
        url_label.setBuddy(self.url)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        kept = bool(settings and settings.password_in_keyring)
        self.password.setPlaceholderText(
            PASSWORD_KEPT_PLACEHOLDER if kept else PASSWORD_PLACEHOLDER
        )
        password_label = QLabel("Pass&word:", self)
        password_label.setBuddy(self.password)
        self.forget_button = QPushButton("&Forget it", self)
        self.forget_button.setToolTip(
            "Remove the password kept in this computer's keyring for this folder's hub."
        )
        self.forget_button.clicked.connect(self._on_forget)
        self._show_kept(kept)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.forget_button)
        form = QFormLayout()
        form.addRow(url_label, self.url)
        form.addRow(password_label, password_row)
        self.explanation = QLabel(PASSWORD_TEXT, self)
        self.explanation.setWordWrap(True)
        self.publish_after = QCheckBox(PUBLISH_AFTER_TEXT, self)
        self.publish_after.setChecked(bool(settings and settings.publish_after_finalise))
        self.status_lines = QLabel(self)
        self.status_lines.setWordWrap(True)
        self.status_lines.setTextFormat(Qt.TextFormat.PlainText)  # names and URLs as typed
        self.status_lines.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_lines.setAccessibleName("Hub status")
        self.status_lines.setContentsMargins(0, self.fontMetrics().height() // 2, 0, 0)
        self.status_lines.hide()
        self.message = problem_line(self)

        self.buttons = QDialogButtonBox(self)
        self.connect_button = self.buttons.addButton(
            "C&onnect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self._on_connect)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._on_url_edited)
        self._on_url_edited(self.url.text())

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.publish_after)
        layout.addWidget(self.status_lines)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 72)
        self.url.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as its wrapped text needs now: Qt sizes a dialog for its first text only,
        and squeezes a message or the status shown later."""
        layout = self.layout()
        assert layout is not None
        layout.activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _on_url_edited(self, text: str) -> None:
        self.connect_button.setEnabled(bool(text.strip()))

    def _on_connect(self) -> None:
        if not self.connect_button.isEnabled():
            return  # Enter in an empty field
        url, on = self.url.text(), self.publish_after.isChecked()
        password = self.password.text() or None
        services = self._services
        for widget in (self.url, self.password, self.publish_after, self.connect_button):
            widget.setEnabled(False)
        self.message.hide()
        self.status_lines.setText("Connecting to the hub…")
        self.status_lines.show()
        self._fit()
        self._runner.submit(
            lambda: _service(services).connect(url, publish_after_finalise=on, password=password),
            self._on_connected,
            owner=self,
            on_error=self._on_failed,
        )

    def _on_forget(self) -> None:
        services = self._services
        self.forget_button.setEnabled(False)
        self._runner.submit(
            lambda: _service(services).forget_password(),
            lambda _kept: self._show_kept(False),
            owner=self,
            on_error=self._on_failed,
        )

    def _show_kept(self, kept: bool) -> None:
        """Whether a password is kept in the keyring for this folder's hub, as the field
        and its button say."""
        self.password.setPlaceholderText(
            PASSWORD_KEPT_PLACEHOLDER if kept else PASSWORD_PLACEHOLDER
        )
        self.forget_button.setVisible(kept)
        self.forget_button.setEnabled(True)

    def _on_connected(self, status: HubStatus) -> None:
        self.password.clear()  # kept in the keyring now, if typed: not in this window
        self._show_kept(status.settings.password_in_keyring)
        self.status_lines.setText(status_text(status))
        self.connect_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()
        self._fit()
        self.connected.emit(status)

    def _on_failed(self, error: BaseException) -> None:
        for widget in (
            self.url,
            self.password,
            self.forget_button,
            self.publish_after,
            self.connect_button,
        ):
            widget.setEnabled(True)
        self.status_lines.hide()
        self.message.setText(describe(error))
        self.message.show()
        self._fit()
        self.url.setFocus()


@dataclass(frozen=True)
class HubActions:
    """The Team hub menu's actions, which the window makes with its other menus (before the
    data folder is open) and `HubControl` runs."""

    connect: QAction
    publish: QAction
    pull: QAction
    status: QAction
    publish_after: QAction
    withdraw: QAction


class HubControl(QObject):
    """Runs the Team hub menu for the main window, and keeps its status-bar label.

    Signals:
        pulling(): a pull is about to change the folder (save what is typed first).
        pulled(): a pull changed profiles or assessments here (show them afresh).
    """

    pulling = Signal()
    pulled = Signal()

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        window: QMainWindow,
        actions: HubActions,
        data_dir: Path,
    ) -> None:
        super().__init__(window)
        self._services = services
        self._runner = runner
        self._window = window
        self._data_dir = data_dir
        self.actions = actions
        self.settings: HubSettings | None = None
        # What the label says while the last publish or pull failed, and why (its tooltip).
        self._failure: tuple[str, str] | None = None
        self.dialog: ConnectDialog | None = None
        self.label: QLabel | None = None  # made when a hub is first known: none, no status bar
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._show_label)
        self._jobs = {
            "publish": actions.publish,
            "pull": actions.pull,
            "status": actions.status,
            "withdraw": actions.withdraw,
        }
        self._busy: set[str] = set()  # of `_jobs`: one of each at a time

        actions.connect.triggered.connect(self.open_connect)
        actions.publish.triggered.connect(self.publish)
        actions.pull.triggered.connect(self.pull)
        actions.status.triggered.connect(self.show_status)
        actions.withdraw.triggered.connect(self.withdraw)
        actions.publish_after.triggered.connect(self._on_publish_after_toggled)
        self._show(None)

    def load(self) -> None:
        """Read whether this folder has a hub (on the worker: it is a file)."""
        data_dir = self._data_dir
        self._runner.submit(
            lambda: load_settings(data_dir),
            self._show,
            owner=self,
            key="settings",
            on_error=self._on_settings_unreadable,
        )

    # -- what the menu and the label show ----------------------------------------------

    def _show(self, settings: HubSettings | None) -> None:
        self.settings = settings
        on = settings is not None
        for key, action in self._jobs.items():
            action.setEnabled(on and key not in self._busy)
        self.actions.publish_after.setEnabled(on)
        self.actions.publish_after.setChecked(bool(settings and settings.publish_after_finalise))
        self._show_label()

    def _show_label(self) -> None:
        settings = self.settings
        if settings is None:
            if self.label is not None:
                self.label.hide()
            self._timer.stop()
            return
        if self.label is None:
            self.label = QLabel(self._window)
            self.label.setAccessibleName("Team hub")
            self.label.setTextFormat(Qt.TextFormat.PlainText)
            bar = self._window.statusBar()
            bar.addPermanentWidget(self.label)
            bar.show()  # now, not when Qt gets to the bar made just now
        if self._failure is not None:
            self.label.setText(self._failure[0])
            self.label.setToolTip(self._failure[1])
        else:
            self.label.setText(sync_line(settings, datetime.now(UTC)))
            self.label.setToolTip(
                f"{settings.url}\nLast publish: {local_time(settings.last_publish)}\n"
                f"Last pull: {local_time(settings.last_pull)}"
            )
        self.label.show()
        self._timer.start()

    def _on_settings_unreadable(self, error: BaseException) -> None:
        """A `hub.json` Rung did not write: the menu offers Connect, which writes a good one."""
        self._show(None)
        self._message(describe(error))

    def _message(self, text: str) -> None:
        self._window.statusBar().showMessage(text, MESSAGE_MS)

    def _reload_settings(self) -> None:
        """After a publish or pull: its time, as the worker saved it."""
        self.load()

    # -- connecting ----------------------------------------------------------------------

    def open_connect(self) -> None:
        dialog = ConnectDialog(self._services, self._runner, self.settings, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.connected.connect(self._on_connected)
        self.dialog = dialog
        dialog.open()

    def _on_connected(self, status: HubStatus) -> None:
        self._failure = None
        self._show(status.settings)

    def _on_publish_after_toggled(self, on: bool) -> None:
        services = self._services
        self._runner.submit(
            lambda: _service(services).set_publish_after_finalise(on),
            self._show,
            owner=self,
            on_error=self._on_publish_after_failed,
        )

    def _on_publish_after_failed(self, error: BaseException) -> None:
        self._show(self.settings)  # the menu item as the setting still is
        self._on_failed("Publish after each check-in", error)

    # -- publishing and pulling ----------------------------------------------------------

    def publish(self) -> None:
        """Team hub → Publish now: your profiles, in the background."""
        services = self._services
        self._run(
            "publish",
            "Publishing to the hub…",
            lambda: _service(services).publish(),
            lambda result: self._on_published(result),
            "Publish to the hub",
        )

    def _on_published(self, result: PublishResult) -> None:
        self._message(result.summary())

    def pull(self) -> None:
        """Team hub → Pull now: what you may read, as read-only copies, in the background."""
        if "pull" not in self._busy:
            self.pulling.emit()
        services = self._services
        self._run(
            "pull",
            "Pulling from the hub…",
            lambda: _service(services).pull(),
            lambda result: self._on_pulled(result),
            "Pull from the hub",
        )

    def _on_pulled(self, result: PullResult) -> None:
        summary = result.summary()
        self._message(summary)
        if result.updated or result.assessments_received:
            self.pulled.emit()
        if result.problems:
            dialogs.error(self._window, "Pull from the hub", "\n".join([summary, *result.problems]))

    def withdraw(self) -> None:
        """Team hub → Withdraw your profiles…: after asking, every profile you published
        leaves the hub, with what was said of it there; nothing here changes."""
        on = bool(self.settings and self.settings.publish_after_finalise)
        if not dialogs.confirm(
            self._window,
            "Withdraw your profiles",
            WITHDRAW_TEXT + (WITHDRAW_AFTER_TEXT if on else ""),
            "Withdraw",
        ):
            return
        services = self._services
        self._run(
            "withdraw",
            "Withdrawing your profiles from the hub…",
            lambda: _withdraw(services),
            self._message,
            "Withdraw your profiles",
        )

    def show_status(self) -> None:
        """Team hub → Hub status…: asked of the hub itself, then shown."""
        services = self._services
        self._run(
            "status",
            "Asking the hub…",
            lambda: _service(services).status(),
            lambda status: dialogs.inform(self._window, "Hub status", status_text(status)),
            "Hub status",
        )

    def _run(
        self,
        key: str,
        message: str,
        job: Callable[[], T],
        on_done: Callable[[T], Any],
        title: str,
    ) -> None:
        """One hub job of `key` at a time; its menu item waits for it."""
        if key in self._busy:
            return
        self._busy.add(key)
        self._show(self.settings)
        self._window.statusBar().showMessage(message)

        def done(result: T) -> None:
            self._finish(key, None)
            on_done(result)

        def failed(error: BaseException) -> None:
            self._finish(key, error)
            self._on_failed(title, error)

        self._runner.submit(job, done, owner=self, on_error=failed)

    def _finish(self, key: str, error: BaseException | None) -> None:
        self._busy.discard(key)
        self._window.statusBar().clearMessage()
        if key == "publish" or key == "pull":
            what = "not published" if key == "publish" else "not pulled"
            self._failure = None if error is None else (f"Hub: {what}", describe(error))
        self._reload_settings()

    def _on_failed(self, title: str, error: BaseException) -> None:
        """One sentence in a box (with the log's folder for a bug); the label keeps saying it."""
        dialogs.show_error(self._window, title, error, self._data_dir)

    # -- after a check-in ----------------------------------------------------------------

    def after_finalise(self) -> None:
        """A check-in was finalised: publish it if this folder asked for that. A failure says
        so in the status bar and never undoes the check-in: the next publish catches up."""
        settings = self.settings
        if settings is None or not settings.publish_after_finalise:
            return
        services = self._services
        self._runner.submit(
            lambda: _service(services).publish_if_wanted(),
            self._on_published_after_finalise,
            owner=self,
            on_error=self._on_publish_after_finalise_failed,
        )

    def _on_published_after_finalise(self, result: PublishResult | None) -> None:
        self._failure = None
        if result is not None:
            self._message(result.summary())
        self._reload_settings()

    def _on_publish_after_finalise_failed(self, error: BaseException) -> None:
        """Short in the status bar (the window may be narrow), whole in the label's tooltip."""
        if isinstance(error, HubUnreachableError):
            reason = "the hub cannot be reached"
        else:
            reason = describe(error).rstrip(".")
            if reason[1:2].islower():  # "The hub at …" goes on the sentence: "the hub at …"
                reason = reason[:1].lower() + reason[1:]
        sentence = f"Not published to the hub: {reason}; it will be published next time."
        self._failure = ("Hub: not published", f"{sentence}\n{describe(error)}")
        self._message(sentence)
        self._reload_settings()
