"""Database work off the GUI thread: one worker, jobs run in the order submitted.

Each job is a plain callable that uses the services (which open their own
sessions). Its result comes back to the GUI thread and goes to `on_done`; its
exception, the object itself with its traceback, goes to `on_error`, or
without one to the runner's `failed` signal, shown in one central place by
the main window. A callback that raises goes to `failed` as well; with
nothing connected to `failed`, to `sys.excepthook`, so that no error is lost.

Every job has an owner: the QObject whose state its result updates. A result
is dropped (no callback runs) when its owner has been deleted, or when the
owner submitted a newer job under the same key (or cancelled the key) since:
a key names a request of which only the newest counts, such as a profile's
list loaded again or a preview made again. A keyed job superseded before the
worker reaches it is not run at all, so give keys to such requests only,
never to a save. A job's progress reports are dropped in the same cases.

Jobs and results travel through Python queues; the Qt signals that wake the
GUI thread carry only numbers (PySide mishandles reference counts when Python
objects such as None cross threads inside queued signals).
"""

from __future__ import annotations

import itertools
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QEventLoop,
    QMetaMethod,
    QObject,
    Qt,
    Signal,
)

from app.errors import is_bug
from app.log import log_bug

T = TypeVar("T")

Report = Callable[[int, int], None]
"""`report(done, total)`: how a job says how far it is; safe to call from the worker."""

_Slot = tuple[int, str]  # the owner's id() and the key


@dataclass(eq=False)
class _Task(Generic[T]):
    """A submitted job and what to do with its outcome (GUI thread only)."""

    number: int
    owner: QObject
    slot: _Slot | None
    on_done: Callable[[T], object]
    on_error: Callable[[BaseException], object] | None
    on_progress: Callable[[int, int], object] | None


@dataclass(frozen=True)
class _Outcome:
    """What the worker made of a job: its result, its exception, or nothing (not run)."""

    result: object = None
    error: BaseException | None = None
    ran: bool = True


_Queued = tuple[int, _Slot | None, Callable[[Report], object]]


class TaskRunner(QObject):
    """Runs callables on a single worker thread, one at a time, in the order submitted.

    Submit from the GUI thread only; every callback runs there.

    Signals:
        failed(object): a job without `on_error` failed, or a callback raised (the exception;
            with nothing connected, it goes to `sys.excepthook`).
        idle(): every submitted job has finished.
    """

    failed = Signal(object)
    idle = Signal()
    _finished = Signal(int)  # a job's number
    _progressed = Signal(int, int, int)  # a job's number, steps done, steps in all

    def __init__(self, parent: QObject | None = None, *, data_dir: Path | None = None) -> None:
        """`data_dir`: where a job's bug is logged with its traceback, as it happens."""
        super().__init__(parent)
        self._data_dir = data_dir
        self._jobs: queue.SimpleQueue[_Queued | None] = queue.SimpleQueue()
        self._results: dict[int, _Outcome] = {}
        self._latest: dict[_Slot, int] = {}  # the number whose result each slot awaits
        self._lock = threading.Lock()  # guards `_results` and `_latest`
        self._pending: dict[int, _Task[Any]] = {}
        self._numbers = itertools.count()
        queued = Qt.ConnectionType.QueuedConnection  # both are emitted from the worker
        self._finished.connect(self._on_finished, queued)
        self._progressed.connect(self._on_progressed, queued)
        self._thread = threading.Thread(target=self._work, name="rung-worker", daemon=True)
        self._thread.start()

    # -- submitting --------------------------------------------------------------

    def submit(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], object],
        *,
        owner: QObject,
        key: str | None = None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Run `job` on the worker; `on_done(result)` or `on_error(exception)` on the GUI
        thread, unless `owner` is gone or a newer job of `owner` took `key`."""
        self._submit(lambda _report: job(), on_done, owner, key, on_error, None)

    def submit_with_progress(
        self,
        job: Callable[[Report], T],
        on_done: Callable[[T], object],
        *,
        owner: QObject,
        progress: Callable[[int, int], object],
        key: str | None = None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> None:
        """As `submit`, for a job that reports how far it is: it is called with a
        `report(done, total)` whose every call reaches `progress(done, total)` on the
        GUI thread, before the result, and is dropped as the result would be."""
        self._submit(job, on_done, owner, key, on_error, progress)

    def _submit(
        self,
        job: Callable[[Report], T],
        on_done: Callable[[T], object],
        owner: QObject,
        key: str | None,
        on_error: Callable[[BaseException], object] | None,
        progress: Callable[[int, int], object] | None,
    ) -> None:
        number = next(self._numbers)
        slot = None if key is None else (id(owner), key)
        if slot is not None:
            with self._lock:
                self._latest[slot] = number
        self._pending[number] = _Task(number, owner, slot, on_done, on_error, progress)
        self._jobs.put((number, slot, job))

    def cancel(self, owner: QObject, key: str) -> None:
        """Drop the result of every job `owner` submitted under `key` so far; one the
        worker has not started is not run."""
        slot = (id(owner), key)
        with self._lock:
            if slot in self._latest:  # some job of the slot is pending
                self._latest[slot] = next(self._numbers)  # a number no job has

    @property
    def busy(self) -> bool:
        """Some submitted job has not reported back yet."""
        return bool(self._pending)

    def report_error(self, error: BaseException) -> None:
        """Hand `error` to the one place errors are shown: `failed`, else `sys.excepthook`.

        For an `on_error` that does its own part (a status line) and leaves the telling
        to that place.
        """
        if self.isSignalConnected(QMetaMethod.fromSignal(self.failed)):
            self.failed.emit(error)
        else:
            sys.excepthook(type(error), error, error.__traceback__)

    # -- the worker thread -------------------------------------------------------

    def _work(self) -> None:
        while True:
            queued = self._jobs.get()
            if queued is None:
                return
            number, slot, job = queued
            if slot is not None and self._superseded(number, slot):
                outcome = _Outcome(ran=False)
            else:
                try:
                    outcome = _Outcome(result=job(self._reporter(number)))
                except BaseException as exc:  # handed to the GUI thread whole
                    if is_bug(exc):
                        log_bug(exc, "a background job failed", self._data_dir)
                    outcome = _Outcome(error=exc)
            with self._lock:
                self._results[number] = outcome
            self._finished.emit(number)

    def _superseded(self, number: int, slot: _Slot) -> bool:
        with self._lock:
            return self._latest.get(slot) != number

    def _reporter(self, number: int) -> Report:
        def report(done: int, total: int) -> None:
            self._progressed.emit(number, done, total)

        return report

    # -- back on the GUI thread --------------------------------------------------

    def _dropped(self, task: _Task[Any]) -> bool:
        """Whether nobody wants the task's outcome any more."""
        if not shiboken6.isValid(task.owner):
            return True
        return task.slot is not None and self._superseded(task.number, task.slot)

    def _on_progressed(self, number: int, done: int, total: int) -> None:
        task = self._pending.get(number)
        if task is None or task.on_progress is None or self._dropped(task):
            return
        try:
            task.on_progress(done, total)
        except Exception as exc:  # a bug in the callback: shown, and the runner goes on
            self.report_error(exc)

    def _on_finished(self, number: int) -> None:
        with self._lock:
            outcome = self._results.pop(number)
        task = self._pending.pop(number)
        try:
            if outcome.ran and not self._dropped(task):
                self._deliver(task, outcome)
        finally:
            self._release(task)
            if not self._pending:
                self.idle.emit()

    def _deliver(self, task: _Task[Any], outcome: _Outcome) -> None:
        try:
            if outcome.error is None:
                task.on_done(outcome.result)
            elif task.on_error is not None:
                task.on_error(outcome.error)
            else:
                self.report_error(outcome.error)
        except Exception as exc:  # a bug in the callback: shown, and the runner goes on
            self.report_error(exc)

    def _release(self, task: _Task[Any]) -> None:
        """Forget the task's slot once no pending job has it (the owner's id may be reused)."""
        slot = task.slot
        if slot is not None and all(other.slot != slot for other in self._pending.values()):
            with self._lock:
                self._latest.pop(slot, None)

    # -- waiting -----------------------------------------------------------------

    def drain(self, timeout_ms: int = 10_000) -> None:
        """Wait (keeping the GUI alive) until every submitted job has reported back."""
        timer = QElapsedTimer()
        timer.start()
        while self._pending and timer.elapsed() < timeout_ms:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.002)  # let the worker thread have the GIL

    def shutdown(self) -> None:
        """Finish every queued job, then stop the worker thread."""
        self.drain()
        self._jobs.put(None)
        self._thread.join()
