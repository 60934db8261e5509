"""Upgrading a database written at every earlier revision keeps every row and column.

Each fixture in `tests/fixtures/migrations/` is a database fully populated by
the code of its revision (`scripts/migration_fixture.py`), never by today's
models. It is loaded into a real file, checked to hold rows in every table,
opened (which migrates it to the newest schema) and compared row by row and
column by column with what it held.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from app.framework.loader import framework_from_snapshot, framework_hash
from app.paths import DATABASE_NAME
from app.services import open_services
from app.store.backup import Backups
from app.store.db import MIGRATIONS_DIR
from app.store.models import Base
from app.store.revisions import HEAD_REVISION, KNOWN_REVISIONS
from tests.helpers import Rows, every_row

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "migrations"


@functools.cache
def script_revisions() -> list[str]:
    """Every revision of the migration scripts, oldest first."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return [
        script.revision
        for script in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
    ]


EARLIER = script_revisions()[:-1]


@functools.cache
def _rehash(snapshot: str) -> str:
    return framework_hash(framework_from_snapshot(snapshot))


def rehashed(row: dict[str, Any]) -> dict[str, Any]:
    """0004 computes a stored framework's hash again (defaults now left out of it)."""
    return {**row, "hash": _rehash(row["snapshot"])}


def public_stamp(row: dict[str, Any]) -> dict[str, Any]:
    """0005: a record's public stamp starts as its one stamp, so exports keep their times."""
    return {**row, "public_updated_at": row["updated_at"]}


# A column a migration changes or adds on purpose: (revision, table) → how each old row
# becomes new (an added column is then checked too). Everything else must come through an
# upgrade exactly as it was.
CHANGED: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("0004", "frameworks"): rehashed,
    ("0005", "checkins"): public_stamp,
    ("0005", "goals"): public_stamp,
    ("0005", "learning_items"): public_stamp,
}


def expected_after(revision: str, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """An old row as the upgrade from `revision` must leave it."""
    later = script_revisions()[script_revisions().index(revision) + 1 :]
    for step in later:
        change = CHANGED.get((step, table))
        if change is not None:
            row = change(row)
    return row


def assert_upgraded(revision: str, before: Rows, after: Rows) -> None:
    """Every row and column that a database at `revision` held is there after the upgrade,
    as it was (or as a declared change makes it)."""
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        added = set(after[table]) - set(rows)
        if table == "frameworks":  # opening stores the built-ins shipped since
            added = {key for key in added if not after[table][key]["builtin"]}
        assert set(rows) <= set(after[table]), f"{table}: rows were lost"
        assert not added, f"{table}: rows were added"
        for key, row in rows.items():
            migrated = after[table][key]
            expected = expected_after(revision, table, row)
            assert {column: migrated[column] for column in expected} == expected, f"{table} {key}"


def load_fixture(revision: str, database: Path) -> None:
    """A real Rung database file (WAL mode) holding the fixture written at `revision`."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        conn.executescript((FIXTURES / f"{revision}.sql").read_text(encoding="utf-8"))
        conn.execute("PRAGMA journal_mode = WAL")


def test_the_revisions_come_from_the_migration_scripts() -> None:
    """Opening checks the revision without Alembic, so the constants must agree with it."""
    revisions = script_revisions()
    assert revisions[-1] == HEAD_REVISION
    assert set(revisions) == KNOWN_REVISIONS


@pytest.mark.parametrize("revision", EARLIER)
def test_every_earlier_revision_has_a_fully_populated_fixture(
    revision: str, tmp_path: Path
) -> None:
    database = tmp_path / DATABASE_NAME
    load_fixture(revision, database)
    rows = every_row(database)
    empty = sorted(table for table, content in rows.items() if not content)
    assert empty == [], f"the {revision} fixture has empty tables"
    assert next(iter(rows["alembic_version"].values()))["version_num"] == revision


@pytest.mark.parametrize("revision", EARLIER)
def test_upgrading_keeps_every_row_and_column(revision: str, data_dir: Path) -> None:
    database = data_dir / DATABASE_NAME
    load_fixture(revision, database)
    before = every_row(database)

    open_services(data_dir).close()

    after = every_row(database)
    assert next(iter(after["alembic_version"].values()))["version_num"] == HEAD_REVISION
    assert_upgraded(revision, before, after)
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
    backups = Backups(data_dir, database)
    [copy] = [b for b in backups.all() if b.reason == f"before-migration-from-{revision}"]
    assert every_row(copy.path) == before  # the copy taken first is the old state, whole
