"""Files the app writes: owner-only, and atomic (a crash leaves the old file or the new one).

Every file Rung produces (exports, reports, bundles, backups) goes through
`atomic_write` or, for databases, `app.store.backup.copy_database`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from app.errors import RungError

# Errors that mean "no room": a full disk, a file-size limit, a full quota.
_NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class FileWriteError(RungError):
    """A file could not be written (a full disk, an I/O error); the previous one is kept."""


def make_private_dir(path: Path) -> None:
    """Create a folder (and parents) that only the owner can read."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by the owner only (SQLite gives -wal/-shm the same mode)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def timestamp() -> str:
    """A UTC timestamp for file names, sortable and unique enough (microseconds)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    existed = path.exists()
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(exc, OSError) and exc.errno in {*_NO_SPACE, errno.EIO}:
            kept = "the previous file was kept" if existed else "nothing was written"
            problem = (
                f"Writing {path} failed (a disk I/O error)"
                if exc.errno == errno.EIO
                else f"There is not enough disk space to write {path}"
            )
            raise FileWriteError(f"{problem}; {kept}.") from None
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
