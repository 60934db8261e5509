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
what is being erased).
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.errors import NotFoundError
from app.services.backups import STAGING_PREFIX
from app.store.backup import FOLDER, remove_with_companions
from app.store.db import Store

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
    "SELECT title, notes FROM goals WHERE profile_id = :p",
    "SELECT title, notes FROM learning_items WHERE profile_id = :p",
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
    found: set[str] = set()
    for query in _TEXT_QUERIES:
        for row in connection.execute(query, {"p": profile_id}):
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


def _delete_profiles(store: Store, profile_id: str | None) -> None:
    """Delete one profile, or all (their rows cascade), with deleted content zeroed; vacuum."""
    store.engine.dispose()  # no pooled connection keeps old pages in its cache
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        with conn:
            if profile_id is None:
                conn.execute("DELETE FROM profiles")
            else:
                conn.execute("DELETE FROM profiles WHERE id = ?", (profile_id,))
    store.vacuum()


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
    data = path.read_bytes()
    return all(
        needle not in data or any(needle in value for value in remaining) for needle in needles
    )


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
    folder = data_dir / FOLDER
    if folder.is_dir():
        for path in folder.iterdir():
            if path.is_file() and (path.name.startswith(".") or path.name.endswith("-journal")):
                path.unlink(missing_ok=True)
    for path in data_dir.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def erase_profile(store: Store, data_dir: Path, profile_id: str) -> EraseReport:
    """Delete a profile and every trace of its text from the data folder."""
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        if conn.execute("SELECT 1 FROM profiles WHERE id = ?", (profile_id,)).fetchone() is None:
            raise NotFoundError(f"No profile has the id {profile_id}.")
        texts = _profile_text(conn, profile_id)
    backups = store.backups.all() if store.backups else []
    for backup in backups:  # older copies may hold text since changed (an old name, a note)
        texts |= _text_in_file(backup.path, profile_id)
    needles = {text.encode("utf-8") for text in texts}

    _delete_profiles(store, profile_id)

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
    if store is not None:
        _delete_profiles(store, None)
    folder = data_dir / FOLDER
    backups = sorted(folder.glob("rung-*.sqlite3")) if folder.is_dir() else []
    for path in backups:
        remove_with_companions(path)
    set_aside = _set_aside_files(data_dir)
    for path in set_aside:
        path.unlink(missing_ok=True)
    _remove_leftovers(data_dir)
    return EraseReport(0, len(backups), len(set_aside))
