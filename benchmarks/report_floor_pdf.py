"""The report floor's layout: what `report_floor.Gathered` holds, on a bare `SimpleDocTemplate`.

One frame as large as the report's; page one, then each section of the audience under
its heading: the same paragraphs and `Table`s of the same cell strings and Paragraphs,
in the same bundled TrueType faces (registered once per process under names of their
own), at the same type sizes and spacing. User text is escaped. What the project adds
is left out on purpose: the running header and footer, "Page X of Y", the outline and
its bookmarks, keep-with-next rules, fitting page one on one page (cutting long lines,
shrinking), the per-script font runs, clickable links, and the page numbers in page
one's "… and N more" lines (which the benchmark's data never prints).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import floors
import report_floor_charts as charts
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.paths import resources_dir

if TYPE_CHECKING:
    from report_floor import Gathered

PAGE_WIDTH, PAGE_HEIGHT = A4
WIDTH = PAGE_WIDTH - 36 * mm  # the report's text width: 18 mm margins, no frame padding
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads 6 pt on every side
BODY, BOLD = "FloorSans", "FloorSans-Bold"

TITLES = {"self": "Promotion-readiness report", "packet": "Promotion packet"}
SECTIONS = {  # what each audience prints after page one, in order
    "self": ("summary", "criteria", "charts", "skills", "milestones", "kpis", "highlights",
             "reflections", "plan", "evidence"),
    "packet": ("criteria", "manager", "summary", "skills", "milestones", "kpis", "charts",
               "reflections", "plan", "evidence"),
}  # fmt: skip
SECTION_TITLES = {
    "summary": "Readiness",
    "criteria": "Promotion criteria",
    "manager": "Manager's assessment",
    "charts": "Growth charts",
    "skills": "Skills",
    "milestones": "Milestones",
    "kpis": "KPIs",
    "highlights": "Evidence highlights",
    "reflections": "Reflections",
    "plan": "Growth plan",
    "evidence": "Evidence",
}
MARKS = {"met": "●", "partly met": "◐", "not met": "○", "not rated yet": "–"}
PAGE_ONE_GATES, PAGE_ONE_CRITERIA = 6, 8
HIGHLIGHTS = 5  # evidence entries cited per dimension
GOAL_STATUSES = {"planned": "Planned", "active": "Active", "done": "Done", "dropped": "Dropped"}


def render(data: Gathered) -> tuple[bytes, list[str]]:
    """The PDF, and the text of every table header row it may repeat on a new page."""
    register_fonts()
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
    document.build(_Layout(data).story())
    skills = ["Skill", "Criticality", "Start", "End", "Expected", "Change", "Evidence"]
    headers = [" ".join([*skills, d.name]) for d in data.fw.dimensions] + [
        "Milestone Due Status Status date Overdue",
        "KPI Last value Date Target Met",
        "Dimension Weight Score Contribution",
        "Gate Why it holds the verdict back",
        "Skill Dimension Rating Points lost",
        f"Skill {data.short} Manager Expected"
        if data.assessment
        else f"Skill {data.short} Expected",
        f"Skill Dimension {data.short} Manager Difference",
    ]
    return buffer.getvalue(), headers


def register_fonts() -> None:
    """The report's two Latin faces, from the same files, once per process."""
    if BODY in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(BODY, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=BODY, boldItalic=BOLD)


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
        "quote": ParagraphStyle("quote", base, leftIndent=14, rightIndent=14, spaceBefore=5),
        "quote_by": ParagraphStyle("quote_by", base, fontSize=8, leading=10.5, leftIndent=14),
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


def _number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace("-", "−")


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("s" if number != 1 else "")


def _months(months: int) -> str:
    return "under a month" if months < 1 else _count(months, "month")


def _against(rating: str, expected: int) -> str:
    return f"{rating} ▼" if rating.isdigit() and int(rating) < expected else rating


def _shown(state: Any) -> str:
    if state is None:
        return "—"
    return "n/a" if state[1] else "—" if state[0] is None else str(state[0])


class _Layout:
    def __init__(self, data: Gathered) -> None:
        self.d = data
        self.s = _styles()

    def p(self, text: str, style: str = "body") -> Paragraph:
        return Paragraph(escape(text), self.s[style])

    def cell(self, text: str, style: str = "cell") -> Paragraph:
        return Paragraph(escape(text), self.s[style])

    def lines(self, text: str, style: str, label: str = "") -> list[Paragraph]:
        """Free text as a paragraph per line; a `label` is run in, in bold."""
        story, lead = [], f"<b>{escape(label)}</b> — " if label else ""
        for line in text.splitlines():
            if line.strip():
                story.append(Paragraph(lead + escape(line), self.s["run_in" if lead else style]))
                lead = ""
        return story

    def story(self) -> list[Any]:
        d = self.d
        builders = {
            "summary": self.summary,
            "criteria": self.criteria,
            "manager": self.manager,
            "charts": self.charts,
            "skills": self.skills,
            "milestones": self.milestones,
            "kpis": self.kpis,
            "highlights": self.highlights,
            "reflections": self.reflections,
            "plan": self.plan,
            "evidence": self.evidence,
        }
        empty = {
            "criteria": not d.criteria,
            "manager": not d.assessment,
            "highlights": not d.evidence,
            "reflections": not d.notes,
            "plan": not (d.goals or d.learning),
            "evidence": not d.evidence,
        }
        story = [*self.page_one(), PageBreak()]
        for section in SECTIONS[d.audience]:
            if not empty.get(section):
                story += [self.p(SECTION_TITLES[section], "h1"), *builders[section]()]
        return story

    # -- page one ---------------------------------------------------------------------------

    def page_one(self) -> list[Any]:
        d, fw = self.d, self.d.fw
        facts = [
            f"{fw.level(d.level).name} → {fw.level(d.target).name}",
            f"{fw.name} {fw.version}",
            f"{d.start.isoformat()} to {d.end.isoformat()}",
        ]
        story: list[Any] = [
            self.p(TITLES[d.audience], "title"),
            self.p(d.name, "subtitle"),
            self.p(" · ".join(facts)),
            self.p(d.data_as_of + (f" · Manager: {d.manager}" if d.manager else ""), "meta"),
            Spacer(0, 4 * mm),
        ]
        a = d.assessment
        if a:
            by = a["assessor"] or "the manager"
            by += f", {a['role']}" if a["assessor"] and a["role"] else ""
            head = f"Recommended: {a['band']}" if a["band"] else "No verdict recommended yet"
            box = [[self.p(head, "verdict")], [self.p(f"by {by}, {a['date'].isoformat()}")]]
            if a["rationale"]:
                box.append([self.p(a["rationale"], "note")])
            style = TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.black)])
            story += [Table(box, colWidths=[WIDTH], style=style), Spacer(0, 4 * mm)]
        readouts = [("Self-assessed", d.readiness)]
        if d.calibrated:
            readouts.append(("Calibrated by the manager", d.calibrated))
        cells = []
        for label, r in readouts:
            gates = _count(len(r["gates"]), "gate")
            line = f"{gates} open: see below." if r["gates"] else "No gates hold it back."
            if r["held_back"]:
                hold = "holds" if len(r["gates"]) == 1 else "hold"
                line = f"The score reaches {r['band']}; {gates} {hold} it back."
            cells.append(
                [
                    self.p(label, "meta"),
                    self.p(f"{floors.score_text(r['total'])} / 100", "h2"),
                    self.p(r["verdict"], "label"),
                    self.p(line, "meta"),
                ]
            )
        story += [Table([cells], colWidths=[WIDTH / len(cells)] * len(cells)), Spacer(0, 2 * mm)]
        if d.gates:
            story.append(self.p(f"Gates ({len(d.gates)})", "h3"))
            rows = [[self.cell(n, "cell_bold"), self.cell(s)] for n, s in d.gates[:PAGE_ONE_GATES]]
            story.append(_table(rows, [WIDTH * 0.4, WIDTH * 0.6], header_rows=0))
            more = len(d.gates) - PAGE_ONE_GATES
            if more > 0:  # the project adds the page of the readiness section
                story.append(self.p(f"… and {_count(more, 'more gate')}", "meta"))
        story += self.scorecard()
        if d.private:
            notice = Table([[self.cell("Includes private notes", "cell_bold")]], colWidths=[WIDTH])
            story += [Spacer(0, 6 * mm), notice]
        return story

    def scorecard(self) -> list[Any]:
        d = self.d
        statuses = [c["status"] for c in d.criteria]
        tally = " · ".join(f"{statuses.count(s)} {s}" for s in MARKS if s in statuses)
        calibrated = any(c["calibrated"] for c in d.criteria)
        header = ["", "Criterion", d.short, "Met since"]
        widths = [7 * mm, 0.0, 25 * mm, 27 * mm]
        if calibrated:
            header.insert(3, "Manager")
            widths.insert(3, 25 * mm)
        widths[1] = WIDTH - sum(widths)
        rows: list[list[Any]] = [[self.cell(h, "cell_bold") for h in header]]
        steps = list(dict.fromkeys(c["upper"] for c in d.criteria))
        step = None
        for c in d.criteria[:PAGE_ONE_CRITERIA]:
            if len(steps) > 1 and c["upper"] != step:
                step = c["upper"]
                rows.append([self.cell(self.step(step), "cell_bold")] + [""] * (len(header) - 1))
            since = f"{c['since']:%Y-%m} ({_months(c['months'])})" if c["since"] else ""
            row = [
                str(c["number"]),
                self.cell(c["text"]),
                self.cell(f"{MARKS[c['status']]} {c['status']}"),
                self.cell(since),
            ]
            if calibrated:
                row.insert(3, self.cell(f"{MARKS[c['calibrated']]} {c['calibrated']}"))
            rows.append(row)
        story = [self.p(f"Promotion criteria ({len(d.criteria)}): {tally}", "h3")]
        story.append(_table(rows, widths))
        more = len(d.criteria) - PAGE_ONE_CRITERIA
        if more > 0:  # the project adds the page of the criteria section
            story.append(self.p(f"… and {more} more criteria", "meta"))
        return story

    def step(self, upper: str) -> str:
        ids = [level.id for level in self.d.fw.levels]
        lower = ids[ids.index(upper) - 1]
        return f"{self.d.fw.level(lower).name} → {self.d.fw.level(upper).name}"

    # -- readiness --------------------------------------------------------------------------

    def readiness_line(self, r: dict[str, Any]) -> str:
        text = f"{floors.score_text(r['total'])} / 100 — {r['verdict']}"
        if r["held_back"]:
            text += (
                f" (the score reaches {r['band']}; held back by {_count(len(r['gates']), 'gate')})"
            )
        return text

    def summary(self) -> list[Any]:
        d, r = self.d, self.d.readiness
        total = floors.score_text(r["total"])
        story: list[Any] = [
            self.p(f"Self-assessed: {total} / 100", "h2"),
            self.p(f"Verdict: {r['verdict']}", "label"),
        ]
        if r["held_back"]:
            story.append(
                self.p(
                    f"The score reaches {r['band']}, but the gates below cap the verdict at "
                    f"{r['verdict']}."
                )
            )
        if d.calibrated:
            story.append(
                self.p(
                    f"Calibrated by the manager: {self.readiness_line(d.calibrated)}. The same "
                    "formula with the manager's rating wherever they gave one."
                )
            )
        rows: list[list[Any]] = [["Dimension", "Weight", "Score", "Contribution"]]
        for dimension, score, counts_fully in r["dimensions"]:
            name: Any = self.cell(dimension.name)
            if counts_fully:
                name = [name, self.p("no skill expected — counts fully", "meta")]
            contribution = float(dimension.weight * score)
            score_text = f"{_number(float(score) * 100, 1)}%"
            rows.append([name, str(dimension.weight), score_text, f"{contribution:.1f} pts"])
        weights = sum(dimension.weight for dimension, _s, _c in r["dimensions"])
        rows.append(["Readiness", str(weights), "", f"{total} / 100"])
        story += [_table(rows, _fill([22 * mm, 22 * mm, 30 * mm])), self.p("Gates", "h3")]
        if r["gates"]:
            gates: list[list[Any]] = [["Gate", "Why it holds the verdict back"]]
            gates += [[self.cell(name), self.cell(state)] for name, state in d.gates]
            story.append(_table(gates, _fill([WIDTH * 0.55])))
        else:
            story.append(self.p("No gates: nothing holds the verdict back."))
        story.append(self.p("Largest gaps", "h3"))
        if r["gaps"]:
            gaps: list[list[Any]] = [["Skill", "Dimension", "Rating", "Points lost"]]
            for skill, dimension, value, expected, points in r["gaps"]:
                rating = f"{value} of {expected} expected"
                if value is None:
                    rating = f"not rated yet, {expected} expected"
                name, dimension_name = self.cell(skill.name), self.cell(dimension.name)
                gaps.append([name, dimension_name, rating, f"{points:.1f}"])
            story.append(_table(gaps, _fill([WIDTH * 0.28, 34 * mm, 20 * mm])))
        else:
            story.append(self.p("No skill loses readiness points."))
        return [*story, self.p("Projection", "h3"), self.p(d.projection)]

    # -- criteria and the manager's assessment ----------------------------------------------

    def cite(self, entry: dict[str, Any]) -> Paragraph:
        """An evidence entry cited by number, date and title, with its impact in one line."""
        text = f"<b>E{entry['number']}</b> · {entry['date'].isoformat()} · {escape(entry['title'])}"
        if entry["feedback"]:
            text += " — feedback from " + escape(entry["feedback"])
        for more in (entry["impact"], entry["link"]):
            if more:
                text += "<br/>" + escape(more)
        return Paragraph(text, self.s["run_in"])

    def criteria(self) -> list[Any]:
        d = self.d
        steps = list(dict.fromkeys(c["upper"] for c in d.criteria))
        story: list[Any] = []
        step = None
        for c in d.criteria:
            if len(steps) > 1 and c["upper"] != step:
                step = c["upper"]
                story.append(self.p(self.step(step), "h2"))
            status = f"<b>{MARKS[c['status']]} {c['status'].capitalize()}</b>"
            text = f"{status} by {escape(d.whose)} ratings"
            if c["calibrated"]:
                theirs = c["calibrated"]
                text += f"; {MARKS[theirs]} {theirs} as calibrated by the manager"
            if c["since"]:
                level = escape(d.fw.level(c["upper"]).name)
                text += (
                    f". Operating at {level} level on this criterion since {c['since']:%Y-%m}, "
                    f"{_months(c['months'])}"
                )
            header = ["Skill", d.short, "Expected"]
            widths = [30 * mm, 20 * mm]
            if d.assessment:
                header.insert(2, "Manager")
                widths.insert(1, 20 * mm)
            rows: list[list[Any]] = [[self.cell(h, "cell_bold") for h in header]]
            for name, value, expected, theirs in c["skills"]:
                mine = "not rated yet" if value is None else str(value)
                row = [self.cell(name), _against(mine, expected), str(expected)]
                if d.assessment:
                    row.insert(2, _against("" if theirs is None else str(theirs), expected))
                rows.append(row)
            story += [
                self.p(f"{c['number']}. {c['text']}", "h3"),
                Paragraph(text + ".", self.s["body"]),
                _table(rows, _fill(widths)),
                Spacer(0, 4),
            ]
            if not (c["evidence"] or c["quotes"] or c["above"]):
                story.append(self.p("No evidence in this period backs it yet.", "meta"))
            if c["evidence"]:
                story.append(self.p("Strongest evidence", "label"))
                story += [self.cite(entry) for entry in c["evidence"]]
            if c["also"]:
                also = ", ".join(f"E{n}" for n in c["also"])
                story.append(self.p(f"Also backed by {also}.", "meta"))
            for e in c["quotes"]:
                story += self.lines(f"“{e['description'] or ''}”", "quote")
                by = f"— {e['feedback']}, {e['date'].isoformat()} (E{e['number']})"
                story.append(self.p(by, "quote_by"))
            if c["above"]:
                above = ", ".join(f"E{n}" for n in c["above"])
                story.append(self.p(f"Feedback quoted above: {above}.", "meta"))
        return story

    def manager(self) -> list[Any]:
        d, a = self.d, self.d.assessment
        assert a is not None  # the section is printed only with one
        by = "the manager (unsigned: made before assessments were signed)"
        if a["assessor"]:
            by = a["assessor"] + (f", {a['role']}" if a["role"] else "")
        verdict = "No verdict recommended yet."
        if a["band"]:
            verdict = f"Recommended verdict: {a['band']}"
        story: list[Any] = [
            self.p(
                f"By {by} on {a['date'].isoformat()}. The ratings elsewhere are {d.whose} own; "
                "a figure with the manager's calibration says so."
            ),
            self.p("Recommendation", "h3"),
            self.p(verdict, "label"),
            *self.lines(a["rationale"] or "", "note"),
        ]
        if a["rows"]:
            story += [
                self.p("Calibration", "h3"),
                self.p(
                    f"The manager's rating of each skill they rated beside {d.whose} own at the "
                    "period's end, the largest disagreements first; the difference is the "
                    f"manager's rating minus {d.whose}.",
                    "meta",
                ),
                Spacer(0, 4),
            ]
            rows: list[list[Any]] = [
                ["Skill", "Dimension", self.cell(d.short, "cell_bold"), "Manager", "Difference"]
            ]
            for skill, dimension, mine, theirs, difference in a["rows"]:
                change = ""
                if difference is not None:
                    change = f"{difference:+d}".replace("-", "−") if difference else "0"
                rows.append([self.cell(skill), self.cell(dimension), mine, str(theirs), change])
            story.append(_table(rows, _fill([WIDTH * 0.3, 18 * mm, 17 * mm, 20 * mm])))
        if a["comments"]:
            story.append(self.p("Comments by dimension", "h3"))
        for dimension, text in a["comments"]:
            story += [self.p(dimension, "label"), *self.lines(text, "note")]
        return story

    # -- charts, skills, milestones, KPIs ---------------------------------------------------

    def charts(self) -> list[Any]:
        d = self.d
        axes = [dim.name for dim in d.fw.dimensions]
        top = float(d.fw.max_rating)
        categories, stacks = d.bars
        return [
            self.p("Ratings by dimension", "h2"),
            charts.radar(axes, top, d.radar, WIDTH * 0.8, BODY),
            self.p("Growth by dimension", "h2"),
            charts.small_multiples(d.growth, d.expected, top, WIDTH, BODY),
            self.p("Readiness over time", "h2"),
            charts.time_chart(
                d.readiness_series, (WIDTH, 70 * mm), (0, 100), "Readiness (0–100)", BODY
            ),
            self.p("Milestones by horizon", "h2"),
            charts.stacked_bars(categories, stacks, WIDTH, BODY),
        ]

    def skills(self) -> list[Any]:
        d, fw = self.d, self.d.fw
        counts: dict[str, int] = {}
        for entry in d.evidence:
            for kind, ref in entry["tags"]:
                if kind == "skill":
                    counts[ref] = counts.get(ref, 0) + 1
        story: list[Any] = [
            self.p(
                f"{d.whose} ratings: start is the rating before the period, end the rating at "
                "its end; ▼ marks a rating below the one expected at the target level, and — a "
                "skill not rated yet.",
                "meta",
            )
        ]
        widths = _fill([24 * mm, 13 * mm, 14 * mm, 17 * mm, 15 * mm, 17 * mm])
        for dimension in fw.dimensions:
            rows: list[list[Any]] = [
                ["Skill", "Criticality", "Start", "End", "Expected", "Change", "Evidence"],
                [self.cell(dimension.name, "cell_bold")] + [""] * 6,
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
                if old and new and not (old[1] or new[1]):
                    change = f"{(new[0] or 0) - (old[0] or 0):+d}".replace("-", "−")
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

    def milestones(self) -> list[Any]:
        d = self.d
        rows: list[list[Any]] = [["Milestone", "Due", "Status", "Status date", "Overdue"]]
        statuses = dict(floors.STATUSES)
        for horizon, horizon_name in floors.HORIZONS:
            due = floors.due(d.role_start, horizon)
            group = [m for m in d.fw.milestones if m.horizon == horizon]
            if group:
                rows.append([self.cell(horizon_name, "cell_bold"), "", "", "", ""])
            for milestone in group:
                status, dated, day = d.milestones.get(milestone.id, ("not-started", None, None))
                overdue = due < d.end and status not in ("done", "not-applicable")
                rows.append(
                    [
                        self.cell(milestone.title),
                        due.isoformat(),
                        self.cell(statuses.get(status, status)),
                        dated or day or "",
                        "Overdue" if overdue else "",
                    ]
                )
        return [_table(rows, _fill([22 * mm, 26 * mm, 22 * mm, 18 * mm]))]

    def kpis(self) -> list[Any]:
        rows: list[list[Any]] = [["KPI", "Last value", "Date", "Target", "Met"]]
        for kpi in self.d.fw.kpis:
            history = self.d.kpi_history[kpi.id]
            value, day = "", ""
            if history:
                value = _number(history[-1][1], 3) + (f"\xa0{kpi.unit}" if kpi.unit else "")
                day = history[-1][0].isoformat()
            rows.append(
                [
                    self.cell(kpi.name),
                    self.cell(value),
                    day,
                    self.cell(kpi.target_text),
                    self.cell(self.d.kpi_met[kpi.id]),
                ]
            )
        # The value column fits the widest value, so that a unit never breaks inside a word.
        widest = max(pdfmetrics.stringWidth(row[1].text, BODY, 8.5) for row in rows[1:])
        return [_table(rows, _fill([widest + 14, 20 * mm, WIDTH * 0.28, 24 * mm]))]

    # -- evidence, reflections, plan --------------------------------------------------------

    def highlights(self) -> list[Any]:
        fw = self.d.fw
        dimension_of = {s.id: s.dimension for s in fw.skills}
        grouped: dict[str, list[Any]] = {dim.id: [] for dim in fw.dimensions}
        other = []
        for entry in self.d.evidence:
            dims = {dimension_of[r] for k, r in entry["tags"] if k == "skill" and r in dimension_of}
            for dim in dims:
                grouped[dim].append(entry)
            if not dims:
                other.append(entry)
        story: list[Any] = []
        for name, entries in [*((d.name, grouped[d.id]) for d in fw.dimensions), ("Other", other)]:
            if not entries:
                continue
            story.append(self.p(name, "h2"))
            story += [self.cite(entry) for entry in entries[:HIGHLIGHTS]]
            more = len(entries) - HIGHLIGHTS
            if more > 0:
                entries_word = "entry" if more == 1 else "entries"
                text = (
                    f"… and {more} more {entries_word} in this period, in the evidence at the end."
                )
                story.append(self.p(text, "meta"))
        return story

    def reflections(self) -> list[Any]:
        story: list[Any] = []
        for day, notes in self.d.notes:
            story.append(self.p(day.isoformat(), "h3"))
            for label, text in notes:
                story += self.lines(text, "note", label)
        return story

    def plan(self) -> list[Any]:
        d = self.d
        story: list[Any] = [self.p("Goals", "h2")] if d.goals else []
        for _closed, _undated, due, title, status, notes, skills in d.goals:
            facts = [f"Status: {GOAL_STATUSES.get(status, status)}"]
            if due != dt.date.max:
                facts.append(f"due {due.isoformat()}")
            if skills:
                facts.append("skills: " + ", ".join(skills))
            story += [self.p(title, "label"), self.p(" · ".join(facts), "meta")]
            if d.private:
                story += self.lines(notes or "", "note")
        if d.learning:
            story.append(self.p("Learning", "h2"))
        for quarter, done, title, notes in d.learning:
            state = "done" if done else "not done yet"
            story.append(
                Paragraph(f"<b>{escape(quarter)}</b> {escape(title)} — {state}", self.s["run_in"])
            )
            if d.private:
                story += self.lines(notes or "", "note")
        return story

    def evidence(self) -> list[Any]:
        d = self.d
        story: list[Any] = [
            self.p(
                "Every entry of the period in this report, oldest first, in full; the pages "
                "before cite them by number.",
                "meta",
            )
        ]
        for entry in reversed(d.evidence):
            head = f"E{entry['number']} · {entry['date'].isoformat()} · {entry['title']}"
            story.append(self.p(head, "label"))
            if entry["feedback"]:
                story.append(self.p(f"Feedback from {entry['feedback']}", "meta"))
            for label, key in (
                ("Context", "context"),
                (f"What {d.short} did", "action"),
                ("Outcome", "outcome"),
                ("Metric", "metric"),
            ):
                story += self.lines(entry[key] or "", "note", label)
            quoted = d.quoted.get(entry["id"])
            if quoted is None:
                story += self.lines(entry["description"] or "", "note")
            else:
                story.append(self.p(f"Quoted in full under criterion {quoted}.", "meta"))
            if entry["tags"]:
                names = [d.names.get(tag, tag[1]) for tag in entry["tags"]]
                story.append(self.p("Tags: " + "; ".join(names), "meta"))
            if entry["link"]:
                story.append(self.p(f"Link: {entry['link']}", "meta"))
        return story
