"""Draws the chart data of `app.charts` with Qt Charts; the only module that knows Qt Charts.

Qt Charts is deprecated since Qt 6.10 but still ships and starts fast; keeping
it behind this one module means a move to Qt Graphs touches nothing else.
Colours come from the Okabe–Ito palette, which stays distinguishable for the
common forms of colour blindness, in a lighter variant on dark backgrounds;
line styles tell series apart as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractSeries,
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
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from app.charts import DARK_COLOURS, LIGHT_COLOURS, BarChart, RadarChart, Style, TimeChart

_PEN_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dashed": Qt.PenStyle.DashLine,
    "dotted": Qt.PenStyle.DotLine,
}


def _dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colours() -> Sequence[str]:
    return DARK_COLOURS if _dark() else LIGHT_COLOURS


def _millis(day: dt.date) -> float:
    return float(QDateTime(day, dt.time()).toMSecsSinceEpoch())


def _base_chart(chart: QChart, title: str) -> QChart:
    palette = QApplication.palette()
    chart.setTitle(title)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setTitleBrush(palette.color(QPalette.ColorRole.Text))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.Text))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


Axis = QValueAxis | QDateTimeAxis | QCategoryAxis | QBarCategoryAxis


def _style_axis(axis: Axis) -> None:
    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.Text)
    axis.setLabelsColor(text)
    axis.setTitleBrush(text)
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    axis.setGridLineColor(grid)
    axis.setLinePenColor(grid)


def _pen(colour: str, style: Style, width: float = 2.0) -> QPen:
    pen = QPen(QColor(colour))
    pen.setWidthF(width)
    pen.setStyle(_PEN_STYLES[style])
    return pen


def _add_xy_axes(chart: QChart, x_axis: Axis, y_axis: Axis) -> None:
    """Style the axes and put x at the bottom, y on the left."""
    for axis, side in (
        (x_axis, Qt.AlignmentFlag.AlignBottom),
        (y_axis, Qt.AlignmentFlag.AlignLeft),
    ):
        _style_axis(axis)
        chart.addAxis(axis, side)


def _add_line(
    chart: QChart, series: QLineSeries, name: str, pen: QPen, axes: Sequence[Axis], dates: bool
) -> None:
    """Name a line series whose points are in, and put it on the chart, on its axes."""
    series.setName(name)
    series.setPen(pen)
    chart.addSeries(series)
    for axis in axes:
        series.attachAxis(axis)
    _tooltips(series, name, dates=dates)


def _view(chart: QChart, parent: QWidget | None, name: str) -> QChartView:
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(name)
    view.setMinimumSize(320, 240)
    return view


def _tooltips(series: QLineSeries, label: str, dates: bool) -> None:
    """Hovering a point shows its exact value (and date)."""

    def show(point: QPointF, state: bool) -> None:
        if not state:
            QToolTip.hideText()
            return
        where = ""
        if dates:
            day = QDateTime.fromMSecsSinceEpoch(int(point.x())).date().toString("yyyy-MM-dd")
            where = f" on {day}"
        QToolTip.showText(QCursor.pos(), f"{label}: {point.y():.2f}{where}")

    series.hovered.connect(show)


def time_chart(data: TimeChart, parent: QWidget | None = None) -> QChartView:
    """Lines on a date axis; step series hold each value until the next point."""
    chart = _base_chart(QChart(), data.title)
    x_axis = QDateTimeAxis()
    x_axis.setFormat("yyyy-MM")
    x_axis.setTitleText(data.x_label)
    y_axis = QValueAxis()
    y_axis.setRange(data.y_min, data.y_max)
    y_axis.applyNiceNumbers()  # round tick values (1, 2, 5 × 10ⁿ)
    y_axis.setTitleText(data.y_label)
    _add_xy_axes(chart, x_axis, y_axis)
    palette = colours()
    days = [p.x for s in data.series for p in s.points]
    if days:
        first, last = min(days), max(days)
        x_axis.setRange(
            QDateTime(first, dt.time()), QDateTime(last if last > first else first, dt.time(23))
        )
        x_axis.setTickCount(min(8, max(2, len({(d.year, d.month) for d in days}))))
    for index, item in enumerate(data.series):
        series = QLineSeries()
        previous: float | None = None
        for point in item.points:
            if item.step and previous is not None and previous != point.y:
                series.append(_millis(point.x), previous)
            series.append(_millis(point.x), point.y)
            previous = point.y
        pen = _pen(palette[index % len(palette)], item.style)
        _add_line(chart, series, item.name, pen, (x_axis, y_axis), dates=True)
    return _view(chart, parent, data.title)


def radar_chart(data: RadarChart, parent: QWidget | None = None) -> QChartView:
    """A closed polygon per series on a polar chart, one spoke per axis."""
    chart = _base_chart(QPolarChart(), data.title)
    count = len(data.axes)
    angular = QCategoryAxis()
    angular.setRange(0, count)
    angular.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    for index, name in enumerate(data.axes):
        angular.append(name, index)
    radial = QValueAxis()
    radial.setRange(0, data.max_value)
    radial.setTickCount(int(data.max_value) + 1)
    radial.setLabelFormat("%d")
    for axis in (angular, radial):
        _style_axis(axis)
    chart.addAxis(angular, QPolarChart.PolarOrientation.PolarOrientationAngular)
    chart.addAxis(radial, QPolarChart.PolarOrientation.PolarOrientationRadial)
    palette = colours()
    for index, item in enumerate(data.series):
        series = QLineSeries()
        for position, value in enumerate([*item.values, item.values[0]]):
            series.append(float(position), value)
        series.setPointsVisible(True)
        pen = _pen(palette[index % len(palette)], item.style, 2.5)
        _add_line(chart, series, item.name, pen, (angular, radial), dates=False)
    return _view(chart, parent, data.title)


def bar_chart(data: BarChart, parent: QWidget | None = None) -> QChartView:
    """Stacked bars, one per category."""
    chart = _base_chart(QChart(), data.title)
    series = QStackedBarSeries()
    palette = colours()
    for index, stack in enumerate(data.stacks):
        bar_set = QBarSet(stack.name)
        bar_set.append(stack.values)
        bar_set.setColor(QColor(palette[index % len(palette)]))
        bar_set.setBorderColor(QColor(palette[index % len(palette)]))
        series.append(bar_set)
    series.hovered.connect(
        lambda state, index, bar_set: (
            QToolTip.showText(QCursor.pos(), f"{bar_set.label()}: {bar_set.at(index):g}")
            if state
            else QToolTip.hideText()
        )
    )
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(data.categories)
    y_axis = QValueAxis()
    top = max(
        (sum(values) for values in zip(*(s.values for s in data.stacks), strict=True)), default=1.0
    )
    top = max(1.0, float(top))
    y_axis.setRange(0, top)
    y_axis.setTickCount(int(top) + 1 if top <= 10 else 6)  # whole numbers on the grid
    y_axis.setLabelFormat("%d")
    y_axis.setTitleText(data.y_label)
    _add_xy_axes(chart, x_axis, y_axis)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    return _view(chart, parent, data.title)


def series_of(view: QChartView) -> list[QAbstractSeries]:
    """The series a chart view draws (for tests and accessibility)."""
    return list(view.chart().series())
