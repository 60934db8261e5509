"""The report floor's four charts: bare `reportlab.graphics` widgets holding the same points.

A `SpiderChart` with its spoke labels, six small `LinePlot`s for growth (the points and the
two expectation lines each, the dimension's name above, one legend), one `LinePlot` for
readiness (its points, the projection and the threshold), a stacked `VerticalBarChart`
with its value labels; a `Legend` each and the axis titles. None of the project's markers,
dash patterns, hatching or hand-placed ticks and labels. `width` is the text width and
`font` a registered face.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import floors
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

PALETTE = [colors.HexColor(c) for c in ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")]


def _legend(pairs: list[tuple[str, Any]], x: float, y: float, font: str) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.colorNamePairs = [(colour, name) for name, colour in pairs]
    return legend


def _axis_title(x: float, y: float, text: str, font: str, angle: int = 0) -> Label:
    label = Label()
    label.setOrigin(x, y)
    label.setText(text)
    label.fontName, label.fontSize, label.angle = font, 8, angle
    return label


def time_chart(
    series: floors.Series,
    size: tuple[float, float],
    y_range: tuple[float, float],
    y_title: str,
    font: str,
) -> Drawing:
    width, height = size
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 50, width - 50, height - 60
    plot.data = [[(d.toordinal(), v) for d, v in points] for _name, points in series]
    for index in range(len(series)):
        plot.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = y_range
    plot.xValueAxis.labelTextFormat = lambda x: dt.date.fromordinal(int(x)).strftime("%Y-%m")
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 7
    drawing.add(plot)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _p) in enumerate(series)]
    drawing.add(_legend(colours, 40, 20, font))
    drawing.add(_axis_title(10, height / 2, y_title, font, 90))
    drawing.add(_axis_title(width / 2, 32, "Date", font))
    return drawing


def small_multiples(
    panels: floors.Series,
    expected: tuple[list[str], list[list[float]]],
    top: float,
    width: float,
    font: str,
) -> Drawing:
    """A small plot per dimension, three to a row, its name above, its expectation lines
    across; one legend below."""
    height = 110 * mm
    drawing = Drawing(width, height)
    names, values = expected
    columns = 3
    rows = -(-len(panels) // columns)
    cell_w, cell_h = (width - 20) / columns, (height - 30) / rows
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
            axis.labels.fontName, axis.labels.fontSize = font, 7
        drawing.add(plot)
        label = Label()
        label.setOrigin(x + 2, y + cell_h - 8)
        label.setText(name)
        label.fontName, label.fontSize, label.boxAnchor = font, 8, "w"
        drawing.add(label)
    entries = [("Mean rating", PALETTE[0])]
    entries += [(n, PALETTE[(i + 1) % len(PALETTE)]) for i, n in enumerate(names)]
    drawing.add(_legend(entries, 40, 10, font))
    return drawing


def radar(
    axes: list[str], top: float, series: list[tuple[str, list[float]]], width: float, font: str
) -> Drawing:
    height = 80 * mm
    drawing = Drawing(width, height)
    spider = SpiderChart()
    spider.x, spider.y, spider.width, spider.height = 60, 40, width - 120, height - 50
    spider.data = [values for _name, values in series] + [[top] * len(axes)]
    spider.labels = axes
    spider.spokeLabels.fontName, spider.spokeLabels.fontSize = font, 8
    for index in range(len(series)):
        spider.strands[index].strokeColor = PALETTE[index % len(PALETTE)]
        spider.strands[index].fillColor = None
    spider.strands[len(series)].strokeColor = None
    spider.strands[len(series)].fillColor = None
    drawing.add(spider)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in enumerate(series)]
    drawing.add(_legend(colours, 20, 30, font))
    return drawing


def stacked_bars(
    categories: list[str], stacks: list[tuple[str, list[float]]], width: float, font: str
) -> Drawing:
    height = 65 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 50, width - 50, height - 60
    chart.data = [values for _name, values in stacks]
    chart.categoryAxis.categoryNames = categories
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = font, 8
    chart.valueAxis.labels.fontName, chart.valueAxis.labels.fontSize = font, 7
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName, chart.barLabels.fontSize = font, 7
    chart.barLabels.boxTarget = "mid"
    for index in range(len(stacks)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
    drawing.add(chart)
    colours = [(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in enumerate(stacks)]
    drawing.add(_legend(colours, 40, 16, font))
    drawing.add(_axis_title(10, height / 2, "Milestones", font, 90))
    return drawing
