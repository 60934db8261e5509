"""The report's fonts: bundled TrueType faces, and user text made into safe Paragraph markup.

The PDF must print any script exactly as typed without relying on the
reader's fonts, so every face is embedded (ReportLab subsets it) from
`resources/fonts`. No single free TrueType font covers Latin, CJK and Hangul,
so text is split into runs, each in the first face that has its glyphs.
User text never reaches ReportLab's paragraph parser unescaped: it could
change formatting, break the build, or make ReportLab read a file (`<img>`).
"""

from __future__ import annotations

import re
import threading
from xml.sax.saxutils import escape

from app.paths import resources_dir

BODY = "Rung"
BOLD = "Rung-Bold"
CJK = "Rung-CJK"
KOREAN = "Rung-Korean"

# Font name -> file in resources/fonts.
FILES: dict[str, str] = {
    BODY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CJK: "DroidSansFallbackFull.ttf",
    KOREAN: "NanumGothic.ttf",
}
# The faces tried for each character, in order; what none covers stays in BODY.
FALLBACK = (BODY, CJK, KOREAN)

_LOCK = threading.Lock()
_coverage: dict[str, frozenset[int]] | None = None

# Every line break Unicode knows becomes a <br/>; the other C0 controls but tab,
# DEL and lone surrogates cannot be printed (nor surrogates encoded): U+FFFD.
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\n\x0b\x0c\r\x85\u2028\u2029]")
_SPACES = re.compile("  +")
_ASCII_SAFE = re.compile("[ -~]*")  # printable ASCII


def register() -> None:
    """Register every bundled face with ReportLab, once per process."""
    global _coverage
    if _coverage is not None:
        return
    with _LOCK:
        if _coverage is not None:
            return
        from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]

        from app.report.subsets import SubsetFont

        folder = resources_dir() / "fonts"
        coverage: dict[str, frozenset[int]] = {}
        for name, file in FILES.items():
            font = SubsetFont(name, str(folder / file))
            pdfmetrics.registerFont(font)
            coverage[name] = frozenset(
                code for code, glyph in font.face.charToGlyph.items() if glyph
            )
        # No italic (nor CJK bold) is bundled: <b>/<i> fall back to what exists.
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=BODY, boldItalic=BOLD)
        for name in (CJK, KOREAN):
            pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name)
        _coverage = coverage


def _faces() -> dict[str, frozenset[int]]:
    register()
    assert _coverage is not None
    return _coverage


def _has_all(face: frozenset[int], text: str) -> bool:
    """Whether `face` has a glyph for every character of `text` but whitespace."""
    return all(ord(char) in face or char.isspace() for char in set(text))


def runs(text: str) -> list[tuple[str, str]]:
    """Split `text` into (font name, segment) runs, each in a face that has its glyphs.

    Whitespace, and punctuation the current face has, stay in the current run
    so that a run is not cut at every space or comma.
    """
    faces = _faces()
    if text.isascii() or _has_all(faces[BODY], text):
        return [(BODY, text)] if text else []
    body, cjk, korean = (faces[name] for name in FALLBACK)
    found: list[tuple[str, str]] = []
    current = ""
    start = 0
    for index, char in enumerate(text):
        code = ord(char)
        if current and (char.isspace() or (not char.isalnum() and code in faces[current])):
            continue
        if code in cjk and code not in body:
            face = CJK
        elif code in korean and code not in body:
            face = KOREAN
        else:
            face = BODY  # also what no face has: it prints as a replacement glyph
        if face != current:
            if current:
                found.append((current, text[start:index]))
            current, start = face, index
    if current:
        found.append((current, text[start:]))
    return found


def _clean(text: str) -> str:
    """The text with line breaks normalised and unprintable characters replaced."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _UNPRINTABLE.sub("\ufffd", text)
    # A paragraph collapses runs of spaces; no-break spaces keep their width.
    return _SPACES.sub(lambda m: "\xa0" * (len(m.group()) - 1) + " ", text)


def _escaped(segment: str) -> str:
    return escape(segment).replace("\n", "<br/>")


def markup(text: str) -> str:
    """`text` as Paragraph markup that prints it literally, with its line breaks.

    A character no bundled face has becomes U+FFFD: left as it is, ReportLab
    would draw an empty box that copies out of the PDF as a NUL.
    """
    body = _faces()[BODY]
    if _ASCII_SAFE.fullmatch(text) and "  " not in text:
        return escape(text)
    parts = []
    for face, segment in runs(_clean(text)):
        if face != BODY:
            parts.append(f'<font face="{face}">{_escaped(segment)}</font>')
        elif _has_all(body, segment):
            parts.append(_escaped(segment))
        else:
            printable = "".join(c if ord(c) in body or c.isspace() else "\ufffd" for c in segment)
            parts.append(_escaped(printable))
    return "".join(parts)


def font_for(text: str) -> str:
    """The one face that covers most of `text`, for strings drawn in a single font (charts)."""
    if text.isascii():
        return BODY
    faces = _faces()
    codes = [ord(char) for char in text]
    return max(FALLBACK, key=lambda name: sum(code in faces[name] for code in codes))
