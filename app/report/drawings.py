"""The report's charts as vector drawings, from the same chart data the Dashboard draws.

Each function returns a ReportLab `Drawing`, which is a platypus flowable.
Reports are often printed in greyscale, so series differ by dash pattern and
marker (stacked bars by hatching) as well as by the Okabe–Ito colours of
`ui/charts.py`. The chart's title is left to the page, which prints it as a
heading.

Text is drawn here rather than by ReportLab's legends and labels: those draw a
string in one font, and no bundled face covers a name like "数据 Данные", so
each string is split into runs of the faces that have its glyphs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import VerticalBarChart  # type: ignore[import-untyped]
from reportlab.graphics.charts.lineplots import LinePlot  # type: ignore[import-untyped]
from reportlab.graphics.charts.spider import SpiderChart  # type: ignore[import-untyped]
from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, Rect, String  # type: ignore[import-untyped]
from reportlab.graphics.widgets.markers import makeMarker  # type: ignore[import-untyped]
from reportlab.lib.colors import Color, HexColor, black, white  # type: ignore[import-untyped]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped]

from app.charts import (
    DASH_PATTERNS,
    HATCH_COLOUR,
    LIGHT_COLOURS,
    BarChart,
    Fill,
    Look,
    Marker,
    RadarChart,
    SmallMultiples,
    TimeChart,
    TimeSeries,
    bar_fills,
    date_ticks,
    marked,
)
from app.report import fonts, rtl

COLOURS = LIGHT_COLOURS  # paper is white
MARKERS: dict[Marker, str] = {
    "circle": "FilledCircle",
    "square": "FilledSquare",
    "triangle": "FilledTriangle",
    "diamond": "FilledDiamond",
    "pentagon": "FilledPentagon",
    "star": "FilledStarFive",
}
Dash = tuple[float, ...] | None
Anchor = Literal["start", "middle", "end"]

TICK_SIZE = 7.0
TEXT_SIZE = 8.0
LEADING = 1.2
LINE_WIDTH = 1.5
MARKER_SIZE = 4.5
BAND_TINT = 0.22  # a target band: its colour this strong over white
GRID = HexColor("#D0D0D0")
AXIS = HexColor("#808080")
GRID_WIDTH = 0.25
AXIS_WIDTH = 0.5
PAD = 4.0
MIN_TICK_GAP = 24.0  # vertical room per value tick

LEGEND_SWATCH = 24.0
LEGEND_TEXT_SPACE = 4.0
LEGEND_ROW = 11.0
LEGEND_COLUMN_GAP = 12.0
LEGEND_TEXT_MAX = 170.0  # longer names are cut with an ellipsis, in the legend only
LEGEND_SHARE = 0.3  # of the drawing's height, at most

PANEL_GAP = 10.0  # between the panels of small multiples
PANEL_TITLE_LINES = 2  # a longer panel title is cut with an ellipsis on its last line

RADAR_LABEL_RADIUS = 1.08  # spoke labels just outside the outer ring
RADAR_LABEL_SHARE = 0.22  # of the width, at most, for a side label before it wraps


@dataclass(frozen=True)
class _Look:
    """How one series is drawn, shared by its line, band or bar and its legend swatch."""

    colour: Color
    dash: Dash = None
    marker: str | None = None
    hatch: int = 0  # hatching over a bar: 1 rising, -1 falling, 0 none
    hatch_colour: Color = white
    band: bool = False  # a filled band (a target range), not a line

    def make_marker(self, x: float = 0.0, y: float = 0.0) -> Any:
        return makeMarker(
            self.marker,
            x=x,
            y=y,
            size=MARKER_SIZE,
            fillColor=self.colour,
            strokeColor=white,  # a thin edge keeps a marker apart from its line
            strokeWidth=0.4,
        )

    @property
    def tint(self) -> Color:
        """The band's fill: the colour, faint, as if over white paper."""
        c = self.colour
        return Color(*(1 - BAND_TINT * (1 - v) for v in (c.red, c.green, c.blue)))


def _look(look: Look | None, band: bool = False, width: float = LINE_WIDTH) -> _Look:
    """The PDF's form of a look decided by the chart data (`app.charts`)."""
    look = look or Look(colour=0)
    pattern = DASH_PATTERNS[look.dash]
    return _Look(
        colour=HexColor(look.hex()),
        dash=tuple(v * width for v in pattern) if pattern else None,
        marker=MARKERS[look.marker] if look.marker else None,
        band=band,
    )


def _fill_look(fill: Fill) -> _Look:
    hatch = 1 if fill.hatch else 0
    return _Look(colour=HexColor(fill.colour), hatch=hatch, hatch_colour=HexColor(HATCH_COLOUR))


def _bar_looks(count: int) -> list[_Look]:
    """Bars without a meaning of their own: the palette in order, every other one hatched
    white so that neighbours differ in greyscale."""
    hatches = (0, 1, 0, -1)
    return [
        _Look(colour=HexColor(COLOURS[i % len(COLOURS)]), hatch=hatches[i % len(hatches)])
        for i in range(count)
    ]


# Text ------------------------------------------------------------------------------------------


def _width(text: str, size: float = TEXT_SIZE) -> float:
    return sum(float(stringWidth(part, face, size)) for face, part in fonts.runs(text))


def _text(
    x: float, y: float, text: str, size: float = TEXT_SIZE, anchor: Anchor = "start"
) -> Group:
    """`text` on a baseline at (x, y), each run in a face that has its glyphs, right-to-left
    script in visual order."""
    runs = fonts.runs(rtl.visual(text))
    widths = [float(stringWidth(part, face, size)) for face, part in runs]
    left = {"start": x, "middle": x - sum(widths) / 2, "end": x - sum(widths)}[anchor]
    group = Group()
    for (face, part), width in zip(runs, widths, strict=True):
        group.add(String(left, y, part, fontName=face, fontSize=size, fillColor=black))
        left += width
    return group


def _vertical_text(x: float, y: float, text: str, length: float) -> Group:
    """The title of a value axis, read bottom to top, centred on (x, y), cut to its length."""
    label = _ellipsised(text, length)
    return Group(_text(0, 0, label, anchor="middle"), transform=(0, 1, -1, 0, x, y))


def _wrapped(text: str, width: float, size: float = TEXT_SIZE) -> list[str]:
    """`text` in lines no wider than `width` where it can break (a long word is split)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for char in word:  # scripts without spaces, or one very long word
            if current and _width(current + char, size) > width:
                lines.append(current)
                current = ""
            current += char
    if current or not lines:
        lines.append(current)
    return lines


def _ellipsised(text: str, width: float) -> str:
    """`text` cut to `width` with an ellipsis; bisection keeps very long names cheap."""
    if _width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if _width(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _message(drawing: Drawing, box: tuple[float, float, float, float], text: str) -> None:
    """An empty frame saying why there is nothing to draw."""
    x, y, w, h = box
    drawing.add(Rect(x, y, w, h, strokeColor=AXIS, strokeWidth=AXIS_WIDTH, fillColor=None))
    drawing.add(_text(x + w / 2, y + h / 2 - TEXT_SIZE / 3, text, anchor="middle"))


# Legend ----------------------------------------------------------------------------------------


def _swatch(look: _Look, x: float, y: float, bar: bool) -> list[Any]:
    """The sample of a series in the legend, centred vertically on y."""
    if bar or look.band:
        h = TEXT_SIZE
        fill = look.tint if look.band else look.colour
        edge = look.colour if look.band else None
        shapes: list[Any] = [
            Rect(x, y - h / 2, LEGEND_SWATCH, h, fillColor=fill, strokeColor=edge, strokeWidth=0.5)
        ]
        return shapes + _hatch(x, y - h / 2, LEGEND_SWATCH, h, look.hatch, look.hatch_colour)
    line = Line(x, y, x + LEGEND_SWATCH, y, strokeColor=look.colour, strokeWidth=LINE_WIDTH)
    line.strokeDashArray = look.dash
    shapes = [line]
    if look.marker:
        shapes.append(look.make_marker(x + LEGEND_SWATCH / 2, y))
    return shapes


def _legend(
    entries: Sequence[tuple[_Look, str]], width: float, max_height: float, bar: bool = False
) -> tuple[Group, float]:
    """A legend across the bottom of `width`, at most `max_height` tall, and its height.

    Names fill columns as wide as the longest one (cut with an ellipsis past a
    limit), row by row; what does not fit becomes a last entry "and N more".
    """
    group = Group()
    if not entries:
        return group, 0.0

    def grid(longest: float) -> tuple[float, float, int, int]:
        text_width = min(
            longest, LEGEND_TEXT_MAX, max(20.0, width - LEGEND_SWATCH - LEGEND_TEXT_SPACE)
        )
        column = LEGEND_SWATCH + LEGEND_TEXT_SPACE + text_width + LEGEND_COLUMN_GAP
        columns = max(1, min(len(entries), int((width + LEGEND_COLUMN_GAP) // column)))
        rows = min(math.ceil(len(entries) / columns), max(1, int(max_height // LEGEND_ROW)))
        return text_width, column, columns, rows

    longest = max(_width(name) for _look, name in entries)
    text_width, column, columns, rows = grid(longest)
    shown = list(entries)
    more = ""
    if len(shown) > rows * columns:  # make room for "and N more" too, then fill
        text_width, column, columns, rows = grid(max(longest, _width(f"and {len(shown)} more")))
        shown = shown[: rows * columns - 1]
        more = f"and {len(entries) - len(shown)} more"
    left = max(0.0, (width - (columns * column - LEGEND_COLUMN_GAP)) / 2)
    height = rows * LEGEND_ROW
    for index, (look, name) in enumerate([*shown, (None, more)] if more else shown):
        x = left + (index % columns) * column
        middle = height - (index // columns + 0.5) * LEGEND_ROW
        if look is not None:
            for shape in _swatch(look, x, middle, bar):
                group.add(shape)
        label = _ellipsised(name, text_width)
        group.add(_text(x + LEGEND_SWATCH + LEGEND_TEXT_SPACE, middle - TEXT_SIZE / 3, label))
    return group, height


# Axes ------------------------------------------------------------------------------------------


def _nice_step(span: float, ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) giving at most about `ticks` intervals."""
    raw = span / max(1, ticks)
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if raw <= m * power * (1 + 1e-9))


def _value_ticks(low: float, high: float, length: float) -> tuple[list[float], list[str]]:
    """Round tick values covering low..high, and their labels."""
    if not high > low:
        low, high = low - 1, high + 1
    step = _nice_step(high - low, max(1, int(length // MIN_TICK_GAP)))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    values = [i * step for i in range(first, last + 1)]
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    if decimals and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1  # 2.5, 0.25
    return values, [f"{v:.{decimals}f}" for v in values]


def _date_ticks(
    first: dt.date, last: dt.date, length: float, size: float = TICK_SIZE
) -> list[tuple[dt.date, str]]:
    """The finest of `app.charts.date_ticks` whose labels fit side by side in `length`."""
    ticks: list[tuple[dt.date, str]] = []
    for ticks in date_ticks(first, last, most=max(1, int(length // 10))):
        widest = max((_width(label, size) for _d, label in ticks), default=0.0)
        if len(ticks) * (widest + 12) <= length:
            return ticks
    return ticks


def _style_axis(axis: Any, grid: bool) -> None:
    axis.strokeColor = AXIS
    axis.strokeWidth = AXIS_WIDTH
    axis.labels.fontName = fonts.BODY
    axis.labels.fontSize = TICK_SIZE
    if grid:
        axis.visibleGrid = 1
        axis.gridStrokeColor = GRID
        axis.gridStrokeWidth = GRID_WIDTH


# Time chart ------------------------------------------------------------------------------------


def _row(series: TimeSeries) -> tuple[list[tuple[float, float]], list[int]]:
    """A series' (ordinal, value) row, stepped if it holds values, and where its points are."""
    row: list[tuple[float, float]] = []
    places: list[int] = []
    for point in series.points:
        x = float(point.x.toordinal())
        if series.step and row and row[-1][1] != point.y:
            row.append((x, row[-1][1]))
        places.append(len(row))
        row.append((x, point.y))
    return row, places


def _unmarked(_x: float, _y: float, _size: float, _colour: Color) -> None:
    """The symbol of a point without a marker."""
    return None


def _chart_looks(chart: TimeChart) -> list[_Look]:
    """Each series' look, then each reference's, as the chart data decides them."""
    return [_look(s.look) for s in chart.series] + [
        _look(r.look, band=r.band) for r in chart.references
    ]


def _plot(
    drawing: Drawing,
    chart: TimeChart,
    box: tuple[float, float, float, float],
    looks: list[_Look],
    compact: bool = False,
) -> None:
    """The chart's lines, bands and axes with their ticks in `box` (x, y, w, h): the plot
    area and, to its left and below, the tick labels. Compact plots (the panels of small
    multiples) have fewer ticks and thinner lines."""
    x, y, w, h = box
    x_range = chart.x_range()
    assert x_range is not None
    first, last = x_range
    low, high = chart.y_range()
    plot_y = y + TICK_SIZE * LEADING + PAD
    plot_h = max(10.0, h - (plot_y - y) - TICK_SIZE / 2)
    if compact and high - low <= 10 and float(low).is_integer() and float(high).is_integer():
        values = [float(v) for v in range(int(low), int(high) + 1)]
        labels = [f"{v:g}" for v in values]
    else:
        values, labels = _value_ticks(low, high, plot_h)
    plot_x = x + PAD + max(_width(t, TICK_SIZE) for t in labels)
    plot_w = max(10.0, w - (plot_x - x) - PAD * (2 if compact else 6))
    ticks = _date_ticks(first, last, plot_w)
    if ticks:  # the last label, centred on its date, stays inside the box
        day, label = ticks[-1]
        at = plot_x + plot_w * (day - first).days / max(1, (last - first).days)
        over = at + _width(label, TICK_SIZE) / 2 - (x + w)
        plot_w -= max(0.0, over)
    tick_labels = {d.toordinal(): label for d, label in ticks}
    v_min, v_max = values[0], values[-1]

    def y_at(value: float) -> float:
        return plot_y + (value - v_min) / (v_max - v_min) * plot_h

    series_looks, reference_looks = looks[: len(chart.series)], looks[len(chart.series) :]
    for reference, look in zip(chart.references, reference_looks, strict=True):
        if reference.y_high is not None:  # a band, under the grid's lines and the series
            bottom, top = sorted((y_at(reference.y), y_at(reference.y_high)))
            drawing.add(
                Rect(plot_x, bottom, plot_w, top - bottom, fillColor=look.tint, strokeColor=None)
            )
            for edge in (bottom, top):
                drawing.add(
                    Line(
                        plot_x,
                        edge,
                        plot_x + plot_w,
                        edge,
                        strokeColor=look.colour,
                        strokeWidth=0.75,
                    )
                )

    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = plot_x, plot_y, plot_w, plot_h
    rows: list[list[tuple[float, float]]] = []
    width = LINE_WIDTH * (0.8 if compact else 1)
    lines: list[tuple[list[tuple[float, float]], _Look, list[int], float]] = []
    for reference, look in zip(chart.references, reference_looks, strict=True):
        if reference.y_high is None:  # a line across the whole date range, under the series
            ends = [(float(first.toordinal()), reference.y), (float(last.toordinal()), reference.y)]
            lines.append((ends, look, [], width * 0.8))
    for index, (series, look) in enumerate(zip(chart.series, series_looks, strict=True)):
        if not series.points:
            continue
        row, places = _row(series)
        dense = len(series.points) > 60
        chosen = [places[i] for i in marked(len(places), index, len(chart.series))]
        lines.append((row, look, chosen if look.marker else [], width * (2 / 3 if dense else 1)))
    for line, (row, look, chosen, stroke) in enumerate(lines):
        rows.append(row)
        plot.lines[line].strokeColor = look.colour
        plot.lines[line].strokeWidth = stroke
        plot.lines[line].strokeDashArray = look.dash
        # A row-wide symbol that draws nothing: without one, LinePlot looks up (and builds, on
        # first use) a property holder for every point, a third of a long chart's drawing time.
        plot.lines[line].symbol = _unmarked
        for place in chosen:
            plot.lines[line, place].symbol = look.make_marker()
    plot.data = rows
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = first.toordinal(), last.toordinal()
    x_axis.valueSteps = list(tick_labels)
    x_axis.labelTextFormat = lambda value: tick_labels.get(round(value), "")
    y_axis.valueMin, y_axis.valueMax = v_min, v_max
    y_axis.valueSteps = values
    y_labels = dict(zip(values, labels, strict=True))
    y_axis.labelTextFormat = lambda value: y_labels.get(value, f"{value:g}")
    for axis in (x_axis, y_axis):
        _style_axis(axis, grid=True)
    drawing.add(plot)


def time_chart(chart: TimeChart, width: float, height: float) -> Drawing:
    """Lines over a date axis, with the chart's reference lines and bands; a step series
    holds each value until its next point. A chart without a point says so instead."""
    fonts.register()
    drawing = Drawing(width, height)
    if chart.empty:
        _message(drawing, (PAD, PAD, width - 2 * PAD, height - 2 * PAD), chart.empty_text)
        return drawing
    looks = _chart_looks(chart)
    names = [s.name for s in chart.series] + [r.name for r in chart.references]
    legend, legend_height = _legend(
        list(zip(looks, names, strict=True)), width, height * LEGEND_SHARE
    )
    drawing.add(legend)
    bottom = legend_height + (PAD * 2 if legend_height else 0)
    x_title_y = bottom + TEXT_SIZE / 4
    plot_bottom = bottom + TEXT_SIZE * LEADING + PAD
    top = height - PAD
    axis_x = TEXT_SIZE * LEADING + PAD
    middle = plot_bottom + (top - plot_bottom) / 2
    drawing.add(_vertical_text(TEXT_SIZE, middle, chart.y_label, height - plot_bottom))
    drawing.add(_text(width / 2, x_title_y, chart.x_label, anchor="middle"))
    _plot(drawing, chart, (axis_x, plot_bottom, width - axis_x, top - plot_bottom), looks)
    return drawing


def small_multiples(chart: SmallMultiples, width: float, height: float) -> Drawing:
    """A grid of small time charts on the same axes, a title over each, one legend below.

    A panel without a point says why (e.g. "Not rated yet"); a grid without any point says
    so once, instead of the grid.
    """
    fonts.register()
    drawing = Drawing(width, height)
    if chart.empty or not chart.panels:
        _message(drawing, (PAD, PAD, width - 2 * PAD, height - 2 * PAD), chart.empty_text)
        return drawing
    entries = [
        (_look(look, band=band, width=LINE_WIDTH * 0.8), name)
        for name, look, band in chart.legend()
    ]
    legend, legend_height = _legend(entries, width, height * LEGEND_SHARE)
    drawing.add(legend)
    bottom = legend_height + (PAD * 2 if legend_height else 0)
    count = len(chart.panels)
    columns = 2 if count in (2, 4) else min(3, count)
    rows = math.ceil(count / columns)
    cell_w = (width - PANEL_GAP * (columns - 1)) / columns
    cell_h = (height - bottom - PANEL_GAP * (rows - 1)) / rows
    title_h = PANEL_TITLE_LINES * TEXT_SIZE * LEADING
    for index, panel in enumerate(chart.panels):
        column, row = index % columns, index // columns
        x = column * (cell_w + PANEL_GAP)
        y = height - (row + 1) * cell_h - row * PANEL_GAP
        lines = _wrapped(panel.title, cell_w - PAD)
        if len(lines) > PANEL_TITLE_LINES:
            rest = " ".join(lines[PANEL_TITLE_LINES - 1 :])
            lines = [*lines[: PANEL_TITLE_LINES - 1], _ellipsised(rest, cell_w - PAD)]
        for number, line in enumerate(lines):
            baseline = y + cell_h - (number + 0.8) * TEXT_SIZE * LEADING
            drawing.add(_text(x + PAD, baseline, line, size=TEXT_SIZE))
        box = (x, y, cell_w, cell_h - title_h - PAD / 2)
        if panel.empty:
            _message(drawing, (x + PAD, y + PAD, cell_w - PAD, box[3] - PAD), panel.empty_text)
            continue
        looks = [_look(look, band=r, width=LINE_WIDTH * 0.8) for look, r in _panel_looks(panel)]
        _plot(drawing, panel, box, looks, compact=True)
    return drawing


def _panel_looks(panel: TimeChart) -> list[tuple[Look | None, bool]]:
    return [(s.look, False) for s in panel.series] + [(r.look, r.band) for r in panel.references]


# Radar -----------------------------------------------------------------------------------------


def _label_box(angle: float, lines: list[str]) -> tuple[float, float, float, float, Anchor]:
    """Where a spoke label sits around its anchor point: x and y extents, and alignment."""
    w = max(_width(line) for line in lines)
    h = len(lines) * TEXT_SIZE * LEADING
    cos, sin = math.cos(angle), math.sin(angle)
    anchor: Anchor
    if cos > 0.1:
        x_lo, x_hi, anchor = PAD, PAD + w, "start"
    elif cos < -0.1:
        x_lo, x_hi, anchor = -PAD - w, -PAD, "end"
    else:
        x_lo, x_hi, anchor = -w / 2, w / 2, "middle"
    if sin > 0.1:
        y_lo, y_hi = 0.0, h
    elif sin < -0.1:
        y_lo, y_hi = -h, 0.0
    else:
        y_lo, y_hi = -h / 2, h / 2
    return x_lo, x_hi, y_lo, y_hi, anchor


def _radius(
    boxes: list[tuple[float, float, float, float]], angles: list[float], w: float, h: float
) -> float:
    """The largest radius at which every spoke label stays inside a w × h box around the centre."""
    radius = min(w, h) / 2 - PAD
    for (x_lo, x_hi, y_lo, y_hi), angle in zip(boxes, angles, strict=True):
        for direction, lo, hi, half in (
            (math.cos(angle), x_lo, x_hi, w / 2),
            (math.sin(angle), y_lo, y_hi, h / 2),
        ):
            reach = RADAR_LABEL_RADIUS * direction
            if reach > 1e-6:
                radius = min(radius, (half - hi) / reach)
            elif reach < -1e-6:
                radius = min(radius, (half + lo) / -reach)
    return max(radius, 10.0)


def radar_chart(chart: RadarChart, width: float, height: float) -> Drawing:
    """One closed line per series around a spoke per axis, on rings of the rating scale.

    A radar needs three spokes; with one or two axes the same values are drawn as bars.
    """
    fonts.register()
    if 0 < len(chart.axes) < 3:
        return _bars(
            chart.axes,
            [(s.name, s.values) for s in chart.series],
            "",
            width,
            height,
            stacked=False,
            top=chart.max_value,
        )
    drawing = Drawing(width, height)
    looks = [_look(s.look) for s in chart.series]
    legend, legend_height = _legend(
        [(look, s.name) for look, s in zip(looks, chart.series, strict=True)],
        width,
        height * LEGEND_SHARE,
    )
    drawing.add(legend)
    bottom = legend_height + (PAD * 2 if legend_height else 0)
    area_h = height - bottom - PAD
    count = len(chart.axes)
    if not count:
        _message(drawing, (PAD, bottom, width - 2 * PAD, area_h), "No dimensions to show")
        return drawing
    data = [[max(0.0, v) for v in (list(s.values) + [0.0] * count)[:count]] for s in chart.series]
    top = max([chart.max_value, *(v for row in data for v in row)])
    top = top if top > 0 else 1.0

    # Clockwise from north, as SpiderChart draws them.
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    label_width = max(40.0, width * RADAR_LABEL_SHARE)
    wrapped = [_wrapped(axis, label_width) for axis in chart.axes]
    boxes = [_label_box(angle, lines) for angle, lines in zip(angles, wrapped, strict=True)]
    radius = _radius([b[:4] for b in boxes], angles, width - 2 * PAD, area_h - 2 * PAD)
    cx, cy = width / 2, bottom + area_h / 2

    step = 1.0 if top <= 10 and float(top).is_integer() else _nice_step(top, 5)
    ring = step
    while ring <= top + 1e-9:
        r = radius * ring / top
        points = [c for a in angles for c in (cx + r * math.cos(a), cy + r * math.sin(a))]
        drawing.add(Polygon(points, strokeColor=GRID, strokeWidth=GRID_WIDTH * 2, fillColor=None))
        drawing.add(
            String(cx + 2, cy + r + 1.5, f"{ring:g}", fontName=fonts.BODY, fontSize=TICK_SIZE - 1)
        )
        ring += step

    spider = SpiderChart()
    spider.x, spider.y = cx - radius, cy - radius
    spider.width = spider.height = 2 * radius
    spider.labels = None
    spider.data = [*data, [top] * count] if data else [[top] * count]
    spider.spokes.strokeColor = AXIS
    spider.spokes.strokeWidth = GRID_WIDTH * 2
    for index, look in enumerate(looks):
        strand = spider.strands[index]
        strand.strokeColor = look.colour
        strand.strokeWidth = LINE_WIDTH
        strand.strokeDashArray = look.dash
        strand.fillColor = None
        strand.symbol = look.make_marker()
        strand.symbolSize = MARKER_SIZE
    scale = spider.strands[len(spider.data) - 1]  # sets the outer ring at `top`; not drawn
    scale.strokeColor = None
    scale.strokeWidth = 0
    drawing.add(spider)

    for angle, lines, box in zip(angles, wrapped, boxes, strict=True):
        x = cx + radius * RADAR_LABEL_RADIUS * math.cos(angle)
        y = cy + radius * RADAR_LABEL_RADIUS * math.sin(angle)
        _x_lo, _x_hi, _y_lo, y_hi, anchor = box
        for number, line in enumerate(lines):
            baseline = y + y_hi - (number + 0.8) * TEXT_SIZE * LEADING
            drawing.add(_text(x, baseline, line, anchor=anchor))
    return drawing


# Bars ------------------------------------------------------------------------------------------


def _hatch(x: float, y: float, w: float, h: float, hatch: int, colour: Color = white) -> list[Any]:
    """45° lines across a rectangle, clipped to it by hand (shapes cannot clip)."""
    lines: list[Any] = []
    if not hatch or w <= 0 or h <= 0:
        return lines
    gap = 3.5
    offset = gap
    while offset < w + h:
        # The line u + v = offset in the rectangle's own coordinates, where 0 ≤ u ≤ w, 0 ≤ v ≤ h.
        u0, u1 = max(0.0, offset - h), min(w, offset)
        if hatch < 0:
            ends = (x + w - u0, y + offset - u0, x + w - u1, y + offset - u1)
        else:
            ends = (x + u0, y + offset - u0, x + u1, y + offset - u1)
        lines.append(Line(*ends, strokeColor=colour, strokeWidth=0.8))
        offset += gap
    return lines


def _ink(colour: Color) -> Color:
    """Black or white, whichever reads on `colour`."""
    luminance = 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue
    return black if luminance > 0.55 else white


def _bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    y_label: str,
    width: float,
    height: float,
    stacked: bool,
    top: float = 1.0,
    looks: list[_Look] | None = None,
) -> Drawing:
    """Bars per category, stacked or side by side, each labelled with its value."""
    drawing = Drawing(width, height)
    looks = looks or _bar_looks(len(series))
    legend, legend_height = _legend(
        [(look, name) for look, (name, _v) in zip(looks, series, strict=True)],
        width,
        height * LEGEND_SHARE,
        bar=True,
    )
    drawing.add(legend)
    bottom = legend_height + (PAD * 2 if legend_height else 0)
    count = len(categories)
    data = [[max(0.0, v) for v in (list(values) + [0.0] * count)[:count]] for _n, values in series]
    columns = list(zip(*data, strict=True))
    top = max([top, *(sum(c) if stacked else max(c) for c in columns)])
    whole = all(float(v).is_integer() for row in data for v in row)
    slot = (width - 60) / max(1, count)  # about the plot's share: it waits on these labels
    wrapped = [_wrapped(name, slot * 0.9) for name in categories]
    label_lines = max((len(lines) for lines in wrapped), default=1)
    plot_y = bottom + label_lines * TEXT_SIZE * LEADING + PAD * 2
    top_y = height - PAD - TICK_SIZE / 2
    if whole and top <= 10:
        values = [float(v) for v in range(math.ceil(top) + 1)]
        labels = [f"{v:g}" for v in values]
    else:
        values, labels = _value_ticks(0.0, top, top_y - plot_y)
    plot_x = PAD * 2 + max(_width(t, TICK_SIZE) for t in labels)
    if y_label:
        plot_x += TEXT_SIZE * LEADING + PAD
        middle = plot_y + (top_y - plot_y) / 2
        drawing.add(_vertical_text(TEXT_SIZE, middle, y_label, height - plot_y))
    plot_w = max(10.0, width - plot_x - PAD * 2)
    plot_h = max(10.0, top_y - plot_y)
    if not count or not data:
        _message(drawing, (plot_x, plot_y, plot_w, plot_h), "No data to show")
        return drawing

    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = plot_x, plot_y, plot_w, plot_h
    chart.data = data
    chart.categoryAxis.categoryNames = None
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.barWidth = 10
    chart.barSpacing = 0 if stacked else 1
    bars_in_slot = 1 if stacked else len(data)
    slot_width = plot_w / count
    # Bars no wider than 60 points, the rest of the slot between groups.
    bars_width = min(slot_width * 0.7, 60.0 * bars_in_slot)
    chart.groupSpacing = max(4.0, 10 * bars_in_slot * (slot_width / bars_width - 1))
    for index, look in enumerate(looks):
        chart.bars[index].fillColor = look.colour
        chart.bars[index].strokeColor = white
        chart.bars[index].strokeWidth = 0.5
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = values[0], values[-1]
    chart.valueAxis.valueSteps = values
    value_labels = dict(zip(values, labels, strict=True))
    chart.valueAxis.labelTextFormat = lambda value: value_labels.get(value, f"{value:g}")
    _style_axis(chart.valueAxis, grid=True)
    _style_axis(chart.categoryAxis, grid=False)
    drawn: list[tuple[Any, float, int]] = []
    chart.barRecord = lambda bar, value, rowNo, **_kw: drawn.append((bar, value, rowNo))
    drawing.add(chart.draw())  # drawn now, so that each bar's rectangle is known
    for bar, value, row in drawn:
        look = looks[row]
        for line in _hatch(bar.x, bar.y, bar.width, bar.height, look.hatch, look.hatch_colour):
            drawing.add(line)
        text = f"{value:g}"
        text_width = float(stringWidth(text, fonts.BODY, TICK_SIZE)) + 6
        if value > 0 and bar.height >= TICK_SIZE + 3 and bar.width >= text_width:
            x, y = bar.x + bar.width / 2, bar.y + bar.height / 2
            colour = looks[row].colour
            box = (x - text_width / 2, y - TICK_SIZE / 2 - 1.5, text_width, TICK_SIZE + 3)
            drawing.add(Rect(*box, fillColor=colour, strokeColor=None))  # clears the hatching
            drawing.add(
                String(
                    x,
                    y - TICK_SIZE / 3,
                    text,
                    fontName=fonts.BODY,
                    fontSize=TICK_SIZE,
                    fillColor=_ink(colour),
                    textAnchor="middle",
                )
            )
    for index, lines in enumerate(wrapped):
        x = chart.categoryAxis.midScale(index)
        for number, line in enumerate(lines):
            baseline = plot_y - PAD - (number + 0.8) * TEXT_SIZE * LEADING
            drawing.add(_text(x, baseline, line, anchor="middle"))
    return drawing


def bar_chart(chart: BarChart, width: float, height: float) -> Drawing:
    """Stacked bars, one per category; each stack labelled with its count."""
    fonts.register()
    return _bars(
        chart.categories,
        [(s.name, s.values) for s in chart.stacks],
        chart.y_label,
        width,
        height,
        stacked=True,
        looks=[_fill_look(fill) for fill in bar_fills(chart.stacks)],
    )
