"""Openers of a data folder to be killed with SIGKILL, for `test_faults`: a small fork server.

Usage: python tests/faults/opener.py DATA_DIR

Imports the store and Alembic once, then forks one opener per `OPEN` line on
stdin. An opener calls `open_store(DATA_DIR)`, which creates the schema in a
fresh folder or migrates an older database, and prints, each line in one
`write()`:

    PID <pid>   first
    TX          when a transaction begins on any engine (the migration's)
    TXEND       when it commits
    OPENED      once `open_store` returned

The server prints `READY` once imported and `EXIT <pid> <code>` once an
opener is gone (`<code>` is -9 after SIGKILL); `QUIT` ends it.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

if __name__ == "__main__":  # started as a script: the checkout is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import alembic.command  # noqa: F401 - imported before the fork, as the app would have it
from sqlalchemy import Engine, event

from app.store.db import open_store


def emit(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def open_once(data_dir: Path) -> None:
    emit(f"PID {os.getpid()}")
    event.listen(Engine, "begin", lambda _connection: emit("TX"))
    event.listen(Engine, "commit", lambda _connection: emit("TXEND"))
    open_store(data_dir).close()
    emit("OPENED")


def serve(data_dir: Path) -> int:
    emit("READY")
    for command in sys.stdin:
        match command.split():
            case ["OPEN"]:
                pid = os.fork()
                if pid == 0:
                    code = 0
                    try:
                        open_once(data_dir)
                    except BaseException:
                        traceback.print_exc()
                        sys.stderr.flush()
                        code = 1
                    os._exit(code)
                _, status = os.waitpid(pid, 0)
                emit(f"EXIT {pid} {os.waitstatus_to_exitcode(status)}")
            case ["QUIT"]:
                return 0
            case _:
                sys.stderr.write(f"opener.py: unknown command {command!r}\n")
                return 2
    return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1])))
