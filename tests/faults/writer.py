"""Check-in writers to be killed with SIGKILL, for `test_faults`: a small fork server.

Usage: python tests/faults/writer.py DATA_DIR PROFILE_ID

Starting Python and importing `app.services` costs about 0.6 s, which would
make hundreds of kills slow. So this script imports the app once and then
forks one writer per command it reads on stdin:

    SPAWN <seed>   fork a new writer process (a real process, killed for real)
    QUIT           exit (only once no writer is alive)

A writer opens the data folder itself (its own engine and SQLite connections;
nothing database-related exists before the fork) and loops until it is
killed: `start_draft` → 1-4 × `set_rating` (notes from empty to ~20 KB, so
that some commits span many WAL frames) → `finalize`. It prints, each line in
one `write()` so that the test reads whole lines:

    PID <pid>               first, before it opens the database
    START <n> <operation>   just before each service call that may write
    DONE <n>                just after that call returned (its transaction committed)
    COMMITTED <checkin_id>  just after `finalize` returned (the check-in is final)
    TX                      just before a transaction's first INSERT/UPDATE/DELETE
    TXEND                   just after that transaction committed or rolled back

A kill between TX and TXEND landed inside a write transaction: SQLite held the
write lock with changes in its page cache or half-way into the -wal.

The server itself prints `READY` once imported and `EXIT <pid> <code>` once a
writer is gone (`<code>` is -9 after SIGKILL). A writer that fails prints its
traceback on stderr and exits with 1, which the test reports.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from pathlib import Path

if __name__ == "__main__":  # started as a script: the checkout is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.services import open_services

NOTE_TEXT = "Zoë shipped the 李雷 pipeline 🚀; <b>reviewed</b> & merged. "


def emit(line: str) -> None:
    """One line, one unbuffered write: never half a line, never lost in a buffer at the kill."""
    os.write(1, f"{line}\n".encode())


def note(rng: random.Random) -> str | None:
    roll = rng.random()
    if roll < 0.2:
        return None
    size = rng.randint(1, 300) if roll < 0.85 else rng.randint(2_000, 20_000)
    return (NOTE_TEXT * (size // len(NOTE_TEXT) + 1))[:size]


class TransactionMarkers:
    """TX before the first change of a transaction, TXEND once it is over."""

    def __init__(self) -> None:
        self.open = False

    def before_execute(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not self.open and statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.open = True
            emit("TX")

    def after_end(self, _session: Session) -> None:
        if self.open:
            self.open = False
            emit("TXEND")


def write_forever(data_dir: Path, profile_id: str, seed: int) -> None:
    emit(f"PID {os.getpid()}")
    rng = random.Random(seed)
    services = open_services(data_dir)
    markers = TransactionMarkers()
    event.listen(services.store.engine, "before_cursor_execute", markers.before_execute)
    event.listen(Session, "after_commit", markers.after_end)
    event.listen(Session, "after_rollback", markers.after_end)
    stage = services.profiles.get(profile_id).current
    framework = services.frameworks.get(stage.framework, stage.framework_version)
    skills = [skill.id for skill in framework.skills]
    step = 0
    while True:
        step += 1
        emit(f"START {step} start_draft")
        draft = services.checkins.start_draft(profile_id)
        emit(f"DONE {step}")
        for skill_id in rng.sample(skills, rng.randint(1, 4)):
            step += 1
            emit(f"START {step} set_rating")
            services.checkins.set_rating(
                draft.id,
                skill_id,
                rng.randint(0, framework.max_rating),
                confidence=rng.choice([None, 1, 3, 5]),
                note=note(rng),
            )
            emit(f"DONE {step}")
        step += 1
        emit(f"START {step} finalize")
        services.checkins.finalize(draft.id)
        emit(f"COMMITTED {draft.id}")


def serve(data_dir: Path, profile_id: str) -> int:
    emit("READY")
    for command in sys.stdin:
        match command.split():
            case ["SPAWN", seed]:
                pid = os.fork()
                if pid == 0:  # the writer: it only ever ends by a kill or an error
                    try:
                        write_forever(data_dir, profile_id, int(seed))
                    except BaseException:
                        traceback.print_exc()
                        sys.stderr.flush()
                    os._exit(1)
                _, status = os.waitpid(pid, 0)
                emit(f"EXIT {pid} {os.waitstatus_to_exitcode(status)}")
            case ["QUIT"]:
                return 0
            case _:
                sys.stderr.write(f"writer.py: unknown command {command!r}\n")
                return 2
    return 0


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1]), sys.argv[2]))
