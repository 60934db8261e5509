"""Busy is not broken: a database another program holds is waited for, then refused, never moved.

Real processes hold real SQLite locks on a real data folder: an exclusive
lock (`locking_mode=EXCLUSIVE`, as some tools take), a long write, and a
long read. Several `rung` processes start together on a fresh folder, prune
backups together, and a demo is killed half-way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.paths import DATABASE_NAME
from app.services import open_services
from app.store.backup import DAILY, Backups
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok, create_profile, every_row

ROOT = Path(__file__).resolve().parent.parent
IN_USE = "is in use by another program; nothing was changed"

HOLD = {
    "exclusive": "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; SELECT count(*) FROM profiles;",
    "writing": "BEGIN IMMEDIATE; UPDATE profiles SET name = name;",
    "reading": "BEGIN; SELECT count(*) FROM profiles;",
}


@contextlib.contextmanager
def held(database: Path, how: str) -> Iterator[None]:
    """Another program holds `database` (`how`: a key of HOLD) until the block ends."""
    script = (
        "import sqlite3, sys\n"
        f"conn = sqlite3.connect({str(database)!r}, isolation_level=None)\n"
        f"for statement in {HOLD[how]!r}.split(';'):\n"
        "    statement.strip() and conn.execute(statement).fetchall()\n"
        "print('HELD', flush=True)\n"
        "sys.stdin.read()\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline() == "HELD\n"
            yield
        finally:
            holder.kill()


@pytest.fixture
def data(tmp_path: Path, rung: Run) -> Path:
    folder = tmp_path / "data"
    create_profile(rung, folder, "Ada")
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["profiles", "list"],
        ["checkins", "list", "--profile", "Ada"],
        ["check"],
        [
            "profiles",
            "create",
            "--name",
            "Bob",
            "--framework",
            "ml-engineer",
            "--level",
            "junior-ml-engineer",
            "--target",
            "ml-engineer",
        ],
        ["backup", "create"],
        ["erase", "--all", "--yes"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_an_exclusively_held_database_is_refused_never_moved_aside(
    rung: Run, data: Path, args: list[str]
) -> None:
    database = data / DATABASE_NAME
    before = every_row(database)
    digest = {k: v for k, v in folder_digest(data).items() if not k.endswith(("-wal", "-shm"))}
    with held(database, "exclusive"):
        result = rung("--data-dir", data, *args)
    assert_failed(result, 1, str(data))
    assert "in use by another program" in result.err
    assert not list(data.glob("*.corrupt-*"))
    assert every_row(database) == before
    after = {k: v for k, v in folder_digest(data).items() if not k.endswith(("-wal", "-shm"))}
    assert after == digest


def test_a_long_write_by_another_program_refuses_a_write_and_lets_reads_through(
    rung: Run, data: Path
) -> None:
    database = data / DATABASE_NAME
    with held(database, "writing"):
        assert_ok(rung("--data-dir", data, "profiles", "list"))
        result = rung("--data-dir", data, *["profiles", "create", "--name", "Bob"],
                      *["--framework", "ml-engineer", "--level", "junior-ml-engineer"],
                      *["--target", "ml-engineer"])  # fmt: skip
    assert_failed(result, 1, IN_USE)
    assert [p["name"] for p in rung("--data-dir", data, "profiles", "list", "--json").json()] == [
        "Ada"
    ]
    assert not list(data.glob("*.corrupt-*"))
    assert Backups(data, database).all() == []  # the day's first backup went with the change


def test_an_import_that_fails_leaves_no_backup_behind(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    create_profile(rung, other, "Bob")
    bundle = tmp_path / "bob.rung"
    assert_ok(rung("--data-dir", other, "bundle", "export", "--profile", "Bob", "--out", bundle))
    database = data / DATABASE_NAME
    before = every_row(database)
    with held(database, "writing"):
        result = rung("--data-dir", data, "bundle", "import", bundle)
    assert_failed(result, 1, IN_USE)
    assert every_row(database) == before
    assert Backups(data, database).all() == []


def test_the_app_opening_a_held_database_says_so_and_moves_nothing(
    data: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui import app as ui_app
    from ui import dialogs

    shown: list[str] = []
    monkeypatch.setattr(dialogs, "error", lambda _parent, _title, text: shown.append(text))
    with held(data / DATABASE_NAME, "exclusive"):
        assert ui_app.open_or_recover(data) is None
    assert len(shown) == 1
    assert IN_USE in shown[0]
    assert not list(data.glob("*.corrupt-*"))


def test_erase_while_another_program_reads_erases_nothing_and_says_so(
    rung: Run, data: Path
) -> None:
    database = data / DATABASE_NAME
    before = every_row(database)
    with held(database, "reading"):
        result = rung("--data-dir", data, "erase", "--all", "--yes")
    assert_failed(result, 1, "nothing was erased")
    assert every_row(database) == before  # nothing half-erased
    assert_ok(rung("--data-dir", data, "erase", "--all", "--yes"))
    assert b"Ada" not in database.read_bytes()


def test_restore_onto_a_held_database_gives_up_and_changes_nothing(rung: Run, data: Path) -> None:
    assert_ok(rung("--data-dir", data, "backup", "create"))
    (backup,) = Backups(data, data / DATABASE_NAME).all()
    create_profile(rung, data, "Bob")
    database = data / DATABASE_NAME
    before = every_row(database)
    backups_before = {b.name for b in Backups(data, database).all()}
    started = time.monotonic()
    with held(database, "writing"):
        result = rung("--data-dir", data, "backup", "restore", backup.name)
    assert time.monotonic() - started < 60  # bounded, not for ever
    assert_failed(result, 1, "in use by another program")
    assert every_row(database) == before
    assert {b.name for b in Backups(data, database).all()} == backups_before


# -- several processes at once -------------------------------------------------------------


def _rung_processes(
    data: Path, commands: list[list[str]]
) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once (each its own process) and wait for all of them."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "--data-dir", str(data), *command],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    results = []
    for process, command in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return results


@pytest.mark.slow
def test_first_use_by_several_processes_at_once_makes_one_database(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    commands = [["profiles", "list"], ["frameworks", "list"], ["demo", "--years", "1"]] * 2
    results = _rung_processes(data, commands)
    assert [(r.returncode, r.stderr) for r in results] == [(0, "")] * len(commands)
    assert not list(data.glob("*.corrupt-*"))
    with contextlib.closing(open_services(data)) as services:
        assert len(services.profiles.all()) == 2
        assert services.store.integrity_problems() == []


def _daily_backups(data: Path) -> list[str]:
    """Ten daily backups in a row, each pruning the others' (one per day is kept)."""
    errors = []
    for _ in range(10):
        try:
            Backups(data, data / DATABASE_NAME).create(DAILY)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    return errors


@pytest.mark.slow
def test_six_processes_backing_up_and_pruning_at_once_all_succeed(data: Path) -> None:
    """Before, one process pruned a backup another had just written: "AssertionError"."""
    with multiprocessing.get_context("fork").Pool(6) as pool:
        errors = [e for found in pool.map(_daily_backups, [data] * 6) for e in found]
    assert errors == []
    backups = Backups(data, data / DATABASE_NAME).all()
    assert [b.reason for b in backups] == [DAILY]  # the day's newest, kept by every prune


@pytest.mark.slow
def test_a_demo_killed_half_way_leaves_no_half_made_profile(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with contextlib.closing(open_services(data)):  # the folder exists: the kill hits the demo
        pass
    for delay in (0.3, 0.6, 0.9, 1.2):
        demo = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app",
                "--data-dir",
                str(data),
                "demo",
                "--years",
                "10",
                "--weekly",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(demo.pid, signal.SIGKILL)
        demo.wait()
    with contextlib.closing(sqlite3.connect(data / DATABASE_NAME)) as conn:
        counts = conn.execute(
            "SELECT p.id, count(c.id) FROM profiles p LEFT JOIN checkins c ON c.profile_id = p.id "
            "GROUP BY p.id"
        ).fetchall()
    assert all(checkins >= 500 for _profile, checkins in counts)  # whole demos only
