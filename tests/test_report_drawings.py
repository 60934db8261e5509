"""The report's charts: vector drawings of the chart data, read back from a real PDF.

Each case puts drawings into a one-page document with ReportLab and reads the
PDF back with pypdf, as a reader would: every series, dimension and axis name
must be there as text (in any script), and the charts must be paths, not images.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.platypus import SimpleDocTemplate

from app.charts import (
    BarChart,
    BarSeries,
    RadarChart,
    RadarSeries,
    TimeChart,
    TimePoint,
    TimeSeries,
)
from app.report import drawings
from app.services import Services
from app.services.demo import create_demo

WIDTH, HEIGHT = 460.0, 220.0
TODAY = date(2026, 11, 27)
NON_LATIN = "数据 Данные"
START = date(2026, 3, 2)


def build(*flowables: Drawing) -> bytes:
    """A PDF of the drawings, one after the other (ReportLab refuses one taller than a page)."""
    out = io.BytesIO()
    SimpleDocTemplate(out).build(list(flowables))
    return out.getvalue()


def words(text: str) -> str:
    """Text with its whitespace collapsed: the PDF breaks a line where a run changes font."""
    return " ".join(text.split())


def text_of(pdf: bytes) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


PATH_SEGMENT = re.compile(rb"[-\d.]+ [-\d.]+ (?:l|[-\d.]+ [-\d.]+ re)\b")  # x y l, x y w h re


def assert_vector_only(pdf: bytes, min_segments: int) -> None:
    """No page holds an image, and the pages draw at least `min_segments` lines or rectangles."""
    segments = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        objects = page["/Resources"].get("/XObject", {})
        assert all(obj.get_object()["/Subtype"] != "/Image" for obj in objects.values())
        segments += len(PATH_SEGMENT.findall(page.get_contents().get_data()))
    assert not re.search(rb"/Subtype\s*/Image\b", pdf)  # not even outside the pages
    assert segments >= min_segments


def assert_inside(drawing: Drawing) -> None:
    """Everything drawn stays within the drawing's own width and height."""
    x0, y0, x1, y1 = drawing.getBounds()
    slack = drawings.MARKER_SIZE  # a marker on the last point may stand out by half its size
    assert x0 >= -slack
    assert y0 >= -slack
    assert x1 <= drawing.width + slack
    assert y1 <= drawing.height + slack


def series(name: str, days: list[int], values: list[float], **kw: Any) -> TimeSeries:
    points = [
        TimePoint(x=START + timedelta(days=d), y=v) for d, v in zip(days, values, strict=True)
    ]
    return TimeSeries(name=name, points=points, **kw)


def time_data(*lines: TimeSeries, y_min: float = 0, y_max: float = 4) -> TimeChart:
    return TimeChart(
        title="Growth", y_label="Mean rating", y_min=y_min, y_max=y_max, series=list(lines)
    )


def plot_of(drawing: Drawing) -> Any:
    return next(item for item in drawing.contents if isinstance(item, LinePlot))


def readiness_like(days: int, count: int) -> TimeChart:
    """A readiness chart over `count` check-ins `days` apart, with a projection and threshold."""
    steps = list(range(0, days * count, days))
    end = steps[-1]
    return TimeChart(
        title="Readiness over time",
        y_label="Readiness (0–100)",
        y_min=0,
        y_max=100,
        series=[
            series("Readiness", steps, [40 + 40 * i / count for i in range(count)]),
            series("Projection", [end, end + 2 * days], [80, 85], style="dashed"),
            series("Ready threshold", [0, end + 2 * days], [85, 85], style="dotted"),
        ],
    )


# -- names, text and vectors ---------------------------------------------------


def test_every_series_dimension_and_axis_name_is_text_in_the_pdf() -> None:
    growth = time_data(
        series("Python engineering", [0, 30, 60], [1, 2, 3]),
        series(NON_LATIN, [0, 30, 60], [2, 2, 3]),
    )
    radar = RadarChart(
        title="Ratings by dimension",
        axes=["Python engineering", NON_LATIN, "Δεδομένα", "데이터 품질", "Communication"],
        max_value=4,
        series=[
            RadarSeries(name="Your ratings", values=[1, 2, 3, 4, 2]),
            RadarSeries(name="Expected: 初级工程师", values=[2, 2, 2, 2, 2], style="dotted"),
        ],
    )
    bars = BarChart(
        title="Milestones by horizon",
        y_label="Milestones",
        categories=["30 days", "60 days", NON_LATIN],
        stacks=[
            BarSeries(name="Done", values=[3, 1, 0]),
            BarSeries(name="In progress", values=[1, 2, 1]),
            BarSeries(name="Не начато", values=[0, 1, 2]),
        ],
    )
    pdf = build(
        drawings.time_chart(growth, WIDTH, 200),
        drawings.radar_chart(radar, WIDTH, 240),
        drawings.bar_chart(bars, WIDTH, 200),
    )
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    names = [s.name for s in growth.series] + [growth.y_label, growth.x_label]
    names += radar.axes + [s.name for s in radar.series]
    names += bars.categories + [s.name for s in bars.stacks] + [bars.y_label]
    for name in names:
        assert words(name) in text, name
    assert "Growth" not in text  # the title is the page's heading, not the drawing's
    assert_vector_only(pdf, min_segments=30)


def test_the_demo_charts_name_every_series_and_dimension(services: Services) -> None:
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=2, today=TODAY
    )
    charts = services.charts
    framework = services.frameworks.load("ml-engineer")
    readiness = charts.readiness_chart(profile_id)
    radar = charts.radar_chart(profile_id, TODAY)
    growth = charts.growth_chart(profile_id)
    milestones = charts.milestone_chart(profile_id, TODAY)
    kpi = charts.kpi_chart(profile_id, framework.kpis[0].id)
    pdf = build(
        drawings.time_chart(readiness, WIDTH, HEIGHT),
        drawings.radar_chart(radar, WIDTH, 280),
        drawings.time_chart(growth, WIDTH, HEIGHT),
        drawings.bar_chart(milestones, WIDTH, HEIGHT),
        drawings.time_chart(kpi, WIDTH, HEIGHT),
    )
    text = text_of(pdf)
    dimensions = [d.name for d in framework.dimensions]
    assert radar.axes == dimensions
    expected = [s.name for chart in (readiness, radar, growth, kpi) for s in chart.series]
    expected += dimensions + milestones.categories + [s.name for s in milestones.stacks]
    assert {"Readiness", "Ready threshold", "Your ratings"} <= set(expected)
    for name in expected:
        assert words(name) in text, name
    assert_vector_only(pdf, min_segments=100)


def test_a_long_name_is_cut_in_the_legend_only() -> None:
    long = "Designs and runs distributed training across " + "many machines " * 12
    chart = time_data(series(long, [0, 30], [1, 2]), series("Short", [0, 30], [2, 3]))
    drawing = drawings.time_chart(chart, WIDTH, HEIGHT)
    text = text_of(build(drawing))
    assert "Designs and runs distributed" in text
    assert "…" in text
    assert words(long) not in text
    assert chart.series[0].name == long  # the data keeps its name
    assert_inside(drawing)


def test_fifty_series_keep_the_legend_inside_the_drawing() -> None:
    lines = [series(f"Skill {i}", [0, 30, 60], [i % 5, (i + 1) % 5, 2]) for i in range(50)]
    drawing = drawings.time_chart(time_data(*lines), WIDTH, HEIGHT)
    text = text_of(build(drawing))
    shown = {int(n) for n in re.findall(r"Skill (\d+)", text)}
    more = re.search(r"and (\d+) more", text)
    assert more
    assert len(shown) + int(more.group(1)) == 50
    assert shown == set(range(len(shown)))  # the first ones, in order
    assert_inside(drawing)


# -- how series are told apart -------------------------------------------------


def test_threshold_is_dotted_projection_dashed_and_solid_series_differ() -> None:
    plot = plot_of(drawings.time_chart(readiness_like(30, 12), WIDTH, HEIGHT))
    assert plot.lines[0].strokeDashArray is None
    assert plot.lines[1].strokeDashArray == drawings.DASHES["dashed"]
    assert plot.lines[2].strokeDashArray == drawings.DASHES["dotted"]

    six = [series(f"Dimension {i}", [0, 30], [1, 2]) for i in range(6)]
    plot = plot_of(drawings.time_chart(time_data(*six), WIDTH, HEIGHT))
    looks = [
        (
            str(plot.lines[i].strokeColor),
            plot.lines[i].strokeDashArray,
            plot.lines[i, 0].symbol.kind,
        )
        for i in range(6)
    ]
    # In greyscale colour is lost: dash pattern and marker shape still tell all six apart.
    assert len({(dash, marker) for _colour, dash, marker in looks}) == 6
    assert len({marker for _c, _d, marker in looks}) == 6
    assert looks[0][0] == str(HexColor(drawings.COLOURS[0]))


def test_a_step_series_holds_each_value_until_the_next_point() -> None:
    step = series("Python", [0, 30, 60, 90], [1, 1, 3, 2], step=True)
    plot = plot_of(drawings.time_chart(time_data(step), WIDTH, HEIGHT))
    day = [float((START + timedelta(days=d)).toordinal()) for d in (0, 30, 60, 90)]
    assert plot.data[0] == [
        (day[0], 1),
        (day[1], 1),
        (day[2], 1),
        (day[2], 3),
        (day[3], 3),
        (day[3], 2),
    ]
    marked = [j for j in range(6) if (0, j) in plot.lines]
    assert marked == [0, 1, 3, 5]  # markers on the check-ins, not on the corners


# -- date axis -----------------------------------------------------------------

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ISO_MONTH = re.compile(r"\b\d{4}-\d{2}\b(?!-)")
YEAR = re.compile(r"(?<![-\d.])\b(?:19|20)\d{2}\b(?![-\d])")


@pytest.mark.parametrize(
    ("days", "count", "ticks", "unit"),
    [
        (7, 9, ISO_DAY, "days"),  # two months, weekly: day dates
        (30, 25, ISO_MONTH, "months"),  # two years, monthly: months
        (7, 521, YEAR, "years"),  # ten years, weekly: years
    ],
)
def test_date_ticks_suit_the_span(days: int, count: int, ticks: re.Pattern[str], unit: str) -> None:
    chart = readiness_like(days, count)
    text = text_of(build(drawings.time_chart(chart, WIDTH, HEIGHT)))
    labels = ticks.findall(text)
    assert 3 <= len(labels) <= 12, (unit, labels)
    assert labels == sorted(labels)
    others = [p for p in (ISO_DAY, ISO_MONTH, YEAR) if p is not ticks]
    assert not any(p.findall(text) for p in others), text


# -- edge cases ----------------------------------------------------------------

EDGE_CASES: dict[str, Any] = {
    "no points at all": lambda: drawings.time_chart(
        time_data(series("Readiness", [], [])), WIDTH, HEIGHT
    ),
    "no series": lambda: drawings.time_chart(time_data(), WIDTH, HEIGHT),
    "a single point": lambda: drawings.time_chart(
        time_data(series(NON_LATIN, [0], [2])), WIDTH, HEIGHT
    ),
    "all values equal and y_min = y_max": lambda: drawings.time_chart(
        time_data(series("KPI", [0, 7, 14], [5, 5, 5]), y_min=5, y_max=5), WIDTH, HEIGHT
    ),
    "one series of one point among others": lambda: drawings.time_chart(
        time_data(series("One", [10], [1]), series("Two", [0, 40], [2, 3]), series("None", [], [])),
        WIDTH,
        HEIGHT,
    ),
    "values beyond the range": lambda: drawings.time_chart(
        time_data(series("Over", [0, 30], [-1, 9])), WIDTH, HEIGHT
    ),
    "a tiny drawing": lambda: drawings.time_chart(readiness_like(30, 12), 120, 60),
    "zero counts": lambda: drawings.bar_chart(
        BarChart(
            title="m",
            y_label="Milestones",
            categories=["30 days", "60 days"],
            stacks=[BarSeries(name="Done", values=[0, 0]), BarSeries(name="N/A", values=[0, 0])],
        ),
        WIDTH,
        HEIGHT,
    ),
    "no categories": lambda: drawings.bar_chart(
        BarChart(title="m", y_label="Milestones", categories=[], stacks=[]), WIDTH, HEIGHT
    ),
    "many large counts": lambda: drawings.bar_chart(
        BarChart(
            title="m",
            y_label="Milestones",
            categories=[f"Horizon {i}" for i in range(12)],
            stacks=[BarSeries(name="Done", values=[37.0 * i for i in range(12)])],
        ),
        WIDTH,
        HEIGHT,
    ),
    "a radar of no axes": lambda: drawings.radar_chart(
        RadarChart(title="r", axes=[], max_value=4, series=[]), WIDTH, HEIGHT
    ),
    "a radar of one axis": lambda: drawings.radar_chart(
        RadarChart(
            title="r",
            axes=[NON_LATIN],
            max_value=4,
            series=[RadarSeries(name="Your ratings", values=[2.5])],
        ),
        WIDTH,
        HEIGHT,
    ),
    "a radar of two axes": lambda: drawings.radar_chart(
        RadarChart(
            title="r",
            axes=["Data", "Modelling"],
            max_value=4,
            series=[
                RadarSeries(name="Your ratings", values=[2.5, 1]),
                RadarSeries(name="Expected", values=[3, 3], style="dotted"),
            ],
        ),
        WIDTH,
        HEIGHT,
    ),
    "a radar with missing values and no series": lambda: drawings.radar_chart(
        RadarChart(
            title="r",
            axes=["A", "B", "C", "D"],
            max_value=4,
            series=[RadarSeries(name="Short", values=[1]), RadarSeries(name="Zero", values=[])],
        ),
        WIDTH,
        HEIGHT,
    ),
    "a radar of long axis names": lambda: drawings.radar_chart(
        RadarChart(
            title="r",
            axes=["A dimension with a rather long name " * 3, "数据" * 30, "C", "D", "E"],
            max_value=4,
            series=[RadarSeries(name="Your ratings", values=[1, 2, 3, 4, 0])],
        ),
        WIDTH,
        HEIGHT,
    ),
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_edge_cases_build_and_stay_inside_the_drawing(case: str) -> None:
    drawing = EDGE_CASES[case]()
    pdf = build(drawing)
    assert_inside(drawing)
    assert_vector_only(pdf, min_segments=1)


def test_the_radar_keeps_its_scale_and_falls_back_to_bars_below_three_axes() -> None:
    radar = RadarChart(
        title="r",
        axes=["A", "B", "C"],
        max_value=4,
        series=[RadarSeries(name="Your ratings", values=[1, 1, 1])],
    )
    spider = next(
        item
        for item in drawings.radar_chart(radar, WIDTH, HEIGHT).contents
        if isinstance(item, SpiderChart)
    )
    assert spider.data[-1] == [4, 4, 4]  # the outer ring is the top of the scale, not the data
    two = radar.model_copy(update={"axes": ["A", "B"]})
    fallback = drawings.radar_chart(two, WIDTH, HEIGHT)
    assert not any(isinstance(item, SpiderChart) for item in fallback.contents)
    assert "Your ratings" in text_of(build(fallback))


# -- size --------------------------------------------------------------


def test_the_ten_year_weekly_demo_draws_as_vectors_with_few_markers(services: Services) -> None:
    profile_id = create_demo(
        services.store,
        services.frameworks,
        services.profiles,
        years=10,
        weekly=True,
        today=TODAY,
    )
    charts = services.charts
    growth = charts.growth_chart(profile_id)
    assert min(len(s.points) for s in growth.series) > 500
    data: list[Any] = [
        charts.readiness_chart(profile_id),
        charts.radar_chart(profile_id, TODAY),
        growth,
        charts.milestone_chart(profile_id, TODAY),
    ]
    draw = {"TimeChart": drawings.time_chart, "RadarChart": drawings.radar_chart}
    draw["BarChart"] = drawings.bar_chart
    made = [draw[type(chart).__name__](chart, WIDTH, HEIGHT) for chart in data]
    plot = plot_of(made[2])
    # Counted before drawing: drawing looks up (and so creates) a style for every point.
    for line in range(len(growth.series)):
        markers = sum(1 for j in range(len(plot.data[line])) if (line, j) in plot.lines)
        assert 1 <= markers <= drawings.SPREAD_MARKERS + 1
    pdf = build(*made)
    assert_vector_only(pdf, min_segments=100)
