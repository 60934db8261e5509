"""`rung evidence`: entries with impact and feedback, added and listed from a script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import folder_digest
from tests.helpers import Run, assert_failed, assert_ok, create_profile

TEXT = "<b>Zoë</b> & 李雷 🚀 مرحبا"


@pytest.fixture
def folder(rung: Run, tmp_path: Path) -> Path:
    create_profile(rung, tmp_path, "Zoë", "--started", "2026-01-05")
    return tmp_path


def _add(rung: Run, folder: Path, *args: str) -> str:
    result = rung("--data-dir", folder, "evidence", "add", "--profile", "Zoë", *args)
    assert_ok(result)
    return result.out.strip()


def test_added_entries_list_exactly(rung: Run, folder: Path) -> None:
    work = _add(
        rung, folder, "--date", "2026-02-01", "--title", TEXT,
        "--tag", "criterion:own-component-end-to-end", "--tag", "skill:python-ml-engineering",
        "--context", "Slow checkout", "--action", "Cached features", "--outcome", "Faster",
        "--metric", "90", "--unit", "ms", "--link", "https://x.test/pr/1",
    )  # fmt: skip
    quote = _add(
        rung, folder, "--date", "2026-02-02", "--title", "Review", "--description", TEXT,
        "--feedback", "--from", "Noor", "--from-role", "Staff engineer", "--private",
    )  # fmt: skip
    listed = rung("--data-dir", folder, "evidence", "list", "--profile", "Zoë", "--json")
    assert_ok(listed)
    second, first = json.loads(listed.out)
    assert (first["id"], second["id"]) == (work, quote)
    assert first["title"] == TEXT
    assert first["tags"] == [
        {"kind": "criterion", "ref": "own-component-end-to-end"},
        {"kind": "skill", "ref": "python-ml-engineering"},
    ]
    assert first["metric"] == {"value": 90.0, "unit": "ms"}
    assert (first["kind"], first["outcome"], first["feedback_from"]) == ("work", "Faster", None)
    assert (second["kind"], second["description"], second["private"]) == ("feedback", TEXT, True)
    assert (second["feedback_from"], second["feedback_role"]) == ("Noor", "Staff engineer")
    text = rung("--data-dir", folder, "evidence", "list", "--profile", "Zoë")
    assert_ok(text)
    assert f"2026-02-02  Review  (private)  — Noor  {quote}" in text.out


def test_no_evidence_yet_is_said(rung: Run, folder: Path) -> None:
    result = rung("--data-dir", folder, "evidence", "list", "--profile", "Zoë")
    assert_ok(result)
    assert result.out == "Zoë has no evidence yet.\n"


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--tag", "python-ml-engineering"], 2, "not in the form KIND:ID"),
        (["--tag", "criterion:juggling"], 1, "no criterion 'juggling'"),
        (["--metric", "90"], 2, "--metric and --unit go together"),
        (["--metric", "nan", "--unit", "ms"], 1, "finite number"),
        (["--metric", "fast", "--unit", "ms"], 2, "invalid float value"),
        (["--from", "Noor"], 2, "add --feedback"),
        (["--feedback", "--description", "Great"], 2, "--feedback needs --from"),
        (["--feedback", "--from", "Noor"], 1, "needs the quote"),
        (["--date", "2026-02-30"], 2, "2026-02-30"),
    ],
)
def test_bad_input_is_one_sentence_and_changes_nothing(
    rung: Run, folder: Path, args: list[str], code: int, fragment: str
) -> None:
    before = folder_digest(folder)
    base = {"--date": "2026-02-01", "--title": "ok"}
    for flag in args[::2]:
        base.pop(flag, None)
    fixed = [part for pair in base.items() for part in pair]
    result = rung("--data-dir", folder, "evidence", "add", "--profile", "Zoë", *fixed, *args)
    assert_failed(result, code, fragment)
    assert folder_digest(folder) == before
