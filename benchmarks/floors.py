"""The floors: the same numbers and the same pictures in the simplest direct code.

Data floors use nothing but `sqlite3` (one read-only connection, opened once),
the standard library and the loaded framework model (its weights, expectations,
dimensions, milestones and KPI targets). They return plain tuples, not models.

Drawing floors use nothing but Qt Charts: a `QChart`/`QPolarChart` with line or
stacked-bar series, the axes, the title and antialiasing the project also sets;
no palette, pens, tooltips or accessibility names.

Nothing here imports `app.services` or `ui`: a floor must not share code with
what it measures.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import sqlite3
from fractions import Fraction
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QPolarChart,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.framework.model import Framework

# (name, [(date, value), ...]) per series
Series = list[tuple[str, list[tuple[dt.date, float]]]]

HORIZONS = (
    ("30d", "30 days"),
    ("60d", "60 days"),
    ("90d", "90 days"),
    ("6m", "6 months"),
    ("12m", "12 months"),
)
STATUSES = (
    ("done", "Done"),
    ("in-progress", "In progress"),
    ("not-started", "Not started"),
    ("not-applicable", "Not applicable"),
)


def millis(day: dt.date) -> float:
    """Local midnight of `day` in milliseconds since the epoch, the x of a date on a
    `QDateTimeAxis`: what `QDateTime(day, 00:00).toMSecsSinceEpoch()` gives, without the
    time-zone lookup Qt makes for every conversion (about 70 µs each here)."""
    return dt.datetime(day.year, day.month, day.day).timestamp() * 1000


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def stage(con: sqlite3.Connection, profile_id: str, day: dt.date | None = None) -> tuple[str, str]:
    """(level, target) in force on `day` (the latest stage without a day)."""
    rows = con.execute(
        "SELECT effective_from, level, target_level FROM profile_stages"
        " WHERE profile_id = ? ORDER BY effective_from",
        (profile_id,),
    ).fetchall()
    in_force = [r for r in rows if day is None or r[0] <= day.isoformat()] or rows[:1]
    return in_force[-1][1], in_force[-1][2]


# -- data --------------------------------------------------------------------------------

_FINAL_RATINGS = """
SELECT c.id, c.date, r.skill_id, r.value, r.not_applicable
FROM checkins c
LEFT JOIN ratings r ON r.checkin_id = c.id AND (r.value IS NOT NULL OR r.not_applicable)
WHERE c.profile_id = ? AND c.status = 'final'
ORDER BY c.date, c.finalized_at, c.id
"""


def readiness_points(
    con: sqlite3.Connection, fw: Framework, profile_id: str
) -> list[tuple[str, dt.date, float | None]]:
    """(check-in id, date, readiness) per final check-in: every rating fetched in one
    ordered query and carried forward in a dict; exact sums as integers over a common
    denominator, one Fraction per dimension and check-in."""
    _level, target = stage(con, profile_id)
    weight = {c.id: c.weight for c in fw.criticalities}
    skills = {  # skill -> (dimension, weight, expected at the target)
        s.id: (s.dimension, weight[s.criticality], s.expected.get(target, 0))
        for s in fw.skills
        if s.expected.get(target, 0) > 0
    }
    scale = math.lcm(*(e for _d, _w, e in skills.values()))
    expected_weight = {d.id: 0 for d in fw.dimensions}
    for d, w, _e in skills.values():
        expected_weight[d] += w
    num = dict.fromkeys(expected_weight, 0)  # Σ w·min(R, E)·scale/E
    na = dict.fromkeys(expected_weight, 0)  # Σ w of skills rated not applicable
    held: dict[str, tuple[int, int]] = {}  # skill -> its (num, na) share
    points = []
    rows = con.execute(_FINAL_RATINGS, (profile_id,))
    for (checkin_id, day), ratings in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        for _c, _d, skill_id, value, not_applicable in ratings:
            if skill_id not in skills:
                continue
            d, w, e = skills[skill_id]
            old_num, old_na = held.get(skill_id, (0, 0))
            new = (0, w) if not_applicable else (w * min(value, e) * (scale // e), 0)
            held[skill_id] = new
            num[d] += new[0] - old_num
            na[d] += new[1] - old_na
        total = Fraction(0)
        assessable = False
        for dimension in fw.dimensions:
            counted = expected_weight[dimension.id] - na[dimension.id]
            if counted > 0:
                assessable = True
                total += Fraction(dimension.weight * num[dimension.id], scale * counted)
            else:
                total += dimension.weight
        points.append(
            (checkin_id, dt.date.fromisoformat(day), float(total) if assessable else None)
        )
    return points


def drawn_readiness(data_dir: Path) -> list[list[float]]:
    """The readiness line the Dashboard draws for the data folder's newest profile, as
    [milliseconds since the epoch, readiness] per point (for the bare visible floor)."""
    con = connect(data_dir / "rung.sqlite3")
    try:
        [(profile_id, framework, version)] = con.execute(
            "SELECT p.id, s.framework_id, s.framework_version FROM profiles p"
            " JOIN profile_stages s ON s.profile_id = p.id"
            " ORDER BY s.effective_from DESC LIMIT 1"
        ).fetchall()
        (snapshot,) = con.execute(
            "SELECT snapshot FROM frameworks WHERE framework_id = ? AND version = ?",
            (framework, version),
        ).fetchone()
        fw = Framework.model_validate_json(snapshot)
        return [
            [millis(day), value]
            for _id, day, value in readiness_points(con, fw, profile_id)
            if value is not None
        ]
    finally:
        con.close()


def projection(
    points: list[tuple[dt.date, float]], threshold: float
) -> tuple[str, tuple[dt.date, float, dt.date] | None]:
    """The least-squares line through readiness (floats) to the threshold: its status as the
    project names it, and (origin, value there, the day it reaches the threshold) if projected."""
    if points and points[-1][1] >= threshold:
        return "reached", None
    if len({d for d, _ in points}) < 3:
        return "too-few-points", None
    origin = points[0][0]
    xs = [(d - origin).days for d, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    if slope <= 0:
        return "not-projected", None
    intercept = mean_y - slope * mean_x
    reach = origin + dt.timedelta(days=math.ceil((threshold - intercept) / slope))
    return "projected", (origin, intercept, reach)


def ready_threshold(fw: Framework) -> float:
    return next(float(b.from_readiness) for b in fw.verdict_bands if b.ready)


def readiness_series(fw: Framework, points: list[tuple[dt.date, float]]) -> Series:
    """Readiness, the projection to Ready (if any) and the threshold line."""
    threshold = ready_threshold(fw)
    series: Series = [("Readiness", points)]
    end = points[-1][0] if points else dt.date.today()
    _status, line = projection(points, threshold)
    if line is not None:
        origin, intercept, reach = line
        series.append(("Projection", [(origin, intercept), (reach, threshold)]))
        end = max(end, reach)
    if points:
        series.append(("Ready threshold", [(points[0][0], threshold), (end, threshold)]))
    return series


def score_text(value: float) -> str:
    """Readiness as shown: one decimal, truncated."""
    shown = math.floor(value * 10) / 10
    return f"{shown:.0f}" if shown == int(shown) else f"{shown:.1f}"


def when_text(days: int) -> str:
    if days > 1:
        return f"in {days} days"
    if days == 1:
        return "tomorrow"
    if days == 0:
        return "today"
    return f"overdue by {-days} day{'s' if days != -1 else ''}"


def projection_words(
    status: str, line: tuple[dt.date, float, dt.date] | None, as_of: dt.date
) -> str:
    if line is not None:
        when = line[2].isoformat()
        if line[2] > as_of:
            return f"At this pace, Ready around {when}."
        return f"Your trend line crossed Ready on {when}; your latest readiness is below it."
    return {
        "reached": "The Ready threshold is reached.",
        "not-projected": "Not projected: readiness is not rising.",
        "too-few-points": "Not projected yet: it needs check-ins on three dates.",
    }[status]


def readiness_chart(con: sqlite3.Connection, fw: Framework, profile_id: str) -> Series:
    """Readiness, the least-squares projection to Ready (floats), and the threshold line."""
    points = readiness_points(con, fw, profile_id)
    return readiness_series(fw, [(day, value) for _id, day, value in points if value is not None])


_CURRENT = """
SELECT key, value, extra, day FROM (
    SELECT {key} AS key, {value} AS value, {extra} AS extra, c.date AS day,
           ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY c.date DESC, c.finalized_at DESC) AS n
    FROM {table} t JOIN checkins c ON c.id = t.checkin_id
    WHERE c.profile_id = ? AND c.status = 'final' AND c.date <= ? {where}
) WHERE n = 1
"""
CURRENT_RATINGS = _CURRENT.format(
    key="t.skill_id",
    value="t.value",
    extra="t.not_applicable",
    table="ratings",
    where="AND (t.value IS NOT NULL OR t.not_applicable)",
)
CURRENT_MILESTONES = _CURRENT.format(
    key="t.milestone_id", value="t.status", extra="NULL", table="milestone_statuses", where=""
)


def _mean(pairs: list[tuple[int, int]]) -> float:
    total = sum(w for w, _ in pairs)
    return float(Fraction(sum(w * v for w, v in pairs), total)) if total else 0.0


def radar_chart(
    con: sqlite3.Connection, fw: Framework, profile_id: str, as_of: dt.date
) -> list[tuple[str, list[float]]]:
    """Criticality-weighted mean rating per dimension, now, at the level and at the target."""
    level, target = stage(con, profile_id, as_of)
    weight = {c.id: c.weight for c in fw.criticalities}
    ratings = {k: (v, na) for k, v, na, _day in con.execute(CURRENT_RATINGS, (profile_id, as_of))}
    now, at_level, at_target = [], [], []
    for dimension in fw.dimensions:
        skills = [
            s for s in fw.skills if s.dimension == dimension.id and not ratings.get(s.id, (0, 0))[1]
        ]
        now.append(
            _mean([(weight[s.criticality], ratings.get(s.id, (0, 0))[0] or 0) for s in skills])
        )
        at_level.append(_mean([(weight[s.criticality], s.expected.get(level, 0)) for s in skills]))
        at_target.append(
            _mean([(weight[s.criticality], s.expected.get(target, 0)) for s in skills])
        )
    names = {lv.id: lv.name for lv in fw.levels}
    series = [("Your ratings", now), (f"Expected: {names[level]}", at_level)]
    if target != level:
        series.append((f"Expected: {names[target]} (target)", at_target))
    return series


def growth_chart(con: sqlite3.Connection, fw: Framework, profile_id: str) -> Series:
    """Criticality-weighted mean rating per dimension at each final check-in (n/a left out,
    never rated counts as 0), from the first check-in that rates one of its skills, and none
    while every one is n/a: the same ordered scan, uncapped, over every skill."""
    weight = {c.id: c.weight for c in fw.criticalities}
    skills = {s.id: (s.dimension, weight[s.criticality]) for s in fw.skills}
    total = {d.id: 0 for d in fw.dimensions}
    for d, w in skills.values():
        total[d] += w
    num = dict.fromkeys(total, 0)
    na = dict.fromkeys(total, 0)
    rated: set[str] = set()
    held: dict[str, tuple[int, int]] = {}
    series: dict[str, list[tuple[dt.date, float]]] = {d.id: [] for d in fw.dimensions}
    rows = con.execute(_FINAL_RATINGS, (profile_id,))
    for (_checkin_id, day), ratings in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        for _c, _d, skill_id, value, not_applicable in ratings:
            if skill_id not in skills:
                continue
            d, w = skills[skill_id]
            rated.add(d)
            old_num, old_na = held.get(skill_id, (0, 0))
            new = (0, w) if not_applicable else (w * value, 0)
            held[skill_id] = new
            num[d] += new[0] - old_num
            na[d] += new[1] - old_na
        when = dt.date.fromisoformat(day)
        for d, points in series.items():
            counted = total[d] - na[d]
            if d in rated and counted:
                if points and points[-1][0] == when:  # one point a date, the day's last
                    points.pop()
                points.append((when, float(Fraction(num[d], counted))))
    names = {d.id: d.name for d in fw.dimensions}
    return [(names[d], points) for d, points in series.items()]


def growth_expectations(
    con: sqlite3.Connection, fw: Framework, profile_id: str, as_of: dt.date
) -> tuple[list[str], list[list[float]]]:
    """The names of the expectation lines (at the level, at the target) and, per dimension,
    the criticality-weighted mean rating expected at each, n/a skills on `as_of` left out."""
    level, target = stage(con, profile_id, as_of)
    weight = {c.id: c.weight for c in fw.criticalities}
    na = {k for k, _v, extra, _d in con.execute(CURRENT_RATINGS, (profile_id, as_of)) if extra}
    names = {lv.id: lv.name for lv in fw.levels}
    levels = [(level, f"Expected: {names[level]}")]
    if target != level:
        levels.append((target, f"Expected: {names[target]} (target)"))
    values = []
    for d in fw.dimensions:
        kept = [s for s in fw.skills if s.dimension == d.id and s.id not in na]
        values.append(
            [
                _mean([(weight[s.criticality], s.expected.get(lv, 0)) for s in kept])
                for lv, _ in levels
            ]
        )
    return [name for _, name in levels], values


def skill_growth_chart(
    con: sqlite3.Connection, fw: Framework, profile_id: str, dimension_id: str
) -> Series:
    """Each skill of one dimension: its ratings in final check-ins (n/a left out), the
    last one held to the latest final check-in."""
    skills = [s for s in fw.skills if s.dimension == dimension_id]
    history: dict[str, list[tuple[dt.date, int | None]]] = {s.id: [] for s in skills}
    marks = ", ".join("?" * len(skills))
    rows = con.execute(
        "SELECT r.skill_id, c.date, r.value, r.not_applicable FROM ratings r"
        " JOIN checkins c ON c.id = r.checkin_id"
        " WHERE c.profile_id = ? AND c.status = 'final'"
        f" AND r.skill_id IN ({marks}) AND (r.value IS NOT NULL OR r.not_applicable)"
        " ORDER BY c.date, c.finalized_at",
        (profile_id, *history),
    )
    for skill_id, day, value, not_applicable in rows:
        when = dt.date.fromisoformat(day)
        if history[skill_id] and history[skill_id][-1][0] == when:
            history[skill_id].pop()  # one point a date, the day's last
        history[skill_id].append((when, None if not_applicable else value))
    (last,) = con.execute(
        "SELECT max(date) FROM checkins WHERE profile_id = ? AND status = 'final'", (profile_id,)
    ).fetchone()
    last_day = dt.date.fromisoformat(last) if last else None
    series = []
    for skill in skills:
        ratings = history[skill.id]
        if ratings and last_day and ratings[-1][0] < last_day:
            ratings.append((last_day, ratings[-1][1]))
        series.append((skill.name, [(d, float(v)) for d, v in ratings if v is not None]))
    return series


def milestone_chart(
    con: sqlite3.Connection, fw: Framework, profile_id: str, as_of: dt.date
) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """Milestones per horizon by their latest status on `as_of` (never set: not started)."""
    status = {k: v for k, v, _, _day in con.execute(CURRENT_MILESTONES, (profile_id, as_of))}
    categories = []
    counts: dict[str, list[float]] = {s: [] for s, _ in STATUSES}
    for horizon, name in HORIZONS:
        statuses = [status.get(m.id, "not-started") for m in fw.milestones if m.horizon == horizon]
        if statuses:
            categories.append(name)
            for s, _ in STATUSES:
                counts[s].append(float(statuses.count(s)))
    return categories, [(name, counts[s]) for s, name in STATUSES]


Reference = tuple[str, float, float | None]  # (name, y, y_high): a line, or a band


def kpi_chart(
    con: sqlite3.Connection, fw: Framework, profile_id: str, kpi_id: str
) -> tuple[Series, list[Reference], float, float]:
    """A KPI's values in final check-ins (one a date), its targets (a threshold as a line, a
    range as a band), and the padded y range."""
    kpi = next(k for k in fw.kpis if k.id == kpi_id)
    values: list[tuple[dt.date, float]] = []
    for day, value in con.execute(
        "SELECT c.date, k.value FROM kpi_values k JOIN checkins c ON c.id = k.checkin_id"
        " WHERE c.profile_id = ? AND c.status = 'final' AND k.kpi_id = ?"
        " ORDER BY c.date, c.finalized_at",
        (profile_id, kpi_id),
    ):
        when = dt.date.fromisoformat(day)
        if values and values[-1][0] == when:
            values.pop()
        values.append((when, value))
    references: list[Reference] = []
    for target in kpi.targets:
        if target.kind == "threshold":
            references.append((f"Target {target.comparator} {target.value:g}", target.value, None))
        elif target.kind == "range":
            references.append(
                (f"Target range {target.low:g}–{target.high:g}", target.low, target.high)
            )
    levels = [v for _, v in values] + [
        v for _n, y, h in references for v in (y, h) if v is not None
    ]
    low, high = (min(levels), max(levels)) if levels else (0.0, 1.0)
    pad = (high - low) * 0.1 or max(abs(high) * 0.1, 1.0)
    return [(kpi.name, values)], references, min(0.0, low - pad), high + pad


HORIZON_DAYS = {"30d": 30, "60d": 60, "90d": 90}
HORIZON_MONTHS = {"6m": 6, "12m": 12}


def month_day(index: int, day: int) -> dt.date:
    """Day `day` of the month `index` (year × 12 + month − 1), clamped to the month's end."""
    year, month = divmod(index, 12)
    following = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(day, (following - dt.timedelta(days=1)).day))


def due(start: dt.date, horizon: str) -> dt.date:
    """A milestone's due date: the role start plus its horizon (months as calendar months)."""
    if horizon in HORIZON_DAYS:
        return start + dt.timedelta(days=HORIZON_DAYS[horizon])
    index = start.year * 12 + start.month - 1 + HORIZON_MONTHS[horizon]
    return month_day(index, start.day)


def readiness_summary(
    fw: Framework,
    target: str,
    ratings: dict[str, Any],
    milestones: dict[str, Any],
    role_start: dt.date,
    as_of: dt.date,
) -> dict[str, Any]:
    """Dimension scores, gates (kind, id, name), the three largest gaps and the verdict on
    `as_of`, exactly.

    `ratings` and `milestones` are the rows of CURRENT_RATINGS and CURRENT_MILESTONES by key:
    skill → (value, not applicable, day), milestone → (status, None, day).
    """
    weight = {c.id: c.weight for c in fw.criticalities}
    critical = {c.id for c in fw.criticalities if c.critical}
    total = Fraction(0)
    dimensions, lost, gates = [], [], []
    for dimension in fw.dimensions:
        entries = [
            (s, s.expected.get(target, 0), ratings.get(s.id, (None, 0, None)))
            for s in fw.skills
            if s.dimension == dimension.id and s.expected.get(target, 0) > 0
        ]
        counted = [(s, e, r[0] or 0) for s, e, r in entries if not r[1]]
        weights = sum(weight[s.criticality] for s, _e, _r in counted)
        attained = {s.id: min(Fraction(r, e), Fraction(1)) for s, e, r in counted}
        score = Fraction(1)
        if counted:
            score = sum(weight[s.criticality] * attained[s.id] for s, _e, _r in counted) / weights
        total += dimension.weight * score
        dimensions.append((dimension, score, not counted))
        for skill, expected, (value, not_applicable, _day) in entries:
            if not_applicable:
                continue
            share = Fraction(weight[skill.criticality], weights)
            points = float(dimension.weight * share * (1 - attained[skill.id]))
            lost.append((skill, dimension, value, expected, points))
            if skill.criticality in critical and (value or 0) < expected:
                gates.append(("critical-skill", skill.id, skill.name))
    for milestone in fw.milestones:
        day = due(role_start, milestone.horizon)
        status = milestones.get(milestone.id, ("not-started",))[0]
        if day < as_of and status not in ("done", "not-applicable"):
            gates.append(("overdue-milestone", milestone.id, milestone.title))
    bands = fw.verdict_bands
    band = max(i for i, b in enumerate(bands) if total >= Fraction(str(b.from_readiness)))
    ready = next(i for i, b in enumerate(bands) if b.ready)
    verdict = ready - 1 if gates and band >= ready else band
    gaps = sorted((g for g in lost if g[4] > 0), key=lambda g: -g[4])[:3]
    return {
        "total": float(total),
        "dimensions": dimensions,
        "gates": gates,
        "gaps": gaps,
        "band": bands[band].name,
        "verdict": bands[verdict].name,
        "held_back": verdict != band,
    }


# -- drawing -----------------------------------------------------------------------------


def _view(chart: QChart, size: tuple[int, int]) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.resize(*size)
    return view


def _time_chart(
    title: str,
    x_range: tuple[dt.date, dt.date],
    y_range: tuple[float, float],
    series: Series,
    references: list[Reference],
) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    x_axis = QDateTimeAxis()
    x_axis.setFormat("yyyy-MM")
    y_axis = QValueAxis()
    y_axis.setRange(*y_range)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    first, last = x_range
    x_axis.setRange(QDateTime(first, dt.time()), QDateTime(last, dt.time()))
    x_axis.setTickCount(8)
    ends = [millis(day) for day in x_range]
    for name, y, y_high in references:  # under the series, across the dates
        lower = QLineSeries()
        for x in ends:
            lower.append(x, y)
        if y_high is None:
            lower.setName(name)
            added: Any = lower
        else:
            upper = QLineSeries()
            for x in ends:
                upper.append(x, y_high)
            added = QAreaSeries(upper, lower)
            added.setName(name)
            lower.setParent(added)
            upper.setParent(added)
        chart.addSeries(added)
        added.attachAxis(x_axis)
        added.attachAxis(y_axis)
    for name, points in series:
        line = QLineSeries()
        line.setName(name)
        for day, value in points:
            line.append(millis(day), value)
        chart.addSeries(line)
        line.attachAxis(x_axis)
        line.attachAxis(y_axis)
    return chart


def draw_time_chart(
    title: str,
    y_range: tuple[float, float],
    series: Series,
    size: tuple[int, int],
    references: list[Reference] | None = None,
) -> QChartView:
    """Lines on a date axis: the points as given (step corners included by the caller),
    after the reference lines and bands across the dates."""
    days = [d for _, points in series for d, _ in points]
    chart = _time_chart(title, (min(days), max(days)), y_range, series, references or [])
    return _view(chart, size)


class Grid(QWidget):
    """Small charts in a grid under a title: `views` holds them."""

    def __init__(self, title: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title, self))
        self.grid = QGridLayout()
        layout.addLayout(self.grid, 1)
        self.views: list[QChartView] = []


def draw_small_multiples(
    title: str,
    x_range: tuple[dt.date, dt.date],
    y_range: tuple[float, float],
    panels: list[tuple[str, Series, list[Reference]]],
    size: tuple[int, int],
) -> Grid:
    """A chart per panel, three to a row, on the same axes."""
    grid = Grid(title)
    columns = 2 if len(panels) in (2, 4) else min(3, len(panels))
    for index, (name, series, references) in enumerate(panels):
        view = QChartView(_time_chart(name, x_range, y_range, series, references), grid)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        grid.grid.addWidget(view, index // columns, index % columns)
        grid.views.append(view)
    grid.resize(*size)
    return grid


def draw_radar_chart(
    title: str,
    axes: list[str],
    top: float,
    series: list[tuple[str, list[float]]],
    size: tuple[int, int],
) -> QChartView:
    chart = QPolarChart()
    chart.setTitle(title)
    angular = QCategoryAxis()
    angular.setRange(0, len(axes))
    angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for index, name in enumerate(axes):
        angular.append(name, index)
    radial = QValueAxis()
    radial.setRange(0, top)
    radial.setTickCount(int(top) + 1)
    chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
    chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
    for name, values in series:
        line = QLineSeries()
        line.setName(name)
        for position, value in enumerate([*values, values[0]]):
            line.append(position, value)
        line.setPointsVisible(True)
        chart.addSeries(line)
        line.attachAxis(angular)
        line.attachAxis(radial)
    return _view(chart, size)


def draw_bar_chart(
    title: str,
    categories: list[str],
    stacks: list[tuple[str, list[float]]],
    top: float,
    size: tuple[int, int],
) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    bars = QStackedBarSeries()
    for name, values in stacks:
        bar_set = QBarSet(name)
        bar_set.append(values)
        bars.append(bar_set)
    chart.addSeries(bars)
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    y_axis = QValueAxis()
    y_axis.setRange(0, top)
    y_axis.setTickCount(int(top) + 1)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(x_axis)
    bars.attachAxis(y_axis)
    return _view(chart, size)
