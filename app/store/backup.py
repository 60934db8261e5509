"""Backups in the data folder's `backups/`: made with the SQLite backup API, pruned by age.

Automatic backups are taken on the first change of each day and before any
risky step (a migration, an import, a restore); a retention policy keeps 7
daily, 4 weekly and 12 monthly ones. Each backup is written to a temporary
file, synced and renamed, and switched to rollback-journal mode so that it is
one self-contained file.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.errors import (
    BusyDatabaseError,
    DamagedDatabaseError,
    DatabaseError,
    NewerDatabaseError,
    NotFoundError,
)
from app.files import create_private_file, make_private_dir, timestamp
from app.store.lock import folder_lock, in_use
from app.store.revisions import KNOWN_REVISIONS, SQLITE_HEADER
from app.store.sqlite import (
    BUSY_TIMEOUT_S,
    SQLITE_BUSY,
    SQLITE_LOCKED,
    error_code,
    is_busy,
    write_error,
)

FOLDER = "backups"
DAILY = "daily"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_EVENTS = 10  # before-migration / -import / -restore copies
BEFORE_MIGRATION = "before-migration-from-"
MANUAL = "manual"
# `reason` may hold digits: `before-migration-from-0001`.
_NAME = re.compile(r"^rung-(\d{8}T\d{6}\d{6}Z)-([a-z0-9-]+)\.sqlite3$")
_COMPANIONS = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created: datetime  # UTC
    reason: str
    size: int


def _is_disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        "disk is full" in text
        or "disk full" in text
        or getattr(exc, "errno", None)
        in {
            28,  # ENOSPC
            27,  # EFBIG: a file-size limit
        }
    )


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); a no-op where folders cannot be opened."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_with_companions(path: Path) -> None:
    """Delete an SQLite file and any -journal, -wal or -shm file beside it."""
    for suffix in ("", *_COMPANIONS):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def remove_unfinished(folder: Path) -> None:
    """Delete copies cut short (temporary files, stray journals); the caller holds the lock."""
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and (path.name.startswith(".") or path.name.endswith("-journal")):
                path.unlink(missing_ok=True)


def copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection, folder: Path) -> None:
    """Copy every page of `src` into `dst` with the backup API, in one step.

    The library's own loop retries a busy step for ever; this one gives up
    after `BUSY_TIMEOUT_S` with `BusyDatabaseError` naming the data folder.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in {SQLITE_BUSY, SQLITE_LOCKED} and time.monotonic() > deadline:
            raise in_use(folder)

    src.backup(dst, progress=progress)


def copy_database(source: Path, destination: Path) -> None:
    """Copy an SQLite database with the backup API into a new self-contained file.

    The copy is written beside `destination`, synced and renamed into place, so
    an interruption leaves no half-written file and never clobbers an old one.
    """
    if not source.is_file():  # connecting would create an empty database and copy that
        raise NotFoundError(f"There is no database at {source} to copy.")
    temporary = destination.with_name(f".{destination.name}.tmp")
    remove_with_companions(temporary)
    create_private_file(temporary)
    try:
        with (
            contextlib.closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)) as src,
            contextlib.closing(sqlite3.connect(temporary)) as dst,
        ):
            copy_pages(src, dst, source.parent)
            dst.execute("PRAGMA journal_mode = DELETE")
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, destination)
        sync_folder(destination.parent)
    except (sqlite3.Error, OSError, BusyDatabaseError) as exc:
        remove_with_companions(temporary)
        if isinstance(exc, BusyDatabaseError):
            raise
        if is_busy(exc):
            raise in_use(source.parent) from None
        if _is_disk_full(exc):
            raise DatabaseError(
                f"There is not enough disk space to write {destination.name}; nothing was changed."
            ) from None
        reason = (
            f"{exc}: the disk may be full or failing"
            if error_code(exc) is not None and write_error(destination, exc) is not None
            else str(exc)
        )
        raise DatabaseError(
            f"Copying the database to {destination} failed ({reason}); nothing was changed."
        ) from None


def check_database_file(path: Path) -> str:
    """Verify a file is a whole Rung database; returns its schema revision.

    Opened read-only; note that SQLite still creates `-wal`/`-shm` files beside a
    WAL-mode file (copy such a file somewhere private before checking it).
    """
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotFoundError(f"{path} cannot be read ({exc.strerror}).") from None
    if header != SQLITE_HEADER:
        raise DamagedDatabaseError(f"{path.name} is not an SQLite database.")
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        ) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise DamagedDatabaseError(f"{path.name} is damaged ({result}).")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(
            f"{path.name} is not a readable Rung database ({exc})."
        ) from None
    if row is None:
        raise DamagedDatabaseError(f"{path.name} holds no Rung data (it has no schema revision).")
    revision = str(row[0])
    if revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"{path.name} was written by a newer version of Rung (schema {revision}); "
            "update Rung to use it."
        )
    return revision


def _parse(path: Path) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    try:
        created = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):  # not a real time stamp, or deleted meanwhile
        return None
    return BackupInfo(path.name, path, created, match.group(2), size)


class Backups:
    """The backups of one data folder."""

    def __init__(self, data_dir: Path, database: Path) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / FOLDER
        self.database = database

    def all(self) -> list[BackupInfo]:
        """Every backup, newest first."""
        if not self.folder.is_dir():
            return []
        found = (_parse(path) for path in self.folder.glob("rung-*.sqlite3"))
        return sorted((b for b in found if b is not None), key=lambda b: b.created, reverse=True)

    def create(self, reason: str = MANUAL, *, prune: bool = True) -> BackupInfo:
        """Back the database up now; `prune=False` leaves older backups alone for the moment.

        Under the data folder's lock, so copies cut short by a kill can be cleared first.
        """
        # The reason is part of the name: keep it to what `_NAME` reads back (e.g. a
        # future revision id `0002_Add` becomes `0002-add`) rather than fail a migration.
        reason = "-".join(re.findall(r"[a-z0-9]+", reason.lower())) or MANUAL
        with folder_lock(self.data_dir):
            make_private_dir(self.folder)
            remove_unfinished(self.folder)
            stamp = timestamp()
            path = self.folder / f"rung-{stamp}-{reason}.sqlite3"
            copy_database(self.database, path)
            created = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
            info = BackupInfo(path.name, path, created, reason, path.stat().st_size)
            if prune:
                self.prune()
        return info

    @contextlib.contextmanager
    def kept_unless_failed(self, reason: str) -> Iterator[BackupInfo]:
        """A backup before a risky step (an import) that goes again if the step fails:
        a refused or failed command leaves no backup behind."""
        info = self.create(reason)
        try:
            yield info
        except BaseException:
            remove_with_companions(info.path)
            raise

    def before_migration(self, revision: str) -> Path:
        """A copy of the database before migrating it from `revision`.

        A retry after an interrupted migration finds an identical copy from
        the first try and keeps that one instead of adding another.
        """
        reason = f"{BEFORE_MIGRATION}{revision}"
        earlier = [b for b in self.all() if b.reason == reason]
        copy = self.create(reason, prune=False).path
        if earlier and filecmp.cmp(earlier[0].path, copy, shallow=False):
            remove_with_companions(copy)
            return earlier[0].path
        return copy

    def taken_today(self, today: date | None = None) -> bool:
        """Whether today's daily backup exists (other kinds are retained by other rules)."""
        today = today or date.today()
        return any(b.reason == DAILY and b.created.astimezone().date() == today for b in self.all())

    def prune(self) -> list[Path]:
        """Apply the retention policy; manual backups are kept until the user deletes them.

        The newest copy taken before a migration from each revision is kept too.
        Only one process prunes at a time; if another holds the data folder, this
        prune is skipped (the next one catches up).
        """
        try:
            with folder_lock(self.data_dir, timeout=0):
                return self._prune()
        except BusyDatabaseError:
            return []

    def _prune(self) -> list[Path]:
        keep: set[Path] = set()
        daily = [b for b in self.all() if b.reason == DAILY]
        for key, count in (
            (lambda b: b.created.astimezone().date(), KEEP_DAILY),
            (lambda b: b.created.astimezone().isocalendar()[:2], KEEP_WEEKLY),
            (lambda b: (b.created.astimezone().year, b.created.astimezone().month), KEEP_MONTHLY),
        ):
            periods: dict[object, BackupInfo] = {}
            for backup in daily:  # newest first: the first of each period is its newest
                periods.setdefault(key(backup), backup)
            keep.update(b.path for b in list(periods.values())[:count])
        events = [b for b in self.all() if b.reason not in {DAILY, MANUAL}]
        keep.update(b.path for b in events[:KEEP_EVENTS])
        migrations: dict[str, BackupInfo] = {}
        for backup in events:  # newest first
            if backup.reason.startswith(BEFORE_MIGRATION):
                migrations.setdefault(backup.reason, backup)
        keep.update(b.path for b in migrations.values())
        removed = [b.path for b in self.all() if b.reason != MANUAL and b.path not in keep]
        for path in removed:
            remove_with_companions(path)
        return removed

    def find(self, name_or_path: str) -> Path:
        """A backup by its name in `backups/`, or any database file by its path."""
        candidate = self.folder / name_or_path
        if "/" not in name_or_path and os.sep not in name_or_path and candidate.is_file():
            return candidate
        path = Path(name_or_path).expanduser()
        if path.is_file():
            return path
        names = ", ".join(b.name for b in self.all()[:5]) or "there are none yet"
        raise NotFoundError(f"No backup or file '{name_or_path}' (newest backups: {names}).")

    def newest_good(self) -> BackupInfo | None:
        for backup in self.all():
            with contextlib.suppress(DatabaseError, NotFoundError):
                check_database_file(backup.path)
                return backup
        return None
