"""The team summary: one landscape page with a line per person of the Team section.

It prints the rows `services.team.rows` reads, laid out with the report's
bundled fonts, colours and table style: user text only through `fonts.markup`,
each person's readiness over the last year as a small vector line. A team too
large for one page at the smallest readable size goes on over further pages,
its header row repeated, rather than being cut.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.graphics.shapes import Circle, Drawing, PolyLine  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.files import atomic_write, check_output
from app.readiness import Readiness, format_score
from app.report import fonts
from app.report.pdf import GROUP_FILL, HEADER_FILL, INK, MUTED, RULE, clipped
from app.services.identity import Identity
from app.services.team import TeamRow

if TYPE_CHECKING:
    from app.services import Services

PAGE = landscape(A4)
MARGIN = 14 * mm
WIDTH = PAGE[0] - 2 * MARGIN
HEIGHT = PAGE[1] - 2 * MARGIN
SIZES = (8.0, 7.0, 6.5)  # type sizes tried in turn until the team fits on one page
LINES = 2  # every cell holds at most two lines, so that a row is never taller
# (header, share of the width): the person and the gates take the most.
COLUMNS = (
    ("Person", 0.18),
    ("Last check-in", 0.10),
    ("Next due", 0.075),
    ("Readiness", 0.09),
    ("Calibrated", 0.09),
    ("Trend", 0.07),
    ("Gates", 0.13),
    ("Largest disagreement", 0.14),
    ("Assessment", 0.125),
)
TREND_COLUMN = 5
DUE_COLUMN = 2


def _score(readiness: Readiness | None, missing: str) -> tuple[str, str]:
    """A readiness and its verdict, as two lines ("72.5", "Approaching")."""
    if readiness is None:
        return "—", missing
    if readiness.readiness is None:
        return "—", readiness.verdict
    return format_score(readiness.readiness), readiness.verdict


def _age(days: int | None) -> str:
    if days is None:
        return ""
    return {0: "bundle: today", 1: "bundle: 1 day"}.get(days, f"bundle: {days} days")


def _levels(level: str, target: str, size: float, width: float) -> str:
    """The levels ("level → target"), the level shortened first: the target always shows."""
    tail = f" → {target}"
    whole = level + tail
    if stringWidth(whole, fonts.BODY, size) <= width:
        return whole
    room = width - stringWidth(tail + "…", fonts.BODY, size)
    while level and stringWidth(level, fonts.BODY, size) > room:
        level = level[:-1]
    return f"{level.rstrip()}…{tail}" if level else whole


def _gates(row: TeamRow) -> str:
    names = [gate.name for gate in row.gates]
    return f"{len(names)}: {'; '.join(names)}" if names else "none"


def _disagreement(row: TeamRow) -> tuple[str, str]:
    """The skill, and "theirs 2 → yours 0"; dashes before anything is calibrated."""
    d = row.disagreement
    if d is None:
        return ("none", "") if row.calibrated_skills else ("—", "")
    own = "not rated" if d.self_rating is None else str(d.self_rating)
    return d.name, f"theirs {own} → yours {d.manager_rating}"


def _assessment(row: TeamRow) -> tuple[str, str]:
    """The assessment's state, and the verdict it recommends (if it does)."""
    name = row.recommendation_name
    return row.assessment.capitalize(), f"→ {name}" if name else ""


def trend_drawing(trend: Sequence[tuple[date, float]], width: float, height: float) -> Drawing:
    """Readiness over the last year as a line, scaled to its own range (10 points at
    least, so that noise does not look like a change), with a dot on the latest."""
    drawing = Drawing(width, height)
    values = [value for _day, value in trend]
    if not values:
        return drawing
    low, high = min(values), max(values)
    span = max(high - low, 10.0)
    bottom = (low + high - span) / 2
    step = width / (len(values) - 1) if len(values) > 1 else 0.0

    def point(index: int, value: float) -> tuple[float, float]:
        x = index * step if len(values) > 1 else width / 2
        return x, (value - bottom) / span * (height - 3) + 1.5

    points = [point(index, value) for index, value in enumerate(values)]
    if len(points) > 1:
        flat = [coordinate for xy in points for coordinate in xy]
        drawing.add(PolyLine(flat, strokeColor=INK, strokeWidth=0.8, strokeLineJoin=1))
    x, y = points[-1]
    drawing.add(Circle(x, y, 1.4, fillColor=INK, strokeColor=None))
    return drawing


class _Cells:
    """Paragraph cells of one type size, each cut to its column's width."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.leading = size + 2.2
        self.plain = ParagraphStyle(
            "cell", fontName=fonts.BODY, fontSize=size, leading=self.leading
        )
        self.bold = ParagraphStyle("bold", self.plain, fontName=fonts.BOLD)
        self.muted = ParagraphStyle("muted", self.plain, textColor=MUTED)
        self.widths = [WIDTH * share for _header, share in COLUMNS]

    def text(self, column: int, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return clipped(text, style or self.plain, self.widths[column] - 6, LINES)

    def pair(
        self, column: int, first: str, second: str = "", bold: bool = False
    ) -> list[Paragraph]:
        """Two one-line parts, the second muted (a name and its levels, a date and a note)."""
        room = self.widths[column] - 6
        parts = [clipped(first, self.bold if bold else self.plain, room, 1)]
        if second:
            parts.append(clipped(second, self.muted, room, 1))
        return parts


def _table(rows: list[TeamRow], today: date, size: float) -> Table:
    c = _Cells(size)
    data: list[list[Any]] = [[c.text(n, header, c.bold) for n, (header, _s) in enumerate(COLUMNS)]]
    for row in rows:
        overdue = row.next_due < today
        skill, ratings = _disagreement(row)
        data.append(
            [
                c.pair(
                    0,
                    row.name,
                    _levels(row.level_name, row.target_name, size, c.widths[0] - 6),
                    bold=True,
                ),
                c.pair(
                    1,
                    row.last_checkin.isoformat() if row.last_checkin else "none yet",
                    _age(row.bundle_age_days(today)),
                ),
                c.pair(DUE_COLUMN, row.next_due.isoformat(), "overdue" if overdue else "", overdue),
                c.pair(3, *_score(row.readiness, "")),
                c.pair(4, *_score(row.calibrated, "not assessed")),
                trend_drawing(row.trend, c.widths[TREND_COLUMN] - 6, c.leading * LINES - 2),
                c.text(6, _gates(row)),
                c.pair(7, skill, ratings),
                c.pair(8, *_assessment(row)),
            ]
        )
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        *[("BACKGROUND", (0, n), (-1, n), GROUP_FILL) for n in range(2, len(data), 2)],
    ]
    return Table(
        data,
        colWidths=c.widths,
        rowHeights=[None] + [c.leading * LINES + 4] * len(rows),
        repeatRows=1,
        style=TableStyle(commands),
        hAlign="LEFT",
    )


def _height(people: int, size: float) -> float:
    """The table's height at `size`: a header of up to two lines, and a fixed height a row."""
    row = (size + 2.2) * LINES + 4
    return row * (people + 1)


def render(rows: list[TeamRow], today: date, owner: Identity | None) -> bytes:
    """The team summary as PDF bytes, signed by the folder's `owner` (its author): one page
    when the team fits at the smallest size."""
    fonts.register()
    title_style = ParagraphStyle(
        "title", fontName=fonts.BOLD, fontSize=16, leading=20, textColor=INK
    )
    meta_style = ParagraphStyle(
        "meta", fontName=fonts.BODY, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=6
    )
    people = f"{len(rows)} {'person' if len(rows) == 1 else 'people'}"
    by = f" · prepared by {owner.line()}" if owner else ""
    head = [
        Paragraph("Team summary", title_style),
        Paragraph(fonts.markup(f"As of {today.isoformat()} · {people}{by}"), meta_style),
    ]
    note = Paragraph(
        "Readiness is self-assessed; Calibrated counts your latest assessment's ratings in "
        "their place. Gates hold a verdict below Ready whatever the score. Trend: readiness at "
        "each check-in of the last year, to its own scale. A bold due date is overdue. "
        "Assessment: yours, and the verdict it recommends (→). "
        f"Made with Rung {__version__}.",
        meta_style,
    )
    around = sum(flowable.wrap(WIDTH, HEIGHT)[1] for flowable in (*head, note)) + 8
    # The largest size at which the whole team fits on the page (rows have a fixed height).
    size = next((s for s in SIZES if _height(len(rows), s) + around <= HEIGHT), SIZES[-1])
    table = _table(rows, today, size)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Team summary, {today.isoformat()}",
        author=owner.name if owner else "",
        subject=f"Rung team summary: {people}",
        creator=f"Rung {__version__}",
    )
    document.build([*head, table, Spacer(1, 6), note])
    return buffer.getvalue()


def export_team_pdf(
    services: Services, path: Path, today: date, rows: list[TeamRow] | None = None
) -> Path:
    """Write the team summary of `rows` (or of the rows read now) to `path`, atomically and
    owner-only; a path `check_output` refuses is refused before anything is made."""
    data_dir = services.store.data_dir
    check_output(path, data_dir)
    team = services.team.rows(today) if rows is None else rows
    atomic_write(path, render(team, today, services.identity.get()), data_dir=data_dir)
    return path
