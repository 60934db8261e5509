"""Erasing: a profile, or everything, leaves no byte of its text anywhere in the data folder.

A canary string is planted in every kind of text a profile holds; after the
erase every file under the data folder (the database, its -wal and -shm,
every backup and set-aside file, any leftover) is read as raw bytes.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.paths import DATABASE_NAME
from app.services import Services, open_services
from app.services.erase import erase_profile
from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok, builtin_text, tree, with_version

SET_ASIDE = f"{DATABASE_NAME}.corrupt-20260101T000000000000Z"


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    canary: bytes


def files_holding(folder: Path, needle: bytes) -> list[str]:
    """Every file anywhere under `folder` whose raw bytes contain `needle`."""
    return sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if path.is_file() and needle in path.read_bytes()
    )


def plant(services: Services, name: str) -> Person:
    """A profile whose name, notes, reflection, evidence and amendment log hold a canary."""
    canary = f"CANARY-{uuid.uuid4().hex}"
    profile = services.profiles.create(
        name=f"{name} {canary}",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 5),
        manager="Jordan Manager",  # shared with the other profile: must survive for it
    )
    checkins = services.checkins
    draft = checkins.start_draft(profile.id, date(2026, 2, 1))
    checkins.set_rating(draft.id, "python-ml-engineering", 2, note=f"rating note {canary}")
    checkins.set_milestone(draft.id, "30d-run-pipeline", "done", note=f"milestone {canary}")
    checkins.set_kpi(draft.id, "pr-throughput", 3.5, note=f"kpi {canary}")
    checkins.set_reflection(draft.id, "wins", f"a reflection {canary}")
    checkins.set_reflection(draft.id, "blockers", ("long blocker text " * 400) + canary)
    checkins.finalize(draft.id)
    checkins.set_rating(draft.id, "python-ml-engineering", 3, note=f"amended note {canary}")
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:  # no service yet
        conn.execute(
            "INSERT INTO evidence (id, profile_id, date, title, description, link, private, "
            "created_at, updated_at, kind, context, action, outcome, metric_value, metric_unit, "
            "feedback_from, feedback_role) VALUES (?, ?, '2026-02-02', ?, ?, ?, 0, "
            "'2026-02-02 10:00:00', '2026-02-02 10:00:00', 'feedback', ?, ?, ?, 90, ?, ?, ?)",
            (
                str(uuid.uuid4()),
                profile.id,
                f"Shipped it {canary}",
                ("a long story " * 700) + canary,
                f"https://example.com/{canary}",
                f"context {canary}",
                f"action {canary}",
                f"outcome {canary}",
                f"ms {canary}",
                f"from {canary}",
                f"role {canary}",
            ),
        )
        conn.commit()
    return Person(profile.id, profile.name, canary.encode())


def two_profiles_with_copies(rung: Run, data: Path) -> tuple[Person, Person]:
    """Two planted profiles, a backup of both, and a set-aside copy of that backup."""
    services = open_services(data)
    try:
        ada, bob = plant(services, "Ada"), plant(services, "Bob")
    finally:
        services.close()
    backup = rung("--data-dir", data, "backup", "create")
    assert_ok(backup)
    (made,) = (data / "backups").glob("rung-*-manual.sqlite3")
    shutil.copyfile(made, data / SET_ASIDE)
    for person in (ada, bob):
        assert files_holding(data, person.canary) == sorted(
            [DATABASE_NAME, f"backups/{made.name}", SET_ASIDE]
        )
    return ada, bob


def checked(rung: Run, data: Path) -> str:
    """`rung check` succeeds (it may warn about this machine's SQLite on stderr)."""
    result = rung("--data-dir", data, "check")
    assert result.code == 0, result
    return result.out


def _only_backup(data: Path) -> Path:
    (backup,) = (data / "backups").glob("rung-*-manual.sqlite3")
    return backup


def names_in(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        return sorted(row[0] for row in conn.execute("SELECT name FROM profiles"))


def test_deleting_a_profile_erases_its_text_from_every_file(rung: Run, data: Path) -> None:
    ada, bob = two_profiles_with_copies(rung, data)
    # An older name lives on in a backup only: it goes too.
    services = open_services(data)
    try:
        services.profiles.update_details(
            ada.id,
            name="Ada renamed",
            interval_days=30,
            manager="Jordan Manager",
            role_start=date(2026, 1, 5),
        )
    finally:
        services.close()
    assert f"backups/{_only_backup(data).name}" in files_holding(data, ada.name.encode())

    result = rung("--data-dir", data, "profiles", "delete", ada.id, "--yes")

    assert_ok(result)
    assert result.out.startswith(f"Erased the profile Ada renamed ({ada.id}): ")
    assert files_holding(data, ada.canary) == []
    assert files_holding(data, ada.id.encode()) == []
    assert files_holding(data, b"Ada renamed") == []
    # The other profile is whole, in the database and in the rewritten backups.
    listed = rung("--data-dir", data, "profiles", "list", "--json")
    assert [(p["id"], p["name"], p["manager"]) for p in listed.json()] == [
        (bob.id, bob.name, "Jordan Manager")
    ]
    checkins = rung("--data-dir", data, "checkins", "list", "--profile", bob.id, "--json")
    assert [(c["status"], c["ratings"]) for c in checkins.json()] == [("final", 1)]
    backups = sorted((data / "backups").glob("rung-*.sqlite3"))
    assert backups  # rewritten, not dropped: Bob's history is still backed up
    for backup in backups:
        assert names_in(backup) == [bob.name]
        with contextlib.closing(sqlite3.connect(backup)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM evidence").fetchone()[0] == 1
            assert conn.execute("SELECT count(*) FROM checkins").fetchone()[0] == 1
    assert len(files_holding(data, bob.canary)) == 1 + len(backups)
    assert not (data / SET_ASIDE).exists()  # a damaged copy cannot be rewritten: it goes
    assert "passed the full integrity check" in checked(rung, data)


def test_erasing_with_the_store_open_leaves_nothing_in_the_wal(data: Path) -> None:
    """The desktop app erases with its store open: the -wal must not keep the text either."""
    services = open_services(data)
    try:
        ada, bob = plant(services, "Ada"), plant(services, "Bob")
        assert services.store.backups is not None
        services.store.backups.create()
        report = erase_profile(services.store, data, ada.id)
        assert (report.backups_rewritten, report.backups_dropped) == (1, 0)
        assert files_holding(data, ada.canary) == []
        assert [p.id for p in services.profiles.all()] == [bob.id]  # the store still works
        services.checkins.set_reflection(
            services.checkins.start_draft(bob.id, date(2026, 3, 1)).id, "focus", "next"
        )
        assert (data / f"{DATABASE_NAME}-wal").is_file()
        assert files_holding(data, ada.canary) == []
    finally:
        services.close()
    assert files_holding(data, ada.canary) == []


def test_leftovers_of_interrupted_copies_are_erased_too(rung: Run, data: Path) -> None:
    ada, _bob = two_profiles_with_copies(rung, data)
    (made,) = (data / "backups").glob("rung-*-manual.sqlite3")
    shutil.copyfile(made, data / "backups" / f".{made.name}.tmp")  # a copy cut short
    staging = data / ".rung-restore-abc123"  # a restore cut short
    staging.mkdir()
    shutil.copyfile(made, staging / "source.sqlite3")
    assert_ok(rung("--data-dir", data, "profiles", "delete", ada.id, "--yes"))
    assert files_holding(data, ada.canary) == []


def test_erase_all_leaves_no_profile_backup_or_set_aside_file(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    ada, bob = two_profiles_with_copies(rung, data)
    ladder = tmp_path / "ladder-1.9.yaml"
    ladder.write_text(with_version(builtin_text(), "1.9"), encoding="utf-8")
    assert_ok(rung("--data-dir", data, "frameworks", "import", ladder))

    result = rung("--data-dir", data, "erase", "--all", "--yes")

    assert_ok(result)
    assert result.out.startswith("Erased every profile: ")
    for person in (ada, bob):
        assert files_holding(data, person.canary) == []
    assert rung("--data-dir", data, "profiles", "list", "--json").json() == []
    assert list((data / "backups").iterdir()) == []
    assert list(data.glob("*.corrupt-*")) == []
    frameworks = rung("--data-dir", data, "frameworks", "list", "--json").json()
    assert sorted(f"{f['id']}@{f['version']}" for f in frameworks) == [
        "ml-engineer@1.0",
        "ml-engineer@1.1",
        "ml-engineer@1.9",
        "software-engineer@1.0",
    ]
    assert "passed the full integrity check" in checked(rung, data)


def test_erase_all_after_the_database_was_set_aside(rung: Run, data: Path) -> None:
    """A damaged database is moved aside on opening; erasing still reaches every copy."""
    ada, _bob = two_profiles_with_copies(rung, data)
    database = data / DATABASE_NAME
    database.write_bytes(database.read_bytes()[:4096])  # truncated: damaged
    result = rung("--data-dir", data, "erase", "--all", "--yes")
    assert_ok(result)
    assert files_holding(data, ada.canary) == []
    assert list(data.glob("*.corrupt-*")) == []
    assert list((data / "backups").iterdir()) == []


def test_erase_all_on_a_missing_folder_creates_nothing(rung: Run, data: Path) -> None:
    result = rung("--data-dir", data, "erase", "--all", "--yes")
    assert_ok(result)
    assert not data.exists()


@pytest.mark.parametrize(
    "flags", [[], ["--all"], ["--yes"]], ids=["no flags", "--all only", "--yes only"]
)
def test_erase_needs_both_flags(rung: Run, data: Path, flags: list[str]) -> None:
    two_profiles_with_copies(rung, data)
    before, before_tree = folder_digest(data), tree(data)
    assert_failed(rung("--data-dir", data, "erase", *flags), 2, "--all --yes")
    assert folder_digest(data) == before
    assert tree(data) == before_tree


def test_delete_needs_yes_and_changes_nothing(rung: Run, data: Path) -> None:
    ada, _bob = two_profiles_with_copies(rung, data)
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "profiles", "delete", ada.id), 2, "--yes")
    assert folder_digest(data) == before


def test_a_set_aside_file_holding_a_piece_of_long_text_is_dropped(rung: Run, data: Path) -> None:
    """Long text is stored split across pages; a damaged file may hold just a piece of it."""
    words = " ".join(uuid.uuid4().hex for _ in range(120))  # about 4 KB, found nowhere else
    services = open_services(data)
    try:
        ada = plant(services, "Ada")
        plant(services, "Bob")
        draft = services.checkins.start_draft(ada.id, date(2026, 3, 1))
        services.checkins.set_reflection(draft.id, "focus", words)
    finally:
        services.close()
    piece = words.encode()[1000:1400]  # neither end, no canary, no id
    (data / SET_ASIDE).write_bytes(b"\x00" * 512 + piece + b"\x00" * 512)
    other = data / f"{DATABASE_NAME}.corrupt-20260102T000000000000Z"
    other.write_bytes(b"\x00" * 1024)  # holds nothing of Ada's: kept
    assert_ok(rung("--data-dir", data, "profiles", "delete", ada.id, "--yes"))
    assert not (data / SET_ASIDE).exists()
    assert other.is_file()
    assert files_holding(data, piece[:48]) == []
