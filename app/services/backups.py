"""Restoring the database from a backup or from any Rung database file (a new computer)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.errors import (
    DamagedDatabaseError,
    DatabaseError,
    InvalidInputError,
    NewerDatabaseError,
    NotFoundError,
)
from app.files import create_private_file, make_private_dir
from app.paths import DATABASE_NAME
from app.store.backup import BackupInfo, Backups, check_database_file, remove_with_companions
from app.store.db import move_aside, restore_into
from app.store.lock import LOCK_NAME, folder_lock

__all__ = ["BackupInfo", "backups_of", "restore"]

STAGING_PREFIX = ".rung-restore-"  # a private folder in the data folder, gone after a restore


def backups_of(data_dir: Path) -> Backups:
    return Backups(data_dir, data_dir / DATABASE_NAME)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def _data_folder(data_dir: Path) -> Iterator[None]:
    """The data folder, created if needed, and removed again (with its parents) on a failure."""
    missing = [p for p in (data_dir, *data_dir.parents) if not p.exists()]  # deepest first
    make_private_dir(data_dir)
    try:
        yield
    except BaseException:
        if missing:  # the folder is new: so is the lock file in it
            (data_dir / LOCK_NAME).unlink(missing_ok=True)
        for created in missing:
            with contextlib.suppress(OSError):
                created.rmdir()
        raise


@contextlib.contextmanager
def _staged(source: Path, data_dir: Path) -> Iterator[Path]:
    """A private copy of `source` (and its -wal) to check and restore from.

    Checking the source itself would leave `-wal`/`-shm` files beside a WAL-mode
    file, and reading it twice (check, then restore) could see two different
    files; the copy is gone afterwards, whatever happens.
    """
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))  # mode 0o700
    try:
        staged = folder / source.name  # so that messages name the file the user chose
        try:
            for suffix in ("", "-wal"):
                original = source.with_name(source.name + suffix)
                if suffix and not original.is_file():
                    continue
                copy = staged.with_name(staged.name + suffix)
                create_private_file(copy)
                with original.open("rb") as reader, copy.open("wb") as writer:
                    shutil.copyfileobj(reader, writer)
        except OSError as exc:
            raise NotFoundError(
                f"{source} cannot be read ({exc.strerror or exc}); nothing was restored."
            ) from None
        yield staged
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _current_kept(database: Path, backups: Backups) -> Iterator[BackupInfo | None]:
    """Keep the database about to be replaced: as a backup, or set aside if it is damaged.

    Yields the backup (None if there was no good database). If the restore in
    the block fails, this is undone: the backup is removed, a set-aside file
    comes back, so a failed restore changes nothing.
    """
    before: BackupInfo | None = None
    moved: Path | None = None
    if database.exists():
        try:
            check_database_file(database)
            before = backups.create("before-restore", prune=False)
        except DamagedDatabaseError:
            moved = move_aside(database)  # a damaged file is kept aside, never overwritten
        except NewerDatabaseError:  # still a whole database: keep it like any other
            before = backups.create("before-restore", prune=False)
    created = not database.exists()
    if created:
        create_private_file(database)
    try:
        yield before
    except BaseException:
        if before is not None:
            remove_with_companions(before.path)
        if created:
            remove_with_companions(database)
        if moved is not None:
            os.replace(moved, database)
        raise


def restore(data_dir: Path, name_or_file: str) -> tuple[Path, BackupInfo | None]:
    """Replace the database with a backup; the current state is backed up first.

    The source is checked whole (from a private copy) before anything changes,
    so a damaged or newer file, or the live database itself, is refused with the
    data folder as it was. Returns the source and the backup of the state it
    replaced (None if there was no good database).
    """
    database = data_dir / DATABASE_NAME
    backups = backups_of(data_dir)
    source = backups.find(name_or_file)
    if _same_file(source, database):
        raise InvalidInputError(
            f"{source} is the database itself; choose a backup or another file to restore."
        )
    with _data_folder(data_dir), folder_lock(data_dir), _staged(source, data_dir) as staged:
        try:
            check_database_file(staged)
        except (DatabaseError, NotFoundError) as exc:
            raise type(exc)(f"{exc} Nothing was restored.") from None
        with _current_kept(database, backups) as before:
            restore_into(staged, database)
        backups.prune()  # only now: pruning earlier could remove the very backup being restored
    return source, before
