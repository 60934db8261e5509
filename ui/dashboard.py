"""The Dashboard: who, the schedule, readiness with its gates and gaps, and the charts.

What shows first is read first: one job off the GUI thread reads the labels and the
readiness tab (readiness over time, which the verdict's projection needs anyway, is that
tab's chart). Every other tab's data is read by a job of its own when the tab is first
shown, and again once the profile or its data changed; a tab waiting for its data says
"Loading…", and never shows another profile's chart meanwhile. Chart views are built when
their tab is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.charts import BarChart, RadarChart, SmallMultiples, TimeChart
from app.readiness import Readiness, not_rated_text, projection_text, readiness_text
from app.services.plan import DueSoon, quarter_of
from ui import charts
from ui.read_only import ReadOnlyLine, shared_line

if TYPE_CHECKING:
    from app.services import Services
    from app.services.checkins import Schedule
    from app.services.profiles import ProfileInfo
    from ui.tasks import TaskRunner

ALL_DIMENSIONS = ""
_T = TypeVar("_T")
TABS = (  # key, title, the picker's name
    ("readiness", "&Readiness", None),
    ("radar", "Rad&ar", None),
    ("growth", "&Growth", "Dimension"),
    ("milestones", "&Milestones", None),
    ("kpis", "&KPIs", "KPI"),
)
FIRST_TAB = "readiness"  # its data comes with the labels'
LOADING_TEXT = "Loading…"
FAILED_TEXT = "This chart could not be loaded."

TabData = RadarChart | BarChart | dict[str, SmallMultiples] | dict[str, TimeChart]
"""A tab's data besides the readiness tab's: the radar; growth by `ALL_DIMENSIONS` and by
dimension id (the drill-downs); the milestones; every KPI's chart by KPI id."""


@dataclass(frozen=True)
class DashboardData:
    """What the Dashboard shows first: the labels, the readiness tab and the pickers' choices."""

    profile: ProfileInfo
    framework_name: str
    level_name: str
    target_name: str
    schedule: Schedule
    checkins: int
    readiness: Readiness
    readiness_chart: TimeChart
    dimensions: list[tuple[str, str]]  # the growth picker's drill-downs: (id, name)
    kpis: list[tuple[str, str]]  # (id, name), in framework order
    due_goals: DueSoon
    learning: tuple[int, int]  # this quarter's learning items: done, total


def load_dashboard(services: Services, profile_id: str, today: date | None = None) -> DashboardData:
    """The labels and the readiness tab: the first job of a Dashboard load."""
    today = today or date.today()
    profile = services.profiles.get(profile_id)
    framework = services.frameworks.get(profile.framework, profile.framework_version)
    # Read once, shared: the final check-ins' ratings by readiness over time and the verdict's
    # current ratings, readiness over time by the verdict's projection and its chart.
    finals = services.checkins.final_history(profile_id)
    history = services.readiness.over_time(profile_id, finals)
    ratings = services.checkins.ratings_as_of(finals, today)
    return DashboardData(
        profile=profile,
        framework_name=f"{framework.name} ({framework.ref})",
        level_name=framework.level(profile.level).name,
        target_name=framework.level(profile.target).name,
        schedule=services.checkins.schedule(
            profile.id, profile.checkin_interval_days, profile.role_start
        ),
        checkins=len(history),
        readiness=services.readiness.as_of(profile_id, today, history=history, ratings=ratings),
        readiness_chart=services.charts.readiness_chart(profile_id, history),
        dimensions=[(d.id, d.name) for d in framework.dimensions],
        kpis=[(k.id, k.name) for k in framework.kpis],
        due_goals=services.plan.due_soon(profile_id, today),
        learning=services.plan.quarter_count(profile_id, today),
    )


def load_tab(services: Services, profile_id: str, key: str, today: date | None = None) -> TabData:
    """The data of the chart tab `key` (any but the readiness tab): one job each."""
    today = today or date.today()
    chart = services.charts
    if key == "radar":
        # Your own profile: the latest assessment your manager sent back, beside your ratings.
        received = [a for a in services.manager.received(profile_id) if a.date and a.date <= today]
        if not received:
            return chart.radar_chart(profile_id, today)
        latest = received[-1]
        return chart.radar_chart(
            profile_id,
            today,
            calibrations=latest.calibrations,
            calibrated_by=latest.assessor.name if latest.assessor else "the manager",
        )
    if key == "growth":
        # One read of the history for every dimension and drill-down: the picker is instant.
        finals = services.checkins.final_history(profile_id)
        return {ALL_DIMENSIONS: chart.growth_chart(profile_id, final_history=finals)} | (
            chart.skill_growth_charts(profile_id, finals)
        )
    if key == "milestones":
        return chart.milestone_chart(profile_id, today)
    if key == "kpis":
        return chart.kpi_charts(profile_id)
    raise ValueError(f"no chart tab {key!r}")


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names are shown exactly as typed
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _when(days: int) -> str:
    if days > 1:
        return f"in {days} days"
    if days == 1:
        return "tomorrow"
    if days == 0:
        return "today"
    return f"overdue by {-days} day{'s' if days != -1 else ''}"


def goals_due_text(due: DueSoon, today: date) -> str:
    """Overdue goals, then those due in the next 30 days, one a line."""
    lines = [
        f"Overdue: {g.title} (due {g.due.isoformat()}, {_when((g.due - today).days)})"
        for g in due.overdue
        if g.due is not None
    ]
    lines += [
        f"{g.title} (due {g.due.isoformat()}, {_when((g.due - today).days)})"
        for g in due.upcoming
        if g.due is not None
    ]
    if not lines:
        return "No goals overdue or due in the next 30 days"
    shown = lines[:5]
    if len(lines) > 5:
        shown.append(f"and {len(lines) - 5} more")
    return "\n".join(shown)


class _ChartTab(QWidget):
    """A tab that shows its chart view once built, "Loading…" until then, and an optional
    picker."""

    def __init__(self, parent: QWidget, picker_name: str | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 0)
        self.picker: QComboBox | None = None
        if picker_name:
            row = QHBoxLayout()
            label = QLabel(f"{picker_name}:", self)
            self.picker = QComboBox(self)
            self.picker.setAccessibleName(picker_name)
            label.setBuddy(self.picker)
            row.addWidget(label)
            row.addWidget(self.picker, 1)
            self._layout.addLayout(row)
        self.view: QWidget | None = None
        self.loading = False  # the view is the "Loading…" placeholder

    def show_view(self, view: QWidget) -> None:
        if self.view is not None:
            self._layout.removeWidget(self.view)
            self.view.hide()  # deleted later, but gone from the screen now
            self.view.deleteLater()
        self.view = view
        self.loading = False
        self._layout.addWidget(view, 1)
        view.show()

    def show_text(self, text: str) -> None:
        label = QLabel(text, self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setAccessibleName(text)
        self.show_view(label)

    def show_loading(self) -> None:
        """Drop the chart shown (if any) for the placeholder, until the tab's data is in."""
        if not self.loading:
            self.show_text(LOADING_TEXT)
            self.loading = True


class Dashboard(QWidget):
    """A profile's Dashboard, loaded with `load` (again when its data changed).

    Signals:
    start_checkin(): the user wants to start or continue a check-in.
    """

    start_checkin = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.data: DashboardData | None = None
        self.profile_id: str | None = None  # the profile shown, or being loaded
        self._today: date | None = None  # fixed by tests; else each job's today
        self._tab_data: dict[str, TimeChart | TabData] = {}  # for `profile_id`, by tab key
        self._requested: set[str] = set()  # tabs whose job is under way
        layout = QVBoxLayout(self)
        self.title = _plain_label(self, "Profile name")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.shared = ReadOnlyLine(self)
        layout.addWidget(self.shared)
        self.notice = _plain_label(self, "What the last check-in changed")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        top = QHBoxLayout()
        form = QFormLayout()
        self.framework = _plain_label(self, "Framework")
        self.levels = _plain_label(self, "Levels")
        self.last = _plain_label(self, "Last check-in")
        self.next_due = _plain_label(self, "Next check-in due")
        self.draft = _plain_label(self, "Draft")
        self.goals_due = _plain_label(self, "Goals due")
        self.learning = _plain_label(self, "Learning this quarter")
        for text, label in (
            ("Framework:", self.framework),
            ("Level:", self.levels),
            ("Last check-in:", self.last),
            ("Next check-in due:", self.next_due),
            ("Draft:", self.draft),
            ("Goals due:", self.goals_due),
            ("Learning:", self.learning),
        ):
            form.addRow(text, label)
        top.addLayout(form, 1)
        verdict = QVBoxLayout()
        self.readiness = _plain_label(self, "Readiness")
        bold = self.readiness.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.readiness.setFont(bold)
        self.gates = _plain_label(self, "Gates")
        self.gaps = _plain_label(self, "Largest gaps")
        self.not_rated = _plain_label(self, "Skills not rated yet")
        self.projection = _plain_label(self, "Projection")
        for label in (self.readiness, self.gates, self.gaps, self.not_rated, self.projection):
            verdict.addWidget(label)
        verdict.addStretch(1)
        top.addLayout(verdict, 1)
        layout.addLayout(top)
        self.action = QPushButton("&Start a check-in", self)
        self.action.clicked.connect(self.start_checkin)
        layout.addWidget(self.action, alignment=Qt.AlignmentFlag.AlignLeft)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Charts")
        self.chart_tabs: dict[str, _ChartTab] = {}
        for key, title, picker in TABS:
            tab = _ChartTab(self.tabs, picker)
            self.chart_tabs[key] = tab
            self.tabs.addTab(tab, title)
            if tab.picker is not None:
                tab.picker.currentIndexChanged.connect(lambda _i, k=key: self._draw(k))
        self.tabs.currentChanged.connect(lambda _i: self._draw(self._current_key()))
        layout.addWidget(self.tabs, 1)

    def changeEvent(self, event: QEvent) -> None:
        """Charts take their colours from the palette: redraw the visible one on a change."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.profile_id is not None:
            self._draw(self._current_key())

    def _current_key(self) -> str:
        return list(self.chart_tabs)[self.tabs.currentIndex()]

    # -- loading -----------------------------------------------------------------

    def load(self, profile_id: str, today: date | None = None) -> None:
        """Show `profile_id`, or show it afresh after its data changed: the labels and the
        visible tab first, each other tab when it is next shown.

        Until the new data is in, the visible tab keeps the same profile's chart, or says
        "Loading…" for another profile's; the other tabs say "Loading…".
        """
        self._forget(profile_id, today, keep=self._current_key())
        services = self._services
        self._runner.submit(
            lambda: load_dashboard(services, profile_id, today),
            lambda data: self.show_data(data, today),
            owner=self,
            key="dashboard",
        )
        self._request(self._current_key())

    def cancel(self) -> None:
        """Drop every load under way (the profile is gone)."""
        self._runner.cancel(self, "dashboard")
        for key in self.chart_tabs:
            self._runner.cancel(self, f"tab:{key}")
        self._requested.clear()

    def _forget(self, profile_id: str, today: date | None, keep: str | None = None) -> None:
        """Drop every tab's data (and every tab job under way), and show "Loading…" in each
        tab but `keep`, which keeps its chart if it is of the same profile."""
        same = profile_id == self.profile_id
        self.profile_id, self._today = profile_id, today
        self._tab_data.clear()
        for key in self._requested:
            self._runner.cancel(self, f"tab:{key}")  # for the profile or data shown before
        self._requested.clear()
        for key, tab in self.chart_tabs.items():
            if not (same and key == keep):
                tab.show_loading()

    def _request(self, key: str) -> None:
        """Read a tab's data in a job of its own, unless it comes with the labels' or its
        job is under way."""
        profile_id = self.profile_id
        if key == FIRST_TAB or key in self._requested or profile_id is None:
            return
        self._requested.add(key)
        services, today = self._services, self._today
        self._runner.submit(
            lambda: load_tab(services, profile_id, key, today),
            lambda data: self._on_tab_loaded(key, data),
            owner=self,
            key=f"tab:{key}",
            on_error=lambda error: self._on_tab_failed(key, error),
        )

    def _on_tab_loaded(self, key: str, data: TabData) -> None:
        self._requested.discard(key)
        self._tab_data[key] = data
        if key == self._current_key():
            self._draw(key)

    def _on_tab_failed(self, key: str, error: BaseException) -> None:
        self._requested.discard(key)  # showing the tab again tries again
        self.chart_tabs[key].show_text(FAILED_TEXT)
        self._runner.report_error(error)

    def show_notice(self, text: str) -> None:
        """What a check-in just changed, until another profile is shown."""
        self.notice.setText(text)
        self.notice.setVisible(True)

    def show_data(self, data: DashboardData, today: date | None = None) -> None:
        """Show the labels and the readiness tab (the first job's result)."""
        if self.profile_id != data.profile.id:  # not through `load`: forget the other's tabs
            self._forget(data.profile.id, today)
        today = today or date.today()
        if self.data is not None and self.data.profile.id != data.profile.id:
            self.notice.setVisible(False)
        self.data = data
        schedule = data.schedule
        self.title.setText(data.profile.name)
        self.shared.show_line(shared_line(data.profile))
        self.action.setVisible(not data.profile.shared)  # its owner checks in, not you
        self.framework.setText(data.framework_name)
        self.levels.setText(f"{data.level_name} → {data.target_name}")
        if schedule.last is None:
            self.last.setText("None yet")
        else:
            count = f"{data.checkins} check-in{'s' if data.checkins != 1 else ''} in all"
            self.last.setText(f"{schedule.last.isoformat()} ({count})")
        if schedule.last is None and schedule.next_due <= today:
            self.next_due.setText("Your first check-in is due now")  # not "overdue": none yet
        else:
            self.next_due.setText(
                f"{schedule.next_due.isoformat()} ({_when((schedule.next_due - today).days)})"
            )
        if schedule.draft is None:
            self.draft.setText("No draft waiting")
            self.action.setText("&Start a check-in")
        else:
            self.draft.setText(f"A draft for {schedule.draft.isoformat()} is waiting")
            self.action.setText("&Continue the check-in")
        self._show_readiness(data.readiness)
        self.goals_due.setText(goals_due_text(data.due_goals, today))
        done, total = data.learning
        self.learning.setText(
            f"{done} of {total} item{'s' if total != 1 else ''} done in {quarter_of(today)}"
            if total
            else f"No learning items for {quarter_of(today)} yet"
        )
        self._fill_picker("growth", [(ALL_DIMENSIONS, "All dimensions"), *data.dimensions])
        self._fill_picker("kpis", data.kpis)
        self._tab_data[FIRST_TAB] = data.readiness_chart
        self._draw(self._current_key())

    def _show_readiness(self, readiness: Readiness) -> None:
        """The verdict and what it rests on; before the first final check-in, only that
        it is not assessable yet (no gates, gaps or projection to contradict it)."""
        self.readiness.setText(f"Readiness: {readiness_text(readiness)}")
        assessable = readiness.readiness is not None
        for label in (self.gates, self.gaps, self.not_rated, self.projection):
            label.setVisible(assessable)
        if not assessable:
            return
        self.gates.setText(
            "Held back by: "
            + "; ".join(f"{g.name} ({g.detail})" for g in readiness.gates[:4])
            + (f"; and {len(readiness.gates) - 4} more" if len(readiness.gates) > 4 else "")
            if readiness.gates
            else "No gates hold the verdict back."
        )
        self.gaps.setText(
            "Largest gaps: "
            + "; ".join(
                f"{g.name} (−{g.points_lost:.1f}{'' if g.rated else ', not rated yet'})"
                for g in readiness.gaps
            )
            if readiness.gaps
            else "No gaps to the target level."
        )
        unrated = not_rated_text(readiness)
        self.not_rated.setText(unrated or "")
        self.not_rated.setVisible(unrated is not None)
        self.projection.setText(projection_text(readiness))

    def _fill_picker(self, key: str, items: list[tuple[str, str]]) -> None:
        picker = self.chart_tabs[key].picker
        assert picker is not None
        picker.blockSignals(True)
        picker.clear()
        for value, text in items:
            picker.addItem(text, value)
        picker.blockSignals(False)

    def _draw(self, key: str) -> None:
        """Build the chart of a tab (again when its picker changed); without its data yet,
        show "Loading…" and read it."""
        if self.profile_id is None:
            return
        tab = self.chart_tabs[key]
        data = self._tab_data.get(key)
        if data is None:
            tab.show_loading()
            self._request(key)
            return
        tab.show_view(self._view(key, data, tab))

    def _view(self, key: str, data: TimeChart | TabData, tab: _ChartTab) -> QWidget:
        builders: dict[str, Callable[[], QWidget]] = {
            "readiness": lambda: charts.time_chart(_is(data, TimeChart), tab),
            "radar": lambda: charts.radar_chart(_is(data, RadarChart), tab),
            "growth": lambda: charts.small_multiples(
                _is(_picked_from(_is(data, dict), self._picked("growth")), SmallMultiples), tab
            ),
            "milestones": lambda: charts.bar_chart(_is(data, BarChart), tab),
            "kpis": lambda: (
                charts.time_chart(
                    _is(_picked_from(_is(data, dict), self._picked("kpis")), TimeChart), tab
                )
                if data
                else QLabel("This framework has no KPIs.", tab)
            ),
        }
        return builders[key]()

    def _picked(self, key: str) -> str:
        picker = self.chart_tabs[key].picker
        assert picker is not None
        return str(picker.currentData() or "") if picker.count() else ""


def _picked_from(charts_by_key: dict[str, object], key: str) -> object:
    """The picked chart, or the first (a picker not filled yet)."""
    return charts_by_key[key] if key in charts_by_key else next(iter(charts_by_key.values()))


def _is(value: object, kind: type[_T]) -> _T:
    """`value`, which the tab's job made a `kind`."""
    assert isinstance(value, kind)
    return value
