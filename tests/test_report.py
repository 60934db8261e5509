"""The promotion-readiness PDF, end to end: built from real data, read back with pypdf.

Privacy is checked where it matters, in the bytes of the file: every object of
the PDF is decompressed and searched (page content, metadata, XMP, outline),
not only the text a reader extracts. Each search is shown to work by finding
the same markers when private text is included.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from app.readiness import format_score
from app.report.model import AUDIENCE_SECTIONS, SECTION_TITLES, ReportOptions
from app.report.service import ReportService
from app.services import Services
from app.services.demo import DEMO_NAME, create_demo
from tests.conftest import folder_digest
from tests.helpers import (
    CANARIES,
    SHARED_EVIDENCE,
    Run,
    assert_failed,
    assert_ok,
    private_profile,
)

TODAY = date(2026, 6, 15)


def pdf(services: Services, profile_id: str, **options: Any) -> bytes:
    return ReportService(services).pdf(profile_id, ReportOptions(**options), today=TODAY)


def text_of(data: bytes) -> str:
    """The extracted text of every page, with runs of whitespace made one space."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _strings(obj: Any, seen: set[int]) -> Iterator[str]:
    """Every string inside a PDF object, following references once."""
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, StreamObject):
        data = obj.get_data()
        yield data.decode("latin-1")
        yield data.decode("utf-16-be", errors="ignore")
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            yield str(key)
            yield from _strings(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _strings(value, seen)
    elif isinstance(obj, str | bytes):
        yield obj if isinstance(obj, str) else obj.decode("latin-1")


def every_object(data: bytes) -> str:
    """All text held anywhere in the file: each object decompressed, metadata and outline too."""
    reader = PdfReader(BytesIO(data))
    seen: set[int] = set()
    chunks = list(_strings(reader.trailer, seen))
    for number in range(1, int(reader.trailer["/Size"])):
        if number not in seen:
            chunks.extend(_strings(IndirectObject(number, 0, reader), seen))
    return "\n".join(chunks)


def outline_titles(data: bytes) -> list[str]:
    return [item.title for item in PdfReader(BytesIO(data)).outline if not isinstance(item, list)]


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    return private_profile(services, tmp_path)


@pytest.fixture
def demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, today=TODAY)


# -- what every report says ------------------------------------------------------


def test_the_demo_report_names_the_person_verdict_dimensions_and_readiness(
    services: Services, demo: str
) -> None:
    readiness = services.readiness.as_of(demo, TODAY)
    text = text_of(pdf(services, demo))
    assert "Sam Rivera (demo)" in text
    assert readiness.verdict in text
    for dimension in readiness.dimensions:
        assert dimension.name in text
    assert readiness.readiness is not None
    assert f"Self-assessed {format_score(readiness.readiness)} / 100" in text  # page 1
    assert f"Self-assessed: {format_score(readiness.readiness)} / 100" in text  # its detail


def test_metadata_and_pages_are_numbered(services: Services, profile_id: str) -> None:
    assert PdfReader(BytesIO(pdf(services, profile_id))).metadata.author == ""  # nobody yet
    services.identity.set(name="Zoë", role="ML engineer")
    data = pdf(services, profile_id)
    reader = PdfReader(BytesIO(data))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Promotion-readiness report: Zoë"
    assert meta.author == "Zoë"  # the owner of the folder that made it
    assert meta.subject is not None
    assert "Junior → Senior" in meta.subject
    pages = len(reader.pages)
    assert pages > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in page.extract_text()


@pytest.mark.parametrize("audience", ["self", "1:1", "packet"])
def test_each_audience_prints_its_sections_and_not_the_others(
    services: Services, profile_id: str, audience: str
) -> None:
    data = pdf(services, profile_id, audience=audience, include_private=True)
    # Your own profile: the packet has no manager's assessment (tests/test_report_manager.py).
    sections = tuple(s for s in AUDIENCE_SECTIONS[audience] if s != "manager")  # type: ignore[index]
    titles = outline_titles(data)
    assert [t for t in titles if t in SECTION_TITLES.values()] == [
        SECTION_TITLES[s] for s in sections
    ]
    absent = set(SECTION_TITLES) - set(sections)
    for section in absent:
        assert SECTION_TITLES[section] not in titles
    if "reflections" not in sections:
        assert CANARIES["wins"] not in every_object(data)


# -- privacy ------------------------------------------------------------------------


def test_no_private_text_is_anywhere_in_the_file_unless_included(
    services: Services, profile_id: str
) -> None:
    for audience in ("self", "packet", "1:1"):
        everything = every_object(pdf(services, profile_id, audience=audience))
        leaked = [kind for kind, canary in CANARIES.items() if canary in everything]
        assert leaked == [], audience
    everything = every_object(pdf(services, profile_id))
    assert SHARED_EVIDENCE in everything  # the search finds what is printed


def test_included_private_text_is_found_by_the_same_search(
    services: Services, profile_id: str
) -> None:
    everything = every_object(pdf(services, profile_id, include_private=True))
    missing = [kind for kind, canary in CANARIES.items() if canary not in everything]
    assert missing == ["rating note"]  # amended away; the amendment log is never printed
    assert "Includes private notes" in everything


def test_counts_in_the_pdf_count_only_included_evidence(
    services: Services, profile_id: str
) -> None:
    def evidence_count(include_private: bool) -> str:
        text = text_of(pdf(services, profile_id, audience="self", include_private=include_private))
        # The skill row ends "… 3 <evidence>" (no change from a rating never given before),
        # and the next row starts with its name.
        match = re.search(r"Critical — 2 ▼ 3 (\d+) A Optional", text)
        assert match is not None, text
        return match.group(1)

    assert evidence_count(False) == "1"
    assert evidence_count(True) == "2"


# -- text survives --------------------------------------------------------------

SCRIPTS = {
    "markup": '<b>not bold</b> & <font size=99> <img src="/etc/hostname"/> &amp;',
    "greek": "Καλημέρα κόσμε",
    "cyrillic": "Привет, мир",
    "chinese": "李雷的晋升报告",
    "japanese": "昇進の準備ができています ひらがな",
    "korean": "승진 준비 보고서",
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_text_in_any_script_round_trips_exactly(
    services: Services, tmp_path: Path, script: str
) -> None:
    sample = SCRIPTS[script]
    profile_id = private_profile(services, tmp_path, name=f"{sample[:40]} 🚀")
    services.identity.set(name=f"{sample[:40]} 🚀")
    services.evidence.add(profile_id, day=date(2026, 2, 3), title=sample[:200])
    services.plan.add_goal(profile_id, title=f"Goal {sample}"[:200], notes=f"Note {sample}")
    data = pdf(services, profile_id, include_private=True)
    text = text_of(data)
    for expected in (sample[:40], sample[:200], f"Goal {sample}"[:200], f"Note {sample}"):
        assert " ".join(expected.split()) in text, (expected, text[:500])
    meta = PdfReader(BytesIO(data)).metadata
    assert meta is not None
    assert meta.author == f"{sample[:40]} 🚀"


def test_a_very_long_note_wraps_and_splits_across_pages_uncut(
    services: Services, profile_id: str
) -> None:
    words = [f"word{i:05d}" for i in range(9000)]
    draft = services.checkins.start_draft(profile_id, on=date(2026, 6, 1))
    services.checkins.set_reflection(draft.id, "wins", " ".join(words))
    services.checkins.finalize(draft.id)
    short = len(PdfReader(BytesIO(pdf(services, profile_id))).pages)
    data = pdf(services, profile_id, include_private=True)
    assert len(PdfReader(BytesIO(data)).pages) >= short + 5
    text = text_of(data)
    assert all(word in text for word in (words[0], words[4500], words[-1]))


# -- the period ---------------------------------------------------------------------


def test_the_page_count_follows_the_period_not_the_whole_history(services: Services) -> None:
    demo = create_demo(
        services.store, services.frameworks, services.profiles, years=3, weekly=True, today=TODAY
    )

    def pages(**options: Any) -> int:
        return len(PdfReader(BytesIO(pdf(services, demo, include_private=True, **options))).pages)

    whole, quarter = pages(), pages(start=date(2026, 3, 15))
    assert quarter < whole / 3
    assert pages(start=date(2025, 6, 15)) < whole  # a year is between the two


# -- the command line ---------------------------------------------------------------


def test_rung_report_writes_the_pdf(rung: Run, data: Path, tmp_path: Path) -> None:
    assert_ok(rung("--data-dir", data, "demo"))
    out = tmp_path / "report.pdf"
    result = rung(
        "--data-dir", data, "report", "--profile", DEMO_NAME, "--out", out,
        "--audience", "1:1", "--from", "2025-01-01",
    )  # fmt: skip
    assert_ok(result)
    assert str(out) in result.out
    assert "without private notes" in result.out
    text = text_of(out.read_bytes())
    assert "Sam Rivera (demo)" in text
    assert "1:1 growth summary" in text
    assert out.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["--from", "2026-13-01"], 2, "2026-13-01"),
        (["--from", "2026-05-01", "--to", "2026-04-01"], 1, "is after its end"),
        (["--to", "2199-01-01"], 1, "is after today"),
        (["--audience", "boss"], 2, "boss"),
    ],
)
def test_rung_report_refuses_bad_options_and_writes_nothing(
    rung: Run, data: Path, tmp_path: Path, args: list[str], code: int, fragment: str
) -> None:
    assert_ok(rung("--data-dir", data, "demo"))
    before = folder_digest(data)
    out = tmp_path / "report.pdf"
    result = rung("--data-dir", data, "report", "--profile", DEMO_NAME, "--out", out, *args)
    assert_failed(result, code, fragment)
    assert not out.exists()
    assert folder_digest(data) == before


def test_rung_report_names_a_missing_folder_and_an_unknown_profile(
    rung: Run, data: Path, tmp_path: Path
) -> None:
    assert_ok(rung("--data-dir", data, "demo"))
    missing = tmp_path / "nowhere" / "report.pdf"
    assert_failed(
        rung("--data-dir", data, "report", "--profile", DEMO_NAME, "--out", missing),
        2,
        "does not exist",
    )
    assert_failed(
        rung("--data-dir", data, "report", "--profile", "Nobody", "--out", tmp_path / "r.pdf"),
        1,
        "Nobody",
    )
