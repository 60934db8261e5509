"""The report's fonts: user text in any script prints exactly as typed, and only as text.

Each case builds a real PDF with ReportLab and reads it back with pypdf, so a
glyph missing from the bundled fonts, a ToUnicode map that loses characters or
markup that ReportLab interprets all show up as a difference in the text.
"""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.paths import resources_dir
from app.report import fonts
from app.report.fonts import BODY, BOLD, CJK, KOREAN, font_for, markup, register, runs

STYLE = ParagraphStyle("body", fontName=BODY, fontSize=10, leading=13)
EMBEDDED = {"DejaVuSans", "DejaVuSans-Bold", "DroidSansFallback", "NanumGothic"}

ROUND_TRIPS = [
    "<b>not bold</b> & <font size=99>",
    '<img src="/etc/hostname"/>',
    "&amp; &nbsp; &lt;",
    "Καλημέρα κόσμε",
    "Привет, мир",
    "李雷的晋升报告",
    "昇進の準備ができています",
    "ひらがな カタカナ",
    "승진 준비 보고서",
    "Zoë 李雷 승진 Привет",
    "Zoë <i>李雷</i> & 승진 </font> Привет",
]


def build(*paragraphs: str) -> bytes:
    """A PDF of one Paragraph per markup string, using only the bundled fonts."""
    register()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, initialFontName=BODY)
    doc.build([Paragraph(text, STYLE) for text in paragraphs])
    return out.getvalue()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def words(text: str) -> str:
    return " ".join(text.split())


def base_fonts(pdf: bytes) -> set[str]:
    """The /BaseFont of every font the pages use, each checked to be embedded."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    return names


@pytest.mark.parametrize("text", ROUND_TRIPS)
def test_text_round_trips_exactly(text: str) -> None:
    assert words(text_of(build(markup(text)))) == words(text)


def test_mixed_scripts_use_each_bundled_face_and_nothing_else() -> None:
    pdf = build(markup("Zoë 李雷 승진 Привет"), f"<b>{markup('Zoë 李雷 승진')}</b>")
    names = base_fonts(pdf)
    assert all(re.fullmatch(r"/[A-Z]{6}\+[\w-]+", name) for name in names), names  # subset
    assert {name.split("+", 1)[1] for name in names} == EMBEDDED
    assert b"Helvetica" not in pdf
    assert words(text_of(pdf)) == "Zoë 李雷 승진 Привет Zoë 李雷 승진"


def test_registered_faces_come_from_the_bundled_files() -> None:
    register()
    folder = resources_dir() / "fonts"
    for name in (BODY, BOLD, CJK, KOREAN):
        assert Path(pdfmetrics.getFont(name).face.filename).parent == folder


def test_register_twice_keeps_the_same_fonts() -> None:
    register()
    before = pdfmetrics.getFont(CJK)
    register()
    assert pdfmetrics.getFont(CJK) is before


def test_register_from_many_threads_loads_each_face_once(monkeypatch: pytest.MonkeyPatch) -> None:
    register()
    monkeypatch.setattr(fonts, "_coverage", None)
    loaded: list[str] = []
    real = pdfmetrics.registerFont
    monkeypatch.setattr(
        pdfmetrics, "registerFont", lambda font: loaded.append(font.fontName) or real(font)
    )
    threads = [threading.Thread(target=register) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(loaded) == sorted(fonts.FILES)
    assert markup("李雷") == '<font face="Rung-CJK">李雷</font>'


def test_an_img_tag_is_printed_and_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    monkeypatch.setattr("reportlab.platypus.paraparser.ImageReader", opened.append)
    hostile = f'<img src="{tmp_path / "missing.png"}"/> and <img src="https://example.com/x.png"/>'
    assert words(text_of(build(markup(hostile)))) == hostile
    assert opened == []


def test_entities_stay_literal() -> None:
    assert markup("&nbsp; &#60; &lt;") == "&amp;nbsp; &amp;#60; &amp;lt;"


def test_line_breaks_survive() -> None:
    """An empty line in a note stays an empty line: two leadings between its neighbours."""
    assert markup("one\ntwo\r\nthree\rfour") == "one<br/>two<br/>three<br/>four"
    pdf = build(markup("first paragraph\n\nsecond Ελλάδα\nthird"))
    lines: list[tuple[str, float]] = []
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda text, _cm, tm, _font, _size: (
            text.strip() and lines.append((text.strip(), tm[5]))
        )
    )
    [(first, y1), (second, y2), (third, y3)] = lines
    assert (first, second, third) == ("first paragraph", "second Ελλάδα", "third")
    assert (y1 - y2, y2 - y3) == (2 * STYLE.leading, STYLE.leading)


def test_runs_of_spaces_keep_their_width() -> None:
    assert text_of(build(markup("a  b   c"))).strip() == "a  b   c"


def test_emoji_print_as_replacement_glyphs() -> None:
    assert markup("🚀🎉 shipped") == "\ufffd\ufffd shipped"
    assert words(text_of(build(markup("🚀🎉 shipped")))) == "\ufffd\ufffd shipped"


def test_control_characters_never_break_the_build() -> None:
    text = "".join(map(chr, range(32))) + "\x7f\x85 end"
    unprintable_before, unprintable_after = "\ufffd" * 9, "\ufffd" * 19  # 0-8; 14-31 and DEL
    assert markup(text) == f"{unprintable_before}\t<br/><br/><br/><br/>{unprintable_after}<br/> end"
    assert words(text_of(build(markup(text)))) == f"{unprintable_before} {unprintable_after} end"


def test_runs_split_by_face_and_keep_spaces_and_punctuation() -> None:
    assert runs("") == []
    assert runs("Zoë, Привет") == [(BODY, "Zoë, Привет")]
    assert runs("Zoë 李雷 승진 Привет") == [
        (BODY, "Zoë "),
        (CJK, "李雷 "),
        (KOREAN, "승진 "),
        (BODY, "Привет"),
    ]
    assert runs("승진 준비, 李雷。") == [(KOREAN, "승진 준비, "), (CJK, "李雷。")]


def test_markup_wraps_only_other_faces() -> None:
    assert markup("Zoë <李雷>") == 'Zoë &lt;<font face="Rung-CJK">李雷</font>&gt;'


def test_font_for_picks_the_face_covering_most() -> None:
    assert font_for("") == BODY
    assert font_for("Zoë Привет") == BODY
    assert font_for("李雷的晋升报告") == CJK
    assert font_for("승진 준비") == KOREAN
    assert font_for("🚀") == BODY


def test_chart_labels_draw_in_one_face() -> None:
    register()
    drawing = Drawing(200, 60, initialFontName=BODY)  # else its state starts in Helvetica
    for y, label in enumerate(("Zoë", "李雷的晋升报告", "승진 준비")):
        drawing.add(String(10, 10 + 20 * y, label, fontName=font_for(label), fontSize=10))
    out = io.BytesIO()
    SimpleDocTemplate(out, initialFontName=BODY).build([drawing])
    pdf = out.getvalue()
    assert {name.split("+", 1)[1] for name in base_fonts(pdf)} == {
        "DejaVuSans",
        "DroidSansFallback",
        "NanumGothic",
    }
    assert set(text_of(pdf).split()) == {"Zoë", "李雷的晋升报告", "승진", "준비"}


@settings(deadline=None, max_examples=60)
@given(st.text())
def test_any_text_builds(text: str) -> None:
    assert "".join(segment for _face, segment in runs(text)) == text
    build(markup(text), f"<b>{markup(text)}</b>")
