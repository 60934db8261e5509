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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.pdfgen.textobject import PDFTextObject  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.readiness import Readiness, format_score
from app.report import drawings, fonts
from app.report.document import LANGUAGE, add_metadata
from app.report.model import (
    SECTION_TITLES,
    Charts,
    CriterionRow,
    EvidenceGroup,
    EvidenceItem,
    KpiRow,
    ManagerAssessment,
    MilestoneRow,
    Plan,
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

INK = colors.black
MUTED = colors.HexColor("#4D4D4D")  # secondary text: dark enough to print and read
RULE = colors.HexColor("#8C8C8C")
HEADER_FILL = colors.HexColor("#E3E3E3")
GROUP_FILL = colors.HexColor("#F2F2F2")

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
    verdict: ParagraphStyle


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
        verdict=ParagraphStyle(
            "verdict", body, fontName=bold, fontSize=15, leading=20, spaceBefore=6
        ),
    )


class _Heading(Paragraph):  # type: ignore[misc]
    """A heading that moves to the next page whole and, where it is drawn, adds itself to
    the PDF's outline. Only a heading too long to be one (a page-long criterion) splits."""

    outline: tuple[str, str, int] | None = None  # (key, title, level)

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
        self._name = _one_line(content.cover.name, styles.running, room)
        self._title = _one_line(content.cover.title, styles.running, WIDTH / 2)
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


def _one_line(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """`text` as a paragraph of one line, cut with an ellipsis if it is wider than `width`."""

    def line(candidate: str) -> Paragraph | None:
        paragraph = Paragraph(fonts.markup(candidate), style)
        _width, height = paragraph.wrap(width, PAGE_HEIGHT)
        return paragraph if height <= style.leading else None

    whole = line(text)
    if whole is not None:
        return whole
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if line(text[:middle] + "…") is not None:
            low = middle
        else:
            high = middle - 1
    return line(text[:low].rstrip() + "…") or Paragraph("…", style)


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
        )
        for start in range(0, lines, PIECE_LINES)
    ]


def _below(skill: SkillRow) -> bool:
    """Whether the rating at the period's end is below the expectation at the target."""
    if skill.end.isdigit():
        return int(skill.end) < skill.expected
    return skill.end != "n/a" and skill.expected > 0  # never rated counts as 0


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
    )


def _fill(widths: Sequence[float]) -> list[float]:
    """Column widths with the first column taking what the others leave of the page."""
    return [WIDTH - sum(widths), *widths]


class _Story:
    """The flowables of one report, section by section."""

    def __init__(self, content: ReportContent, styles: _Styles) -> None:
        self._content = content
        self._s = styles
        self._keys = 0

    def flowables(self) -> list[Any]:
        builders: dict[Section, Callable[[], list[Any]]] = {
            "summary": self._summary,
            "manager": self._manager,
            "charts": self._charts,
            "skills": self._skills,
            "milestones": self._milestones,
            "kpis": self._kpis,
            "criteria": self._criteria,
            "reflections": self._reflections,
            "evidence": self._evidence,
            "plan": self._plan,
        }
        story = [*self._cover(), NextPageTemplate("body"), PageBreak()]
        for index, section in enumerate(self._content.sections):
            body = builders[section]()
            # A section starts on a new page unless a quarter of one is left, and more if
            # what opens it (a chart) needs more: its title never ends a page alone.
            need = PAGE_HEIGHT / 4
            if body and isinstance(body[0], CondPageBreak):
                need = max(need, body.pop(0).height + 2 * self._s.h1.leading)
            if index:
                story.append(self._keep(need))
            story.append(self._heading(SECTION_TITLES[section], self._s.h1, level=0))
            story += body
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
        """User text as a paragraph."""
        return Paragraph(fonts.markup(text), style or self._s.body)

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
            paragraph = Paragraph(lead + fonts.markup(line), first if lead and first else style)
            flowables += _pieces(paragraph) if len(line) > LONG_TEXT else [paragraph]
            lead = ""
        if lead:  # nothing but whitespace: the label alone
            flowables.append(Paragraph(lead.removesuffix(" — "), first or style))
        return flowables

    def _empty(self, text: str) -> Paragraph:
        return Paragraph(text, self._s.meta)

    # -- cover ------------------------------------------------------------------------------

    def _cover(self) -> list[Any]:
        cover = self._content.cover
        s = self._s
        story: list[Any] = [
            Spacer(0, 30 * mm),
            self._p(cover.title, s.title),
            self._p(cover.name, s.subtitle),
        ]
        rows = [
            ["Level", self._cell(f"{cover.level} → {cover.target}")],
            ["Framework", self._cell(f"{cover.framework} {cover.framework_version}")],
            ["Period", f"{cover.start.isoformat()} to {cover.end.isoformat()}"],
            ["Exported", cover.exported.isoformat()],
        ]
        if cover.manager:
            rows.append(["Manager", self._cell(cover.manager)])
        story.append(_table(rows, [28 * mm, WIDTH - 28 * mm], header_rows=0))
        story += [
            Spacer(0, 10 * mm),
            self._p(f"Verdict: {cover.verdict}", s.verdict),
            self._p(f"Readiness: {cover.readiness}", s.body),
        ]
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
            story += [Spacer(0, 8 * mm), notice]
        return story

    # -- summary ----------------------------------------------------------------------------

    def _summary(self) -> list[Any]:
        summary = self._content.summary
        if summary is None:
            return [self._empty("No summary.")]
        readiness = summary.readiness
        s = self._s
        story: list[Any] = []
        if readiness.readiness is None:  # no score: nothing to add up, hold back or lose
            story.append(self._p(f"Verdict: {readiness.verdict}", s.label))
            story.append(self._p(f"Readiness: {self._content.cover.readiness}", s.body))
            return story + self._projection(summary)
        story.append(self._p(f"Readiness {format_score(readiness.readiness)} / 100", s.h2))
        story.append(self._p(f"Verdict: {readiness.verdict}", s.label))
        if readiness.held_back and readiness.band:
            story.append(
                self._p(
                    f"The score reaches {readiness.band}, but the gates below cap the "
                    f"verdict at {readiness.verdict}.",
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
        story: list[Any] = [self._keep(), self._heading("Gates", self._s.h3)]
        if not readiness.gates:
            story.append(Paragraph("No gates: nothing holds the verdict back.", self._s.body))
            return story
        rows: list[list[Any]] = [["Gate", "Why it holds the verdict back"]]
        for gate in readiness.gates:
            rows.append([self._cell(gate.name), self._cell(gate.detail)])
        story.append(_table(rows, _fill([WIDTH * 0.45])))
        return story

    def _gaps(self, readiness: Readiness) -> list[Any]:
        story: list[Any] = [self._keep(), self._heading("Largest gaps", self._s.h3)]
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
            self._heading("Projection", self._s.h3),
            self._p(summary.projection),
        ]

    # -- the manager's assessment ----------------------------------------------------------

    def _manager(self) -> list[Any]:
        assessment: ManagerAssessment | None = self._content.manager
        if assessment is None:
            return [self._empty("No assessment by a manager.")]
        s = self._s
        owner = self._content.cover.name
        story: list[Any] = [
            self._p(
                f"Added by the manager who imported this profile; the ratings elsewhere in this "
                f"report are {owner}'s own.",
                s.body,
            ),
            self._keep(),
            self._heading("Recommendation", s.h3),
        ]
        if assessment.band is None:
            story.append(self._empty("No recommendation."))
        else:
            story.append(self._p(f"Recommended verdict: {assessment.band}", s.label))
        if assessment.rationale:
            story += self._free_text(assessment.rationale, s.note)
        if assessment.calibrations:
            story += [
                self._keep(2 * KEEP_AFTER),
                self._heading("Calibration", s.h3),
                self._p(
                    f"The manager's rating of each skill they rated beside {owner}'s own at the "
                    "period's end, the largest disagreements first; the difference is the "
                    f"manager's rating minus {owner}'s.",
                    s.meta,
                ),
                Spacer(0, 4),
                self._calibration_table(assessment),
            ]
        if assessment.comments:
            story += [self._keep(2 * KEEP_AFTER), self._heading("Comments by dimension", s.h3)]
        for comment in assessment.comments:
            story += [self._keep(), _Heading(fonts.markup(comment.dimension), s.label)]
            story += self._free_text(comment.text, s.note)
        return story

    def _calibration_table(self, assessment: ManagerAssessment) -> Table:
        rows: list[list[Any]] = [["Skill", "Dimension", "Self", "Manager", "Difference"]]
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
        widths = _fill([WIDTH * 0.3, 15 * mm, 17 * mm, 20 * mm])
        return _table(rows, widths, [("ALIGN", (2, 0), (-1, -1), "CENTER")])

    # -- charts -----------------------------------------------------------------------------

    def _charts(self) -> list[Any]:
        charts: Charts | None = self._content.charts
        if charts is None:
            return [self._empty("No charts.")]
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
                self._heading(title, self._s.h2),
                drawing,
            ]
        return story

    # -- skills -----------------------------------------------------------------------------

    def _skills(self) -> list[Any]:
        groups: list[SkillGroup] = self._content.skills
        if not groups:
            return [self._empty("No skills to show.")]
        story: list[Any] = [
            Paragraph(
                f"Start is the rating before the period, end the rating at its end; {BELOW} marks "
                "a rating below the one expected at the target level.",
                self._s.meta,
            ),
        ]
        for group in groups:
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
        milestones: list[MilestoneRow] = self._content.milestones
        if not milestones:
            return [self._empty("No milestones.")]
        rows: list[list[Any]] = [["Milestone", "Due", "Status", "Status date", "Overdue"]]
        commands: list[tuple[Any, ...]] = []
        horizon = None
        for milestone in milestones:
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
        kpis: list[KpiRow] = self._content.kpis
        if not kpis:
            return [self._empty("No KPIs.")]
        rows: list[list[Any]] = [["KPI", "Last value", "Date", "Target", "Met"]]
        commands: list[tuple[Any, ...]] = []
        for kpi in kpis:
            value = ""
            if kpi.value is not None:
                value = _number(kpi.value, 3) + (f" {kpi.unit}" if kpi.unit else "")
            if kpi.met is False:
                commands.append(("FONT", (4, len(rows)), (4, len(rows)), fonts.BOLD, 8.5, 10.5))
            rows.append(
                [
                    self._cell(kpi.name),
                    self._cell(value),
                    kpi.date.isoformat() if kpi.date else "",
                    self._cell(kpi.target),
                    self._cell(kpi.met_text),
                ]
            )
        widths = _fill([26 * mm, 20 * mm, WIDTH * 0.3, 22 * mm])
        return [_table(rows, widths, commands)]

    # -- criteria, reflections, evidence ----------------------------------------------------

    def _criteria(self) -> list[Any]:
        criteria: list[CriterionRow] = self._content.criteria
        if not criteria:
            return [self._empty("No promotion criteria.")]
        s = self._s
        story: list[Any] = []
        for number, criterion in enumerate(criteria, 1):
            story += [
                self._keep(KEEP_AFTER * 2),  # its skills and the first piece of evidence
                _Heading(f"{number}. {fonts.markup(criterion.text)}", s.h3),
            ]
            if criterion.skills:
                story.append(self._p("Skills: " + ", ".join(criterion.skills), s.meta))
            if not criterion.evidence:
                story.append(self._empty("No evidence to show."))
            for item in criterion.evidence:
                story += self._evidence_item(item)
            story += self._more(criterion.more)
        return story

    def _reflections(self) -> list[Any]:
        content = self._content
        s = self._s
        story: list[Any] = []
        if content.reflections_withheld:
            story.append(
                Paragraph("Private reflections and notes were left out of this report.", s.body)
            )
        elif not content.reflections:
            story.append(self._empty("No reflections in this period."))
        for reflection in content.reflections:
            story += [
                self._keep(),
                self._heading(reflection.date.isoformat(), s.h3),
            ]
            for note in reflection.notes:
                story += self._free_text(note.text, s.note, note.label, s.run_in)
        return story

    def _evidence(self) -> list[Any]:
        groups: list[EvidenceGroup] = self._content.evidence
        if not groups:
            return [self._empty("No evidence to show.")]
        story: list[Any] = []
        for group in groups:
            # The heading, and room for its first entry (which keeps room of its own).
            story += [self._keep(2 * KEEP_AFTER), self._heading(group.dimension, self._s.h2)]
            for item in group.items:
                story += self._evidence_item(item)
            story += self._more(group.more)
        return story

    def _evidence_item(self, item: EvidenceItem) -> list[Any]:
        s = self._s
        story: list[Any] = [
            self._keep(),
            _Heading(f"{item.date.isoformat()} — {fonts.markup(item.title)}", s.label),
        ]
        if item.tags:
            story.append(self._p("Tags: " + "; ".join(item.tags), s.meta))
        if item.description:
            story += self._free_text(item.description, s.note)
        if item.link:
            story.append(self._p(f"Link: {item.link}", s.meta))
        return story

    def _more(self, more: int) -> list[Any]:
        if more <= 0:
            return []
        entries = "entry" if more == 1 else "entries"
        return [Paragraph(f"… and {more} more {entries} in this period.", self._s.meta)]

    # -- growth plan ------------------------------------------------------------------------

    def _plan(self) -> list[Any]:
        plan: Plan | None = self._content.plan
        s = self._s
        if plan is None or not (plan.goals or plan.learning):
            return [self._empty("No goals or learning items.")]
        story: list[Any] = [self._keep(2 * KEEP_AFTER), self._heading("Goals", s.h2)]
        if not plan.goals:
            story.append(self._empty("No goals."))
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
        story += [self._keep(), self._heading("Learning", s.h2)]
        if not plan.learning:
            story.append(self._empty("No learning items."))
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
