"""Bundle export: the brief's format, its checksum, and privacy in the file's bytes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from pydantic import ValidationError

from app.bundle.export import build_bundle, export_bundle
from app.bundle.model import Bundle
from app.services import Services
from tests.conftest import folder_digest
from tests.helpers import CANARIES, SHARED_EVIDENCE, Run, assert_failed, assert_ok, private_profile

NAME = "<b>Zoë</b> & 李雷 🚀"


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    return private_profile(services, tmp_path, name=NAME)


def exported(services: Services, profile_id: str, path: Path, *, private: bool) -> bytes:
    export_bundle(services.store, profile_id, path, include_private=private)
    return path.read_bytes()


def test_the_file_is_the_briefs_format_with_a_checksum_anyone_can_verify(
    services: Services, profile_id: str, tmp_path: Path
) -> None:
    raw = exported(services, profile_id, tmp_path / "zoe.rung", private=False)
    assert not raw.startswith(b"\xef\xbb\xbf")
    document: dict[str, Any] = json.loads(raw.decode("utf-8"))
    assert list(document) == [
        "format",
        "format_version",
        "kind",
        "exported_at",
        "payload",
        "checksum",
    ]
    assert (document["format"], document["format_version"]) == ("rung-bundle", 2)
    assert document["kind"] == "profile"
    assert len(document["exported_at"]) == 20
    assert document["exported_at"].endswith("Z")
    rest = {k: v for k, v in document.items() if k != "checksum"}
    assert document["checksum"] == hashlib.sha256(rfc8785.dumps(rest)).hexdigest()
    assert NAME.encode("utf-8") in raw  # text as typed, not \u-escaped
    Bundle.model_validate(document)


def test_no_private_text_is_in_the_file_unless_included(
    services: Services, profile_id: str, tmp_path: Path
) -> None:
    shared = exported(services, profile_id, tmp_path / "shared.rung", private=False).decode()
    assert SHARED_EVIDENCE in shared
    assert [kind for kind, canary in CANARIES.items() if canary in shared] == []
    everything = exported(services, profile_id, tmp_path / "all.rung", private=True).decode()
    # The first rating note survives only in the (private) amendment log.
    assert [kind for kind, canary in CANARIES.items() if canary not in everything] == []


def test_withheld_records_leave_no_trace_and_counts_follow(
    services: Services, profile_id: str
) -> None:
    shared = build_bundle(services.store, profile_id, include_private=False).payload
    everything = build_bundle(services.store, profile_id, include_private=True).payload
    assert (shared.include_private, everything.include_private) == (False, True)
    assert [e.private for e in shared.evidence] == [False]
    assert len(everything.evidence) == 2
    assert [a.private for c in shared.checkins for a in c.amendments] == []
    assert [a.private for c in everything.checkins for a in c.amendments] == [True]
    first = shared.checkins[0]
    assert (first.wins, first.blockers, first.focus) == (None, None, None)
    assert all(r.note is None for c in shared.checkins for r in c.ratings)


def test_the_shared_records_carry_every_allowed_field(services: Services, profile_id: str) -> None:
    payload = build_bundle(services.store, profile_id, include_private=False).payload
    profile = services.profiles.get(profile_id)
    assert (payload.profile.id, payload.profile.name, payload.profile.role_start) == (
        profile.id,
        NAME,
        profile.role_start,
    )
    [stage] = payload.profile.stages
    assert (stage.framework, stage.level, stage.target) == ("two-dims", "junior", "senior")
    [framework] = payload.frameworks
    stored = services.frameworks.get("two-dims", "1.0")
    assert framework.framework["name"] == stored.name
    assert [(c.date.isoformat(), len(c.ratings)) for c in payload.checkins] == [
        ("2026-03-01", 3),
        ("2026-05-01", 1),
    ]
    [kpi] = payload.checkins[0].kpis
    assert (kpi.kpi, kpi.value) == ("prs", 3)
    [goal] = payload.goals
    assert (goal.title, goal.skills, goal.status) == (
        "Lead the next launch",
        ["a-critical"],
        "planned",
    )
    [item] = payload.learning
    assert (item.title, item.target_quarter, item.done) == ("Read the SRE book", "2026-Q2", False)


def test_the_format_refuses_unknown_keys(services: Services, profile_id: str) -> None:
    document = build_bundle(services.store, profile_id, include_private=False).model_dump(
        mode="json"
    )
    document["payload"]["profile"]["password"] = "x"
    with pytest.raises(ValidationError, match="password"):
        Bundle.model_validate(document)


def test_rung_bundle_export_and_schema(rung: Run, data: Path, tmp_path: Path) -> None:
    assert_ok(rung("--data-dir", data, "demo"))
    out = tmp_path / "sam.rung"
    result = rung("--data-dir", data, "bundle", "export", "--profile", "Sam Rivera (demo)",
                  "--out", out)  # fmt: skip
    assert_ok(result)
    assert "without private text" in result.out
    assert out.stat().st_mode & 0o077 == 0
    Bundle.model_validate_json(out.read_bytes())
    schema = rung("bundle", "schema")
    assert_ok(schema)
    document = json.loads(schema.out)
    assert document["title"] == "AnyBundle"
    kinds = [document["$defs"][ref["$ref"].split("/")[-1]] for ref in document["anyOf"]]
    assert [kind["title"] for kind in kinds] == ["Bundle", "AssessmentBundle"]
    assert kinds[0]["properties"]["kind"] == {"const": "profile", "default": "profile",
                                              "title": "Kind", "type": "string"}  # fmt: skip
    assert kinds[1]["properties"]["kind"]["const"] == "assessment"
    assert "AssessmentPayload" in document["$defs"]


def test_rung_bundle_export_refuses_a_missing_folder_and_changes_nothing(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    assert_ok(rung("--data-dir", data, "demo"))
    before = folder_digest(data)
    result = rung("--data-dir", data, "bundle", "export", "--profile", "Sam Rivera (demo)",
                  "--out", tmp_path / "no" / "sam.rung")  # fmt: skip
    assert_failed(result, 2, "does not exist")
    assert_failed(
        rung("--data-dir", data, "bundle", "export", "--profile", "Nobody", "--out", "x.rung"),
        1,
        "Nobody",
    )
    assert folder_digest(data) == before


# Every column of every table a bundle is built from, as they were when the allow-list in
# app/bundle/export.py was decided. A column added later fails this test until someone
# decides whether it may leave the machine (and updates both), and whether it is private
# (`PRIVATE_COLUMNS` in app/store/stamps.py, which keeps a bundle's timestamps honest).
COLUMNS = {
    # origin and shared_*: this computer's own record of where a profile came from, not exported
    "profiles": {"id", "updated_at", "name", "manager", "role_start", "checkin_interval_days",
                 "created_at", "origin", "shared_exported_at", "shared_checksum"},
    "profile_stages": {"id", "updated_at", "profile_id", "effective_from", "framework_id",
                       "framework_version", "level", "target_level"},
    "checkins": {"id", "updated_at", "profile_id", "date", "status", "finalized_at", "wins",
                 "blockers", "focus", "created_at", "public_updated_at"},
    "ratings": {"id", "updated_at", "checkin_id", "skill_id", "value", "not_applicable",
                "confidence", "note"},
    "milestone_statuses": {"id", "updated_at", "checkin_id", "milestone_id", "status",
                           "status_date", "note"},
    "kpi_values": {"id", "updated_at", "checkin_id", "kpi_id", "value", "note"},
    "amendments": {"id", "updated_at", "checkin_id", "at", "field", "old", "new", "private"},
    "evidence": {"id", "updated_at", "profile_id", "date", "title", "description", "link",
                 "private", "created_at", "kind", "context", "action", "outcome", "metric_value",
                 "metric_unit", "feedback_from", "feedback_role"},
    "evidence_tags": {"id", "updated_at", "evidence_id", "kind", "ref"},
    "rating_evidence": {"id", "updated_at", "rating_id", "evidence_id"},
    "goals": {"id", "updated_at", "profile_id", "title", "due", "status", "notes", "created_at",
              "public_updated_at"},
    "goal_skills": {"id", "updated_at", "goal_id", "skill_id"},
    "learning_items": {"id", "updated_at", "profile_id", "title", "target_quarter", "done",
                       "notes", "public_updated_at"},
}  # fmt: skip


def test_every_column_has_been_decided_on() -> None:
    from app.store.models import Base

    tables = {name: {c.name for c in table.columns} for name, table in Base.metadata.tables.items()}
    assert {name: tables[name] for name in COLUMNS} == COLUMNS
