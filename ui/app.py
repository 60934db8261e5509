"""Starting the desktop app: one instance per data folder, the theme, `--smoke-test`.

The window's shell (sidebar, menus) is painted first, before the database, the
services and the sections' modules (SQLAlchemy, pydantic, the charts) are loaded,
so that Rung appears at once; it takes input from the moment it is filled in.

A second start on the same data folder hands over to the first instance and
exits (see `ui.instance`). The smoke test never hands over: it only draws the
main window once and quits, and it shows no dialog (a database it cannot open
is an error on stderr).

A damaged database has been moved aside by the time opening fails; the user
is told so and may restore the newest good backup before Rung opens the
folder again. One-time warnings (an SQLite with a known bug, a cloud-synced
folder) are shown once per data folder, after the window appears.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLockFile, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app.errors import DamagedDatabaseError, RungError
from app.files import make_private_dir
from app.paths import APP_NAME

if TYPE_CHECKING:
    from app.services import Services
    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.tasks import TaskRunner

PAINT_WAIT_MS = 500  # a window that is never painted (say, started minimised) opens anyway


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
    import signal

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
    from ui import dialogs
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


def route_uncaught_exceptions(window: QWidget, data_dir: Path) -> None:
    """Send an exception no code caught on the GUI thread (in a slot, an event, a timer)
    where a failed job's goes: logged with its traceback, told in one dialog. One on
    another thread is logged (a dialog belongs to the GUI thread)."""
    import threading
    from types import TracebackType

    from app.log import log_bug
    from ui import dialogs

    def on_gui_thread(
        kind: type[BaseException], exc: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, traceback)
            return
        dialogs.show_error(window, APP_NAME, exc, data_dir)

    def elsewhere(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log_bug(
                args.exc_value, f"the thread {args.thread.name if args.thread else '?'}", data_dir
            )

    sys.excepthook = on_gui_thread
    threading.excepthook = elsewhere


def show_new_warnings(parent: QWidget, warnings: Iterable[str], settings: Settings) -> None:
    """Show the warnings that this data folder has not shown before, once, in one notice."""
    from ui import dialogs

    new = [text for text in dict.fromkeys(warnings) if not settings.warning_shown(text)]
    if not new:
        return
    for text in new:
        settings.mark_warning_shown(text)
    settings.sync()
    dialogs.notice(parent, APP_NAME, "\n\n".join(new))


class _FirstPaint(QObject):
    """Calls `then` once, just after `window` is first painted (or after PAINT_WAIT_MS)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(PAINT_WAIT_MS, self._call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._call)  # once this paint has reached the screen
        return False

    def _call(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


class _ModalWatch(QObject):
    """For the smoke test: a modal dialog would wait for a person who is not there.

    Each one is noted and closed, so the run ends (with status 1) instead of hanging.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.seen: list[str] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._timer.start(20)

    def _on_tick(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, QDialog):
            text = modal.text() if isinstance(modal, QMessageBox) else modal.windowTitle()
            self.seen.append(text)
            modal.reject()


class _Opening:
    """What opens once the shell is on screen: the data folder, the worker, the sections.

    An error is kept for `run` to raise once the event loop has ended (raised in
    a slot, it would only be printed), and ends the event loop with status 1.
    """

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        settings: Settings,
        data_dir: Path,
        smoke_test: bool,
    ) -> None:
        self._app = app
        self._window = window
        self._settings = settings
        self._data_dir = data_dir
        self._smoke_test = smoke_test
        self.services: Services | None = None
        self.runner: TaskRunner | None = None
        self.error: Exception | None = None

    def open(self) -> None:
        try:
            self._open()
        except Exception as exc:  # a known error or a bug alike: `run` raises it
            self.error = exc
            self._app.exit(1)
        finally:
            gc.enable()  # if opening stopped before `_settle`

    def _open(self) -> None:
        from app import __version__
        from app.services import open_services
        from ui.fonts import load_bundled_fonts
        from ui.tasks import TaskRunner

        app, window, data_dir, settings = self._app, self._window, self._data_dir, self._settings
        app.setApplicationVersion(__version__)
        load_bundled_fonts()
        if self._smoke_test:
            services = open_services(data_dir)  # an error goes to stderr, with no dialog
        else:
            opened = open_or_recover(data_dir)
            if opened is None:
                app.exit(1)
                return
            services = opened
        self.services = services
        _settle()
        self.runner = TaskRunner(data_dir=data_dir)
        window.open(services, self.runner)
        _close_on_signals(window)
        if self._smoke_test:
            watch = _ModalWatch(window)
            self.runner.drain()
            app.processEvents()
            if watch.seen:
                raise RungError(f"The main window showed a dialog: {watch.seen[0]}")
            if window.grab().isNull():
                raise RungError("The main window could not be drawn.")
            QTimer.singleShot(0, app.quit)
            return
        from ui.instance import InstanceServer

        InstanceServer(data_dir, window)
        warnings = list(services.store.warnings)
        QTimer.singleShot(0, lambda: show_new_warnings(window, warnings, settings))

    def close(self) -> None:
        if self.runner is not None:
            self.runner.shutdown()
        if self.services is not None:
            self.services.close()


def _settle() -> None:
    """Start-up has loaded what lives as long as the app (modules, classes, the services):
    freeze it, so that no garbage collection traverses it again, and collect from now on.

    Start-up runs with the collector off (`run`): its objects are there for good, and the
    full collections it triggered traversed all of them (20–45 ms each, one of them in the
    Dashboard's first load), as did the last one at exit (about 150 ms).
    """
    gc.freeze()
    gc.enable()


def run(data_dir: Path, *, smoke_test: bool = False) -> int:
    """Open the main window on `data_dir`; with `smoke_test`, draw it once and exit."""
    gc.disable()  # until `_settle`, once the data folder is open
    # Fusion follows the app's palettes on every platform; chosen here, no platform style is
    # made first. The Theme puts `ui.theme.Style` over it, which draws a few controls so
    # that they read in both palettes (building its QStyle enums costs PySide6 about 10 ms).
    app = QApplication.instance() or QApplication([*sys.argv[:1], "-style", "Fusion"])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName("rung")

    make_private_dir(data_dir)
    lock = QLockFile(str(data_dir / "rung.lock"))
    if not smoke_test:
        lock.setStaleLockTime(0)
        if not lock.tryLock(100):
            from ui.instance import hand_over

            if hand_over(data_dir, lock):
                return 0
            if not lock.isLocked() and not lock.tryLock(100):
                from ui import dialogs

                dialogs.error(None, APP_NAME, f"Rung is already running on {data_dir}.")
                return 1

    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.theme import Theme, app_icon

    app.setWindowIcon(app_icon())
    settings = Settings(data_dir)
    window = MainWindow(settings, Theme(app, settings.appearance), data_dir)
    route_uncaught_exceptions(window, data_dir)
    window.show()
    opening = _Opening(app, window, settings, data_dir, smoke_test)
    _FirstPaint(window, opening.open)
    code = app.exec()
    opening.close()
    if lock.isLocked():
        lock.unlock()
    if opening.error is not None:
        raise opening.error
    return code
