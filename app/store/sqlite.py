"""What an SQLite error means for the user: busy, damaged, a full or failing disk, or a bug.

`sqlite3.OperationalError` ("database is locked") is a subclass of
`sqlite3.DatabaseError`, so the type says nothing; the result code does.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.errors import DatabaseError

SQLITE_VERSION = sqlite3.sqlite_version  # the library this Python links
BUSY_TIMEOUT_S = 5.0  # how long to wait for another program's lock before saying so

# Primary result codes; an extended code adds bits above the low byte.
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26
SQLITE_IOERR_READS = {266, 522}  # SQLITE_IOERR_READ, SQLITE_IOERR_SHORT_READ


def error_code(exc: BaseException) -> int | None:
    """The SQLite result code of an error from `sqlite3` or SQLAlchemy, if it has one."""
    code = getattr(getattr(exc, "orig", exc), "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _primary(exc: BaseException) -> int | None:
    code = error_code(exc)
    return None if code is None else code & 0xFF


def is_busy(exc: BaseException) -> bool:
    """Another connection holds a lock that a bounded wait did not outlast."""
    return _primary(exc) in {SQLITE_BUSY, SQLITE_LOCKED}


def is_damage(exc: BaseException) -> bool:
    """The file is not a database, or its content is malformed: the only signs of damage."""
    return _primary(exc) in {SQLITE_CORRUPT, SQLITE_NOTADB}


def write_error(path: Path, exc: BaseException) -> DatabaseError | None:
    """A plain sentence for a write the disk refused (full, or an I/O error), else None."""
    code = error_code(exc)
    if code is None or code & 0xFF not in {SQLITE_IOERR, SQLITE_FULL}:
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


def sqlite_version_note(version: str = SQLITE_VERSION) -> str | None:
    """A note if this SQLite library has the known WAL-reset bug, for `rung check` and About.

    Nothing a user can do about it at start-up, so it is never a dialog there: the
    SQLite wheels on PyPI are no newer, and Rung never writes a data folder from two
    places at once (one app per folder, the folder's lock) and keeps backups.
    """
    parts = tuple(int(p) for p in version.split(".")[:3])
    if (3, 7, 0) <= parts < (3, 51, 3):
        return (
            f"SQLite {version} has a rare bug (the 'WAL-reset' bug, fixed in 3.51.3) that can "
            "damage a database two programs write at the same moment; Rung never writes a data "
            "folder from two places at once, and keeps backups."
        )
    return None
