"""Files the app writes: owner-only, atomic, and never over the user's data.

Every file Rung produces for the user (reports, bundles, framework exports,
calendars) goes through `atomic_write`, which refuses, before anything is
written, a path inside the data folder (the live database, its -wal/-shm,
the backups, settings and locks) or the same file under another name, and
any existing file that is not a regular file (a folder, a device, a FIFO),
symlinks resolved. Databases are copied with `app.store.backup.copy_database`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from app.errors import InvalidInputError, RungError

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


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(path: Path, data_dir: Path) -> Path:
    """The real path to write `path` to, or `InvalidInputError` naming `path` as given.

    Refused: anything inside the data folder `data_dir` (what Rung keeps there
    is its own), another name (hard link) of a file in it, and an existing
    file that is not a regular one.
    """
    target = path.resolve()
    folder = data_dir.resolve()
    if _inside(target, folder) or _same_as_any(target, folder):
        raise InvalidInputError(
            f"{path} is Rung's own data (in the data folder {data_dir}); "
            "choose a file somewhere else. Nothing was written."
        )
    if target.exists() and not target.is_file():
        kind = "a folder" if target.is_dir() else "not a regular file (a device or a pipe)"
        raise InvalidInputError(f"{path} is {kind}; choose a file name. Nothing was written.")
    return target


def _same_as_any(target: Path, folder: Path) -> bool:
    """Whether `target` is a hard link to a file in the data folder (or its backups)."""
    try:
        identity = os.stat(target)
    except OSError:
        return False
    if not folder.is_dir():
        return False
    return any(
        os.path.samestat(identity, os.stat(candidate))
        for candidate in folder.rglob("*")
        if candidate.is_file()
    )


def atomic_write(path: Path, data: bytes, *, data_dir: Path, mode: int = 0o600) -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over.

    `path` is checked first (`check_output`); errors name `path` as the user gave it.
    """
    write_own_file(check_output(path, data_dir), data, mode=mode, shown_as=path)


def write_own_file(
    target: Path, data: bytes, *, mode: int = 0o600, shown_as: Path | None = None
) -> None:
    """`atomic_write` without the output check: for Rung's own files in the data folder
    (such as the hub's connection settings); errors name `shown_as`, default `target`."""
    path = shown_as or target
    folder = target.parent
    existed = target.exists()
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(exc, OSError):
            raise _write_failed(path, exc, existed) from None
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_failed(path: Path, exc: OSError, existed: bool) -> FileWriteError:
    kept = "the previous file was kept" if existed else "nothing was written"
    if exc.errno in _NO_SPACE:
        return FileWriteError(f"There is not enough disk space to write {path}; {kept}.")
    if exc.errno == errno.EIO:
        return FileWriteError(f"Writing {path} failed (a disk I/O error); {kept}.")
    if exc.errno == errno.ENOENT:
        return FileWriteError(f"The folder {path.parent} does not exist; {kept}.")
    reason = (exc.strerror or str(exc)).lower()
    return FileWriteError(f"{path} cannot be written ({reason}); {kept}.")
