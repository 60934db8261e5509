"""The report's floor: the same PDF content with `sqlite3` and bare ReportLab, nothing else.

Gathering uses one read-only `sqlite3` connection, the standard library, the
loaded framework model and the chart floors of `floors.py`. Layout is a plain
`SimpleDocTemplate` with one frame as large as the report's: the same
headings, paragraphs and `Table`s of the same cell strings and Paragraphs,
in the same bundled TrueType faces (registered once per process under names
of its own), and the four charts drawn with bare `reportlab.graphics` widgets
(`SpiderChart`, `LinePlot`, `VerticalBarChart`, `Legend`) holding the same
points. What the project adds is left out on purpose: the running header and
footer, "Page X of Y", the outline, keep-with-next rules, the per-script font
runs, markers, hatching and hand-placed labels of the charts.

It makes the report the benchmark asks for, the "self" audience over the
default period (role start to today), for a profile that has final check-ins.
Nothing here imports `app.services`, `app.report` or `ui`.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import floors
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.framework.model import Framework
from app.paths import resources_dir

PAGE_WIDTH, PAGE_HEIGHT = A4
WIDTH = PAGE_WIDTH - 36 * mm  # the report's text width: 18 mm margins, no frame padding
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads 6 pt on every side
BODY, BOLD = "FloorSans", "FloorSans-Bold"
PALETTE = [colors.HexColor(c) for c in ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")]
# The header rows of the tables; a table repeats them on every page it spills onto.
SKILL_HEADER = ("Skill", "Criticality", "Start", "End", "Expected", "Change", "Evidence")
MILESTONE_HEADER = ("Milestone", "Due", "Status", "Status date", "Overdue")
KPI_HEADER = ("KPI", "Last value", "Date", "Target", "Met")
SCORE_HEADER = ("Dimension", "Weight", "Score", "Contribution")
GATE_HEADER = ("Gate", "Why it holds the verdict back")
GAP_HEADER = ("Skill", "Dimension", "Rating", "Points lost")
NOTE_TABLES = (  # (label, table, item column, the framework's names of those items)
    ("Rating note", "ratings", "skill_id", "skill"),
    ("Milestone note", "milestone_statuses", "milestone_id", "milestone"),
    ("KPI note", "kpi_values", "kpi_id", "kpi"),
)


@dataclass(frozen=True)
class FloorReport:
    pdf: bytes
    charts: dict[str, Any]  # what each chart was drawn from, to compare with the project's


def repeated_headers(fw: Framework) -> list[str]:
    """The text of every table's repeated header rows (a skill table's include its dimension)."""
    rows = [" ".join([*SKILL_HEADER, d.name]) for d in fw.dimensions]
    headers = (MILESTONE_HEADER, KPI_HEADER, SCORE_HEADER, GATE_HEADER, GAP_HEADER)
    return rows + [" ".join(header) for header in headers]


def register_fonts() -> None:
    """The report's two Latin faces, from the same files, once per process."""
    if BODY in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(BODY, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=BODY, boldItalic=BOLD)


# -- gathering ---------------------------------------------------------------------------


def _current(con: sqlite3.Connection, query: str, profile_id: str, day: dt.date) -> dict[str, Any]:
    return {key: rest for key, *rest in con.execute(query, (profile_id, day.isoformat()))}


def _kpi_met(kpi: Any, history: list[tuple[dt.date, float]]) -> str:
    """Met, Not met, No value yet or Judged by you, as the framework's targets say."""
    if not history:
        return "No value yet"
    day, value = history[-1]
    judged = []
    for target in kpi.targets:
        if target.kind == "threshold":
            compare = {
                "<": value < target.value,
                "<=": value <= target.value,
                ">": value > target.value,
                ">=": value >= target.value,
                "=": value == target.value,
            }
            judged.append(compare[target.comparator])
        elif target.kind == "range":
            judged.append(target.low <= value <= target.high)
        elif target.kind == "trend":
            since = dt.date.min
            if target.window_months:
                index = day.year * 12 + day.month - 1 - target.window_months
                since = floors.month_day(index, day.day)
            window = [(d.toordinal(), v) for d, v in history if d >= since]
            slope = 0.0
            if len({x for x, _ in window}) >= 2:
                mean_x = sum(x for x, _ in window) / len(window)
                mean_y = sum(y for _, y in window) / len(window)
                slope = sum((x - mean_x) * (y - mean_y) for x, y in window)
            judged.append(slope > 0 if target.direction == "up" else slope < 0)
    if not judged:
        return "Judged by you"
    words = "Met" if all(judged) else "Not met"
    return words + (" (the rest is judged by you)" if len(judged) < len(kpi.targets) else "")


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", "−")


class _Gathered:
    """Everything the report prints, read with plain queries."""

    def __init__(
        self,
        con: sqlite3.Connection,
        fw: Framework,
        profile_id: str,
        today: dt.date,
        private: bool,
    ) -> None:
        self.fw = fw
        self.private = private
        self.name, self.manager, role_start, first = con.execute(
            "SELECT name, manager, role_start, (SELECT min(date) FROM checkins"
            " WHERE profile_id = p.id AND status = 'final') FROM profiles p WHERE id = ?",
            (profile_id,),
        ).fetchone()
        self.role_start = dt.date.fromisoformat(role_start)
        self.start = min(self.role_start, dt.date.fromisoformat(first or role_start))
        self.end = today
        self.level, self.target = floors.stage(con, profile_id, self.end)
        self.names = {("skill", s.id): s.name for s in fw.skills}
        self.names.update({("milestone", m.id): m.title for m in fw.milestones})
        self.names.update({("kpi", k.id): k.name for k in fw.kpis})

        before = self.start - dt.timedelta(days=1)
        self.ratings_before = _current(con, floors.CURRENT_RATINGS, profile_id, before)
        self.ratings = _current(con, floors.CURRENT_RATINGS, profile_id, self.end)
        self.milestones = _current(con, floors.CURRENT_MILESTONES, profile_id, self.end)
        self.kpi_history: dict[str, list[tuple[dt.date, float]]] = {k.id: [] for k in fw.kpis}
        for kpi_id, day, value in con.execute(
            "SELECT k.kpi_id, c.date, k.value FROM kpi_values k JOIN checkins c"
            " ON c.id = k.checkin_id WHERE c.profile_id = ? AND c.status = 'final'"
            " AND c.date <= ? ORDER BY c.date, c.finalized_at",
            (profile_id, self.end.isoformat()),
        ):
            self.kpi_history.setdefault(kpi_id, []).append((dt.date.fromisoformat(day), value))
        self.evidence = self._evidence(con, profile_id)
        self.notes = self._notes(con, profile_id) if private else []
        self.goals, self.learning = self._plan(con, profile_id)

        points = [
            (day, value)
            for _id, day, value in floors.readiness_points(con, fw, profile_id)
            if value is not None and self.start <= day <= self.end
        ]
        self.readiness_series = floors.readiness_series(fw, points)
        self.projection, line = floors.projection(points, floors.ready_threshold(fw))
        self.reach = line[2] if line else None
        self.growth = [
            (name, [(d, v) for d, v in series if self.start <= d <= self.end])
            for name, series in floors.growth_chart(con, fw, profile_id)
        ]
        self.expected = floors.growth_expectations(con, fw, profile_id, self.end)
        self.radar = floors.radar_chart(con, fw, profile_id, self.end)
        self.bars = floors.milestone_chart(con, fw, profile_id, self.end)

    def _evidence(self, con: sqlite3.Connection, profile_id: str) -> list[tuple[Any, ...]]:
        """(date, title, description, link, tags) newest first; tags as (kind, ref), sorted."""
        period = (profile_id, self.start.isoformat(), self.end.isoformat())
        where = "profile_id = ? AND date >= ? AND date <= ?"
        if not self.private:
            where += " AND NOT private"
        tags: dict[str, list[tuple[str, str]]] = {}
        for evidence_id, kind, ref in con.execute(
            f"SELECT evidence_id, kind, ref FROM evidence_tags WHERE evidence_id IN"
            f" (SELECT id FROM evidence WHERE {where})",
            period,
        ):
            tags.setdefault(evidence_id, []).append((kind, ref))
        return [
            (dt.date.fromisoformat(day), title, description, link, sorted(tags.get(id_, [])))
            for id_, day, title, description, link in con.execute(
                f"SELECT id, date, title, description, link FROM evidence WHERE {where}"
                " ORDER BY date DESC, created_at DESC, id",
                period,
            )
        ]

    def _notes(self, con: sqlite3.Connection, profile_id: str) -> list[tuple[dt.date, list[Any]]]:
        """Each final check-in of the period with its reflection and notes, oldest first."""
        period = (profile_id, self.start.isoformat(), self.end.isoformat())
        in_period = "c.profile_id = ? AND c.status = 'final' AND c.date >= ? AND c.date <= ?"
        found: dict[str, tuple[dt.date, list[tuple[str, str]]]] = {}
        for checkin_id, day, *reflection in con.execute(
            f"SELECT c.id, c.date, c.wins, c.blockers, c.focus FROM checkins c WHERE {in_period}"
            " ORDER BY c.date, c.finalized_at",
            period,
        ):
            labelled = zip(("Wins", "Blockers", "Focus"), reflection, strict=True)
            found[checkin_id] = (dt.date.fromisoformat(day), [(k, v) for k, v in labelled if v])
        for label, table, item, kind in NOTE_TABLES:
            for checkin_id, ref, text in con.execute(
                f"SELECT t.checkin_id, t.{item}, t.note FROM {table} t JOIN checkins c"
                f" ON c.id = t.checkin_id WHERE {in_period} AND t.note IS NOT NULL"
                f" ORDER BY c.date, c.finalized_at, t.{item}",
                period,
            ):
                if text:
                    name = self.names.get((kind, ref), ref)
                    found[checkin_id][1].append((f"{label}: {name}", text))
        return [entry for entry in found.values() if entry[1]]

    def _plan(self, con: sqlite3.Connection, profile_id: str) -> tuple[list[Any], list[Any]]:
        skills: dict[str, list[str]] = {}
        for goal_id, skill_id in con.execute(
            "SELECT goal_id, skill_id FROM goal_skills WHERE goal_id IN"
            " (SELECT id FROM goals WHERE profile_id = ?) ORDER BY rowid",
            (profile_id,),
        ):
            skills.setdefault(goal_id, []).append(skill_id)
        goals = []
        for goal_id, title, due, status, notes in con.execute(
            "SELECT id, title, due, status, notes FROM goals WHERE profile_id = ?", (profile_id,)
        ):
            day = dt.date.fromisoformat(due) if due else None
            open_ = status in ("planned", "active")
            if open_ or (day is not None and self.start <= day <= self.end):
                goals.append((not open_, day is None, day or dt.date.max, title, status, notes))
                goals[-1] += (skills.get(goal_id, []),)
        goals.sort(key=lambda g: (g[0], g[1], g[2], g[3].casefold()))
        first = f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        learning = sorted(
            con.execute(
                "SELECT target_quarter, done, title, notes FROM learning_items"
                " WHERE profile_id = ? AND target_quarter >= ?",
                (profile_id, first),
            ),
            key=lambda i: (i[0], i[1], i[2].casefold()),
        )
        return goals, learning

    def readiness(self) -> dict[str, Any]:
        """Dimension scores, gates, the three largest gaps and the verdict, exactly."""
        return floors.readiness_summary(
            self.fw, self.target, self.ratings, self.milestones, self.role_start, self.end
        )


# -- layout ------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    """The report's type sizes and spacing, so that a page holds as much."""
    base = ParagraphStyle("base", fontName=BODY, fontSize=9.5, leading=13)
    return {
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=24, leading=30, spaceAfter=6
        ),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=14, leading=19, spaceAfter=18),
        "h1": ParagraphStyle(
            "h1", base, fontName=BOLD, fontSize=16, leading=20, spaceBefore=16, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=5
        ),
        "h3": ParagraphStyle(
            "h3", base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3
        ),
        "body": ParagraphStyle("body", base, spaceAfter=4),
        "label": ParagraphStyle("label", base, fontName=BOLD, spaceBefore=7),
        "meta": ParagraphStyle("meta", base, fontSize=8, leading=10.5),
        "note": ParagraphStyle("note", base, leftIndent=10),
        "run_in": ParagraphStyle("run_in", base, leftIndent=10, firstLineIndent=-10, spaceBefore=3),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "verdict": ParagraphStyle(
            "verdict", base, fontName=BOLD, fontSize=15, leading=20, spaceBefore=6
        ),
    }


def _table(rows: list[list[Any]], widths: list[float], header_rows: int = 1) -> Table:
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), BODY, 8.5, 10.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
    ]
    if header_rows:
        commands.append(("FONT", (0, 0), (-1, 0), BOLD, 8.5, 10.5))
    return Table(rows, colWidths=widths, repeatRows=header_rows, style=TableStyle(commands))


def _fill(widths: list[float]) -> list[float]:
    return [WIDTH - sum(widths), *widths]


def _legend(pairs: list[tuple[str, Any]], x: float, y: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = BODY, 8
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.colorNamePairs = [(colour, name) for name, colour in pairs]
    return legend


def _axis_title(x: float, y: float, text: str, angle: int = 0) -> Label:
    label = Label()
    label.setOrigin(x, y)
    label.setText(text)
    label.fontName, label.fontSize, label.angle = BODY, 8, angle
    return label


def _time_drawing(
    series: floors.Series, height: float, y_range: tuple[float, float], y_title: str
) -> Drawing:
    drawing = Drawing(WIDTH, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 50, WIDTH - 50, height - 60
    plot.data = [[(d.toordinal(), v) for d, v in points] for _name, points in series]
    for index in range(len(series)):
        plot.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = y_range
    plot.xValueAxis.labelTextFormat = lambda x: dt.date.fromordinal(int(x)).strftime("%Y-%m")
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = BODY, 7
    drawing.add(plot)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _p) in enumerate(series)]
    drawing.add(_legend(colours, 40, 20))
    drawing.add(_axis_title(10, height / 2, y_title, 90))
    drawing.add(_axis_title(WIDTH / 2, 32, "Date"))
    return drawing


def _multiples_drawing(
    panels: floors.Series, expected: tuple[list[str], list[list[float]]], top: float
) -> Drawing:
    """A small plot per dimension, three to a row, its name above, its expectation lines
    across; one legend below."""
    height = 110 * mm
    drawing = Drawing(WIDTH, height)
    names, values = expected
    columns = 3
    rows = -(-len(panels) // columns)
    cell_w, cell_h = (WIDTH - 20) / columns, (height - 30) / rows
    days = [d for _name, points in panels for d, _v in points]
    first, last = min(days).toordinal(), max(days).toordinal()
    for index, (name, points) in enumerate(panels):
        x = (index % columns) * (cell_w + 10)
        y = height - (index // columns + 1) * cell_h
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = x + 15, y + 15, cell_w - 25, cell_h - 35
        plot.data = [[(d.toordinal(), v) for d, v in points]]
        plot.data += [[(first, level), (last, level)] for level in values[index]]
        for line in range(len(plot.data)):
            plot.lines[line].strokeColor = PALETTE[line % len(PALETTE)]
        plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first, last
        plot.xValueAxis.labelTextFormat = lambda v: dt.date.fromordinal(int(v)).strftime("%Y-%m")
        for axis in (plot.xValueAxis, plot.yValueAxis):
            axis.labels.fontName, axis.labels.fontSize = BODY, 7
        drawing.add(plot)
        label = Label()
        label.setOrigin(x + 2, y + cell_h - 8)
        label.setText(name)
        label.fontName, label.fontSize, label.boxAnchor = BODY, 8, "w"
        drawing.add(label)
    entries = [("Mean rating", PALETTE[0])]
    entries += [(n, PALETTE[(i + 1) % len(PALETTE)]) for i, n in enumerate(names)]
    drawing.add(_legend(entries, 40, 10))
    return drawing


def _radar_drawing(axes: list[str], top: float, series: list[tuple[str, list[float]]]) -> Drawing:
    width, height = WIDTH * 0.8, 80 * mm
    drawing = Drawing(width, height)
    spider = SpiderChart()
    spider.x, spider.y, spider.width, spider.height = 60, 40, width - 120, height - 50
    spider.data = [values for _name, values in series] + [[top] * len(axes)]
    spider.labels = axes
    spider.spokeLabels.fontName, spider.spokeLabels.fontSize = BODY, 8
    for index in range(len(series)):
        spider.strands[index].strokeColor = PALETTE[index % len(PALETTE)]
        spider.strands[index].fillColor = None
    spider.strands[len(series)].strokeColor = None
    spider.strands[len(series)].fillColor = None
    drawing.add(spider)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in enumerate(series)]
    drawing.add(_legend(colours, 20, 30))
    return drawing


def _bar_drawing(categories: list[str], stacks: list[tuple[str, list[float]]]) -> Drawing:
    height = 65 * mm
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 50, WIDTH - 50, height - 60
    chart.data = [values for _name, values in stacks]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = BODY, 8
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = BODY, 7
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName, chart.barLabels.fontSize = BODY, 7
    chart.barLabels.boxTarget = "mid"
    for index in range(len(stacks)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(chart)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in enumerate(stacks)]
    drawing.add(_legend(colours, 40, 16))
    drawing.add(_axis_title(10, height / 2, "Milestones", 90))
    return drawing


class _Layout:
    def __init__(self, data: _Gathered) -> None:
        self.d = data
        self.s = _styles()

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.s[style])

    def cell(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.s["cell"])

    def story(self, readiness: dict[str, Any]) -> list[Any]:
        sections = [
            ("Summary", self.summary(readiness)),
            ("Growth charts", self.charts()),
            ("Skills", self.skills()),
            ("Milestones", [self.milestones()]),
            ("KPIs", [self.kpis()]),
            ("Promotion criteria", self.criteria()),
            ("Reflections", self.reflections()),
            ("Evidence highlights", self.evidence_groups()),
            ("Growth plan", self.plan()),
        ]
        story = [*self.cover(readiness), PageBreak()]
        for title, flowables in sections:
            story += [self.p(title, "h1"), *flowables]
        return story

    def readiness_line(self, r: dict[str, Any]) -> str:
        text = f"{floors.score_text(r['total'])} / 100 — {r['verdict']}"
        if r["held_back"]:
            gates = len(r["gates"])
            text += f" (the score reaches {r['band']}; held back by {gates} gate"
            text += "s)" if gates != 1 else ")"
        return text

    def cover(self, r: dict[str, Any]) -> list[Any]:
        d, fw = self.d, self.d.fw
        rows: list[list[Any]] = [
            ["Level", self.cell(f"{fw.level(d.level).name} → {fw.level(d.target).name}")],
            ["Framework", self.cell(f"{fw.name} {fw.version}")],
            ["Period", f"{d.start.isoformat()} to {d.end.isoformat()}"],
            ["Exported", d.end.isoformat()],
        ]
        if d.manager:
            rows.append(["Manager", self.cell(d.manager)])
        story = [
            Spacer(0, 30 * mm),
            self.p("Promotion-readiness report", "title"),
            self.p(d.name, "subtitle"),
            _table(rows, [28 * mm, WIDTH - 28 * mm], header_rows=0),
            Spacer(0, 10 * mm),
            self.p(f"Verdict: {r['verdict']}", "verdict"),
            self.p(f"Readiness: {self.readiness_line(r)}"),
        ]
        if d.private:
            story += [Spacer(0, 8 * mm), self.p("Includes private notes", "cell_bold")]
        return story

    def summary(self, r: dict[str, Any]) -> list[Any]:
        story: list[Any] = [
            self.p(f"Readiness {floors.score_text(r['total'])} / 100", "h2"),
            self.p(f"Verdict: {r['verdict']}", "label"),
        ]
        if r["held_back"]:
            story.append(
                self.p(
                    f"The score reaches {r['band']}, but the gates below cap the verdict at "
                    f"{r['verdict']}."
                )
            )
        rows: list[list[Any]] = [list(SCORE_HEADER)]
        for dimension, score, counts_fully in r["dimensions"]:
            name: Any = self.cell(dimension.name)
            if counts_fully:
                name = [name, self.p("no skill expected — counts fully", "meta")]
            contribution = float(dimension.weight * score)
            rows.append(
                [
                    name,
                    str(dimension.weight),
                    f"{_number(float(score) * 100, 1)}%",
                    f"{contribution:.1f} pts",
                ]
            )
        weights = sum(d.weight for d, _s, _c in r["dimensions"])
        rows.append(["Readiness", str(weights), "", f"{floors.score_text(r['total'])} / 100"])
        story.append(_table(rows, _fill([22 * mm, 22 * mm, 30 * mm])))
        story.append(self.p("Gates", "h3"))
        if r["gates"]:
            gates: list[list[Any]] = [list(GATE_HEADER)]
            gates += [[self.cell(name), self.cell(why)] for name, why in r["gates"]]
            story.append(_table(gates, _fill([WIDTH * 0.45])))
        else:
            story.append(self.p("No gates: nothing holds the verdict back."))
        story.append(self.p("Largest gaps", "h3"))
        if r["gaps"]:
            gaps: list[list[Any]] = [list(GAP_HEADER)]
            for skill, dimension, value, expected, points in r["gaps"]:
                rating = "never rated" if value is None else str(value)
                gaps.append(
                    [
                        self.cell(skill.name),
                        self.cell(dimension.name),
                        f"{rating} of {expected} expected",
                        f"{points:.1f}",
                    ]
                )
            story.append(_table(gaps, _fill([WIDTH * 0.28, 34 * mm, 20 * mm])))
        else:
            story.append(self.p("No skill loses readiness points."))
        texts = {
            "reached": "The Ready threshold is reached.",
            "not-projected": "Not projected: readiness is not rising.",
            "too-few-points": "Not projected yet: it needs check-ins on three dates.",
        }
        text = texts.get(self.d.projection, "")
        if self.d.reach is not None:
            text = f"At this pace, Ready around {self.d.reach.isoformat()}."
            if self.d.reach <= self.d.end:
                text = f"Your trend line crossed Ready on {self.d.reach.isoformat()}; your"
                text += " latest readiness is below it."
        return [*story, self.p("Projection", "h3"), self.p(text)]

    def charts(self) -> list[Any]:
        d = self.d
        axes = [dim.name for dim in d.fw.dimensions]
        top = float(d.fw.max_rating)
        categories, stacks = d.bars
        return [
            self.p("Ratings by dimension", "h2"),
            _radar_drawing(axes, top, d.radar),
            self.p("Growth by dimension", "h2"),
            _multiples_drawing(d.growth, d.expected, top),
            self.p("Readiness over time", "h2"),
            _time_drawing(d.readiness_series, 70 * mm, (0, 100), "Readiness (0–100)"),
            self.p("Milestones by horizon", "h2"),
            _bar_drawing(categories, stacks),
        ]

    def skills(self) -> list[Any]:
        d, fw = self.d, self.d.fw
        counts: dict[str, int] = {}
        for entry in d.evidence:
            for kind, ref in entry[4]:
                if kind == "skill":
                    counts[ref] = counts.get(ref, 0) + 1
        story: list[Any] = [
            self.p(
                "Start is the rating before the period, end the rating at its end; ▼ marks a "
                "rating below the one expected at the target level.",
                "meta",
            )
        ]
        widths = _fill([24 * mm, 13 * mm, 14 * mm, 17 * mm, 15 * mm, 17 * mm])
        for dimension in fw.dimensions:
            rows: list[list[Any]] = [
                list(SKILL_HEADER),
                [Paragraph(escape(dimension.name), self.s["cell_bold"])] + [""] * 6,
            ]
            for skill in fw.skills:
                if skill.dimension != dimension.id:
                    continue
                old, new = d.ratings_before.get(skill.id), d.ratings.get(skill.id)
                criticality = fw.criticality(skill.criticality)
                name = escape(skill.name)
                if criticality.critical:
                    name += f' <font name="{BOLD}" size="7">CRITICAL</font>'
                expected = skill.expected.get(d.target, 0)
                end = _shown(new)
                below = int(end) < expected if end.isdigit() else end != "n/a" and expected > 0
                change = ""
                if not (old and old[1]) and not (new and new[1]):
                    delta = ((new[0] or 0) if new else 0) - ((old[0] or 0) if old else 0)
                    change = f"{delta:+d}".replace("-", "−")
                rows.append(
                    [
                        Paragraph(name, self.s["cell"]),
                        self.cell(criticality.name),
                        _shown(old),
                        f"{end} ▼" if below else end,
                        str(expected),
                        change,
                        str(counts.get(skill.id, 0)),
                    ]
                )
            story += [Spacer(0, 6), _table(rows, widths, header_rows=2)]
        return story

    def milestones(self) -> Table:
        d = self.d
        rows: list[list[Any]] = [list(MILESTONE_HEADER)]
        statuses = dict(floors.STATUSES)
        for horizon, horizon_name in floors.HORIZONS:
            due = floors.due(d.role_start, horizon)
            group = [m for m in d.fw.milestones if m.horizon == horizon]
            if group:
                rows.append([Paragraph(escape(horizon_name), self.s["cell_bold"]), "", "", "", ""])
            for milestone in group:
                status, _extra, since = d.milestones.get(milestone.id, ("not-started", None, None))
                overdue = due < d.end and status not in ("done", "not-applicable")
                rows.append(
                    [
                        self.cell(milestone.title),
                        due.isoformat(),
                        self.cell(statuses.get(status, status)),
                        since or "",
                        "Overdue" if overdue else "",
                    ]
                )
        return _table(rows, _fill([22 * mm, 26 * mm, 22 * mm, 18 * mm]))

    def kpis(self) -> Table:
        rows: list[list[Any]] = [list(KPI_HEADER)]
        for kpi in self.d.fw.kpis:
            history = self.d.kpi_history.get(kpi.id, [])
            value, day = "", ""
            if history:
                value = _number(history[-1][1], 3) + (f" {kpi.unit}" if kpi.unit else "")
                day = history[-1][0].isoformat()
            rows.append(
                [
                    self.cell(kpi.name),
                    self.cell(value),
                    day,
                    self.cell(kpi.target_text),
                    self.cell(_kpi_met(kpi, history)),
                ]
            )
        return _table(rows, _fill([26 * mm, 20 * mm, WIDTH * 0.3, 22 * mm]))

    def evidence_item(self, entry: tuple[Any, ...]) -> list[Any]:
        day, title, description, link, tags = entry
        story = [self.p(f"{day.isoformat()} — {title}", "label")]
        if tags:
            names = [self.d.names.get(tag, tag[1]) for tag in tags]
            story.append(self.p("Tags: " + "; ".join(names), "meta"))
        if description:
            story += [self.p(line, "note") for line in description.splitlines() if line.strip()]
        if link:
            story.append(self.p(f"Link: {link}", "meta"))
        return story

    def more(self, count: int) -> list[Any]:
        if count <= 0:
            return []
        entries = "entry" if count == 1 else "entries"
        return [self.p(f"… and {count} more {entries} in this period.", "meta")]

    def criteria(self) -> list[Any]:
        story: list[Any] = []
        for number, criterion in enumerate(self.d.fw.promotion_criteria, 1):
            skills = set(criterion.skills)
            backing = [
                e for e in self.d.evidence if any(k == "skill" and r in skills for k, r in e[4])
            ]
            story.append(self.p(f"{number}. {criterion.text}", "h3"))
            names = [self.d.names.get(("skill", s), s) for s in criterion.skills]
            story.append(self.p("Skills: " + ", ".join(names), "meta"))
            if not backing:
                story.append(self.p("No evidence to show.", "meta"))
            for entry in backing[:8]:
                story += self.evidence_item(entry)
            story += self.more(len(backing) - 8)
        return story

    def reflections(self) -> list[Any]:
        if not self.d.private:
            return [self.p("Private reflections and notes were left out of this report.")]
        story: list[Any] = []
        for day, notes in self.d.notes:
            story.append(self.p(day.isoformat(), "h3"))
            for label, text in notes:
                lead = f"<b>{escape(label)}</b> — "
                for line in text.splitlines():
                    if line.strip():
                        story.append(Paragraph(lead + escape(line), self.s["run_in"]))
                        lead = ""
        return story

    def evidence_groups(self) -> list[Any]:
        fw = self.d.fw
        dimension_of = {s.id: s.dimension for s in fw.skills}
        grouped: dict[str, list[Any]] = {dim.id: [] for dim in fw.dimensions}
        other = []
        for entry in self.d.evidence:
            dims = {dimension_of[r] for k, r in entry[4] if k == "skill" and r in dimension_of}
            for dim in dims:
                grouped[dim].append(entry)
            if not dims:
                other.append(entry)
        story: list[Any] = []
        for name, entries in [*((d.name, grouped[d.id]) for d in fw.dimensions), ("Other", other)]:
            if entries:
                story.append(self.p(name, "h2"))
                for entry in entries[:5]:
                    story += self.evidence_item(entry)
                story += self.more(len(entries) - 5)
        return story

    def plan(self) -> list[Any]:
        d = self.d
        statuses = {"planned": "Planned", "active": "Active", "done": "Done", "dropped": "Dropped"}
        story: list[Any] = [self.p("Goals", "h2")]
        for _closed, _undated, due, title, status, notes, skills in d.goals:
            facts = [f"Status: {statuses.get(status, status)}"]
            if due != dt.date.max:
                facts.append(f"due {due.isoformat()}")
            if skills:
                facts.append("skills: " + ", ".join(d.names.get(("skill", s), s) for s in skills))
            story += [self.p(title, "label"), self.p(" · ".join(facts), "meta")]
            if notes and d.private:
                story += [self.p(line, "note") for line in notes.splitlines() if line.strip()]
        story.append(self.p("Learning", "h2"))
        for quarter, done, title, notes in d.learning:
            state = "done" if done else "not done yet"
            story.append(
                Paragraph(f"<b>{escape(quarter)}</b> {escape(title)} — {state}", self.s["run_in"])
            )
            if notes and d.private:
                story += [self.p(line, "note") for line in notes.splitlines() if line.strip()]
        return story


def _shown(state: tuple[Any, ...] | None) -> str:
    if state is None:
        return "—"
    return "n/a" if state[1] else str(state[0])


def report(con: sqlite3.Connection, fw: Framework, profile_id: str, private: bool) -> FloorReport:
    """The report's content in plain queries, laid out with a bare SimpleDocTemplate."""
    register_fonts()
    data = _Gathered(con, fw, profile_id, dt.date.today(), private)
    layout = _Layout(data)
    buffer = io.BytesIO()
    margin = 18 * mm - FRAME_PADDING
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=22 * mm - FRAME_PADDING,
        bottomMargin=20 * mm - FRAME_PADDING,
    )
    document.build(layout.story(data.readiness()))
    charts = {
        "radar": data.radar,
        "growth": data.growth,
        "readiness": data.readiness_series,
        "milestones": data.bars,
    }
    return FloorReport(buffer.getvalue(), charts)
