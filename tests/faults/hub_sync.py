"""Hub publishers and pullers to be killed with SIGKILL, for `test_hub_faults`: a fork server.

Usage: python tests/faults/hub_sync.py

Starting Python and importing the app costs most of a second, so this script
imports it once and forks one real process per command it reads on stdin
(nothing database-related exists before a fork: each child opens its data
folder, its SQLite connections and its hub connections itself):

    PUBLISH <seed> <data_dir> <profile_id>
        fork a publisher that loops until it is killed: change the profile
        (evidence added, some deleted or made private, now and then a check-in
        deleted; one local change after another), then `HubService.publish()`
    PULL <data_dir>
        fork a puller: one `HubService.pull()`, then it waits to be killed
    ENGINEER <index> <seed> <data_dir> <uri> <go_dir>
        fork one of a team: make a profile, connect, wait for `<go_dir>/1`,
        publish, change the profile, wait for `<go_dir>/2`, publish, exit 0
    WAIT    wait for every child still running (the team), printing EXIT lines
    QUIT    exit

Children print, each line in one `write()` (whole lines even when 20 share the pipe):

    PID <pid>                   first
    OPEN                        its data folder is open
    CHANGED <digest> <records>  a change is committed locally: the profile as a publish
                                of it would hold it (`_Published.digest()`, record count)
    PUBLISHED                   `publish()` returned (it published the last CHANGED)
    PULLED                      `pull()` returned
    HUB / HUBEND                a hub transaction began / is about to commit or roll back
    TX / TXEND                  before a local transaction's first change / once it ended

A team member's lines start with `<index> `. The server prints `READY` once
imported and `EXIT <pid> <code>` once a child is gone (-9 after SIGKILL). A
child that fails prints its traceback on stderr and exits with 1.
"""

from __future__ import annotations

import os
import random
import sys
import time
import traceback
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # started as a script: the checkout is not on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from app.bundle.export import export_payload
from app.hub.service import HubService
from app.hub.sync import _Published
from app.services import Services, open_services
from app.services.demo import create_demo
from app.services.evidence import EvidenceInfo
from app.store.models import CheckIn, Evidence

PREFIX = ""  # a team member's index, before each of its lines


def emit(line: str) -> None:
    """One line, one unbuffered write: never half a line, never lost in a buffer at the kill."""
    os.write(1, f"{PREFIX}{line}\n".encode())


class Markers:
    """HUB/HUBEND around each hub transaction, TX/TXEND around each local write transaction."""

    def __init__(self) -> None:
        self.local_open = False

    def install(self) -> None:
        event.listen(Engine, "begin", self.begin)
        event.listen(Engine, "commit", self.end)
        event.listen(Engine, "rollback", self.end)
        event.listen(Engine, "before_cursor_execute", self.before_execute)
        event.listen(Session, "after_commit", self.after_local)
        event.listen(Session, "after_rollback", self.after_local)

    @staticmethod
    def begin(connection: Any) -> None:
        if connection.engine.dialect.name == "postgresql":
            emit("HUB")

    @staticmethod
    def end(connection: Any) -> None:
        if connection.engine.dialect.name == "postgresql":
            emit("HUBEND")

    def before_execute(self, connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if connection.engine.dialect.name != "sqlite" or self.local_open:
            return
        if statement.lstrip()[:6].upper() in {"INSERT", "UPDATE", "DELETE"}:
            self.local_open = True
            emit("TX")

    def after_local(self, _session: Session) -> None:
        if self.local_open:
            self.local_open = False
            emit("TXEND")


def published(services: Services, profile_id: str) -> _Published:
    """The profile as a publish of it would hold it."""
    with services.store.session() as session:
        return _Published.of(export_payload(session, profile_id, include_private=False))


def announce(services: Services, profile_id: str) -> None:
    state = published(services, profile_id)
    emit(f"CHANGED {state.digest()} {len(state.records)}")


def change(services: Services, profile_id: str, rng: random.Random) -> None:
    """Add shared evidence (one transaction), then delete or hide some, then maybe drop a
    check-in: the next publish writes some records and removes others."""
    today = date.today()
    entries = [
        EvidenceInfo(
            id="",
            profile_id=profile_id,
            date=today - timedelta(days=rng.randrange(400)),
            title=f"Shipped part {rng.randrange(10**9)} of the 李雷 pipeline 🚀 <b>&</b>",
            description="Zoë's note " * rng.randint(1, 40),
            link=None,
            private=False,
            tags=(),
        )
        for _ in range(rng.randint(5, 40))
    ]
    services.evidence.add_many(profile_id, entries)
    with services.store.session() as session:
        shared = list(
            session.scalars(
                select(Evidence.id).where(Evidence.profile_id == profile_id, ~Evidence.private)
            )
        )
        finals = list(
            session.scalars(
                select(CheckIn.id).where(
                    CheckIn.profile_id == profile_id, CheckIn.status == "final"
                )
            )
        )
    for evidence_id in rng.sample(shared, min(len(shared), rng.randint(0, 6))):
        if rng.random() < 0.5:
            services.evidence.delete(evidence_id)
        else:
            entry = services.evidence.get(evidence_id)
            services.evidence.update(
                evidence_id,
                day=entry.date,
                title=entry.title,
                description=entry.description,
                link=entry.link,
                private=True,
                tags=entry.tags,
                impact=entry.impact,
                feedback=entry.feedback,
            )
    if len(finals) > 20 and rng.random() < 0.3:
        services.checkins.delete(rng.choice(finals))


def publish_forever(seed: int, data_dir: Path, profile_id: str) -> None:
    emit(f"PID {os.getpid()}")
    rng = random.Random(seed)
    Markers().install()
    services = open_services(data_dir)
    hub = HubService(services)
    emit("OPEN")
    while True:
        change(services, profile_id, rng)
        announce(services, profile_id)
        hub.publish()
        emit("PUBLISHED")


def pull_once(data_dir: Path) -> None:
    emit(f"PID {os.getpid()}")
    Markers().install()
    services = open_services(data_dir)
    emit("OPEN")
    HubService(services).pull()
    emit("PULLED")
    while True:  # only the kill ends it: the test kills after the pull too, now and then
        time.sleep(1)


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.005)


def engineer(index: int, seed: int, data_dir: Path, uri: str, go: Path) -> None:
    global PREFIX
    PREFIX = f"{index} "
    emit(f"PID {os.getpid()}")
    rng = random.Random(seed)
    services = open_services(data_dir)
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=1, seed=seed
    )
    services.evidence.add(profile_id, day=date.today(), title=f"Engineer {index}'s launch")
    hub = HubService(services)
    hub.connect(uri)
    announce(services, profile_id)
    emit("OPEN")
    for round_ in ("1", "2"):
        wait_for(go / round_)
        hub.publish()
        emit("PUBLISHED")
        if round_ == "1":
            change(services, profile_id, rng)
            announce(services, profile_id)
    services.close()


def run_child(work: Any, *args: Any) -> None:
    """In the forked child: `work`, and never return into the server's loop."""
    try:
        work(*args)
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def serve() -> int:
    emit("READY")
    children: set[int] = set()

    def reap(pid: int) -> None:
        _, status = os.waitpid(pid, 0)
        children.discard(pid)
        emit(f"EXIT {pid} {os.waitstatus_to_exitcode(status)}")

    for command in sys.stdin:
        words = command.split()
        match words:
            case ["PUBLISH", seed, data_dir, profile_id]:
                work: tuple[Any, ...] = (publish_forever, int(seed), Path(data_dir), profile_id)
            case ["PULL", data_dir]:
                work = (pull_once, Path(data_dir))
            case ["ENGINEER", index, seed, data_dir, uri, go]:
                work = (engineer, int(index), int(seed), Path(data_dir), uri, Path(go))
            case ["WAIT"]:
                for pid in sorted(children):
                    reap(pid)
                continue
            case ["QUIT"]:
                return 0
            case _:
                sys.stderr.write(f"hub_sync.py: unknown command {command!r}\n")
                return 2
        pid = os.fork()
        if pid == 0:
            run_child(*work)
        children.add(pid)
        if words[0] != "ENGINEER":  # one at a time: wait for its kill
            reap(pid)
    return 0


if __name__ == "__main__":
    sys.exit(serve())
