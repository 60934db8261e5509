"""Charts and the level diff on screen: the right series and points for a known history,
and the design that works with one point and with none (markers, reference lines and
bands, a message instead of empty axes, colours that never repeat, small multiples)."""

from __future__ import annotations

import itertools
import os
import time
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCharts import (
    QAbstractSeries,
    QAreaSeries,
    QCategoryAxis,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QDate, QDateTime, QPoint, Qt, QTime
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.charts import STATUS_FILLS
from app.services import Services
from tests.helpers import wait_idle
from ui import charts
from ui.dashboard import Dashboard, load_dashboard, load_tab
from ui.frameworks import FrameworksPanel, LevelDiffModel
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui

DAYS = (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1))
HIDDEN = QXYSeries.PointConfiguration.Visibility


def _profile(services: Services, name: str = "Ada") -> str:
    return services.profiles.create(
        name=name,
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 1),
    ).id


def _history(services: Services) -> str:
    """Three final check-ins: Python rises 1 → 2 → 3, SQL is rated once, one milestone done."""
    profile_id = _profile(services)
    for value, day in enumerate(DAYS, start=1):
        draft = services.checkins.start_draft(profile_id, day)
        services.checkins.set_rating(draft.id, "python-ml-engineering", value)
        if value == 1:
            services.checkins.set_rating(draft.id, "sql-fundamentals", 2)
            services.checkins.set_milestone(draft.id, "30d-run-pipeline", "done")
        services.checkins.set_kpi(draft.id, "pr-throughput", float(value))
        services.checkins.set_kpi(draft.id, "cycle-time", 7.0 - value)
        services.checkins.finalize(draft.id)
    return profile_id


def _one_checkin(services: Services) -> str:
    """Exactly one final check-in: one skill rated, one KPI value."""
    profile_id = _profile(services, "Once")
    draft = services.checkins.start_draft(profile_id, DAYS[0])
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2)
    services.checkins.set_kpi(draft.id, "pr-throughput", 3.0)
    services.checkins.finalize(draft.id)
    return profile_id


def _points(series: QLineSeries) -> list[tuple[date, float]]:
    return [
        (QDateTime.fromMSecsSinceEpoch(int(p.x())).date().toPython(), round(p.y(), 6))
        for p in series.points()
    ]


_KEEP: list[Any] = []


def _keep(view: Any) -> Any:
    _KEEP.append(view)
    return view


def _named(view: Any) -> dict[str, Any]:
    """The series of a chart view by name (the view is kept alive while they are read)."""
    _KEEP.append(view)
    return {s.name(): s for s in charts.series_of(view)}


def _visible_markers(series: QXYSeries) -> list[int]:
    """The indices of the points a series draws with a marker."""
    if series.lightMarker().isNull() and not series.pointsVisible():
        return []
    hidden = series.pointsConfiguration()
    return [i for i in range(series.count()) if hidden.get(i, {}).get(HIDDEN, True)]


def _dashboard(qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str) -> Dashboard:
    """A Dashboard showing the profile as of the last of DAYS, once its first load is in."""
    dashboard = Dashboard(services, runner)
    qtbot.addWidget(dashboard)
    dashboard.resize(1000, 760)
    dashboard.show()
    dashboard.load(profile_id, today=DAYS[-1])
    wait_idle(qtbot, runner)
    return dashboard


def _show_tab(qtbot: QtBot, runner: TaskRunner, dashboard: Dashboard, key: str) -> Any:
    """Show a tab, and its chart once its data is in."""
    dashboard.tabs.setCurrentIndex(list(dashboard.chart_tabs).index(key))
    wait_idle(qtbot, runner)
    QApplication.processEvents()
    return dashboard.chart_tabs[key].view


def _tab(services: Services, profile_id: str, key: str) -> Any:
    return load_tab(services, profile_id, key, today=DAYS[-1])


def test_each_chart_draws_the_series_and_points_of_the_history(
    qtbot: QtBot, services: Services
) -> None:
    profile_id = _history(services)
    data = load_dashboard(services, profile_id, today=DAYS[-1])

    readiness = _named(charts.time_chart(data.readiness_chart))
    expected = [
        (p.date, round(p.readiness or 0, 6)) for p in services.readiness.over_time(profile_id)
    ]
    assert _points(readiness["Readiness"]) == expected
    assert [p[0] for p in expected] == list(DAYS)
    assert {"Readiness", "Ready threshold"} <= readiness.keys()

    radar = _named(charts.radar_chart(_tab(services, profile_id, "radar")))
    assert set(radar) == {
        "Your ratings",
        "Expected: Junior ML Engineer",
        "Expected: ML Engineer (target)",
    }
    framework = services.frameworks.load("ml-engineer")
    yours = [p.y() for p in radar["Your ratings"].points()]
    assert len(yours) == len(framework.dimensions) + 1  # the polygon closes on its first point
    assert yours[0] == yours[-1]

    growth = _tab(services, profile_id, "growth")
    python = charts.small_multiples(growth["python-engineering"])
    _KEEP.append(python)
    panel = next(p for p in python.panels if p.data.title == "Python for ML engineering")
    line = _named(panel)["Your rating"]
    assert _points(line) == [(DAYS[0], 1), (DAYS[1], 1), (DAYS[1], 2), (DAYS[2], 2), (DAYS[2], 3)]
    data_skills = charts.small_multiples(growth["data-skills"])
    _KEEP.append(data_skills)
    sql = next(p for p in data_skills.panels if p.data.title == "SQL fundamentals")
    assert _points(_named(sql)["Your rating"]) == [(DAYS[0], 2), (DAYS[2], 2)]  # held to the end

    bar_view = charts.bar_chart(_tab(services, profile_id, "milestones"))
    [bars] = charts.series_of(bar_view)
    assert isinstance(bars, QStackedBarSeries)
    done = next(s for s in bars.barSets() if s.label() == "Done")
    assert done.at(0) == 1  # the 30-day horizon has one milestone done
    assert sum(done.at(i) for i in range(done.count())) == 1

    kpi = _named(charts.time_chart(_tab(services, profile_id, "kpis")["pr-throughput"]))
    assert _points(kpi["PR throughput (merged PRs)"]) == [
        (d, float(i)) for i, d in enumerate(DAYS, start=1)
    ]


def test_one_checkin_shows_as_a_dot_on_every_chart(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    """A profile with a single final check-in: its readiness, growth and KPI are each one
    point drawn with a marker, not an invisible line of one point."""
    profile_id = _one_checkin(services)
    dashboard = _dashboard(qtbot, services, runner, profile_id)

    readiness = _named(_show_tab(qtbot, runner, dashboard, "readiness"))["Readiness"]
    assert readiness.count() == 1
    assert not readiness.lightMarker().isNull()
    assert readiness.markerSize() >= 8
    assert _visible_markers(readiness) == [0]
    assert "Readiness" in dashboard.chart_tabs["readiness"].view.legend.accessibleDescription()

    growth = _show_tab(qtbot, runner, dashboard, "growth")
    python = next(p for p in growth.panels if p.data.title == "Python engineering")
    [mean] = [s for s in charts.series_of(python) if s.name() == "Mean rating"]
    assert mean.count() == 1
    assert _visible_markers(mean) == [0]
    others = [p for p in growth.panels if p is not python]
    assert {p.message for p in others} == {"Not rated yet"}  # never rated: no line at 0
    assert all(not charts.series_of(p) for p in others)

    kpi = _named(_show_tab(qtbot, runner, dashboard, "kpis"))["PR throughput (merged PRs)"]
    assert kpi.count() == 1
    assert _visible_markers(kpi) == [0]


def test_a_chart_without_any_point_says_so_instead_of_empty_axes(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    profile_id = _profile(services, "New")
    dashboard = _dashboard(qtbot, services, runner, profile_id)
    readiness = _show_tab(qtbot, runner, dashboard, "readiness")
    assert readiness.message == "No check-ins yet"
    assert not readiness.chart().series()
    assert not readiness.chart().axes()  # no date axis reading 1970-01
    assert readiness.view.accessibleDescription() == "No check-ins yet"
    assert not readiness.legend.isVisible()
    growth = _show_tab(qtbot, runner, dashboard, "growth")
    assert growth.message == "No check-ins yet"
    assert not growth.panels
    kpis = _show_tab(qtbot, runner, dashboard, "kpis")
    assert kpis.message == "No values recorded yet"


def test_kpi_targets_are_drawn_a_range_as_a_band_a_threshold_as_a_line(
    qtbot: QtBot, services: Services
) -> None:
    profile_id = _history(services)
    kpis = _tab(services, profile_id, "kpis")
    for appearance in (Appearance.LIGHT, Appearance.DARK):
        Theme(QApplication.instance(), appearance)  # type: ignore[arg-type]
        view = charts.time_chart(kpis["pr-throughput"])
        named = _named(view)
        band = named["Target range 2–6"]
        assert isinstance(band, QAreaSeries)
        assert [p.y() for p in band.lowerSeries().points()] == [2, 2]
        assert [p.y() for p in band.upperSeries().points()] == [6, 6]
        x_axis = next(a for a in view.chart().axes() if isinstance(a, QCategoryAxis))
        assert band.upperSeries().at(0).x() == x_axis.min()  # across the whole date axis
        assert band.upperSeries().at(1).x() == x_axis.max()
        assert 0 < band.brush().color().alphaF() < 1  # a tint: the values show through
        [entry] = [e for e in view.legend.entries if e.name == "Target range 2–6"]
        assert entry.band
        # a threshold is a line across the chart, in the legend as itself
        cycle = _named(charts.time_chart(kpis["cycle-time"]))
        assert isinstance(cycle["Target < 5"], QLineSeries)
        assert [p.y() for p in cycle["Target < 5"].points()] == [5, 5]
    Theme(QApplication.instance(), Appearance.LIGHT)  # type: ignore[arg-type]


def _colours(series: list[QAbstractSeries]) -> list[str]:
    colours = []
    for item in series:
        if isinstance(item, QAreaSeries | QLineSeries):
            colours.append(item.pen().color().name())
    return colours


@pytest.mark.parametrize("appearance", [Appearance.LIGHT, Appearance.DARK])
def test_no_two_series_of_a_chart_share_a_colour(
    qtbot: QtBot, services: Services, appearance: Appearance
) -> None:
    Theme(QApplication.instance(), appearance)  # type: ignore[arg-type]
    try:
        profile_id = _history(services)
        data = load_dashboard(services, profile_id, today=DAYS[-1])
        radar = _tab(services, profile_id, "radar")
        views: list[Any] = [charts.time_chart(data.readiness_chart), charts.radar_chart(radar)]
        views += [charts.time_chart(chart) for chart in _tab(services, profile_id, "kpis").values()]
        for multiples in _tab(services, profile_id, "growth").values():
            grid = charts.small_multiples(multiples)
            _KEEP.append(grid)
            views += grid.panels
        _KEEP.extend(views)
        checked = 0
        for view in views:
            colours = _colours(charts.series_of(view))
            assert len(colours) == len(set(colours)), (view.chart().title(), colours)
            checked += len(colours) > 1
        assert checked >= 8  # readiness, radar, two KPIs with a target, the panels
        milestones = _tab(services, profile_id, "milestones")
        bars = charts.series_of(_keep(charts.bar_chart(milestones)))[0]
        fills = [b.brush().color().name() for b in bars.barSets()]
        assert len(set(fills)) == len(fills)
    finally:
        Theme(QApplication.instance(), Appearance.LIGHT)  # type: ignore[arg-type]


def test_growth_is_small_multiples_on_shared_axes(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    profile_id = _history(services)
    dashboard = _dashboard(qtbot, services, runner, profile_id)
    framework = services.frameworks.load("ml-engineer")
    growth = _show_tab(qtbot, runner, dashboard, "growth")
    assert [p.title.full_text for p in growth.panels] == [d.name for d in framework.dimensions]
    assert growth.title.text() == "Growth by dimension"

    picker = dashboard.chart_tabs["growth"].picker
    picker.setCurrentIndex(picker.findData("data-skills"))
    drill = dashboard.chart_tabs["growth"].view
    skills = [s for s in framework.skills if s.dimension == "data-skills"]
    assert [p.title.full_text for p in drill.panels] == [s.name for s in skills]
    ranges = set()
    for panel in drill.panels:
        assert len([s for s in charts.series_of(panel) if s.name() == "Your rating"]) <= 1
        if panel.message:
            continue
        axes = panel.chart().axes()
        x_axis = next(a for a in axes if isinstance(a, QCategoryAxis))
        y_axis = next(a for a in axes if isinstance(a, QValueAxis) and a is not x_axis)
        ranges.add((x_axis.min(), x_axis.max(), y_axis.min(), y_axis.max()))
    assert ranges == {(charts._millis(DAYS[0]), charts._millis(DAYS[-1]), 0, 4)}
    sql = next(p for p in drill.panels if p.data.title == "SQL fundamentals")
    lines = _named(sql)
    sql_skill = next(s for s in skills if s.id == "sql-fundamentals")
    at_level = sql_skill.expected["junior-ml-engineer"]
    at_target = sql_skill.expected["ml-engineer"]
    assert [p.y() for p in lines["Expected: Junior ML Engineer"].points()] == [at_level] * 2
    assert [p.y() for p in lines["Expected: ML Engineer (target)"].points()] == [at_target] * 2
    never = next(p for p in drill.panels if p.data.title == "Data validation/testing")
    assert never.message == "Not rated yet"
    assert never.view.accessibleDescription() == "Not rated yet"
    legend = [e.name for e in drill.legend.entries]
    assert legend == [
        "Your rating",
        "Expected: Junior ML Engineer",
        "Expected: ML Engineer (target)",
    ]


def test_a_long_panel_title_is_elided_with_a_tooltip(qtbot: QtBot, services: Services) -> None:
    profile_id = _history(services)
    grid = charts.small_multiples(_tab(services, profile_id, "growth")["python-engineering"])
    qtbot.addWidget(grid)
    grid.resize(700, 600)
    grid.show()
    QApplication.processEvents()
    long = next(p for p in grid.panels if p.data.title.startswith("API/service"))
    assert long.title.elided
    assert long.title.text().endswith("…")
    assert long.title.toolTip() == long.data.title
    assert long.title.accessibleName() == long.data.title
    grid.resize(2400, 900)
    QApplication.processEvents()
    assert not long.title.elided
    assert long.title.toolTip() == ""


def _lightness(colour: str) -> float:
    """CIE L* of an sRGB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return float(116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y)


def test_milestone_colours_carry_meaning_and_differ_in_lightness(
    qtbot: QtBot, services: Services
) -> None:
    lightness = {status: _lightness(fill.colour) for status, fill in STATUS_FILLS.items()}
    values = sorted(lightness.values())
    assert min(b - a for a, b in itertools.pairwise(values)) >= 10  # apart in grey
    assert lightness["done"] < lightness["not-started"] < lightness["in-progress"]
    assert STATUS_FILLS["done"].colour == "#0072B2"  # the palette's blue
    assert STATUS_FILLS["not-applicable"].hatch
    milestones = _tab(services, _history(services), "milestones")
    [bars] = charts.series_of(_keep(charts.bar_chart(milestones)))
    brushes = {b.label(): b.brush() for b in bars.barSets()}
    assert brushes["Done"].color().name().upper() == STATUS_FILLS["done"].colour
    assert brushes["Not started"].color().name().upper() == STATUS_FILLS["not-started"].colour
    assert not brushes["Not applicable"].texture().isNull()  # hatched


def test_dashboard_tabs_and_pickers_switch_charts(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    profile_id = _history(services)
    dashboard = _dashboard(qtbot, services, runner, profile_id)
    assert "Readiness:" in dashboard.readiness.text()
    assert dashboard.chart_tabs["readiness"].view.chart().title() == "Readiness over time"
    dashboard.tabs.setCurrentIndex(2)  # Growth
    wait_idle(qtbot, runner)
    growth = dashboard.chart_tabs["growth"]
    assert growth.view.title.text() == "Growth by dimension"
    growth.picker.setCurrentIndex(growth.picker.findData("data-skills"))
    assert growth.view.title.text() == "Growth: Data skills"


@pytest.mark.parametrize(
    "zone", ["UTC", "Europe/Berlin", "America/Santiago", "Africa/Cairo", "Australia/Lord_Howe"]
)
def test_dates_sit_at_local_midnight_exactly_as_qt_places_them(zone: str) -> None:
    """The charts compute a date's position with Python's clock, not Qt's (70 times
    faster): it must be Qt's own local midnight every day, across daylight-saving changes,
    midnights that do not exist included (Santiago and Cairo skip from 00:00 to 01:00)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        day = date(2019, 1, 1)
        while day < date(2025, 1, 1):
            qt = QDateTime(QDate(day.year, day.month, day.day), QTime(0, 0))
            assert charts._millis(day) == qt.toMSecsSinceEpoch(), day
            assert QDateTime.fromMSecsSinceEpoch(int(charts._millis(day))).date() == qt.date()
            day += timedelta(days=1)
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_level_diff_panel_lists_what_changes(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    panel = FrameworksPanel(services, runner)
    qtbot.addWidget(panel)
    panel.show()
    model = panel.model
    framework = services.frameworks.load("ml-engineer@1.0")  # the list's first built-in
    assert model.rowCount() == len(framework.skills)
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header[LevelDiffModel.LOWER :] == ["Junior ML Engineer", "ML Engineer", "Change"]
    box = panel.only_changes
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    changed = {
        s.id
        for s in framework.skills
        if s.expected["ml-engineer"] != s.expected["junior-ml-engineer"]
    }
    assert panel.proxy.rowCount() == len(changed)
    assert "Can design and own a component end-to-end" in panel.criteria.toPlainText()
