"""The report as a PDF file: embedded fonts, subset tags, the catalog and metadata,
right-to-left text as drawn, and a file qpdf finds sound.

Real reports are built through the report service and read back with pypdf
and poppler's `pdffonts` and `pdftotext` and with `qpdf` (each test that
needs a tool skips, saying so, where it is not installed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

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
HEBREW_DRAWN = "יול הנד"  # the same name, its letters in drawing order (left to right)
ARABIC = "ليلى حداد"
# The same name joined (presentation forms) and in drawing order.
ARABIC_DRAWN = "\ufea9\ufe8d\ufeaa\ufea3 \ufef0\ufee0\ufef4\ufedf"
MIXED = "Met with דנה לוי (CTO) & <b>3</b> items"
MIXED_DRAWN = "Met with יול הנד (CTO) & <b>3</b> items"
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


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """A subset font's code -> text map, from its ToUnicode CMap (one byte per code)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
    assert "bfrange" not in cmap  # ReportLab writes single characters only
    pairs = "".join(re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S))
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]+)>", pairs)
    }


def drawn_lines(data: bytes, page_index: int) -> list[str]:
    """The text of each line a page draws, its glyphs in the order drawn (left to right
    on the line), decoded through each font's ToUnicode map."""
    reader = PdfReader(BytesIO(data))
    page = reader.pages[page_index]
    maps = {
        name: _to_unicode(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()
    }
    lines: list[str] = []
    line: list[str] = []
    table: dict[int, str] = {}
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            table = maps[operands[0]]
        elif operator == b"Tj":
            raw = getattr(operands[0], "original_bytes", None) or bytes(operands[0])
            line.append("".join(table[code] for code in raw))
        elif operator in (b"T*", b"ET") and line:
            lines.append("".join(line))
            line = []
    return lines


def all_drawn_lines(data: bytes) -> list[str]:
    count = len(PdfReader(BytesIO(data)).pages)
    return [line for index in range(count) for line in drawn_lines(data, index)]


def pdftotext(path: Path, page: int) -> str:
    """One page's text as poppler extracts it, without the bidi controls it adds."""
    result = subprocess.run(
        [tool("pdftotext"), "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", result.stdout)


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
    titles = (HEBREW, ARABIC, "<i>&amp; 🚀</i>", "李雷的晋升报告 (v2)", MIXED)
    for day, title in enumerate(titles, 2):
        services.evidence.add(profile_id, day=date(2026, 2, day), title=title)
    services.plan.add_goal(profile_id, title="승진 준비 & <b>", notes=MANY_HAN)
    return profile_id


@pytest.fixture
def hostile(services: Services, hostile_profile: str) -> bytes:
    return pdf(services, hostile_profile, include_private=True)


@pytest.fixture
def hebrew(services: Services, tmp_path: Path) -> bytes:
    """A report on a profile with a Hebrew name, made by an owner of that name."""
    profile_id = private_profile(services, tmp_path, name=HEBREW)
    services.identity.set(name=HEBREW)
    return pdf(services, profile_id)


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


# -- 3. the catalog and the metadata -------------------------------------------------

XMP_NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}


def xmp_properties(reader: PdfReader) -> dict[str, list[str]]:
    """The XMP packet's properties as "prefix:name" -> values (a list's items in order)."""
    stream = reader.trailer["/Root"]["/Metadata"].get_object()
    assert (stream["/Type"], stream["/Subtype"]) == ("/Metadata", "/XML")
    root = ET.fromstring(stream.get_data())
    description = root.find("rdf:RDF/rdf:Description", XMP_NAMESPACES)
    assert description is not None
    prefixes = {uri: prefix for prefix, uri in XMP_NAMESPACES.items()}
    found = {}
    for element in description:
        uri, name = element.tag[1:].split("}")
        items = element.iter(f"{{{XMP_NAMESPACES['rdf']}}}li")
        found[f"{prefixes[uri]}:{name}"] = [item.text or "" for item in items] or [
            element.text or ""
        ]
    return found


def as_xmp_date(value: str) -> str:
    """A PDF date, "D:YYYYMMDDHHmmSS+HH'mm'", as XMP writes one."""
    match = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-]\d\d)'(\d\d)'", value)
    assert match, value
    year, month, day, hour, minute, second, zone_hours, zone_minutes = match.groups()
    return f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone_hours}:{zone_minutes}"


def test_the_catalog_names_the_language_and_labels_the_pages(hostile: bytes) -> None:
    reader = PdfReader(BytesIO(hostile))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    # As the footers count: "Page 1 of N" is the cover.
    assert reader.page_labels == [str(number) for number in range(1, len(reader.pages) + 1)]


def test_xmp_metadata_repeats_the_info_dictionary(hostile: bytes) -> None:
    reader = PdfReader(BytesIO(hostile))
    info = reader.metadata
    assert info is not None
    xmp = xmp_properties(reader)
    assert xmp["dc:title"] == [info["/Title"]]
    assert HOSTILE in info["/Title"]  # markup-like characters and all, escaped in XML
    assert xmp["dc:creator"] == [info["/Author"]] == [HOSTILE]
    assert xmp["dc:description"] == [info["/Subject"]]
    assert xmp["dc:language"] == ["en"]
    assert xmp["dc:format"] == ["application/pdf"]
    assert xmp["pdf:Producer"] == [info["/Producer"]]
    assert xmp["xmp:CreatorTool"] == [info["/Creator"]]
    assert xmp["xmp:CreateDate"] == [as_xmp_date(info["/CreationDate"])]
    assert xmp["xmp:ModifyDate"] == [as_xmp_date(info["/ModDate"])]
    datetime.fromisoformat(xmp["xmp:CreateDate"][0])


@pytest.fixture
def half_hour_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time 5 h 30 min ahead of UTC, as in India."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TZ", "IST-5:30")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("half_hour_zone")
def test_dates_keep_an_offset_of_a_half_hour(services: Services, hostile_profile: str) -> None:
    """ReportLab on its own writes +05'00' for +05:30."""
    reader = PdfReader(BytesIO(pdf(services, hostile_profile)))
    info = reader.metadata
    assert info is not None
    assert info["/CreationDate"].endswith("+05'30'")
    assert xmp_properties(reader)["xmp:CreateDate"] == [as_xmp_date(info["/CreationDate"])]


# -- 4. right-to-left text -----------------------------------------------------------


def test_a_hebrew_name_is_drawn_right_to_left_and_copies_out_as_typed(
    hebrew: bytes, tmp_path: Path
) -> None:
    cover = drawn_lines(hebrew, 0)
    assert HEBREW_DRAWN in cover
    assert HEBREW not in cover
    assert HEBREW_DRAWN in drawn_lines(hebrew, 1)  # the running header
    # A reader that knows right-to-left script puts the glyphs back in the order typed.
    assert HEBREW in pdftotext(write(tmp_path, hebrew), 1).splitlines()


def test_arabic_is_joined_and_mixed_text_prints_as_typed(hostile: bytes) -> None:
    lines = all_drawn_lines(hostile)
    # An evidence heading starts with its number, so the line runs left to right and each
    # right-to-left title is drawn in its own visual order after the number and date.
    assert f"E3 · 2026-02-02 · {HEBREW_DRAWN}" in lines
    assert f"E4 · 2026-02-03 · {ARABIC_DRAWN}" in lines
    # A left-to-right line keeps its order and its markup-like characters.
    assert f"E7 · 2026-02-06 · {MIXED_DRAWN}" in lines
    assert "<b>Zoë</b> & 李雷 승진 הנד \ufffd" in drawn_lines(hostile, 0)  # emoji: U+FFFD


# -- 5. a sound file -----------------------------------------------------------------


@pytest.mark.parametrize("report", ["hostile", "demo_packet", "hebrew"])
def test_qpdf_finds_the_file_sound(
    report: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = write(tmp_path, request.getfixturevalue(report))
    result = subprocess.run(
        [tool("qpdf"), "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
