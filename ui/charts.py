"""Draws the chart data of `app.charts` with Qt Charts; the only module that knows Qt Charts.

Qt Charts is deprecated since Qt 6.10 but still ships and starts fast; keeping
it behind this one module means a move to Qt Graphs touches nothing else.

The design comes with the data (`app.charts`), so the screen and the PDF
report draw the same thing: each series' colour (Okabe–Ito, in a variant for
dark backgrounds), dash pattern and marker shape, which points carry a marker,
the date ticks, the reference lines and bands, and what an empty chart says.
Legends are drawn here rather than by Qt Charts, whose legend cuts names short
and cannot show a dash pattern with a marker.

Every chart is a `ChartFrame` (a chart view and its legend); growth is a
`SmallMultiplesView`, a grid of small charts on the same axes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from PySide6.QtCharts import (
    QAbstractSeries,
    QAreaSeries,
    QBarCategoryAxis,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QPolarChart,
    QStackedBarSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.charts import (
    DASH_PATTERNS,
    HATCH_COLOUR,
    BarChart,
    Fill,
    Look,
    Marker,
    RadarChart,
    SmallMultiples,
    TimeChart,
    bar_fills,
    date_ticks,
    marked,
)

LINE_WIDTH = 2.0
MARKER_SIZE = 10.0  # pixels
PANEL_LINE_WIDTH = 1.6
PANEL_MARKER_SIZE = 8.0
BAND_ALPHA = 0.22  # a target band's fill: its colour this opaque
PLOT_WIDTH = 800  # pixels, about: date labels for a chart not yet shown
PANEL_PLOT_WIDTH = 260
Y_AXIS_ROOM = 90  # of a view's width, about, left of and beside the plot
PANEL_MIN_SIZE = QSize(260, 190)
LEGEND_TEXT_MAX = 320  # pixels; a longer name is elided, with a tooltip


def _dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colour_of(look: Look) -> QColor:
    """A look's colour in the palette shown (the lighter variant on dark backgrounds)."""
    return QColor(look.hex(_dark()))


def _millis(day: dt.date) -> float:
    """Local midnight of `day` in milliseconds since the epoch, as Qt's date axes and
    `QDateTime.fromMSecsSinceEpoch` count: the same number as
    `QDateTime(QDate(day), QTime(0, 0)).toMSecsSinceEpoch()`, in about 1 µs instead of
    70 µs (Qt looks the local time zone up again for every conversion)."""
    return dt.datetime(day.year, day.month, day.day).timestamp() * 1000


def _pen(look: Look, width: float) -> QPen:
    pen = QPen(colour_of(look))
    pen.setWidthF(width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pattern = DASH_PATTERNS[look.dash]
    if pattern:
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # the pattern's lengths as they are
        pen.setDashPattern(list(pattern))  # in pen widths, as the data gives them
    return pen


def _marker_path(marker: Marker, box: QRectF) -> QPainterPath:
    """A marker's outline inside `box` (the same shapes as the PDF's)."""
    path = QPainterPath()
    c, r = box.center(), box.width() / 2
    if marker == "circle":
        path.addEllipse(box)
    elif marker == "square":
        inset = r * 0.12
        path.addRect(box.adjusted(inset, inset, -inset, -inset))
    else:
        corners = {"triangle": 3, "diamond": 4, "pentagon": 5, "star": 10}[marker]
        points = []
        for i in range(corners):
            angle = math.pi / 2 + 2 * math.pi * i / corners
            radius = r * (0.45 if marker == "star" and i % 2 else 1.0)
            if marker == "triangle":
                radius *= 1.1
            points.append(
                QPointF(c.x() + radius * math.cos(angle), c.y() - radius * math.sin(angle))
            )
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    return path


@cache
def _marker_image(marker: Marker, colour: str, edge: str, size: int) -> QImage:
    """A marker drawn at twice its size (sharp on high-density screens): the shape filled
    in its colour with a thin edge in the background's colour, apart from its line."""
    scale = 2
    image = QImage(size * scale, size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    pen = QPen(QColor(edge))
    pen.setWidthF(scale * 0.8)
    painter.setPen(pen)
    margin = scale * 0.6
    box = QRectF(margin, margin, size * scale - 2 * margin, size * scale - 2 * margin)
    painter.drawPath(_marker_path(marker, box))
    painter.end()
    return image


def _background() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.Base)


def _text_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.Text)


# Legend ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a series (its line and marker), a band, or a bar's fill."""

    name: str
    look: Look | None = None
    band: bool = False
    fill: Fill | None = None


def _paint_swatch(painter: QPainter, entry: LegendEntry, box: QRectF) -> None:
    painter.save()
    if entry.fill is not None:
        painter.setPen(QPen(QColor(HATCH_COLOUR), 1))
        painter.setBrush(_fill_brush(entry.fill))
        painter.drawRect(box.adjusted(0, 3, 0, -3))
    elif entry.look is not None and entry.band:
        colour = colour_of(entry.look)
        tint = QColor(colour)
        tint.setAlphaF(BAND_ALPHA)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(tint)
        painter.drawRect(box.adjusted(0, 3, 0, -3))
    elif entry.look is not None:
        look = entry.look
        middle = box.center().y()
        painter.setPen(_pen(look, LINE_WIDTH))
        painter.drawLine(QPointF(box.left(), middle), QPointF(box.right(), middle))
        if look.marker:
            size = int(MARKER_SIZE)
            image = _marker_image(look.marker, colour_of(look).name(), _background().name(), size)
            target = QRectF(box.center().x() - size / 2, middle - size / 2, size, size)
            painter.drawImage(target, image)
    painter.restore()


class Legend(QWidget):
    """A chart's legend: each entry's swatch (colour, dash pattern, marker; a band; a fill)
    and its name, flowing into as many rows as the width needs. A name too long for
    LEGEND_TEXT_MAX is elided and shown whole in a tooltip."""

    SWATCH = 30
    GAP = 6
    SPACING = 18

    def __init__(self, entries: Sequence[LegendEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = list(entries)
        self.setAccessibleName("Legend")
        self.setAccessibleDescription("; ".join(e.name for e in self.entries))
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._rects: list[tuple[QRect, str, bool]] = []

    def _texts(self) -> list[tuple[str, int, bool]]:
        metrics = QFontMetrics(self.font())
        texts = []
        for entry in self.entries:
            text = metrics.elidedText(entry.name, Qt.TextElideMode.ElideRight, LEGEND_TEXT_MAX)
            texts.append((text, metrics.horizontalAdvance(text), text != entry.name))
        return texts

    def _rows(self, width: int) -> list[list[int]]:
        """The entries' indices row by row for a width."""
        rows: list[list[int]] = [[]]
        used = 0
        for index, (_text, advance, _cut) in enumerate(self._texts()):
            need = self.SWATCH + self.GAP + advance
            if rows[-1] and used + self.SPACING + need > width:
                rows.append([])
                used = 0
            used += (self.SPACING if rows[-1] else 0) + need
            rows[-1].append(index)
        return rows

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return len(self._rows(max(1, width - 12))) * self._row_height() + 6 if self.entries else 0

    def sizeHint(self) -> QSize:
        texts = self._texts()
        width = sum(self.SWATCH + self.GAP + a for _t, a, _c in texts)
        width += self.SPACING * max(0, len(texts) - 1) + 12
        return QSize(min(width, 900), self.heightForWidth(min(width, 900)))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(self.width() or 600))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        texts = self._texts()
        height = self._row_height()
        self._rects = []
        for number, row in enumerate(self._rows(max(1, self.width() - 12))):
            width = sum(self.SWATCH + self.GAP + texts[i][1] for i in row)
            width += self.SPACING * (len(row) - 1)
            x = max(6, (self.width() - width) // 2)
            y = 3 + number * height
            for index in row:
                text, advance, cut = texts[index]
                swatch = QRectF(x, y + 2, self.SWATCH, height - 4)
                _paint_swatch(painter, self.entries[index], swatch)
                painter.setPen(_text_colour())
                label = QRect(x + self.SWATCH + self.GAP, y, advance + 2, height)
                painter.drawText(label, Qt.AlignmentFlag.AlignVCenter, text)
                whole = QRect(x, y, self.SWATCH + self.GAP + advance, height)
                self._rects.append((whole, self.entries[index].name, cut))
                x += self.SWATCH + self.GAP + advance + self.SPACING
        painter.end()

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            for rect, name, cut in self._rects:
                if cut and rect.contains(event.pos()):
                    QToolTip.showText(event.globalPos(), name, self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)  # type: ignore[arg-type]


# Views -----------------------------------------------------------------------------------------


class ChartView(QChartView):
    """A chart view that, instead of a chart, can say in its middle why there is none, and
    that labels its date axis (if any) for its width."""

    def __init__(
        self,
        chart: QChart,
        parent: QWidget | None = None,
        message: str = "",
        dates: DateAxis | None = None,
    ) -> None:
        super().__init__(chart, parent)
        self.message = message
        self.dates = dates
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(_background())  # around the chart, as on the chart
        if message:
            self.setAccessibleDescription(message)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.dates is not None:
            self.dates.label(max(40, event.size().width() - Y_AXIS_ROOM))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        if not self.message:
            return
        painter.save()
        painter.resetTransform()  # in the viewport's own pixels
        painter.setPen(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        box = self.viewport().rect().adjusted(8, 8, -8, -8)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        painter.drawText(box, int(flags), self.message)
        painter.restore()


class ChartFrame(QWidget):
    """A chart: its view (the chart's title inside) and its legend below, on the chart's
    background. `message` is set when the view says why there is nothing to draw."""

    def __init__(
        self,
        chart: QChart,
        legend: Sequence[LegendEntry],
        parent: QWidget | None = None,
        name: str = "",
        message: str = "",
        dates: DateAxis | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.message = message
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(0)
        self.view = ChartView(chart, self, message, dates)
        self.view.setAccessibleName(name or chart.title())
        self.view.setMinimumSize(320, 200)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        layout.addWidget(self.view, 1)
        self.legend = Legend(legend, self)
        self.legend.setVisible(bool(legend))
        layout.addWidget(self.legend)

    def chart(self) -> QChart:
        return self.view.chart()


def _base_chart(chart: QChart, title: str) -> QChart:
    chart.setTitle(title)
    chart.setBackgroundBrush(_background())
    chart.setBackgroundRoundness(0)
    chart.setTitleBrush(_text_colour())
    chart.legend().hide()  # a `Legend` of our own instead
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


Axis = QValueAxis | QCategoryAxis | QBarCategoryAxis


def _style_axis(axis: Axis) -> None:
    palette = QApplication.palette()
    text = palette.color(QPalette.ColorRole.Text)
    axis.setLabelsColor(text)
    axis.setTitleBrush(text)
    grid = QColor(palette.color(QPalette.ColorRole.Mid))
    axis.setGridLineColor(grid)
    axis.setLinePenColor(grid)


def _add_xy_axes(chart: QChart, x_axis: Axis, y_axis: Axis) -> None:
    """Style the axes and put x at the bottom, y on the left."""
    for axis, side in (
        (x_axis, Qt.AlignmentFlag.AlignBottom),
        (y_axis, Qt.AlignmentFlag.AlignLeft),
    ):
        _style_axis(axis)
        chart.addAxis(axis, side)


def _tooltips(series: QXYSeries, label: str, dates: bool) -> None:
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


@dataclass(frozen=True)
class DateAxis:
    """A date axis and the dates it spans, relabelled to fit its chart's width."""

    axis: QCategoryAxis
    first: dt.date
    last: dt.date

    def label(self, width: float) -> None:
        """Label the axis on round dates (`app.charts.date_ticks`, as the PDF does): the
        finest whose labels fit side by side in `width` pixels."""
        metrics = QFontMetrics(self.axis.labelsFont())
        chosen: list[tuple[dt.date, str]] = []
        for ticks in date_ticks(self.first, self.last, most=max(1, int(width // 40))):
            chosen = ticks
            if not ticks:
                continue
            widest = metrics.horizontalAdvance(max((t[1] for t in ticks), key=len))
            if len(ticks) * (widest + 16) <= width:
                break
        span = max(1, (self.last - self.first).days)

        def fits(day: dt.date, label: str) -> bool:  # inside, and not cut at the right end
            room = (self.last - day).days / span * width + 8
            return self.first < day <= self.last and room >= metrics.horizontalAdvance(label) / 2

        wanted = [(day, label) for day, label in chosen if fits(day, label)]
        if [label for _d, label in wanted] == self.axis.categoriesLabels():
            return
        for label in self.axis.categoriesLabels():
            self.axis.remove(label)
        for day, label in wanted:
            self.axis.append(label, _millis(day))


def _date_axis(first: dt.date, last: dt.date, width: float) -> DateAxis:
    """A date axis from `first` to `last`, labelled for a chart about `width` pixels wide
    (and again whenever its view is resized)."""
    axis = QCategoryAxis()
    axis.setRange(_millis(first), _millis(last))
    axis.setStartValue(_millis(first))
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    dates = DateAxis(axis, first, last)
    dates.label(width)
    return dates


def _value_axis(low: float, high: float, compact: bool) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(low, high)
    if high - low <= 10 and float(low).is_integer() and float(high).is_integer():
        axis.setTickCount(int(high - low) + 1)  # a rating scale: whole numbers
        axis.setLabelFormat("%d")
    else:
        axis.applyNiceNumbers()  # round tick values (1, 2, 5 × 10ⁿ)
        if compact:
            axis.setTickCount(min(axis.tickCount(), 5))
        step = (axis.max() - axis.min()) / max(1, axis.tickCount() - 1)
        if float(axis.min()).is_integer() and abs(step - round(step)) < 1e-9:
            axis.setLabelFormat("%.0f")  # 0, 20, 40 rather than 0.0, 20.0, 40.0
    return axis


def _fill_time_chart(chart: QChart, data: TimeChart, compact: bool) -> DateAxis:
    """The axes, bands, reference lines and series of a chart that has points; its date
    axis, to relabel as the chart's width changes."""
    x_range = data.x_range()
    assert x_range is not None
    first, last = x_range
    dates = _date_axis(first, last, PANEL_PLOT_WIDTH if compact else PLOT_WIDTH)
    x_axis = dates.axis
    y_axis = _value_axis(*data.y_range(), compact)
    if not compact:
        x_axis.setTitleText(data.x_label)
        y_axis.setTitleText(data.y_label)
    _add_xy_axes(chart, x_axis, y_axis)
    axes = (x_axis, y_axis)
    width = PANEL_LINE_WIDTH if compact else LINE_WIDTH
    ends = (_millis(first), _millis(last))
    for reference in data.references:  # under the series
        look = reference.look or Look(colour=0)
        if reference.y_high is not None:
            lower, upper = QLineSeries(), QLineSeries()
            lower.append([QPointF(x, reference.y) for x in ends])
            upper.append([QPointF(x, reference.y_high) for x in ends])
            band = QAreaSeries(upper, lower)
            lower.setParent(band)
            upper.setParent(band)
            tint = colour_of(look)
            tint.setAlphaF(BAND_ALPHA)
            band.setBrush(tint)
            band.setPen(QPen(colour_of(look), 1.0))
            band.setName(reference.name)
            chart.addSeries(band)
            for axis in axes:
                band.attachAxis(axis)
        else:
            line = QLineSeries()
            line.append([QPointF(x, reference.y) for x in ends])
            line.setName(reference.name)
            line.setPen(_pen(look, width))
            chart.addSeries(line)
            for axis in axes:
                line.attachAxis(axis)
    for index, item in enumerate(data.series):
        look = item.look or Look(colour=index)
        series = QLineSeries()
        points: list[QPointF] = []
        places: list[int] = []
        for point in item.points:
            x = _millis(point.x)
            if item.step and points and points[-1].y() != point.y:
                points.append(QPointF(x, points[-1].y()))
            places.append(len(points))
            points.append(QPointF(x, point.y))
        series.append(points)  # one call, not one a point
        series.setName(item.name)
        dense = len(item.points) > 60
        series.setPen(_pen(look, width * (0.75 if dense else 1)))
        if look.marker and points:
            size = PANEL_MARKER_SIZE if compact else MARKER_SIZE
            image = _marker_image(look.marker, colour_of(look).name(), _background().name(), 9)
            series.setLightMarker(image)
            series.setMarkerSize(size)
            shown = {places[i] for i in marked(len(places), index, len(data.series))}
            if len(shown) < len(points):
                hidden = {QXYSeries.PointConfiguration.Visibility: False}
                series.setPointsConfiguration(
                    {i: hidden for i in range(len(points)) if i not in shown}
                )
        chart.addSeries(series)
        for axis in axes:
            series.attachAxis(axis)
        _tooltips(series, item.name, dates=True)
    return dates


def _time_legend(data: TimeChart) -> list[LegendEntry]:
    return [LegendEntry(s.name, s.look) for s in data.series] + [
        LegendEntry(r.name, r.look, band=r.band) for r in data.references
    ]


def time_chart(data: TimeChart, parent: QWidget | None = None) -> ChartFrame:
    """Lines on a date axis with the chart's reference lines and bands; step series hold
    each value until the next point. Without any point, the chart's `empty_text`."""
    chart = _base_chart(QChart(), data.title)
    if data.empty:
        return ChartFrame(chart, [], parent, data.title, message=data.empty_text)
    dates = _fill_time_chart(chart, data, compact=False)
    return ChartFrame(chart, _time_legend(data), parent, data.title, dates=dates)


# Small multiples -------------------------------------------------------------------------------


class ElidedLabel(QLabel):
    """A one-line label that elides its text to its width, and then shows it whole in a
    tooltip (panel titles are names, which can be long)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = text
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName(text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(10, self.contentsRect().width())
        text = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        self.setText(text)
        self.setToolTip(self.full_text if text != self.full_text else "")

    @property
    def elided(self) -> bool:
        return self.text() != self.full_text


class Panel(QWidget):
    """One small chart of a grid: its title (elided, with a tooltip) and its view."""

    def __init__(self, data: TimeChart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(0)
        self.title = ElidedLabel(data.title, self)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        chart = _base_chart(QChart(), "")
        chart.setMargins(QMargins(0, 2, 4, 0))
        self.message = data.empty_text if data.empty else ""
        dates = None if data.empty else _fill_time_chart(chart, data, compact=True)
        self.view = ChartView(chart, self, self.message, dates)
        self.view.setAccessibleName(data.title)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setMinimumSize(PANEL_MIN_SIZE)
        layout.addWidget(self.view, 1)

    def chart(self) -> QChart:
        return self.view.chart()


class SmallMultiplesView(QWidget):
    """A grid of small charts on the same axes (`app.charts.SmallMultiples`), its title
    above and one legend below; without any point, the grid's `empty_text` instead."""

    def __init__(self, data: SmallMultiples, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAccessibleName(data.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        self.title = QLabel(data.title, self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.panels: list[Panel] = []
        self.message = data.empty_text if data.empty or not data.panels else ""
        if self.message:
            view = ChartView(_base_chart(QChart(), ""), self, self.message)
            view.setFrameShape(QFrame.Shape.NoFrame)
            layout.addWidget(view, 1)
            self.legend = Legend([], self)
            self.legend.hide()
            return
        grid_widget = QWidget()
        grid_widget.setAutoFillBackground(True)
        grid_widget.setBackgroundRole(QPalette.ColorRole.Base)
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(4, 0, 4, 0)
        grid.setSpacing(6)
        count = len(data.panels)
        columns = 2 if count in (2, 4) else min(3, count)
        for index, panel_data in enumerate(data.panels):
            panel = Panel(panel_data, grid_widget)
            self.panels.append(panel)
            grid.addWidget(panel, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(grid_widget)
        layout.addWidget(scroll, 1)
        entries = [LegendEntry(name, look, band) for name, look, band in data.legend()]
        self.legend = Legend(entries, self)
        layout.addWidget(self.legend)


def small_multiples(data: SmallMultiples, parent: QWidget | None = None) -> SmallMultiplesView:
    return SmallMultiplesView(data, parent)


# Radar and bars --------------------------------------------------------------------------------


def radar_chart(data: RadarChart, parent: QWidget | None = None) -> ChartFrame:
    """A closed polygon per series on a polar chart, one spoke per axis."""
    chart = QPolarChart()
    _base_chart(chart, data.title)
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
    for index, item in enumerate(data.series):
        look = item.look or Look(colour=index)
        series = QLineSeries()
        values = [*item.values, item.values[0]] if item.values else []
        series.append([QPointF(float(p), v) for p, v in enumerate(values)])
        series.setName(item.name)
        series.setPen(_pen(look, 2.5))
        if look.marker:
            image = _marker_image(look.marker, colour_of(look).name(), _background().name(), 9)
            series.setLightMarker(image)
            series.setMarkerSize(MARKER_SIZE)
        chart.addSeries(series)
        series.attachAxis(angular)
        series.attachAxis(radial)
        _tooltips(series, item.name, dates=False)
    legend = [LegendEntry(s.name, s.look) for s in data.series]
    return ChartFrame(chart, legend, parent, data.title)


def _fill_brush(fill: Fill) -> QBrush:
    """A fill's colour, hatched with grey lines where it says so (readable in greyscale)."""
    if not fill.hatch:
        return QBrush(QColor(fill.colour))
    tile = QPixmap(8, 8)
    tile.fill(QColor(fill.colour))
    painter = QPainter(tile)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(HATCH_COLOUR), 1.2))
    painter.drawLine(QPointF(-1, 9), QPointF(9, -1))
    painter.drawLine(QPointF(-1, 1), QPointF(1, -1))
    painter.drawLine(QPointF(7, 9), QPointF(9, 7))
    painter.end()
    return QBrush(tile)


def bar_chart(data: BarChart, parent: QWidget | None = None) -> ChartFrame:
    """Stacked bars, one per category, each stack in the fill its meaning gives it."""
    chart = _base_chart(QChart(), data.title)
    series = QStackedBarSeries()
    fills = bar_fills(data.stacks, _dark())
    for stack, fill in zip(data.stacks, fills, strict=True):
        bar_set = QBarSet(stack.name)
        bar_set.append(stack.values)
        bar_set.setBrush(_fill_brush(fill))
        bar_set.setBorderColor(_background())
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
    legend = [LegendEntry(s.name, fill=f) for s, f in zip(data.stacks, fills, strict=True)]
    return ChartFrame(chart, legend, parent, data.title)


def series_of(view: QWidget) -> list[QAbstractSeries]:
    """The series a chart (a `ChartFrame`, a `Panel` or a chart view) draws (for tests and
    accessibility)."""
    chart = view.chart() if isinstance(view, ChartFrame | Panel | QChartView) else None
    return list(chart.series()) if chart is not None else []
