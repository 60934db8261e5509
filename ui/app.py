"""Starting the desktop app: one instance per data folder, the theme, `--smoke-test`.

A second start on the same data folder finds the lock held, tells the first
instance through a local socket to come to the front, and exits. The smoke
test never hands over: it only draws the main window once and quits, and it
shows no dialog (a database it cannot open is an error on stderr).

A damaged database has been moved aside by the time opening fails; the user
is told so and may restore the newest good backup before Rung opens the
folder again. One-time warnings (an SQLite with a known bug, a cloud-synced
folder) are shown once per data folder, after the window appears.
"""

from __future__ import annotations

import hashlib
import signal
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QLockFile, QThread, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app import __version__
from app.errors import DamagedDatabaseError, RungError
from app.files import make_private_dir
from app.paths import APP_NAME
from ui import dialogs
from ui.fonts import load_bundled_fonts

if TYPE_CHECKING:
    from app.services import Services
    from ui.settings import Settings

HANDOVER_TIMEOUT_MS = 3000


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to the data folder (and short enough for every OS)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"rung-{digest}"


def hand_over(data_dir: Path) -> bool:
    """Ask a running instance on `data_dir` to come to the front; True if one answered.

    The first instance may still be starting, so connecting is retried briefly.
    """
    socket = QLocalSocket()
    timer = QElapsedTimer()
    timer.start()
    while True:
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(HANDOVER_TIMEOUT_MS):
            break
        if timer.elapsed() > HANDOVER_TIMEOUT_MS:
            return False
        QThread.msleep(100)
    socket.write(b"activate\n")
    socket.waitForBytesWritten(HANDOVER_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


def bring_to_front(window: QWidget) -> None:
    if window.isMinimized():
        window.showNormal()
    else:
        window.show()
    window.raise_()
    window.activateWindow()


class InstanceServer(QLocalServer):
    """Listens for later starts on the same data folder and raises the window."""

    def __init__(self, data_dir: Path, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        name = server_name(data_dir)
        QLocalServer.removeServer(name)  # a stale socket left by a crash
        self.listen(name)
        self.newConnection.connect(self._on_new_connection)

    def _on_new_connection(self) -> None:
        while self.hasPendingConnections():
            connection = self.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: c.readAll())
            connection.disconnected.connect(connection.deleteLater)
            bring_to_front(self._window)


def _close_all(window: QWidget) -> None:
    """Close any open dialog (its own event loop would keep Rung running), then the window."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
    window.close()


def _close_on_signals(window: QWidget) -> None:
    """SIGTERM or Ctrl+C closes the window normally, so the draft is flushed first.

    Python handles signals only when it runs, so a timer hands it control.
    """
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_args: _close_all(window))
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)


def open_or_recover(data_dir: Path, parent: QWidget | None = None) -> Services | None:
    """Open the data folder, recovering from a damaged database; None if it cannot be opened.

    After a damaged file was moved aside, the user may restore the newest good
    backup; either way the folder is opened again (on a fresh database if
    nothing was restored). Any other known error, such as a database from a
    newer Rung, is shown and gives None.
    """
    from app.services import open_services
    from app.services.backups import backups_of, restore
    from ui.backups import local_time

    try:
        return open_services(data_dir)
    except DamagedDatabaseError as exc:
        damaged = exc
    except RungError as exc:
        dialogs.error(parent, APP_NAME, str(exc))
        return None
    newest = backups_of(data_dir).newest_good()
    if newest is None:
        dialogs.error(parent, APP_NAME, str(damaged))
    elif dialogs.ask(
        parent,
        APP_NAME,
        f"{damaged}\n\nRestore the backup of {local_time(newest.created)} now, or start "
        "with an empty database? The backups are kept either way.",
        "&Restore the backup",
        "Start &empty",
    ):
        try:
            restore(data_dir, newest.name)
        except RungError as exc:
            dialogs.error(parent, APP_NAME, f"{exc} Rung starts with an empty database instead.")
    try:
        return open_services(data_dir)
    except RungError as exc:
        dialogs.error(parent, APP_NAME, str(exc))
        return None


def show_new_warnings(parent: QWidget, warnings: Iterable[str], settings: Settings) -> None:
    """Show the warnings that this data folder has not shown before, once, in one notice."""
    new = [text for text in dict.fromkeys(warnings) if not settings.warning_shown(text)]
    if not new:
        return
    for text in new:
        settings.mark_warning_shown(text)
    settings.sync()
    dialogs.notice(parent, APP_NAME, "\n\n".join(new))


def run(data_dir: Path, *, smoke_test: bool = False) -> int:
    """Open the main window on `data_dir`; with `smoke_test`, draw it once and exit."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("rung")
    load_bundled_fonts()

    make_private_dir(data_dir)
    lock = QLockFile(str(data_dir / "rung.lock"))
    if not smoke_test:
        lock.setStaleLockTime(0)
        if not lock.tryLock(100):
            if hand_over(data_dir):
                return 0
            lock.removeStaleLockFile()
            if not lock.tryLock(100):
                dialogs.error(None, APP_NAME, f"Rung is already running on {data_dir}.")
                return 1

    from app.services import open_services
    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.tasks import TaskRunner
    from ui.theme import Theme, app_icon

    app.setWindowIcon(app_icon())
    settings = Settings(data_dir)
    theme = Theme(app, settings.appearance)
    if smoke_test:
        services = open_services(data_dir)  # an error goes to stderr, with no dialog
    else:
        opened = open_or_recover(data_dir)
        if opened is None:
            return 1
        services = opened
    runner = TaskRunner()
    window = MainWindow(services, runner, settings, theme, data_dir)
    if not smoke_test:
        InstanceServer(data_dir, window)
    window.show()
    _close_on_signals(window)
    if not smoke_test:
        warnings = list(services.store.warnings)
        QTimer.singleShot(0, lambda: show_new_warnings(window, warnings, settings))
    if smoke_test:
        runner.drain()
        app.processEvents()
        if window.grab().isNull():
            raise RungError("The main window could not be drawn.")
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    runner.shutdown()
    services.close()
    if lock.isLocked():
        lock.unlock()
    return code
