"""Who reads and writes what on the team hub, enforced by PostgreSQL itself.

Every query here is hand-written SQL run as a member's own login, never the
superuser's, against one hub that the app populated: seven people publish real
profiles from data folders of their own, the managers' assessments go up
through `pull`, and two promotion cycles nominate one engineer each:

    m  manager of a and b              a  engineer, manager of c
    b  engineer, nominated to 2027 H1  c  engineer reporting to a (m's skip level)
    x  engineer with no manager, nominated to 2027 H2 (nobody sits on it)
    k  committee, seated on 2027 H1    d  admin

What each may read is written out below as literal tables (the product's access
rules), not derived from the policies, so a policy that lets too much through
fails here. Writes run in a transaction that is always rolled back, so the
tests share the one hub and none sees another's attempts.

Out of reach of row-level security, and so not tested: how many rows a table
holds (pg_class, pg_stat_user_tables, EXPLAIN's estimates) and whether a guessed
key exists (a unique violation); never a row's content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg.errors import FeatureNotSupported, InsufficientPrivilege

from app.hub.admin import change_cycle, init_hub
from app.hub.connection import parse_url
from app.hub.service import HubService
from app.services import Services, open_services
from tests.helpers import private_profile
from tests.pg import Hub, Server, new_hub

# -- the scenario and the access table -----------------------------------------------

MEMBERS: dict[str, tuple[list[str], str | None]] = {  # who: roles, manager
    "m": (["engineer", "manager"], None),
    "a": (["engineer", "manager"], "m"),
    "b": (["engineer"], "m"),
    "c": (["engineer"], "a"),
    "x": (["engineer"], None),
    "k": (["committee"], None),
    "d": (["admin"], None),
}
PEOPLE = tuple(MEMBERS)
NON_ADMINS = tuple(p for p in PEOPLE if p != "d")
ASSESSED = (("m", "a"), ("m", "b"), ("a", "c"))  # (assessor, assessed) sent up by `pull`
H1, H2 = "2027 H1", "2027 H2"
NOMINATED = {(H1, "b"), (H2, "x")}
SEATED = {(H1, "k")}

# Whose profiles and records each person reads: their own, their reports', and the
# nominees of a cycle they sit on. The admin reads the directory, not profiles.
PUBLISHED_READ: dict[str, set[str]] = {
    "m": {"m", "a", "b"},
    "a": {"a", "c"},
    "b": {"b"},
    "c": {"c"},
    "x": {"x"},
    "k": {"k", "b"},
    "d": {"d"},
}
# Which assessments, as (assessor, assessed): of what they read, and their own.
ASSESSMENTS_READ: dict[str, set[tuple[str, str]]] = {
    "m": {("m", "a"), ("m", "b")},
    "a": {("m", "a"), ("a", "c")},
    "b": {("m", "b")},
    "c": {("a", "c")},
    "x": set(),
    "k": {("m", "b")},
    "d": set(),
}
SEATS_READ: dict[str, set[tuple[str, str]]] = {"k": {(H1, "k")}, "d": SEATED}
NOMINATIONS_READ: dict[str, set[tuple[str, str]]] = {
    "b": {(H1, "b")},
    "x": {(H2, "x")},
    "k": {(H1, "b")},
    "d": NOMINATED,
}
MANAGES: dict[str, set[str]] = {"m": {"a", "b"}, "a": {"c"}}  # whose assessments each writes

# With `hub init --skip-levels`, m also reads and assesses c, a's report.
SKIP_LEVEL_PUBLISHED_READ = {**PUBLISHED_READ, "m": {"m", "a", "b", "c"}}
SKIP_LEVEL_ASSESSMENTS_READ = {**ASSESSMENTS_READ, "m": {("m", "a"), ("m", "b"), ("a", "c")}}
SKIP_LEVEL_MANAGES = {**MANAGES, "m": {"a", "b", "c"}}

# Each hub table, and the columns that tell its rows apart (logins first where they
# decide who reads the row).
KEYS = {
    "alembic_version": "version_num",
    "settings": "id",
    "members": "login",
    "cycles": "name",
    "cycle_seats": "cycle, login",
    "nominations": "cycle, login",
    "frameworks": "id, version, hash",
    "profiles": "owner_login, id",
    "records": "owner_login, profile_id, kind, id",
    "assessments": "assessor_login, owner_login, profile_id, date",
}
DIRECTORY = ("alembic_version", "settings", "members", "cycles", "frameworks")  # all read
TABLES = tuple(KEYS)


@dataclass(frozen=True)
class World:
    """The populated hub: its people's profile ids, and every row as the superuser sees it."""

    hub: Hub
    profiles: dict[str, str]  # who: their profile's id
    everything: dict[str, set[tuple[Any, ...]]]  # table: its rows' keys

    def login(self, who: str) -> str:
        return self.hub.login(who)

    def who(self, login: str) -> str:
        return login.removeprefix(self.hub.prefix + "_")


@pytest.fixture(scope="module")
def world(pg_server: Server, tmp_path_factory: pytest.TempPathFactory) -> World:
    """One hub for the whole module (populating it through the app takes seconds)."""
    hub = new_hub(pg_server)
    for who, (roles, manager) in MEMBERS.items():
        hub.add(who, roles, manager)
    root = tmp_path_factory.mktemp("access")
    folders: dict[str, Services] = {}
    try:
        profiles = {}
        for who in PEOPLE:
            folders[who] = open_services(root / who)
            (root / f"{who}-files").mkdir()
            profiles[who] = private_profile(folders[who], root / f"{who}-files", who.upper())
            folders[who].identity.set(name=who.upper())
            HubService(folders[who]).connect(hub.uri(hub.login(who)))
            HubService(folders[who]).publish()
        for assessor in ("m", "a"):  # pull their reports' profiles, assess, send it up
            HubService(folders[assessor]).pull()
            for assessor_, assessed in ASSESSED:
                if assessor_ == assessor:
                    folders[assessor].manager.set_calibration(profiles[assessed], "a-critical", 3)
            HubService(folders[assessor]).pull()
    finally:
        for services in folders.values():
            services.close()
    url = parse_url(hub.uri())
    for cycle in (H1, H2):
        change_cycle(url, "create", cycle)
    for cycle, who in NOMINATED:
        change_cycle(url, "nominate", cycle, hub.login(who))
    for cycle, who in SEATED:
        change_cycle(url, "seat", cycle, hub.login(who))
    hub.sql("ANALYZE")  # statistics for every column, for the pg_stats test
    everything = {t: set(hub.sql(f"SELECT {KEYS[t]} FROM rung_hub.{t}")) for t in TABLES}
    return World(hub, profiles, everything)


@contextmanager
def skip_levels(world: World) -> Iterator[None]:
    """The hub as `rung hub init --skip-levels` leaves it (re-running init is how an admin
    turns it on), then back as it was."""
    url = parse_url(world.hub.uri())
    init_hub(url, skip_levels=True)
    try:
        yield
    finally:
        init_hub(url, skip_levels=False)


# -- running SQL as a member -----------------------------------------------------------


@contextmanager
def as_member(world: World, who: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection as `who`'s own login, in one transaction that is always rolled back."""
    connection = psycopg.connect(world.hub.uri(world.login(who)))
    try:
        connection.execute("SELECT 1")  # opens the transaction: each step is a savepoint
        yield connection
    finally:
        connection.rollback()
        connection.close()


def rows(connection: psycopg.Connection[Any], query: str, params: Any = None) -> set[Any]:
    with connection.transaction():
        return set(connection.execute(query, params).fetchall())


def affected(connection: psycopg.Connection[Any], statement: str, params: Any = None) -> int | None:
    """How many rows a statement would change, or None when PostgreSQL refused it; either
    way it is undone at once, so each statement is tried on the hub as the fixture left it.

    Only "insufficient privilege" (which is also how a failed WITH CHECK is reported)
    counts as a refusal: any other error is a mistake in the test, and fails it.
    """
    try:
        with connection.transaction(force_rollback=True):
            return connection.execute(statement, params).rowcount
    except InsufficientPrivilege:
        return None


def visible(world: World, who: str) -> dict[str, set[tuple[Any, ...]]]:
    """Every hub table's rows (their keys) as `who` reads them with plain SELECTs."""
    with as_member(world, who) as connection:
        return {t: rows(connection, f"SELECT {KEYS[t]} FROM rung_hub.{t}") for t in TABLES}


def allowed(
    world: World,
    who: str,
    published: dict[str, set[str]] = PUBLISHED_READ,
    assessments: dict[str, set[tuple[str, str]]] = ASSESSMENTS_READ,
) -> dict[str, set[tuple[Any, ...]]]:
    """Every hub table's rows that the access table lets `who` read."""
    name = world.who
    keep: dict[str, Callable[[tuple[Any, ...]], bool]] = {
        **{t: lambda _row: True for t in DIRECTORY},
        "cycle_seats": lambda row: (row[0], name(row[1])) in SEATS_READ.get(who, set()),
        "nominations": lambda row: (row[0], name(row[1])) in NOMINATIONS_READ.get(who, set()),
        "profiles": lambda row: name(row[0]) in published[who],
        "records": lambda row: name(row[0]) in published[who],
        "assessments": lambda row: (name(row[0]), name(row[1])) in assessments[who],
    }
    return {t: {row for row in world.everything[t] if keep[t](row)} for t in TABLES}


def owners(world: World, logins: set[Any]) -> set[str]:
    return {world.who(login) for (login,) in logins}


def readable_ids(world: World, who: str) -> set[str]:
    return {world.profiles[p] for p in PUBLISHED_READ[who]}


# -- the scenario is really there --------------------------------------------------------


def test_the_hub_holds_everyones_published_rows_and_the_assessments(world: World) -> None:
    """Guards every test below against passing on an empty hub."""
    everything = world.everything
    assert {world.who(o) for o, _id in everything["profiles"]} == set(PEOPLE)
    assert {world.who(row[0]) for row in everything["records"]} == set(PEOPLE)
    assert {(world.who(r[0]), world.who(r[1])) for r in everything["assessments"]} == set(ASSESSED)
    assert everything["frameworks"]
    assert {(c, world.who(w)) for c, w in everything["nominations"]} == NOMINATED
    assert {(c, world.who(w)) for c, w in everything["cycle_seats"]} == SEATED


def test_every_hub_table_has_a_rule_here(world: World) -> None:
    """A table added to the hub without a line in the access table fails this."""
    tables = world.hub.sql(
        "SELECT relname FROM pg_class WHERE relnamespace = 'rung_hub'::regnamespace "
        "AND relkind IN ('r', 'p', 'v', 'm', 'f')"
    )
    assert {t for (t,) in tables} == set(TABLES)


# -- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_a_member_reads_exactly_what_the_access_table_allows(world: World, who: str) -> None:
    assert visible(world, who) == allowed(world, who)


@pytest.mark.parametrize("who", PEOPLE)
def test_with_skip_levels_a_manager_also_reads_their_reports_reports(
    world: World, who: str
) -> None:
    with skip_levels(world):
        seen = visible(world, who)
    assert seen == allowed(world, who, SKIP_LEVEL_PUBLISHED_READ, SKIP_LEVEL_ASSESSMENTS_READ)


# -- writing -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_a_member_changes_and_deletes_only_their_own_rows(world: World, who: str) -> None:
    """Statements without a WHERE reach exactly the member's own rows, so the write
    policies are checked on their own, not through what the member reads."""
    me = world.login(who)
    own_records = sum(1 for row in world.everything["records"] if row[0] == me)
    own_assessments = sum(1 for row in world.everything["assessments"] if row[0] == me)
    expected = {
        "UPDATE rung_hub.profiles SET name = name": 1,
        "DELETE FROM rung_hub.profiles": 1,
        "UPDATE rung_hub.records SET digest = digest": own_records,
        "DELETE FROM rung_hub.records": own_records,
        "UPDATE rung_hub.assessments SET digest = digest": own_assessments,
        "DELETE FROM rung_hub.assessments": own_assessments,
        "UPDATE rung_hub.profiles SET name = 'x' WHERE owner_login <> current_user": 0,
        "DELETE FROM rung_hub.profiles WHERE owner_login <> current_user": 0,
        "UPDATE rung_hub.records SET body = '{}' WHERE owner_login <> current_user": 0,
        "DELETE FROM rung_hub.records WHERE owner_login <> current_user": 0,
        "UPDATE rung_hub.assessments SET body = '{}' WHERE assessor_login <> current_user": 0,
        "DELETE FROM rung_hub.assessments WHERE assessor_login <> current_user": 0,
    }
    with as_member(world, who) as connection:
        done = {statement: affected(connection, statement) or 0 for statement in expected}
    assert done == expected


PROFILE_INSERT = (
    "INSERT INTO rung_hub.profiles (id, owner_login, name, published_at, digest, body) "
    "VALUES (%(id)s, %(owner)s, 'Forged', now(), 'x', '{}')"
)
RECORD_INSERT = (
    "INSERT INTO rung_hub.records (profile_id, kind, id, owner_login, digest, body) "
    "VALUES (%(profile)s, 'goal', %(id)s, %(owner)s, 'x', '{}')"
)


@pytest.mark.parametrize("who", PEOPLE)
def test_no_row_is_written_in_someone_elses_name(world: World, who: str) -> None:
    me, mine = world.login(who), world.profiles[who]
    with as_member(world, who) as connection:

        def attempt(statement: str, **params: str) -> int | None:
            return affected(connection, statement, params)

        # The same statements in the member's own name work, so the refusals below are
        # the policies' doing, not a mistake in the SQL.
        assert attempt(PROFILE_INSERT, id=f"new-{who}", owner=me) == 1
        assert attempt(RECORD_INSERT, profile=mine, id="new", owner=me) == 1
        for other in PEOPLE:
            if other == who:
                continue
            login, theirs = world.login(other), world.profiles[other]
            refused = {
                "their profile": attempt(PROFILE_INSERT, id=f"forged-{other}", owner=login),
                "their record in my profile": attempt(
                    RECORD_INSERT, profile=mine, id="forged", owner=login
                ),
                "my record in their profile": attempt(
                    RECORD_INSERT, profile=theirs, id="forged", owner=me
                ),
                "give my profile away": attempt(
                    "UPDATE rung_hub.profiles SET owner_login = %(login)s "
                    "WHERE owner_login = current_user",
                    login=login,
                ),
                "give my records away": attempt(
                    "UPDATE rung_hub.records SET owner_login = %(login)s "
                    "WHERE owner_login = current_user",
                    login=login,
                ),
                "move my records into their profile": attempt(
                    "UPDATE rung_hub.records SET profile_id = %(theirs)s "
                    "WHERE owner_login = current_user",
                    theirs=theirs,
                ),
            }
            assert refused == dict.fromkeys(refused), other


ASSESSMENT_INSERT = (
    "INSERT INTO rung_hub.assessments "
    "(profile_id, assessor_login, date, owner_login, exported_at, digest, body) "
    "VALUES (%(profile)s, %(assessor)s, '2030-01-01', %(owner)s, now(), 'x', '{}')"
)


def assessable(world: World, who: str) -> set[str]:
    """Whose profiles `who` manages to write a new assessment of, trying everyone's."""
    with as_member(world, who) as connection:
        return {
            other
            for other in PEOPLE
            if affected(
                connection,
                ASSESSMENT_INSERT,
                {
                    "profile": world.profiles[other],
                    "assessor": world.login(who),
                    "owner": world.login(other),
                },
            )
            == 1
        }


@pytest.mark.parametrize("who", PEOPLE)
def test_only_a_manager_writes_assessments_and_only_of_their_reports(
    world: World, who: str
) -> None:
    """Nobody assesses themselves; engineers, the committee and the admin assess nobody."""
    assert assessable(world, who) == MANAGES.get(who, set())


def test_with_skip_levels_a_manager_also_assesses_their_reports_reports(world: World) -> None:
    with skip_levels(world):
        written = {who: assessable(world, who) for who in PEOPLE}
    assert written == {who: SKIP_LEVEL_MANAGES.get(who, set()) for who in PEOPLE}


def test_an_assessment_cannot_be_forged(world: World) -> None:
    """Not in another assessor's name, not about someone other than the profile's owner."""
    params = {"profile": world.profiles["a"], "assessor": world.login("m")}
    with as_member(world, "m") as connection:
        assert affected(connection, ASSESSMENT_INSERT, {**params, "owner": world.login("a")}) == 1
        wrong_owner = {**params, "owner": world.login("b")}  # b is m's report too
        assert affected(connection, ASSESSMENT_INSERT, wrong_owner) is None
    with as_member(world, "b") as connection:  # b, about themselves, in m's name
        in_ms_name = {"profile": world.profiles["b"], "assessor": world.login("m")}
        assert (
            affected(connection, ASSESSMENT_INSERT, {**in_ms_name, "owner": world.login("b")})
            is None
        )
    with as_member(world, "c") as connection:  # c rewriting a's assessment of them
        assert (
            affected(
                connection,
                "UPDATE rung_hub.assessments SET assessor_login = current_user, body = '{}'",
            )
            == 0
        )


DIRECTORY_WRITES = {
    "add a member": "INSERT INTO rung_hub.members (login, name, roles) "
    "VALUES ('new_member', 'New', ARRAY['engineer'])",
    "become x's manager": "UPDATE rung_hub.members SET manager = current_user WHERE login = %(x)s",
    "take on a role": "UPDATE rung_hub.members SET roles = ARRAY['admin', 'committee'] "
    "WHERE login = current_user",
    "remove a member": "DELETE FROM rung_hub.members WHERE login = %(x)s",
    "create a cycle": "INSERT INTO rung_hub.cycles (name) VALUES ('2099')",
    "rename a cycle": "UPDATE rung_hub.cycles SET name = '2099' WHERE name = %(h1)s",
    "sit on a cycle": "INSERT INTO rung_hub.cycle_seats (cycle, login) "
    "VALUES (%(h2)s, current_user)",
    "nominate oneself": "INSERT INTO rung_hub.nominations (cycle, login) "
    "VALUES (%(h1)s, current_user)",
    "unseat the committee": "DELETE FROM rung_hub.cycle_seats",
    "withdraw nominations": "DELETE FROM rung_hub.nominations",
}
# The database lets the admin do these to themselves too (they are trusted with the
# directory); whether it should is the product's call, so no test here pins it down.
SELF_ELEVATING = ("become x's manager", "sit on a cycle")  # refused to the admin too
NOBODYS_WRITES = {  # the admin's neither
    "turn skip levels on": "UPDATE rung_hub.settings SET skip_levels = true",
    "change a framework": "UPDATE rung_hub.frameworks SET body = '{}'",
    "remove a framework": "DELETE FROM rung_hub.frameworks",
    "change the hub's revision": "UPDATE rung_hub.alembic_version SET version_num = 'x'",
}


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_admin_writes_the_directory_and_cycles(world: World, who: str) -> None:
    params = {"x": world.login("x"), "h1": H1, "h2": H2}
    with as_member(world, who) as connection:
        done = {
            name: affected(connection, statement, params)
            for name, statement in (DIRECTORY_WRITES | NOBODYS_WRITES).items()
        }
    if who == "d":  # the admin's writes work (so the refusals are not a broken statement)
        assert all(done[name] for name in DIRECTORY_WRITES if name not in SELF_ELEVATING), done
        assert {name: done[name] for name in SELF_ELEVATING} == dict.fromkeys(SELF_ELEVATING)
        assert {name: done[name] for name in NOBODYS_WRITES} == dict.fromkeys(NOBODYS_WRITES)
    else:
        assert done == dict.fromkeys(done)


# -- escape attempts ---------------------------------------------------------------------

REFUSED = [  # what no member may run; {table} is each hub table, {other} another login
    "SET ROLE rung_hub_owner",
    "SET ROLE {other}",
    "SET SESSION AUTHORIZATION {other}",
    "SET SESSION AUTHORIZATION rung_hub_owner",
    "CREATE SCHEMA escape",
    "CREATE VIEW public.escape AS SELECT * FROM rung_hub.records",
    "CREATE VIEW rung_hub.escape AS SELECT * FROM rung_hub.records",
    "CREATE FUNCTION public.escape() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "CREATE FUNCTION rung_hub.escape() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'",
    "CREATE OR REPLACE FUNCTION rung_hub.readable_logins() RETURNS SETOF text LANGUAGE sql "
    "AS 'SELECT login FROM rung_hub.members'",
    "ALTER FUNCTION rung_hub.readable_logins() SECURITY DEFINER",
    "ALTER TABLE rung_hub.{table} DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE rung_hub.{table} NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE rung_hub.{table} OWNER TO CURRENT_USER",
    "ALTER POLICY read ON rung_hub.profiles USING (true)",
    "ALTER POLICY own ON rung_hub.records USING (true) WITH CHECK (true)",
    "DROP POLICY read ON rung_hub.assessments",
    "CREATE POLICY escape ON rung_hub.{table} USING (true) WITH CHECK (true)",
    "TRUNCATE rung_hub.{table}",
    "CREATE INDEX escape ON rung_hub.records (owner_login)",
    "CREATE STATISTICS escape ON owner_login, kind FROM rung_hub.records",
    "CREATE RULE escape AS ON INSERT TO rung_hub.profiles DO ALSO NOTHING",
    "CREATE TRIGGER escape BEFORE UPDATE ON rung_hub.profiles FOR EACH ROW "
    "EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    "ALTER SCHEMA rung_hub OWNER TO CURRENT_USER",
    "ALTER ROLE CURRENT_USER BYPASSRLS",
    "ALTER ROLE CURRENT_USER SUPERUSER",
    "CREATE ROLE escape LOGIN",
    "GRANT rung_hub_owner TO CURRENT_USER",
    "GRANT rung_hub_admin TO CURRENT_USER",
    "SELECT * FROM pg_statistic",
    "COPY rung_hub.records TO '/tmp/rung-hub-escape'",
    "SELECT pg_read_file('postgresql.conf')",
]


@pytest.mark.parametrize("template", REFUSED)
def test_a_statement_that_would_escape_the_policies_is_refused(world: World, template: str) -> None:
    tables = TABLES if "{table}" in template else ("",)
    for who in PEOPLE:
        other = world.login("a" if who != "a" else "b")
        with as_member(world, who) as connection:
            results = {
                statement: affected(connection, statement)
                for statement in (template.format(table=t, other=other) for t in tables)
            }
        assert results == dict.fromkeys(results), who


@pytest.mark.parametrize("who", NON_ADMINS)
def test_a_non_admin_cannot_take_the_admin_group(world: World, who: str) -> None:
    with as_member(world, who) as connection:
        assert affected(connection, "SET ROLE rung_hub_admin") is None


@pytest.mark.parametrize("who", PEOPLE)
def test_acting_as_a_group_the_member_is_in_widens_nothing(world: World, who: str) -> None:
    """A member may SET ROLE to the groups they belong to; as a group they read no more."""
    groups = ["rung_hub_member"] + (["rung_hub_admin"] if who == "d" else [])
    mine = allowed(world, who)
    for group in groups:
        with as_member(world, who) as connection:
            connection.execute(f"SET ROLE {group}")
            seen = {t: rows(connection, f"SELECT {KEYS[t]} FROM rung_hub.{t}") for t in TABLES}
        for table in TABLES:
            assert seen[table] <= mine[table], (group, table)


@pytest.mark.parametrize("who", PEOPLE)
def test_views_and_functions_of_the_members_own_read_only_allowed_rows(
    world: World, who: str
) -> None:
    """The member's temporary schema is the one place they can create objects; a view,
    a SECURITY DEFINER function and a cheap "leaky" function that reports every row it
    is shown (the classic way round row-level security) all see only allowed rows."""
    expected = PUBLISHED_READ[who]
    noticed: list[str] = []
    with as_member(world, who) as connection:
        connection.add_notice_handler(lambda d: noticed.append(d.message_primary or ""))
        connection.execute("CREATE TEMP VIEW escape AS SELECT owner_login FROM rung_hub.records")
        connection.execute(
            "CREATE FUNCTION pg_temp.owners() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER "
            "AS 'SELECT owner_login FROM rung_hub.profiles'"
        )
        connection.execute(
            "CREATE FUNCTION pg_temp.peek(text) RETURNS boolean LANGUAGE plpgsql COST 0.0001 "
            "AS $$ BEGIN RAISE NOTICE 'saw %', $1; RETURN true; END $$"
        )
        from_view = rows(connection, "SELECT owner_login FROM pg_temp.escape")
        from_function = rows(connection, "SELECT * FROM pg_temp.owners()")
        rows(connection, "SELECT 1 FROM rung_hub.records WHERE pg_temp.peek(owner_login)")
        rows(connection, "SELECT 1 FROM rung_hub.assessments WHERE pg_temp.peek(owner_login)")
    assert owners(world, from_view) == expected
    assert owners(world, from_function) == expected
    peeked = {world.who(message.removeprefix("saw ")) for message in noticed}
    assert peeked == expected | {owned for _by, owned in ASSESSMENTS_READ[who]}


@pytest.mark.parametrize("who", PEOPLE)
def test_copy_out_leaks_nothing(world: World, who: str) -> None:
    copied: dict[str, set[str]] = {}
    with as_member(world, who) as connection:
        for name, statement in {
            "table": "COPY rung_hub.records (owner_login) TO STDOUT",
            "query": "COPY (SELECT owner_login FROM rung_hub.profiles) TO STDOUT",
        }.items():
            with connection.transaction(), connection.cursor().copy(statement) as copy:
                copied[name] = {world.who(row[0]) for row in copy.rows()}
    assert copied == {"table": PUBLISHED_READ[who], "query": PUBLISHED_READ[who]}


def copy_in(connection: psycopg.Connection[Any], row: tuple[str, ...]) -> None:
    with (
        connection.transaction(force_rollback=True),
        connection.cursor().copy(
            "COPY rung_hub.profiles (id, owner_login, name, published_at, digest, body) FROM STDIN"
        ) as copy,
    ):
        copy.write_row(row)


@pytest.mark.parametrize("who", PEOPLE)
def test_copy_in_writes_nothing_past_the_policies(world: World, who: str) -> None:
    """PostgreSQL refuses COPY FROM into a table under row-level security outright, even
    in the member's own name."""
    for owner in (world.login("a" if who != "a" else "b"), world.login(who)):
        with as_member(world, who) as connection, pytest.raises(FeatureNotSupported):
            copy_in(connection, ("forged", owner, "Forged", "2030-01-01", "x", "{}"))


@pytest.mark.parametrize("who", PEOPLE)
def test_turning_row_security_off_makes_queries_fail_not_bypass(world: World, who: str) -> None:
    with as_member(world, who) as connection:
        connection.execute("SET row_security = off")
        counted = {t: affected(connection, f"SELECT count(*) FROM rung_hub.{t}") for t in TABLES}
    assert counted == dict.fromkeys(TABLES)


@pytest.mark.parametrize("who", PEOPLE)
def test_shadowing_the_hubs_tables_on_the_search_path_widens_nothing(
    world: World, who: str
) -> None:
    """Temporary tables named like the ones the policies' functions read, saying this
    member manages and sits on everything, first on the search path: nothing changes."""
    with as_member(world, who) as connection:
        connection.execute(
            """
            CREATE TEMP TABLE members AS
                SELECT login, name, roles, current_user::text AS manager FROM rung_hub.members;
            CREATE TEMP TABLE settings AS SELECT 1 AS id, true AS skip_levels;
            CREATE TEMP TABLE cycle_seats AS
                SELECT name AS cycle, current_user::text AS login FROM rung_hub.cycles;
            CREATE TEMP TABLE nominations AS
                SELECT c.name AS cycle, m.login FROM rung_hub.cycles c, rung_hub.members m;
            SET search_path = pg_temp, rung_hub, public;
            """
        )
        readable = rows(connection, "SELECT readable_logins()")
        managed = rows(connection, "SELECT rung_hub.managed_logins()")
        profiles = rows(connection, "SELECT owner_login FROM profiles")
        records = rows(connection, "SELECT DISTINCT owner_login FROM rung_hub.records")
    assert owners(world, readable) == PUBLISHED_READ[who]
    assert owners(world, managed) == MANAGES.get(who, set())
    assert owners(world, profiles) == owners(world, records) == PUBLISHED_READ[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_an_upsert_or_merge_on_others_profiles_reveals_and_changes_nothing(
    world: World, who: str
) -> None:
    with as_member(world, who) as connection:
        for other in PEOPLE:
            if other == who:
                continue
            theirs = world.profiles[other]
            upsert = (
                "INSERT INTO rung_hub.profiles (id, name, published_at, digest, body) "
                "VALUES (%(id)s, 'Forged', now(), 'x', '{}') ON CONFLICT (id) DO UPDATE "
                "SET name = EXCLUDED.name RETURNING profiles.body"
            )
            assert affected(connection, upsert, {"id": theirs}) is None, other
            merge = (
                "MERGE INTO rung_hub.profiles p USING (VALUES (%(id)s)) v (id) ON p.id = v.id "
                "WHEN MATCHED THEN UPDATE SET name = 'Forged' RETURNING p.body"
            )
            assert affected(connection, merge, {"id": theirs}) in (None, 0), other


# -- the catalog ------------------------------------------------------------------------


def test_no_member_login_can_see_past_row_level_security(world: World) -> None:
    """Every login in the member group (this module's and any other on the server)."""
    logins = world.hub.sql(
        """
        WITH RECURSIVE inside (oid) AS (
            SELECT member FROM pg_auth_members WHERE roleid = 'rung_hub_member'::regrole
            UNION
            SELECT a.member FROM pg_auth_members a JOIN inside ON a.roleid = inside.oid
        )
        SELECT r.rolname, r.rolsuper, r.rolbypassrls,
               pg_has_role(r.oid, 'rung_hub_owner', 'MEMBER'),
               EXISTS (SELECT FROM pg_class c WHERE c.relowner = r.oid
                       AND c.relnamespace = 'rung_hub'::regnamespace),
               EXISTS (SELECT FROM pg_proc p WHERE p.proowner = r.oid
                       AND p.pronamespace = 'rung_hub'::regnamespace),
               EXISTS (SELECT FROM pg_namespace n WHERE n.nspowner = r.oid
                       AND n.nspname = 'rung_hub')
        FROM pg_roles r JOIN inside ON inside.oid = r.oid
        """
    )
    found = {row[0]: row[1:] for row in logins}
    assert {world.login(who) for who in PEOPLE} <= set(found)
    unsafe = {login: flags for login, flags in found.items() if any(flags)}
    assert unsafe == {}


def test_every_hub_table_is_the_owner_roles_under_forced_row_level_security(
    world: World,
) -> None:
    tables = world.hub.sql(
        """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, c.relowner::regrole::text,
               EXISTS (SELECT FROM aclexplode(c.relacl) a WHERE a.grantee = 0)
        FROM pg_class c WHERE c.relnamespace = 'rung_hub'::regnamespace AND c.relkind = 'r'
        """
    )
    assert {t for t, *_ in tables} == set(TABLES)
    assert {t: tuple(flags) for t, *flags in tables} == dict.fromkeys(
        TABLES, (True, True, "rung_hub_owner", False)
    )
    owner = world.hub.sql(
        "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'rung_hub_owner'"
    )
    assert owner == [(False, False, False)]
    groups = world.hub.sql(
        "SELECT rolname FROM pg_roles WHERE rolname IN ('rung_hub_member', 'rung_hub_admin') "
        "AND NOT rolcanlogin AND NOT rolsuper AND NOT rolbypassrls"
    )
    assert len(groups) == 2
