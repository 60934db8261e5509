"""Backups: made with the SQLite backup API, listed, restored, pruned; all on real files.

Everything runs through `app.cli.main` (or `Backups` itself for the retention
rule) on real SQLite files in a fresh data folder.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from app.paths import DATABASE_NAME
from app.services import open_services
from app.store.backup import Backups
from tests.conftest import folder_digest
from tests.helpers import (
    Run,
    assert_failed,
    assert_ok,
    builtin_text,
    create_profile,
    mark_as_newer,
    tree,
    with_version,
)


def names(rung: Run, data: Path) -> list[str]:
    """Profile names in the database, through the CLI."""
    result = rung("--data-dir", data, "profiles", "list", "--json")
    assert_ok(result)
    return sorted(p["name"] for p in result.json())


def backups(data: Path) -> list[str]:
    return sorted(p.name for p in (data / "backups").glob("rung-*.sqlite3"))


def by_reason(data: Path, reason: str) -> list[str]:
    return [name for name in backups(data) if name.endswith(f"-{reason}.sqlite3")]


def profiles_in(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return sorted(row[0] for row in conn.execute("SELECT name FROM profiles"))


def make_backup(rung: Run, data: Path) -> Path:
    result = rung("--data-dir", data, "backup", "create")
    assert_ok(result)
    assert result.out.startswith("Backed up to ")
    path = Path(result.out.removeprefix("Backed up to ").strip().removesuffix("."))
    assert path.is_file()
    return path


# -- create and list -----------------------------------------------------------


def test_backup_create_list_and_json(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    assert backups(data) == []  # the first change of the day found no profile to keep
    path = make_backup(rung, data)
    assert path.parent == data / "backups"
    assert path.name.startswith("rung-")
    assert path.name.endswith("-manual.sqlite3")
    assert profiles_in(path) == ["Ada"]
    with contextlib.closing(sqlite3.connect(path)) as conn:  # one self-contained file
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    listed = rung("--data-dir", data, "backup", "list")
    assert_ok(listed)
    (line,) = listed.out.splitlines()
    assert line.startswith(path.name)
    assert line.endswith("manual")

    records = rung("--data-dir", data, "backup", "list", "--json").json()
    assert [(r["name"], r["reason"], r["size"]) for r in records] == [
        (path.name, "manual", path.stat().st_size)
    ]
    created = datetime.strptime(records[0]["created"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)


def test_backup_list_is_newest_first_and_empty_says_so(rung: Run, data: Path) -> None:
    listed = rung("--data-dir", data, "backup", "list")
    assert_ok(listed)
    assert listed.out == "No backups yet.\n"
    assert rung("--data-dir", data, "backup", "list", "--json").json() == []
    assert not data.exists()
    create_profile(rung, data, "Ada")
    first, second = make_backup(rung, data), make_backup(rung, data)
    records = rung("--data-dir", data, "backup", "list", "--json").json()
    assert [r["name"] for r in records] == [second.name, first.name]


def test_backup_create_without_a_database_changes_nothing(rung: Run, data: Path) -> None:
    assert_failed(rung("--data-dir", data, "backup", "create"), 1, "no database")
    assert not data.exists()


def test_backups_and_the_database_are_owner_only(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    create_profile(rung, data, "Bob")  # the day's first change with a profile: a daily backup
    path = make_backup(rung, data)
    folder = data / "backups"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert len(backups(data)) == 2
    for backup in folder.iterdir():
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600, backup
    services = open_services(data)  # while it is open, the -wal and -shm exist
    try:
        services.profiles.create(
            name="Carol", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
        )
        wal = data / f"{DATABASE_NAME}-wal"
        assert wal.is_file()
        assert wal.stat().st_size > 0
        for name in (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm"):
            assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    finally:
        services.close()
    assert_ok(rung("--data-dir", data, "backup", "restore", path.name))
    assert stat.S_IMODE((data / DATABASE_NAME).stat().st_mode) == 0o600
    for backup in folder.iterdir():
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600, backup


# -- restore -------------------------------------------------------------------


def test_restore_by_name_backs_up_first_and_that_undoes_it(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    manual = make_backup(rung, data)
    create_profile(rung, data, "Bob")
    assert names(rung, data) == ["Ada", "Bob"]

    result = rung("--data-dir", data, "backup", "restore", manual.name)
    assert_ok(result)
    assert names(rung, data) == ["Ada"]
    (before,) = by_reason(data, "before-restore")
    assert result.out == (
        f"Restored the database from {manual.name}. The state it replaced was saved as "
        f"{before}; restore that to undo this.\n"
    )
    assert profiles_in(data / "backups" / before) == ["Ada", "Bob"]
    assert manual.is_file()  # the restored backup is kept

    undo = rung("--data-dir", data, "backup", "restore", before)
    assert_ok(undo)
    assert names(rung, data) == ["Ada", "Bob"]
    assert len(by_reason(data, "before-restore")) == 2


def test_restore_a_database_from_another_data_folder(rung: Run, data: Path, tmp_path: Path) -> None:
    """Moving to a new computer: restore the old computer's database file by its path."""
    old = tmp_path / "old-computer"
    create_profile(rung, old, "Moved over")
    create_profile(rung, old, "Also moved")
    before_old = folder_digest(old)

    result = rung("--data-dir", data, "backup", "restore", old / DATABASE_NAME)
    assert_ok(result)
    assert result.out == f"Restored the database from {old / DATABASE_NAME}.\n"  # nothing to undo
    assert names(rung, data) == ["Also moved", "Moved over"]
    assert stat.S_IMODE((data / DATABASE_NAME).stat().st_mode) == 0o600
    assert folder_digest(old) == before_old  # the source is only read
    assert not list(data.glob(".rung-restore-*"))  # the private working copy is gone

    create_profile(rung, data, "New here")
    again = rung("--data-dir", data, "backup", "restore", old / DATABASE_NAME)
    assert_ok(again)
    assert "restore that to undo this" in again.out
    (before,) = by_reason(data, "before-restore")
    assert profiles_in(data / "backups" / before) == ["Also moved", "Moved over", "New here"]


def test_restore_an_older_backup_when_many_event_backups_exist(rung: Run, data: Path) -> None:
    """Backing up before the restore prunes old backups: never the one being restored."""
    create_profile(rung, data, "Ada")
    source = make_backup(rung, data)
    oldest = data / "backups" / "rung-20250101T000000000000Z-before-import.sqlite3"
    shutil.copyfile(source, oldest)
    for day in range(2, 11):  # ten event backups in all: a new one pushes the oldest out
        name = f"rung-202501{day:02d}T000000000000Z-before-import.sqlite3"
        shutil.copyfile(source, oldest.with_name(name))
    create_profile(rung, data, "Bob")
    assert_ok(rung("--data-dir", data, "backup", "restore", oldest.name))
    assert names(rung, data) == ["Ada"]
    assert not oldest.exists()  # pruned afterwards, as the retention rule says


def _newer(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    mark_as_newer(target)
    return target


def _truncated(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes()[:4096])
    return target


def _not_rung(_source: Path, target: Path) -> Path:
    with contextlib.closing(sqlite3.connect(target)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
    return target


@pytest.mark.parametrize(
    ("make", "where", "fragment"),
    [
        (_truncated, "backups", "rung-20250101T000000000000Z-manual.sqlite3"),
        (_truncated, "outside", "copy.sqlite3"),
        (lambda _s, t: t.write_bytes(b"") or t, "outside", "not an SQLite database"),
        (lambda _s, t: t.write_bytes(b"junk\n" * 900) or t, "outside", "not an SQLite database"),
        (_newer, "outside", "newer version of Rung"),
        (_newer, "backups", "newer version of Rung"),
        (_not_rung, "outside", "not a readable Rung database"),
    ],
    ids=[
        "truncated backup",
        "truncated file",
        "empty file",
        "garbage",
        "newer file",
        "newer backup",
        "other SQLite",
    ],
)
def test_restore_refuses_a_bad_source_and_changes_nothing(
    rung: Run, data: Path, tmp_path: Path, make: object, where: str, fragment: str
) -> None:
    create_profile(rung, data, "Ada")
    good = make_backup(rung, data)
    create_profile(rung, data, "Bob")
    if where == "backups":
        target = data / "backups" / "rung-20250101T000000000000Z-manual.sqlite3"
    else:
        target = tmp_path / "copy.sqlite3"
    assert callable(make)
    make(good, target)
    before, before_tree = folder_digest(data), tree(data)

    argument = target.name if where == "backups" else str(target)
    result = rung("--data-dir", data, "backup", "restore", argument)

    assert_failed(result, 1, fragment)
    assert "Nothing was restored" in result.err
    assert folder_digest(data) == before
    assert tree(data) == before_tree
    assert names(rung, data) == ["Ada", "Bob"]


def test_restore_refuses_the_live_database_itself(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    make_backup(rung, data)
    before, before_tree = folder_digest(data), tree(data)
    result = rung("--data-dir", data, "backup", "restore", data / DATABASE_NAME)
    assert_failed(result, 1, "the database itself")
    assert folder_digest(data) == before
    assert tree(data) == before_tree


def test_restore_of_an_unknown_name_lists_the_backups(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    path = make_backup(rung, data)
    before = folder_digest(data)
    result = rung("--data-dir", data, "backup", "restore", "rung-nope.sqlite3")
    assert_failed(result, 1, path.name)
    assert folder_digest(data) == before


def test_a_refused_restore_into_a_missing_folder_leaves_no_folder(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"junk" * 100)
    nested = data / "deeper"
    assert_failed(rung("--data-dir", nested, "backup", "restore", bad), 1, "bad.sqlite3")
    assert not data.exists()


# -- the daily backup -------------------------------------------------------------


def test_the_first_change_of_a_day_makes_one_daily_backup(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    assert backups(data) == []  # nothing worth keeping yet: the database held no profile
    create_profile(rung, data, "Bob")
    (daily,) = by_reason(data, "daily")
    assert backups(data) == [daily]
    assert profiles_in(data / "backups" / daily) == ["Ada"]  # the state before the change
    create_profile(rung, data, "Carol")
    assert_ok(rung("--data-dir", data, "demo", "--years", "1"))
    assert backups(data) == [daily]


def test_a_new_day_gets_its_own_daily_backup(rung: Run, data: Path) -> None:
    create_profile(rung, data, "Ada")
    source = make_backup(rung, data)
    yesterday = datetime.now(UTC) - timedelta(days=1, hours=1)
    old = data / "backups" / f"rung-{yesterday:%Y%m%dT%H%M%S%f}Z-daily.sqlite3"
    shutil.copyfile(source, old)
    create_profile(rung, data, "Bob")
    assert len(by_reason(data, "daily")) == 2
    assert old.is_file()


READ_ONLY = [
    ["profiles", "list"],
    ["profiles", "list", "--json"],
    ["checkins", "list", "--profile", "Ada"],
    ["checkins", "list", "--profile", "Ada", "--json"],
    ["frameworks", "list"],
    ["frameworks", "show", "ml-engineer"],
    ["check"],
    ["backup", "list"],
]


@pytest.mark.parametrize("args", READ_ONLY, ids=" ".join)
def test_read_only_commands_make_no_backup(rung: Run, data: Path, args: list[str]) -> None:
    create_profile(rung, data, "Ada")
    before, before_tree = folder_digest(data), tree(data)
    result = rung("--data-dir", data, *args)
    assert result.code == 0, result
    assert not (data / "backups").exists()
    assert folder_digest(data) == before
    assert tree(data) == before_tree


# -- importing a framework ------------------------------------------------------------


def test_import_backs_up_only_when_something_new_is_stored(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    create_profile(rung, data, "Ada")
    newer = tmp_path / "ladder-1.9.yaml"
    newer.write_text(with_version(builtin_text(), "1.9"), encoding="utf-8")

    assert_ok(rung("--data-dir", data, "frameworks", "import", newer))
    (before_import,) = by_reason(data, "before-import")
    with contextlib.closing(sqlite3.connect(data / "backups" / before_import)) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM frameworks ORDER BY 1")]
    assert versions == ["1.0", "1.0", "1.1"]  # the built-ins only: the state before the import
    count = len(backups(data))

    again = rung("--data-dir", data, "frameworks", "import", newer)
    assert_ok(again)
    assert "nothing changed" in again.out
    assert len(backups(data)) == count

    conflict = tmp_path / "conflict.yaml"
    conflict.write_text(
        with_version(builtin_text(), "1.9").replace(
            'name: "ML Engineer ladder"', 'name: "ML Engineer ladder, edited"'
        ),
        encoding="utf-8",
    )
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "frameworks", "import", conflict), 1, "bump the version")
    assert folder_digest(data) == before
    assert len(by_reason(data, "before-import")) == 1


def test_import_into_a_new_folder_needs_no_backup(rung: Run, data: Path, tmp_path: Path) -> None:
    newer = tmp_path / "ladder-1.9.yaml"
    newer.write_text(with_version(builtin_text(), "1.9"), encoding="utf-8")
    assert_ok(rung("--data-dir", data, "frameworks", "import", newer))
    assert backups(data) == []


def test_an_invalid_import_makes_no_backup(rung: Run, data: Path, tmp_path: Path) -> None:
    create_profile(rung, data, "Ada")
    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(builtin_text().replace("levels:", "levelz:", 1), encoding="utf-8")
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "frameworks", "import", invalid), 1, "invalid.yaml")
    assert folder_digest(data) == before


# -- retention ---------------------------------------------------------------------


def _fake(template: Path, folder: Path, day: date, reason: str) -> Path:
    """A copy of a real backup, named as if made at noon UTC on `day` (that date in any zone)."""
    path = folder / f"rung-{day:%Y%m%d}T120000000000Z-{reason}.sqlite3"
    shutil.copyfile(template, path)
    return path


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def test_prune_keeps_7_daily_4_weekly_12_monthly_the_manual_and_10_event_backups(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    create_profile(rung, data, "Ada")
    made = make_backup(rung, data)
    template = tmp_path / "template.sqlite3"
    made.rename(template)
    folder = made.parent
    first, last = date(2025, 1, 1), date(2026, 3, 31)
    assert last.isocalendar()[1:] == (14, 2)  # a Tuesday in ISO week 14
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days:
        _fake(template, folder, day, "daily")
    manual = [_fake(template, folder, d, "manual") for d in (date(2024, 6, 1), date(2026, 2, 3))]
    events = [_fake(template, folder, date(2026, 1, d), "before-import") for d in range(1, 13)]

    removed = Backups(data, data / DATABASE_NAME).prune()

    kept = sorted(
        datetime.strptime(p.name[5:13], "%Y%m%d").date() for p in folder.glob("*-daily.sqlite3")
    )
    expected = sorted(
        [date(2026, 3, d) for d in range(25, 32)]  # 7 days (and ISO weeks 13 and 14)
        + [date(2026, 3, 22), date(2026, 3, 15)]  # the newest of ISO weeks 12 and 11
        + [_month_end(2026, 2), _month_end(2026, 1)]  # 12 months (March above): each one's newest
        + [_month_end(2025, m) for m in range(4, 13)]
    )
    assert kept == expected
    assert all(p.is_file() for p in manual)  # kept until the user deletes them
    assert [p.is_file() for p in events] == [False, False] + [True] * 10
    assert len(removed) == len(days) - len(expected) + 2
    assert Backups(data, data / DATABASE_NAME).prune() == []  # applying it again drops nothing
