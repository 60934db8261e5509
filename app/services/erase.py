"""Erasing a profile, or everything, from the database and from every copy of it.

After an erase the erased text is absent from the raw bytes of the database,
its -wal file, every backup and every set-aside (`*.corrupt-*`) file: the
profile is deleted with secure delete on and the database vacuumed; each
backup that holds the profile is rewritten without it (deleted, vacuumed and
checked) or dropped if it cannot be; set-aside files that hold any of its
text are dropped, since a damaged file cannot be rewritten safely. Leftovers
of an interrupted copy or restore are removed too.

The profile is deleted through a plain connection rather than the store's
engine, so the erase does not first take the day's backup (a copy of exactly
what is being erased). That connection has the database to itself (SQLite's
exclusive locking mode): while another program has the file open, a reader
included, the erase is refused before anything changes, because a reader
would keep the erased text in the -wal. Success is reported only after the
-wal was folded in and truncated and the erased text was looked for, and
not found, in the raw bytes of the database and its -wal.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.errors import BusyDatabaseError, DatabaseError, NotFoundError
from app.services.backups import STAGING_PREFIX
from app.store.backup import FOLDER, BackupInfo, remove_unfinished, remove_with_companions
from app.store.db import Store
from app.store.lock import folder_lock
from app.store.sqlite import BUSY_TIMEOUT_S, is_busy

MIN_NEEDLE = 4  # shorter text says too little to identify a profile in raw bytes
# Text longer than a page's share is stored in pieces (the rest on overflow pages), so a
# damaged file is also searched for fragments of long text: FRAGMENT bytes every STRIDE
# bytes, so that every piece of at least FRAGMENT + STRIDE bytes holds a whole fragment.
FRAGMENT, STRIDE = 48, 256

# Every column that holds a profile's own text, and how to reach it from the profile id.
_TEXT_QUERIES = (
    "SELECT id, name, manager FROM profiles WHERE id = :p",
    "SELECT c.wins, c.blockers, c.focus FROM checkins c WHERE c.profile_id = :p",
    "SELECT r.note FROM ratings r JOIN checkins c ON c.id = r.checkin_id WHERE c.profile_id = :p",
    "SELECT m.note FROM milestone_statuses m JOIN checkins c ON c.id = m.checkin_id "
    "WHERE c.profile_id = :p",
    "SELECT k.note FROM kpi_values k JOIN checkins c ON c.id = k.checkin_id "
    "WHERE c.profile_id = :p",
    "SELECT a.old, a.new FROM amendments a JOIN checkins c ON c.id = a.checkin_id "
    "WHERE c.profile_id = :p",
    "SELECT title, description, link FROM evidence WHERE profile_id = :p",
    "SELECT context, action, outcome, metric_unit, feedback_from, feedback_role "
    "FROM evidence WHERE profile_id = :p",
    "SELECT title, notes FROM goals WHERE profile_id = :p",
    "SELECT title, notes FROM learning_items WHERE profile_id = :p",
    "SELECT text FROM dimension_comments WHERE profile_id = :p",
    "SELECT rationale FROM recommendations WHERE profile_id = :p",
    "SELECT repository FROM git_proposals WHERE profile_id = :p",
)


@dataclass(frozen=True)
class EraseReport:
    backups_rewritten: int
    backups_dropped: int
    set_aside_dropped: int

    def sentence(self) -> str:
        return (
            f"{self.backups_rewritten} backup(s) rewritten without it, "
            f"{self.backups_dropped} backup(s) and {self.set_aside_dropped} set-aside file(s) "
            "deleted"
        )


def _profile_text(connection: sqlite3.Connection, profile_id: str) -> set[str]:
    """The profile's text; a backup from an older schema lacks some columns (skipped)."""
    found: set[str] = set()
    for query in _TEXT_QUERIES:
        try:
            rows = connection.execute(query, {"p": profile_id}).fetchall()
        except sqlite3.OperationalError:  # "no such column/table" in an older backup
            continue
        for row in rows:
            found.update(
                value for value in row if isinstance(value, str) and len(value) >= MIN_NEEDLE
            )
    return found


def _text_in_file(path: Path, profile_id: str) -> set[str]:
    """The profile's text as a backup holds it (perhaps older than the database's)."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        ) as conn:
            return _profile_text(conn, profile_id)
    except sqlite3.Error:
        return set()


def _fragments(needles: Iterable[bytes]) -> set[bytes]:
    """Pieces of the long needles, to find text that a file stores split across pages."""
    found: set[bytes] = set()
    for needle in needles:
        if len(needle) > FRAGMENT + STRIDE:
            found.update(
                needle[i : i + FRAGMENT] for i in range(0, len(needle) - FRAGMENT + 1, STRIDE)
            )
    return found


def _all_text(conn: sqlite3.Connection) -> list[str]:
    """Every text value in every table: what a file legitimately still holds."""
    values: list[str] = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        for row in conn.execute(f"SELECT * FROM {quoted}"):  # table names come from the file
            values.extend(v for v in row if isinstance(v, str))
    return values


@contextlib.contextmanager
def _alone(store: Store, data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection that has the database to itself until it closes, or `BusyDatabaseError`.

    In exclusive locking mode the first write needs every other connection,
    in any process, to be closed; once taken, the lock is kept, so no reader
    can come back and hold the -wal open.
    """
    store.engine.dispose()  # this process's own pooled connections go first
    conn = sqlite3.connect(store.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            raise BusyDatabaseError(
                f"Rung's data in {data_dir} is open in another program (another Rung, or "
                "something reading it); nothing was erased. Close it and try again."
            ) from None
        yield conn
    finally:
        conn.close()


def _delete_profiles(conn: sqlite3.Connection, profile_id: str | None) -> list[bytes]:
    """Delete one profile, or all (their rows cascade), vacuum and truncate the -wal.

    `conn` is inside the transaction that `_alone` began. Returns every text
    value the database still holds, to tell erased text from text that stays.
    """
    if profile_id is None:
        conn.execute("DELETE FROM profiles")
    else:
        conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    busy, _frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # `_alone` rules this out; never report an erase that did not happen
        raise DatabaseError("The write-ahead log could not be emptied; run the erase again.")
    return [value.encode("utf-8") for value in _all_text(conn)]


def _verify_wiped(database: Path, needles: set[bytes], remaining: list[bytes]) -> None:
    """Read the database and its -wal as raw bytes (after its connection closed)."""
    left = [
        path.name
        for path in (database, database.with_name(database.name + "-wal"))
        if path.is_file() and _still_holds(path, needles, remaining)
    ]
    if left:
        raise DatabaseError(
            f"The profile was deleted, but its text is still in {', '.join(left)}; "
            "run the erase again."
        )


def _still_holds(path: Path, needles: Iterable[bytes], remaining: list[bytes]) -> bool:
    """Whether the file holds an erased needle that no remaining value explains."""
    data = path.read_bytes()  # never while a connection to it is open: it would drop the locks
    return any(
        needle in data and not any(needle in value for value in remaining) for needle in needles
    )


def _rewrite_backup(path: Path, profile_id: str, needles: set[bytes]) -> bool:
    """Remove the profile from one backup in place; False if it cannot be done cleanly.

    After the VACUUM the file holds only the remaining rows, so text of the
    profile found in its bytes must also belong to them (e.g. a shared manager's
    name); anything else means the rewrite failed and the backup must go.
    """
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")
            with conn:
                conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
            conn.execute("VACUUM")
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False
            remaining = [v.encode("utf-8") for v in _all_text(conn)]
            if conn.execute("SELECT 1 FROM profiles WHERE id = ?", (profile_id,)).fetchone():
                return False
    except sqlite3.Error:
        return False
    return not _still_holds(path, needles, remaining)


def _holds(path: Path, needles: Iterable[bytes]) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return any(needle in data for needle in needles)


def _holds_profile(path: Path, profile_id: str, needles: set[bytes]) -> bool:
    """Whether a backup holds the profile: its row, its id anywhere, or any of its text."""
    read_only = f"{path.absolute().as_uri()}?mode=ro"
    with (
        contextlib.suppress(sqlite3.Error),
        contextlib.closing(sqlite3.connect(read_only, uri=True)) as conn,
    ):
        if conn.execute("SELECT 1 FROM profiles WHERE id = ?", (profile_id,)).fetchone():
            return True
    # The id first: one scan settles most files; the text catches what a damaged one hides.
    return _holds(path, [profile_id.encode(), *needles])


def _set_aside_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.glob("*.corrupt-*") if p.is_file())


def _remove_leftovers(data_dir: Path) -> None:
    """Half-written copies (an interrupted backup, rewrite or restore) may hold any text."""
    remove_unfinished(data_dir / FOLDER)
    for path in data_dir.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def erase_profile(store: Store, data_dir: Path, profile_id: str) -> EraseReport:
    """Delete a profile and every trace of its text from the data folder."""
    with folder_lock(data_dir):
        with _alone(store, data_dir) as conn:
            found = conn.execute("SELECT 1 FROM profiles WHERE id = ?", (profile_id,)).fetchone()
            if found is None:
                raise NotFoundError(f"No profile has the id {profile_id}.")
            texts = _profile_text(conn, profile_id)
            backups = store.backups.all() if store.backups else []
            for backup in backups:  # older copies may hold text since changed (an old name)
                texts |= _text_in_file(backup.path, profile_id)
            needles = {text.encode("utf-8") for text in texts}
            remaining = _delete_profiles(conn, profile_id)
        _verify_wiped(store.path, needles, remaining)
        return _erase_copies(data_dir, profile_id, backups, needles)


def _erase_copies(
    data_dir: Path, profile_id: str, backups: list[BackupInfo], needles: set[bytes]
) -> EraseReport:
    """Rewrite or drop the backups and set-aside files that hold the profile."""
    rewritten = dropped = 0
    for backup in backups:
        if not _holds_profile(backup.path, profile_id, needles):
            continue
        if _rewrite_backup(backup.path, profile_id, needles):
            rewritten += 1
        else:
            remove_with_companions(backup.path)
            dropped += 1
    set_aside = 0
    damaged_needles = needles | _fragments(needles)
    for path in _set_aside_files(data_dir):
        if _holds(path, damaged_needles):
            path.unlink(missing_ok=True)
            set_aside += 1
    _remove_leftovers(data_dir)
    return EraseReport(rewritten, dropped, set_aside)


def erase_all(store: Store | None, data_dir: Path) -> EraseReport:
    """Delete every profile, every backup and every set-aside file; frameworks stay.

    `store` is None when there is no usable database (e.g. it was just set aside
    as damaged): the backups and set-aside files are erased all the same.
    """
    with folder_lock(data_dir):
        if store is not None:
            with _alone(store, data_dir) as conn:
                ids = [row[0] for row in conn.execute("SELECT id FROM profiles")]
                texts = set().union(*(_profile_text(conn, p) for p in ids))
                remaining = _delete_profiles(conn, None)
            _verify_wiped(store.path, {text.encode("utf-8") for text in texts}, remaining)
        return _erase_files(data_dir)


def _erase_files(data_dir: Path) -> EraseReport:
    """Every backup, set-aside file and leftover of an interrupted copy."""
    folder = data_dir / FOLDER
    backups = sorted(folder.glob("rung-*.sqlite3")) if folder.is_dir() else []
    for path in backups:
        remove_with_companions(path)
    set_aside = _set_aside_files(data_dir)
    for path in set_aside:
        path.unlink(missing_ok=True)
    _remove_leftovers(data_dir)
    return EraseReport(0, len(backups), len(set_aside))
