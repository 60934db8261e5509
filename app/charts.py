"""Chart data, computed once here and drawn by `ui/charts.py` and by the PDF report.

Every chart is plain data (titles, axes, series, points, reference lines) so
that the screen and the report show the same numbers; nothing here knows how
it is drawn. The design is decided here too, so that both draw the same thing:

- each series' **look** (a colour of the palette, a dash pattern, a marker
  shape): no two series of a chart share a colour, and series differ in dash
  and marker as well, so they stay apart in greyscale (`Look`, assigned by the
  charts' validators unless a series brings its own);
- which points carry a **marker** (`marked`): every one on a short series, so
  that a single check-in shows as a dot, a few spread out on a long one;
- the **date range** and its ticks (`TimeChart.x_range`, `date_ticks`);
- what an empty chart says instead of empty axes (`empty_text`);
- the colours that carry a meaning (milestone statuses, `STATUS_FILLS`).

Many series are never drawn as one tangle: they are `SmallMultiples`, one small
chart per dimension or skill on shared axes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

Style = Literal["solid", "dashed", "dotted"]
Dash = Literal[
    "solid",
    "dashed",
    "dotted",
    "long-dash",
    "dash-dot",
    "dash-dot-dot",
    "long-dash-dot",
    "long-dash-dot-dot",
]
Marker = Literal["circle", "square", "triangle", "diamond", "pentagon", "star"]

# The eight colours of Okabe & Ito's palette (distinguishable with the common forms of
# colour blindness), in the order a chart's series take them; dark ink first, the pale
# yellow last. On dark backgrounds the blue is lightened to keep 4:1 contrast and black
# becomes white; the other six read on both.
LIGHT_COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
DARK_COLOURS = (
    "#1A80C4",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#FFFFFF",
    "#F0E442",
)

# Dash patterns in line widths (on, off, on, off, …); "solid" has none.
DASH_PATTERNS: dict[Dash, tuple[float, ...]] = {
    "solid": (),
    "dashed": (4.0, 2.5),
    "dotted": (1.0, 2.0),
    "long-dash": (10.0, 2.5),
    "dash-dot": (6.0, 2.0, 1.0, 2.0),
    "dash-dot-dot": (6.0, 2.0, 1.0, 2.0, 1.0, 2.0),
    "long-dash-dot": (12.0, 2.5, 1.0, 2.5),
    "long-dash-dot-dot": (12.0, 2.0, 1.0, 2.0, 1.0, 2.0),
}
# Measured series take these in turn (the first is solid), one for each marker shape; none
# looks like the dashed projection or the dotted reference lines.
MEASURED_DASHES: tuple[Dash, ...] = (
    "solid",
    "long-dash",
    "dash-dot",
    "dash-dot-dot",
    "long-dash-dot",
    "long-dash-dot-dot",
)
REFERENCE_DASHES: tuple[Dash, ...] = ("dotted", "dashed", "dash-dot-dot")
MARKERS: tuple[Marker, ...] = ("circle", "square", "triangle", "diamond", "pentagon", "star")

MAX_MARKED_POINTS = 60  # a longer series gets a few markers, spread out
SPREAD_MARKERS = 10
SINGLE_DAY_PAD = dt.timedelta(days=15)  # each side of a chart whose points share one date


class Look(BaseModel):
    """How a series is drawn, on screen and on paper alike."""

    model_config = ConfigDict(frozen=True)

    colour: int  # an index into LIGHT_COLOURS / DARK_COLOURS
    dash: Dash = "solid"
    marker: Marker | None = None

    def hex(self, dark: bool = False) -> str:
        colours = DARK_COLOURS if dark else LIGHT_COLOURS
        return colours[self.colour % len(colours)]


# Small multiples: one series per panel in the first, dark colour, with markers; the
# expectations as reference lines, dotted at the current level and dashed at the target.
PANEL_LOOK = Look(colour=0, dash="solid", marker="circle")
# Readiness over time: the same looks whether or not there is a projection.
PROJECTION_LOOK = Look(colour=1, dash="dashed")
THRESHOLD_LOOK = Look(colour=2, dash="dotted")
LEVEL_LOOK = Look(colour=1, dash="dotted")
TARGET_LOOK = Look(colour=2, dash="dashed")


class Fill(BaseModel):
    """A colour with a meaning (a milestone status), the same in both palettes and on paper."""

    model_config = ConfigDict(frozen=True)

    colour: str
    hatch: bool = False  # grey diagonal lines over the colour


# Distinct in lightness (CIE L* 46, 63, 81, 93), so they stay apart in greyscale.
STATUS_FILLS: dict[str, Fill] = {
    "done": Fill(colour="#0072B2"),  # the palette's blue
    "not-started": Fill(colour="#999999"),  # a neutral grey
    "in-progress": Fill(colour="#F5C04A"),  # a light amber
    "not-applicable": Fill(colour="#EBEBEB", hatch=True),  # light grey, hatched
}
HATCH_COLOUR = "#8C8C8C"


class _Assigner:
    """Hands out looks in a chart's order: a colour no other series has, and a dash and
    marker by kind. Past eight series colours repeat, with another dash pattern."""

    def __init__(self, taken: Sequence[Look | None]) -> None:
        self._taken = {look.colour for look in taken if look is not None}
        self._next = 0
        self._measured = 0
        self._references = 0

    def _colour(self) -> int:
        for _ in range(len(LIGHT_COLOURS)):
            colour = self._next
            self._next += 1
            if colour % len(LIGHT_COLOURS) not in self._taken:
                return colour % len(LIGHT_COLOURS)
        colour = self._next % len(LIGHT_COLOURS)
        self._next += 1
        return colour

    def measured(self) -> Look:
        k = self._measured
        self._measured += 1
        dash = MEASURED_DASHES[(k + k // len(LIGHT_COLOURS)) % len(MEASURED_DASHES)]
        return Look(colour=self._colour(), dash=dash, marker=MARKERS[k % len(MARKERS)])

    def styled(self, style: Style, marker: bool) -> Look:
        """A series with a dash of its own meaning (an expectation, a projection)."""
        if style == "solid":
            return self.measured()
        k = self._measured
        self._measured += 1
        return Look(
            colour=self._colour(), dash=style, marker=MARKERS[k % len(MARKERS)] if marker else None
        )

    def reference(self) -> Look:
        j = self._references
        self._references += 1
        return Look(colour=self._colour(), dash=REFERENCE_DASHES[j % len(REFERENCE_DASHES)])

    def band(self) -> Look:
        return Look(colour=self._colour())


class TimePoint(BaseModel):
    x: dt.date
    y: float


class TimeSeries(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error

    name: str
    points: list[TimePoint]
    step: bool = False  # a value holds until the next point (ratings carried forward)
    projected: bool = False  # a fitted line, not check-ins: dashed, without markers
    look: Look | None = None  # assigned by the chart unless given


class Reference(BaseModel):
    """A horizontal line at `y` (a threshold, an expectation), or a band from `y` to `y_high`
    (a target range), across the whole date range of its chart."""

    model_config = ConfigDict(extra="forbid")

    name: str
    y: float
    y_high: float | None = None
    look: Look | None = None

    @property
    def band(self) -> bool:
        return self.y_high is not None


class TimeChart(BaseModel):
    """Lines over a date axis, with reference lines and bands."""

    model_config = ConfigDict(extra="forbid")

    title: str
    y_label: str
    y_min: float
    y_max: float
    series: list[TimeSeries]
    references: list[Reference] = []
    x_label: str = "Date"
    # The date axis; by default the series' own dates.
    x_min: dt.date | None = None
    x_max: dt.date | None = None
    empty_text: str = "No check-ins yet"  # shown instead of the chart when it has no point

    @model_validator(mode="after")
    def _assign_looks(self) -> TimeChart:
        assign = _Assigner([s.look for s in self.series] + [r.look for r in self.references])
        for series in self.series:
            if series.look is None:
                projected = series.projected
                series.look = assign.styled("dashed", False) if projected else assign.measured()
        for reference in self.references:
            if reference.look is None:
                reference.look = assign.band() if reference.band else assign.reference()
        return self

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)

    def looks(self) -> list[Look]:
        """Each series' look, then each reference's."""
        return [s.look or PANEL_LOOK for s in self.series] + [
            r.look or LEVEL_LOOK for r in self.references
        ]

    def x_range(self) -> tuple[dt.date, dt.date] | None:
        """The dates the axis spans: `x_min`..`x_max`, else the series' first and last
        dates; a single date gets SINGLE_DAY_PAD on each side. None without any date."""
        days = [p.x for s in self.series for p in s.points]
        first = self.x_min or (min(days) if days else None)
        last = self.x_max or (max(days) if days else None)
        if first is None or last is None:
            return None
        if last <= first:
            return first - SINGLE_DAY_PAD, first + SINGLE_DAY_PAD
        return first, last

    def y_range(self) -> tuple[float, float]:
        """`y_min`..`y_max`, widened to any point or reference outside it."""
        values = [p.y for s in self.series for p in s.points]
        values += [v for r in self.references for v in (r.y, r.y_high) if v is not None]
        return min([self.y_min, *values]), max([self.y_max, *values])


class SmallMultiples(BaseModel):
    """One small chart per item (a dimension, a skill), each with a single series, all on
    the same axes: every panel spans the same dates and `y_min`..`y_max`.

    A panel's title is the item's name; its series and reference lines have the same
    names and looks in every panel, so one legend serves the grid.
    """

    model_config = ConfigDict(extra="forbid")

    title: str
    y_label: str
    y_min: float
    y_max: float
    # The whole history's first and last dates; by default the panels' own.
    x_min: dt.date | None = None
    x_max: dt.date | None = None
    panels: list[TimeChart]
    empty_text: str = "No check-ins yet"  # shown instead of the grid when no panel has a point

    @model_validator(mode="after")
    def _share_axes(self) -> SmallMultiples:
        days = [p.x for panel in self.panels for s in panel.series for p in s.points]
        if days and self.x_min is None:
            self.x_min = min(days)
        if days and self.x_max is None:
            self.x_max = max(days)
        for panel in self.panels:
            panel.y_min, panel.y_max = self.y_min, self.y_max
            panel.x_min, panel.x_max = self.x_min, self.x_max
            panel.y_label = self.y_label
        return self

    @property
    def empty(self) -> bool:
        return all(panel.empty for panel in self.panels)

    def legend(self) -> list[tuple[str, Look, bool]]:
        """The grid's legend: each (name, look, is a band) of its panels, once, in order."""
        seen: dict[tuple[str, Look], bool] = {}
        for panel in self.panels:
            for series in panel.series:
                seen.setdefault((series.name, series.look or PANEL_LOOK), False)
            for reference in panel.references:
                seen.setdefault((reference.name, reference.look or LEVEL_LOOK), reference.band)
        return [(name, look, band) for (name, look), band in seen.items()]


class RadarSeries(BaseModel):
    name: str
    values: list[float]  # one per axis
    style: Style = "solid"
    look: Look | None = None


class RadarChart(BaseModel):
    title: str
    axes: list[str]
    max_value: float
    series: list[RadarSeries]

    @model_validator(mode="after")
    def _assign_looks(self) -> RadarChart:
        assign = _Assigner([s.look for s in self.series])
        for series in self.series:
            if series.look is None:
                series.look = assign.styled(series.style, True)
        return self


class BarSeries(BaseModel):
    name: str
    values: list[float]  # one per category
    fill: Fill | None = None  # a colour with a meaning; else the palette's, in order


class BarChart(BaseModel):
    """Stacked bars, one per category."""

    title: str
    y_label: str
    categories: list[str]
    stacks: list[BarSeries]


def bar_fills(chart_stacks: Sequence[BarSeries], dark: bool = False) -> list[Fill]:
    """Each stack's fill: its own, or the palette's next colour no other stack has."""
    taken = {s.fill.colour for s in chart_stacks if s.fill}
    colours = iter(c for c in (DARK_COLOURS if dark else LIGHT_COLOURS) if c not in taken)
    return [s.fill or Fill(colour=next(colours, LIGHT_COLOURS[0])) for s in chart_stacks]


def marked(count: int, series_index: int = 0, series_count: int = 1) -> list[int]:
    """The indices of a series' points that carry a marker: every one up to
    MAX_MARKED_POINTS (so that a single check-in is a dot), else about SPREAD_MARKERS
    spread out, each series of a chart starting at another offset."""
    if count <= MAX_MARKED_POINTS:
        return list(range(count))
    every = math.ceil(count / SPREAD_MARKERS)
    start = (series_index * every) // max(1, series_count)
    return list(range(start, count, every))


_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)


def date_ticks(
    first: dt.date, last: dt.date, most: int = 200
) -> Iterator[list[tuple[dt.date, str]]]:
    """Round dates to mark between first and last, finest first: days, weeks (Mondays),
    months, years. Each list is labelled in the precision of its step (2026-03-02,
    2026-03, 2026). Lists of more than `most` ticks are skipped."""
    span = max(1, (last - first).days)
    for days in _DAY_STEPS:
        if span / days > most:
            continue
        day = first
        if days >= 7:
            day += dt.timedelta(days=-first.weekday() % 7)
        ticks = []
        while day <= last:
            ticks.append((day, day.isoformat()))
            day += dt.timedelta(days=days)
        yield ticks
    for months in _MONTH_STEPS:
        if span / (months * 30.4) > most:
            continue
        index = first.year * 12 + first.month - 1 + (first.day > 1)
        index = -(-index // months) * months
        pattern = "%Y" if months >= 12 else "%Y-%m"
        ticks = []
        while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
            ticks.append((day, day.strftime(pattern)))
            index += months
        yield ticks


def within(chart: TimeChart, start: dt.date, end: dt.date) -> TimeChart:
    """The chart's points dated in [start, end] (a report's period)."""
    series = [
        s.model_copy(update={"points": [p for p in s.points if start <= p.x <= end]})
        for s in chart.series
    ]
    text = chart.empty_text if chart.empty else "No check-ins in this period"
    return chart.model_copy(update={"series": series, "empty_text": text})


def multiples_within(chart: SmallMultiples, start: dt.date, end: dt.date) -> SmallMultiples:
    """The panels' points dated in [start, end], on the dates of the period that have any."""
    panels = []
    for panel in chart.panels:
        kept = within(panel, start, end)
        text = "Not rated in this period" if kept.empty and not panel.empty else panel.empty_text
        panels.append(kept.model_copy(update={"empty_text": text}))
    days = [p.x for panel in panels for s in panel.series for p in s.points]
    x_min, x_max = (min(days), max(days)) if days else (None, None)
    return chart.model_copy(
        update={
            "panels": [p.model_copy(update={"x_min": x_min, "x_max": x_max}) for p in panels],
            "x_min": x_min,
            "x_max": x_max,
            "empty_text": chart.empty_text if chart.empty else "No check-ins in this period",
        }
    )
