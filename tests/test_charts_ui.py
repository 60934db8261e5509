"""Charts and the level diff on screen: the right series and points for a known history."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCharts import QLineSeries, QStackedBarSeries
from PySide6.QtCore import QDateTime, QPoint, Qt
from pytestqt.qtbot import QtBot

from app.services import Services
from ui import charts
from ui.dashboard import Dashboard, load_dashboard
from ui.frameworks import FrameworksPanel, LevelDiffModel

pytestmark = pytest.mark.gui

DAYS = (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1))


def _history(services: Services) -> str:
    """Three final check-ins: Python rises 1 → 2 → 3, SQL is rated once, one milestone done."""
    profile = services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2026, 1, 1),
    )
    for value, day in enumerate(DAYS, start=1):
        draft = services.checkins.start_draft(profile.id, day)
        services.checkins.set_rating(draft.id, "python-ml-engineering", value)
        if value == 1:
            services.checkins.set_rating(draft.id, "sql-fundamentals", 2)
            services.checkins.set_milestone(draft.id, "30d-run-pipeline", "done")
        services.checkins.set_kpi(draft.id, "pr-throughput", float(value))
        services.checkins.finalize(draft.id)
    return profile.id


def _points(series: QLineSeries) -> list[tuple[date, float]]:
    return [
        (QDateTime.fromMSecsSinceEpoch(int(p.x())).date().toPython(), round(p.y(), 6))
        for p in series.points()
    ]


_KEEP: list[Any] = []


def _named(view: Any) -> dict[str, Any]:
    """The series of a chart view by name (the view is kept alive while they are read)."""
    _KEEP.append(view)
    return {s.name(): s for s in charts.series_of(view)}


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

    radar = _named(charts.radar_chart(data.radar))
    assert set(radar) == {
        "Your ratings",
        "Expected: Junior ML Engineer",
        "Expected: ML Engineer (target)",
    }
    framework = services.frameworks.load("ml-engineer")
    yours = [p.y() for p in radar["Your ratings"].points()]
    assert len(yours) == len(framework.dimensions) + 1  # the polygon closes on its first point
    assert yours[0] == yours[-1]

    growth = _named(charts.time_chart(data.growth["python-engineering"]))
    python = _points(growth["Python for ML engineering"])
    assert python == [(DAYS[0], 1), (DAYS[1], 1), (DAYS[1], 2), (DAYS[2], 2), (DAYS[2], 3)]
    sql = _points(_named(charts.time_chart(data.growth["data-skills"]))["SQL fundamentals"])
    assert sql == [(DAYS[0], 2), (DAYS[2], 2)]  # held until the last check-in

    bar_view = charts.bar_chart(data.milestones)
    [bars] = charts.series_of(bar_view)
    assert isinstance(bars, QStackedBarSeries)
    done = next(s for s in bars.barSets() if s.label() == "Done")
    assert done.at(0) == 1  # the 30-day horizon has one milestone done
    assert sum(done.at(i) for i in range(done.count())) == 1

    kpi = _named(charts.time_chart(data.kpis["pr-throughput"]))
    assert _points(kpi["PR throughput (merged PRs)"]) == [
        (d, float(i)) for i, d in enumerate(DAYS, start=1)
    ]
    assert {"Target range low 2", "Target range high 6"} <= kpi.keys()


def test_dashboard_tabs_and_pickers_switch_charts(qtbot: QtBot, services: Services) -> None:
    profile_id = _history(services)
    dashboard = Dashboard()
    qtbot.addWidget(dashboard)
    dashboard.show()
    dashboard.show_data(load_dashboard(services, profile_id, today=DAYS[-1]), today=DAYS[-1])
    assert "Readiness:" in dashboard.readiness.text()
    assert dashboard.chart_tabs["readiness"].view.chart().title() == "Readiness over time"
    dashboard.tabs.setCurrentIndex(2)  # Growth
    growth = dashboard.chart_tabs["growth"]
    assert growth.view.chart().title() == "Growth by dimension"
    growth.picker.setCurrentIndex(growth.picker.findData("data-skills"))
    assert growth.view.chart().title() == "Growth: Data skills"


def test_level_diff_panel_lists_what_changes(qtbot: QtBot, services: Services) -> None:
    panel = FrameworksPanel(services)
    qtbot.addWidget(panel)
    panel.show()
    model = panel.model
    framework = services.frameworks.load("ml-engineer")
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
