"""Fault injection: kill -9 in the middle of writing, a full or failing disk, file modes.

1. A real process writing check-ins is killed with SIGKILL at random moments,
   `RUNG_FAULT_KILLS` times (200 by default). After every kill the database is
   reopened: it passes `PRAGMA integrity_check` and holds, final, every
   check-in the writer said it had committed.
2. A save, a backup and a framework export meet a full disk (a file-size
   limit in a subprocess, or an injected ENOSPC/EIO): one clear sentence, and
   the database, the older backups and the older export are untouched.
3. Everything Rung creates is owner-only, checked on the mode bits (the tests
   may run as root, for whom an access check proves nothing).

The figures (kills, kills inside a write, commits verified, ...) are printed
in the terminal summary and recorded as JUnit properties; `tests/README.md`
says how to run the long version.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import queue
import random
import shutil
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from app.errors import DatabaseError, RungError
from app.files import atomic_write
from app.paths import DATABASE_NAME
from app.services import Services, open_services
from app.store.backup import FOLDER, copy_database
from app.store.models import CheckIn
from app.store.revisions import HEAD_REVISION
from tests.conftest import folder_digest
from tests.faults.limited import BIG_NOTE, SMALL_NOTE
from tests.helpers import Rows, every_row
from tests.test_migrations import EARLIER, assert_upgraded, load_fixture

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "tests" / "faults" / "writer.py"
LIMITED = ROOT / "tests" / "faults" / "limited.py"

KILLS = int(os.environ.get("RUNG_FAULT_KILLS", "200"))
SEED = int(os.environ.get("RUNG_FAULT_SEED") or random.SystemRandom().randrange(2**32))
LINE_TIMEOUT_S = 30  # for any one line from a writer (its start-up is well under 1 s)

FIGURES: dict[str, str] = {}


class _FiguresInSummary:
    """Prints what the fault tests measured at the end of the run, with or without `-s`."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if FIGURES:
            terminalreporter.section("Rung fault-injection figures")
            for name, value in FIGURES.items():
                terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="module", autouse=True)
def _figures_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("rung-fault-figures"):
        manager.register(_FiguresInSummary(), "rung-fault-figures")


def figure(record_property: Callable[[str, object], None], name: str, value: object) -> None:
    FIGURES[name] = str(value)
    record_property(name, value)


# -- a data folder with something in it ----------------------------------------


@dataclass(frozen=True)
class Seeded:
    profile_id: str
    final_id: str
    draft_id: str
    free_skill: str  # a skill the draft has not rated yet


def seed(data_dir: Path, *, backup: bool = True) -> Seeded:
    """A profile with one final check-in and a draft, both with notes; a backup from today.

    The backup also means that the first change in another process takes no daily backup.
    """
    with contextlib.closing(open_services(data_dir)) as services:
        profile = services.profiles.create(
            name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
        )
        skills = [s.id for s in services.frameworks.load("ml-engineer").skills]
        final = services.checkins.start_draft(profile.id)
        services.checkins.set_rating(final.id, skills[0], 2, confidence=4, note="Zoë: first")
        services.checkins.set_rating(final.id, skills[1], 3, note="李雷 🚀")
        services.checkins.finalize(final.id)
        draft = services.checkins.start_draft(profile.id)
        services.checkins.set_rating(draft.id, skills[2], 1, note="still a draft")
        if backup:
            assert services.store.backups is not None
            services.store.backups.create()
    return Seeded(profile.id, final.id, draft.id, skills[3])


def integrity(path: Path) -> list[tuple[Any, ...]]:
    """`integrity_check` and `foreign_key_check` rows: [("ok",)] when all is well."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        return rows + conn.execute("PRAGMA foreign_key_check").fetchall()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- 1. kill -9 while writing ------------------------------------------------------

WAL_MAGICS = (0x377F0682, 0x377F0683)  # checksums little-endian / big-endian


def _wal_checksum(data: bytes, s0: int, s1: int, order: str) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_frames(path: Path) -> tuple[int, int]:
    """(committed, uncommitted) frames of a write-ahead log, as SQLite's recovery reads it.

    Frames belong to the log while their salts match its header's; those after
    the last commit frame that still carry a valid checksum were written by a
    transaction that never committed: the process died while committing.
    """
    data = path.read_bytes() if path.exists() else b""
    if len(data) < 32:
        return 0, 0
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:32])
    if magic not in WAL_MAGICS:
        return 0, 0
    order = ">" if magic & 1 else "<"
    checksum = _wal_checksum(data[:24], 0, 0, order)
    if checksum != (c0, c1):
        return 0, 0
    frame = 24 + page_size
    headers = []
    for offset in range(32, len(data) - frame + 1, frame):
        header = struct.unpack(">6I", data[offset : offset + 24])
        if header[2:4] != (salt1, salt2):
            break
        headers.append((offset, header))
    last_commit = max((i for i, (_, h) in enumerate(headers) if h[1]), default=-1)
    if last_commit >= 0:
        checksum = headers[last_commit][1][4:6]
    uncommitted = 0
    for offset, header in headers[last_commit + 1 :]:
        body = data[offset : offset + 8] + data[offset + 24 : offset + frame]
        checksum = _wal_checksum(body, *checksum, order)
        if checksum != header[4:6]:
            break
        uncommitted += 1
    return last_commit + 1, uncommitted


@dataclass
class Kill:
    pid: int
    committed: list[str] = field(default_factory=list)
    last: list[str] = field(default_factory=list)  # the last START/DONE/COMMITTED line, split
    in_transaction: bool = False  # a TX line not yet followed by TXEND
    transactions: int = 0  # TX lines read
    exit_code: int | None = None

    @property
    def inside_write(self) -> str | None:
        """The operation the kill interrupted, if it landed between START and its end."""
        return self.last[2] if self.last and self.last[0] == "START" else None


class ForkServer:
    """A script under `tests/faults/` that imports the app once and forks a child per kill.

    Its lines are read by a thread, so a silent child times out instead of hanging.
    """

    def __init__(self, script: Path, args: list[str], log: Path) -> None:
        self.log = log
        self._stderr = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.child: int | None = None
        assert self.line() == "READY"

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def problem(self) -> str:
        self._stderr.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-4000:]

    def line(self) -> str:
        try:
            line = self.lines.get(timeout=LINE_TIMEOUT_S)
        except queue.Empty:
            raise AssertionError(
                f"the writer said nothing for {LINE_TIMEOUT_S} s:\n{self.problem()}"
            ) from None
        if line is None:
            raise AssertionError(f"the writer server exited:\n{self.problem()}")
        return line

    def send(self, command: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{command}\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.child is not None:  # a failed test leaves no child behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child, signal.SIGKILL)
        try:
            assert self.proc.stdin is not None
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.write("QUIT\n")
                self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        finally:
            self._reader.join(timeout=10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self._stderr.close()


class WriterServer(ForkServer):
    """`tests/faults/writer.py`: forks a writer of check-ins per kill."""

    def __init__(self, data_dir: Path, profile_id: str, log: Path) -> None:
        super().__init__(WRITER, [str(data_dir), profile_id], log)

    def spawn(self, seed: int) -> Kill:
        self.send(f"SPAWN {seed}")
        words = self.line().split()
        assert words[0] == "PID", words
        self.child = int(words[1])
        return Kill(int(words[1]))

    def follow(self, kill: Kill) -> None:
        """Read one line of the current writer into `kill`."""
        words = self.line().split()
        if words[0] in {"START", "DONE", "COMMITTED"}:
            kill.last = words
        elif words[0] in {"TX", "TXEND"}:
            kill.in_transaction = words[0] == "TX"
            kill.transactions += words[0] == "TX"
        if words[0] == "COMMITTED":
            kill.committed.append(words[1])
        elif words[0] == "EXIT":
            assert int(words[1]) == kill.pid
            kill.exit_code = int(words[2])
            self.child = None

    def kill(self, kill: Kill) -> None:
        with contextlib.suppress(ProcessLookupError):  # it died by itself: EXIT says how
            os.kill(kill.pid, signal.SIGKILL)
        while kill.exit_code is None:
            self.follow(kill)
        assert kill.exit_code == -signal.SIGKILL, (
            f"the writer {kill.pid} ended with {kill.exit_code}, not by the kill:\n{self.problem()}"
        )


def kill_at_a_random_moment(server: WriterServer, rng: random.Random) -> Kill:
    """Start a writer, wait for its first commit, let it run a random while, SIGKILL it.

    The while is one of: 0-50 ms; 1-4 more commits and 0-10 ms; or 1-6 more
    transactions announced (TX, before their first change) and 0-1 ms, which
    lands kills inside write transactions far more often than chance would.
    """
    kill = server.spawn(rng.randrange(2**32))
    while not kill.committed:
        server.follow(kill)
        assert kill.exit_code is None, f"the writer died before committing:\n{server.problem()}"
    moment = rng.randrange(3)
    if moment == 0:
        time.sleep(rng.uniform(0, 0.05))
    elif moment == 1:
        target = len(kill.committed) + rng.randint(1, 4)
        while len(kill.committed) < target:
            server.follow(kill)
        time.sleep(rng.uniform(0, 0.01))
    else:
        target = kill.transactions + rng.randint(1, 6)
        while kill.transactions < target:
            server.follow(kill)
        time.sleep(rng.uniform(0, 0.001))
    server.kill(kill)
    return kill


def check_after_kill(data_dir: Path, profile_id: str, committed: set[str]) -> int:
    """Reopen as the app does: intact, and every reported commit is there and final."""
    services = open_services(data_dir)  # a damaged file would raise DamagedDatabaseError
    try:
        assert integrity(services.store.path) == [("ok",)]
        checkins = services.checkins.all(profile_id)
    finally:
        services.close()
    finals = {c.id for c in checkins if c.status == "final"}
    missing = committed - finals
    assert not missing, f"reported committed but missing or not final: {sorted(missing)[:5]}"
    assert sum(c.status == "draft" for c in checkins) <= 1
    return len(finals)


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_no_committed_check_in(
    data_dir: Path, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    profile_id = seed(data_dir, backup=False).profile_id
    rng = random.Random(SEED)
    wal = data_dir / f"{DATABASE_NAME}-wal"
    committed: set[str] = set()
    in_call: Counter[str] = Counter()  # kills inside a service call, by the call
    in_transaction: Counter[str] = Counter()  # kills inside a write transaction, by the call
    mid_commit = replayed = 0
    started = time.monotonic()
    server = WriterServer(data_dir, profile_id, tmp_path / "writer-stderr.txt")
    try:
        for _ in range(KILLS):
            kill = kill_at_a_random_moment(server, rng)
            committed.update(kill.committed)
            if kill.inside_write:
                in_call[kill.inside_write] += 1
            if kill.in_transaction:
                in_transaction[kill.inside_write or "between calls"] += 1
            in_log, uncommitted = wal_frames(wal)
            replayed += in_log > 0
            mid_commit += uncommitted > 0
            finals = check_after_kill(data_dir, profile_id, committed)
    finally:
        server.close()
    elapsed = time.monotonic() - started

    def by_call(counts: Counter[str]) -> str:
        return f"{counts.total()} ({', '.join(f'{op} {n}' for op, n in sorted(counts.items()))})"

    assert not list(data_dir.rglob("*.tmp")), "a kill left a temporary file behind"
    figure(record_property, "kill -9: seed (RUNG_FAULT_SEED)", SEED)
    figure(record_property, "kill -9: kills, each after the writer's first commit", KILLS)
    figure(
        record_property,
        "kill -9: kills inside a write transaction (after its first change, before commit)",
        by_call(in_transaction),
    )
    figure(
        record_property,
        "kill -9: kills inside a service call that may write (START without DONE)",
        by_call(in_call),
    )
    figure(
        record_property, "kill -9: kills mid-commit (uncommitted frames in the -wal)", mid_commit
    )
    figure(record_property, "kill -9: kills with commits only in the -wal (replayed)", replayed)
    figure(
        record_property,
        "kill -9: check-ins reported committed, all found final after every later kill",
        len(committed),
    )
    figure(record_property, "kill -9: final check-ins in the database at the end", finals)
    figure(
        record_property,
        "kill -9: commits that were never reported (killed between commit and print)",
        finals - len(committed) - 1,  # the seed's own final check-in is the 1
    )
    figure(
        record_property,
        "kill -9: time",
        f"{elapsed:.1f} s ({1000 * elapsed / KILLS:.0f} ms per kill)",
    )
    assert len(committed) >= KILLS  # each writer committed at least once before its kill
    assert in_call.total() > 0, "no kill landed inside a write: the test proves little"
    if KILLS >= 100:  # about one kill in eight lands inside one
        assert in_transaction.total() > 0, "no kill landed inside a write transaction"


# -- 1b. kill -9 while creating the schema or migrating ------------------------------------

OPENER = ROOT / "tests" / "faults" / "opener.py"
OPEN_KILLS = int(os.environ.get("RUNG_FAULT_OPEN_KILLS", "30"))  # per scenario
FIRST_RUN = "first run"


@dataclass
class Opening:
    """One opener process: what it said before it died."""

    pid: int
    in_transaction: bool = False  # a TX line not yet followed by TXEND
    opened: bool = False
    exit_code: int | None = None


class OpenerServer(ForkServer):
    """`tests/faults/opener.py`: forks a process that opens (creates or migrates) a folder."""

    def __init__(self, data_dir: Path, log: Path) -> None:
        super().__init__(OPENER, [str(data_dir)], log)

    def open(self) -> Opening:
        self.send("OPEN")
        words = self.line().split()
        assert words[0] == "PID", words
        self.child = int(words[1])
        return Opening(self.child)

    def follow(self, opening: Opening) -> None:
        words = self.line().split()
        if words[0] in {"TX", "TXEND"}:
            opening.in_transaction = words[0] == "TX"
        elif words[0] == "OPENED":
            opening.opened = True
        elif words[0] == "EXIT":
            opening.exit_code = int(words[2])
            self.child = None

    def finish(self, opening: Opening, *, kill: bool) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(opening.pid, signal.SIGKILL)
        while opening.exit_code is None:
            self.follow(opening)
        assert opening.exit_code in {0, -signal.SIGKILL}, self.problem()


def _start_state(data_dir: Path, template: Path | None) -> None:
    """A folder that has never been opened (no template), or one holding the old database."""
    shutil.rmtree(data_dir, ignore_errors=True)
    if template is not None:
        data_dir.mkdir(mode=0o700)
        shutil.copyfile(template, data_dir / DATABASE_NAME)


def _check_after_open_kill(data_dir: Path, revision: str | None, before: Rows) -> str:
    """The folder holds the old revision exactly, or the new one with every row; it opens."""
    database = data_dir / DATABASE_NAME
    if revision is None and not database.exists():
        state = "none"
    else:
        state = _revision_of(database)
        assert state in {revision or HEAD_REVISION, HEAD_REVISION}, state
        assert integrity(database) == [("ok",)]
        if state == revision:
            assert every_row(database) == before
        elif revision is not None:
            assert_upgraded(revision, before, every_row(database))
    with contextlib.closing(open_services(data_dir)) as services:
        assert services.store.integrity_problems() == []
    if revision is not None:
        assert_upgraded(revision, before, every_row(database))
    return state


def _revision_of(database: Path) -> str:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


@pytest.mark.slow
@pytest.mark.parametrize("revision", [FIRST_RUN, *EARLIER], ids=str)
def test_kill_9_while_creating_or_migrating_leaves_the_old_or_the_new_database(
    revision: str, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """Half the kills at a random moment of the open, half inside its one transaction."""
    old = None if revision == FIRST_RUN else revision
    data_dir = tmp_path / "data"
    template: Path | None = None
    before: Rows = {}
    if old is not None:
        template = tmp_path / "template.sqlite3"
        load_fixture(old, template)
        before = every_row(template)
    rng = random.Random(SEED)
    server = OpenerServer(data_dir, tmp_path / "opener-stderr.txt")
    states: Counter[str] = Counter()
    inside = 0
    try:
        _start_state(data_dir, template)
        started = time.monotonic()
        opening = server.open()
        server.finish(opening, kill=False)
        whole = time.monotonic() - started  # one uncut open, to spread the kills over
        for index in range(OPEN_KILLS):
            _start_state(data_dir, template)
            opening = server.open()
            if index % 2:
                while not opening.in_transaction and opening.exit_code is None:
                    server.follow(opening)
                time.sleep(rng.uniform(0, whole / 4))
            else:
                time.sleep(rng.uniform(0, 1.5 * whole))
            server.finish(opening, kill=True)
            inside += opening.in_transaction and not opening.opened
            states[_check_after_open_kill(data_dir, old, before)] += 1
        if old is not None:  # retries after kills inside the migration add no more copies
            _start_state(data_dir, template)
            for _ in range(3):
                opening = server.open()
                while not opening.in_transaction and opening.exit_code is None:
                    server.follow(opening)
                server.finish(opening, kill=True)
            with contextlib.closing(open_services(data_dir)):
                pass
            copies = list((data_dir / "backups").glob(f"*-before-migration-from-{old}.sqlite3"))
            assert len(copies) == 1
            assert every_row(copies[0]) == before
    finally:
        server.close()
    figure(
        record_property,
        f"kill -9 opening ({revision}): kills, inside the transaction, state after",
        f"{OPEN_KILLS}, {inside}, "
        + ", ".join(f"{state} {n}" for state, n in sorted(states.items())),
    )
    assert inside > 0, "no kill landed inside the transaction: the test proves little"


def test_the_wal_reader_finds_commits_and_a_torn_transaction(tmp_path: Path) -> None:
    """`wal_frames` itself: committed frames, then the frames of a commit cut short."""
    path = tmp_path / "w.sqlite3"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.execute("INSERT INTO t VALUES (?)", ("a" * 20_000,))
        wal = path.with_name("w.sqlite3-wal")
        committed, uncommitted = wal_frames(wal)
        assert committed > 5
        assert uncommitted == 0
        # Cut the last transaction short: drop its commit frame, as a kill mid-commit would.
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        whole = wal.read_bytes()
    torn = tmp_path / "torn-wal"
    torn.write_bytes(whole[: len(whole) - (24 + page_size)])
    committed_before, uncommitted = wal_frames(torn)
    assert uncommitted > 0
    assert committed_before < committed


# -- 2. a full or failing disk -----------------------------------------------------


def run_limited(
    *args: object, fsize: int | None = None, umask: int | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`tests/faults/limited.py` in a subprocess (no .pyc written: the limit would refuse it)."""
    options = [
        *(["--fsize", str(fsize)] if fsize else []),
        *(["--umask", oct(umask)[2:]] if umask is not None else []),
    ]
    return subprocess.run(
        [sys.executable, str(LIMITED), *options, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
        check=False,
    )


def assert_one_clear_sentence(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit status 1 and one `rung: ...` line naming what failed; no traceback, no 'bug'."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    [line] = lines
    assert line.startswith("rung: "), line
    assert line.endswith("."), line
    assert "Traceback" not in line, line
    assert "Unexpected error" not in line, line
    assert "File too large" not in line, "EFBIG reached the user without context"
    for fragment in fragments:
        assert fragment in line, line
    return line


@pytest.mark.slow
def test_a_save_that_meets_a_full_disk_is_refused_clearly_and_damages_nothing(
    data_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    seeded = seed(data_dir)
    with contextlib.closing(open_services(data_dir)) as services:
        before = {i: services.checkins.detail(i) for i in (seeded.final_id, seeded.draft_id)}

    # The limit is 64 KiB above the emptied -wal (and -shm); the note is 400 KB.
    result = run_limited("save", data_dir, seeded.draft_id, seeded.free_skill, 64 * 1024)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["big_save"] == "RungError", outcome.get("error")
    message = outcome["error"]
    assert message.startswith("DatabaseError: ")
    assert str(data_dir / DATABASE_NAME) in message
    assert "disk" in message
    assert "not saved" in message
    assert outcome["small_save"] == "saved", "the same process could not save once there was room"

    with contextlib.closing(open_services(data_dir)) as services:
        assert integrity(services.store.path) == [("ok",)]
        final = services.checkins.detail(seeded.final_id)
        draft = services.checkins.detail(seeded.draft_id)
    assert final == before[seeded.final_id]
    assert {k: v for k, v in draft.ratings.items() if k != seeded.free_skill} == (
        before[seeded.draft_id].ratings
    )
    assert draft.ratings[seeded.free_skill].note == SMALL_NOTE
    with contextlib.closing(sqlite3.connect(data_dir / DATABASE_NAME)) as conn:
        assert (
            conn.execute("SELECT count(*) FROM ratings WHERE note = ?", (BIG_NOTE,)).fetchone()[0]
            == 0
        )
    figure(
        record_property, "disk full: save (400 KB note, 64 KiB of room)", message.split(": ", 1)[1]
    )


@pytest.mark.slow
def test_a_cli_command_that_meets_a_full_disk_says_so_in_one_sentence(
    data_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    """`rung demo` writes thousands of rows in one transaction: it cannot fit in 64 KiB."""
    seeded = seed(data_dir)
    with contextlib.closing(open_services(data_dir)) as services:
        before = services.checkins.all(seeded.profile_id)
    limit = (data_dir / DATABASE_NAME).stat().st_size + 64 * 1024
    result = run_limited(
        "cli", "--data-dir", data_dir, "demo", "--years", "10", "--weekly", fsize=limit
    )
    line = assert_one_clear_sentence(result, str(data_dir / DATABASE_NAME), "disk")
    assert integrity(data_dir / DATABASE_NAME) == [("ok",)]
    with contextlib.closing(open_services(data_dir)) as services:
        assert services.checkins.all(seeded.profile_id) == before
    figure(record_property, "disk full: rung demo", line)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["check"], ["frameworks", "list"], ["profiles", "list"]])
def test_a_read_only_command_on_a_full_disk_writes_nothing_and_works(
    data_dir: Path, command: list[str]
) -> None:
    """A built-in ladder not stored yet (shipped by a newer Rung) is read, not written."""
    with contextlib.closing(open_services(data_dir)):
        pass
    with contextlib.closing(sqlite3.connect(data_dir / DATABASE_NAME)) as conn, conn:
        conn.execute("DELETE FROM frameworks")
    before = folder_digest(data_dir)
    result = run_limited("cli", "--data-dir", data_dir, *command, fsize=40_000)
    assert result.returncode == 0, result.stderr
    assert all(line.startswith("rung: warning: ") for line in result.stderr.splitlines())
    if command == ["frameworks", "list"]:
        assert "ml-engineer@1.0" in result.stdout
    assert folder_digest(data_dir) == before


FULL_DISK = ROOT / "tests" / "faults" / "full_disk.py"


@pytest.mark.slow
def test_a_restore_on_a_nearly_full_disk_says_exactly_what_happened(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    """On a real 16 MiB file system with less and less room: restored and saying so, or
    refused with the data folder as it was, never a failure reported after the commit."""
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("this machine cannot make a private mount namespace (unshare -rm)")
    source, current = tmp_path / "source", tmp_path / "current"
    for folder, args in ((source, ["--weekly", "--years", "3"]), (current, ["--years", "1"])):
        result = run_limited("cli", "--data-dir", folder, "demo", "--seed", "3", *args)
        assert result.returncode == 0, result.stderr
    work = tmp_path / "mnt"
    work.mkdir()
    sizes = [str(kib) for kib in range(256, 5120, 128)]
    driver = subprocess.run(
        [
            "unshare",
            "-rm",
            sys.executable,
            str(FULL_DISK),
            str(work),
            str(source / DATABASE_NAME),
            str(current),
            *sizes,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert driver.returncode == 0, driver.stderr
    outcomes: Counter[str] = Counter()
    for line in driver.stdout.splitlines():
        run = json.loads(line)
        if run["code"] == 0:
            assert run["holds"] == "source", run
            assert run["out"].startswith("Restored the database"), run
            outcomes["restored"] += 1
            outcomes["restored, the -wal not yet folded in"] += run["wal_not_folded_in"]
        else:
            assert run["holds"] == "current", run
            assert run["err"].startswith("rung: "), run
            assert run["err"].count("\n") == 1, run
            assert "nothing was" in run["err"].lower(), run
            assert not [n for n in run["files"] if "before-restore" in n or "restore-" in n], run
            outcomes["refused"] += 1
    figure(
        record_property,
        "disk full: rung backup restore with 256 KiB to 5 MiB free",
        ", ".join(f"{kind} {n}" for kind, n in sorted(outcomes.items())),
    )
    assert outcomes["restored"]
    assert outcomes["refused"]
    assert outcomes["restored, the -wal not yet folded in"]  # committed, then no room


@pytest.mark.slow
def test_a_backup_that_meets_a_full_disk_leaves_no_partial_file(
    data_dir: Path, record_property: Callable[[str, object], None]
) -> None:
    seed(data_dir)  # with one backup already
    [older] = list((data_dir / FOLDER).iterdir())
    before = folder_digest(data_dir)
    size = (data_dir / DATABASE_NAME).stat().st_size
    limit = 40_000  # room for the 32 KiB -shm of the open database, not for a copy of it
    assert size > 2 * limit
    result = run_limited("cli", "--data-dir", data_dir, "backup", "create", fsize=limit)
    line = assert_one_clear_sentence(result, f"{data_dir / FOLDER}{os.sep}rung-")
    assert "disk" in line
    assert folder_digest(data_dir) == before  # no .tmp, no -journal, the old backup intact
    assert [p.name for p in (data_dir / FOLDER).iterdir()] == [older.name]
    assert integrity(data_dir / DATABASE_NAME) == [("ok",)]
    figure(record_property, "disk full: rung backup create (older backups intact)", line)


@pytest.mark.slow
def test_an_export_that_meets_a_full_disk_keeps_the_old_file(
    data_dir: Path, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    seed(data_dir)
    out = tmp_path / "out"
    out.mkdir()
    whole = out / "whole.yaml"
    assert (
        run_limited(
            "cli", "--data-dir", data_dir, "frameworks", "export", "ml-engineer", whole
        ).returncode
        == 0
    )
    size = whole.stat().st_size
    whole.unlink()
    old = b"# my own edited copy of the ladder\nid: ml-engineer\n" * 10
    (out / "out.yaml").write_bytes(old)
    os.chmod(out / "out.yaml", 0o640)
    data_before = folder_digest(data_dir)
    limit = (32 * 1024 + size) // 2  # room for the -shm, not for the export
    assert 32 * 1024 < limit < size - 1024

    result = run_limited(
        "cli",
        "--data-dir",
        data_dir,
        "frameworks",
        "export",
        "ml-engineer",
        "out.yaml",
        fsize=limit,
        cwd=out,
    )
    line = assert_one_clear_sentence(result, "out.yaml", "disk space", "previous file was kept")
    assert [p.name for p in out.iterdir()] == ["out.yaml"]  # no temporary file left
    assert (out / "out.yaml").read_bytes() == old
    assert stat.S_IMODE((out / "out.yaml").stat().st_mode) == 0o640
    assert folder_digest(data_dir) == data_before
    figure(record_property, "disk full: rung frameworks export over an existing file", line)


@pytest.mark.slow
def test_a_report_that_meets_a_full_disk_keeps_the_old_file(
    data_dir: Path, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    seed(data_dir)
    out = tmp_path / "out"
    out.mkdir()
    report = ["report", "--profile", "Zoë", "--include-private"]
    whole = run_limited("cli", "--data-dir", data_dir, *report, "--out", out / "whole.pdf")
    assert whole.returncode == 0, whole.stderr
    size = (out / "whole.pdf").stat().st_size
    (out / "whole.pdf").unlink()
    old = b"%PDF-1.4 last week's report"
    (out / "report.pdf").write_bytes(old)
    data_before = folder_digest(data_dir)
    limit = (32 * 1024 + size) // 2  # room for the -shm, not for the report
    assert 32 * 1024 < limit < size - 1024

    result = run_limited(
        "cli", "--data-dir", data_dir, *report, "--out", "report.pdf", fsize=limit, cwd=out
    )
    line = assert_one_clear_sentence(result, "report.pdf", "disk space", "previous file was kept")
    assert [p.name for p in out.iterdir()] == ["report.pdf"]  # no temporary file left
    assert (out / "report.pdf").read_bytes() == old
    assert folder_digest(data_dir) == data_before
    figure(record_property, "disk full: rung report over last week's report", line)


class _FailingFile:
    """A file whose `write` stores half the data and then fails, as on a disk filling up."""

    def __init__(self, real: IO[bytes], code: int) -> None:
        self._real, self._code = real, code

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._real.close()

    def write(self, data: bytes) -> int:
        self._real.write(data[: len(data) // 2])
        self._real.flush()
        raise OSError(self._code, os.strerror(self._code))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


@pytest.mark.parametrize(
    ("where", "code", "fragment"),
    [
        ("write", errno.ENOSPC, "not enough disk space"),
        ("write", errno.EFBIG, "not enough disk space"),
        ("write", errno.EDQUOT, "not enough disk space"),
        ("write", errno.EIO, "disk I/O error"),
        ("fsync", errno.EIO, "disk I/O error"),
        ("fsync", errno.ENOSPC, "not enough disk space"),
        ("replace", errno.EIO, "disk I/O error"),
    ],
)
@pytest.mark.parametrize("existed", [True, False], ids=["over-a-file", "new-file"])
def test_atomic_write_that_fails_says_why_and_keeps_the_old_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    code: int,
    fragment: str,
    existed: bool,
) -> None:
    target = tmp_path / "report.pdf"
    if existed:
        target.write_bytes(b"the old report")
    if where == "write":
        real_fdopen = os.fdopen

        def failing_fdopen(fd: int, mode: str) -> _FailingFile:
            assert mode == "wb"
            return _FailingFile(real_fdopen(fd, "wb"), code)

        monkeypatch.setattr(os, "fdopen", failing_fdopen)
    else:

        def fail(*_args: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, where, fail)

    with pytest.raises(RungError) as raised:
        atomic_write(target, b"the new report" * 1000, data_dir=tmp_path / "data")
    message = str(raised.value)
    assert fragment in message
    assert str(target) in message
    assert ("previous file was kept" if existed else "nothing was written") in message
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == (["report.pdf"] if existed else [])
    if existed:
        assert target.read_bytes() == b"the old report"


def test_a_backup_that_meets_an_io_error_leaves_no_partial_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    before = folder_digest(data_dir)

    def fail(_fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fail)
    target = data_dir / FOLDER / "rung-20250101T000000000000Z-manual.sqlite3"
    with pytest.raises(DatabaseError) as raised:
        copy_database(data_dir / DATABASE_NAME, target)
    monkeypatch.undo()
    assert target.name in str(raised.value)
    assert folder_digest(data_dir) == before


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        (13, "not enough disk space"),  # SQLITE_FULL
        (778, "disk I/O error"),  # SQLITE_IOERR_WRITE
        (1290, "disk I/O error"),  # SQLITE_IOERR_FSYNC
    ],
)
def test_a_save_that_the_disk_refuses_raises_a_clear_error(
    services: Services, code: int, fragment: str
) -> None:
    """SQLite's error codes for a full or failing disk, injected where the save executes."""
    seeded_profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    draft = services.checkins.start_draft(seeded_profile.id)
    skill = services.frameworks.load("ml-engineer").skills[0].id

    def refuse(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
            error = sqlite3.OperationalError(
                "database or disk is full" if code == 13 else "disk I/O error"
            )
            error.sqlite_errorcode = code
            raise error

    event.listen(services.store.engine, "before_cursor_execute", refuse)
    try:
        with pytest.raises(DatabaseError) as raised:
            services.checkins.set_rating(draft.id, skill, 3, note="lost to a full disk")
    finally:
        event.remove(services.store.engine, "before_cursor_execute", refuse)
    message = str(raised.value)
    assert fragment in message
    assert str(services.store.path) in message
    assert "not saved" in message
    assert "\n" not in message
    services.checkins.set_rating(draft.id, skill, 2, note="saved")
    assert services.checkins.detail(draft.id).ratings[skill].note == "saved"


def test_other_database_errors_are_not_disguised_as_a_full_disk(services: Services) -> None:
    """A second draft breaks a constraint: that is a bug to report, not a disk to blame."""
    profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    services.checkins.start_draft(profile.id)
    with pytest.raises(IntegrityError), services.store.session() as session:
        session.add(CheckIn(profile_id=profile.id, date=profile.role_start, status="draft"))


# -- 3. owner-only files -----------------------------------------------------------


def modes_of(paths: dict[str, str]) -> dict[str, int]:
    return {path: int(mode, 8) for path, mode in paths.items()}


@pytest.mark.slow
def test_everything_rung_creates_is_owner_only_even_with_umask_0(tmp_path: Path) -> None:
    """With umask 0 every bit Rung does not withhold would show."""
    data_dir, exports = tmp_path / "data", tmp_path / "exports"
    result = run_limited("modes", data_dir, exports, umask=0)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    while_open = modes_of(seen["open"])
    names = {Path(p).relative_to(tmp_path).as_posix(): m for p, m in while_open.items()}
    for name in ("data/rung.sqlite3", "data/rung.sqlite3-wal", "data/rung.sqlite3-shm"):
        assert names.get(name) == 0o600, (name, names)
    assert names["data"] == 0o700
    assert names["data/backups"] == 0o700
    backups = [n for n in names if n.startswith("data/backups/")]
    assert backups
    for name in backups:
        assert names[name] == 0o600, name
    assert names["exports/ladder.yaml"] == 0o600
    assert names["exports/written.bin"] == 0o600
    for path, mode in modes_of(seen["closed"]).items():
        if Path(path) != exports:  # the test made that folder, not Rung
            assert mode in {0o600, 0o700}, (path, oct(mode))


@pytest.mark.slow
def test_cli_created_files_are_owner_only_even_with_umask_0(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    created = run_limited(
        "cli",
        "--data-dir",
        data_dir,
        "profiles",
        "create",
        "--name",
        "Zoë",
        "--framework",
        "ml-engineer",
        "--level",
        "junior-ml-engineer",
        "--target",
        "ml-engineer",
        umask=0,
    )
    assert created.returncode == 0, created.stderr
    assert run_limited("cli", "--data-dir", data_dir, "backup", "create", umask=0).returncode == 0
    out = tmp_path / "ladder.json"
    out.write_text("{}", encoding="utf-8")
    os.chmod(out, 0o666)  # an existing file anyone could read is replaced by a private one
    exported = run_limited(
        "cli", "--data-dir", data_dir, "frameworks", "export", "ml-engineer", out, umask=0
    )
    assert exported.returncode == 0, exported.stderr
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / DATABASE_NAME).stat().st_mode) == 0o600
    assert stat.S_IMODE((data_dir / FOLDER).stat().st_mode) == 0o700
    [backup] = list((data_dir / FOLDER).iterdir())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("existing_mode", [None, 0o644, 0o666])
def test_atomic_write_output_is_owner_only(tmp_path: Path, existing_mode: int | None) -> None:
    target = tmp_path / "out.bin"
    if existing_mode is not None:
        target.write_bytes(b"old")
        os.chmod(target, existing_mode)
    atomic_write(target, b"new", data_dir=tmp_path / "data")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"
