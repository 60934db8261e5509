"""Right-to-left script in the report: Arabic letters joined, every line in visual order.

ReportLab draws a line's characters left to right in the order they are
stored. Hebrew and Arabic are stored first letter first and read right to
left, so each word would print backwards, and each Arabic letter in its
isolated form. Here arabic-reshaper swaps Arabic letters for their joined
(presentation) forms before a paragraph is broken into lines, so that the
widths measured are those printed; then, as each line is drawn, the Unicode
Bidirectional Algorithm (python-bidi's `bidi.algorithm`, the very steps of its
`get_display`) puts that line in visual order. Reordering after the line
breaks keeps every word on the line the logical text gave it.

The report's own sentences are English, so a paragraph is left-to-right
unless it is asked to take its direction from its text ("auto": that of its
first strong character, rules P2 and P3) — which suits text that is wholly
the user's, such as a note or a rationale written in Hebrew. "דנה's ratings:
…" stays an English sentence with a Hebrew name in it. Lines stay where the
page puts them (left-aligned); only their contents are reordered.

Only what is drawn is reordered. Text copied out of the page comes from the
glyphs (poppler's `pdftotext` puts right-to-left runs back in logical order;
joined Arabic letters come out as presentation forms, equal under NFKC); the
outline and the metadata keep the text as typed.

A limit: python-bidi's algorithm predates the pairing of brackets (Unicode
6.3, rule N0), so brackets around text of the other direction, as in
"פגישה (עם CTO)", may print facing the same way.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from bidi import algorithm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.platypus import Paragraph as _Paragraph  # type: ignore[import-untyped]

from app.report import fonts

# Characters that can make a line right-to-left: the blocks of the right-to-left scripts
# (Hebrew, Arabic, Syriac, Thaana, N'Ko ... and their presentation forms) and the
# right-to-left marks, embeddings, overrides and isolates. Text without any is drawn as it is.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u200f\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]")
Direction = Literal["ltr", "rtl"]
AUTO: Literal["auto"] = "auto"  # the direction of the text's first strong character
_LEVELS: dict[Direction, int] = {"ltr": 0, "rtl": 1}
# Stands for an inline object (an image, an anchor) when a line is reordered.
_OBJECT = "\ufffc"


def has_rtl(text: str) -> bool:
    """Whether `text` holds anything that could be drawn right to left."""
    return _RTL.search(text) is not None


def base_level(text: str) -> int:
    """0 when `text` is a left-to-right paragraph, 1 when right-to-left (its first strong
    character decides; none: left to right)."""
    return int(algorithm.get_base_level(text))


@cache
def _glyphs(font_name: str) -> Mapping[int, int] | None:
    """Code point -> glyph of `font_name`; None for a font that is not TrueType."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return getattr(face, "charToGlyph", None)


def _has(font_name: str, char: str) -> bool:
    """Whether `font_name` has a glyph of its own for `char` (glyph 0 is "missing")."""
    glyphs = _glyphs(font_name)
    return glyphs is None or bool(glyphs.get(ord(char)))


@cache
def _reshaper() -> Any | None:
    """A reshaper that keeps every character typed (vowel marks too) and makes only the
    ligatures the body face has glyphs for; None if arabic-reshaper cannot start.

    arabic-reshaper reads the file `PYTHON_ARABIC_RESHAPER_CONFIGURATION_FILE`
    names, if any, as it is imported: every setting is given here so that the
    file changes nothing, and a wrong file leaves Arabic letters unjoined
    rather than break an export.
    """
    fonts.register()
    settings: dict[str, str | bool] = {
        "language": "Arabic",
        "delete_harakat": False,
        "shift_harakat_position": False,  # marks are put after their letter in `visual_order`
        "delete_tatweel": False,
        "support_zwj": True,
        "use_unshaped_instead_of_isolated": False,
        "support_ligatures": True,
    }
    try:
        from arabic_reshaper import ArabicReshaper  # type: ignore[import-untyped]
        from arabic_reshaper.ligatures import LIGATURES  # type: ignore[import-untyped]

        for name, (_match, forms) in LIGATURES:
            settings[name] = all(_has(fonts.BODY, char) for form in forms for char in form)
        return ArabicReshaper(configuration=settings)
    except (ValueError, configparser.Error):  # a missing, unreadable or malformed file
        return None


def shape(text: str, font_name: str = fonts.BODY) -> str:
    """`text` with its Arabic letters in their joined forms, where `font_name` has them.

    Letters join only within a word, so a word whose joined forms the face lacks
    keeps its letters as typed.
    """
    reshaper = _reshaper() if _ARABIC.search(text) else None
    if reshaper is None:
        return text
    shaped = str(reshaper.reshape(text))
    if all(_has(font_name, char) for char in set(shaped)):
        return shaped
    words = []
    for word in text.split(" "):
        joined = str(reshaper.reshape(word))
        words.append(joined if all(_has(font_name, char) for char in joined) else word)
    return " ".join(words)


def visual_order(text: str, level: int) -> list[tuple[int, str]]:
    """One line of `text` in drawing order, left to right: for each character drawn, its
    index in `text` and the character to draw (a mirrored bracket where the line runs right
    to left). `level` is the paragraph's (`base_level`).

    The rules are python-bidi's (X1–X10, W, N, I and L1–L2, L4, as in its
    `get_display`), followed by L3: a combining mark is drawn after its base
    character, as fonts without mark positioning expect. Explicit formatting
    characters, which are invisible, are left out (rule X9).
    """
    storage = algorithm.get_empty_storage()
    storage["base_level"] = level
    storage["base_dir"] = "LR"[level]
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    chars = storage["chars"]
    # L3: in a right-to-left run, marks now precede their base; put the base first.
    start = 0
    while start < len(chars):
        end = start
        while end < len(chars) and chars[end]["level"] % 2 and chars[end]["orig"] == "NSM":
            end += 1
        if end > start and end < len(chars) and chars[end]["level"] % 2:
            chars[start : end + 1] = [chars[end], *reversed(chars[start:end])]
        start = end + 1
    return [(char["index"], char["ch"]) for char in chars]


def visual(text: str, font_name: str = fonts.BODY) -> str:
    """A single line of text (a chart label) as drawn: shaped and in visual order."""
    if not has_rtl(text):
        return text
    shaped = shape(text, font_name)
    return "".join(char for _index, char in visual_order(shaped, base_level(shaped)))


def _simple_line(words: list[str], level: int, font_name: str) -> list[str]:
    """A line of a paragraph in one font (a list of words), in visual order."""
    text = " ".join(words)
    drawn = []
    for index, char in visual_order(text, level):
        drawn.append(char if char == text[index] or _has(font_name, char) else text[index])
    return "".join(drawn).split(" ")


def _frag_line(line: Any, level: int) -> Any:
    """A line of a paragraph in several fonts or styles (a list of fragments), in visual
    order: each fragment is cut where the line's order leaves it, and each piece keeps
    its fragment's font, colour and links."""
    frags = line.words
    owners: list[int] = []
    pieces: list[str] = []
    for number, frag in enumerate(frags):
        text = _OBJECT if hasattr(frag, "cbDefn") else frag.text
        pieces.append(text)
        owners += [number] * len(text)
    text = "".join(pieces)
    runs: list[tuple[int, list[str]]] = []
    for index, char in visual_order(text, level):
        number = owners[index]
        font_name = getattr(frags[number], "fontName", fonts.BODY)
        if char != text[index] and not _has(font_name, char):
            char = text[index]  # no mirrored glyph: the character as typed
        if runs and runs[-1][0] == number:
            runs[-1][1].append(char)
        else:
            runs.append((number, [char]))
    words = [
        frags[number] if hasattr(frags[number], "cbDefn") else frags[number].clone(text="".join(c))
        for number, c in runs
    ]
    return line.clone(words=words)


def visual_lines(lines: list[Any], level: int, font_name: str) -> list[Any]:
    """A broken paragraph's lines (`Paragraph.blPara.lines`), each in visual order.

    A line is either (extra space, words) in the paragraph's one font
    `font_name`, or a line of fragments. A left-to-right paragraph's lines
    without a right-to-left character are kept as they are.
    """
    drawn = []
    for line in lines:
        if isinstance(line, tuple):
            extra, words = line[0], line[1]
            if level or has_rtl(" ".join(words)):
                line = (extra, _simple_line(words, level, font_name), *line[2:])
        else:
            text = "".join(getattr(frag, "text", "") for frag in line.words)
            if level or has_rtl(text):
                line = _frag_line(line, level)
        drawn.append(line)
    return drawn


class BidiParagraph(_Paragraph):  # type: ignore[misc]
    """A platypus `Paragraph` that prints right-to-left script: Arabic letters joined
    before the lines are broken, each line drawn in visual order.

    The paragraph is left to right, the page's direction, unless `direction`
    says otherwise: `AUTO` (its text's, see the module) suits text that is
    wholly the user's. A paragraph without a right-to-left character is
    ReportLab's own, at the cost of one search of its text. Pieces it splits
    into keep its direction.
    """

    frags: list[Any]
    blPara: Any
    _level: int | None = None  # the paragraph's base level; None: nothing right to left

    def __init__(
        self,
        text: str | None,
        *args: Any,
        direction: Direction | Literal["auto"] = "ltr",
        **kwargs: Any,
    ) -> None:
        super().__init__(text, *args, **kwargs)
        text = "".join(
            frag.text for frag in self.frags if isinstance(getattr(frag, "text", None), str)
        )
        if not has_rtl(text) and direction != "rtl":
            return
        self.frags = [
            frag.clone(text=shape(frag.text, getattr(frag, "fontName", fonts.BODY)))
            if isinstance(getattr(frag, "text", None), str) and _ARABIC.search(frag.text)
            else frag
            for frag in self.frags
        ]
        self._level = base_level(text) if direction == AUTO else _LEVELS[direction]

    @property
    def direction(self) -> Direction:
        """The direction its lines are drawn in, for a piece cut from it to keep."""
        return "rtl" if self._level == 1 else "ltr"

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        parts = list(super().split(avail_width, avail_height))
        for part in parts:
            if isinstance(part, BidiParagraph) and self._level is not None:
                part._level = self._level
        return parts

    def drawPara(self, debug: int = 0) -> None:
        """Draw the paragraph with its lines in visual order, its lines as broken kept."""
        if self._level is None:
            super().drawPara(debug)
            return
        logical = self.blPara
        font_name = getattr(logical, "fontName", fonts.BODY)
        self.blPara = logical.clone(lines=visual_lines(logical.lines, self._level, font_name))
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


# The name the layout uses, typed like ReportLab's own (untyped) `Paragraph` that it
# replaces, so that code written against that one type-checks unchanged.
Paragraph: Any = BidiParagraph
