"""`rung backup restore` on a nearly full disk, for `test_faults`: a real small file system.

Usage (as the test runs it, in its own user and mount namespace, so that no
privilege is needed and nothing outside is touched):

    unshare -rm python tests/faults/full_disk.py WORK SOURCE CURRENT FREE_KIB...

WORK is an empty folder on which a 16 MiB tmpfs is mounted; SOURCE is a
database to restore, CURRENT a data folder holding the database it replaces.
For each FREE_KIB the data folder is put on the tmpfs, a filler file leaves
about that much room, `rung backup restore SOURCE` runs, and one JSON line
reports its exit status, its stderr, and what the database holds afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path


def rows(database: Path) -> dict[str, list[list[object]]]:
    with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: sorted(map(list, conn.execute(f'SELECT * FROM "{name}"')), key=repr)
            for name in sorted(names)
        }


def leave_free(folder: Path, free: int) -> None:
    """Fill the file system holding `folder` until about `free` bytes are left."""
    stats = os.statvfs(folder)
    room = stats.f_bavail * stats.f_frsize - free
    if room > 0:
        with (folder / "filler").open("wb") as handle:
            handle.truncate(0)
            handle.write(b"\0" * room)


def run(work: Path, source: Path, current: Path, free: int) -> dict[str, object]:
    for child in work.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    data = work / "data"
    shutil.copytree(current, data)
    leave_free(work, free)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data), "backup", "restore", str(source)],
        capture_output=True,
        text=True,
    )
    wal = data / "rung.sqlite3-wal"
    unfolded = wal.is_file() and wal.stat().st_size > 0  # the checkpoint found no room
    (work / "filler").unlink(missing_ok=True)
    names = sorted(p.name for p in data.rglob("*") if p.name != ".rung-folder.lock")
    return {
        "free_kib": free // 1024,
        "code": result.returncode,
        "out": result.stdout,
        "err": result.stderr,
        "holds": (
            "source"
            if rows(data / "rung.sqlite3") == rows(source)
            else "current"
            if rows(data / "rung.sqlite3") == rows(current / "rung.sqlite3")
            else "neither"
        ),
        "files": names,
        "wal_not_folded_in": unfolded,
    }


def main() -> int:
    work, source, current = (Path(arg) for arg in sys.argv[1:4])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(work)], check=True)
    for free_kib in sys.argv[4:]:
        sys.stdout.write(json.dumps(run(work, source, current, int(free_kib) * 1024)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
