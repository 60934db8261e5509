"""The worker: results for their owner only, the newest of a key only, errors whole, progress
on the GUI thread, and idle whatever a callback does."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.errors import NotFoundError
from ui.tasks import Report, TaskRunner

pytestmark = pytest.mark.gui

WAIT_S = 10


@pytest.fixture
def owner(qtbot: QtBot) -> Iterator[QObject]:
    """A QObject that stands for a widget whose state a job's result updates."""
    made = QObject()
    yield made
    if shiboken6.isValid(made):
        shiboken6.delete(made)


def held(started: threading.Event, release: threading.Event, value: str) -> Callable[[], str]:
    """A job that says it started, then waits to be released: the order is certain."""

    def job() -> str:
        started.set()
        assert release.wait(WAIT_S)
        return value

    return job


def test_results_arrive_in_order_on_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    gui = threading.current_thread()
    ran: list[str] = []
    got: list[tuple[int, bool]] = []

    def job(number: int) -> int:
        ran.append(threading.current_thread().name)
        return number

    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        for number in range(5):
            runner.submit(
                lambda n=number: job(n),
                lambda result: got.append((result, threading.current_thread() is gui)),
                owner=owner,
            )
        assert runner.busy
    assert got == [(number, True) for number in range(5)]
    assert ran == ["rung-worker"] * 5
    assert not runner.busy


def test_a_newer_job_with_the_same_key_drops_the_older_result(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    started, release = threading.Event(), threading.Event()
    got: list[str] = []
    runner.submit(held(started, release, "older"), got.append, owner=owner, key="rows")
    assert started.wait(WAIT_S)  # the older job runs: its result is on its way
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        runner.submit(lambda: "newer", got.append, owner=owner, key="rows")
        release.set()
    assert got == ["newer"]


def test_a_superseded_job_not_started_yet_is_not_run(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    got: list[str] = []

    def load(name: str) -> str:
        ran.append(name)
        return name

    runner.submit(held(started, release, "blocker"), got.append, owner=owner)
    assert started.wait(WAIT_S)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        for name in ("first", "second", "third"):
            runner.submit(lambda n=name: load(n), got.append, owner=owner, key="detail")
        # Another owner's job under the same key is its own.
        other = QObject(owner)
        runner.submit(lambda: load("other"), got.append, owner=other, key="detail")
        release.set()
    assert ran == ["third", "other"]
    assert got == ["blocker", "third", "other"]


def test_cancel_drops_what_was_asked_for_under_a_key(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    started, release = threading.Event(), threading.Event()
    got: list[str] = []
    runner.submit(held(started, release, "running"), got.append, owner=owner, key="preview")
    assert started.wait(WAIT_S)
    runner.submit(lambda: "queued", got.append, owner=owner, key="preview")
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        runner.cancel(owner, "preview")
        runner.cancel(owner, "nothing asked")  # a key with no job: nothing to do
        release.set()
    assert got == []
    # The key works as before afterwards.
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        runner.submit(lambda: "later", got.append, owner=owner, key="preview")
    assert got == ["later"]


@pytest.mark.parametrize("deletion", ["deleteLater", "shiboken6.delete"])
def test_a_result_for_a_deleted_owner_is_dropped_but_the_job_runs(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, deletion: str
) -> None:
    started, release = threading.Event(), threading.Event()
    got: list[object] = []
    failures: list[object] = []
    runner.failed.connect(failures.append)
    runner.submit(held(started, release, "saved"), got.append, owner=owner, on_error=got.append)

    def broken() -> None:
        raise NotFoundError("gone")

    runner.submit(broken, got.append, owner=owner)  # without on_error: would go to `failed`
    assert started.wait(WAIT_S)
    if deletion == "deleteLater":
        owner.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    else:
        shiboken6.delete(owner)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        release.set()
    assert got == []
    assert failures == []
    assert not runner.busy


def test_the_exception_reaches_on_error_with_its_traceback(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    errors: list[BaseException] = []

    def broken_job() -> str:
        raise NotFoundError("No check-in 42.")

    with qtbot.assertNotEmitted(runner.failed), qtbot.waitSignal(runner.idle):
        runner.submit(broken_job, lambda _r: None, owner=owner, on_error=errors.append)
    [error] = errors
    assert isinstance(error, NotFoundError)
    assert str(error) == "No check-in 42."
    assert error.__traceback__ is not None
    assert traceback.extract_tb(error.__traceback__)[-1].name == "broken_job"


def test_an_error_without_on_error_goes_to_failed_whole(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    def buggy_job() -> int:
        return 1 // 0

    with (
        qtbot.waitSignal(runner.failed) as failed,
        qtbot.waitSignal(runner.idle),
    ):
        runner.submit(buggy_job, lambda _r: None, owner=owner)
    [error] = failed.args
    assert isinstance(error, ZeroDivisionError)
    assert traceback.extract_tb(error.__traceback__)[-1].name == "buggy_job"


def test_an_error_nobody_listens_for_goes_to_the_excepthook(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _type, error, _tb: hooked.append(error))

    def callback(_value: object) -> None:
        raise ValueError("a bug in the callback")

    with qtbot.waitSignal(runner.idle):
        runner.submit(lambda: 1 // 0, lambda _r: None, owner=owner)
        runner.submit(lambda: "loaded", callback, owner=owner)
    assert [type(error) for error in hooked] == [ZeroDivisionError, ValueError]


@pytest.mark.parametrize("failing", ["on_done", "on_error"])
def test_a_callback_that_raises_leaves_the_runner_idle(
    qtbot: QtBot, runner: TaskRunner, owner: QObject, failing: str
) -> None:
    bug = ValueError("a bug in the callback")

    def callback(_value: object) -> None:
        raise bug

    def job() -> str:
        if failing == "on_error":
            raise NotFoundError("gone")
        return "loaded"

    emitted: list[tuple[object, ...]] = []
    runner.failed.connect(lambda error: emitted.append(("failed", error)))
    runner.idle.connect(lambda: emitted.append(("idle",)))
    with qtbot.waitSignal(runner.idle):
        runner.submit(job, callback, owner=owner, on_error=callback)
    assert emitted == [("failed", bug), ("idle",)]
    assert not runner.busy
    # The runner goes on.
    got: list[str] = []
    with qtbot.waitSignal(runner.idle):
        runner.submit(lambda: "next", got.append, owner=owner)
    assert got == ["next"]


def test_progress_arrives_on_the_gui_thread_before_the_result(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    gui = threading.current_thread()
    seen: list[tuple[object, ...]] = []

    def export(report: Report) -> str:
        for step in (1, 2, 3):
            report(step, 3)
        return "done"

    with qtbot.waitSignal(runner.idle):
        runner.submit_with_progress(
            export,
            lambda result: seen.append((result, threading.current_thread() is gui)),
            owner=owner,
            progress=lambda done, total: seen.append(
                (done, total, threading.current_thread() is gui)
            ),
        )
    assert seen == [(1, 3, True), (2, 3, True), (3, 3, True), ("done", True)]


def test_progress_of_a_superseded_job_is_dropped(
    qtbot: QtBot, runner: TaskRunner, owner: QObject
) -> None:
    started, release = threading.Event(), threading.Event()
    seen: list[tuple[str, int]] = []

    def export(name: str) -> Callable[[Report], str]:
        def job(report: Report) -> str:
            if name == "older":
                started.set()
                assert release.wait(WAIT_S)
            report(1, 2)
            report(2, 2)
            return name

        return job

    def submit(name: str) -> None:
        runner.submit_with_progress(
            export(name),
            lambda result: seen.append((result, 0)),
            owner=owner,
            key="export",
            progress=lambda done, _total: seen.append((name, done)),
        )

    submit("older")
    assert started.wait(WAIT_S)
    with qtbot.waitSignal(runner.idle, timeout=WAIT_S * 1000):
        submit("newer")
        release.set()  # the older job reports now, superseded
    assert seen == [("newer", 1), ("newer", 2), ("newer", 0)]


def test_drain_and_shutdown_finish_every_job(qtbot: QtBot, owner: QObject) -> None:
    runner = TaskRunner()
    got: list[int] = []
    for number in range(3):
        runner.submit(lambda n=number: n, got.append, owner=owner)
    runner.drain()
    assert got == [0, 1, 2]
    runner.submit(lambda: 3, got.append, owner=owner)
    runner.shutdown()  # waits for the last one
    assert got == [0, 1, 2, 3]
    assert not runner.busy
