"""Opening checks the database: damaged files are set aside whole, newer ones left alone.

And `rung check` runs the full integrity and foreign-key checks. All on real
files: truncated copies of a real database, garbage, zero bytes, scrambled
pages, an orphan row.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.errors import DamagedDatabaseError, NewerDatabaseError
from app.paths import DATABASE_NAME
from app.services import open_services
from app.store.db import open_store
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, create_profile, mark_as_newer, tree


def real_database(rung: Run, data: Path, *names: str) -> Path:
    """A database written by Rung, holding profiles; closed, so it is one whole file."""
    for name in names or ("Ada",):
        create_profile(rung, data, name)
    return data / DATABASE_NAME


def truncated(content: bytes) -> bytes:
    return content[:4096]


def garbage(_content: bytes) -> bytes:
    return b"this is not a database, just text\n" * 200


def zero_bytes(_content: bytes) -> bytes:
    return b""


def scrambled(content: bytes) -> bytes:
    """The header and first page intact, every later page overwritten."""
    return content[:4096] + bytes((i * 131 + 7) % 256 for i in range(len(content) - 4096))


DAMAGE: list[Callable[[bytes], bytes]] = [truncated, garbage, zero_bytes, scrambled]


def set_aside(data: Path) -> list[Path]:
    """The set-aside database files (without the -wal/-shm moved along with them)."""
    found = data.glob(f"{DATABASE_NAME}.corrupt-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm")))


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_a_damaged_database_is_set_aside_whole_and_the_next_open_is_fresh(
    rung: Run, data: Path, damage: Callable[[bytes], bytes]
) -> None:
    database = real_database(rung, data)
    content = damage(database.read_bytes())
    database.write_bytes(content)

    with pytest.raises(DamagedDatabaseError) as raised:
        open_store(data)

    moved = raised.value.moved_to
    assert moved is not None
    assert moved.parent == data
    assert moved.name.startswith(f"{DATABASE_NAME}.corrupt-")
    assert moved.read_bytes() == content  # never overwritten, never deleted
    assert not database.exists()
    message = str(raised.value)
    assert moved.name in message
    assert "no backup to restore" in message
    assert "\n" not in message

    services = open_services(data)  # the next start: a fresh, empty database
    try:
        assert services.profiles.all() == []
        assert services.store.integrity_problems() == []
    finally:
        services.close()
    assert moved.read_bytes() == content


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_the_message_offers_the_newest_good_backup(
    rung: Run, data: Path, damage: Callable[[bytes], bytes]
) -> None:
    database = real_database(rung, data, "Ada", "Bob")  # Bob's creation made a daily backup
    (good,) = (data / "backups").glob("rung-*-daily.sqlite3")
    newest_but_bad = data / "backups" / "rung-29991231T000000000000Z-manual.sqlite3"
    newest_but_bad.write_bytes(truncated(good.read_bytes()))
    database.write_bytes(damage(database.read_bytes()))

    with pytest.raises(DamagedDatabaseError) as raised:
        open_store(data)

    message = str(raised.value)
    assert f"rung backup restore {good.name}" in message
    assert newest_but_bad.name not in message


@pytest.mark.parametrize("damage", DAMAGE, ids=lambda f: f.__name__)
def test_the_cli_says_so_in_one_sentence_and_restoring_the_offer_works(
    rung: Run, data: Path, damage: Callable[[bytes], bytes]
) -> None:
    database = real_database(rung, data, "Ada", "Bob")
    (good,) = (data / "backups").glob("rung-*-daily.sqlite3")
    content = damage(database.read_bytes())
    database.write_bytes(content)

    result = rung("--data-dir", data, "profiles", "list")

    (moved,) = set_aside(data)
    assert_failed(result, 1, moved.name)
    assert f"rung backup restore {good.name}" in result.err
    assert moved.read_bytes() == content
    restored = rung("--data-dir", data, "backup", "restore", good.name)
    assert restored.code == 0, restored
    listed = rung("--data-dir", data, "profiles", "list", "--json")
    assert [p["name"] for p in listed.json()] == ["Ada"]
    assert moved.read_bytes() == content


def test_a_newer_database_is_refused_in_place(rung: Run, data: Path) -> None:
    database = real_database(rung, data)
    mark_as_newer(database)
    content = database.read_bytes()

    with pytest.raises(NewerDatabaseError, match="newer version of Rung"):
        open_store(data)
    assert database.read_bytes() == content
    assert set_aside(data) == []

    result = rung("--data-dir", data, "profiles", "create", "--name", "X", "--framework", "x")
    assert result.code == 2  # a usage error is reported before the database is touched
    for args in (["profiles", "list"], ["check"], ["demo", "--years", "1"]):
        assert_failed(rung("--data-dir", data, *args), 1, "newer version of Rung")
        assert database.read_bytes() == content
        assert set_aside(data) == []
    assert not (data / "backups").exists()


def test_a_newer_database_is_refused_with_the_folder_unchanged(rung: Run, data: Path) -> None:
    database = real_database(rung, data)
    mark_as_newer(database)
    before = tree(data)
    assert_failed(rung("--data-dir", data, "profiles", "list"), 1, "newer version of Rung")
    assert tree(data) == before


# -- rung check -------------------------------------------------------------------


def test_check_on_a_healthy_database(rung: Run, data: Path) -> None:
    real_database(rung, data)
    before = folder_digest(data)
    result = rung("--data-dir", data, "check")
    assert result.code == 0, result
    first, *notes = result.out.splitlines()
    assert first == f"The database {data / DATABASE_NAME} passed the full integrity check."
    assert all(line.startswith("Note: SQLite ") for line in notes)
    assert all(line.startswith("rung: warning: ") for line in result.err.splitlines())
    assert folder_digest(data) == before


def test_check_without_a_database(rung: Run, data: Path) -> None:
    assert_failed(rung("--data-dir", data, "check"), 1, "no database")
    assert not data.exists()


def test_check_reports_a_foreign_key_violation(rung: Run, data: Path) -> None:
    database = real_database(rung, data)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(
            "INSERT INTO profile_stages (id, profile_id, effective_from, framework_id, "
            "framework_version, level, target_level, updated_at) VALUES ('orphan-stage', "
            "'no-such-profile', '2026-01-01', 'ml-engineer', '1.0', 'junior-ml-engineer', "
            "'ml-engineer', '2026-01-01 00:00:00')"
        )
        conn.commit()
    before, before_tree = folder_digest(data), tree(data)

    result = rung("--data-dir", data, "check")

    assert_failed(result, 1, "profile_stages points to a missing profiles")
    assert folder_digest(data) == before  # reported, not "repaired" nor set aside
    assert tree(data) == before_tree


def test_check_sets_a_damaged_database_aside(rung: Run, data: Path) -> None:
    database = real_database(rung, data)
    content = truncated(database.read_bytes())
    database.write_bytes(content)
    result = rung("--data-dir", data, "check")
    (moved,) = set_aside(data)
    assert_failed(result, 1, moved.name)
    assert moved.read_bytes() == content


def test_a_database_restored_from_a_copy_keeps_working(rung: Run, data: Path) -> None:
    """A backup copied back by hand (e.g. from another disk) opens like any database."""
    real_database(rung, data, "Ada", "Bob")
    (daily,) = (data / "backups").glob("rung-*-daily.sqlite3")
    other = data.parent / "other"
    other.mkdir()
    shutil.copyfile(daily, other / DATABASE_NAME)
    result = rung("--data-dir", other, "profiles", "list", "--json")
    assert result.code == 0, result
    assert [p["name"] for p in result.json()] == ["Ada"]
