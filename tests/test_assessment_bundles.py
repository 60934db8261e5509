"""Assessment bundles: the manager's assessment goes back to the mentee, and only there.

Two real data folders, as on two computers: Zoë's (her own profile) and her
manager Jordan's (her shared copy). Zoë's profile bundles are exported with
set times, so that one is newer than another; the rest goes through `rung`.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from app.bundle.assessment import build_assessment_bundle, export_assessment
from app.bundle.export import build_bundle, bundle_bytes, checksum
from app.bundle.importer import import_bundle, read_bundle
from app.errors import BundleError
from app.paths import DATABASE_NAME
from app.report.model import ReportOptions
from app.report.service import ReportService
from app.services import Services, open_services
from tests.conftest import folder_digest
from tests.helpers import (
    MANAGER_NAME,
    MANAGER_ROLE,
    Rows,
    Run,
    assert_failed,
    assert_ok,
    every_row,
    private_profile,
    tree,
)

V1 = datetime(2026, 5, 2, 9, 0, tzinfo=UTC)
V2 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)
EARLIER = date(2026, 5, 10)  # the first assessment's date; the second is made today
JORDAN = f"{MANAGER_NAME} — {MANAGER_ROLE} <jordan@example.com>"
RATIONALE = "Ships <b>carefully</b> & on time 🚀"


def write_profile(services: Services, profile_id: str, path: Path, now: datetime) -> Path:
    path.write_bytes(
        bundle_bytes(build_bundle(services.store, profile_id, include_private=False, now=now))
    )
    return path


class Manager:
    """Jordan's data folder, reached through `rung` or, for a dated assessment, the core."""

    def __init__(self, rung: Run, folder: Path) -> None:
        self.rung, self.folder = rung, folder

    def __call__(self, *args: str | Path) -> Any:
        return self.rung("--data-dir", self.folder, *args)

    def services(self) -> Services:
        return open_services(self.folder)


@pytest.fixture
def zoe(services: Services, tmp_path: Path) -> str:
    """Zoë's own profile, in her data folder: self-ratings a-critical 2, a-optional 2,
    b-important 2 (as of May)."""
    services.identity.set(name="Zoë Park", role="ML engineer")
    return private_profile(services, tmp_path)


@pytest.fixture
def manager(rung: Run, services: Services, zoe: str, tmp_path: Path) -> Manager:
    """Jordan, who imported Zoë's first bundle and assessed it on EARLIER."""
    jordan = Manager(rung, tmp_path / "jordan")
    assert_ok(jordan("whoami", "--name", MANAGER_NAME, "--role", MANAGER_ROLE, "--email",
                     "jordan@example.com"))  # fmt: skip
    assert_ok(jordan("bundle", "import", write_profile(services, zoe, tmp_path / "v1.rung", V1)))
    opened = jordan.services()
    try:
        for skill, value in (("a-critical", 3), ("a-optional", 2), ("b-important", 0)):
            opened.manager.set_calibration(zoe, skill, value, on=EARLIER)
        opened.manager.set_comment(zoe, "a", "Owns the pipeline", on=EARLIER)
        opened.manager.set_recommendation(zoe, "approaching", RATIONALE, on=EARLIER)
    finally:
        opened.close()
    return jordan


@pytest.fixture
def first(manager: Manager, tmp_path: Path) -> Path:
    """Jordan's assessment of EARLIER, exported with `rung assess export`."""
    out = tmp_path / "assessment-1.rung"
    result = manager("assess", "export", "--profile", "Zoë", "--out", out)
    assert_ok(result)
    assert result.out == (
        f"Wrote your assessment of Zoë ({EARLIER.isoformat()}) to {out}; Zoë imports it onto "
        "their own profile with 'rung bundle import'.\n"
    )
    return out


def held(folder: Path) -> tuple[Rows, list[str]]:
    """What a data folder that a test holds open holds: every row, read through SQLite (its
    -shm file changes with every read), and its files."""
    names = [p for p in tree(folder) if not p.endswith(("-shm", "-wal"))]
    return every_row(folder / DATABASE_NAME), names


def show(rung: Run, folder: Path) -> dict[str, Any]:
    result = rung("--data-dir", folder, "assess", "show", "--profile", "Zoë", "--json")
    assert_ok(result)
    shown: dict[str, Any] = result.json()
    return shown


# -- the file -----------------------------------------------------------------------


def test_an_assessment_bundle_is_the_envelope_of_a_profile_bundle(
    first: Path, services: Services, zoe: str, tmp_path: Path
) -> None:
    document = json.loads(first.read_bytes().decode("utf-8"))
    assert list(document) == ["format", "format_version", "kind", "exported_at", "payload",
                              "checksum"]  # fmt: skip
    assert (document["format"], document["format_version"], document["kind"]) == (
        "rung-bundle",
        2,
        "assessment",
    )
    assert document["checksum"] == checksum(document)
    v1 = read_bundle(tmp_path / "v1.rung")
    assert document["payload"] == {
        "assessor": {"name": MANAGER_NAME, "role": MANAGER_ROLE, "email": "jordan@example.com"},
        "date": EARLIER.isoformat(),
        "assessed": {"profile": zoe, "checksum": v1.checksum, "exported_at": v1.exported_at},
        "calibrations": [
            {"skill": "a-critical", "value": 3},
            {"skill": "a-optional", "value": 2},
            {"skill": "b-important", "value": 0},
        ],
        "comments": [{"dimension": "a", "text": "Owns the pipeline"}],
        "recommendation": {"band": "approaching", "rationale": RATIONALE},
    }
    assert first.stat().st_mode & 0o077 == 0


# -- the round trip -----------------------------------------------------------------


def test_the_mentee_receives_it_beside_her_own_ratings_which_it_never_changes(
    rung: Run, services: Services, zoe: str, first: Path, data_dir: Path
) -> None:
    mine = rung("--data-dir", data_dir, "checkins", "list", "--profile", "Zoë", "--json").json()
    readiness = services.readiness.as_of(zoe, date.today())

    result = rung("--data-dir", data_dir, "bundle", "import", first)

    assert_ok(result)
    assert result.out == (
        f"Received the assessment of {EARLIER.isoformat()} by {JORDAN}: 3 calibrations, "
        "1 comment, a recommendation (Approaching), for Zoë.\n"
    )
    assert (
        rung("--data-dir", data_dir, "checkins", "list", "--profile", "Zoë", "--json").json()
        == mine
    )
    assert services.readiness.as_of(zoe, date.today()) == readiness
    assert not services.profiles.get(zoe).shared  # still hers, editable
    # The core read for the mentee: the largest disagreements first.
    received = services.manager.latest_received(zoe)
    assert received is not None
    assert (received.assessment.date, received.assessment.origin) == (EARLIER, "received")
    assert received.assessment.assessor is not None
    assert received.assessment.assessor.line() == JORDAN
    assert [(r.skill_id, r.self_rating, r.manager_rating, r.difference) for r in received.rows] == [
        ("b-important", 2, 0, -2),
        ("a-critical", 2, 3, 1),
        ("a-optional", 2, 2, 0),
    ]
    # And the command line's, on her own profile.
    shown = show(rung, data_dir)
    assert (shown["origin"], shown["date"]) == ("received", EARLIER.isoformat())
    assert [d["skill"] for d in shown["disagreements"]] == [
        "b-important",
        "a-critical",
        "a-optional",
    ]
    assert shown["recommendation"] == {"band": "approaching", "rationale": RATIONALE}
    assert shown["received"] == [
        {
            "date": EARLIER.isoformat(),
            "assessor": {"name": MANAGER_NAME, "role": MANAGER_ROLE, "email": "jordan@example.com"},
        }
    ]
    text = rung("--data-dir", data_dir, "assess", "show", "--profile", "Zoë").out
    assert text.startswith(
        f"Zoë is your own profile; assessments received: {EARLIER.isoformat()}.\n"
        f"The latest, of {EARLIER.isoformat()}, by {JORDAN}:\n"
    )
    assert text.index("B Important: self 2, manager 0") < text.index(
        "A Critical: self 2, manager 3"
    )
    calibrated = rung("--data-dir", data_dir, "readiness", "--profile", "Zoë", "--json").json()
    assert calibrated["calibrated"]["assessment_date"] == EARLIER.isoformat()


def test_the_same_assessment_again_changes_nothing(rung: Run, first: Path, data_dir: Path) -> None:
    assert_ok(rung("--data-dir", data_dir, "bundle", "import", first))
    before = held(data_dir)
    again = rung("--data-dir", data_dir, "bundle", "import", first)
    assert_ok(again)
    assert again.out == "Zoë is unchanged: this assessment was imported before.\n"
    assert held(data_dir) == before


def test_assessments_are_kept_per_date_across_a_newer_profile_bundle_and_a_second_assessment(
    rung: Run,
    services: Services,
    zoe: str,
    manager: Manager,
    first: Path,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    assert_ok(rung("--data-dir", data_dir, "bundle", "import", first))
    # Zoë checks in again and shares a newer bundle; Jordan imports it and assesses today.
    later = services.checkins.start_draft(zoe, on=date(2026, 6, 1))
    services.checkins.set_rating(later.id, "b-important", 3)
    services.checkins.finalize(later.id)
    v2 = write_profile(services, zoe, tmp_path / "v2.rung", V2)
    assert_ok(manager("bundle", "import", v2))
    assert_ok(
        manager("assess", "rate", "--profile", "Zoë", "--skill", "b-important", "--value", "3")
    )
    assert_ok(
        manager("assess", "rate", "--profile", "Zoë", "--skill", "a-optional", "--value", "4")
    )
    second = tmp_path / "assessment-2.rung"
    assert_ok(manager("assess", "export", "--profile", "Zoë", "--out", second))

    result = rung("--data-dir", data_dir, "bundle", "import", second)

    assert_ok(result)
    assert result.out.startswith(f"Received the assessment of {date.today().isoformat()} by ")
    received = services.manager.received(zoe)
    assert [a.date for a in received] == [EARLIER, date.today()]
    # The earlier one is as it was; the later one carried Jordan's view forward and changed it.
    assert received[0].calibrations == {"a-critical": 3, "a-optional": 2, "b-important": 0}
    assert received[1].calibrations == {"a-critical": 3, "a-optional": 4, "b-important": 3}
    assert received[1].comments == {"a": "Owns the pipeline"}
    latest = services.manager.latest_received(zoe)
    assert latest is not None
    assert [(r.skill_id, r.difference) for r in latest.rows] == [
        ("a-optional", 2),
        ("a-critical", 1),
        ("b-important", 0),
    ]
    # Each names the profile bundle it assessed; the earlier one still counts for its date.
    document = json.loads(second.read_text(encoding="utf-8"))
    assert document["payload"]["assessed"]["checksum"] == read_bundle(v2).checksum
    assert services.manager.assessment(zoe, EARLIER).calibrations["b-important"] == 0
    # Importing the first again changes nothing: a later assessment never erases an earlier.
    before = held(data_dir)
    assert_ok(rung("--data-dir", data_dir, "bundle", "import", first))
    assert held(data_dir) == before
    assert [d["date"] for d in show(rung, data_dir)["received"]] == [
        EARLIER.isoformat(),
        date.today().isoformat(),
    ]


def test_a_newer_export_of_the_same_days_assessment_replaces_it_and_an_older_one_does_not(
    services: Services, zoe: str, manager: Manager, tmp_path: Path
) -> None:
    jordan = manager.services()
    try:
        older = export_assessment(jordan.store, zoe, tmp_path / "older.rung", now=V2)
        jordan.manager.set_calibration(zoe, "b-important", 1, on=EARLIER)
        newer = export_assessment(
            jordan.store, zoe, tmp_path / "newer.rung", now=V2 + timedelta(hours=1)
        )
    finally:
        jordan.close()
    assert older.payload.date == newer.payload.date == EARLIER
    got = import_bundle(services.store, services.frameworks, tmp_path / "older.rung")
    assert (got.action, got.kind) == ("received", "assessment")
    got = import_bundle(services.store, services.frameworks, tmp_path / "newer.rung")
    assert got.action == "updated"
    assert services.manager.received(zoe)[0].calibrations["b-important"] == 1
    got = import_bundle(services.store, services.frameworks, tmp_path / "older.rung")
    assert got.action == "unchanged-older"
    assert got.summary.startswith("this export (2026-06-02T09:00:00Z) of the assessment of")
    [kept] = services.manager.received(zoe)
    assert kept.calibrations["b-important"] == 1


# -- refused anywhere but on the owner's own profile ----------------------------------


def test_it_is_refused_anywhere_but_the_folder_that_owns_the_profile(
    rung: Run, manager: Manager, first: Path, tmp_path: Path
) -> None:
    # Jordan's own folder holds Zoë only as shared with him.
    before = folder_digest(manager.folder)
    result = manager("bundle", "import", first)
    assert_failed(result, 1, "is an assessment of Zoë, which is shared with you here")
    assert folder_digest(manager.folder) == before
    # A folder of someone else's, with profiles of its own but not Zoë's.
    other = tmp_path / "sam"
    assert_ok(rung("--data-dir", other, "demo", "--years", "1"))
    before = folder_digest(other)
    result = rung("--data-dir", other, "bundle", "import", first)
    assert_failed(result, 1, "an assessment of a profile this data folder does not hold")
    assert folder_digest(other) == before
    # As one's own: an assessment is never that.
    result = rung("--data-dir", other, "bundle", "import", first, "--as-mine")
    assert_failed(result, 1, "import it without --as-mine")
    assert folder_digest(other) == before


def _resealed(path: Path, change: Any) -> Path:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    document["checksum"] = checksum(document)
    out = path.with_name(f"changed-{path.name}")
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["payload"]["calibrations"][0].update(skill="juggling"),
         "payload.calibrations[0].skill: two-dims@1.0 has no skill 'juggling'"),
        (lambda d: d["payload"]["calibrations"][0].update(value=7),
         "payload.calibrations[0].value: 7 is not on the rating scale"),
        (lambda d: d["payload"]["comments"][0].update(dimension="z"),
         "two-dims@1.0 has no dimension 'z'"),
        (lambda d: d["payload"]["recommendation"].update(band="maybe"),
         "has no verdict band 'maybe'"),
        (lambda d: d["payload"]["calibrations"].append({"skill": "a-critical", "value": 1}),
         "payload.calibrations[3].skill: the skill 'a-critical' appears twice"),
        (lambda d: d["payload"]["assessor"].update(name="Jordan\x1b[31m"),
         "payload.assessor.name: the assessor's name contains a control character"),
        (lambda d: d.update(kind="verdict"), "a kind of bundle this Rung does not know"),
        (lambda d: d.update(format_version=1), "format_version: input should be 2"),
        (lambda d: d["payload"].update(profile="x"), "payload.profile: this key is not part"),
    ],
)  # fmt: skip
def test_a_bad_assessment_bundle_is_refused_in_one_sentence_and_changes_nothing(
    rung: Run, first: Path, data_dir: Path, change: Any, fragment: str
) -> None:
    bad = _resealed(first, change)
    rung("--data-dir", data_dir, "checkins", "list", "--profile", "Zoë")  # settle the folder
    before = held(data_dir)
    assert_failed(rung("--data-dir", data_dir, "bundle", "import", bad), 1, fragment)
    assert held(data_dir) == before


def test_a_changed_assessment_bundle_fails_its_checksum(
    rung: Run, first: Path, data_dir: Path
) -> None:
    damaged = first.with_name("damaged.rung")
    damaged.write_bytes(first.read_bytes().replace(b'"value": 0', b'"value": 4'))
    with pytest.raises(BundleError, match="the checksum does not match"):
        read_bundle(damaged)
    assert_failed(rung("--data-dir", data_dir, "bundle", "import", damaged), 1, "checksum")


# -- rung assess export: the failures -------------------------------------------------


def test_assess_export_is_refused_without_an_identity(
    rung: Run, services: Services, zoe: str, tmp_path: Path
) -> None:
    folder = tmp_path / "no-one"
    assert_ok(rung("--data-dir", folder, "bundle", "import",
                   write_profile(services, zoe, tmp_path / "v1.rung", V1)))  # fmt: skip
    before = folder_digest(folder)
    out = tmp_path / "a.rung"
    result = rung("--data-dir", folder, "assess", "export", "--profile", "Zoë", "--out", out)
    assert_failed(result, 1, "An assessment bundle is signed with who you are")
    assert "rung whoami --name" in result.err
    assert not out.exists()
    assert folder_digest(folder) == before


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--profile", "Zoë", "--out", "{tmp}"], 2, "is a folder; name the file to write"),
        (["--profile", "Zoë", "--out", "{tmp}/no/such/a.rung"], 2, "does not exist"),
        (["--profile", "Zoë"], 2, "The following arguments are required: --out"),
        (["--profile", "Nobody", "--out", "{tmp}/a.rung"], 1, "Nobody"),
        (["--profile", "Sam Rivera (demo)", "--out", "{tmp}/a.rung"], 1,
         "Sam Rivera (demo) is your own profile"),
    ],
)  # fmt: skip
def test_assess_export_failures_are_one_sentence_and_write_nothing(
    manager: Manager, tmp_path: Path, args: list[str], code: int, fragment: str
) -> None:
    assert_ok(manager("demo", "--years", "1"))
    before = folder_digest(manager.folder)
    args = [arg.replace("{tmp}", str(tmp_path / "out")) for arg in args]
    (tmp_path / "out").mkdir()
    assert_failed(manager("assess", "export", *args), code, fragment)
    assert folder_digest(manager.folder) == before
    assert list((tmp_path / "out").iterdir()) == []


def test_assess_export_before_any_assessment_says_what_to_do(
    rung: Run, services: Services, zoe: str, tmp_path: Path
) -> None:
    folder = tmp_path / "new-manager"
    assert_ok(rung("--data-dir", folder, "whoami", "--name", MANAGER_NAME))
    assert_ok(rung("--data-dir", folder, "bundle", "import",
                   write_profile(services, zoe, tmp_path / "v1.rung", V1)))  # fmt: skip
    result = rung("--data-dir", folder, "assess", "export", "--profile", "Zoë", "--out",
                  tmp_path / "a.rung")  # fmt: skip
    assert_failed(result, 1, "You have not assessed Zoë yet")


def test_the_core_builds_the_same_bundle_the_command_writes(
    manager: Manager, zoe: str, first: Path
) -> None:
    jordan = manager.services()
    try:
        document = json.loads(first.read_text(encoding="utf-8"))
        stamp = datetime.strptime(document["exported_at"], "%Y-%m-%dT%H:%M:%SZ")
        built = build_assessment_bundle(jordan.store, zoe, now=stamp.replace(tzinfo=UTC))
    finally:
        jordan.close()
    assert built.model_dump(mode="json") == document


@pytest.mark.parametrize("audience", ["1:1", "self"])
def test_the_mentees_own_report_prints_the_assessment_she_received(
    rung: Run, services: Services, zoe: str, first: Path, data_dir: Path, audience: str
) -> None:
    out = data_dir.parent / "mine.pdf"
    before = ReportService(services).content(zoe, ReportOptions(audience=audience))  # type: ignore[arg-type]
    assert before.manager is None
    assert before.decision.recommendation is None

    assert_ok(rung("--data-dir", data_dir, "bundle", "import", first))
    result = rung("--data-dir", data_dir, "report", "--profile", "Zoë", "--audience", audience,
                  "--out", out)  # fmt: skip

    assert_ok(result)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages)
    signed = f"Recommended: Approaching by {MANAGER_NAME}, {MANAGER_ROLE}, on {EARLIER}"
    assert signed in text  # page one
    assert f"Manager's assessment By {MANAGER_NAME}, {MANAGER_ROLE} on {EARLIER}" in text
    assert "B Important B 2 0 −2" in text  # her rating beside Jordan's, the largest first
