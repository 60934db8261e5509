"""The `rung` command line, run in-process through `app.cli.main`.

Every command is checked for what it prints and what it stores, and every
failure for its exit status, its one-line message on stderr and for leaving
the data folder exactly as it was.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import app
from app.cli import main
from app.paths import DATABASE_NAME
from tests.conftest import folder_digest
from tests.helpers import (
    BUILTIN,
    JUNIOR,
    MID,
    Run,
    assert_failed,
    assert_ok,
    builtin_text,
    create_args,
    create_profile,
    tree,
    with_version,
)

DEMO_NAME = "Sam Rivera (demo)"


@pytest.fixture(autouse=True)
def stray_env_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point RUNG_DATA_DIR somewhere unused, so a test whose --data-dir is ignored fails."""
    stray = tmp_path / "env-data-must-stay-unused"
    monkeypatch.setenv("RUNG_DATA_DIR", str(stray))
    yield
    assert not stray.exists(), "a command ignored --data-dir and used RUNG_DATA_DIR"


def profiles_json(rung: Run, data: Path) -> list[dict[str, Any]]:
    result = rung("--data-dir", data, "profiles", "list", "--json")
    assert_ok(result)
    records: list[dict[str, Any]] = result.json()
    return records


def resolved_name(rung: Run, data: Path, selector: str) -> str:
    """The name of the profile that `--profile selector` picks (from `checkins list`)."""
    result = rung("--data-dir", data, "checkins", "list", "--profile", selector)
    assert_ok(result)
    suffix = " has no check-ins yet.\n"
    assert result.out.endswith(suffix), result.out
    return result.out.removesuffix(suffix)


# -- version, data folder selection -------------------------------------------


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`--version` exits 0 and names the package version."""
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"rung {app.__version__}\n"


def test_rung_data_dir_env_selects_the_data_folder(rung: Run, data_dir: Path) -> None:
    """Without --data-dir, RUNG_DATA_DIR (set by the `data_dir` fixture) is the data folder."""
    assert not data_dir.exists()
    result = rung(*create_args("Env"))
    assert_ok(result)
    assert (data_dir / DATABASE_NAME).is_file()
    listed = rung("profiles", "list", "--json")
    assert [p["id"] for p in listed.json()] == [result.out.strip()]


@pytest.mark.parametrize("position", [0, 1, 2], ids=["before", "between", "after"])
def test_data_dir_option_wins_over_env_in_any_position(
    rung: Run, data_dir: Path, tmp_path: Path, position: int
) -> None:
    """--data-dir overrides RUNG_DATA_DIR wherever it stands among the (sub)commands."""
    other = tmp_path / "other"

    def at(position: int, *args: str) -> list[str]:
        return [*args[:position], "--data-dir", str(other), *args[position:]]

    created = rung(*at(position, *create_args("Here")))
    assert_ok(created)
    assert (other / DATABASE_NAME).is_file()
    listed = rung(*at(position, "profiles", "list", "--json"))
    assert [p["id"] for p in listed.json()] == [created.out.strip()]
    demo = rung(*at(min(position, 1), "demo", "--years", "1"))
    assert_ok(demo)
    assert len(rung(*at(position, "profiles", "list", "--json")).json()) == 2
    assert not data_dir.exists()


# -- frameworks ---------------------------------------------------------------


def test_frameworks_list_text_and_json(rung: Run, data: Path) -> None:
    """The built-in ladders are listed, built-in, in both formats: the ML Engineer ladder
    1.0 and 1.1 and the software engineering ladder."""
    text = rung("--data-dir", data, "frameworks", "list")
    assert_ok(text)
    lines = text.out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "ml-engineer@1.0",
        "ml-engineer@1.1",
        "software-engineer@1.0",
    ]
    assert all(line.endswith("(built-in)") for line in lines)
    listed = rung("--data-dir", data, "frameworks", "list", "--json")
    assert_ok(listed)
    record = listed.json()[0]
    assert record["id"] == BUILTIN
    assert record["version"] == "1.0"
    assert record["builtin"] is True
    assert len(record["hash"]) == 64
    assert record["name"] in lines[0]


def test_frameworks_show_summarises_the_ladder(rung: Run, data: Path) -> None:
    """`show ID` (the newest, 1.1) names the version, hash and the four levels in order."""
    result = rung("--data-dir", data, "frameworks", "show", BUILTIN)
    assert_ok(result)
    lines = result.out.splitlines()
    assert lines[0].endswith("(ml-engineer@1.1)")
    assert lines[1].startswith("hash: ")
    assert len(lines[1].removeprefix("hash: ")) == 64
    assert lines[2] == (
        f"levels: Junior ML Engineer [{JUNIOR}] → ML Engineer [{MID}] → "
        "Senior ML Engineer [senior-ml-engineer] → Staff ML Engineer [staff-ml-engineer]"
    )
    assert any(line.startswith("rating scale: 0 ") for line in lines)
    assert any(line.startswith("verdict bands: ") for line in lines)
    assert "dimensions:" in lines
    assert "skills," in lines[-1]
    assert "milestones" in lines[-1]


def test_frameworks_show_with_version_and_json(rung: Run, data: Path) -> None:
    """`show ID@1.1` prints the same ladder as the bare id (the newest); `@1.0` the first
    version; `--json` prints the whole validated model."""
    bare = rung("--data-dir", data, "frameworks", "show", BUILTIN)
    pinned = rung("--data-dir", data, "frameworks", "show", f"{BUILTIN}@1.1")
    assert_ok(pinned)
    assert pinned.out == bare.out
    model = rung("--data-dir", data, "frameworks", "show", f"{BUILTIN}@1.0", "--json")
    assert_ok(model)
    document = model.json()
    assert document["id"] == BUILTIN
    assert document["version"] == "1.0"
    assert [level["id"] for level in document["levels"]] == [JUNIOR, MID]
    assert document["skills"]
    assert document["dimensions"]


def test_frameworks_validate_accepts_the_builtin_file(rung: Run, tmp_path: Path) -> None:
    """A good file is reported valid with its ref and the same hash `show` prints."""
    path = tmp_path / "ladder.yaml"
    path.write_text(builtin_text(), encoding="utf-8")
    result = rung("--data-dir", tmp_path / "unused", "frameworks", "validate", path)
    assert_ok(result)
    assert result.out.startswith("ladder.yaml: a valid framework, ml-engineer@1.0 (")
    shown = rung("--data-dir", tmp_path / "unused", "frameworks", "show", f"{BUILTIN}@1.0")
    assert shown.out.splitlines()[1].removeprefix("hash: ") in result.out
    assert not (tmp_path / "unused").exists()


def test_frameworks_validate_rejects_a_bad_file(rung: Run, tmp_path: Path) -> None:
    """A framework missing its levels fails with the file name and the field."""
    path = tmp_path / "broken-ladder.yaml"
    path.write_text(builtin_text().replace("levels:", "levelz:", 1), encoding="utf-8")
    result = rung("--data-dir", tmp_path / "unused", "frameworks", "validate", path)
    assert_failed(result, 1, "broken-ladder.yaml")
    assert "levelz" in result.err or "levels" in result.err


def test_frameworks_import_then_again_then_newest_wins(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    """Importing v2.0 stores it once; a bare id then means 2.0, `@1.0` still means 1.0."""
    path = tmp_path / "ladder-2.yaml"
    path.write_text(with_version(builtin_text(), "2.0"), encoding="utf-8")
    first = rung("--data-dir", data, "frameworks", "import", path)
    assert_ok(first)
    assert first.out == "Imported ml-engineer@2.0.\n"
    before = folder_digest(data)
    again = rung("--data-dir", data, "frameworks", "import", path)
    assert_ok(again)
    assert "already stored" in again.out
    assert folder_digest(data) == before
    listed = rung("--data-dir", data, "frameworks", "list", "--json").json()
    assert [(f["version"], f["builtin"]) for f in listed if f["id"] == BUILTIN] == [
        ("1.0", True),
        ("1.1", True),
        ("2.0", False),
    ]
    assert rung("--data-dir", data, "frameworks", "show", BUILTIN).out.startswith(
        "ML Engineer ladder (ml-engineer@2.0)\n"
    )
    assert rung("--data-dir", data, "frameworks", "show", f"{BUILTIN}@1.0").out.startswith(
        "ML Engineer ladder (ml-engineer@1.0)\n"
    )
    profile = create_profile(rung, data, "On the newest")
    (record,) = [p for p in profiles_json(rung, data) if p["id"] == profile]
    assert record["framework_version"] == "2.0"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_frameworks_export_round_trips(rung: Run, data: Path, tmp_path: Path, suffix: str) -> None:
    """An exported file is valid and hashes the same as the stored ladder."""
    out = tmp_path / f"exported{suffix}"
    result = rung("--data-dir", data, "frameworks", "export", f"{BUILTIN}@1.0", out)
    assert_ok(result)
    assert result.out == f"Wrote ml-engineer@1.0 to {out}.\n"
    if suffix == ".json":
        assert json.loads(out.read_text(encoding="utf-8"))["id"] == BUILTIN
    else:
        assert "id: ml-engineer" in out.read_text(encoding="utf-8")
    checked = rung("--data-dir", data, "frameworks", "validate", out)
    assert_ok(checked)
    stored_hash = rung("--data-dir", data, "frameworks", "list", "--json").json()[0]["hash"]
    assert f"hash {stored_hash}." in checked.out


def test_frameworks_schema_is_json_schema(rung: Run, tmp_path: Path) -> None:
    """`schema` prints a JSON Schema describing the top-level keys of a framework."""
    result = rung("--data-dir", tmp_path / "unused", "frameworks", "schema")
    assert_ok(result)
    schema = result.json()
    assert "properties" in schema
    assert {"id", "version", "levels", "skills"} <= set(schema["properties"])
    assert not (tmp_path / "unused").exists()


# -- profiles -----------------------------------------------------------------


def test_profiles_create_prints_an_id_and_list_shows_it(rung: Run, data: Path) -> None:
    """A created profile is listed with its framework ids and levels, in text and JSON."""
    profile = create_profile(rung, data, "Ada")
    assert len(profile) >= 8
    assert "\n" not in profile
    (record,) = profiles_json(rung, data)
    assert {k: record[k] for k in ("id", "name", "framework", "framework_version")} == {
        "id": profile,
        "name": "Ada",
        "framework": BUILTIN,
        "framework_version": "1.1",  # a bare framework id means the newest version
    }
    assert (record["level"], record["target"]) == (JUNIOR, MID)
    text = rung("--data-dir", data, "profiles", "list")
    assert_ok(text)
    (line,) = text.out.splitlines()
    assert line.startswith(f"{profile}  Ada  ml-engineer@1.1  {JUNIOR} → {MID}")


def test_profiles_create_with_start_interval_and_manager(rung: Run, data: Path) -> None:
    """--started, --interval and --manager are stored as given."""
    create_profile(
        rung, data, "Bo", "--started", "2024-02-29", "--interval", "14", "--manager", "Jordan Lee"
    )
    (record,) = profiles_json(rung, data)
    assert record["role_start"] == "2024-02-29"
    assert record["checkin_interval_days"] == 14
    assert record["manager"] == "Jordan Lee"
    assert rung("--data-dir", data, "profiles", "list").out.rstrip().endswith("since 2024-02-29")


def test_profiles_list_on_an_empty_folder(rung: Run, data: Path) -> None:
    """No profiles: a hint in text, an empty list in JSON."""
    text = rung("--data-dir", data, "profiles", "list")
    assert_ok(text)
    assert text.out.startswith("No profiles yet.")
    assert rung("--data-dir", data, "profiles", "list", "--json").json() == []


def test_profiles_delete_removes_only_that_profile(rung: Run, data: Path) -> None:
    """`delete P --yes` removes the profile and its check-ins, and no other profile."""
    keep = create_profile(rung, data, "Keep me")
    demo = rung("--data-dir", data, "demo", "--years", "1")
    assert_ok(demo)
    gone = demo.out.strip()
    result = rung("--data-dir", data, "profiles", "delete", DEMO_NAME, "--yes")
    assert_ok(result)
    assert result.out.startswith(f"Erased the profile {DEMO_NAME} ({gone}): ")
    assert result.out.count("\n") == 1
    assert [p["id"] for p in profiles_json(rung, data)] == [keep]
    assert_failed(rung("--data-dir", data, "checkins", "list", "--profile", gone), 1, gone)


def test_text_survives_exactly(rung: Run, data: Path) -> None:
    """Markup, non-Latin script and emoji are stored and printed exactly as typed."""
    name = "<b>Zoë</b> & 李雷 🚀"
    profile = create_profile(rung, data, name)
    (record,) = profiles_json(rung, data)
    assert record["name"] == name
    assert rung("--data-dir", data, "profiles", "list").out.startswith(f"{profile}  {name}  ")
    assert resolved_name(rung, data, name) == name


def test_the_first_and_last_accepted_dates(rung: Run, data: Path) -> None:
    """1900-01-01 and 2199-12-31 are accepted, and readiness works on each of them."""
    for name, day in (("Early", "1900-01-01"), ("Late", "2199-12-31")):
        create_profile(rung, data, name, "--started", day, "--interval", "366")
        for on in ("1900-01-01", "2199-12-31"):
            assert_ok(rung("--data-dir", data, "readiness", "--profile", name, "--on", on))
    assert [r["role_start"] for r in profiles_json(rung, data)] == ["1900-01-01", "2199-12-31"]


ESCAPE = "\x1b[31m\x1b]0;pwned\x07\x9b2J\x7f"  # red, a window title, 8-bit CSI, DEL


def _plant(data: Path, sql: str, *args: Any) -> None:
    """Write around the services' checks, as a database from an older Rung might hold."""
    with contextlib.closing(sqlite3.connect(data / DATABASE_NAME)) as conn:
        conn.execute(sql, args)
        conn.commit()


def test_control_characters_in_stored_text_are_printed_escaped(rung: Run, data: Path) -> None:
    """A name holding escape sequences reaches the terminal as visible text, never as codes."""
    profile = create_profile(rung, data, "Mallory")
    _plant(data, "UPDATE profiles SET name = ?", f"Mal{ESCAPE}lory")
    snapshot = json.loads(rung("--data-dir", data, "frameworks", "show", BUILTIN, "--json").out)
    snapshot["name"] = f"Ladder{ESCAPE}"
    snapshot["levels"][0]["name"] = "Junior\nline two"
    _plant(
        data,
        "UPDATE frameworks SET name = ?, snapshot = ?",
        snapshot["name"],
        json.dumps(snapshot),
    )
    shown = "\\x1b[31m\\x1b]0;pwned\\x07\\x9b2J\\x7f"
    outputs = {
        "profiles list": rung("--data-dir", data, "profiles", "list"),
        "frameworks list": rung("--data-dir", data, "frameworks", "list"),
        "frameworks show": rung("--data-dir", data, "frameworks", "show", BUILTIN),
        "checkins list": rung("--data-dir", data, "checkins", "list", "--profile", profile),
    }
    for command, result in outputs.items():
        assert_ok(result)
        controls = [ch for ch in result.out if unicodedata.category(ch) == "Cc" and ch != "\n"]
        assert controls == [], command
    assert outputs["profiles list"].out.startswith(f"{profile}  Mal{shown}lory  ")
    assert outputs["frameworks list"].out.count("\n") == 3  # one line per built-in
    assert f"Ladder{shown}" in outputs["frameworks list"].out
    assert f"Ladder{shown} ({BUILTIN}@1.1)\n" in outputs["frameworks show"].out
    assert "Junior\\x0aline two [" in outputs["frameworks show"].out
    assert outputs["checkins list"].out == f"Mal{shown}lory has no check-ins yet.\n"
    # JSON keeps the text exactly, escaped the JSON way.
    listed = rung("--data-dir", data, "profiles", "list", "--json")
    assert not [ch for ch in listed.out if unicodedata.category(ch) == "Cc" and ch != "\n"]
    assert listed.json()[0]["name"] == f"Mal{ESCAPE}lory"
    # Errors that quote stored text are one escaped line too.
    failed = rung("--data-dir", data, "checkins", "list", "--profile", "Nobody")
    assert_failed(failed, 1, f"{profile} (Mal{shown}lory)")


def test_control_characters_typed_on_the_command_line_are_echoed_escaped(
    rung: Run, data: Path
) -> None:
    result = rung("--data-dir", data, "frameworks", "show", "\x1b[2J\n")
    assert_failed(result, 1, "No framework '\\x1b[2J\\x0a' is stored")


# -- check-ins and the demo ---------------------------------------------------


def test_demo_and_checkins_list(rung: Run, data: Path) -> None:
    """A one-year weekly demo has 52 final check-ins, listed oldest first."""
    demo = rung("--data-dir", data, "demo", "--years", "1", "--weekly", "--seed", "3")
    assert_ok(demo)
    profile = demo.out.strip()
    (record,) = profiles_json(rung, data)
    assert (record["id"], record["name"]) == (profile, DEMO_NAME)
    listed = rung("--data-dir", data, "checkins", "list", "--profile", profile, "--json")
    assert_ok(listed)
    checkins = listed.json()
    assert len(checkins) == 52
    assert all({"id", "date", "status"} <= set(c) for c in checkins)
    assert {c["status"] for c in checkins} == {"final"}
    dates = [c["date"] for c in checkins]
    assert dates == sorted(dates)
    assert len(set(dates)) == 52
    text = rung("--data-dir", data, "checkins", "list", "--profile", profile)
    assert_ok(text)
    lines = text.out.splitlines()
    assert len(lines) == 52
    assert lines[0].startswith(f"{dates[0]}  final")
    assert lines[-1].endswith(checkins[-1]["id"])


def test_checkins_list_without_checkins(rung: Run, data: Path) -> None:
    """A new profile has no check-ins: a sentence in text, `[]` in JSON."""
    profile = create_profile(rung, data, "New")
    assert resolved_name(rung, data, profile) == "New"
    listed = rung("--data-dir", data, "checkins", "list", "--profile", profile, "--json")
    assert listed.json() == []


def test_demo_default_is_monthly(rung: Run, data: Path) -> None:
    """Without --weekly the demo checks in every 30 days."""
    profile = rung("--data-dir", data, "demo", "--years", "1").out.strip()
    checkins = rung("--data-dir", data, "checkins", "list", "--profile", profile, "--json").json()
    assert len(checkins) == 12
    assert profiles_json(rung, data)[0]["checkin_interval_days"] == 30


def _demo_history(rung: Run, folder: Path, seed: str) -> list[dict[str, Any]]:
    profile = rung("--data-dir", folder, "demo", "--years", "1", "--weekly", "--seed", seed)
    assert_ok(profile)
    listed = rung(
        "--data-dir", folder, "checkins", "list", "--profile", profile.out.strip(), "--json"
    )
    return [{k: v for k, v in c.items() if k != "id"} for c in listed.json()]


def test_same_seed_gives_the_same_demo(rung: Run, tmp_path: Path) -> None:
    """Two fresh folders with seed 3 hold the same history; seed 4 gives another one."""
    first = _demo_history(rung, tmp_path / "a", "3")
    second = _demo_history(rung, tmp_path / "b", "3")
    assert len(first) == 52
    assert first == second
    other = _demo_history(rung, tmp_path / "c", "4")
    assert [c["ratings"] for c in other] != [c["ratings"] for c in first]


# -- choosing a profile -------------------------------------------------------


@pytest.fixture
def two_profiles(rung: Run, data: Path) -> dict[str, str]:
    """Profiles 'Ada' and 'Zoë' (stored in NFC), by name → id."""
    return {name: create_profile(rung, data, name) for name in ("Ada", "Zo\u00eb")}


def test_select_by_exact_id(rung: Run, data: Path, two_profiles: dict[str, str]) -> None:
    """The full id picks its profile."""
    for name, profile in two_profiles.items():
        assert resolved_name(rung, data, profile) == name


def test_select_by_exact_name(rung: Run, data: Path, two_profiles: dict[str, str]) -> None:
    """The exact name picks its profile."""
    assert resolved_name(rung, data, "Ada") == "Ada"


@pytest.mark.parametrize(
    ("stored", "typed"),
    [("Zo\u00eb", "Zoe\u0308"), ("Zoe\u0308", "Zo\u00eb")],
    ids=["stored-NFC-typed-NFD", "stored-NFD-typed-NFC"],
)
def test_select_by_name_compares_nfc(rung: Run, data: Path, stored: str, typed: str) -> None:
    """A name typed in another Unicode normal form still matches, and is shown as stored."""
    assert stored != typed
    assert unicodedata.normalize("NFC", stored) == unicodedata.normalize("NFC", typed)
    create_profile(rung, data, "Someone else")
    create_profile(rung, data, stored)
    assert resolved_name(rung, data, typed) == stored


def test_select_by_id_prefix(rung: Run, data: Path, two_profiles: dict[str, str]) -> None:
    """An id prefix of 4 or more characters picks its profile."""
    for name, profile in two_profiles.items():
        assert resolved_name(rung, data, profile[:4]) == name
        assert resolved_name(rung, data, profile[:8]) == name


def test_three_character_prefix_is_not_enough(
    rung: Run, data: Path, two_profiles: dict[str, str]
) -> None:
    """A 3-character prefix matches nothing; the error lists the profiles there are."""
    before = folder_digest(data)
    result = rung("--data-dir", data, "checkins", "list", "--profile", two_profiles["Ada"][:3])
    assert_failed(result, 1, "No profile matches")
    assert all(profile in result.err for profile in two_profiles.values())
    assert folder_digest(data) == before


def test_exact_name_wins_over_id_prefix(
    rung: Run, data: Path, two_profiles: dict[str, str]
) -> None:
    """A profile named like another's id prefix is picked by its name."""
    prefix = two_profiles["Ada"][:6]
    create_profile(rung, data, prefix)
    assert resolved_name(rung, data, prefix) == prefix


def test_exact_id_wins_over_name(rung: Run, data: Path, two_profiles: dict[str, str]) -> None:
    """A profile named like another's full id does not hide that profile."""
    create_profile(rung, data, two_profiles["Ada"])
    assert resolved_name(rung, data, two_profiles["Ada"]) == "Ada"


def test_ambiguous_name_lists_the_candidates(rung: Run, data: Path) -> None:
    """Two profiles with one name: exit 1, naming both ids, and nothing deleted."""
    first = create_profile(rung, data, "Alex")
    second = create_profile(rung, data, "Alex")
    create_profile(rung, data, "Other")
    before = folder_digest(data)
    for args in (
        ("checkins", "list", "--profile", "Alex"),
        ("profiles", "delete", "Alex", "--yes"),
    ):
        result = rung("--data-dir", data, *args)
        assert_failed(result, 1, "ambiguous")
        assert first in result.err
        assert second in result.err
        assert "Other" not in result.err
    assert folder_digest(data) == before
    assert len(profiles_json(rung, data)) == 3


# -- read-only commands never create the data folder ---------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["frameworks", "list"], 0),
        (["frameworks", "list", "--json"], 0),
        (["frameworks", "show", BUILTIN], 0),
        (["frameworks", "show", BUILTIN, "--json"], 0),
        (["frameworks", "schema"], 0),
        (["profiles", "list"], 0),
        (["profiles", "list", "--json"], 0),
        (["checkins", "list", "--profile", "Ada"], 1),
        (["checkins", "list", "--profile", "Ada", "--json"], 1),
        (["profiles", "delete", "Ada", "--yes"], 1),
        (["team", "list"], 0),
        (["team", "list", "--json"], 0),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_read_only_commands_do_not_create_the_folder(
    rung: Run, data: Path, args: list[str], code: int
) -> None:
    """Looking at a data folder that isn't there leaves it not there."""
    result = rung("--data-dir", data, *args)
    assert result.code == code, result
    assert not data.exists()


def test_export_does_not_create_the_folder(rung: Run, data: Path, tmp_path: Path) -> None:
    """Exporting a built-in from a missing folder writes the file only."""
    assert_ok(rung("--data-dir", data, "frameworks", "export", BUILTIN, tmp_path / "x.json"))
    assert (tmp_path / "x.json").is_file()
    assert not data.exists()


# -- failures change nothing -------------------------------------------------

CREATE = ["profiles", "create", "--name", "Pat", "--framework", BUILTIN]
LEVELS = ["--level", JUNIOR, "--target", MID]

FAILURES: list[tuple[str, list[str], int, str]] = [
    # usage errors: exit 2
    ("unknown command", ["promote"], 2, "invalid choice"),
    ("unknown subcommand", ["profiles", "rename"], 2, "invalid choice"),
    ("group without subcommand", ["frameworks"], 2, "Choose a subcommand"),
    ("unknown option", ["profiles", "list", "--yaml"], 2, "--yaml"),
    ("missing required options", ["profiles", "create", "--name", "Pat"], 2, "--framework"),
    ("checkins list without --profile", ["checkins", "list"], 2, "--profile"),
    ("show without id", ["frameworks", "show"], 2, "required"),
    ("bad date", [*CREATE, *LEVELS, "--started", "2024-13-01"], 2, "2024-13-01"),
    ("date in another format", [*CREATE, *LEVELS, "--started", "01/02/2024"], 2, "YYYY-MM-DD"),
    ("interval not a number", [*CREATE, *LEVELS, "--interval", "weekly"], 2, "'weekly'"),
    (
        "start in year 9999",
        [*CREATE, *LEVELS, "--started", "9999-12-31"],
        2,
        "Argument --started: the date 9999-12-31 is not between 1900-01-01 and 2199-12-31",
    ),
    (
        "start in year 1",
        [*CREATE, *LEVELS, "--started", "0001-01-01"],
        2,
        "the date 0001-01-01 is not between 1900-01-01 and 2199-12-31",
    ),
    ("start the day before 1900", [*CREATE, *LEVELS, "--started", "1899-12-31"], 2, "1899-12-31"),
    ("start the day after 2199", [*CREATE, *LEVELS, "--started", "2200-01-01"], 2, "2200-01-01"),
    (
        "readiness on a far date",
        ["readiness", "--profile", DEMO_NAME, "--on", "9999-12-31"],
        2,
        "Argument --on: the date 9999-12-31 is not between",
    ),
    (
        "report from a far date",
        ["report", "--profile", DEMO_NAME, "--out", "{out}/r.pdf", "--from", "0001-01-01"],
        2,
        "Argument --from: the date 0001-01-01 is not between",
    ),
    (
        "report to a far date",
        ["report", "--profile", DEMO_NAME, "--out", "{out}/r.pdf", "--to", "9999-12-31"],
        2,
        "Argument --to: the date 9999-12-31 is not between",
    ),
    ("interval zero", [*CREATE, *LEVELS, "--interval", "0"], 2, "positive whole number"),
    ("team without subcommand", ["team"], 2, "Choose a subcommand"),
    ("team list with an unknown option", ["team", "list", "--csv"], 2, "--csv"),
    (
        "team list on a far date",
        ["team", "list", "--on", "9999-12-31"],
        2,
        "Argument --on: the date 9999-12-31 is not between",
    ),
    ("demo years not a number", ["demo", "--years", "two"], 2, "'two'"),
    ("demo years negative", ["demo", "--years", "-1"], 2, "positive"),
    ("demo years too many", ["demo", "--years", "51"], 2, "at most 50"),
    ("demo seed not a number", ["demo", "--seed", "abc"], 2, "'abc'"),
    ("delete without --yes", ["profiles", "delete", DEMO_NAME], 2, "--yes"),
    # everything else: exit 1
    ("unknown profile", ["checkins", "list", "--profile", "Nobody"], 1, "No profile matches"),
    ("delete unknown profile", ["profiles", "delete", "Nobody", "--yes"], 1, "'Nobody'"),
    (
        "unknown framework",
        ["profiles", "create", "--name", "Pat", "--framework", "chef", *LEVELS],
        1,
        "No framework 'chef'",
    ),
    (
        "unknown framework version",
        ["profiles", "create", "--name", "Pat", "--framework", "ml-engineer@9.9", *LEVELS],
        1,
        "ml-engineer@9.9",
    ),
    ("show unknown framework", ["frameworks", "show", "chef"], 1, "No framework 'chef'"),
    ("unknown level", [*CREATE, "--level", "staff", "--target", MID], 1, "'staff'"),
    ("unknown target", [*CREATE, "--level", JUNIOR, "--target", "cto"], 1, "'cto'"),
    ("target below level", [*CREATE, "--level", MID, "--target", JUNIOR], 1, "below"),
    (
        "blank name",
        ["profiles", "create", "--name", "  ", "--framework", BUILTIN, *LEVELS],
        1,
        "empty",
    ),
    (
        "name with a line break",
        ["profiles", "create", "--name", "A\nB", "--framework", BUILTIN, *LEVELS],
        1,
        "control character",
    ),
    ("interval over a year", [*CREATE, *LEVELS, "--interval", "400"], 2, "between 1 and 366"),
    (
        "validate invalid framework",
        ["frameworks", "validate", "{in}/invalid.yaml"],
        1,
        "invalid.yaml",
    ),
    ("validate broken yaml", ["frameworks", "validate", "{in}/broken.yaml"], 1, "broken.yaml"),
    ("validate missing file", ["frameworks", "validate", "{in}/absent.yaml"], 1, "no such file"),
    ("validate wrong extension", ["frameworks", "validate", "{in}/ladder.txt"], 1, ".yaml"),
    ("import invalid framework", ["frameworks", "import", "{in}/invalid.yaml"], 1, "invalid.yaml"),
    ("import broken yaml", ["frameworks", "import", "{in}/broken.yaml"], 1, "broken.yaml"),
    (
        "import same id and version, other content",
        ["frameworks", "import", "{in}/conflict.yaml"],
        1,
        "already stored",
    ),
    (
        "export to a bad extension",
        ["frameworks", "export", BUILTIN, "{out}/ladder.txt"],
        1,
        "ladder.txt",
    ),
    (
        "export to a missing folder",
        ["frameworks", "export", BUILTIN, "{out}/no/ladder.yaml"],
        1,
        "/no does not exist",
    ),
    (
        "export unknown framework",
        ["frameworks", "export", "chef", "{out}/ladder.yaml"],
        1,
        "No framework 'chef'",
    ),
]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder holding a one-year demo, made once and copied per test."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    assert main(["--data-dir", str(folder), "demo", "--years", "1", "--seed", "7"]) == 0
    return folder


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Framework files for the failure table: invalid, broken YAML, conflicting, wrong type."""
    folder = tmp_path / "in"
    folder.mkdir()
    text = builtin_text()
    (folder / "invalid.yaml").write_text(text.replace("levels:", "levelz:", 1), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: [ml-engineer\nversion: '1.0'\n", encoding="utf-8")
    name = 'name: "ML Engineer ladder"'
    assert text.count(name) == 1
    (folder / "conflict.yaml").write_text(
        text.replace(name, 'name: "ML Engineer ladder, edited"'), encoding="utf-8"
    )
    (folder / "ladder.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("setup", ["missing", "missing-nested", "empty", "demo"])
@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [pytest.param(args, code, fragment, id=name) for name, args, code, fragment in FAILURES],
)
def test_failure_changes_nothing(
    rung: Run,
    tmp_path: Path,
    inputs: Path,
    demo_folder: Path,
    setup: str,
    args: list[str],
    code: int,
    fragment: str,
) -> None:
    """Each failure: its exit status, one 'rung: ' line, and the data folder untouched."""
    data = tmp_path / ("a/b/data" if setup == "missing-nested" else "data")
    if setup == "empty":
        data.mkdir()
    elif setup == "demo":
        shutil.copytree(demo_folder, data)
    out = tmp_path / "out"
    out.mkdir()
    before_tmp = tree(tmp_path)
    before = folder_digest(data)
    argv = [arg.format(**{"in": inputs, "out": out}) for arg in args]

    result = rung("--data-dir", data, *argv)

    assert_failed(result, code, fragment)
    assert folder_digest(data) == before
    assert tree(tmp_path) == before_tmp
    assert data.exists() == (setup in {"empty", "demo"})


@pytest.mark.parametrize(
    "args",
    [["frameworks", "list"], ["profiles", "list", "--json"], ["demo", "--years", "1"]],
    ids=lambda args: " ".join(args),
)
@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 50], ids=["empty", "junk"])
def test_damaged_database_is_moved_aside_with_its_bytes(
    rung: Run, data: Path, args: list[str], content: bytes
) -> None:
    """A database file that is not SQLite is set aside whole and reported in one line."""
    data.mkdir()
    (data / DATABASE_NAME).write_bytes(content)
    result = rung("--data-dir", data, *args)
    (moved,) = data.glob(f"{DATABASE_NAME}.corrupt-*")
    assert_failed(result, 1, moved.name)
    assert "moved aside" in result.err
    assert moved.read_bytes() == content
    assert tree(data) == [moved.name]  # nothing written in its place by the failed command
    create_profile(rung, data, "Ada")  # the next start is on a fresh database
    assert [p["name"] for p in profiles_json(rung, data)] == ["Ada"]
    assert moved.read_bytes() == content


def test_a_relative_data_folder_works(
    rung: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--data-dir data` is a folder below the current one, for every command."""
    monkeypatch.chdir(tmp_path)
    assert_ok(rung("--data-dir", "data", "demo"))
    assert_ok(rung("--data-dir", "data", "checkins", "list", "--profile", "Sam Rivera (demo)"))
    assert_ok(rung("--data-dir", "data", "backup", "create"))
    checked = rung("--data-dir", "data", "check")  # it repeats the one-time warnings
    assert checked.code == 0
    assert "passed the full integrity check" in checked.out
    assert (tmp_path / "data" / "rung.sqlite3").is_file()
