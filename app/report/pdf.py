"""The promotion-readiness report laid out as a PDF with ReportLab platypus.

The renderer decides nothing: it prints what the `ReportContent` holds, in the
order of its `sections`, so privacy, the period and the audience are settled
before a byte is laid out. User text reaches a `Paragraph` only through
`fonts.markup` (escaped, per-script fonts). Long free text (notes, descriptions)
flows as paragraphs outside tables, so it wraps and splits across pages; table
cells hold only short text. The layout is one linear pass: footers say
"Page X of Y" through forms drawn once the page count is known.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_CENTER  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.readiness import Readiness, format_score, readiness_text
from app.report import drawings, fonts, rtl
from app.report.document import LANGUAGE, add_metadata
from app.report.model import (
    SECTION_TITLES,
    CriterionBlock,
    CriterionLine,
    Decision,
    EvidenceCite,
    ManagerAssessment,
    Readout,
    Recommendation,
    ReportContent,
    Section,
    SkillGroup,
    SkillRow,
    Summary,
)
from app.report.rtl import Paragraph

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 22 * mm  # room for the running header above the text
BOTTOM_MARGIN = 20 * mm  # and for the footer below it
WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN

INK = colors.black
MUTED = colors.HexColor("#4D4D4D")  # secondary text: dark enough to print and read
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#E3E3E3")
GROUP_FILL = colors.HexColor("#F2F2F2")
MUTED_HEX = "#4D4D4D"  # MUTED, for paragraph markup
LINK_HEX = "#1F4E99"  # a dark blue that stays dark in greyscale

# Page 1 lists at most this many gates and criteria, then says how many more and where.
PAGE_ONE_GATES = 6
PAGE_ONE_CRITERIA = 8
# A mark beside each criterion status, so the scorecard reads at a glance, in greyscale too.
STATUS_MARKS = {"met": "●", "partly met": "◐", "not met": "○", "not rated yet": "–"}
# Links that open: the web and mail. Anything else prints as text, never a link.
SAFE_LINK = re.compile(r"(?:https?|mailto):[^\s\x00-\x1f\x7f]+", re.IGNORECASE)

BELOW = "▼"  # marks a rating below the expectation at the target
MINUS = "−"

# Room a heading needs below it on the page, so it is never left alone at the bottom.
KEEP_AFTER = 4 * 13.0
# ReportLab breaks what is left of a paragraph into lines again on every page it
# spills onto: quadratic for a note of 100 000 characters. Text longer than this
# is broken once and laid out as consecutive paragraphs of PIECE_LINES lines each.
LONG_TEXT = 3000
PIECE_LINES = 40


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle  # a bold title line: an evidence entry's, a goal's
    meta: ParagraphStyle  # small secondary lines: dates, tags, links
    note: ParagraphStyle  # free text under a title, indented
    run_in: ParagraphStyle  # a paragraph led by a bold run-in label, hanging
    running: ParagraphStyle  # the running header and footer
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle  # a header over a column of numbers, centred like them
    verdict: ParagraphStyle
    quote: ParagraphStyle  # feedback received, quoted
    quote_by: ParagraphStyle  # who said it


def _styles() -> _Styles:
    body = ParagraphStyle("body", fontName=fonts.BODY, fontSize=9.5, leading=13, textColor=INK)
    bold = fonts.BOLD
    return _Styles(
        title=ParagraphStyle("title", body, fontName=bold, fontSize=24, leading=30, spaceAfter=6),
        subtitle=ParagraphStyle("subtitle", body, fontSize=14, leading=19, spaceAfter=18),
        h1=ParagraphStyle(
            "h1", body, fontName=bold, fontSize=16, leading=20, spaceBefore=16, spaceAfter=8
        ),
        h2=ParagraphStyle(
            "h2", body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5
        ),
        h3=ParagraphStyle(
            "h3", body, fontName=bold, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3
        ),
        body=ParagraphStyle("para", body, spaceAfter=4),
        label=ParagraphStyle("label", body, fontName=bold, spaceBefore=7),
        meta=ParagraphStyle("meta", body, fontSize=8, leading=10.5, textColor=MUTED),
        note=ParagraphStyle("note", body, leftIndent=10),
        run_in=ParagraphStyle("run_in", body, leftIndent=10, firstLineIndent=-10, spaceBefore=3),
        running=ParagraphStyle("running", body, fontSize=8, leading=10, textColor=MUTED),
        cell=ParagraphStyle("cell", body, fontSize=8.5, leading=10.5),
        cell_bold=ParagraphStyle("cell_bold", body, fontName=bold, fontSize=8.5, leading=10.5),
        cell_head=ParagraphStyle(
            "cell_head", body, fontName=bold, fontSize=8.5, leading=10.5, alignment=TA_CENTER
        ),
        verdict=ParagraphStyle(
            "verdict", body, fontName=bold, fontSize=15, leading=20, spaceBefore=6
        ),
        quote=ParagraphStyle("quote", body, leftIndent=14, rightIndent=14, spaceBefore=5),
        quote_by=ParagraphStyle(
            "quote_by", body, fontSize=8, leading=10.5, textColor=MUTED, leftIndent=14
        ),
    )


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading that moves to the next page whole and, where it is drawn, adds itself to
    the PDF's outline. Only a heading too long to be one (a page-long criterion) splits."""

    outline: tuple[str, str, int] | None = None  # (key, title, level)
    anchor: str | None = None  # a section whose page other pages refer to

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        if self.height > PAGE_HEIGHT / 4:
            return list(super().split(avail_width, avail_height))
        return []

    def draw(self) -> None:
        if self.outline:  # once: a table draws its repeated rows again on later pages
            key, title, level = self.outline
            self.canv.bookmarkHorizontal(key, 0, self.height)
            self.canv.addOutlineEntry(title, key, level)
            self.outline = None
        if self.anchor:
            self.canv.anchor(self.anchor)
            self.anchor = None
        super().draw()


def _embedded(font_name: str) -> str:
    """`font_name` if it is one of the bundled TrueType faces, else the body face (or the bold
    one for a bold font): the standard PDF fonts are never embedded."""
    if font_name in fonts.FILES:
        return font_name
    return fonts.BOLD if "Bold" in font_name else fonts.BODY


class _Canvas(Canvas):  # type: ignore[misc]
    """A canvas whose footer says "Page X of Y" without laying the document out twice, and
    that uses only embedded fonts.

    Each page shows a form named after its number; the forms are drawn at save,
    when the page count is known. Pages are written as they come (never held
    back), so bookmarks point at the right pages. The canvas starts in the body
    face; a standard font that ReportLab's defaults still ask for (a table's
    cell style, a drawing's initial state: Helvetica) becomes a bundled face.
    At save, `add_metadata` adds the page labels and the XMP metadata.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._anchors: dict[str, int] = {}  # a section → the page its heading is on
        self._references: set[str] = set()

    def anchor(self, name: str) -> None:
        """This page is where `name` starts."""
        self._anchors.setdefault(name, self.getPageNumber())

    def page_reference(self, name: str) -> None:
        """Show the number of the page `name` starts on, at the origin, in the current font."""
        self._references.add(name)
        self.doForm(f"RungRef-{name}")

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> _Text:
        return _Text(self, x, y, direction=direction)

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        super().setFont(_embedded(psfontname), size, leading)

    def page_number(self, x: float, y: float) -> None:
        """Show this page's "Page X of Y" with its right end at `x` + WIDTH."""
        self.saveState()
        self.translate(x, y)
        self.doForm(f"RungPage{self.getPageNumber()}")
        self.restoreState()

    def save(self) -> None:
        total = self.getPageNumber() - 1  # the last showPage already moved on
        for number in range(1, total + 1):
            self.beginForm(f"RungPage{number}")
            self.setFont(fonts.BODY, 8)
            self.setFillColor(MUTED)
            self.drawRightString(WIDTH, 0, f"Page {number} of {total}")
            self.endForm()
        for name in self._references:
            self.beginForm(f"RungRef-{name}")
            self.setFont(fonts.BODY, 8)
            self.setFillColor(MUTED)
            self.drawString(0, 0, str(self._anchors.get(name, "?")))
            self.endForm()
        add_metadata(self)  # page labels, XMP
        super().save()


class _Text(PDFTextObject):  # type: ignore[misc]
    """A text object that uses only embedded fonts (see `_Canvas`)."""

    def setFont(self, psfontname: str, size: float, leading: float | None = None) -> None:
        super().setFont(_embedded(psfontname), size, leading)

    def _setFont(self, psfontname: str, size: float) -> None:
        super()._setFont(_embedded(psfontname), size)


def render(content: ReportContent) -> bytes:
    """The report as PDF bytes."""
    fonts.register()
    styles = _styles()
    story = _Story(content, styles)
    buffer = io.BytesIO()
    decorate = _Decorations(content, styles)
    # No frame padding: tables as wide as WIDTH line up with the text and the header rule.
    frame = Frame(
        MARGIN,
        BOTTOM_MARGIN,
        WIDTH,
        PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[
            PageTemplate("cover", [frame], onPage=decorate.cover_page),
            PageTemplate("body", [frame], onPage=decorate.body_page),
        ],
        title=content.title,
        author=content.author or "",
        subject=content.subject,
        creator=f"Rung {__version__}",
        lang=LANGUAGE,
        # The canvas starts in this face, not in Helvetica: no page refers to a font
        # that is not embedded.
        initialFontName=fonts.BODY,
    )
    document.build(story.flowables(), canvasmaker=_Canvas)
    return buffer.getvalue()


class _Decorations:
    """The running header (all pages but the cover) and the footer (every page).

    The name and the title are paragraphs, so that every script prints in its
    font, made once and drawn on every page.
    """

    def __init__(self, content: ReportContent, styles: _Styles) -> None:
        self._exported = f"Exported {content.cover.exported.isoformat()}"
        room = WIDTH - stringWidth(self._exported, fonts.BODY, 8) - 12
        self._name = _lines(content.cover.name, styles.running, room, 1)
        self._title = _lines(content.cover.title, styles.running, WIDTH / 2, 1)
        self._drop = styles.running.leading - styles.running.fontSize  # box bottom to baseline

    def cover_page(self, canvas: _Canvas, _document: Any) -> None:
        canvas.showOutline()
        self._footer(canvas)

    def body_page(self, canvas: _Canvas, _document: Any) -> None:
        y = PAGE_HEIGHT - TOP_MARGIN + 6 * mm
        self._name.drawOn(canvas, MARGIN, y - self._drop)
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(fonts.BODY, 8)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, self._exported)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - 2.5 * mm, PAGE_WIDTH - MARGIN, y - 2.5 * mm)
        canvas.restoreState()
        self._footer(canvas)

    def _footer(self, canvas: _Canvas) -> None:
        y = BOTTOM_MARGIN - 10 * mm
        self._title.drawOn(canvas, MARGIN, y - self._drop)
        canvas.page_number(MARGIN, y)


def _fitting(
    text: str, style: ParagraphStyle, width: float, lines: int, direction: str = "ltr"
) -> Paragraph | None:
    """`text` as a paragraph if it takes at most `lines` lines at `width`."""
    paragraph = Paragraph(fonts.markup(text), style, direction=direction)
    _width, height = paragraph.wrap(width, PAGE_HEIGHT)
    return paragraph if height <= style.leading * lines + 0.01 else None


def _lines(
    text: str, style: ParagraphStyle, width: float, lines: int, direction: str = "ltr"
) -> Paragraph:
    """`text` as a paragraph of at most `lines` lines at `width`, cut with an ellipsis; a
    `direction` as `rtl.Paragraph` takes it."""
    whole = _fitting(text, style, width, lines, direction)
    if whole is not None:
        return whole
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if _fitting(text[:middle] + "…", style, width, lines, direction) is not None:
            low = middle
        else:
            high = middle - 1
    cut = _fitting(text[:low].rstrip() + "…", style, width, lines, direction)
    return cut or Paragraph("…", style)


def clipped(text: str, style: ParagraphStyle, width: float, lines: int) -> Paragraph:
    """`text` (user text: escaped here) as a paragraph of at most `lines` lines at `width`,
    cut with an ellipsis; for the other layouts of the report layer (the team summary)."""
    return _lines(text, style, width, lines)


class _PageReference(Flowable):  # type: ignore[misc]
    """One line of the report's own words ending in the page a section starts on, which is
    known only once that section is laid out: the number is a form filled in at save."""

    def __init__(self, text: str, section: str, style: ParagraphStyle) -> None:
        super().__init__()
        self._text, self._section, self._style = text, section, style

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, self._style.leading

    def draw(self) -> None:
        style, canvas = self._style, self.canv
        baseline = style.leading - style.fontSize
        canvas.saveState()
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawString(0, baseline, self._text)
        canvas.translate(stringWidth(self._text, style.fontName, style.fontSize), baseline)
        canvas.page_reference(self._section)
        canvas.restoreState()


def _pieces(paragraph: Paragraph) -> list[Paragraph]:
    """A long paragraph as consecutive paragraphs cut where its own lines end.

    Broken at the frame's width just once here; each piece, broken again at the
    same width, makes the same lines, so the page shows one paragraph.
    """
    paragraph.wrap(WIDTH, PAGE_HEIGHT)
    lines = len(paragraph.blPara.lines)
    if lines <= PIECE_LINES:
        return [paragraph]
    cut = paragraph._get_split_blParaFunc()  # what Paragraph.split itself uses
    style = paragraph.style
    if style.firstLineIndent:  # only the first piece starts the paragraph's first line
        style = ParagraphStyle(f"{style.name}-rest", style, firstLineIndent=0)
    return [
        Paragraph(
            None,
            paragraph.style if start == 0 else style,
            frags=cut(paragraph.blPara, start, min(start + PIECE_LINES, lines)),
            direction=paragraph.direction,
        )
        for start in range(0, lines, PIECE_LINES)
    ]


def _below(skill: SkillRow) -> bool:
    """Whether the rating at the period's end is below the expectation at the target."""
    if skill.end.isdigit():
        return int(skill.end) < skill.expected
    return skill.end != "n/a" and skill.expected > 0  # never rated counts as 0


def _against(rating: str, expected: int) -> str:
    """A rating with the mark of one below the expectation: "2 ▼"."""
    return f"{rating} {BELOW}" if rating.isdigit() and int(rating) < expected else rating


def _difference(value: int | None) -> str:
    """The manager's rating minus the owner's: "+1", "−2", "0" (agreement), or empty."""
    if value is None:
        return ""
    return f"{value:+d}".replace("-", MINUS) if value else "0"


def _number(value: float, decimals: int) -> str:
    """`value` with at most `decimals` decimals and no trailing zeros."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", MINUS)


def _table(
    rows: list[list[Any]],
    widths: Sequence[float],
    extra: Iterable[tuple[Any, ...]] = (),
    header_rows: int = 1,
) -> Table:
    """A table with fixed column widths; its first row is a header, and its `header_rows`
    repeat on every page it spills onto."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.BODY, 8.5, 10.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, 0), fonts.BOLD, 8.5, 10.5),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ]
    commands += list(extra)
    return Table(
        rows,
        colWidths=list(widths),
        repeatRows=header_rows,
        style=TableStyle(commands),
        hAlign="LEFT",
        splitInRow=1,  # a row taller than a page (a huge name) splits rather than fails
    )


def _fill(widths: Sequence[float]) -> list[float]:
    """Column widths with the first column taking what the others leave of the page."""
    return [WIDTH - sum(widths), *widths]


def _link(url: str) -> str:
    """A link as markup: clickable (a URI annotation) for the web and mail, else text."""
    if not SAFE_LINK.fullmatch(url):
        return fonts.markup(url)
    return f'<a href={quoteattr(url)} color="{LINK_HEX}"><u>{fonts.markup(url)}</u></a>'


def _status(words: str, *, capital: bool = False) -> str:
    """A criterion status with its mark: "● met" ("● Met" to start a sentence)."""
    return f"{STATUS_MARKS.get(words, '')} {words.capitalize() if capital else words}".strip()


def _months(months: int) -> str:
    if months < 1:
        return "under a month"
    return f"{months} month" + ("s" if months > 1 else "")


def _since(line: CriterionLine) -> str:
    """How long a criterion has been met: "2026-03 (9 months)", or empty."""
    if line.sustained_since is None or line.sustained_months is None:
        return ""
    return f"{line.sustained_since:%Y-%m} ({_months(line.sustained_months)})"


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(f"E{number}" for number in numbers)


class _Story:
    """The flowables of one report: page 1, then section by section."""

    def __init__(self, content: ReportContent, styles: _Styles) -> None:
        self._content = content
        self._s = styles
        self._keys = 0
        self._short = content.cover.short_name
        self._whose = content.cover.whose

    def flowables(self) -> list[Any]:
        builders: dict[Section, Callable[[], list[Any]]] = {
            "summary": self._summary,
            "criteria": self._criteria,
            "manager": self._manager,
            "charts": self._charts,
            "skills": self._skills,
            "milestones": self._milestones,
            "kpis": self._kpis,
            "highlights": self._highlights,
            "reflections": self._reflections,
            "plan": self._plan,
            "evidence": self._evidence,
        }
        story = [self._page_one(), NextPageTemplate("body"), PageBreak()]
        for index, section in enumerate(self._content.sections):
            body = builders[section]()
            # A section starts on a new page unless a quarter of one is left, and more if
            # what opens it (a chart) needs more: its title never ends a page alone.
            need = PAGE_HEIGHT / 4
            if body and isinstance(body[0], CondPageBreak):
                need = max(need, body.pop(0).height + 2 * self._s.h1.leading)
            if index:
                story.append(self._keep(need))
            heading = self._heading(SECTION_TITLES[section], self._s.h1, level=0)
            heading.anchor = section
            story += [heading, *body]
        return story

    # -- building blocks ------------------------------------------------------------------

    def _key(self) -> str:
        self._keys += 1
        return f"rung{self._keys}"

    def _heading(self, text: str, style: ParagraphStyle, level: int | None = None) -> _Heading:
        """A heading; with a `level`, also an entry of the outline."""
        heading = _Heading(fonts.markup(text), style)
        if level is not None:
            heading.outline = (self._key(), text, level)
        return heading

    def _keep(self, height: float = KEEP_AFTER) -> CondPageBreak:
        """Starts a new page unless `height` is left: a heading keeps some text below it."""
        return CondPageBreak(height)

    def _p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """User text as a paragraph, in the direction of its script."""
        return Paragraph(fonts.markup(text), style or self._s.body, direction=rtl.AUTO)

    def _cell(self, text: str, bold: bool = False) -> Paragraph:
        return Paragraph(fonts.markup(text), self._s.cell_bold if bold else self._s.cell)

    def _free_text(
        self, text: str, style: ParagraphStyle, label: str = "", first: ParagraphStyle | None = None
    ) -> list[Any]:
        """Free text of any length as a paragraph per line, blank lines kept as space, so it
        splits across pages in linear time; a `label` is run in, in bold, in a `first` style."""
        flowables: list[Any] = []
        lead = f'<font name="{fonts.BOLD}">{fonts.markup(label)}</font> — ' if label else ""
        gap = False
        for line in text.splitlines():
            if not line.strip():
                gap = bool(flowables)
                continue
            if gap:
                flowables.append(Spacer(0, style.leading / 2))
                gap = False
            # A line wholly the user's takes the direction of its script; one the report
            # starts with its label stays left to right.
            paragraph = Paragraph(
                lead + fonts.markup(line),
                first if lead and first else style,
                direction="ltr" if lead else rtl.AUTO,
            )
            flowables += _pieces(paragraph) if len(line) > LONG_TEXT else [paragraph]
            lead = ""
        if lead:  # nothing but whitespace: the label alone
            flowables.append(Paragraph(lead.removesuffix(" — "), first or style))
        return flowables

    def _more(self, text: str, section: Section) -> Flowable:
        """A line such as "… and 3 more gates, page 4": the page of `section`, if printed."""
        if section in self._content.sections:
            return _PageReference(f"… {text}, page ", section, self._s.meta)
        return Paragraph(f"… {text}.", self._s.meta)

    def _cite(self, cite: EvidenceCite, style: ParagraphStyle | None = None) -> Paragraph:
        """An evidence entry cited by number, date and title, with its impact in one line."""
        s = self._s
        text = f'<font name="{fonts.BOLD}">E{cite.number}</font> · {cite.date.isoformat()} · '
        text += fonts.markup(cite.title)
        if cite.feedback:
            text += " — feedback from " + fonts.markup(cite.feedback)
        if cite.impact:
            text += f'<br/><font color="{MUTED.hexval()}">{fonts.markup(cite.impact)}</font>'
        if cite.link:
            text += "<br/>" + _link(cite.link)
        return Paragraph(text, style or s.run_in)

    # -- page 1: the decision ----------------------------------------------------------------

    def _page_one(self) -> KeepInFrame:
        """Everything to decide on, on one page whatever the data: long texts are cut to
        their lines, long lists to their first few, and the page shrinks if it must."""
        cover, decision, s = self._content.cover, self._content.decision, self._s
        facts = [
            f"{cover.level} → {cover.target}",
            f"{cover.framework} {cover.framework_version}",
            f"{cover.start.isoformat()} to {cover.end.isoformat()}",
        ]
        story: list[Any] = [
            self._heading(cover.title, s.title, level=0),
            _lines(cover.name, s.subtitle, WIDTH, 1),
            _lines(" · ".join(facts), s.body, WIDTH, 2),
            _lines(
                cover.data_as_of + (f" · Manager: {cover.manager}" if cover.manager else ""),
                s.meta,
                WIDTH,
                2,
            ),
            Spacer(0, 4 * mm),
        ]
        if decision.recommendation is not None:
            story += [self._recommendation(decision.recommendation), Spacer(0, 4 * mm)]
        story += [self._readouts(decision.readiness), Spacer(0, 2 * mm)]
        if decision.not_rated:
            story.append(_lines(decision.not_rated, s.meta, WIDTH, 2))
        story += self._gate_lines(decision)
        story += self._scorecard(decision)
        if cover.includes_private:
            notice = Table(
                [[Paragraph("Includes private notes", s.cell_bold)]],
                colWidths=[WIDTH],
                style=TableStyle(
                    [
                        ("BOX", (0, 0), (-1, -1), 1, INK),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ]
                ),
            )
            story += [Spacer(0, 6 * mm), notice]
        return KeepInFrame(WIDTH, FRAME_HEIGHT, story, mode="shrink")

    def _recommendation(self, recommendation: Recommendation) -> Table:
        s = self._s
        by = "the manager"
        if recommendation.assessor:
            by = recommendation.assessor
            if recommendation.role:
                by += f", {recommendation.role}"
        # "on" before the date: after a name in Arabic script a bare date would join its
        # right-to-left run and print with its parts reversed.
        when = f", on {recommendation.date.isoformat()}" if recommendation.date else ""
        if recommendation.band:
            head = f"Recommended: {recommendation.band}"
        else:
            head = "No verdict recommended yet"
        rows: list[list[Any]] = [
            [_lines(head, s.verdict, WIDTH - 16, 1)],
            [_lines(f"by {by}{when}", s.body, WIDTH - 16, 1)],
        ]
        rationale = recommendation.rationale
        if rationale:
            rows.append([_lines(rationale, s.note, WIDTH - 16, 2, rtl.AUTO)])
            if _fitting(rationale, s.note, WIDTH - 16, 2) is None:
                rows.append([self._more("the rationale in full", "manager")])
        return Table(
            rows,
            colWidths=[WIDTH],
            style=TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.2, INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 8),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                ]
            ),
        )

    def _readouts(self, readouts: list[Readout]) -> Table:
        s = self._s
        width = WIDTH / len(readouts)
        cells = []
        for readout in readouts:
            lines = [
                Paragraph(readout.label, s.meta),
                Paragraph(readout.score or "Not assessable yet", s.h2),
                Paragraph(readout.verdict, s.label),
            ]
            if readout.band:
                gates = f"{readout.gates} gate" + ("s" if readout.gates != 1 else "")
                hold = "holds" if readout.gates == 1 else "hold"
                lines.append(
                    Paragraph(f"The score reaches {readout.band}; {gates} {hold} it back.", s.meta)
                )
            elif readout.gates:
                gates = f"{readout.gates} gate" + ("s" if readout.gates != 1 else "")
                lines.append(Paragraph(f"{gates} open: see below.", s.meta))
            elif readout.score is not None:
                lines.append(Paragraph("No gates hold it back.", s.meta))
            cells.append(lines)
        return Table(
            [cells],
            colWidths=[width] * len(readouts),
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ]
            ),
            hAlign="LEFT",
        )

    def _gate_lines(self, decision: Decision) -> list[Any]:
        s = self._s
        if not decision.gates:
            return []
        story: list[Any] = [Paragraph(f"Gates ({len(decision.gates)})", s.h3)]
        rows: list[list[Any]] = []
        for gate in decision.gates[:PAGE_ONE_GATES]:
            state = gate.state + (f"; {gate.calibrated}" if gate.calibrated else "")
            rows.append(
                [
                    _lines(gate.name, s.cell_bold, WIDTH * 0.4 - 8, 1),
                    _lines(state, s.cell, WIDTH * 0.6 - 8, 2),
                ]
            )
        story.append(_table(rows, [WIDTH * 0.4, WIDTH * 0.6], header_rows=0))
        more = len(decision.gates) - PAGE_ONE_GATES
        if more > 0:
            story.append(self._more(f"and {more} more gate{'s' if more > 1 else ''}", "summary"))
        return story

    def _scorecard(self, decision: Decision) -> list[Any]:
        s = self._s
        if not decision.criteria:
            return []
        counts = {
            status: sum(c.status == status for c in decision.criteria) for status in STATUS_MARKS
        }
        tally = " · ".join(f"{n} {status}" for status, n in counts.items() if n)
        story: list[Any] = [
            Paragraph(f"Promotion criteria ({len(decision.criteria)}): {tally}", s.h3)
        ]
        calibrated = any(c.calibrated is not None for c in decision.criteria)
        header = ["", "Criterion", self._short, "Met since"]
        widths = [7 * mm, 0.0, 25 * mm, 27 * mm]
        if calibrated:
            header.insert(3, "Manager")
            widths.insert(3, 25 * mm)
        widths[1] = WIDTH - sum(widths)
        rows: list[list[Any]] = [[self._cell(h, bold=True) for h in header]]
        commands: list[tuple[Any, ...]] = []
        step = None
        shown = decision.criteria[:PAGE_ONE_CRITERIA]
        for line in shown:
            if len(decision.steps) > 1 and line.step != step:
                step = line.step
                commands += [
                    ("SPAN", (0, len(rows)), (-1, len(rows))),
                    ("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_FILL),
                ]
                rows.append([_lines(step, s.cell_bold, WIDTH - 8, 1)] + [""] * (len(header) - 1))
            row: list[Any] = [
                str(line.number),
                _lines(line.text, s.cell, widths[1] - 8, 2),
                self._cell(_status(line.status)),
                self._cell(_since(line)),
            ]
            if calibrated:
                row.insert(3, self._cell(_status(line.calibrated) if line.calibrated else ""))
            rows.append(row)
        story.append(_table(rows, widths, commands))
        more = len(decision.criteria) - len(shown)
        if more > 0:
            story.append(self._more(f"and {more} more criteria", "criteria"))
        return story

    # -- summary ----------------------------------------------------------------------------

    def _summary(self) -> list[Any]:
        summary = self._content.summary
        readiness = summary.readiness
        s = self._s
        story: list[Any] = []
        if readiness.readiness is None:  # no score: nothing to add up, hold back or lose
            story.append(self._p(f"Verdict: {readiness.verdict}", s.label))
            story.append(self._p(f"Readiness: {readiness_text(readiness)}", s.body))
            return story + self._projection(summary)
        story.append(self._p(f"Self-assessed: {format_score(readiness.readiness)} / 100", s.h2))
        story.append(self._p(f"Verdict: {readiness.verdict}", s.label))
        if readiness.held_back and readiness.band:
            story.append(
                self._p(
                    f"The score reaches {readiness.band}, but the gates below cap the "
                    f"verdict at {readiness.verdict}.",
                    s.body,
                )
            )
        calibrated = summary.calibrated
        if calibrated is not None:
            story.append(
                self._p(
                    f"Calibrated by the manager: {readiness_text(calibrated)}. The same formula "
                    "with the manager's rating wherever they gave one.",
                    s.body,
                )
            )
        story.append(self._arithmetic(readiness))
        story += self._gates(readiness)
        story += self._gaps(readiness)
        story += self._projection(summary)
        return story

    def _arithmetic(self, readiness: Readiness) -> Table:
        """Each dimension's weight × score = contribution, adding up to the readiness."""
        rows: list[list[Any]] = [["Dimension", "Weight", "Score", "Contribution"]]
        for dimension in readiness.dimensions:
            name = self._cell(dimension.name)
            if dimension.counts_fully:
                name = [name, Paragraph("no skill expected — counts fully", self._s.meta)]
            rows.append(
                [
                    name,
                    str(dimension.weight),
                    "—" if dimension.score is None else f"{_number(dimension.score * 100, 1)}%",
                    "—" if dimension.contribution is None else f"{dimension.contribution:.1f} pts",
                ]
            )
        total = format_score(readiness.readiness or 0)
        weights = sum(d.weight for d in readiness.dimensions)
        rows.append(["Readiness", str(weights), "", f"{total} / 100"])
        numbers = ("ALIGN", (1, 0), (-1, -1), "RIGHT")
        total_row = [
            ("FONT", (0, -1), (-1, -1), fonts.BOLD, 8.5, 10.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ]
        return _table(rows, _fill([22 * mm, 22 * mm, 30 * mm]), [numbers, *total_row])

    def _gates(self, readiness: Readiness) -> list[Any]:
        story: list[Any] = [self._keep(), self._heading("Gates", self._s.h3, level=1)]
        if not readiness.gates:
            story.append(Paragraph("No gates: nothing holds the verdict back.", self._s.body))
            return story
        rows: list[list[Any]] = [["Gate", "Why it holds the verdict back"]]
        for gate in self._content.decision.gates:
            state = gate.state + (f"; {gate.calibrated}" if gate.calibrated else "")
            rows.append([self._cell(gate.name), self._cell(state)])
        story.append(_table(rows, _fill([WIDTH * 0.55])))
        return story

    def _gaps(self, readiness: Readiness) -> list[Any]:
        story: list[Any] = [self._keep(), self._heading("Largest gaps", self._s.h3, level=1)]
        if not readiness.gaps:
            story.append(Paragraph("No skill loses readiness points.", self._s.body))
            return story
        names = {d.id: d.name for d in readiness.dimensions}
        rows: list[list[Any]] = [["Skill", "Dimension", "Rating", "Points lost"]]
        for gap in readiness.gaps:
            rating = f"{gap.rating} of {gap.expected}" if gap.rated else "not rated yet"
            rows.append(
                [
                    self._cell(gap.name),
                    self._cell(names.get(gap.dimension, "")),
                    f"{rating}, {gap.expected} expected" if not gap.rated else f"{rating} expected",
                    f"{gap.points_lost:.1f}",
                ]
            )
        numbers = ("ALIGN", (-1, 0), (-1, -1), "RIGHT")
        story.append(_table(rows, _fill([WIDTH * 0.28, 34 * mm, 20 * mm]), [numbers]))
        return story

    def _projection(self, summary: Summary) -> list[Any]:
        if not summary.projection:
            return []
        return [
            self._keep(),
            self._heading("Projection", self._s.h3, level=1),
            self._p(summary.projection),
        ]

    # -- promotion criteria -----------------------------------------------------------------

    def _criteria(self) -> list[Any]:
        s = self._s
        blocks = self._content.criteria
        steps = self._content.decision.steps
        story: list[Any] = []
        step = None
        for block in blocks:
            level = 1
            if len(steps) > 1:
                level = 2
                if block.line.step != step:
                    step = block.line.step
                    story += [self._keep(3 * KEEP_AFTER), self._heading(step, s.h2, level=1)]
            # Its heading keeps its status and skills with it.
            story += [
                self._keep(3 * KEEP_AFTER),
                self._heading(f"{block.line.number}. {block.line.text}", s.h3, level=level),
                self._criterion_status(block),
                self._criterion_skills(block),
            ]
            story += self._criterion_evidence(block)
        return story

    def _criterion_status(self, block: CriterionBlock) -> Paragraph:
        line = block.line
        text = f'<font name="{fonts.BOLD}">{_status(line.status, capital=True)}</font>'
        text += f" by {fonts.markup(self._whose)} ratings"
        if line.calibrated is not None:
            text += f"; {_status(line.calibrated)} as calibrated by the manager"
        if line.sustained_since and line.sustained_months is not None:
            text += (
                f". Operating at {fonts.markup(block.level)} level on this criterion since "
                f"{line.sustained_since:%Y-%m}, {_months(line.sustained_months)}"
            )
        return Paragraph(text + ".", self._s.body)

    def _criterion_skills(self, block: CriterionBlock) -> Table:
        manager = any(skill.manager is not None for skill in block.skills)
        header = ["Skill", self._short, "Expected"]
        widths = [30 * mm, 20 * mm]
        if manager:
            header.insert(2, "Manager")
            widths.insert(1, 20 * mm)
        s = self._s
        rows: list[list[Any]] = [
            [self._cell(header[0], bold=True)]
            + [Paragraph(fonts.markup(h), s.cell_head) for h in header[1:]]
        ]
        for skill in block.skills:
            row: list[Any] = [
                self._cell(skill.name),
                _against(skill.self_rating, skill.expected),
                str(skill.expected),
            ]
            if manager:
                row.insert(2, _against(skill.manager or "", skill.expected))
            rows.append(row)
        return _table(rows, _fill(widths), [("ALIGN", (1, 0), (-1, -1), "CENTER")])

    def _criterion_evidence(self, block: CriterionBlock) -> list[Any]:
        s = self._s
        story: list[Any] = [Spacer(0, 4)]
        if not (block.evidence or block.quotes or block.quoted_above):
            return [*story, Paragraph("No evidence in this period backs it yet.", s.meta)]
        if block.evidence:
            story += [self._keep(), Paragraph("Strongest evidence", s.label)]
            story += [self._cite(cite) for cite in block.evidence]
        if block.also:
            story.append(Paragraph("Also backed by " + _numbers(block.also) + ".", s.meta))
        for quote in block.quotes:
            story += self._free_text(f"“{quote.text}”", s.quote)
            story.append(
                Paragraph(
                    f"— {fonts.markup(quote.giver)}, {quote.date.isoformat()} (E{quote.number})",
                    s.quote_by,
                )
            )
        if block.quoted_above:
            story.append(
                Paragraph("Feedback quoted above: " + _numbers(block.quoted_above) + ".", s.meta)
            )
        return story

    # -- the manager's assessment ----------------------------------------------------------

    def _manager(self) -> list[Any]:
        assessment = self._content.manager
        assert assessment is not None  # the section is printed only with one
        s = self._s
        recommendation = assessment.recommendation
        by = "the manager (unsigned: made before assessments were signed)"
        if recommendation.assessor:
            by = recommendation.assessor + (
                f", {recommendation.role}" if recommendation.role else ""
            )
        when = f" on {recommendation.date.isoformat()}" if recommendation.date else ""
        story: list[Any] = [
            self._p(
                f"By {by}{when}. The ratings elsewhere are {self._whose} own; a figure with "
                "the manager's calibration says so.",
                s.body,
            ),
            self._keep(),
            self._heading("Recommendation", s.h3, level=1),
            self._p(
                f"Recommended verdict: {recommendation.band}"
                if recommendation.band
                else "No verdict recommended yet.",
                s.label,
            ),
        ]
        if recommendation.rationale:
            story += self._free_text(recommendation.rationale, s.note)
        if assessment.calibrations:
            story += [
                self._keep(2 * KEEP_AFTER),
                self._heading("Calibration", s.h3, level=1),
                self._p(
                    f"The manager's rating of each skill they rated beside {self._whose} own "
                    "at the period's end, the largest disagreements first; the difference is "
                    f"the manager's rating minus {self._whose}.",
                    s.meta,
                ),
                Spacer(0, 4),
                self._calibration_table(assessment),
            ]
        if assessment.comments:
            story += [
                self._keep(2 * KEEP_AFTER),
                self._heading("Comments by dimension", s.h3, level=1),
            ]
        for comment in assessment.comments:
            story += [self._keep(), _Heading(fonts.markup(comment.dimension), s.label)]
            story += self._free_text(comment.text, s.note)
        return story

    def _calibration_table(self, assessment: ManagerAssessment) -> Table:
        rows: list[list[Any]] = [
            ["Skill", "Dimension", self._cell(self._short, bold=True), "Manager", "Difference"]
        ]
        for line in assessment.calibrations:
            rows.append(
                [
                    self._cell(line.skill),
                    self._cell(line.dimension),
                    line.self_rating,
                    str(line.manager_rating),
                    _difference(line.difference),
                ]
            )
        widths = _fill([WIDTH * 0.3, 18 * mm, 17 * mm, 20 * mm])
        return _table(rows, widths, [("ALIGN", (2, 0), (-1, -1), "CENTER")])

    # -- charts -----------------------------------------------------------------------------

    def _charts(self) -> list[Any]:
        charts = self._content.charts
        assert charts is not None  # the section is printed only with them
        radar = drawings.radar_chart(charts.radar, WIDTH * 0.8, 80 * mm)
        radar.hAlign = "CENTER"
        empty = 25 * mm  # a chart without a point is a line saying so
        growth = drawings.small_multiples(
            charts.growth, WIDTH, empty if charts.growth.empty else 110 * mm
        )
        readiness = drawings.time_chart(
            charts.readiness, WIDTH, empty if charts.readiness.empty else 70 * mm
        )
        pieces = [
            (charts.radar.title, radar),
            (charts.growth.title, growth),
            (charts.readiness.title, readiness),
            (charts.milestones.title, drawings.bar_chart(charts.milestones, WIDTH, 65 * mm)),
        ]
        story: list[Any] = []
        for title, drawing in pieces:
            story += [
                self._keep(drawing.height + 30),
                self._heading(title, self._s.h2, level=1),
                drawing,
            ]
        return story

    # -- skills -----------------------------------------------------------------------------

    def _skills(self) -> list[Any]:
        story: list[Any] = [
            Paragraph(
                f"{fonts.markup(self._whose)} ratings: start is the rating before the period, "
                f"end the rating at its end; {BELOW} marks a rating below the one expected at "
                "the target level, and — a skill not rated yet.",
                self._s.meta,
            ),
        ]
        for group in self._content.skills:
            story += [Spacer(0, 6), self._skill_table(group)]
        return story

    def _skill_table(self, group: SkillGroup) -> Table:
        """One dimension's skills. A table each keeps page splits cheap (ReportLab redoes a
        table's spans on every split); the header and the dimension repeat on each page."""
        s = self._s
        rows: list[list[Any]] = [
            ["Skill", "Criticality", "Start", "End", "Expected", "Change", "Evidence"],
            [self._heading(group.dimension, s.cell_bold, level=1), "", "", "", "", "", ""],
        ]
        for skill in group.rows:
            name = fonts.markup(skill.name)
            if skill.critical:
                name += f' <font name="{fonts.BOLD}" size="7">CRITICAL</font>'
            rows.append(
                [
                    Paragraph(name, s.cell),
                    self._cell(skill.criticality),
                    skill.start,
                    f"{skill.end} {BELOW}" if _below(skill) else skill.end,
                    str(skill.expected),
                    "" if skill.delta is None else f"{skill.delta:+d}".replace("-", MINUS),
                    str(skill.evidence),
                ]
            )
        commands = [
            ("ALIGN", (2, 0), (-1, -1), "CENTER"),
            ("SPAN", (0, 1), (-1, 1)),
            ("BACKGROUND", (0, 1), (-1, 1), GROUP_FILL),
        ]
        widths = _fill([24 * mm, 13 * mm, 14 * mm, 17 * mm, 15 * mm, 17 * mm])
        return _table(rows, widths, commands, header_rows=2)

    # -- milestones and KPIs ----------------------------------------------------------------

    def _milestones(self) -> list[Any]:
        rows: list[list[Any]] = [["Milestone", "Due", "Status", "Status date", "Overdue"]]
        commands: list[tuple[Any, ...]] = []
        horizon = None
        for milestone in self._content.milestones:
            if milestone.horizon != horizon:
                horizon = milestone.horizon
                row = len(rows)
                rows.append([Paragraph(fonts.markup(horizon), self._s.cell_bold), "", "", "", ""])
                commands += [
                    ("SPAN", (0, row), (-1, row)),
                    ("BACKGROUND", (0, row), (-1, row), GROUP_FILL),
                    ("NOSPLIT", (0, row), (-1, row + 1)),
                ]
            row = len(rows)
            if milestone.overdue:
                commands.append(("FONT", (4, row), (4, row), fonts.BOLD, 8.5, 10.5))
            rows.append(
                [
                    self._cell(milestone.title),
                    milestone.due.isoformat(),
                    self._cell(milestone.status),
                    milestone.since.isoformat() if milestone.since else "",
                    "Overdue" if milestone.overdue else "",
                ]
            )
        widths = _fill([22 * mm, 26 * mm, 22 * mm, 18 * mm])
        return [_table(rows, widths, commands)]

    def _kpis(self) -> list[Any]:
        kpis = self._content.kpis
        rows: list[list[Any]] = [["KPI", "Last value", "Date", "Target", "Met"]]
        commands: list[tuple[Any, ...]] = []
        # The value column fits the widest value, so a unit never breaks inside a word.
        widest = max((stringWidth(k.value, fonts.font_for(k.value), 8.5) for k in kpis), default=0)
        value_width = min(max(widest + 10, 20 * mm), 50 * mm)
        for kpi in kpis:
            if kpi.met is False:
                commands.append(("FONT", (4, len(rows)), (4, len(rows)), fonts.BOLD, 8.5, 10.5))
            rows.append(
                [
                    self._cell(kpi.name),
                    self._cell(kpi.value),
                    kpi.date.isoformat() if kpi.date else "",
                    self._cell(kpi.target),
                    self._cell(kpi.met_text),
                ]
            )
        widths = _fill([value_width, 20 * mm, WIDTH * 0.28, 24 * mm])
        return [_table(rows, widths, commands)]

    # -- reflections, evidence ----------------------------------------------------------------

    def _reflections(self) -> list[Any]:
        s = self._s
        story: list[Any] = []
        for reflection in self._content.reflections:
            story += [self._keep(), self._heading(reflection.date.isoformat(), s.h3)]
            for note in reflection.notes:
                story += self._free_text(note.text, s.note, note.label, s.run_in)
        return story

    def _highlights(self) -> list[Any]:
        story: list[Any] = []
        for group in self._content.highlights:
            story += [
                self._keep(2 * KEEP_AFTER),
                self._heading(group.dimension, self._s.h2, level=1),
                *(self._cite(cite) for cite in group.items),
            ]
            if group.more:
                entries = "entry" if group.more == 1 else "entries"
                story.append(
                    Paragraph(
                        f"… and {group.more} more {entries} in this period, "
                        "in the evidence at the end.",
                        self._s.meta,
                    )
                )
        return story

    def _evidence(self) -> list[Any]:
        s = self._s
        story: list[Any] = [
            Paragraph(
                "Every entry of the period in this report, oldest first, in full; the "
                "pages before cite them by number.",
                s.meta,
            )
        ]
        for entry in self._content.evidence:
            head = f"E{entry.number} · {entry.date.isoformat()} · {fonts.markup(entry.title)}"
            story += [self._keep(), _Heading(head, s.label)]
            if entry.feedback:
                story.append(self._p(f"Feedback from {entry.feedback}", s.meta))
            impact = [
                ("Context", entry.context),
                (f"What {self._short} did", entry.action),
                ("Outcome", entry.outcome),
                ("Metric", entry.metric),
            ]
            for label, text in impact:
                if text:
                    story += self._free_text(text, s.note, label, s.run_in)
            if entry.description:
                story += self._free_text(entry.description, s.note)
            if entry.quoted_under is not None:
                story.append(
                    Paragraph(f"Quoted in full under criterion {entry.quoted_under}.", s.meta)
                )
            if entry.tags:
                story.append(self._p("Tags: " + "; ".join(entry.tags), s.meta))
            if entry.link:
                story.append(Paragraph("Link: " + _link(entry.link), s.meta))
        return story

    # -- growth plan ------------------------------------------------------------------------

    def _plan(self) -> list[Any]:
        plan = self._content.plan
        assert plan is not None  # the section is printed only with goals or learning
        s = self._s
        story: list[Any] = []
        if plan.goals:
            story += [self._keep(2 * KEEP_AFTER), self._heading("Goals", s.h2, level=1)]
        for goal in plan.goals:
            facts = [f"Status: {goal.status}"]
            if goal.due:
                facts.append(f"due {goal.due.isoformat()}")
            if goal.skills:
                facts.append("skills: " + ", ".join(goal.skills))
            story += [
                self._keep(),
                _Heading(fonts.markup(goal.title), s.label),
                self._p(" · ".join(facts), s.meta),
            ]
            if goal.notes:
                story += self._free_text(goal.notes, s.note)
        if plan.learning:
            story += [self._keep(), self._heading("Learning", s.h2, level=1)]
        for item in plan.learning:
            done = "done" if item.done else "not done yet"
            story.append(
                Paragraph(
                    f'<font name="{fonts.BOLD}">{fonts.markup(item.quarter)}</font> '
                    f"{fonts.markup(item.title)} — {done}",
                    s.run_in,
                )
            )
            if item.notes:
                story += self._free_text(item.notes, s.note)
        return story
