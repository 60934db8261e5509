"""One process at a time changes the shape of a data folder's database.

Creating the schema, migrating it, restoring a backup, erasing and pruning
backups each hold the data folder's lock file (an OS file lock through
`filelock`, released by the OS if the process dies), so that a second
`rung` process, or the app, waits for the first instead of finding a file
half-created or a backup half-pruned. Ordinary reads and writes don't take it:
SQLite's own locks serialise those.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from app.errors import BusyDatabaseError

LOCK_NAME = ".rung-folder.lock"
LOCK_TIMEOUT_S = 30.0  # a migration of years of data by another process takes seconds


def in_use(data_dir: Path) -> BusyDatabaseError:
    return BusyDatabaseError(
        f"Rung's data in {data_dir} is in use by another program; nothing was changed."
    )


@contextlib.contextmanager
def folder_lock(data_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the data folder's lock, waiting up to `timeout` seconds for another process.

    Reentrant within a process; `BusyDatabaseError` if the wait runs out.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(data_dir / LOCK_NAME, mode=0o600, thread_local=False, is_singleton=True)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S if timeout is None else timeout)
    except Timeout:
        raise in_use(data_dir) from None
    try:
        yield
    finally:
        lock.release()
