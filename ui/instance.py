"""One instance per data folder: a later start hands over to the running one.

A second start on the same data folder finds the lock held, tells the first
instance through a local socket to come to the front, and exits. Kept apart
from `ui.app` so that QtNetwork loads only when a handover is needed or once
the window has first been painted.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QLockFile, QThread
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

HANDOVER_TIMEOUT_MS = 3000
STARTING_LIMIT_MS = 20_000  # how long a first instance may take to paint its window


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to the data folder (and short enough for every OS)."""
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return f"rung-{digest}"


def hand_over(data_dir: Path, lock: QLockFile) -> bool:
    """Ask a running instance on `data_dir` to come to the front; True if one answered.

    The first instance listens only once its window is first painted, which on a busy
    or slow machine takes seconds: connecting is retried while it holds `lock`, for up
    to STARTING_LIMIT_MS. False when it never answered, or when it ended meanwhile (then
    `lock` is this instance's).
    """
    socket = QLocalSocket()
    timer = QElapsedTimer()
    timer.start()
    while True:
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(HANDOVER_TIMEOUT_MS):
            break
        if timer.elapsed() > STARTING_LIMIT_MS or lock.tryLock(0):
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
