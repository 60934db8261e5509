"""Errors meant for people, and the one place that says what any exception means to a user.

A `RungError` carries one plain sentence and an exit status. `describe` turns
any exception into the sentence the command line and the app both show; one
that is neither a `RungError` nor a failure of the machine (a file that cannot
be read, a database the system refused) is a bug, and is said to be one.
"""

from __future__ import annotations

from pathlib import Path


class RungError(Exception):
    """A known failure the user can act on; `str()` is the sentence to show."""

    exit_code = 1


class UsageError(RungError):
    """The command line itself was wrong (exit status 2)."""

    exit_code = 2


class NotFoundError(RungError):
    """A profile, framework or check-in that the user named does not exist."""


class FrameworkError(RungError):
    """A framework file or model that cannot be used.

    `problems` lists each problem on its own, where it is and what is wrong with it (all
    of them, where the sentence names the first few); else it is the sentence alone.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class DatabaseError(RungError):
    """The database cannot be opened or used as it is."""


class DamagedDatabaseError(DatabaseError):
    """The database file is not a readable SQLite database.

    When the file was moved aside, `moved_to` says where.
    """

    def __init__(self, message: str, *, moved_to: Path | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class BusyDatabaseError(DatabaseError):
    """Another program holds the database (or the data folder's lock) past a bounded wait.

    Busy is never damage: nothing is moved aside and nothing was changed.
    """


class NewerDatabaseError(DatabaseError):
    """The database was written by a newer version of Rung."""


class ReadOnlyError(RungError):
    """A profile shared by its owner was about to change; the manager's copy is read-only."""


class InvalidInputError(RungError):
    """A value the user typed or passed cannot be stored as it is."""


class BundleError(InvalidInputError):
    """A `.rung` file that cannot be imported as it is: damaged, newer, or inconsistent."""


class HubError(RungError):
    """The team hub cannot be reached, or refused what was asked; local data is unchanged."""


class HubUnreachableError(HubError):
    """The hub did not answer (the network, the server, the login): try again later."""


BUG = "this is a bug, please report it"
LOGGED_AT = "rung_log"  # the attribute `app.log.log_bug` sets on an exception it wrote


def is_bug(exc: BaseException) -> bool:
    """Whether `exc` is ours to fix (logged with its traceback) rather than the user's to act on."""
    return not isinstance(exc, RungError | OSError) and not _database_failure(exc)


def _database_failure(exc: BaseException) -> bool:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    return isinstance(exc, OperationalError | sqlite3.OperationalError)


def describe(exc: BaseException, log: Path | None = None) -> str:
    """The sentence a user sees for `exc`, the same in the command line and in the app.

    `log` is where a bug's traceback was written, named in the sentence; by
    default, wherever `app.log.log_bug` wrote this exception.
    """
    if isinstance(exc, RungError):
        return str(exc)
    if isinstance(exc, PermissionError):
        return f"Permission denied: {exc.filename}."
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}."
    if _database_failure(exc):
        return f"The database could not be used: {getattr(exc, 'orig', exc)}."
    log = log or getattr(exc, LOGGED_AT, None)
    details = f"; the details are in {log}" if log is not None else ""
    return f"Unexpected error ({type(exc).__name__}: {exc}); {BUG}{details}."
