"""Chart data, computed once here and drawn by `ui/charts.py` and by the PDF report.

Every chart is plain data (titles, axes, series, points) so that the screen
and the report show the same numbers; nothing here knows how it is drawn.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

Style = Literal["solid", "dashed", "dotted"]

# The Okabe–Ito palette (distinguishable with common colour blindness), for light
# backgrounds and paper, and lightened for dark backgrounds.
LIGHT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DARK_COLOURS = ("#56B4E9", "#E69F00", "#3DD9A4", "#E08FC0", "#F0E442", "#8FD0F5", "#FFFFFF")


class TimePoint(BaseModel):
    x: dt.date
    y: float


class TimeSeries(BaseModel):
    name: str
    points: list[TimePoint]
    style: Style = "solid"
    step: bool = False  # a value holds until the next point (ratings carried forward)


class TimeChart(BaseModel):
    """Lines over a date axis."""

    title: str
    y_label: str
    y_min: float
    y_max: float
    series: list[TimeSeries]
    x_label: str = "Date"


class RadarSeries(BaseModel):
    name: str
    values: list[float]  # one per axis
    style: Style = "solid"


class RadarChart(BaseModel):
    title: str
    axes: list[str]
    max_value: float
    series: list[RadarSeries]


class BarSeries(BaseModel):
    name: str
    values: list[float]  # one per category


class BarChart(BaseModel):
    """Stacked bars, one per category."""

    title: str
    y_label: str
    categories: list[str]
    stacks: list[BarSeries]


def within(chart: TimeChart, start: dt.date, end: dt.date) -> TimeChart:
    """The chart's points dated in [start, end] (a report's period)."""
    series = [
        s.model_copy(update={"points": [p for p in s.points if start <= p.x <= end]})
        for s in chart.series
    ]
    return chart.model_copy(update={"series": series})
