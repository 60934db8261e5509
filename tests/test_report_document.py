"""The report as a PDF file: embedded fonts and subset tags.

Real reports are built through the report service and read back with pypdf
and poppler's `pdffonts` (each test that needs it skips, saying so, where it
is not installed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from app.report.model import ReportOptions
from app.report.service import ReportService
from app.report.subsets import subset_tag
from app.services import Services
from app.services.demo import create_demo
from tests.helpers import private_profile

TODAY = date(2026, 6, 15)
STANDARD_FONTS = (
    "Helvetica",
    "Times",
    "Courier",
    "Symbol",
    "ZapfDingbats",
)
HEBREW = "דנה לוי"
ARABIC = "ليلى حداد"
HOSTILE = "<b>Zoë</b> & 李雷 승진 דנה 🚀"
# 300 distinct Han characters: more than one 256-glyph subset of the CJK face.
MANY_HAN = "".join(chr(0x4E00 + i) for i in range(300))


def pdf(services: Services, profile_id: str, **options: Any) -> bytes:
    return ReportService(services).pdf(profile_id, ReportOptions(**options), today=TODAY)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: poppler-utils / qpdf)")
    return path


def write(tmp_path: Path, data: bytes, name: str = "report.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def pdffonts(path: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font pdffonts lists, from all pages and forms."""
    result = subprocess.run(
        [tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    )
    lines = result.stdout.splitlines()
    assert lines[1].startswith("-----"), result.stdout
    rows = []
    for line in lines[2:]:
        name, *rest = line.split()
        emb = rest[-5]  # type encoding emb sub uni object ID: emb is the 5th from the end
        rows.append((name, emb))
    return rows


def font_objects(data: bytes) -> list[DictionaryObject]:
    """Every font dictionary in the file, referenced from a page, a form or nowhere."""
    reader = PdfReader(BytesIO(data))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Font":
            found.append(obj)
    return found


@pytest.fixture
def hostile_profile(services: Services, tmp_path: Path) -> str:
    """A profile whose name and texts are CJK, right-to-left, emoji and markup-like, with
    more Han characters in a (private) note than one font subset holds."""
    profile_id = private_profile(services, tmp_path, name=HOSTILE)
    services.identity.set(name=HOSTILE)
    for day, title in enumerate((HEBREW, ARABIC, "<i>&amp; 🚀</i>", "李雷的晋升报告 (v2)"), 2):
        services.evidence.add(profile_id, day=date(2026, 2, day), title=title)
    services.plan.add_goal(profile_id, title="승진 준비 & <b>", notes=MANY_HAN)
    return profile_id


@pytest.fixture
def hostile(services: Services, hostile_profile: str) -> bytes:
    return pdf(services, hostile_profile, include_private=True)


@pytest.fixture
def demo_packet(services: Services) -> bytes:
    demo = create_demo(services.store, services.frameworks, services.profiles, today=TODAY)
    return pdf(services, demo, audience="packet")


# -- 1. fonts ------------------------------------------------------------------------


def test_every_font_any_page_or_form_uses_is_embedded(hostile: bytes, tmp_path: Path) -> None:
    rows = pdffonts(write(tmp_path, hostile))
    assert rows
    assert [name for name, emb in rows if emb != "yes"] == []
    assert not any(name.startswith(STANDARD_FONTS) for name, _emb in rows)
    # Also every font object in the file, whoever refers to it (the page-number forms too).
    fonts_in_file = font_objects(hostile)
    assert len(fonts_in_file) == len(rows)
    for font in fonts_in_file:
        assert font["/Subtype"] == "/TrueType", font
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    forms = [
        ref.get_object()
        for page in PdfReader(BytesIO(hostile)).pages
        for ref in page["/Resources"].get("/XObject", {}).values()
    ]
    assert forms  # "Page X of Y"
    for form in forms:
        for ref in form["/Resources"]["/Font"].values():
            assert "/FontFile2" in ref.get_object()["/FontDescriptor"].get_object()


def test_the_demo_packet_refers_to_no_standard_font(demo_packet: bytes, tmp_path: Path) -> None:
    rows = pdffonts(write(tmp_path, demo_packet))
    assert {emb for _name, emb in rows} == {"yes"}
    text = "\n".join(str(font["/BaseFont"]) for font in font_objects(demo_packet))
    assert not any(name in text for name in STANDARD_FONTS)


# -- 2. subset tags ------------------------------------------------------------------


def test_each_subset_has_a_tag_of_its_own_and_the_same_one_each_time(
    services: Services, tmp_path: Path, hostile_profile: str, hostile: bytes
) -> None:
    names = [name for name, _emb in pdffonts(write(tmp_path, hostile))]
    assert all(re.fullmatch(r"[A-Z]{6}\+[\w-]+", name) for name in names), names
    tags = [name.split("+")[0] for name in names]
    assert len(set(tags)) == len(tags), names
    faces = [name.split("+")[1] for name in names]
    assert faces.count("DroidSansFallback") >= 2  # the Han characters filled two subsets
    assert {"DejaVuSans", "DejaVuSans-Bold", "NanumGothic"} <= set(faces)
    # The same report (same content, same day) gets the same tags.
    again = pdf(services, hostile_profile, include_private=True)
    assert [name for name, _emb in pdffonts(write(tmp_path, again, "again.pdf"))] == names


def test_a_tag_already_taken_moves_on() -> None:
    first = subset_tag("DejaVuSans", [0, 32, 65], set())
    assert re.fullmatch(r"[A-Z]{6}", first)
    assert subset_tag("DejaVuSans", [0, 32, 65], set()) == first
    second = subset_tag("DejaVuSans", [0, 32, 65], {first})
    assert second != first
    assert re.fullmatch(r"[A-Z]{6}", second)
