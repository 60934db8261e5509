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
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.colors import HexColor
from reportlab.platypus import SimpleDocTemplate

from app.charts import (
    DASH_PATTERNS,
    SPREAD_MARKERS,
    STATUS_FILLS,
    BarChart,
    BarSeries,
    RadarChart,
    RadarSeries,
    Reference,
    SmallMultiples,
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
            series("Projection", [end, end + 2 * days], [80, 85], projected=True),
        ],
        references=[Reference(name="Ready threshold", y=85)],
    )


def plots_of(drawing: Drawing) -> list[Any]:
    return [item for item in drawing.contents if isinstance(item, LinePlot)]


def row_of(chart: TimeChart, plot: Any, name: str) -> int:
    """The plot's row of a series: reference lines come first (under the series), then each
    series that has points."""
    rows = [r.name for r in chart.references if not r.band]
    rows += [s.name for s in chart.series if s.points]
    assert len(rows) == len(plot.data)
    return rows.index(name)


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
        drawings.small_multiples(growth, WIDTH, 320),
        drawings.bar_chart(milestones, WIDTH, HEIGHT),
        drawings.time_chart(kpi, WIDTH, HEIGHT),
    )
    text = text_of(pdf)
    dimensions = [d.name for d in framework.dimensions]
    assert radar.axes == dimensions
    assert [p.title for p in growth.panels] == dimensions
    expected = [s.name for chart in (readiness, radar, kpi) for s in chart.series]
    expected += [r.name for chart in (readiness, kpi) for r in chart.references]
    expected += [name for name, _look, _band in growth.legend()]
    expected += dimensions + milestones.categories + [s.name for s in milestones.stacks]
    assert {"Readiness", "Ready threshold", "Your ratings", "Mean rating"} <= set(expected)
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
    chart = readiness_like(30, 12)
    plot = plot_of(drawings.time_chart(chart, WIDTH, HEIGHT))

    def dash(name: str) -> Any:
        return plot.lines[row_of(chart, plot, name)].strokeDashArray

    assert dash("Readiness") is None
    assert dash("Projection") == tuple(v * drawings.LINE_WIDTH for v in DASH_PATTERNS["dashed"])
    assert dash("Ready threshold") == tuple(
        v * drawings.LINE_WIDTH for v in DASH_PATTERNS["dotted"]
    )

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
    # Colour, dash pattern and marker each tell all six apart, so greyscale loses nothing.
    for part in range(3):
        assert len({look[part] for look in looks}) == 6, part
    assert looks[0][0] == str(HexColor(drawings.COLOURS[0]))


def _demo_charts(services: Services) -> tuple[Any, ...]:
    profile_id = create_demo(
        services.store, services.frameworks, services.profiles, years=2, today=TODAY
    )
    charts = services.charts
    return (
        charts.readiness_chart(profile_id),
        charts.radar_chart(profile_id, TODAY),
        charts.kpi_charts(profile_id),
        [charts.growth_chart(profile_id), *charts.skill_growth_charts(profile_id).values()],
        charts.milestone_chart(profile_id, TODAY),
    )


def test_no_two_series_of_a_chart_share_a_colour(services: Services) -> None:
    readiness, radar, kpis, growth, milestones = _demo_charts(services)
    time_charts = [readiness, *kpis.values()] + [p for g in growth for p in g.panels]
    checked = 0
    for chart in time_charts:
        looks = chart.looks()
        assert len({look.colour for look in looks}) == len(looks), chart.title
        checked += len(looks) > 1
    assert checked > 30
    assert len({s.look.colour for s in radar.series}) == len(radar.series)
    fills = [s.fill.colour for s in milestones.stacks]
    assert len(set(fills)) == len(fills)
    # as drawn: each line's colour in the PDF
    plot = plot_of(drawings.time_chart(readiness, WIDTH, HEIGHT))
    colours = [str(plot.lines[i].strokeColor) for i in range(len(plot.data))]
    assert len(set(colours)) == len(colours) == 3


def test_past_eight_series_colours_repeat_with_another_dash() -> None:
    lines = [series(f"S{i}", [0, 30], [1, 2]) for i in range(12)]
    looks = time_data(*lines).looks()
    assert len({look.colour for look in looks[:8]}) == 8
    for first, second in zip(looks, looks[8:], strict=False):
        assert first.colour == second.colour
        assert first.dash != second.dash
        assert first.marker != second.marker
    assert len({(look.colour, look.dash, look.marker) for look in looks}) == 12


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
    assert min(len(p.series[0].points) for p in growth.panels) > 500
    readiness = charts.readiness_chart(profile_id)
    made = [
        drawings.time_chart(readiness, WIDTH, HEIGHT),
        drawings.radar_chart(charts.radar_chart(profile_id, TODAY), WIDTH, HEIGHT),
        drawings.small_multiples(growth, WIDTH, 320),
        drawings.bar_chart(charts.milestone_chart(profile_id, TODAY), WIDTH, HEIGHT),
    ]
    plots = plots_of(made[2])
    assert len(plots) == len(growth.panels)
    # Counted before drawing: drawing looks up (and so creates) a style for every point.
    for panel, plot in zip(growth.panels, plots, strict=True):
        line = row_of(panel, plot, "Mean rating")
        markers = sum(1 for j in range(len(plot.data[line])) if (line, j) in plot.lines)
        assert 1 <= markers <= SPREAD_MARKERS + 1
    pdf = build(*made)
    assert_vector_only(pdf, min_segments=100)


# -- one point, no point, targets ----------------------------------------------


def test_a_single_point_is_drawn_as_a_marker() -> None:
    chart = time_data(series("Readiness", [0], [62]), y_max=100)
    drawing = drawings.time_chart(chart, WIDTH, HEIGHT)
    plot = plot_of(drawing)
    assert plot.data == [[(float(START.toordinal()), 62)]]
    marker = plot.lines[0, 0].symbol
    assert marker.kind == "FilledCircle"
    assert marker.size >= drawings.MARKER_SIZE
    # the date axis spans the point, not a day of zero width
    assert plot.xValueAxis.valueMin < START.toordinal() < plot.xValueAxis.valueMax
    pdf = build(drawing)
    content = PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data()
    assert re.search(rb"[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ c\b", content)  # a curve


def test_the_readiness_of_one_checkin_is_a_marker_with_the_threshold(services: Services) -> None:
    profile_id = services.profiles.create(
        name="Once",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=START,
    ).id
    draft = services.checkins.start_draft(profile_id, START)
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2)
    services.checkins.finalize(draft.id)
    chart = services.charts.readiness_chart(profile_id)
    plot = plot_of(drawings.time_chart(chart, WIDTH, HEIGHT))
    row = row_of(chart, plot, "Readiness")
    assert len(plot.data[row]) == 1
    assert plot.lines[row, 0].symbol.kind == "FilledCircle"
    threshold = plot.data[row_of(chart, plot, "Ready threshold")]
    assert [y for _x, y in threshold] == [85, 85]
    assert threshold[0][0] < plot.data[row][0][0] < threshold[1][0]


def test_a_chart_without_a_point_says_so_instead_of_axes() -> None:
    empty = time_data(series("Readiness", [], []))
    drawing = drawings.time_chart(empty, WIDTH, HEIGHT)
    assert not plots_of(drawing)
    text = text_of(build(drawing))
    assert text == "No check-ins yet"  # no axis, no 1970 ticks, no legend
    multiples = SmallMultiples(
        title="Growth by dimension",
        y_label="Mean rating",
        y_min=0,
        y_max=4,
        panels=[
            TimeChart(
                title=name,
                y_label="",
                y_min=0,
                y_max=4,
                series=[TimeSeries(name="Mean rating", points=[])],
                empty_text="Not rated yet",
            )
            for name in ("A", "B")
        ],
    )
    drawing = drawings.small_multiples(multiples, WIDTH, HEIGHT)
    assert not plots_of(drawing)
    assert text_of(build(drawing)) == "No check-ins yet"


def test_a_target_range_is_a_band_and_a_threshold_a_line() -> None:
    chart = TimeChart(
        title="PR throughput",
        y_label="Value",
        y_min=0,
        y_max=8,
        series=[series("PRs", [0, 7, 14], [1, 3, 7])],
        references=[
            Reference(name="Target range 2–6", y=2, y_high=6),
            Reference(name="Target < 7", y=7),
        ],
    )
    drawing = drawings.time_chart(chart, WIDTH, HEIGHT)
    plot = plot_of(drawing)
    band = chart.references[0].look
    assert band is not None
    tint = drawings._look(band, band=True).tint
    [rect] = [
        item for item in drawing.contents if isinstance(item, Rect) and item.fillColor == tint
    ]
    assert rect.x == plot.x
    assert abs(rect.width - plot.width) < 1e-6  # across the whole date axis
    axis = plot.yValueAxis
    scale = plot.height / (axis.valueMax - axis.valueMin)
    assert abs(rect.height - 4 * scale) < 1e-6  # from 2 to 6
    line = plot.data[row_of(chart, plot, "Target < 7")]
    assert [y for _x, y in line] == [7, 7]
    text = text_of(build(drawing))
    assert "Target range 2–6" in text
    assert "Target < 7" in text


def test_small_multiples_draw_a_panel_per_item_on_the_same_axes() -> None:
    days = [0, 30, 60]
    panels = [
        TimeChart(
            title=f"Skill {i}",
            y_label="Rating",
            y_min=0,
            y_max=4,
            series=[series("Your rating", days[: i + 1], [1, 2, 3][: i + 1], step=True)],
            references=[Reference(name="Expected: Senior", y=3)],
        )
        for i in range(3)
    ]
    panels.append(
        TimeChart(
            title="Never rated",
            y_label="Rating",
            y_min=0,
            y_max=4,
            series=[TimeSeries(name="Your rating", points=[])],
            empty_text="Not rated yet",
        )
    )
    multiples = SmallMultiples(
        title="Growth: Data",
        y_label="Rating",
        y_min=0,
        y_max=4,
        x_min=START,
        x_max=START + timedelta(days=60),
        panels=panels,
    )
    drawing = drawings.small_multiples(multiples, WIDTH, 300)
    plots = plots_of(drawing)
    assert len(plots) == 3
    axes = {
        (p.xValueAxis.valueMin, p.xValueAxis.valueMax, p.yValueAxis.valueMin, p.yValueAxis.valueMax)
        for p in plots
    }
    assert axes == {(START.toordinal(), START.toordinal() + 60, 0, 4)}  # shared
    text = text_of(build(drawing))
    for name in ("Skill 0", "Skill 1", "Skill 2", "Never rated", "Not rated yet"):
        assert name in text
    assert text.count("Your rating") == 1  # one legend for the grid
    assert text.count("Expected: Senior") == 1
    assert_inside(drawing)


def test_milestone_bars_take_the_colour_of_their_status() -> None:
    chart = BarChart(
        title="m",
        y_label="Milestones",
        categories=["30 days"],
        stacks=[
            BarSeries(name=name, values=[1], fill=STATUS_FILLS[status])
            for status, name in (
                ("done", "Done"),
                ("in-progress", "In progress"),
                ("not-started", "Not started"),
                ("not-applicable", "Not applicable"),
            )
        ],
    )
    drawing = drawings.bar_chart(chart, WIDTH, HEIGHT)
    fills = {
        item.fillColor.hexval().upper()
        for group in drawing.contents
        for item in getattr(group, "contents", [group])
        if isinstance(item, Rect) and item.fillColor is not None
    }
    for fill in STATUS_FILLS.values():
        assert "0X" + fill.colour[1:] in fills
