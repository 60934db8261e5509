"""Bundle import: a faithful copy, exact mirroring, and every damaged file refused unchanged."""

from __future__ import annotations

import codecs
import contextlib
import copy
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.bundle import reader
from app.bundle.export import build_bundle, bundle_bytes, checksum, export_payload
from app.bundle.importer import ImportResult, import_bundle, read_bundle
from app.bundle.model import Bundle, Payload
from app.errors import BundleError, InvalidInputError, ReadOnlyError
from app.services import Services, open_services
from app.services.demo import create_demo
from app.store.lock import LOCK_NAME
from app.store.models import Calibration, DimensionComment, Recommendation
from tests.conftest import folder_digest
from tests.helpers import (
    CANARIES,
    SHARED_EVIDENCE,
    Run,
    assert_failed,
    assert_ok,
    import_framework,
    private_profile,
    report_framework,
    sign_as_manager,
)

FIRST = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)


def linked_profile(services: Services, tmp_path: Path) -> str:
    """`private_profile`, with both evidence entries linked to the first check-in's rating."""
    profile_id = private_profile(services, tmp_path)
    payload = build_bundle(services.store, profile_id, include_private=True).payload
    for entry in payload.evidence:
        services.evidence.link(payload.checkins[0].id, "a-critical", entry.id)
    return profile_id


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    return linked_profile(services, tmp_path)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Services]:
    """A second, fresh data folder: the manager's computer, or the new one."""
    opened = open_services(tmp_path / "other")
    yield opened
    opened.close()


def write(
    services: Services, profile_id: str, path: Path, *, private: bool, now: datetime = FIRST
) -> Path:
    bundle = build_bundle(services.store, profile_id, include_private=private, now=now)
    path.write_bytes(bundle_bytes(bundle))
    return path


def payload(services: Services, profile_id: str, *, private: bool) -> Payload:
    """What a profile holds, as a bundle would carry it (a shared copy's too, which is never
    exported: the importer reads it this way to compare)."""
    with services.store.session() as session:
        return export_payload(session, profile_id, include_private=private)


def content(services: Services) -> list[str]:
    """Every row of every table, through SQLite (never the live file's bytes)."""
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        return list(conn.iterdump())


def run_import(services: Services, path: Path, *, as_mine: bool = False) -> ImportResult:
    return import_bundle(services.store, services.frameworks, path, as_mine=as_mine)


# -- a faithful copy -----------------------------------------------------------------


def test_a_full_export_imports_into_a_fresh_folder_as_the_same_profile(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    result = run_import(other, bundle)
    assert result == ImportResult(
        profile_id,
        "Zoë",
        "created",
        "2 check-ins, 2 evidence entries, 1 goal, 1 learning item, framework two-dims@1.0 added",
    )
    # Re-exported from the copy, every field of every record is what the owner has.
    assert payload(other, profile_id, private=True) == payload(services, profile_id, private=True)
    assert other.readiness.as_of(profile_id, DAY) == services.readiness.as_of(profile_id, DAY)
    assert other.profiles.get(profile_id).shared
    assert other.store.backups is not None
    assert other.store.backups.all() == []  # nothing to protect in a fresh folder


def test_a_shared_export_copies_every_shared_field_and_no_private_text(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    run_import(other, write(services, profile_id, tmp_path / "zoe.rung", private=False))
    shared = payload(services, profile_id, private=False)
    assert payload(other, profile_id, private=False) == shared
    # The copy holds nothing more than the shared export: with "private" it is the same.
    everything = payload(other, profile_id, private=True)
    assert everything.model_copy(update={"include_private": False}) == shared
    other.close()  # so the database is one file whose bytes can be read
    folder = other.store.path.parent
    files = [file for file in folder.rglob("*") if file.is_file() and file.name != LOCK_NAME]
    assert files == [other.store.path]
    raw = other.store.path.read_bytes()
    assert [kind for kind, canary in CANARIES.items() if canary.encode() in raw] == []
    assert SHARED_EVIDENCE.encode() in raw


def test_a_demo_with_milestones_and_kpis_round_trips(
    services: Services, other: Services, tmp_path: Path
) -> None:
    demo = create_demo(services.store, services.frameworks, services.profiles, years=2)
    run_import(other, write(services, demo, tmp_path / "sam.rung", private=True))
    assert payload(other, demo, private=True) == payload(services, demo, private=True)


def test_importing_the_same_bundle_again_changes_nothing(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    run_import(other, bundle)
    before = content(other)
    again = run_import(other, bundle)
    assert (again.action, again.summary) == ("unchanged-same", "this bundle was imported before")
    assert content(other) == before


# -- mirroring a newer export -------------------------------------------------------


def test_a_newer_export_mirrors_changes_deletions_and_additions(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    run_import(other, write(services, profile_id, tmp_path / "first.rung", private=True))
    before = payload(other, profile_id, private=True)
    second = before.checkins[1].id
    services.checkins.set_rating(second, "b-important", 3)  # an amendment, logged
    [shared_entry] = [e for e in before.evidence if e.title == SHARED_EVIDENCE]
    services.evidence.delete(shared_entry.id)  # also unlinks it from the first check-in
    services.plan.add_goal(profile_id, title="Mentor a new joiner", skills=["b-important"])
    newer = write(services, profile_id, tmp_path / "newer.rung", private=True, now=LATER)

    result = run_import(other, newer)

    assert (result.action, result.summary) == (
        "updated",
        "2 check-ins changed, 1 evidence entry removed, 1 goal added",
    )
    after = payload(other, profile_id, private=True)
    assert after == payload(services, profile_id, private=True)
    assert [c.id for c in after.checkins] == [c.id for c in before.checkins]  # ids kept
    assert other.profiles.get(profile_id).shared_exported_at == LATER.replace(tzinfo=None)
    assert other.store.backups is not None
    assert [b.reason for b in other.store.backups.all()].count("before-import") == 1


def test_an_older_export_changes_nothing(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    older = write(services, profile_id, tmp_path / "older.rung", private=True)
    services.plan.add_goal(profile_id, title="Mentor a new joiner")
    run_import(other, write(services, profile_id, tmp_path / "newer.rung", private=True, now=LATER))
    before = content(other)
    result = run_import(other, older)
    assert result.action == "unchanged-older"
    assert "2026-05-02T09:00:00Z" in result.summary
    assert content(other) == before


def test_private_text_withdrawn_by_a_newer_export_leaves_the_copy(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    """The decision documented in `app.bundle.importer`: the copy mirrors exactly."""
    run_import(other, write(services, profile_id, tmp_path / "all.rung", private=True))
    shared = write(services, profile_id, tmp_path / "shared.rung", private=False, now=LATER)
    result = run_import(other, shared)
    assert result.summary == (
        "1 check-in changed, 1 evidence entry removed, 1 goal changed, 1 learning item changed"
    )
    copied = payload(other, profile_id, private=True).model_dump_json()
    assert [kind for kind, canary in CANARIES.items() if canary in copied] == []


def test_the_managers_annotations_survive_a_mirroring_import(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    run_import(other, write(services, profile_id, tmp_path / "first.rung", private=False))
    sign_as_manager(other)
    other.manager.set_calibration(profile_id, "a-critical", 3)
    other.manager.set_comment(profile_id, "a", "Owns it 👍")
    other.manager.set_recommendation(profile_id, "approaching", "Close")

    def annotations() -> list[tuple[Any, ...]]:
        with other.store.session() as session:
            return [
                tuple(row)
                for query in (
                    select(Calibration.skill_id, Calibration.value),
                    select(DimensionComment.text),
                    select(Recommendation.band, Recommendation.rationale),
                )
                for row in session.execute(query)
            ]

    kept = annotations()
    second = payload(services, profile_id, private=False).checkins[1].id
    services.checkins.set_rating(second, "b-important", 3)
    newer = write(services, profile_id, tmp_path / "newer.rung", private=False, now=LATER)
    assert run_import(other, newer).action == "updated"
    assert annotations() == kept == [("a-critical", 3), ("Owns it 👍",), ("approaching", "Close")]


# -- mine or shared -------------------------------------------------------------------


def test_as_mine_gives_an_editable_profile_and_a_plain_import_a_read_only_one(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    mine = run_import(other, bundle, as_mine=True)
    assert mine.action == "created"
    assert not other.profiles.get(profile_id).shared
    assert other.checkins.start_draft(profile_id, on=DAY).status == "draft"
    manager = open_services(tmp_path / "manager")
    try:
        run_import(manager, bundle)
        with pytest.raises(ReadOnlyError, match="read-only"):
            manager.checkins.start_draft(profile_id, on=DAY)
    finally:
        manager.close()


def test_a_bundle_never_replaces_a_profile_of_ones_own(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    run_import(other, bundle, as_mine=True)
    before = content(other)
    with pytest.raises(InvalidInputError, match="already your own profile"):
        run_import(other, bundle, as_mine=True)
    with pytest.raises(InvalidInputError, match="this is your own profile"):
        run_import(other, bundle)
    with pytest.raises(InvalidInputError, match="your own profile"):
        run_import(services, bundle)  # the owner's own computer
    assert content(other) == before


def test_as_mine_onto_a_shared_copy_is_refused(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    run_import(other, bundle)
    with pytest.raises(InvalidInputError, match="shared with you; delete that copy first"):
        run_import(other, bundle, as_mine=True)


# -- refused against this database ---------------------------------------------------


def test_ids_that_belong_to_another_profile_are_refused(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    run_import(other, write(services, profile_id, tmp_path / "zoe.rung", private=True))
    before = content(other)
    impostor = write(services, profile_id, tmp_path / "impostor.rung", private=True)
    another_owner = _edited(lambda d: d["payload"]["profile"].update(id="someone"), seal=True)
    impostor.write_bytes(another_owner(impostor.read_bytes()))
    with pytest.raises(BundleError, match="belongs to another profile"):
        run_import(other, impostor)
    assert content(other) == before


def test_a_different_framework_under_a_stored_version_is_refused(
    services: Services, other: Services, profile_id: str, tmp_path: Path
) -> None:
    ladder = report_framework()
    ladder["name"] = "Another ladder"
    (tmp_path / "mine").mkdir()
    import_framework(other, tmp_path / "mine", ladder)
    before = content(other)
    with pytest.raises(BundleError, match="a different framework"):
        run_import(other, write(services, profile_id, tmp_path / "zoe.rung", private=True))
    assert content(other) == before


# -- damaged files: refused with one sentence, the data folder unchanged ---------------


def _flip(raw: bytes) -> bytes:
    at = raw.index(SHARED_EVIDENCE.encode())
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]


def _edited(change: Callable[[dict[str, Any]], None], *, seal: bool) -> Callable[[bytes], bytes]:
    """Edit the document; `seal` recomputes the checksum so that it is not what fails."""

    def edit(raw: bytes) -> bytes:
        document = json.loads(raw)
        change(document)
        if seal:
            document["checksum"] = checksum(document)
        return json.dumps(document, ensure_ascii=True).encode("utf-8")

    return edit


def _rating(document: dict[str, Any]) -> dict[str, Any]:
    rating: dict[str, Any] = document["payload"]["checkins"][0]["ratings"][0]
    return rating


def _kpi(document: dict[str, Any]) -> dict[str, Any]:
    kpi: dict[str, Any] = document["payload"]["checkins"][0]["kpis"][0]
    return kpi


def _same_ids(document: dict[str, Any]) -> None:
    checkins = document["payload"]["checkins"]
    checkins[1]["id"] = checkins[0]["id"]


DAMAGED: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (lambda raw: raw[: len(raw) // 2], "is not valid JSON"),
    "one flipped byte": (_flip, "the checksum does not match"),
    "a wrong checksum": (
        _edited(lambda d: d.update(checksum="0" * 64), seal=False),
        "the checksum does not match",
    ),
    "format version 3": (
        _edited(lambda d: d.update(format_version=3), seal=True),
        "written by a newer Rung (bundle format version 3)",
    ),
    "another format": (_edited(lambda d: d.update(format="zip"), seal=True), "not a Rung bundle"),
    "an unknown key": (
        _edited(lambda d: d["payload"]["profile"].update(password="x"), seal=True),
        "payload.profile.password: this key is not part of the bundle format",
    ),
    "a value outside the model": (
        _edited(lambda d: _rating(d).update(value=1000), seal=True),
        "payload.checkins[0].ratings[0].value: input should be less than or equal to 100",
    ),
    "a duplicate key": (
        lambda raw: b'{"format": "rung-bundle", ' + raw.lstrip()[1:],
        "the key 'format' appears twice",
    ),
    "NaN": (_edited(lambda d: _kpi(d).update(value=float("nan")), seal=False), "NaN"),
    "the integer 2**53": (
        _edited(lambda d: _kpi(d).update(value=2**53), seal=False),
        "9007199254740992 is beyond",
    ),
    "a lone surrogate": (
        _edited(lambda d: d["payload"]["profile"].update(name="Zo\ud800"), seal=False),
        "payload.profile.name: the text holds a broken character (a lone surrogate)",
    ),
    "not JSON": (lambda raw: b"Zoe's growth, 2026", "is not valid JSON"),
    "an empty file": (lambda raw: b"", "the file is empty"),
    "a byte-order mark": (lambda raw: codecs.BOM_UTF8 + raw, "byte-order mark"),
    "not UTF-8": (lambda raw: raw.replace(b"Zo\xc3\xab", b"Zo\xeb", 1), "not UTF-8"),
    "a changed framework": (
        _edited(lambda d: d["payload"]["frameworks"][0]["framework"].update(name="X"), seal=True),
        "payload.frameworks[0].hash: the hash does not match",
    ),
    "a skill the framework lacks": (
        _edited(lambda d: _rating(d).update(skill="no-such-skill"), seal=True),
        "two-dims@1.0 has no skill 'no-such-skill'",
    ),
    "a link to missing evidence": (
        _edited(lambda d: _rating(d).update(evidence=["nowhere"]), seal=True),
        "the bundle has no evidence entry 'nowhere'",
    ),
    "an id used twice": (_edited(_same_ids, seal=True), "payload.checkins[1].id: the id"),
    "a role start in year 9999": (
        _edited(lambda d: d["payload"]["profile"].update(role_start="9999-12-31"), seal=True),
        "payload.profile.role_start: the date 9999-12-31 is not between 1900-01-01 and 2199-12-31.",
    ),
    "a check-in in year 1": (
        _edited(lambda d: d["payload"]["checkins"][0].update(date="0001-01-01"), seal=True),
        "payload.checkins[0].date: the date 0001-01-01 is not between",
    ),
    "a goal due after 2199": (
        _edited(lambda d: d["payload"]["goals"][0].update(due="2200-01-01"), seal=True),
        "payload.goals[0].due: the date 2200-01-01 is not between",
    ),
    "a time in year 9999": (
        _edited(
            lambda d: d["payload"]["profile"].update(updated_at="9999-12-31T23:59:59"), seal=True
        ),
        "payload.profile.updated_at: the time 9999-12-31T23:59:59 is not between",
    ),
    "an export time in year 9999": (
        _edited(lambda d: d.update(exported_at="9999-12-31T00:00:00Z"), seal=True),
        "exported_at: the time 9999-12-31T00:00:00 is not between",
    ),
    "an export time in month 13": (
        _edited(lambda d: d.update(exported_at="2026-13-01T00:00:00Z"), seal=True),
        "exported_at: this is not a time such as 2026-05-02T09:00:00Z",
    ),
    "a check-in interval of ten years": (
        _edited(lambda d: d["payload"]["profile"].update(checkin_interval_days=3650), seal=True),
        "payload.profile.checkin_interval_days: input should be less than or equal to 366",
    ),
}


@pytest.fixture
def shared_copy(services: Services, profile_id: str, rung: Run, data: Path, tmp_path: Path) -> Path:
    """A data folder holding a shared copy, and a newer bundle that would update it."""
    first = write(services, profile_id, tmp_path / "first.rung", private=True)
    assert_ok(rung("--data-dir", data, "bundle", "import", first))
    return write(services, profile_id, tmp_path / "newer.rung", private=True, now=LATER)


@pytest.mark.parametrize("damage", DAMAGED, ids=list(DAMAGED))
def test_a_damaged_bundle_is_refused_and_changes_nothing(
    damage: str, shared_copy: Path, rung: Run, data: Path
) -> None:
    mutate, sentence = DAMAGED[damage]
    shared_copy.write_bytes(mutate(shared_copy.read_bytes()))
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "bundle", "import", shared_copy), 1, sentence)
    assert folder_digest(data) == before


def test_an_oversized_file_is_refused_before_it_is_read(
    shared_copy: Path, rung: Run, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_BYTES", 1000)
    before = folder_digest(data)
    assert_failed(rung("--data-dir", data, "bundle", "import", shared_copy), 1, "is larger than")
    assert folder_digest(data) == before


def test_the_newer_bundle_behind_those_failures_imports(
    shared_copy: Path, rung: Run, data: Path
) -> None:
    result = rung("--data-dir", data, "bundle", "import", shared_copy)
    assert_ok(result)
    assert result.out == "Updated Zoë from a newer bundle: no records changed.\n"


# -- the command line -------------------------------------------------------------------


def test_rung_bundle_import_prints_one_line_and_is_idempotent(
    services: Services, profile_id: str, rung: Run, data: Path, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=False)
    result = rung("--data-dir", data, "bundle", "import", bundle)
    assert_ok(result)
    assert result.out == (
        "Imported Zoë as a profile shared with you (read-only): 2 check-ins, 1 evidence entry, "
        "1 goal, 1 learning item, framework two-dims@1.0 added.\n"
    )
    before = folder_digest(data)
    again = rung("--data-dir", data, "bundle", "import", bundle)
    assert_ok(again)
    assert again.out == "Zoë is unchanged: this bundle was imported before.\n"
    assert folder_digest(data) == before
    [listed] = rung("--data-dir", data, "profiles", "list", "--json").json()
    assert (listed["shared"], listed["shared_exported_at"]) == (
        True,
        read_bundle(bundle).exported_at,
    )
    assert "(shared with you, read-only)" in rung("--data-dir", data, "profiles", "list").out


def test_rung_bundle_import_as_mine(
    services: Services, profile_id: str, rung: Run, data: Path, tmp_path: Path
) -> None:
    bundle = write(services, profile_id, tmp_path / "zoe.rung", private=True)
    result = rung("--data-dir", data, "bundle", "import", bundle, "--as-mine")
    assert_ok(result)
    assert result.out.startswith("Imported Zoë as your own profile: 2 check-ins, 2 evidence")
    [listed] = rung("--data-dir", data, "profiles", "list", "--json").json()
    assert (listed["shared"], listed["shared_exported_at"]) == (False, None)
    again = rung("--data-dir", data, "bundle", "import", bundle, "--as-mine")
    assert_failed(again, 1, "already your own profile")


def test_rung_bundle_import_of_a_missing_file_leaves_no_data_folder(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    result = rung("--data-dir", data, "bundle", "import", tmp_path / "nowhere.rung")
    assert_failed(result, 1, "no such file")
    assert not data.exists()


# -- hostile input: read_bundle returns a Bundle or raises BundleError, nothing else ------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile") / "hostile.rung"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("source")
    opened = open_services(folder / "data")
    try:
        profile_id = linked_profile(opened, folder)
        return build_bundle(opened.store, profile_id, include_private=True).model_dump(mode="json")
    finally:
        opened.close()


def read_or_refuse(path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    with contextlib.suppress(BundleError):
        assert isinstance(read_bundle(path), Bundle)


@given(raw=st.binary(max_size=4000) | st.text(max_size=2000).map(str.encode))
def test_arbitrary_bytes_are_refused_as_a_bundle_error(scratch: Path, raw: bytes) -> None:
    read_or_refuse(scratch, raw)


VALUES = (
    st.text(max_size=12)
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.none()
    | st.booleans()
    | st.floats()
    | st.just([])
    | st.just({})
)


def places(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value below `node`."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        yield (*loc, key)
        if isinstance(value, dict | list):
            yield from places(value, (*loc, key))


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> bytes:
    """A valid bundle with values replaced, keys removed or added, and a new checksum."""
    changed = copy.deepcopy(document)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        *parent_loc, key = draw(st.sampled_from(list(places(changed))))
        parent = changed
        for part in parent_loc:
            parent = parent[part]
        how = draw(st.sampled_from(["replace", "remove", "add"]))
        if how == "replace":
            parent[key] = draw(VALUES)
        elif how == "remove":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = draw(VALUES)
        else:
            parent.insert(key, draw(VALUES))
    with contextlib.suppress(rfc8785.CanonicalizationError):
        changed["checksum"] = checksum(changed)
    text = json.dumps(changed, ensure_ascii=draw(st.booleans()))
    return text.encode("utf-8")


@given(data=st.data())
def test_mutated_bundles_are_a_bundle_or_a_bundle_error(
    scratch: Path, document: dict[str, Any], data: st.DataObject
) -> None:
    read_or_refuse(scratch, data.draw(mutated(document)))


def test_a_ladder_checked_earlier_in_a_batch_is_trusted_only_as_it_was(
    services: Services, profile_id: str, tmp_path: Path
) -> None:
    """A hub pull checks each ladder once (`check_profile_bundle(…, checked)`): the same
    one again passes unchecked, a changed one under the same hash is still refused."""
    from app.bundle.importer import CheckedFrameworks, check_profile_bundle

    raw = write(services, profile_id, tmp_path / "zoe.rung", private=False).read_bytes()
    checked: CheckedFrameworks = {}
    check_profile_bundle(reader.parse_document(raw, "first"), checked)
    assert len(checked) == 1
    check_profile_bundle(reader.parse_document(raw, "again"), checked)
    assert len(checked) == 1
    changed = _edited(
        lambda d: d["payload"]["frameworks"][0]["framework"].update(name="X"), seal=True
    )(raw)
    with pytest.raises(BundleError, match="the hash does not match"):
        check_profile_bundle(reader.parse_document(changed, "changed"), checked)
