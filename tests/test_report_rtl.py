"""Right-to-left script in the report: the order lines are drawn in, and Arabic joined.

These look at what a paragraph would draw (its lines in visual order) without
writing a PDF; `test_report_document.py` reads the glyphs back from real
reports. Expected visual strings are written out by hand, not computed with
the library under test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bidi.algorithm import get_display
from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.shapes import Group, String
from reportlab.lib.styles import ParagraphStyle

from app.charts import BarChart, BarSeries
from app.report import drawings, fonts, rtl
from app.report.fonts import BODY, BOLD, markup
from app.services.evidence import Impact

STYLE = ParagraphStyle("body", fontName=BODY, fontSize=10, leading=13)
HEBREW = "דנה לוי"
HEBREW_DRAWN = "יול הנד"
ARABIC = "ليلى حداد"
# ليلى حداد joined (lam initial, yeh medial, lam medial, alef maksura final; hah initial,
# dal final, alef and dal isolated: they join only to the letter before), in visual order.
ARABIC_DRAWN = "\ufea9\ufe8d\ufeaa\ufea3 \ufef0\ufee0\ufef4\ufedf"


def drawn(paragraph: Any, width: float = 400) -> list[str]:
    """The text of each line `paragraph` draws, in drawing order (left to right)."""
    paragraph.wrap(width, 1000)
    level = paragraph._level
    lines = paragraph.blPara.lines
    if level is not None:
        lines = rtl.visual_lines(lines, level, getattr(paragraph.blPara, "fontName", BODY))
    return [
        " ".join(line[1]) if isinstance(line, tuple) else "".join(f.text for f in line.words)
        for line in lines
    ]


def test_a_hebrew_name_is_drawn_right_to_left() -> None:
    assert drawn(rtl.Paragraph(markup(HEBREW), STYLE)) == [HEBREW_DRAWN]


def test_arabic_is_joined_and_drawn_right_to_left() -> None:
    assert rtl.shape("لا") == "\ufefb"  # lam-alef: one ligature
    assert drawn(rtl.Paragraph(markup(ARABIC), STYLE)) == [ARABIC_DRAWN]
    assert rtl.visual(ARABIC) == ARABIC_DRAWN  # a chart label


def test_joining_keeps_every_character_typed_and_is_done_once() -> None:
    vowelled = "مَرْحَبًا"  # with harakat (vowel marks)
    shaped = rtl.shape(vowelled)
    marks = [char for char in vowelled if "\u064b" <= char <= "\u0652"]
    assert [char for char in shaped if "\u064b" <= char <= "\u0652"] == marks
    assert rtl.shape(shaped) == shaped
    assert rtl.shape("Zoë 李雷 & <b>") == "Zoë 李雷 & <b>"


@pytest.fixture
def broken_reshaper_configuration(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[None]:
    """arabic-reshaper imported afresh with its configuration file missing."""
    for name in [name for name in sys.modules if name.split(".")[0] == "arabic_reshaper"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setenv("PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE", str(tmp_path / "none.ini"))
    rtl._reshaper.cache_clear()
    yield
    rtl._reshaper.cache_clear()


@pytest.mark.usefixtures("broken_reshaper_configuration")
def test_a_wrong_reshaper_configuration_leaves_arabic_unjoined_not_broken() -> None:
    assert rtl.shape(ARABIC) == ARABIC
    assert drawn(rtl.Paragraph(markup(ARABIC), STYLE)) == [ARABIC[::-1]]


def test_each_line_is_reordered_after_the_paragraph_is_broken() -> None:
    """The first line holds the first words typed, the last line the last ones."""
    words = ["אחת", "שתיים", "שלוש", "ארבע", "חמש", "שש"]
    lines = drawn(rtl.Paragraph(markup(" ".join(words)), STYLE), width=60)
    assert len(lines) > 1
    assert lines[0].split() == [word[::-1] for word in reversed(words[:2])]
    # Every line is a run of consecutive words, reversed.
    rejoined = [word[::-1] for line in lines for word in reversed(line.split())]
    assert rejoined == words


def test_mixed_text_keeps_its_markup_like_characters_and_its_order() -> None:
    text = "Met with דנה לוי (CTO) & <b>x</b> 3 times"
    assert drawn(rtl.Paragraph(markup(text), STYLE)) == [
        "Met with יול הנד (CTO) & <b>x</b> 3 times"
    ]
    # User text taking its direction from its first letter: brackets mirror, numbers read
    # left to right.
    for logical, visual in (
        ("פגישה (עם דנה) 2026", "2026 (הנד םע) השיגפ"),
        ("פגישה עם CTO ב-2026", "2026-ב CTO םע השיגפ"),
    ):
        assert drawn(rtl.Paragraph(markup(logical), STYLE, direction=rtl.AUTO)) == [visual]


def test_a_line_in_several_fonts_is_reordered_across_them() -> None:
    paragraph = rtl.Paragraph(
        f'<font name="{BOLD}">Label</font> — {markup("李雷 " + HEBREW + " 승진")}', STYLE
    )
    paragraph.wrap(400, 1000)
    line = rtl.visual_lines(paragraph.blPara.lines, 0, BODY)[0]
    pieces = [(frag.fontName, frag.text) for frag in line.words]
    assert "".join(text for _font, text in pieces) == f"Label — 李雷 {HEBREW_DRAWN} 승진"
    assert pieces[0] == (BOLD, "Label")
    assert (fonts.CJK, "李雷 ") in pieces
    assert (BODY, HEBREW_DRAWN + " ") in pieces


def strings(node: Any) -> list[str]:
    """The text of every string a drawing draws."""
    if isinstance(node, String):
        return [node.text]
    if isinstance(node, Group):  # a Drawing is one too
        return [text for child in node.contents for text in strings(child)]
    return []


def test_chart_labels_are_drawn_right_to_left() -> None:
    chart = BarChart(
        title="Milestones by horizon",
        y_label=ARABIC,
        categories=["30 days", HEBREW],
        stacks=[BarSeries(name="Done", values=[3, 1])],
    )
    drawn_strings = strings(drawings.bar_chart(chart, 460, 200))
    assert HEBREW_DRAWN in drawn_strings
    assert ARABIC_DRAWN in drawn_strings
    assert HEBREW not in drawn_strings


def test_a_composed_line_keeps_the_pages_direction_and_user_text_can_take_its_own() -> None:
    text = "2026-02-02 — " + markup(HEBREW)
    assert drawn(rtl.Paragraph(text, STYLE)) == [f"2026-02-02 — {HEBREW_DRAWN}"]
    assert drawn(rtl.Paragraph(text, STYLE, direction=rtl.AUTO)) == [f"{HEBREW_DRAWN} — 2026-02-02"]
    sentence = markup(f"{HEBREW}'s ratings")  # the report's English around a Hebrew name
    assert drawn(rtl.Paragraph(sentence, STYLE)) == [f"{HEBREW_DRAWN}'s ratings"]


def test_left_to_right_text_is_reportlabs_own() -> None:
    paragraph = rtl.Paragraph(markup("Zoë 李雷 & <b>(1)</b>"), STYLE)
    assert paragraph._level is None
    assert drawn(paragraph) == ["Zoë 李雷 & <b>(1)</b>"]


def test_pieces_of_a_split_paragraph_keep_its_direction() -> None:
    # Right to left from its first letter; the second piece starts with a Latin word.
    paragraph = rtl.Paragraph(markup("שלום " + "abc " * 40), STYLE, direction=rtl.AUTO)
    paragraph.wrap(100, 1000)
    first, second = paragraph.split(100, 30)
    assert first._level == second._level == 1


def test_combining_marks_follow_their_letter() -> None:
    """Fonts without mark positioning draw a mark over the letter before it (rule L3)."""
    order = rtl.visual_order("שָׁלוֹם", 1)
    assert "".join(char for _index, char in order) == "םוֹלשָׁ"


# Hebrew and Arabic letters, Latin letters, European and Arabic-Indic digits,
# spaces, brackets and punctuation.
MIXED = st.text(
    alphabet=st.sampled_from(
        list("אבגדהשת" + "لمحبى" + "abcXYZ" + "0129" + "٣٤" + " ().,-:/<>&[]")
    ),
    max_size=40,
)


@given(text=MIXED, level=st.sampled_from([0, 1]))
def test_drawing_order_is_python_bidis_and_draws_each_character_once(text: str, level: int) -> None:
    order = rtl.visual_order(text, level)
    assert "".join(char for _index, char in order) == get_display(text, base_dir="LR"[level])
    assert sorted(index for index, _char in order) == list(range(len(text)))


def test_a_metric_after_right_to_left_words_keeps_its_brackets() -> None:
    line = Impact(outcome="p95 ירד", metric_value=90, metric_unit="ms").line()
    assert line is not None
    assert drawn(rtl.Paragraph(markup(line), STYLE)) == ["p95 דרי (\u200e90 ms)"]
    assert (
        Impact(outcome="p95 down", metric_value=90, metric_unit="ms").line() == "p95 down (90 ms)"
    )
