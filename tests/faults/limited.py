"""Runs Rung in a process whose files cannot grow past a size: a full disk, as it sees it.

`RLIMIT_FSIZE` makes every write past the limit fail with EFBIG ("File too
large"), and SQLite turns that into SQLITE_IOERR_WRITE or SQLITE_FULL, exactly
as on a full disk. SIGXFSZ, which would otherwise kill the process, is
ignored. Only the soft limit is set, so the process can lift it again.

Usage:
    python tests/faults/limited.py [--fsize BYTES] [--umask OCTAL] cli ARG...
        `rung ARG...` under the limit; exits with its status (stderr is rung's).
    python tests/faults/limited.py save DATA_DIR CHECKIN_ID SKILL_ID HEADROOM
        Opens the data folder, saves a small rating, empties the -wal, sets
        the limit HEADROOM bytes above the larger of its -wal and -shm, saves a
        rating with a 400 KB note, lifts the limit and saves a small one.
        Prints JSON: what the big save raised, and whether the small one
        worked afterwards in the same process.
    python tests/faults/limited.py --umask 0 modes DATA_DIR EXPORT_DIR
        With every permission bit allowed by the umask, creates the data folder,
        the database, a backup, an export and an `atomic_write` file, and prints
        the mode of each as JSON, once while the database is open (with its
        -wal and -shm) and once after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import sqlite3
import stat
import sys
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # started as a script: the checkout is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

BIG_NOTE = "🚀" * 100_000  # the longest note allowed, 400 KB in UTF-8
SMALL_NOTE = "saved once the disk had room again"


def limit_file_size(size: int | None) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(
        resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY if size is None else size, hard)
    )


def cli(args: list[str]) -> int:
    from app.cli import main

    return main(args)


def save(data_dir: Path, checkin_id: str, skill_id: str, headroom: int) -> int:
    from app.errors import RungError
    from app.services import open_services

    services = open_services(data_dir)
    # A first save takes the day's backup, if one is due, while there is room; then a save
    # writes to the -wal only: emptied, it is what must not fit. (The database itself may be
    # larger than the note: the built-in ladders are stored in it.)
    services.checkins.set_rating(checkin_id, skill_id, 1, note=SMALL_NOTE)
    with contextlib.closing(sqlite3.connect(data_dir / "rung.sqlite3")) as conn:
        busy, _frames, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0, "the -wal could not be emptied"
    sizes = {p.name: p.stat().st_size for p in data_dir.glob("rung.sqlite3-*")}
    limit = max(sizes.values()) + headroom
    result: dict[str, Any] = {"sizes": sizes, "limit": limit}
    limit_file_size(limit)
    try:
        services.checkins.set_rating(checkin_id, skill_id, 2, note=BIG_NOTE)
        result["big_save"] = "saved"
    except RungError as exc:
        result["big_save"] = "RungError"
        result["error"] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        result["big_save"] = "unexpected"
        result["error"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    limit_file_size(None)
    try:
        services.checkins.set_rating(checkin_id, skill_id, 1, note=SMALL_NOTE)
        result["small_save"] = "saved"
    except Exception as exc:
        result["small_save"] = f"{type(exc).__name__}: {str(exc)[:500]}"
    services.close()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


def _modes(*roots: Path) -> dict[str, str]:
    found = {}
    for root in roots:
        for path in [root, *sorted(root.rglob("*"))]:
            found[str(path)] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def modes(data_dir: Path, export_dir: Path) -> int:
    from app.files import atomic_write
    from app.services import open_services

    services = open_services(data_dir)
    profile = services.profiles.create(
        name="Zoë", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    draft = services.checkins.start_draft(profile.id)
    services.checkins.set_rating(draft.id, services.frameworks.load("ml-engineer").skills[0].id, 2)
    assert services.store.backups is not None
    services.store.backups.create()
    export_dir.mkdir()
    services.frameworks.export_file("ml-engineer", export_dir / "ladder.yaml")
    atomic_write(export_dir / "written.bin", b"any atomic_write output", data_dir=data_dir)
    while_open = _modes(data_dir, export_dir)
    services.close()
    sys.stdout.write(
        json.dumps({"open": while_open, "closed": _modes(data_dir, export_dir)}) + "\n"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fsize", type=int)
    parser.add_argument("--umask", type=lambda text: int(text, 8))
    parser.add_argument("command", choices=["cli", "save", "modes"])
    parser.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    if options.umask is not None:
        os.umask(options.umask)
    if options.fsize is not None:
        limit_file_size(options.fsize)
    if options.command == "cli":
        return cli(options.args)
    if options.command == "save":
        data_dir, checkin_id, skill_id, headroom = options.args
        return save(Path(data_dir), checkin_id, skill_id, int(headroom))
    data_dir, export_dir = options.args
    return modes(Path(data_dir), Path(export_dir))


if __name__ == "__main__":
    sys.exit(main())
