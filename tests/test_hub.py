"""The team hub against a real PostgreSQL: publishing, pulling, assessments both ways,
and the command line. Access rules as each role are in `test_hub_access.py`."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.errors import HubError, InvalidInputError
from app.hub.connection import parse_url
from app.hub.service import HubService
from app.hub.sync import publish, pull
from app.services import Services, open_services
from tests.conftest import folder_digest
from tests.helpers import (
    CANARIES,
    SHARED_EVIDENCE,
    Run,
    assert_failed,
    assert_ok,
    private_profile,
)
from tests.pg import Hub, new_hub

Folder = Callable[[str], Services]


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Folder]:
    """Data folders of their own, one per person, closed after the test."""
    opened: list[Services] = []

    def make(name: str) -> Services:
        services = open_services(tmp_path / name)
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.close()


def _connect(services: Services, uri: str) -> HubService:
    hub = HubService(services)
    hub.connect(uri)
    return hub


@dataclass(frozen=True)
class Engineer:
    """Zoë's side: her data folder, her profile (private text in every kind), her hub."""

    services: Services
    profile_id: str
    hub: HubService


def _zoe(
    hub: Hub, folder: Folder, tmp_path: Path, *, manager: str | None = None, publish: bool = True
) -> Engineer:
    """Zoë as a member (reporting to `manager`), her profile made, connected, published."""
    uri = hub.add("zoe", ["engineer"], manager=manager)
    services = folder("zoe")
    profile_id = private_profile(services, tmp_path)
    service = _connect(services, uri)
    if publish:
        service.publish()
    return Engineer(services, profile_id, service)


def _writes(hub: Hub) -> dict[str, tuple[int, int, int]]:
    """Rows inserted, updated and deleted in each hub table, as PostgreSQL counts them."""
    deadline = time.monotonic() + 10
    while True:  # a backend reports its counts when it ends; wait for them to land
        rows = hub.sql(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables "
            "WHERE schemaname = 'rung_hub' ORDER BY relname"
        )
        counts = {r[0]: (r[1], r[2], r[3]) for r in rows}
        time.sleep(0.2)
        again = hub.sql(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables "
            "WHERE schemaname = 'rung_hub' ORDER BY relname"
        )
        if {r[0]: (r[1], r[2], r[3]) for r in again} == counts or time.monotonic() > deadline:
            return counts


def test_a_report_publishes_and_the_manager_pulls_a_read_only_copy(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    engineer_uri = hub.add("zoe", ["engineer"], manager="noor")
    mine = folder("zoe")
    profile_id = private_profile(mine, tmp_path)
    theirs = folder("noor")

    published = _connect(mine, engineer_uri).publish()
    assert (published.profiles, published.removed) == (1, 0)
    pulled = _connect(theirs, manager_uri).pull()
    assert pulled.problems == []
    assert len(pulled.updated) == 1

    copy = theirs.profiles.get(profile_id)
    assert copy.shared
    assert copy.name == "Zoë"
    assert [c.date for c in theirs.checkins.finals(profile_id)] == [
        c.date for c in mine.checkins.finals(profile_id)
    ]
    titles = {e.title for e in theirs.evidence.search(profile_id)}
    assert titles == {SHARED_EVIDENCE}  # the private entry never left Zoë's computer

    again = HubService(theirs).pull()
    assert again.updated == []
    assert again.unchanged == 1


def test_publishing_unchanged_data_writes_no_row_and_a_change_writes_only_itself(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    zoe = _zoe(hub, folder, tmp_path)
    mine, profile_id, service = zoe.services, zoe.profile_id, zoe.hub
    before = _writes(hub)

    result = service.publish()
    assert (result.profiles, result.unchanged, result.written) == (0, 1, 0)
    assert _writes(hub) == before

    mine.evidence.add(profile_id, day=date(2026, 6, 1), title="Shipped the ranker <b>&</b> 🚀")
    result = service.publish()
    assert (result.profiles, result.written, result.removed) == (1, 1, 0)
    after = _writes(hub)
    assert after["records"][0] == before["records"][0] + 1  # one record inserted
    assert after["profiles"][1] == before["profiles"][1] + 1  # its profile row updated
    assert after["frameworks"] == before["frameworks"]


def test_an_entry_made_private_or_deleted_leaves_the_hub(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    zoe = _zoe(hub, folder, tmp_path, manager="noor")
    mine, profile_id, service = zoe.services, zoe.profile_id, zoe.hub
    theirs = folder("noor")
    _connect(theirs, manager_uri).pull()
    assert {e.title for e in theirs.evidence.search(profile_id)} == {SHARED_EVIDENCE}

    shared = next(e for e in mine.evidence.search(profile_id) if e.title == SHARED_EVIDENCE)
    mine.evidence.update(
        shared.id, day=shared.date, title=shared.title, tags=shared.tags, private=True
    )
    result = service.publish()
    assert result.removed == 1
    held = hub.sql("SELECT count(*) FROM rung_hub.records WHERE kind = 'evidence'")
    assert held == [(0,)]
    HubService(theirs).pull()
    assert list(theirs.evidence.search(profile_id)) == []


def test_withdrawing_removes_your_profiles_from_the_hub_and_nothing_here(
    hub: Hub, folder: Folder, rung: Run, tmp_path: Path
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    zoe = _zoe(hub, folder, tmp_path, manager="noor")
    theirs = folder("noor")
    manager = _connect(theirs, manager_uri)
    manager.pull()
    theirs.identity.set(name="Noor")
    theirs.manager.set_recommendation(zoe.profile_id, "approaching", "Soon.")
    assert manager.pull().assessments_sent == 1
    noor_profile = theirs.profiles.create(
        name="Noor",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 5),
    ).id
    manager.publish()
    zoe_folder = zoe.services.store.data_dir
    before = folder_digest(zoe_folder)

    assert_failed(
        rung("hub", "withdraw", "--profile", "", "--data-dir", zoe_folder), 2, "--profile"
    )
    shared_copy = rung("hub", "withdraw", "--profile", "Noor", "--data-dir", zoe_folder)
    assert_failed(shared_copy, 1, "No profile matches")  # not in Zoë's folder
    withdrawn = rung("hub", "withdraw", "--data-dir", zoe_folder)
    assert_ok(withdrawn)
    assert withdrawn.out.startswith("Withdrew 1 profile from the hub")
    owners = hub.sql("SELECT owner_login FROM rung_hub.profiles")
    assert owners == [(hub.login("noor"),)]  # Noor's own profile stays
    assert hub.sql(
        "SELECT count(*) FROM rung_hub.records WHERE profile_id = %s", (zoe.profile_id,)
    ) == [(0,)]
    assert hub.sql("SELECT count(*) FROM rung_hub.assessments") == [(0,)]
    assert folder_digest(zoe_folder) == before  # nothing here changed
    again = rung("hub", "withdraw", "--profile", "Zoë", "--data-dir", zoe_folder)
    assert again.out == "Zoë is not on the hub; nothing was changed.\n"

    # A manager's shared copy is not theirs to withdraw; their own profile is.
    noor_folder = theirs.store.data_dir
    assert_failed(
        rung("hub", "withdraw", "--profile", "Zoë", "--data-dir", noor_folder), 1, "owner's"
    )
    assert_ok(rung("hub", "withdraw", "--profile", noor_profile, "--data-dir", noor_folder))
    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(0,)]
    assert zoe.hub.publish().profiles == 1  # a publish puts it back


def test_a_login_outside_this_hubs_directory_is_told_so_when_publishing(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    zoe = _zoe(hub, folder, tmp_path, publish=False)
    other = new_hub(hub.server)  # group roles are the server's: a member there passes them
    other.add("sam", ["engineer"])
    sam = parse_url(hub.server.uri(other.login("sam"), hub.database))
    with pytest.raises(HubError, match=r"not a member of this hub \(any more\)"):
        publish(zoe.services, sam, [zoe.profile_id])
    with pytest.raises(HubError, match=r"not a member of this hub \(any more\)"):
        pull(folder("sam"), sam)
    assert hub.sql("SELECT count(*) FROM rung_hub.frameworks") == [(0,)]


def test_private_text_never_reaches_the_hub(hub: Hub, folder: Folder, tmp_path: Path) -> None:
    _zoe(hub, folder, tmp_path)
    dump = subprocess.run(
        [str(hub.server.bin_dir / "pg_dump"), "--dbname", hub.uri()],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert SHARED_EVIDENCE in dump  # the dump holds what was published
    leaked = [name for name, canary in CANARIES.items() if canary in dump]
    assert leaked == []


def test_the_managers_assessment_goes_up_and_reaches_the_engineer(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    manager_uri = hub.add("noor", ["manager"])
    zoe = _zoe(hub, folder, tmp_path, manager="noor")
    mine, profile_id = zoe.services, zoe.profile_id
    theirs = folder("noor")
    theirs.identity.set(name="ليلى حداد", role="مديرة هندسة")
    manager = _connect(theirs, manager_uri)
    manager.pull()
    theirs.manager.set_calibration(profile_id, "a-critical", 3)
    theirs.manager.set_recommendation(profile_id, "approaching", "One more launch <b>&</b> 🚀.")

    assert manager.pull().assessments_sent == 1
    rows = {row.name: row for row in theirs.team.rows(date.today())}
    assert rows["Zoë"].assessment == "exported"  # the hub carried it to Zoë
    assert manager.pull().assessments_sent == 0  # unchanged: nothing written again

    received = HubService(mine).pull()
    assert len(received.assessments_received) == 1
    latest = mine.manager.latest_received(profile_id)
    assert latest is not None
    assessment = latest.assessment
    assert assessment.assessor is not None
    assert assessment.assessor.name == "ليلى حداد"
    assert assessment.rationale == "One more launch <b>&</b> 🚀."
    assert HubService(mine).pull().assessments_received == []


def test_a_profile_this_folder_owns_is_never_pulled_over_it(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    result = _zoe(hub, folder, tmp_path).hub.pull()
    assert (result.updated, result.skipped_own) == ([], 1)


def test_a_password_in_the_url_is_refused_and_nothing_is_saved(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    mine = folder("zoe")
    url = hub.uri().replace("@", ":secret@", 1)
    with pytest.raises(InvalidInputError, match="never stores a password"):
        HubService(mine).connect(url)
    assert not (tmp_path / "zoe" / "hub.json").exists()


def test_an_unreachable_hub_is_one_sentence_and_changes_nothing(
    folder: Folder, tmp_path: Path
) -> None:
    mine = folder("zoe")
    private_profile(mine, tmp_path)
    url = parse_url(f"postgresql://zoe@/nowhere?host={tmp_path}")
    with pytest.raises(HubError, match="cannot be reached") as raised:
        publish(mine, url, [p.id for p in mine.profiles.all()])
    assert "\n" not in str(raised.value)


def test_the_command_line_runs_the_five_minute_walkthrough(
    hub: Hub, rung: Run, tmp_path: Path
) -> None:
    admin, zoe, noor = tmp_path / "admin", tmp_path / "zoe", tmp_path / "noor"
    login = hub.login
    assert_ok(rung("hub", "init", hub.uri(), "--data-dir", admin))
    add = ("hub", "member", "add", "--data-dir", admin)
    assert_ok(rung(*add, login("noor"), "--name", "Noor Haddad", "--role", "manager"))
    assert_ok(
        rung(*add, login("zoe"), "--name", "Zoë", "--role", "engineer", "--manager", login("noor"))
    )
    assert_ok(rung(*add, login("ana"), "--name", "Ana Lima", "--role", "committee"))
    listed = rung("hub", "member", "list", "--json", "--data-dir", admin)
    assert_ok(listed)
    assert [m["name"] for m in json.loads(listed.out)] == ["Ana Lima", "Noor Haddad", "Zoë"]

    assert_ok(rung("demo", "--data-dir", zoe))
    assert_ok(rung("hub", "connect", hub.uri(login("zoe")), "--data-dir", zoe))
    published = rung("hub", "publish", "--data-dir", zoe)
    assert_ok(published)
    assert published.out.startswith("Published 1 profile")
    assert rung("hub", "publish", "--data-dir", zoe).out.startswith("Nothing to publish")

    assert_ok(rung("hub", "connect", hub.uri(login("noor")), "--data-dir", noor))
    pulled = rung("hub", "pull", "--data-dir", noor)
    assert_ok(pulled)
    assert "1 profile updated" in pulled.out
    status = rung("hub", "status", "--json", "--data-dir", noor)
    assert_ok(status)
    state = json.loads(status.out)
    assert (state["login"], state["readable"], state["published"]) == (login("noor"), 1, 0)
    assert state["last_pull"] is not None

    # The committee member sees nothing until the cycle nominates Zoë and seats them.
    ana = tmp_path / "ana"
    assert_ok(rung("hub", "connect", hub.uri(login("ana")), "--data-dir", ana))
    assert "no profile changed" in rung("hub", "pull", "--data-dir", ana).out
    cycle = ("hub", "cycle")
    assert_ok(rung(*cycle, "create", "2027 H1", "--data-dir", admin))
    assert_ok(rung(*cycle, "nominate", "2027 H1", login("zoe"), "--data-dir", admin))
    assert_ok(rung(*cycle, "seat", "2027 H1", login("ana"), "--data-dir", admin))
    assert "1 profile updated" in rung("hub", "pull", "--data-dir", ana).out


def test_hub_commands_say_what_is_wrong_in_one_sentence(
    hub: Hub, rung: Run, tmp_path: Path
) -> None:
    folder = tmp_path / "zoe"
    assert_failed(rung("hub", "status", "--data-dir", folder), 1, "not connected to a team hub")
    assert_failed(rung("hub", "pull", "--data-dir", folder), 1, "not connected to a team hub")
    assert_failed(
        rung("hub", "connect", "mysql://x@y/z", "--data-dir", folder), 1, "PostgreSQL URL"
    )
    away = rung("hub", "connect", f"postgresql://x@/db?host={tmp_path}", "--data-dir", folder)
    assert_failed(away, 1, "cannot be reached")
    assert away.err.rstrip().endswith("; nothing was changed.")  # connecting is no sync
    admin = tmp_path / "admin"
    assert_ok(rung("hub", "init", hub.uri(), "--data-dir", admin))
    assert_failed(
        rung("hub", "member", "add", hub.server.superuser, "--name", "Root", "--data-dir", admin),
        1,
        "is a superuser",
    )
    assert_failed(
        rung(
            "hub", "member", "add", "x", "--name", "X", "--manager", "nobody", "--data-dir", admin
        ),
        1,
        "nobody is not a member",
    )
    assert_failed(rung("hub", "cycle", "nominate", "none", "x", "--data-dir", admin), 1, "no cycle")
    assert_failed(rung("hub", "member", "add", "x", "--data-dir", admin), 2, "--name")
    add = ("hub", "member", "add", "--data-dir", admin)
    assert_failed(rung(*add, "é" * 32, "--name", "X"), 1, "longer than PostgreSQL's 63 bytes")
    assert_failed(rung(*add, "x", "--name", "Z" * 201), 1, "longer than 200 characters")
    assert_failed(
        rung("hub", "cycle", "create", "2027\nH1", "--data-dir", admin), 1, "control character"
    )
    assert hub.sql("SELECT count(*) FROM rung_hub.members") == [(0,)]
    assert hub.sql("SELECT count(*) FROM pg_roles WHERE rolname = %s", ("é" * 32,)) == [(0,)]
    # One hub per server: its roles are the server's.
    hub.sql("CREATE DATABASE second_hub")
    second = hub.server.uri(hub.server.superuser, "second_hub")
    assert_failed(
        rung("hub", "init", second, "--data-dir", tmp_path / "second"),
        1,
        "already holds a Rung hub",
    )
    assert hub.sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'rung_hub'") == [(1,)]
    # A member of another hub on the same server (made by the tests, which share one
    # server) is not one of this hub's.
    other = new_hub(hub.server)
    other.add("zoe", ["engineer"])
    elsewhere = rung("hub", "connect", hub.server.uri(other.login("zoe"), hub.database),
                     "--data-dir", tmp_path / "elsewhere")  # fmt: skip
    assert_failed(elsewhere, 1, f"The login {other.login('zoe')} is not a member of the hub")
    assert not (tmp_path / "elsewhere" / "hub.json").exists()
    # A login that is not a member reads and publishes nothing.
    stranger = tmp_path / "stranger"
    hub.sql(f"CREATE ROLE {hub.login('stranger')} LOGIN")
    assert_failed(
        rung("hub", "connect", hub.uri(hub.login("stranger")), "--data-dir", stranger),
        1,
        "is not a member of the hub",
    )


def test_a_database_without_a_hub_is_named_as_such(hub: Hub, folder: Folder) -> None:
    hub.sql("CREATE DATABASE no_hub_here")
    bare = hub.server.uri(hub.server.superuser, "no_hub_here")
    with pytest.raises(HubError, match="holds no Rung hub yet: its admin creates one"):
        HubService(folder("zoe")).connect(bare)


def test_no_member_can_put_a_damaged_ladder_in_the_way_of_anothers_profile(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    import psycopg

    manager_uri = hub.add("noor", ["manager"])
    uri = hub.add("zoe", ["engineer"], manager="noor")
    hub.add("mallory", ["engineer"])
    mine = folder("zoe")
    profile_id = private_profile(mine, tmp_path)
    profile = mine.profiles.get(profile_id)
    digest = next(
        f.hash
        for f in mine.frameworks.all()
        if (f.id, f.version) == (profile.framework, profile.framework_version)
    )
    squat = (
        "INSERT INTO rung_hub.frameworks (id, version, hash, body{who}) "
        "VALUES (%(id)s, %(version)s, %(hash)s, '{{}}'{value})"
    )
    params = {"id": profile.framework, "version": profile.framework_version, "hash": digest}
    mallory = hub.login("mallory")
    hub.sql(squat.format(who="", value=""), params, login=mallory)  # a copy of their own
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        hub.sql(
            squat.format(who=", added_by", value=", %(zoe)s"),
            {**params, "zoe": hub.login("zoe")},
            login=mallory,
        )
    _connect(mine, uri).publish()
    pulled = _connect(folder("noor"), manager_uri).pull()
    assert pulled.problems == []
    assert len(pulled.updated) == 1


def test_publishing_sends_what_changed_and_the_hub_ends_as_a_whole_export_would(
    hub: Hub, folder: Folder, tmp_path: Path
) -> None:
    from app.bundle.export import export_payload
    from app.hub.sync import _Published

    zoe = _zoe(hub, folder, tmp_path)
    mine, profile_id, service = zoe.services, zoe.profile_id, zoe.hub
    first = mine.checkins.finals(profile_id)[0]

    def whole_export_digest() -> str:
        with mine.store.session() as session:
            payload = export_payload(session, profile_id, include_private=False)
        return _Published.of(payload).digest()

    def on_hub() -> str:
        return str(hub.sql("SELECT digest FROM rung_hub.profiles")[0][0])

    # A private note changes nothing the hub carries: nothing is written.
    mine.checkins.set_rating(first.id, "a-critical", 2, note="A private second thought")
    assert service.publish().written == 0
    # A changed rating of a final check-in (an amendment) is that check-in's record only.
    mine.checkins.set_rating(first.id, "a-critical", 3)
    result = service.publish()
    assert (result.profiles, result.written, result.removed) == (1, 1, 0)
    assert on_hub() == whole_export_digest()
    body = hub.sql(
        "SELECT body FROM rung_hub.records WHERE kind = 'checkin' AND id = %s", (first.id,)
    )[0][0]
    ratings = {r["skill"]: r["value"] for r in body["ratings"]}
    assert ratings["a-critical"] == 3


def test_the_hub_revision_this_rung_knows_is_its_migrations_head() -> None:
    from app.hub.admin import head_revision
    from app.hub.connection import HUB_REVISION

    assert head_revision() == HUB_REVISION


@pytest.mark.parametrize(
    ("revision", "remedy"),
    [("0000", "its admin brings it up to date with 'rung hub init'"), ("9999", "update Rung")],
)
def test_a_hub_at_another_revision_is_one_sentence_and_nothing_changes(
    hub: Hub, folder: Folder, tmp_path: Path, revision: str, remedy: str
) -> None:
    service = _zoe(hub, folder, tmp_path, publish=False).hub
    hub.sql("UPDATE rung_hub.alembic_version SET version_num = %s", (revision,))
    for sync in (service.publish, service.pull):
        with pytest.raises(HubError, match=f"is at revision {revision}.*{remedy}"):
            sync()
    assert hub.sql("SELECT count(*) FROM rung_hub.profiles") == [(0,)]
