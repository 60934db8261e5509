"""Errors meant for people: each carries one plain sentence and an exit status.

Anything that is not a `RungError` is a bug and is reported as one.
"""

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
    """A framework file or model that cannot be used."""


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
