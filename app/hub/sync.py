"""Publishing to the hub and pulling from it.

What is published is exactly what a profile bundle without private text
carries — the bundle exporter decides it, there is no second list — split
into one hub row per record (check-in, evidence entry, goal, learning item)
with a digest of its content. Publishing compares digests and writes only
the rows that changed, removes the rows the bundle no longer carries (an entry
made private, a check-in deleted), and writes nothing at all for a profile
whose digest is unchanged. Each publish is one hub transaction.

Pulling reassembles the bundle of each profile this login may read that
changed since the copy here, and imports it as a bundle file is imported
(checked, one local transaction per profile), except that the folder is backed
up once before the pull's imports rather than before each, and that a copy's
checksum names the hub's version of the profile (the publisher's digest of its
content, and the time it was published) rather than sums its text, which the
pull has just written itself; profiles this folder owns are skipped. The hub's
`published_at` is the bundle's `exported_at`, so "newer" means what it means
for files. Managers' own assessments go up, and
assessments of your own profiles come down.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

import rfc8785
from sqlalchemy import select

from app.bundle.assessment import build_assessment_bundle, import_assessment, mark_sent
from app.bundle.export import carried_stamps, export_payload, stamp
from app.bundle.importer import CheckedFrameworks, import_document
from app.bundle.model import FORMAT, FORMAT_VERSION, Payload
from app.bundle.reader import exported_time, parse_document
from app.errors import HubError, RungError
from app.hub.connection import NOTHING_CHANGED, create_hub_engine, reaching, require_revision
from app.store.models import Assessment, Profile

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.engine import URL

    from app.services import Services

KINDS = {"checkin": "checkins", "evidence": "evidence", "goal": "goals", "learning": "learning"}
"""A hub record's kind, and the payload's list it comes from."""


def digest(body: Any) -> str:
    """The SHA-256 of a JSON value's RFC 8785 form: equal content, equal digest."""
    return hashlib.sha256(rfc8785.dumps(body)).hexdigest()


def _jsonb(body: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(body)


@dataclass(frozen=True)
class _Published:
    """One profile as the hub holds it: its row's body, its records, its frameworks."""

    id: str
    name: str
    body: dict[str, Any]
    records: dict[tuple[str, str], dict[str, Any]]
    frameworks: list[dict[str, Any]]

    @classmethod
    def of(cls, payload: Payload) -> _Published:
        data = payload.model_dump(mode="json")
        frameworks = data["frameworks"]
        body = {
            "owner": data["owner"],
            "profile": data["profile"],
            "frameworks": [{k: f[k] for k in ("id", "version", "hash")} for f in frameworks],
        }
        records = {
            (kind, record["id"]): record for kind, key in KINDS.items() for record in data[key]
        }
        return cls(payload.profile.id, payload.profile.name, body, records, frameworks)

    @cached_property
    def _record_digests(self) -> dict[tuple[str, str], str]:
        return {key: digest(body) for key, body in self.records.items()}

    def record_digests(self) -> dict[tuple[str, str], str]:
        """Computed once: the profile's digest and the write of its records both need them."""
        return self._record_digests

    def digest(self) -> str:
        """Of the whole profile (when built from a whole payload): see `_whole`."""
        return _whole(self.body, self.record_digests())


@dataclass
class PublishResult:
    profiles: int = 0  # profiles published (changed)
    unchanged: int = 0  # profiles whose hub copy was already the same
    written: int = 0  # records inserted or updated
    removed: int = 0  # records no longer carried, removed from the hub

    def summary(self) -> str:
        if not self.profiles:
            held = _count(self.unchanged, "profile")
            return f"Nothing to publish: the hub already has {held} as here."
        return (
            f"Published {_count(self.profiles, 'profile')}: {_count(self.written, 'record')} "
            f"written, {self.removed} removed"
            + (f"; {self.unchanged} unchanged" if self.unchanged else "")
            + "."
        )


def _count(n: int, one: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


def _utc(moment: datetime) -> datetime:
    """A hub time as naive UTC, as the local database and bundle stamps use."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _next_stamp(now: datetime, before: datetime | None) -> datetime:
    """A publish time to the second (a bundle's `exported_at`), always later than the last."""
    moment = _utc(now).replace(microsecond=0)
    if before is not None and moment <= _utc(before):
        moment = _utc(before) + timedelta(seconds=1)
    return moment.replace(tzinfo=UTC)


def own_profile_ids(services: Services, only: Iterable[str] | None = None) -> list[str]:
    with services.store.session() as session:
        ids = list(session.scalars(select(Profile.id).where(Profile.origin == "own")))
    return ids if only is None else [i for i in ids if i in set(only)]


def publish(
    services: Services,
    url: URL,
    profile_ids: list[str],
    *,
    now: datetime | None = None,
    keyring: str | None = None,
) -> PublishResult:
    """Publish these profiles of yours (see the module's docstring) in one hub transaction.

    Only the records whose stamp the hub does not hold yet are exported here and
    digested: the hub's rows say what it holds (`carried_stamps` what there is)."""
    result = PublishResult()
    engine = create_hub_engine(url, keyring=keyring)
    try:
        with reaching(url), engine.begin() as connection:
            require_revision(connection, url)
            on_hub = {
                row[0]: (row[1], row[2], row[3])
                for row in connection.exec_driver_sql(
                    "SELECT id, digest, published_at, body FROM rung_hub.profiles "
                    "WHERE id = ANY(%(ids)s) AND owner_login = current_user FOR UPDATE",
                    {"ids": profile_ids},
                )
            }
            held = _held_records(connection, list(on_hub))
            moment = now or datetime.now(UTC)
            for pid in profile_ids:
                hub_digest, published_at, body = on_hub.get(pid, (None, None, None))
                profile, digests = _changes(services, pid, held.get(pid, {}))
                whole = _whole(profile.body, digests)
                if whole == hub_digest:
                    result.unchanged += 1
                    continue
                at = _next_stamp(moment, published_at)
                if profile.body == body:  # only records changed: the row's stamp and digest
                    connection.exec_driver_sql(
                        "UPDATE rung_hub.profiles SET published_at = %(at)s, digest = %(digest)s "
                        "WHERE id = %(id)s",
                        {"at": at, "digest": whole, "id": pid},
                    )
                else:
                    with _refusals(profile):
                        if body is None or profile.body["frameworks"] != body["frameworks"]:
                            _put_frameworks(connection, profile.frameworks)  # else held already
                        _put_profile(connection, profile, whole, at)
                mine = held.get(pid, {})
                gone = [key for key in mine if key not in digests]
                written, removed = _put_records(connection, profile, mine, gone)
                result.profiles += 1
                result.written += written
                result.removed += removed
    finally:
        engine.dispose()
    return result


_Held = dict[tuple[str, str], tuple[str, datetime]]
"""A profile's records on the hub: (kind, id) -> (digest, the `updated_at` they carry)."""


def _held_records(connection: Connection, profile_ids: list[str]) -> dict[str, _Held]:
    held: dict[str, _Held] = {pid: {} for pid in profile_ids}
    for pid, kind, rid, value, at in connection.exec_driver_sql(
        "SELECT profile_id, kind, id, digest, body->>'updated_at' FROM rung_hub.records "
        "WHERE profile_id = ANY(%(ids)s)",
        {"ids": profile_ids},
    ):
        held[pid][kind, rid] = (value, datetime.fromisoformat(at))
    return held


def _changes(
    services: Services, profile_id: str, held: _Held
) -> tuple[_Published, dict[tuple[str, str], str]]:
    """The profile with just the records the hub does not hold as they are here, and the
    digest of every record it carries (the hub's own for the unchanged ones)."""
    kind_of = {key: kind for kind, key in KINDS.items()}
    with services.store.session() as session:
        stamps = {
            (kind_of[key], rid): at
            for key, records in carried_stamps(session, profile_id).items()
            for rid, at in records.items()
        }
        changed = {key for key, at in stamps.items() if held.get(key, ("", None))[1] != at}
        only = {key: [rid for kind, rid in changed if kind == k] for k, key in KINDS.items()}
        carried = [rid for kind, rid in stamps if kind == "evidence"]
        payload = export_payload(
            session, profile_id, include_private=False, only=only, carried=carried
        )
    profile = _Published.of(payload)
    digests = {key: held[key][0] for key in stamps if key not in changed}
    return profile, digests | profile.record_digests()


def _whole(body: dict[str, Any], digests: dict[tuple[str, str], str]) -> str:
    """A profile's digest: its body and every record's digest."""
    records = sorted([*key, value] for key, value in digests.items())
    return digest({"profile": body, "records": records})


def _put_frameworks(connection: Connection, frameworks: list[dict[str, Any]]) -> None:
    keys = [[f["id"], f["version"], f["hash"]] for f in frameworks]
    held = {
        tuple(row)
        for row in connection.exec_driver_sql(
            "SELECT id, version, hash FROM rung_hub.frameworks "
            "WHERE hash = ANY(%(hashes)s) AND added_by = current_user",
            {"hashes": [k[2] for k in keys]},
        )
    }
    for record in frameworks:
        if (record["id"], record["version"], record["hash"]) in held:
            continue
        connection.exec_driver_sql(
            "INSERT INTO rung_hub.frameworks (id, version, hash, body) "
            "VALUES (%(id)s, %(version)s, %(hash)s, %(body)s) ON CONFLICT DO NOTHING",
            {**{k: record[k] for k in ("id", "version", "hash")}, "body": _jsonb(record)},
        )


@contextlib.contextmanager
def _refusals(profile: _Published) -> Iterator[None]:
    """The hub's refusals of a profile's rows, in one sentence each; a refusal ends the
    publish, whose transaction is rolled back whole."""
    import psycopg.errors as pg
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        if isinstance(exc.orig, pg.InsufficientPrivilege | pg.UniqueViolation):
            raise HubError(
                f"The hub holds {profile.name} (id {profile.id}) under another login, so it "
                "cannot be published from this one; nothing was published."
            ) from None
        if isinstance(exc.orig, pg.ForeignKeyViolation):
            raise HubError(
                "Your login is not a member of this hub (any more): ask its admin to add you "
                "with 'rung hub member add'; nothing was published."
            ) from None
        raise


def _put_profile(
    connection: Connection, profile: _Published, whole: str, published_at: datetime
) -> None:
    connection.exec_driver_sql(
        """
        INSERT INTO rung_hub.profiles (id, name, published_at, digest, body)
        VALUES (%(id)s, %(name)s, %(at)s, %(digest)s, %(body)s)
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
            published_at = EXCLUDED.published_at, digest = EXCLUDED.digest,
            body = EXCLUDED.body
        """,
        {
            "id": profile.id,
            "name": profile.name,
            "at": published_at,
            "digest": whole,
            "body": _jsonb(profile.body),
        },
    )


def _put_records(
    connection: Connection, profile: _Published, held: _Held, gone: list[tuple[str, str]]
) -> tuple[int, int]:
    """Write the records exported (those whose digest differs from the hub's), remove
    those no longer carried."""
    changed = [
        {
            "profile": profile.id,
            "kind": kind,
            "id": rid,
            "digest": value,
            "body": _jsonb(profile.records[kind, rid]),
        }
        for (kind, rid), value in profile.record_digests().items()
        if held.get((kind, rid), ("", None))[0] != value
    ]
    if changed:
        connection.exec_driver_sql(
            """
            INSERT INTO rung_hub.records (profile_id, kind, id, digest, body)
            VALUES (%(profile)s, %(kind)s, %(id)s, %(digest)s, %(body)s)
            ON CONFLICT (profile_id, kind, id) DO UPDATE SET digest = EXCLUDED.digest,
                body = EXCLUDED.body
            """,
            changed,
        )
    if gone:
        connection.exec_driver_sql(
            "DELETE FROM rung_hub.records WHERE profile_id = %(profile)s "
            "AND (kind, id) IN (SELECT * FROM unnest(%(kinds)s::text[], %(ids)s::text[]))",
            {"profile": profile.id, "kinds": [k for k, _ in gone], "ids": [i for _, i in gone]},
        )
    return len(changed), len(gone)


def withdraw(url: URL, profile_ids: list[str] | None = None, *, keyring: str | None = None) -> int:
    """Remove your published profiles (all of them, or these ids) from the hub, with their
    records and the assessments of them, in one transaction; how many. Nothing here
    changes: a publish brings them back."""
    engine = create_hub_engine(url, keyring=keyring)
    try:
        with reaching(url, afterwards=NOTHING_CHANGED), engine.begin() as connection:
            require_revision(connection, url)
            sql = "DELETE FROM rung_hub.profiles WHERE owner_login = current_user"
            if profile_ids is not None:
                sql += " AND id = ANY(%(ids)s)"
            return connection.exec_driver_sql(sql, {"ids": profile_ids or []}).rowcount
    finally:
        engine.dispose()


# -- pulling --------------------------------------------------------------------------


@dataclass
class PullResult:
    updated: list[str] = field(default_factory=list)  # "Name: what changed"
    unchanged: int = 0
    skipped_own: int = 0  # profiles this folder owns (yours, published from here)
    assessments_sent: int = 0
    assessments_received: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one sentence per copy refused

    def summary(self) -> str:
        parts = [
            f"{_count(len(self.updated), 'profile')} updated"
            if self.updated
            else "no profile changed",
            f"{self.unchanged} unchanged" if self.unchanged else "",
            f"{_count(self.assessments_sent, 'assessment')} of yours published"
            if self.assessments_sent
            else "",
            f"{_count(len(self.assessments_received), 'assessment')} of you received"
            if self.assessments_received
            else "",
        ]
        return "Pulled from the hub: " + ", ".join(p for p in parts if p) + "."


@dataclass(frozen=True)
class _Snapshot:
    """What this login reads on the hub, in one consistent read."""

    me: str
    profiles: list[tuple[str, str, str, datetime]]  # id, owner login, name, published_at
    bodies: dict[str, dict[str, Any]]  # of the profiles to bring here
    digests: dict[str, str]  # their publishers' digests (see `_whole`)
    records: dict[str, list[tuple[str, dict[str, Any]]]]
    frameworks: dict[tuple[str, str, str, str], dict[str, Any]]  # id, version, hash, added by
    assessments_of_me: list[dict[str, Any]]
    my_assessments: dict[tuple[str, str], str]  # (profile, date) -> digest
    managed: set[str]  # the logins this one may assess: reports (and theirs, with skip levels)
    checked: CheckedFrameworks = field(default_factory=dict)  # ladders checked in this pull


def pull(services: Services, url: URL, *, keyring: str | None = None) -> PullResult:
    """Bring the hub's copies this login may read here, send your assessments up
    (`keyring`: the account the password is kept under, see `create_hub_engine`)."""
    with services.store.session() as session:
        local = {
            row.id: (row.origin, row.shared_exported_at) for row in session.scalars(select(Profile))
        }
    engine = create_hub_engine(url, keyring=keyring)
    try:
        snapshot = _read(engine, url, local)
        result = PullResult()
        backups = services.store.backups
        safety = (  # one backup for the whole pull, as one import of a file takes one
            backups.kept_unless_failed("before-import")
            if local and snapshot.bodies and backups is not None
            else contextlib.nullcontext()
        )
        with safety:
            for pid, owner, name, published_at in snapshot.profiles:
                if local.get(pid, (None, None))[0] == "own" or owner == snapshot.me:
                    result.skipped_own += 1
                elif pid not in snapshot.bodies:
                    result.unchanged += 1
                else:
                    _import_profile(services, snapshot, pid, owner, name, published_at, result)
        for document in snapshot.assessments_of_me:
            _import_assessment(services, document, result)
        result.assessments_sent = _send_assessments(services, engine, url, snapshot)
    finally:
        engine.dispose()
    return result


def _read(engine: Any, url: URL, local: dict[str, tuple[str, datetime | None]]) -> _Snapshot:
    with reaching(url), engine.connect() as connection:
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        require_revision(connection, url)
        me, member = connection.exec_driver_sql(
            "SELECT current_user, EXISTS (SELECT FROM rung_hub.members WHERE login = current_user)"
        ).one()
        if not member:  # the group roles are the server's: the directory says who belongs
            raise HubError(
                f"Your login {me} is not a member of this hub (any more): ask its admin to add "
                "you with 'rung hub member add'; nothing was changed."
            )
        profiles = [
            (row[0], row[1], row[2], _utc(row[3]))
            for row in connection.exec_driver_sql(
                "SELECT id, owner_login, name, published_at FROM rung_hub.profiles "
                "ORDER BY name, id"
            )
        ]
        wanted = [
            pid
            for pid, owner, _name, at in profiles
            if owner != me and local.get(pid, (None, None))[0] != "own"
            and local.get(pid, (None, None))[1] != at
        ]  # fmt: skip
        bodies, digests = {}, {}
        for pid, content, body in connection.exec_driver_sql(
            "SELECT id, digest, body FROM rung_hub.profiles WHERE id = ANY(%(ids)s)",
            {"ids": wanted},
        ):
            bodies[pid], digests[pid] = body, content
        records: dict[str, list[tuple[str, dict[str, Any]]]] = {pid: [] for pid in wanted}
        for pid, kind, body in connection.exec_driver_sql(
            "SELECT profile_id, kind, body FROM rung_hub.records WHERE profile_id = ANY(%(ids)s) "
            "ORDER BY profile_id, kind, id",
            {"ids": wanted},
        ):
            records[pid].append((kind, body))
        hashes = sorted({f["hash"] for body in bodies.values() for f in body["frameworks"]})
        owners = sorted({owner for pid, owner, _name, _at in profiles if pid in bodies})
        frameworks = {
            (row[0], row[1], row[2], row[3]): row[4]
            for row in connection.exec_driver_sql(
                "SELECT id, version, hash, added_by, body FROM rung_hub.frameworks "
                "WHERE hash = ANY(%(hashes)s) AND added_by = ANY(%(owners)s)",
                {"hashes": hashes, "owners": owners},
            )
        }
        of_me = [
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT body FROM rung_hub.assessments WHERE owner_login = current_user "
                "ORDER BY date, assessor_login"
            )
        ]
        mine = {
            (row[0], row[1].isoformat()): row[2]
            for row in connection.exec_driver_sql(
                "SELECT profile_id, date, digest FROM rung_hub.assessments "
                "WHERE assessor_login = current_user"
            )
        }
        managed = set(connection.exec_driver_sql("SELECT rung_hub.managed_logins()").scalars())
        connection.rollback()
    return _Snapshot(me, profiles, bodies, digests, records, frameworks, of_me, mine, managed)


def _document(snapshot: _Snapshot, pid: str, owner: str, published_at: datetime) -> dict[str, Any]:
    """The profile bundle the hub's rows make up, as its owner's exporter would write it
    (with the ladders as its owner published them)."""
    body = snapshot.bodies[pid]
    lists: dict[str, list[Any]] = {key: [] for key in KINDS.values()}
    for kind, record in snapshot.records[pid]:
        lists[KINDS[kind]].append(record)
    frameworks = []
    for ref in body["frameworks"]:
        held = snapshot.frameworks.get((ref["id"], ref["version"], ref["hash"], owner))
        frameworks.append(held if held is not None else ref)  # then refused by the checks
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": "profile",
        "exported_at": stamp(published_at),
        "payload": {
            "include_private": False,
            "owner": body["owner"],
            "profile": body["profile"],
            "frameworks": frameworks,
            **lists,
        },
    }
    # The checksum names this version, as a file's does (an assessment made on the copy
    # refers to it): the publisher's digest of the content, and the time it was published.
    # Summing the whole text again here would cost more than the rest of the import.
    document["checksum"] = digest(
        {"profile": snapshot.digests[pid], "published": stamp(published_at)}
    )
    return document


def _import_profile(
    services: Services,
    snapshot: _Snapshot,
    pid: str,
    owner: str,
    name: str,
    published_at: datetime,
    result: PullResult,
) -> None:
    label = f"the hub's copy of {name}"
    try:
        raw = json.dumps(_document(snapshot, pid, owner, published_at), ensure_ascii=False)
        document = parse_document(raw.encode("utf-8"), label, hub_copy=True)
        imported = import_document(
            services.store, services.frameworks, document, backed_up=True, checked=snapshot.checked
        )
    except (RungError, KeyError, TypeError) as exc:
        result.problems.append(str(exc) if isinstance(exc, RungError) else f"{label} is damaged.")
        return
    if imported.action == "updated" or imported.action == "created":
        result.updated.append(f"{imported.name}: {imported.summary}")
    else:
        result.unchanged += 1


def _import_assessment(services: Services, body: dict[str, Any], result: PullResult) -> None:
    label = "an assessment on the hub"
    try:
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        imported = import_assessment(
            services.store, services.frameworks, parse_document(raw, label)
        )
    except RungError as exc:
        result.problems.append(str(exc))
        return
    if imported.action not in ("unchanged-same", "unchanged-older"):
        result.assessments_received.append(f"{imported.name}: {imported.summary}")


def _send_assessments(services: Services, engine: Any, url: URL, snapshot: _Snapshot) -> int:
    """Publish this folder owner's latest assessment of each profile shared here that the
    hub holds and this login may assess (a committee member's notes stay here); an
    unchanged one writes nothing."""
    managed = snapshot.managed
    owners = {pid: owner for pid, owner, _name, _at in snapshot.profiles if owner in managed}
    with services.store.session() as session:  # one query, not a refused bundle per profile
        assessed = set(
            session.scalars(select(Assessment.profile_id).where(Assessment.origin == "own"))
        )
    rows = []
    for pid, owner in owners.items():
        if pid not in assessed:  # nothing to send: build_assessment_bundle would refuse
            continue
        try:
            bundle = build_assessment_bundle(services.store, pid)
        except RungError:  # none yet, your own profile, or no identity to sign it
            continue
        document = bundle.model_dump(mode="json")
        day = bundle.payload.date.isoformat()
        content = digest(document["payload"])
        if snapshot.my_assessments.get((pid, day)) == content:
            continue
        rows.append(
            {
                "profile": pid,
                "date": bundle.payload.date,
                "owner": owner,
                "at": exported_time(bundle.exported_at).replace(tzinfo=UTC),
                "digest": content,
                "body": _jsonb(document),
            }
        )
    if rows:  # after the imports: a failure now leaves what they brought here
        kept = "what this pull brought here is kept, and the next pull sends your assessments"
        with reaching(url, afterwards=kept), engine.begin() as connection:
            connection.exec_driver_sql(
                """
                INSERT INTO rung_hub.assessments
                    (profile_id, date, owner_login, exported_at, digest, body)
                VALUES (%(profile)s, %(date)s, %(owner)s, %(at)s, %(digest)s, %(body)s)
                ON CONFLICT (profile_id, assessor_login, date) DO UPDATE SET
                    exported_at = EXCLUDED.exported_at, digest = EXCLUDED.digest,
                    body = EXCLUDED.body
                """,
                rows,
            )
        for row in rows:
            mark_sent(services.store, row["profile"], row["date"])
    return len(rows)
