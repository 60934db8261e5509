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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DamagedDatabaseError, DatabaseError, NewerDatabaseError
from app.paths import DATABASE_NAME

# The newest revision this version of Rung knows, and every older one. A test
# checks these against the migration scripts, so opening needs no Alembic.
HEAD_REVISION = "0001"
KNOWN_REVISIONS = frozenset({"0001"})

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"


def make_private_dir(path: Path) -> None:
    """Create a folder (and parents) that only the owner can read."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only; SQLite gives -wal/-shm the same mode."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def check_header(path: Path) -> None:
    """Refuse a file that is not an SQLite database (zero bytes, truncated, garbage)."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        what = "is empty" if not header else "is not an SQLite database"
        raise DamagedDatabaseError(f"The database {path} {what}; it was left untouched.")


def read_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a database without a schema."""
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            if not has_table:
                tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
                if tables:
                    raise DamagedDatabaseError(
                        f"The file {path} holds an SQLite database that Rung did not write."
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabaseError(f"The database {path} cannot be read ({exc}).") from None
    return row[0] if row else None


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def sqlite_copy(source: Path, destination: Path) -> None:
    """Copy a database with the backup API (never a plain file copy of a live file)."""
    if not destination.exists():
        _create_private_file(destination)
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(destination)) as dst,
    ):
        src.backup(dst)


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def upgrade(path: Path, script_location: Path = MIGRATIONS_DIR) -> None:
    """Run every pending migration on the file at `path` (imports Alembic)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def migrate_with_backup(
    path: Path, backups: Path, revision: str, script_location: Path = MIGRATIONS_DIR
) -> Path:
    """Copy the file aside, migrate it, and put the copy back if migrating fails."""
    make_private_dir(backups)
    copy = backups / f"rung-before-migration-from-{revision}-{timestamp()}.sqlite3"
    sqlite_copy(path, copy)
    try:
        upgrade(path, script_location)
    except Exception as exc:
        sqlite_copy(copy, path)
        raise DatabaseError(
            f"Updating the database {path} to this version of Rung failed ({exc}); "
            f"it was restored from {copy.name}."
        ) from exc
    return copy


class Store:
    """An open database: hands out sessions and owns the engine."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed if the block succeeds, rolled back otherwise."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path) -> Store:
    """Open (creating or migrating as needed) the database in `data_dir`."""
    path = data_dir / DATABASE_NAME
    if path.exists():
        check_header(path)
        revision = read_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise NewerDatabaseError(
                f"The database {path} was written by a newer version of Rung "
                f"(schema {revision}); it was left unchanged. Update Rung to open it."
            )
        if revision is None:
            upgrade(path)
        elif revision != HEAD_REVISION:
            migrate_with_backup(path, data_dir / "backups", revision)
    else:
        make_private_dir(data_dir)
        _create_private_file(path)
        try:
            upgrade(path)
        except Exception:
            path.unlink(missing_ok=True)
            raise
    return Store(path, make_engine(path))


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
