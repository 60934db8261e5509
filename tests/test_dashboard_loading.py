"""The Dashboard reads what shows first: the labels and the readiness tab on opening, every
other tab in a job of its own when it is first shown, and never another profile's chart
while a tab waits for its data."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

import ui.dashboard
from app.charts import RadarChart, SmallMultiples
from app.services import Services
from app.services.demo import create_demo
from tests.helpers import wait_idle
from ui import charts
from ui.dashboard import ALL_DIMENSIONS, LOADING_TEXT, Dashboard, load_tab
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

CHART_METHODS = (
    "readiness_chart",
    "radar_chart",
    "growth_chart",
    "skill_growth_charts",
    "milestone_chart",
    "kpi_charts",
)


@pytest.fixture
def calls(services: Services, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each chart of the ChartService was computed."""
    counted: Counter[str] = Counter()
    for name in CHART_METHODS:
        method = getattr(services.charts, name)

        def counting(*args: Any, _name: str = name, _method: Any = method, **kwargs: Any) -> Any:
            counted[_name] += 1
            return _method(*args, **kwargs)

        monkeypatch.setattr(services.charts, name, counting)
    return counted


@pytest.fixture
def demo(services: Services) -> str:
    return create_demo(services.store, services.frameworks, services.profiles, years=1)


@pytest.fixture
def window(
    qtbot: QtBot,
    qapp: QApplication,
    services: Services,
    runner: TaskRunner,
    data_dir: Path,
    demo: str,
    calls: Counter[str],
) -> Iterator[Any]:
    """The main window opened on a data folder that holds the demo, as a start opens it."""
    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.theme import Appearance, Theme

    window = MainWindow(Settings(data_dir), Theme(qapp, Appearance.LIGHT), data_dir)
    window.open(services, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, runner)
    yield window
    wait_idle(qtbot, runner)


def _select(dashboard: Dashboard, key: str) -> None:
    dashboard.tabs.setCurrentIndex(list(dashboard.chart_tabs).index(key))


def test_opening_computes_and_draws_only_the_visible_tab(
    window: Any, calls: Counter[str], services: Services, demo: str
) -> None:
    dashboard = window.dashboard
    assert dashboard.title.text() == services.profiles.get(demo).name
    assert dashboard.readiness.text().startswith("Readiness: ")
    assert calls == Counter(readiness_chart=1)
    readiness = dashboard.chart_tabs["readiness"]
    assert not readiness.loading
    assert readiness.view.chart().title() == "Readiness over time"
    for key in ("radar", "growth", "milestones", "kpis"):
        tab = dashboard.chart_tabs[key]
        assert tab.loading, key
        assert isinstance(tab.view, QLabel)
        assert tab.view.text() == LOADING_TEXT
    # The pickers are filled from the first load: choosing needs no chart computed.
    growth_picker = dashboard.chart_tabs["growth"].picker
    assert growth_picker.count() == 1 + 6  # all dimensions, then each dimension
    assert dashboard.chart_tabs["kpis"].picker.count() == 21


def test_showing_a_tab_computes_and_draws_it_once(
    qtbot: QtBot, window: Any, runner: TaskRunner, calls: Counter[str], services: Services
) -> None:
    dashboard = window.dashboard
    _select(dashboard, "growth")
    growth = dashboard.chart_tabs["growth"]
    assert growth.loading  # until its job is in
    wait_idle(qtbot, runner)
    assert not growth.loading
    assert isinstance(growth.view, charts.SmallMultiplesView)
    assert growth.view.title.text() == "Growth by dimension"
    assert calls["growth_chart"] == 1
    assert calls["skill_growth_charts"] == 1
    assert calls["radar_chart"] == calls["milestone_chart"] == calls["kpi_charts"] == 0

    # The drill-downs came with it: the picker draws without another job.
    growth.picker.setCurrentIndex(growth.picker.findData("data-skills"))
    assert not runner.busy
    assert growth.view.title.text() == "Growth: Data skills"

    _select(dashboard, "radar")
    wait_idle(qtbot, runner)
    assert dashboard.chart_tabs["radar"].view.chart().title() == "Ratings by dimension"
    _select(dashboard, "milestones")
    wait_idle(qtbot, runner)
    assert dashboard.chart_tabs["milestones"].view.chart().title() == "Milestones by horizon"
    _select(dashboard, "kpis")
    wait_idle(qtbot, runner)
    kpis = dashboard.chart_tabs["kpis"]
    assert kpis.view.chart().title() == kpis.picker.currentText()

    # Shown again, a tab draws the data it has: nothing is computed twice.
    _select(dashboard, "growth")
    _select(dashboard, "readiness")
    assert not runner.busy
    assert calls == Counter(
        readiness_chart=1,
        growth_chart=1,
        skill_growth_charts=1,
        radar_chart=1,
        milestone_chart=1,
        kpi_charts=1,
    )

    # After the data changed, the visible tab is read again with the labels; the others
    # once they are shown again.
    window.refresh_dashboard()
    wait_idle(qtbot, runner)
    assert calls["readiness_chart"] == 2
    assert calls["growth_chart"] == 1
    assert dashboard.chart_tabs["growth"].loading
    _select(dashboard, "growth")
    wait_idle(qtbot, runner)
    assert calls["growth_chart"] == 2


def test_the_visible_tab_is_read_with_the_labels_when_the_data_changes(
    qtbot: QtBot, window: Any, runner: TaskRunner, calls: Counter[str]
) -> None:
    dashboard = window.dashboard
    _select(dashboard, "radar")
    wait_idle(qtbot, runner)
    shown = dashboard.chart_tabs["radar"].view
    window.refresh_dashboard()
    # The same profile's radar stays on screen until the new one is in: no flicker.
    assert dashboard.chart_tabs["radar"].view is shown
    wait_idle(qtbot, runner)
    assert calls["radar_chart"] == 2
    assert dashboard.chart_tabs["radar"].view is not shown
    assert not dashboard.chart_tabs["radar"].loading


@dataclass
class Held:
    """The demo's tab jobs wait for `release`; what ran and what was drawn."""

    other: str  # the second profile
    running: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    loaded: list[tuple[str, str]] = field(default_factory=list)  # (profile id, tab) per job
    drawn: list[SmallMultiples] = field(default_factory=list)  # every growth chart drawn


@pytest.fixture
def held(
    qtbot: QtBot,
    window: Any,
    runner: TaskRunner,
    services: Services,
    demo: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Held]:
    """A second profile ("Ana", no check-in yet) beside the demo, shown; the demo's tab jobs
    are held on the worker until `release` is set, and every growth chart drawn is noted."""
    other = services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    ).id
    window.reload_profiles(demo)
    wait_idle(qtbot, runner)

    held = Held(other)

    def holding(services: Services, profile_id: str, key: str, today: Any = None) -> Any:
        if profile_id == demo:
            held.running.set()
            assert held.release.wait(10)
        held.loaded.append((profile_id, key))
        return load_tab(services, profile_id, key, today)

    monkeypatch.setattr(ui.dashboard, "load_tab", holding)
    small_multiples = charts.small_multiples

    def recording(data: SmallMultiples, parent: Any = None) -> Any:
        held.drawn.append(data)
        return small_multiples(data, parent)

    monkeypatch.setattr(charts, "small_multiples", recording)
    yield held
    held.release.set()


def test_switching_profile_while_a_tab_loads_never_shows_the_old_profiles_chart(
    qtbot: QtBot, window: Any, runner: TaskRunner, services: Services, demo: str, held: Held
) -> None:
    dashboard = window.dashboard
    _select(dashboard, "growth")
    assert held.running.wait(10)  # the demo's growth is being computed
    growth = dashboard.chart_tabs["growth"]
    assert growth.loading
    window.set_profile(held.other)
    assert growth.loading  # not the demo's chart, nor anything else of the demo's
    assert dashboard.chart_tabs["readiness"].loading
    held.release.set()
    wait_idle(qtbot, runner)

    # The demo's job ran, and its result was dropped: only Ana's growth was drawn.
    assert held.loaded == [(demo, "growth"), (held.other, "growth")]
    assert dashboard.title.text() == "Ana"
    assert held.drawn == [load_tab(services, held.other, "growth")[ALL_DIMENSIONS]]
    assert growth.view.message == "No check-ins yet"
    assert not growth.loading


def test_a_tab_left_while_loading_never_gets_the_old_profiles_data(
    qtbot: QtBot, window: Any, runner: TaskRunner, services: Services, demo: str, held: Held
) -> None:
    """The demo's growth job is under way when the user turns to the radar and then to
    another profile: nothing supersedes that job, yet its result must not be kept."""
    dashboard = window.dashboard
    _select(dashboard, "growth")
    assert held.running.wait(10)
    _select(dashboard, "radar")
    window.set_profile(held.other)
    held.release.set()
    wait_idle(qtbot, runner)
    assert dashboard.chart_tabs["growth"].loading
    radar = dashboard.chart_tabs["radar"].view
    assert radar.chart().title() == "Ratings by dimension"
    assert "not rated yet" in radar.chart().axes()[0].categoriesLabels()[0]  # Ana's

    _select(dashboard, "growth")
    wait_idle(qtbot, runner)
    assert held.drawn == [load_tab(services, held.other, "growth")[ALL_DIMENSIONS]]
    assert dashboard.chart_tabs["growth"].view.message == "No check-ins yet"


def test_a_tab_whose_job_failed_says_so_and_tries_again_when_shown_again(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    demo: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failures: list[BaseException] = []
    runner.failed.connect(failures.append)
    dashboard = Dashboard(services, runner)
    qtbot.addWidget(dashboard)
    dashboard.show()
    dashboard.load(demo)
    wait_idle(qtbot, runner)

    def broken(*_args: Any) -> Any:
        raise RuntimeError("the radar broke")

    monkeypatch.setattr(ui.dashboard, "load_tab", broken)
    _select(dashboard, "radar")
    wait_idle(qtbot, runner)
    radar = dashboard.chart_tabs["radar"]
    assert radar.view.text() == ui.dashboard.FAILED_TEXT
    assert [str(e) for e in failures] == ["the radar broke"]

    monkeypatch.setattr(ui.dashboard, "load_tab", load_tab)
    _select(dashboard, "readiness")
    _select(dashboard, "radar")
    wait_idle(qtbot, runner)
    assert isinstance(dashboard._tab_data["radar"], RadarChart)
    assert radar.view.chart().title() == "Ratings by dimension"
