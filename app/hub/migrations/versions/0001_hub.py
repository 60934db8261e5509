"""the team hub: members, cycles, published profiles and assessments, with row-level security

Roles: `rung_hub_owner` owns the schema, its tables and functions and cannot log
in; `rung_hub_member` is the group every member login joins; `rung_hub_admin`
the group of the members who manage members and cycles. Every table has
`FORCE ROW LEVEL SECURITY`, and a member reads and writes only what the
policies below allow (PRODUCT.md, "Team hub"): the database enforces access,
not the app. The functions the policies call have SQL-standard bodies, parsed
here and stored as references, so no caller's search path can change them.

Revision ID: 0001
Revises:
Create Date: 2026-12-07 22:30:00.000000
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ROLES = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rung_hub_owner') THEN
        CREATE ROLE rung_hub_owner NOLOGIN NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rung_hub_member') THEN
        CREATE ROLE rung_hub_member NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rung_hub_admin') THEN
        CREATE ROLE rung_hub_admin NOLOGIN;
    END IF;
END
$$
"""

TABLES = """
ALTER SCHEMA rung_hub OWNER TO rung_hub_owner;
SET LOCAL ROLE rung_hub_owner;

CREATE TABLE rung_hub.settings (
    id integer PRIMARY KEY CHECK (id = 1),
    skip_levels boolean NOT NULL
);

CREATE TABLE rung_hub.members (
    login text PRIMARY KEY CHECK (length(login) BETWEEN 1 AND 63),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    roles text[] NOT NULL CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['engineer', 'manager', 'committee', 'admin']::text[]
    ),
    manager text REFERENCES rung_hub.members (login) ON DELETE SET NULL
        CHECK (manager <> login),
    added_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_manager ON rung_hub.members (manager);

CREATE TABLE rung_hub.cycles (
    name text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rung_hub.cycle_seats (
    cycle text REFERENCES rung_hub.cycles (name) ON DELETE CASCADE ON UPDATE CASCADE,
    login text REFERENCES rung_hub.members (login) ON DELETE CASCADE,
    PRIMARY KEY (cycle, login)
);
CREATE INDEX cycle_seats_login ON rung_hub.cycle_seats (login);

CREATE TABLE rung_hub.nominations (
    cycle text REFERENCES rung_hub.cycles (name) ON DELETE CASCADE ON UPDATE CASCADE,
    login text REFERENCES rung_hub.members (login) ON DELETE CASCADE,
    PRIMARY KEY (cycle, login)
);
CREATE INDEX nominations_login ON rung_hub.nominations (login);

-- A ladder as each publisher sent it: a profile is read with its owner's copy, so no
-- member can put a damaged ladder in the way of someone else's profile.
CREATE TABLE rung_hub.frameworks (
    id text,
    version text,
    hash text CHECK (hash ~ '^[0-9a-f]{64}$'),
    added_by text NOT NULL DEFAULT CURRENT_USER
        REFERENCES rung_hub.members (login) ON DELETE CASCADE,
    body jsonb NOT NULL,
    PRIMARY KEY (id, version, hash, added_by)
);

CREATE TABLE rung_hub.profiles (
    id text PRIMARY KEY,
    owner_login text NOT NULL DEFAULT CURRENT_USER
        REFERENCES rung_hub.members (login) ON DELETE CASCADE,
    name text NOT NULL,
    published_at timestamptz NOT NULL,
    digest text NOT NULL,
    body jsonb NOT NULL
);
CREATE INDEX profiles_owner ON rung_hub.profiles (owner_login);

CREATE TABLE rung_hub.records (
    profile_id text REFERENCES rung_hub.profiles (id) ON DELETE CASCADE,
    kind text CHECK (kind IN ('checkin', 'evidence', 'goal', 'learning')),
    id text,
    owner_login text NOT NULL DEFAULT CURRENT_USER,
    digest text NOT NULL,
    body jsonb NOT NULL,
    PRIMARY KEY (profile_id, kind, id)
);
CREATE INDEX records_owner ON rung_hub.records (owner_login);

CREATE TABLE rung_hub.assessments (
    profile_id text REFERENCES rung_hub.profiles (id) ON DELETE CASCADE,
    assessor_login text NOT NULL DEFAULT CURRENT_USER
        REFERENCES rung_hub.members (login) ON DELETE CASCADE,
    date date,
    owner_login text NOT NULL,
    exported_at timestamptz NOT NULL,
    digest text NOT NULL,
    body jsonb NOT NULL,
    PRIMARY KEY (profile_id, assessor_login, date)
);
CREATE INDEX assessments_owner ON rung_hub.assessments (owner_login);
"""

FUNCTIONS = """
CREATE FUNCTION rung_hub.managed_logins() RETURNS SETOF text
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT m.login FROM rung_hub.members m WHERE m.manager = CURRENT_USER
    UNION
    SELECT r.login
    FROM rung_hub.members r
    JOIN rung_hub.members m ON r.manager = m.login
    JOIN rung_hub.settings s ON s.skip_levels
    WHERE m.manager = CURRENT_USER;
END;

CREATE FUNCTION rung_hub.readable_logins() RETURNS SETOF text
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT CURRENT_USER::text
    UNION
    SELECT rung_hub.managed_logins()
    UNION
    SELECT n.login
    FROM rung_hub.nominations n
    JOIN rung_hub.cycle_seats c ON c.cycle = n.cycle
    WHERE c.login = CURRENT_USER;
END;

REVOKE ALL ON FUNCTION rung_hub.managed_logins() FROM PUBLIC;
REVOKE ALL ON FUNCTION rung_hub.readable_logins() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rung_hub.managed_logins() TO rung_hub_member;
GRANT EXECUTE ON FUNCTION rung_hub.readable_logins() TO rung_hub_member;
"""

GRANTS = """
REVOKE ALL ON SCHEMA rung_hub FROM PUBLIC;
GRANT USAGE ON SCHEMA rung_hub TO rung_hub_member, rung_hub_admin;
GRANT SELECT ON rung_hub.settings, rung_hub.members, rung_hub.cycles, rung_hub.cycle_seats,
    rung_hub.nominations TO rung_hub_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON rung_hub.members, rung_hub.cycles,
    rung_hub.cycle_seats, rung_hub.nominations TO rung_hub_admin;
GRANT SELECT, INSERT ON rung_hub.frameworks TO rung_hub_member;
GRANT SELECT, INSERT, UPDATE, DELETE ON rung_hub.profiles, rung_hub.records,
    rung_hub.assessments TO rung_hub_member;
"""

POLICIES = """
CREATE POLICY read ON rung_hub.settings FOR SELECT TO rung_hub_member USING (true);

-- The directory (names, roles, who reports to whom) is read by every member.
CREATE POLICY read ON rung_hub.members FOR SELECT TO rung_hub_member USING (true);
-- An admin manages the directory but cannot give themselves reports (or a seat on a
-- cycle, below): reading people's profiles is never theirs to grant themselves.
CREATE POLICY manage ON rung_hub.members TO rung_hub_admin
    USING (true) WITH CHECK (manager IS DISTINCT FROM CURRENT_USER);

CREATE POLICY read ON rung_hub.cycles FOR SELECT TO rung_hub_member USING (true);
CREATE POLICY manage ON rung_hub.cycles TO rung_hub_admin USING (true) WITH CHECK (true);

CREATE POLICY read ON rung_hub.cycle_seats FOR SELECT TO rung_hub_member
    USING (login = CURRENT_USER);
CREATE POLICY manage ON rung_hub.cycle_seats TO rung_hub_admin
    USING (true) WITH CHECK (login <> CURRENT_USER);

CREATE POLICY read ON rung_hub.nominations FOR SELECT TO rung_hub_member
    USING (
        login = CURRENT_USER
        OR cycle IN (SELECT s.cycle FROM rung_hub.cycle_seats s WHERE s.login = CURRENT_USER)
    );
CREATE POLICY manage ON rung_hub.nominations TO rung_hub_admin USING (true) WITH CHECK (true);

CREATE POLICY read ON rung_hub.frameworks FOR SELECT TO rung_hub_member USING (true);
CREATE POLICY add ON rung_hub.frameworks FOR INSERT TO rung_hub_member
    WITH CHECK (added_by = CURRENT_USER);

CREATE POLICY read ON rung_hub.profiles FOR SELECT TO rung_hub_member
    USING (owner_login IN (SELECT rung_hub.readable_logins()));
CREATE POLICY own ON rung_hub.profiles TO rung_hub_member
    USING (owner_login = CURRENT_USER) WITH CHECK (owner_login = CURRENT_USER);

CREATE POLICY read ON rung_hub.records FOR SELECT TO rung_hub_member
    USING (owner_login IN (SELECT rung_hub.readable_logins()));
CREATE POLICY own ON rung_hub.records TO rung_hub_member
    USING (owner_login = CURRENT_USER)
    WITH CHECK (
        owner_login = CURRENT_USER
        AND EXISTS (
            SELECT FROM rung_hub.profiles p
            WHERE p.id = profile_id AND p.owner_login = CURRENT_USER
        )
    );

CREATE POLICY read ON rung_hub.assessments FOR SELECT TO rung_hub_member
    USING (
        assessor_login = CURRENT_USER
        OR owner_login IN (SELECT rung_hub.readable_logins())
    );
CREATE POLICY assess ON rung_hub.assessments TO rung_hub_member
    USING (
        assessor_login = CURRENT_USER
        AND owner_login IN (SELECT rung_hub.managed_logins())
    )
    WITH CHECK (
        assessor_login = CURRENT_USER
        AND owner_login IN (SELECT rung_hub.managed_logins())
        AND owner_login = (SELECT p.owner_login FROM rung_hub.profiles p WHERE p.id = profile_id)
    );
"""

TABLE_NAMES = (
    "settings",
    "members",
    "cycles",
    "cycle_seats",
    "nominations",
    "frameworks",
    "profiles",
    "records",
    "assessments",
)


def upgrade() -> None:
    bind = op.get_bind()
    for script in (ROLES, TABLES, FUNCTIONS, GRANTS, POLICIES):
        bind.exec_driver_sql(script)
    for table in TABLE_NAMES:
        bind.exec_driver_sql(
            f"ALTER TABLE rung_hub.{table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY"
        )
    bind.exec_driver_sql("RESET ROLE")
    bind.exec_driver_sql("GRANT rung_hub_member TO rung_hub_admin")


def downgrade() -> None:
    raise NotImplementedError("Rung never downgrades a hub; restore a dump instead.")
