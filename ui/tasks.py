"""Database work off the GUI thread: one worker, jobs run in the order submitted.

Each job is a plain callable that uses the services (which open their own
sessions); its result or error comes back to the GUI thread and is handed to
the caller's callbacks. Errors without a callback go to the `failed` signal,
shown in one central place by the main window.

Jobs and results travel through Python queues; the Qt signal that wakes the
GUI thread carries only the job's number (PySide mishandles reference counts
when Python objects such as None cross threads inside queued signals).
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEventLoop, QObject, Signal

from app.errors import RungError

Done = Callable[[Any], None]
Failed = Callable[[str], None]
_STOP = -1


class TaskRunner(QObject):
    """Runs callables on a single worker thread.

    Signals:
        failed(str): a job without an error callback failed; the text is for people.
        idle(): every submitted job has finished.
    """

    failed = Signal(str)
    idle = Signal()
    _finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.SimpleQueue[tuple[int, Callable[[], Any] | None]] = queue.SimpleQueue()
        self._results: dict[int, tuple[Any, str | None]] = {}
        self._lock = threading.Lock()
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._numbers = itertools.count()
        self._finished.connect(self._on_finished)  # queued: emitted from the worker
        self._thread = threading.Thread(target=self._work, name="rung-worker", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        while True:
            number, job = self._jobs.get()
            if job is None:
                return
            try:
                outcome: tuple[Any, str | None] = (job(), None)
            except RungError as exc:
                outcome = (None, str(exc))
            except Exception as exc:
                outcome = (None, f"Unexpected error ({type(exc).__name__}: {exc}).")
            with self._lock:
                self._results[number] = outcome
            self._finished.emit(number)

    def submit(
        self, job: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        number = next(self._numbers)
        self._callbacks[number] = (on_done, on_error)
        self._jobs.put((number, job))

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def _on_finished(self, number: int) -> None:
        with self._lock:
            result, error = self._results.pop(number)
        on_done, on_error = self._callbacks.pop(number)
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            self.failed.emit(error)
        if not self._callbacks:
            self.idle.emit()

    def drain(self, timeout_ms: int = 10_000) -> None:
        """Wait (keeping the GUI alive) until every submitted job has reported back."""
        timer = QElapsedTimer()
        timer.start()
        while self._callbacks and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.002)  # let the worker thread have the GIL

    def shutdown(self) -> None:
        """Finish every queued job, then stop the worker thread."""
        self.drain()
        self._jobs.put((_STOP, None))
        self._thread.join()
