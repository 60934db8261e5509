"""Opening the database: one process at a time, busy told apart from damaged, safe migrations.

Creating and migrating happen under the data folder's lock (`app.store.lock`),
so two processes starting on a fresh folder never see each other's half-made
file. The schema revision is read with plain `sqlite3`, so an up-to-date
database opens without importing Alembic. Only SQLite's "malformed" and "not
a database" (or a failed `quick_check`) mean damage, and only then is a file
moved aside; a locked or busy database is waited for, then refused with one
sentence. A migration runs in one transaction with foreign keys off, as
SQLite's own procedure for schema changes says, after a copy of the file is
taken with the backup API.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import (
    BusyDatabaseError,
    DamagedDatabaseError,
    DatabaseError,
    NewerDatabaseError,
    RungError,
)
from app.files import create_private_file, make_private_dir, timestamp
from app.paths import DATABASE_NAME
from app.store.backup import (
    DAILY,
    BackupInfo,
    Backups,
    copy_pages,
    remove_with_companions,
    sync_folder,
)
from app.store.lock import folder_lock, in_use
from app.store.revisions import HEAD_REVISION, KNOWN_REVISIONS, SQLITE_HEADER
from app.store.sqlite import BUSY_TIMEOUT_S, is_busy, is_damage, write_error
from app.store.stamps import stamp_changes

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
WAL_MODE = 2  # header bytes 18 and 19 of a database in WAL mode


def _in_wal_mode_and_closed(path: Path) -> bool:
    """Whether no program has the file open: it is in WAL mode and has no -wal file.

    Only then may it be read as `immutable` (no locks, no -wal/-shm created
    beside a file that may be refused); another program writing a file in
    another journal mode is never read that way.
    """
    if path.with_name(path.name + "-wal").exists():
        return False
    with path.open("rb") as handle:
        header = handle.read(20)
    return header.startswith(SQLITE_HEADER) and header[18] == header[19] == WAL_MODE


def read_revision(path: Path) -> str | None:
    """The Alembic revision stamped in the file, or None for a database without a schema."""
    mode = "mode=ro&immutable=1" if _in_wal_mode_and_closed(path) else "mode=ro"
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.absolute().as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_S)
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
        if is_busy(exc):
            raise in_use(path.parent) from None
        if is_damage(exc):
            raise DamagedDatabaseError(f"cannot be read ({exc})") from None
        raise DatabaseError(f"The database {path} cannot be opened ({exc}).") from None
    return row[0] if row else None


def _known_errors(path: Path, *, writes: bool = True) -> Any:
    """A `handle_error` hook: busy (and full-disk) errors become one sentence for the user."""

    def translate(context: ExceptionContext) -> None:
        exc = context.original_exception
        error = known_error(path, exc) if writes else in_use(path.parent) if is_busy(exc) else None
        if error is not None:
            raise error

    return translate


def known_error(path: Path, exc: BaseException) -> RungError | None:
    """The user's sentence for an SQLite failure that is not a bug, else None."""
    if is_busy(exc):
        return in_use(path.parent)
    return write_error(path, exc)


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA secure_delete = ON")  # deleted text is zeroed, not left behind
    cursor.close()


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "handle_error", _known_errors(path))
    return engine


def _migration_engine(path: Path) -> Engine:
    """An engine for SQLite's own procedure for schema changes.

    Foreign keys are off for the connection (a rebuilt table's DROP would
    otherwise cascade to its children), pysqlite's implicit transactions are
    off, and BEGIN IMMEDIATE is emitted by hand, so that every statement of the
    migration, DDL included, is in one transaction (SQLAlchemy's documented
    pysqlite recipe).
    """
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    # A full disk is reported by the migration's own message.
    event.listen(engine, "handle_error", _known_errors(path, writes=False))
    return engine


def upgrade(path: Path, script_location: Path = MIGRATIONS_DIR, target: str = "head") -> None:
    """Migrate the file at `path` up to `target` in one transaction (imports Alembic).

    Interrupted or failed at any instant, the file stays exactly at its old
    revision; the foreign keys are checked before the commit.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    engine = _migration_engine(path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent = broken[0][:3]
                raise DatabaseError(
                    f"the migration would leave row {rowid} of {table} pointing to a "
                    f"missing {parent}"
                )
    finally:
        engine.dispose()


def migrate_with_backup(
    path: Path, backups: Backups, revision: str, script_location: Path = MIGRATIONS_DIR
) -> Path:
    """Back the file up, then migrate it; a failure leaves it exactly as it was.

    The copy is kept whatever happens (pruning never removes the newest copy
    taken before a migration from each revision), and a retry after an
    interrupted migration reuses it rather than adding another.
    """
    copy = backups.before_migration(revision)
    try:
        upgrade(path, script_location)
    except BusyDatabaseError:
        raise
    except Exception as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc  # the error, not its SQL
        raise DatabaseError(
            f"Updating the database {path} to this version of Rung failed ({reason}); it was "
            f"left exactly as it was, and a copy of it is in backups as {copy.name}."
        ) from exc
    backups.prune()
    return copy


def restore_into(source: Path, database: Path) -> None:
    """Overwrite `database` with the content of `source`, through the backup API.

    The source is opened read-only: a missing file is an error, never a new empty
    database copied over the real one. A busy database is waited for a bounded
    time, then refused; a full disk leaves the previous content. Once the copy
    is committed, folding the -wal into the file is best effort: it is done
    again by the next connection.
    """
    with (
        contextlib.closing(
            sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
        ) as src,
        contextlib.closing(sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)) as dst,
    ):
        try:
            copy_pages(src, dst, database.parent)
        except sqlite3.Error as exc:
            if is_busy(exc):
                raise in_use(database.parent) from None
            if write_error(database, exc) is None:
                raise
            raise DatabaseError(
                f"Restoring into {database} failed: the disk is full or failing ({exc}); "
                "nothing was restored, and it holds what it held before."
            ) from None
        with contextlib.suppress(sqlite3.Error):
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
    was (see `app.store.backup`); if that unit of work fails, the backup goes
    again, so a refused change leaves nothing behind. SQLite errors that are
    not bugs (busy, a full or failing disk) reach callers as `RungError`s with
    one sentence.
    """

    def __init__(
        self,
        path: Path,
        engine: Engine,
        backups: Backups | None = None,
        *,
        data_dir: Path | None = None,
    ) -> None:
        self.path = path
        self.data_dir = data_dir or path.parent  # outputs may never be written inside it
        self.engine = engine
        self.backups = backups
        self.warnings: list[str] = []
        self._backup_checked: date | None = None
        self._daily: BackupInfo | None = None  # taken by the unit of work under way
        self._joined = threading.local()  # the session of a `transaction()` under way
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", stamp_changes)
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
            # If this fails, the write fails and the next one retries.
            self._daily = self.backups.create(DAILY)
        self._backup_checked = today

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One unit of work around several service calls (`rung checkins add` records a
        check-in whole or not at all): their sessions join it until the block ends."""
        with self.session() as session:
            self._joined.session = session
            try:
                yield
            finally:
                self._joined.session = None

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed if the block succeeds, rolled back otherwise; inside
        `transaction()`, a part of that one."""
        joined: Session | None = getattr(self._joined, "session", None)
        if joined is not None:
            yield joined
            return
        try:
            with self._sessions.begin() as session:
                yield session
        except BaseException:
            if self._daily is not None:  # the database is as it was: so is the folder
                remove_with_companions(self._daily.path)
                self._backup_checked = None
            raise
        finally:
            self._daily = None

    def plain_rows(
        self, session: Session, statement: Select[*tuple[Any, ...]]
    ) -> Sequence[tuple[Any, ...]]:
        """`statement`'s rows on `session`'s connection as the driver returns them: plain
        tuples, with no conversion per row (text, integers and reals as SQLite stores
        them; dates stay ISO text, booleans 0 or 1).

        For the bulk reads of a whole team's history, where building SQLAlchemy's row
        objects costs a third of what SQLite takes to find the rows. The statement runs
        through SQLAlchemy as usual (its events, its errors); only the rows are fetched
        from the driver's cursor, and an error while fetching them takes the same path:
        busy and disk errors become their sentence, anything else a `DBAPIError`.
        """
        result = session.connection().execute(statement)
        try:
            rows: Sequence[tuple[Any, ...]] = result.cursor.fetchall()
        except sqlite3.Error as exc:
            error = known_error(self.path, exc)
            if error is not None:
                raise error from None
            raise DBAPIError.instance(str(statement), None, exc, sqlite3.Error) from exc
        finally:
            result.close()
        return rows

    def integrity_problems(self, *, full: bool = True) -> list[str]:
        """`integrity_check` (or the quicker `quick_check`) and `foreign_key_check` results."""
        try:
            with contextlib.closing(sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)) as conn:
                pragma = "integrity_check" if full else "quick_check"
                rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
                problems = [] if rows == ["ok"] else rows
                problems += [
                    f"row {row[1]} of {row[0]} points to a missing {row[2]}"
                    for row in conn.execute("PRAGMA foreign_key_check")
                ]
        except sqlite3.DatabaseError as exc:
            if is_busy(exc):
                raise in_use(self.path.parent) from None
            if not is_damage(exc):
                raise
            problems = [str(exc)]
        return problems

    def close(self) -> None:
        self.engine.dispose()


def _holds_profiles(path: Path) -> bool:
    with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as conn:
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


def _create(path: Path) -> None:
    """Create the database with its schema beside `path`, then rename it into place.

    A first run cut short at any instant leaves no `rung.sqlite3` at all (only
    a temporary file that the next run replaces), so an empty or schema-less
    database file is never mistaken for one that Rung is still creating.
    """
    temporary = path.with_name(f".{path.name}.new")
    remove_with_companions(temporary)
    create_private_file(temporary)
    try:
        upgrade(temporary)  # its engine is disposed: the -wal is folded in and removed
        with temporary.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        remove_with_companions(temporary)
    sync_folder(path.parent)


def _bring_up_to_date(path: Path, backups: Backups) -> None:
    """Migrate an existing file to the newest schema, or refuse it with one sentence."""
    try:
        revision = read_revision(path)
    except DamagedDatabaseError as exc:
        raise _damaged(path, backups, str(exc)) from None
    if revision is None and path.stat().st_size == 0:
        raise _damaged(path, backups, "is empty")
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerDatabaseError(
            f"The database {path} was written by a newer version of Rung "
            f"(schema {revision}); it was left unchanged. Update Rung to open it."
        )
    if revision is None:
        upgrade(path)  # an SQLite file without tables: nothing in it to keep
    elif revision != HEAD_REVISION:
        migrate_with_backup(path, backups, revision)


def open_store(data_dir: Path) -> Store:
    """Open (creating or migrating as needed) the database in `data_dir`.

    A damaged file is moved aside (never overwritten) and `DamagedDatabaseError`
    says where; the next open starts with a new database. A file from a newer
    version of Rung is refused and left exactly as it is, and a file another
    program holds is refused with `BusyDatabaseError` after a bounded wait.
    """
    path = data_dir / DATABASE_NAME
    backups = Backups(data_dir, path)
    make_private_dir(data_dir)
    with folder_lock(data_dir):
        if path.exists():
            _bring_up_to_date(path, backups)
        else:
            _create(path)
        store = Store(path, make_engine(path), backups)
        try:
            problems = store.integrity_problems(full=False)
        except BaseException:
            store.close()
            raise
        if any("points to a missing" not in p for p in problems):
            store.close()
            raise _damaged(path, backups, f"failed its integrity check ({problems[0]})")
    store.warnings += problems
    store.warnings += filter(None, (cloud_folder_warning(data_dir),))
    return store


def open_memory_store(data_dir: Path) -> Store:
    """An empty in-memory store for read-only commands on `data_dir` with no database yet."""
    from sqlalchemy.pool import StaticPool

    from app.store.models import Base

    engine = create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )
    event.listen(engine, "connect", _on_connect)
    Base.metadata.create_all(engine)
    return Store(Path(":memory:"), engine, data_dir=data_dir)
