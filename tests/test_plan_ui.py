"""The Growth plan panel: accept a suggestion, complete the goal, learning, .ics export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import icalendar
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from app.services import Services
from tests.helpers import CALENDAR, click, date_ranges, import_framework, two_dims_data
from ui import dialogs
from ui import plan as plan_ui
from ui.dashboard import Dashboard, goals_due_text, load_dashboard
from ui.plan import GoalDialog, GoalDraft, PlanPanel
from ui.settings import Settings

pytestmark = pytest.mark.gui

TODAY = date(2026, 3, 15)


@pytest.fixture
def profile_id(services: Services, tmp_path: Path) -> str:
    ref = import_framework(services, tmp_path, two_dims_data())
    profile = services.profiles.create(
        name="Zoë", framework=ref, level="junior", target="senior", started=date(2026, 1, 5)
    )
    draft = services.checkins.start_draft(profile.id, on=date(2026, 3, 1))
    for skill, value in (("a-critical", 2), ("a-optional", 2), ("b-important", 1)):
        services.checkins.set_rating(draft.id, skill, value)
    services.checkins.finalize(draft.id)
    return profile.id


@pytest.fixture
def panel(qtbot: Any, services: Services, runner: Any, profile_id: str) -> PlanPanel:
    widget = PlanPanel(services, runner, today=lambda: TODAY)
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_profile(profile_id)
    runner.drain()
    return widget


def _click_row(view: Any, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_models_pass_the_model_tester(qtmodeltester: Any, panel: PlanPanel) -> None:
    for model in (panel.suggestion_model, panel.goal_model, panel.learning_model):
        qtmodeltester.check(model)


def test_accept_a_suggestion_then_complete_the_goal(
    panel: PlanPanel, services: Services, runner: Any, profile_id: str
) -> None:
    keys = [s.key for s in panel.suggestion_model.rows()]
    assert keys[:2] == ["gap:b-important", "gap:a-critical"]
    assert not panel.accept_button.isEnabled()
    _click_row(panel.suggestion_view, 0)
    assert panel.accept_button.isEnabled()
    click(panel.accept_button)
    runner.drain()
    (goal,) = services.plan.goals(profile_id)
    assert (goal.title, goal.skills, goal.status) == (
        "Grow B Important to 2",
        ("b-important",),
        "planned",
    )
    assert "gap:b-important" not in [s.key for s in panel.suggestion_model.rows()]
    assert panel.goal_model.rowCount() == 1
    _click_row(panel.goal_view, 0)
    click(panel.complete_button)
    runner.drain()
    assert services.plan.goal(goal.id).status == "done"
    assert "Done" in panel.goal_model.data(panel.goal_model.index(0, panel.goal_model.STATUS))
    assert panel.status.text() == "Goal completed: Grow B Important to 2"


def _plan_panel(qtbot: Any, services: Services, runner: Any, data_dir: Any) -> PlanPanel:
    widget = PlanPanel(services, runner, today=lambda: TODAY, settings=Settings(data_dir))
    qtbot.addWidget(widget)
    widget.resize(1000, 760)
    widget.show()
    return widget


def test_a_dismissed_suggestion_stays_dismissed_in_the_next_session(
    qtbot: Any, services: Services, runner: Any, profile_id: str, data_dir: Any
) -> None:
    """Dismissals are remembered per profile in the data folder's settings."""
    first = _plan_panel(qtbot, services, runner, data_dir)
    first.show_profile(profile_id)
    runner.drain()
    _click_row(first.suggestion_view, 0)
    click(first.dismiss_button)
    assert first.suggestion_model.info(0).key == "gap:a-critical"
    assert services.plan.goals(profile_id) == []
    first.close()
    later = _plan_panel(qtbot, services, runner, data_dir)
    later.show_profile(profile_id)
    runner.drain()
    keys = [s.key for s in later.suggestion_model.rows()]
    assert "gap:b-important" not in keys
    assert keys[0] == "gap:a-critical"


def test_edit_a_suggestion_before_accepting(
    panel: PlanPanel, services: Services, runner: Any, profile_id: str, monkeypatch: Any
) -> None:
    seen: list[GoalDraft] = []

    def answer(_parent: Any, draft: GoalDraft, _names: dict[str, str]) -> GoalDraft:
        seen.append(draft)
        return GoalDraft("<b>Zoë</b> & 李雷 🚀", ("a-critical",), date(2026, 4, 1), "active", "n")

    monkeypatch.setattr(plan_ui, "edit_goal", answer)
    _click_row(panel.suggestion_view, 1)
    click(panel.edit_suggestion_button)
    runner.drain()
    assert seen[0].skills == ("a-critical",)
    (goal,) = services.plan.goals(profile_id)
    assert (goal.title, goal.status, goal.notes) == ("<b>Zoë</b> & 李雷 🚀", "active", "n")


def test_learning_items_count_for_the_quarter(
    panel: PlanPanel, services: Services, runner: Any, profile_id: str, qtbot: Any
) -> None:
    assert "0 of 0 done" in panel.count.text()
    qtbot.keyClicks(panel.new_learning, "Module 1")
    click(panel.add_learning_button)
    runner.drain()
    assert "0 of 1 done" in panel.count.text()
    model = panel.learning_model
    rect = panel.learning_view.visualRect(model.index(0, model.DONE))
    box = QPoint(rect.left() + 11, rect.center().y())  # on the check box, left in the cell
    QTest.mouseClick(panel.learning_view.viewport(), Qt.MouseButton.LeftButton, pos=box)
    runner.drain()
    assert services.plan.quarter_count(profile_id, TODAY) == (1, 1)
    assert "1 of 1 done" in panel.count.text()


def test_export_calendar_through_the_panel(
    panel: PlanPanel,
    services: Services,
    runner: Any,
    profile_id: str,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    services.plan.add_goal(profile_id, title="<b>Zoë</b> & 李雷 🚀", due=date(2026, 4, 20))
    target = tmp_path / "plan"
    monkeypatch.setattr(dialogs, "save_file", lambda *_a: target)
    click(panel.export_button)
    runner.drain()
    saved = target.with_name("plan.ics")
    assert panel.status.text() == f"Calendar saved to {saved}"
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    events = [(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")]
    assert ("Goal due: <b>Zoë</b> & 李雷 🚀", date(2026, 4, 20)) in events
    assert events[0] == ("Rung check-in: Zoë", date(2026, 3, 31))
    assert len(events) == 13


def test_dashboard_shows_goals_due_and_the_quarters_learning(
    qtbot: Any, services: Services, profile_id: str, runner: Any
) -> None:
    services.plan.add_goal(profile_id, title="Late", due=date(2026, 3, 10))
    services.plan.add_goal(profile_id, title="Soon", due=date(2026, 3, 20))
    services.plan.add_learning(profile_id, title="Module", quarter="2026-Q1")
    data = load_dashboard(services, profile_id, TODAY)
    dashboard = Dashboard(services, runner)
    qtbot.addWidget(dashboard)
    dashboard.show_data(data, TODAY)
    assert dashboard.goals_due.text() == (
        "Overdue: Late (due 2026-03-10, overdue by 5 days)\nSoon (due 2026-03-20, in 5 days)"
    )
    assert dashboard.learning.text() == "0 of 1 item done in 2026-Q1"
    assert goals_due_text(data.due_goals.__class__([], []), TODAY).startswith("No goals")


def test_the_due_date_holds_only_dates_in_the_calendar(qtbot: Any) -> None:
    dialog = GoalDialog(GoalDraft("Lead", (), date(2026, 6, 1)), {"a-critical": "A critical"})
    qtbot.addWidget(dialog)
    assert date_ranges(dialog) == {"Due date": CALENDAR}
