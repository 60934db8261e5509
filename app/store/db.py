"""Opening the database: permissions, pragmas, and migrations with a safety copy.

The schema revision is read with plain `sqlite3` so that an up-to-date
database opens without importing Alembic. Before an existing file is
migrated it is copied with the SQLite backup API; if the migration fails
(Alembic's SQLite DDL runs outside a transaction) the copy is put back.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DamagedDatabaseError, DatabaseError, NewerDatabaseError
from app.files import create_private_file, make_private_dir, timestamp
from app.paths import DATABASE_NAME
from app.store.backup import DAILY, Backups
from app.store.revisions import HEAD_REVISION, KNOWN_REVISIONS, SQLITE_HEADER

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database (zero bytes, truncated, garbage)."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DamagedDatabaseError("is empty" if not header else "is not an SQLite database")


def read_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a database without a schema."""
    # Without a -wal file there is nothing beyond the main file to read, and `immutable`
    # keeps SQLite from creating -wal/-shm files beside a database it may have to refuse.
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True)
        ) as conn:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_table:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise DamagedDatabaseError("holds an SQLite database that Rung did not write")
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(f"cannot be read ({exc})") from None
    return row[0] if row else None


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA secure_delete = ON")  # deleted text is zeroed, not left behind
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def upgrade(path: Path, script_location: Path = MIGRATIONS_DIR, target: str = "head") -> None:
    """Migrate the file at `path` up to `target`, by default every pending one (imports Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    finally:
        engine.dispose()


def migrate_with_backup(
    path: Path, backups: Backups, revision: str, script_location: Path = MIGRATIONS_DIR
) -> Path:
    """Back the file up, migrate it, and put the backup back if migrating fails."""
    copy = backups.create(f"before-migration-from-{revision}").path
    try:
        upgrade(path, script_location)
    except Exception as exc:
        restore_into(copy, path)
        raise DatabaseError(
            f"Updating the database {path} to this version of Rung failed ({exc}); "
            f"it was restored from {copy.name}."
        ) from exc
    return copy


def restore_into(source: Path, database: Path) -> None:
    """Overwrite `database` with the content of `source`, through the backup API.

    The source is opened read-only: a missing file is an error, never a new empty
    database copied over the real one.
    """
    with (
        contextlib.closing(
            sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
        ) as src,
        contextlib.closing(sqlite3.connect(database)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to `*.corrupt-<timestamp>`; never delete."""
    stamp = timestamp()
    moved = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            os.replace(companion, path.with_name(f"{path.name}.corrupt-{stamp}{suffix}"))
    os.replace(path, moved)
    return moved


def sqlite_version_warning(version: str = sqlite3.sqlite_version) -> str | None:
    """A warning if this SQLite library has a known WAL-corruption bug."""
    parts = tuple(int(p) for p in version.split(".")[:3])
    if (3, 7, 0) <= parts < (3, 51, 3):
        return (
            f"SQLite {version} has the rare 'WAL-reset' bug (fixed in 3.51.3) that can damage "
            "a database written by two programs at once; avoid running Rung twice on one data "
            "folder, and keep backups."
        )
    return None


SQLITE_IOERR, SQLITE_FULL = 10, 13  # primary result codes; extended ones add bits above 0xFF
SQLITE_IOERR_READS = {266, 522}  # SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ


def _write_error(path: Path, exc: BaseException) -> DatabaseError | None:
    """A plain sentence for a write the disk refused (full, or an I/O error), else None."""
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    if not isinstance(code, int) or code & 0xFF not in {SQLITE_IOERR, SQLITE_FULL}:
        return None
    if code in SQLITE_IOERR_READS:
        return None
    problem = (
        f"There is not enough disk space to save to the database {path}"
        if code & 0xFF == SQLITE_FULL
        else f"The database {path} could not be written (a disk I/O error: the disk may be "
        "full or failing)"
    )
    return DatabaseError(f"{problem}; this change was not saved, earlier ones are intact.")


CLOUD_FOLDERS = ("dropbox", "onedrive", "icloud", "google drive", "googledrive", "mobile documents")


def cloud_folder_warning(data_dir: Path) -> str | None:
    """A warning if the data folder looks like it is synced by a cloud service."""
    lowered = str(data_dir.resolve()).lower()
    if any(name in lowered for name in CLOUD_FOLDERS):
        return (
            f"The data folder {data_dir} looks like a cloud-synced folder; syncing a live "
            "SQLite database can damage it. Move it elsewhere with --data-dir or RUNG_DATA_DIR "
            "and rely on Rung's backups instead."
        )
    return None


class Store:
    """An open database: hands out sessions and owns the engine.

    The first write of each day is preceded by a backup of the database as it
    was (see `app.store.backup`).
    """

    def __init__(self, path: Path, engine: Engine, backups: Backups | None = None) -> None:
        self.path = path
        self.engine = engine
        self.backups = backups
        self.warnings: list[str] = []
        self._backup_checked: date | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        if backups is not None:
            event.listen(engine, "before_cursor_execute", self._before_execute)

    def _before_execute(self, *args: Any) -> None:
        statement = str(args[2]).lstrip()[:6].upper()
        if statement not in {"INSERT", "UPDATE", "DELETE"}:
            return
        today = date.today()
        if self._backup_checked == today or self.backups is None:
            return
        if not self.backups.taken_today(today) and _holds_profiles(self.path):
            self.backups.create(DAILY)  # if this fails, the write fails and the next one retries
        self._backup_checked = today

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed if the block succeeds, rolled back otherwise."""
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:  # a full or failing disk is the user's to know, not a bug
            error = _write_error(self.path, exc)
            if error is None:
                raise
            raise error from None

    def vacuum(self) -> None:
        """Rebuild the file so deleted content is gone from it and from its -wal."""
        self.engine.dispose()
        with contextlib.closing(sqlite3.connect(self.path)) as conn:
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("VACUUM")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_problems(self, *, full: bool = True) -> list[str]:
        """`integrity_check` (or the quicker `quick_check`) and `foreign_key_check` results."""
        with contextlib.closing(sqlite3.connect(self.path)) as conn:
            pragma = "integrity_check" if full else "quick_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
            problems = [] if rows == ["ok"] else rows
            problems += [
                f"row {row[1]} of {row[0]} points to a missing {row[2]}"
                for row in conn.execute("PRAGMA foreign_key_check")
            ]
        return problems

    def close(self) -> None:
        self.engine.dispose()


def _holds_profiles(path: Path) -> bool:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT 1 FROM profiles LIMIT 1").fetchone() is not None


def _damaged(path: Path, backups: Backups, reason: str) -> DamagedDatabaseError:
    """Move a damaged file aside and say plainly what happened and what can be done."""
    moved = move_aside(path)
    newest = backups.newest_good()
    offer = (
        f"the newest good backup is {newest.name} (restore it with "
        f"'rung backup restore {newest.name}' or from the Backups section)"
        if newest
        else "there is no backup to restore, so Rung starts again with an empty database"
    )
    return DamagedDatabaseError(
        f"The database {path} {reason}, so it was moved aside to {moved.name}; {offer}.",
        moved_to=moved,
    )


def open_store(data_dir: Path) -> Store:
    """Open (creating or migrating as needed) the database in `data_dir`.

    A damaged file is moved aside (never overwritten) and `DamagedDatabaseError`
    says where; the next open starts with a new database. A file from a newer
    version of Rung is refused and left exactly as it is.
    """
    path = data_dir / DATABASE_NAME
    backups = Backups(data_dir, path)
    if path.exists():
        try:
            check_header(path)
            revision = read_revision(path)
        except DamagedDatabaseError as exc:
            raise _damaged(path, backups, str(exc)) from None
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise NewerDatabaseError(
                f"The database {path} was written by a newer version of Rung "
                f"(schema {revision}); it was left unchanged. Update Rung to open it."
            )
        if revision is None:
            upgrade(path)
        elif revision != HEAD_REVISION:
            migrate_with_backup(path, backups, revision)
        store = Store(path, make_engine(path), backups)
        problems = store.integrity_problems(full=False)
        if any("points to a missing" not in p for p in problems):
            store.close()
            raise _damaged(path, backups, f"failed its integrity check ({problems[0]})")
        store.warnings += problems
    else:
        make_private_dir(data_dir)
        create_private_file(path)
        try:
            upgrade(path)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        store = Store(path, make_engine(path), backups)
    store.warnings += filter(None, (sqlite_version_warning(), cloud_folder_warning(data_dir)))
    return store


def open_memory_store() -> Store:
    """An empty in-memory store for read-only commands on a data folder with no database."""
    from sqlalchemy.pool import StaticPool

    from app.store.models import Base

    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    event.listen(engine, "connect", _on_connect)
    Base.metadata.create_all(engine)
    return Store(Path(":memory:"), engine)
