"""Only the owner's data travels as the owner's: no forwarded copy can roll anyone back.

A shared copy is never exported as a profile bundle (in the core, so the
command line and the app both refuse), and `--as-mine` takes a bundle only
into its owner's data folder, or into a folder that has no owner yet.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.bundle.export import build_bundle, bundle_bytes, export_bundle
from app.bundle.importer import import_bundle
from app.errors import InvalidInputError, ReadOnlyError
from app.services import Services, open_services
from app.services.identity import Identity
from tests.conftest import folder_digest
from tests.helpers import (
    MANAGER_NAME,
    SHARED_EVIDENCE,
    Run,
    assert_failed,
    assert_ok,
    private_profile,
)

FIRST = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
ZOE = Identity("Zoë Park", "ML engineer", "zoe@example.com")


def write(services: Services, profile_id: str, path: Path, now: datetime = FIRST) -> Path:
    bundle = build_bundle(services.store, profile_id, include_private=False, now=now)
    path.write_bytes(bundle_bytes(bundle))
    return path


def content(services: Services) -> list[str]:
    """Every row of every table, read through SQLite (never the live file's bytes)."""
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        return list(conn.iterdump())


@pytest.fixture
def mentee(services: Services, tmp_path: Path) -> str:
    """Zoë's own profile in her own data folder, which knows who she is."""
    services.identity.set(name=ZOE.name, role=ZOE.role, email=ZOE.email)
    return private_profile(services, tmp_path)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Services]:
    opened = open_services(tmp_path / "other")
    yield opened
    opened.close()


# -- a shared copy is not exported ----------------------------------------------------


def test_the_core_refuses_to_export_a_shared_copy_and_writes_nothing(
    services: Services, other: Services, mentee: str, tmp_path: Path
) -> None:
    import_bundle(other.store, other.frameworks, write(services, mentee, tmp_path / "zoe.rung"))
    out = tmp_path / "forwarded.rung"
    for include_private in (False, True):
        with pytest.raises(ReadOnlyError) as refused:
            export_bundle(other.store, mentee, out, include_private=include_private)
        assert str(refused.value) == (
            "Zoë shared this profile with you, and only its owner exports it as a bundle (a "
            "copy passed on could undo their newer changes); send your assessment back instead "
            "with 'rung assess export --profile P --out FILE'."
        )
    assert not out.exists()
    export_bundle(services.store, mentee, out, include_private=False)  # the owner's: fine
    assert out.exists()


def test_a_forwarded_copy_cannot_roll_the_skip_levels_copy_back(
    services: Services, mentee: str, rung: Run, tmp_path: Path
) -> None:
    """The issue's scenario: the manager's copy is out of date when the skip-level's is not."""
    manager, skip_level = tmp_path / "manager", tmp_path / "skip-level"
    assert_ok(rung("--data-dir", manager, "whoami", "--name", MANAGER_NAME))
    assert_ok(
        rung(
            "--data-dir", manager, "bundle", "import", write(services, mentee, tmp_path / "v1.rung")
        )
    )
    # Zoë checks in again and makes an entry private, then shares the newer bundle upwards.
    latest = services.checkins.start_draft(mentee, on=date(2026, 5, 20))
    services.checkins.set_rating(latest.id, "a-critical", 3)
    services.checkins.finalize(latest.id)
    [entry] = [e for e in services.evidence.search(mentee) if e.title == SHARED_EVIDENCE]
    services.evidence.update(entry.id, day=entry.date, title=entry.title, private=True)
    v2 = write(services, mentee, tmp_path / "v2.rung", now=LATER)
    assert_ok(rung("--data-dir", skip_level, "bundle", "import", v2))

    def skip_levels_copy() -> tuple[list[str], list[str]]:
        checkins = rung("--data-dir", skip_level, "checkins", "list", "--profile", "Zoë", "--json")
        evidence = rung("--data-dir", skip_level, "evidence", "list", "--profile", "Zoë", "--json")
        return [c["date"] for c in checkins.json()], [e["title"] for e in evidence.json()]

    assert skip_levels_copy() == (["2026-03-01", "2026-05-01", "2026-05-20"], [])

    # The manager cannot pass their out-of-date copy on, with or without private text...
    before = folder_digest(manager)
    forwarded = tmp_path / "forwarded.rung"
    for extra in ([], ["--include-private"]):
        result = rung(
            "--data-dir", manager, "bundle", "export", "--profile", "Zoë", "--out", forwarded,
            *extra,
        )  # fmt: skip
        assert_failed(result, 1, "only its owner exports it as a bundle")
        assert "rung assess export" in result.err
    assert not forwarded.exists()
    # ...nor make the old bundle their own in a folder of theirs, to export it from there.
    own_folder = tmp_path / "managers-laptop"
    assert_ok(rung("--data-dir", own_folder, "whoami", "--name", MANAGER_NAME))
    laptop = folder_digest(own_folder)
    v1 = tmp_path / "v1.rung"
    result = rung("--data-dir", own_folder, "bundle", "import", v1, "--as-mine")
    assert_failed(result, 1, "is the profile of Zoë Park — ML engineer <zoe@example.com>")
    assert folder_digest(own_folder) == laptop
    assert_failed(
        rung("--data-dir", manager, "bundle", "import", v1, "--as-mine"), 1, "delete that copy"
    )
    assert folder_digest(manager) == before
    # The only bundle that reaches the skip-level is Zoë's own; the older one changes nothing.
    assert_ok(rung("--data-dir", skip_level, "bundle", "import", v1))
    assert skip_levels_copy() == (["2026-03-01", "2026-05-01", "2026-05-20"], [])


# -- --as-mine: only the owner's own bundle -------------------------------------------


def test_a_folder_with_no_identity_yet_takes_the_bundles(
    services: Services, other: Services, mentee: str, tmp_path: Path
) -> None:
    bundle = write(services, mentee, tmp_path / "zoe.rung")
    assert other.identity.get() is None
    result = import_bundle(other.store, other.frameworks, bundle, as_mine=True)
    assert other.identity.get() == ZOE
    assert result.summary.endswith(
        "; this data folder now belongs to Zoë Park — ML engineer <zoe@example.com> (rung whoami)"
    )
    assert not other.profiles.get(mentee).shared


@pytest.mark.parametrize(
    ("name", "email"),
    [
        (ZOE.name, ZOE.email),
        ("  zoë   PARK ", "ZOE@Example.com"),  # case and spacing are not who someone is
        ("Zoe\u0308 Park", None),  # the same name in another Unicode form; no email here
    ],
)
def test_the_owners_new_folder_takes_their_bundle(
    services: Services,
    other: Services,
    mentee: str,
    tmp_path: Path,
    name: str,
    email: str | None,
) -> None:
    other.identity.set(name=name, role="Staff engineer", email=email)  # a role can change
    import_bundle(
        other.store, other.frameworks, write(services, mentee, tmp_path / "z.rung"), as_mine=True
    )
    assert not other.profiles.get(mentee).shared
    assert other.identity.get() == Identity(name, "Staff engineer", email)  # not replaced


@pytest.mark.parametrize(
    ("name", "email", "fragment"),
    [
        (MANAGER_NAME, None, "is the profile of Zoë Park"),
        (ZOE.name, "zoe.park@elsewhere.example", "is the profile of Zoë Park"),
    ],
)
def test_someone_elses_bundle_is_refused_as_mine_and_changes_nothing(
    services: Services,
    other: Services,
    mentee: str,
    tmp_path: Path,
    name: str,
    email: str | None,
    fragment: str,
) -> None:
    other.identity.set(name=name, email=email)
    bundle = write(services, mentee, tmp_path / "zoe.rung")
    before = content(other)
    with pytest.raises(InvalidInputError, match=fragment):
        import_bundle(other.store, other.frameworks, bundle, as_mine=True)
    assert content(other) == before
    assert other.profiles.all() == []
    import_bundle(other.store, other.frameworks, bundle)  # a read-only copy is fine
    assert other.profiles.get(mentee).shared


def test_a_bundle_that_names_no_owner_is_mine_only_in_a_folder_with_no_owner(
    services: Services, other: Services, tmp_path: Path
) -> None:
    profile_id = private_profile(services, tmp_path)  # exported before Zoë set `whoami`
    bundle = write(services, profile_id, tmp_path / "zoe.rung")
    other.identity.set(name=MANAGER_NAME)
    with pytest.raises(InvalidInputError, match="does not say whose profile it is"):
        import_bundle(other.store, other.frameworks, bundle, as_mine=True)
    assert other.profiles.all() == []
    fresh = open_services(tmp_path / "fresh")
    try:
        import_bundle(fresh.store, fresh.frameworks, bundle, as_mine=True)
        assert fresh.identity.get() is None
        assert not fresh.profiles.get(profile_id).shared
    finally:
        fresh.close()
