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

from app.charts import LIGHT_COLOURS, BarChart, RadarChart, Style, TimeChart, TimeSeries
from app.report import fonts

COLOURS = LIGHT_COLOURS  # paper is white
# Eight shapes against seven colours: a pair repeats only after 56 series.
MARKERS = (
    "FilledCircle",
    "FilledSquare",
    "FilledTriangle",
    "FilledDiamond",
    "Circle",
    "Square",
    "Triangle",
    "Diamond",
)
Dash = tuple[float, ...] | None
Anchor = Literal["start", "middle", "end"]
DASHES: dict[Style, Dash] = {"solid": None, "dashed": (6, 3), "dotted": (1, 2)}
# Solid series also vary their pattern (the first stays solid) so that several
# of them stay apart in greyscale; none of these looks like "dashed" or "dotted".
SOLID_DASHES: tuple[Dash, ...] = (None, (8, 2, 2, 2), (16, 3), (8, 2, 2, 2, 2, 2), (12, 2, 4, 2))
# Every other stack is hatched, so that neighbouring stacks differ in greyscale.
HATCHES = (0, 1, 0, -1)

MAX_MARKED_POINTS = 60  # a longer series gets a few markers, spread out
SPREAD_MARKERS = 10
TICK_SIZE = 7.0
TEXT_SIZE = 8.0
LEADING = 1.2
LINE_WIDTH = 1.5
MARKER_SIZE = 4.5
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

RADAR_LABEL_RADIUS = 1.08  # spoke labels just outside the outer ring
RADAR_LABEL_SHARE = 0.22  # of the width, at most, for a side label before it wraps

_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600)


@dataclass(frozen=True)
class _Look:
    """How one series is drawn, shared by its line or bar and its legend swatch."""

    colour: Color
    dash: Dash = None
    marker: str | None = None
    hatch: int = 0  # white hatching over a bar: 1 rising, -1 falling, 0 none

    def make_marker(self, x: float = 0.0, y: float = 0.0) -> Any:
        hollow = not (self.marker or "").startswith("Filled")
        return makeMarker(
            self.marker,
            x=x,
            y=y,
            size=MARKER_SIZE,
            fillColor=white if hollow else self.colour,
            strokeColor=self.colour,
            strokeWidth=0.8,
        )


def _line_looks(styles: Sequence[Style]) -> list[_Look]:
    looks = []
    solid = 0
    for index, style in enumerate(styles):
        dash = DASHES[style]
        if style == "solid":
            dash = SOLID_DASHES[solid % len(SOLID_DASHES)]
            solid += 1
        colour = HexColor(COLOURS[index % len(COLOURS)])
        looks.append(_Look(colour=colour, dash=dash, marker=MARKERS[index % len(MARKERS)]))
    return looks


def _bar_looks(count: int) -> list[_Look]:
    return [
        _Look(colour=HexColor(COLOURS[i % len(COLOURS)]), hatch=HATCHES[i % len(HATCHES)])
        for i in range(count)
    ]


# Text ------------------------------------------------------------------------------------------


def _width(text: str, size: float = TEXT_SIZE) -> float:
    return sum(float(stringWidth(part, face, size)) for face, part in fonts.runs(text))


def _text(
    x: float, y: float, text: str, size: float = TEXT_SIZE, anchor: Anchor = "start"
) -> Group:
    """`text` on a baseline at (x, y), each run in a face that has its glyphs."""
    runs = fonts.runs(text)
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
    if bar:
        h = TEXT_SIZE
        shapes: list[Any] = [
            Rect(x, y - h / 2, LEGEND_SWATCH, h, fillColor=look.colour, strokeColor=None)
        ]
        return shapes + _hatch(x, y - h / 2, LEGEND_SWATCH, h, look.hatch)
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


def _date_ticks(first: dt.date, last: dt.date, length: float) -> list[tuple[dt.date, str]]:
    """Dates to mark between first and last: days, weeks, months or years, as room allows."""
    span = max(1, (last - first).days)
    candidates: list[tuple[int, int]] = [(d, 0) for d in _DAY_STEPS]
    candidates += [(0, m) for m in _MONTH_STEPS]
    ticks: list[tuple[dt.date, str]] = []
    for days, months in candidates:
        if span / (days or months * 30.4) > length / 10:
            continue  # far too many to fit; skip before listing them
        if days:
            day = first
            if days >= 7:  # weeks start on a Monday
                day += dt.timedelta(days=-first.weekday() % 7)
            dates = []
            while day <= last:
                dates.append(day)
                day += dt.timedelta(days=days)
            ticks = [(d, d.isoformat()) for d in dates]
        else:
            index = first.year * 12 + first.month - 1 + (first.day > 1)
            index = -(-index // months) * months
            dates = []
            while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
                dates.append(day)
                index += months
            pattern = "%Y" if months >= 12 else "%Y-%m"
            ticks = [(d, d.strftime(pattern)) for d in dates]
        widest = max((_width(label, TICK_SIZE) for _d, label in ticks), default=0.0)
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


def _marked(places: list[int], series_index: int, series_count: int) -> list[int]:
    """The row positions that get a marker: every point, or a few spread out on long series."""
    if len(places) <= MAX_MARKED_POINTS:
        return places
    every = math.ceil(len(places) / SPREAD_MARKERS)
    start = (series_index * every) // max(1, series_count)  # series do not mark the same dates
    return places[start::every]


def _unmarked(_x: float, _y: float, _size: float, _colour: Color) -> None:
    """The symbol of a point without a marker."""
    return None


def time_chart(chart: TimeChart, width: float, height: float) -> Drawing:
    """Lines over a date axis; a step series holds each value until its next point."""
    fonts.register()
    drawing = Drawing(width, height)
    looks = _line_looks([s.style for s in chart.series])
    legend, legend_height = _legend(
        [(look, s.name) for look, s in zip(looks, chart.series, strict=True)],
        width,
        height * LEGEND_SHARE,
    )
    drawing.add(legend)
    bottom = legend_height + (PAD * 2 if legend_height else 0)
    x_title_y = bottom + TEXT_SIZE / 4
    plot_y = bottom + TEXT_SIZE * LEADING + TICK_SIZE * LEADING + PAD * 2
    top = height - PAD - TICK_SIZE / 2
    ys = [p.y for s in chart.series for p in s.points]
    low = min([chart.y_min, *ys])
    high = max([chart.y_max, *ys])
    values, labels = _value_ticks(low, high, top - plot_y)
    plot_x = TEXT_SIZE * LEADING + PAD * 2 + max(_width(t, TICK_SIZE) for t in labels)
    plot_w = max(10.0, width - plot_x - PAD * 6)
    plot_h = max(10.0, top - plot_y)
    drawing.add(_vertical_text(TEXT_SIZE, plot_y + plot_h / 2, chart.y_label, height - plot_y))
    drawing.add(_text(plot_x + plot_w / 2, x_title_y, chart.x_label, anchor="middle"))
    days = [p.x for s in chart.series for p in s.points]
    if not days:
        _message(drawing, (plot_x, plot_y, plot_w, plot_h), "No data in this period")
        return drawing
    first, last = min(days), max(days)
    if first == last:
        first, last = first - dt.timedelta(days=15), last + dt.timedelta(days=15)
    ticks = _date_ticks(first, last, plot_w)
    tick_labels = {d.toordinal(): label for d, label in ticks}

    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = plot_x, plot_y, plot_w, plot_h
    rows: list[list[tuple[float, float]]] = []
    for index, (series, look) in enumerate(zip(chart.series, looks, strict=True)):
        if not series.points:
            continue
        row, places = _row(series)
        line = len(rows)
        rows.append(row)
        plot.lines[line].strokeColor = look.colour
        dense = len(series.points) > MAX_MARKED_POINTS
        plot.lines[line].strokeWidth = LINE_WIDTH * (2 / 3 if dense else 1)
        plot.lines[line].strokeDashArray = look.dash
        # A row-wide symbol that draws nothing: without one, LinePlot looks up (and builds, on
        # first use) a property holder for every point, a third of a long chart's drawing time.
        plot.lines[line].symbol = _unmarked
        for place in _marked(places, index, len(chart.series)):
            plot.lines[line, place].symbol = look.make_marker()
    plot.data = rows
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    x_axis.valueMin, x_axis.valueMax = first.toordinal(), last.toordinal()
    x_axis.valueSteps = list(tick_labels)
    x_axis.labelTextFormat = lambda value: tick_labels.get(round(value), "")
    y_axis.valueMin, y_axis.valueMax = values[0], values[-1]
    y_axis.valueSteps = values
    y_labels = dict(zip(values, labels, strict=True))
    y_axis.labelTextFormat = lambda value: y_labels.get(value, f"{value:g}")
    for axis in (x_axis, y_axis):
        _style_axis(axis, grid=True)
    drawing.add(plot)
    return drawing


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
    looks = _line_looks([s.style for s in chart.series])
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


def _hatch(x: float, y: float, w: float, h: float, hatch: int) -> list[Any]:
    """White 45° lines across a rectangle, clipped to it by hand (shapes cannot clip)."""
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
        lines.append(Line(*ends, strokeColor=white, strokeWidth=0.8))
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
) -> Drawing:
    """Bars per category, stacked or side by side, each labelled with its value."""
    drawing = Drawing(width, height)
    looks = _bar_looks(len(series))
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
        for line in _hatch(bar.x, bar.y, bar.width, bar.height, looks[row].hatch):
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
    )
