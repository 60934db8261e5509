"""What the hub's admin does: create or upgrade the hub, manage members and cycles.

`hub init` runs the hub's Alembic migrations in one transaction as a
superuser (the organisation's database administrator, who is trusted). A
member's login is never a superuser, never has `BYPASSRLS` and never holds the
owner role: adding such a login is refused, and `hub status` checks it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.errors import HubError, InvalidInputError, NotFoundError
from app.hub.connection import (
    NOTHING_CHANGED,
    create_hub_engine,
    reaching,
    require_revision,
)
from app.text import check_name

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.engine import URL

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ROLES = ("engineer", "manager", "committee", "admin")
Role = Literal["engineer", "manager", "committee", "admin"]
MEMBER_GROUP = "rung_hub_member"
ADMIN_GROUP = "rung_hub_admin"
OWNER_ROLE = "rung_hub_owner"
LOGIN_MAX_BYTES = 63


@dataclass(frozen=True)
class Member:
    login: str
    name: str
    roles: tuple[str, ...]
    manager: str | None


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def init_hub(url: URL, *, skip_levels: bool, share_server: bool = False) -> str:
    """Create the hub (or bring it up to date) and set whether managers see skip levels;
    returns the hub's revision.

    One hub per server: the group roles are the server's, so a second hub would take the
    first's members and admins as its own, and its admins the first's. A new hub on a
    server whose roles own another database's hub is refused; `share_server` allows it
    for the tests, whose hubs are one database each on one throwaway server.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_hub_engine(url)
    with reaching(url, afterwards=NOTHING_CHANGED), engine.begin() as connection:
        if not connection.exec_driver_sql(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).scalar():
            raise HubError(
                "'rung hub init' creates roles and row-level security policies, so it runs as "
                "a PostgreSQL superuser (the organisation's database administrator)."
            )
        others = (
            connection.exec_driver_sql(
                "SELECT DISTINCT d.datname FROM pg_shdepend s JOIN pg_database d ON d.oid = s.dbid "
                "WHERE s.refclassid = 'pg_authid'::regclass AND s.deptype = 'o' "
                "AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = 'rung_hub_owner') "
                "AND d.datname <> current_database() ORDER BY 1"
            )
            .scalars()
            .all()
        )
        new = connection.exec_driver_sql("SELECT to_regnamespace('rung_hub') IS NULL").scalar()
        if new and others and not share_server:
            raise HubError(
                f"This PostgreSQL server already holds a Rung hub (database {others[0]}), and a "
                "hub's roles are the whole server's, so a second one here would share its "
                "members and admins: use that hub, or give this one a server of its own; "
                "nothing was changed."
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        _secure_version_table(connection)
        connection.exec_driver_sql(
            "INSERT INTO rung_hub.settings (id, skip_levels) VALUES (1, %(skip)s) "
            "ON CONFLICT (id) DO UPDATE SET skip_levels = EXCLUDED.skip_levels",
            {"skip": skip_levels},
        )
    engine.dispose()
    return head_revision()


def _secure_version_table(connection: Connection) -> None:
    """Alembic's version table, made by the admin, joins the others: owned by the owner
    role, under forced row-level security, readable by members (for `hub status`)."""
    connection.exec_driver_sql(
        """
        ALTER TABLE rung_hub.alembic_version OWNER TO rung_hub_owner;
        ALTER TABLE rung_hub.alembic_version ENABLE ROW LEVEL SECURITY,
            FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS read ON rung_hub.alembic_version;
        CREATE POLICY read ON rung_hub.alembic_version FOR SELECT TO rung_hub_member
            USING (true);
        GRANT SELECT ON rung_hub.alembic_version TO rung_hub_member;
        """
    )


def unsafe_reason(connection: Connection, login: str) -> str | None:
    """Why `login` must not be a member (it would see past row-level security), or None."""
    row = connection.exec_driver_sql(
        """
        SELECT r.rolsuper, r.rolbypassrls, pg_has_role(r.oid, 'rung_hub_owner', 'USAGE'),
               EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = 'rung_hub' AND c.relowner = r.oid)
        FROM pg_roles r WHERE r.rolname = %(login)s
        """,
        {"login": login},
    ).one_or_none()
    if row is None:
        return None
    superuser, bypass, owner, owns = row
    if superuser:
        return "is a superuser"
    if bypass:
        return "has BYPASSRLS"
    if owner or owns:
        return "owns the hub's tables"
    return None


def add_member(
    url: URL, login: str, name: str, roles: Sequence[Role], manager: str | None
) -> tuple[Member, bool]:
    """Add a member (roles add up: adding an existing member adds the roles given and
    updates the name and manager); creates the login when it does not exist yet.
    Returns the member and whether the login was created."""
    name = check_name(name.strip(), "member's name")
    for value in (login, manager):
        if value is not None:
            check_login(value)
    if manager == login:
        raise InvalidInputError(f"{login} cannot be their own manager.")
    engine = create_hub_engine(url)
    with reaching(url, afterwards=NOTHING_CHANGED), engine.begin() as connection:
        require_revision(connection, url)
        reason = unsafe_reason(connection, login)
        if reason is not None:
            raise HubError(
                f"The login {login} {reason}, so the database would not hold it to the hub's "
                "rules; give the member a login of their own without those rights."
            )
        if manager is not None and _member(connection, manager) is None:
            raise NotFoundError(
                f"{manager} is not a member of this hub; add them before naming them as a manager."
            )
        created = not connection.exec_driver_sql(
            "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %(login)s)", {"login": login}
        ).scalar()
        quoted = connection.dialect.identifier_preparer.quote_identifier(login)
        if created:
            connection.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN")
        connection.exec_driver_sql(f"GRANT {MEMBER_GROUP} TO {quoted}")
        if "admin" in roles:
            connection.exec_driver_sql(f"GRANT {ADMIN_GROUP} TO {quoted}")
        connection.exec_driver_sql(
            """
            INSERT INTO rung_hub.members (login, name, roles, manager)
            VALUES (%(login)s, %(name)s, %(roles)s, %(manager)s)
            ON CONFLICT (login) DO UPDATE SET
                name = EXCLUDED.name,
                roles = ARRAY(SELECT DISTINCT unnest(members.roles || EXCLUDED.roles) ORDER BY 1),
                manager = COALESCE(EXCLUDED.manager, members.manager)
            """,
            {"login": login, "name": name, "roles": sorted(set(roles)), "manager": manager},
        )
        member = _member(connection, login)
    engine.dispose()
    assert member is not None
    return member, created


def check_login(login: str) -> str:
    """A PostgreSQL login as a member's: PostgreSQL keeps 63 bytes of a name and would cut
    a longer one short, so it is refused instead."""
    check_name(login, "login")
    if len(login.encode("utf-8")) > LOGIN_MAX_BYTES:
        raise InvalidInputError(
            f"The login {login} is longer than PostgreSQL's {LOGIN_MAX_BYTES} bytes."
        )
    return login


def _member(connection: Connection, login: str) -> Member | None:
    row = connection.exec_driver_sql(
        "SELECT login, name, roles, manager FROM rung_hub.members WHERE login = %(login)s",
        {"login": login},
    ).one_or_none()
    return None if row is None else Member(row[0], row[1], tuple(row[2]), row[3])


def list_members(url: URL) -> list[Member]:
    """The hub's directory, by name (every member reads it)."""
    engine = create_hub_engine(url)
    with reaching(url, afterwards=NOTHING_CHANGED), engine.connect() as connection:
        require_revision(connection, url)
        rows = connection.exec_driver_sql(
            "SELECT login, name, roles, manager FROM rung_hub.members ORDER BY name, login"
        ).all()
    engine.dispose()
    return [Member(r[0], r[1], tuple(r[2]), r[3]) for r in rows]


def remove_member(url: URL, login: str) -> None:
    """Remove a member and everything published by them or about them; the login stays
    (the database administrator's), but no longer belongs to the hub's groups."""
    engine = create_hub_engine(url)
    with reaching(url, afterwards=NOTHING_CHANGED), engine.begin() as connection:
        require_revision(connection, url)
        gone = connection.exec_driver_sql(
            "DELETE FROM rung_hub.members WHERE login = %(login)s RETURNING login",
            {"login": login},
        ).one_or_none()
        if gone is None:
            raise NotFoundError(f"{login} is not a member of this hub.")
        connection.exec_driver_sql(
            "DELETE FROM rung_hub.assessments WHERE owner_login = %(login)s", {"login": login}
        )
        quoted = connection.dialect.identifier_preparer.quote_identifier(login)
        connection.exec_driver_sql(f"REVOKE {MEMBER_GROUP}, {ADMIN_GROUP} FROM {quoted}")
    engine.dispose()


CycleAction = Literal["create", "nominate", "seat"]


def change_cycle(url: URL, action: CycleAction, cycle: str, login: str | None = None) -> None:
    """Create a promotion cycle, nominate a member to it, or seat a committee member."""
    engine = create_hub_engine(url)
    with reaching(url, afterwards=NOTHING_CHANGED), engine.begin() as connection:
        require_revision(connection, url)
        check_name(cycle, "cycle's name")
        if action == "create":
            connection.exec_driver_sql(
                "INSERT INTO rung_hub.cycles (name) VALUES (%(cycle)s) ON CONFLICT DO NOTHING",
                {"cycle": cycle},
            )
        else:
            assert login is not None
            exists = connection.exec_driver_sql(
                "SELECT EXISTS (SELECT FROM rung_hub.cycles WHERE name = %(cycle)s)",
                {"cycle": cycle},
            ).scalar()
            if not exists:
                raise NotFoundError(f"There is no cycle '{cycle}': create it first.")
            member = _member(connection, login)
            if member is None:
                raise NotFoundError(f"{login} is not a member of this hub.")
            if action == "seat" and "committee" not in member.roles:
                raise InvalidInputError(
                    f"{login} does not have the committee role; add it with "
                    f"'rung hub member add {login} --name … --role committee' first."
                )
            table = "nominations" if action == "nominate" else "cycle_seats"
            connection.exec_driver_sql(
                f"INSERT INTO rung_hub.{table} (cycle, login) VALUES (%(cycle)s, %(login)s) "
                "ON CONFLICT DO NOTHING",
                {"cycle": cycle, "login": login},
            )
    engine.dispose()
