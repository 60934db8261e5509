"""The SQLite store: creation, migrations, refusals, and check-ins with carry-forward."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import stat
import time
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from app.errors import DamagedDatabaseError, DatabaseError, InvalidInputError, NewerDatabaseError
from app.paths import DATABASE_NAME, builtin_framework_files
from app.services import Services, open_services
from app.store.backup import Backups
from app.store.db import MIGRATIONS_DIR, migrate_with_backup, open_store
from app.store.models import Base
from app.store.revisions import HEAD_REVISION
from tests.helpers import NEWER_REVISION, every_row, mark_as_newer

START = date(2026, 1, 5)


def _revision(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _profile(services: Services, name: str = "Ada") -> str:
    return services.profiles.create(
        name=name,
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=START,
    ).id


def test_a_new_database_is_created_private_and_matches_the_models(data_dir: Path) -> None:
    store = open_store(data_dir)
    store.close()
    path = data_dir / DATABASE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert _revision(path) == HEAD_REVISION
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_an_up_to_date_database_keeps_its_data(data_dir: Path) -> None:
    services = open_services(data_dir)
    profile_id = _profile(services)
    services.close()
    reopened = open_services(data_dir)
    assert [p.id for p in reopened.profiles.all()] == [profile_id]
    assert len(reopened.frameworks.all()) == len(builtin_framework_files())  # stored once
    reopened.close()


def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(data_dir: Path) -> None:
    open_store(data_dir).close()
    path = data_dir / DATABASE_NAME
    mark_as_newer(path)
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="newer version of Rung"):
        open_store(data_dir)
    assert path.read_bytes() == before
    assert _revision(path) == NEWER_REVISION


def test_a_damaged_database_file_is_moved_aside_whole(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / DATABASE_NAME
    content = b"hello" * 100
    path.write_bytes(content)
    with pytest.raises(DamagedDatabaseError, match="not a database") as raised:
        open_store(data_dir)
    (moved,) = data_dir.glob(f"{DATABASE_NAME}.corrupt-*")
    assert raised.value.moved_to == moved
    assert moved.name in str(raised.value)
    assert moved.read_bytes() == content
    assert not path.exists()


def test_a_failed_migration_leaves_the_file_exactly_as_it_was(
    data_dir: Path, tmp_path: Path
) -> None:
    """The whole migration, DDL included, is one transaction: a failure half-way undoes it."""
    services = open_services(data_dir)
    _profile(services, "Before the migration")
    services.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        '"""A migration that fails half-way."""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f"revision = '9999'\ndown_revision = '{HEAD_REVISION}'\n"
        "branch_labels = None\ndepends_on = None\n\n"
        "def upgrade() -> None:\n"
        "    op.create_table('half_done', sa.Column('id', sa.Integer, primary_key=True))\n"
        "    op.execute('DELETE FROM profiles')\n"
        "    raise RuntimeError('disk on fire')\n\n"
        "def downgrade() -> None:\n    pass\n"
    )
    path = data_dir / DATABASE_NAME
    backups = Backups(data_dir, path)
    before = every_row(path)
    with pytest.raises(DatabaseError, match="left exactly as it was") as raised:
        migrate_with_backup(path, backups, HEAD_REVISION, scripts)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        names = [row[0] for row in conn.execute("SELECT name FROM profiles")]
    assert "half_done" not in tables
    assert names == ["Before the migration"]
    assert every_row(path) == before
    assert "disk on fire" in str(raised.value)
    assert _revision(path) == HEAD_REVISION
    reason = f"before-migration-from-{HEAD_REVISION}"
    (copy,) = [b for b in backups.all() if b.reason == reason]
    assert copy.path.parent == data_dir / "backups"
    assert copy.name in str(raised.value)
    with contextlib.closing(sqlite3.connect(copy.path)) as conn:  # the copy is the old state
        assert [row[0] for row in conn.execute("SELECT name FROM profiles")] == names
    reopened = open_services(data_dir)  # and the restored file opens as it was
    assert [p.name for p in reopened.profiles.all()] == ["Before the migration"]
    reopened.close()


def test_a_check_in_round_trips_exactly(services: Services) -> None:
    profile_id = _profile(services)
    text = "<b>Zoë</b> & 李雷 🚀\nsecond line"
    draft = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2, confidence=4, note=text)
    services.checkins.set_rating(draft.id, "llm-integration", None, not_applicable=True)
    services.checkins.set_milestone(draft.id, "30d-run-pipeline", "done", note=text)
    services.checkins.set_kpi(draft.id, "pr-throughput", 3.5, note=text)
    services.checkins.set_reflection(draft.id, "wins", text)
    services.checkins.finalize(draft.id)
    services.store.close()

    reopened = open_services(services.store.path.parent)
    [checkin] = reopened.checkins.all(profile_id)
    assert (checkin.status, checkin.date, checkin.ratings) == ("final", date(2026, 2, 1), 2)
    with contextlib.closing(sqlite3.connect(reopened.store.path)) as conn:
        assert conn.execute("SELECT note, confidence FROM ratings WHERE value = 2").fetchone() == (
            text,
            4,
        )
        assert conn.execute("SELECT wins FROM checkins").fetchone()[0] == text
        assert conn.execute("SELECT value, note FROM kpi_values").fetchone() == (3.5, text)
    current = reopened.checkins.current_ratings(profile_id, date(2026, 2, 1))
    assert current["python-ml-engineering"].value == 2
    assert current["llm-integration"].not_applicable
    reopened.close()


def test_carry_forward_takes_the_latest_final_value_and_ignores_drafts(
    services: Services,
) -> None:
    profile_id = _profile(services)
    checkins = services.checkins
    first = checkins.start_draft(profile_id, date(2026, 2, 1))
    checkins.set_rating(first.id, "python-ml-engineering", 1)
    checkins.set_rating(first.id, "sql-fundamentals", 2)
    checkins.set_milestone(first.id, "30d-run-pipeline", "in-progress")
    checkins.finalize(first.id)
    second = checkins.start_draft(profile_id, date(2026, 3, 1))
    checkins.set_rating(second.id, "python-ml-engineering", 3)
    checkins.set_milestone(second.id, "30d-run-pipeline", "done")
    checkins.finalize(second.id)
    draft = checkins.start_draft(profile_id, date(2026, 3, 15))
    checkins.set_rating(draft.id, "sql-fundamentals", 4)

    before = checkins.current_ratings(profile_id, date(2026, 2, 20))
    assert {k: v.value for k, v in before.items()} == {
        "python-ml-engineering": 1,
        "sql-fundamentals": 2,
    }
    after = checkins.current_ratings(profile_id, date(2026, 4, 1))
    assert after["python-ml-engineering"].value == 3
    assert after["python-ml-engineering"].since == date(2026, 3, 1)
    assert after["sql-fundamentals"].value == 2  # the draft's 4 never counts
    assert checkins.current_ratings(profile_id, date(2026, 1, 31)) == {}
    milestones = checkins.current_milestones(profile_id, date(2026, 4, 1))
    assert milestones["30d-run-pipeline"].status == "done"


def test_same_day_check_ins_are_ordered_by_when_they_were_finalised(
    services: Services,
) -> None:
    profile_id = _profile(services)
    day = date(2026, 2, 1)
    for value in (1, 3, 2):
        draft = services.checkins.start_draft(profile_id, day)
        services.checkins.set_rating(draft.id, "python-ml-engineering", value)
        services.checkins.finalize(draft.id)
        time.sleep(0.002)  # distinct finalisation stamps
    assert services.checkins.current_ratings(profile_id, day)["python-ml-engineering"].value == 2


def test_one_draft_per_profile(services: Services) -> None:
    profile_id = _profile(services)
    first = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    again = services.checkins.start_draft(profile_id, date(2026, 2, 9))
    assert again.id == first.id
    assert [c.status for c in services.checkins.all(profile_id)] == ["draft"]


def test_critical_skills_cannot_be_not_applicable_and_ratings_stay_on_the_scale(
    services: Services,
) -> None:
    profile_id = _profile(services)
    draft = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    with pytest.raises(InvalidInputError, match="critical"):
        services.checkins.set_rating(draft.id, "python-ml-engineering", None, not_applicable=True)
    with pytest.raises(InvalidInputError, match="outside the scale"):
        services.checkins.set_rating(draft.id, "sql-fundamentals", 5)
    with pytest.raises(InvalidInputError, match="no skill"):
        services.checkins.set_rating(draft.id, "juggling", 1)
    assert services.checkins.all(profile_id)[0].ratings == 0


def test_amending_a_final_check_in_logs_each_change(services: Services) -> None:
    profile_id = _profile(services)
    draft = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    services.checkins.set_rating(draft.id, "python-ml-engineering", 1, note="draft note")
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2, note="draft note")
    services.checkins.finalize(draft.id)
    services.checkins.set_rating(draft.id, "python-ml-engineering", 3, note="draft note")
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        log = conn.execute("SELECT field, old, new, private FROM amendments").fetchall()
    assert log == [("rating:python-ml-engineering.value", "2", "3", 0)]


def test_opening_raises_no_alarm_about_sqlite_the_user_cannot_act_on(data_dir: Path) -> None:
    """The WAL-reset note belongs to `rung check` and About, never to a first-run dialog."""
    from app.store.sqlite import sqlite_version_note

    assert sqlite_version_note("3.40.1") is not None
    assert sqlite_version_note("3.51.3") is None
    store = open_store(data_dir)
    store.close()
    assert not any("WAL-reset" in warning for warning in store.warnings)


def test_two_check_ins_of_one_day_compare_by_what_the_second_changed(
    services: Services,
) -> None:
    profile_id = _profile(services)
    day = date(2026, 2, 1)
    first = services.checkins.start_draft(profile_id, day)
    services.checkins.set_rating(first.id, "python-ml-engineering", 1)
    services.checkins.finalize(first.id)
    time.sleep(0.002)
    second = services.checkins.start_draft(profile_id, day)
    services.checkins.set_rating(second.id, "python-ml-engineering", 3)
    services.checkins.set_rating(second.id, "sql-fundamentals", 2)
    services.checkins.set_milestone(second.id, "30d-run-pipeline", "done")
    services.checkins.finalize(second.id)

    compared = services.checkins.compare(first.id, second.id)

    rows = {(c.item_id, c.before, c.after, c.direction) for c in compared.skills}
    assert rows == {
        ("python-ml-engineering", "1", "3", 1),
        ("sql-fundamentals", "not rated", "2", 0),  # a first rating, not a rise from 0
    }
    assert compared.completed == ["30d-run-pipeline"]


def test_a_first_rating_is_no_rise_from_zero(services: Services) -> None:
    profile_id = _profile(services)
    draft = services.checkins.start_draft(profile_id, date(2026, 2, 1))
    services.checkins.set_rating(draft.id, "python-ml-engineering", 3)
    [change] = services.checkins.changes(draft.id)
    assert (change.before, change.after, change.direction) == ("not rated", "3", 0)
