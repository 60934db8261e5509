"""The first check-in tells the truth: driven with real key and mouse events.

A new engineer rates a few skills of the built-in ladder: the wizard counts
what is not rated yet, asks once before finalising with unrated Critical
skills, and the Dashboard then says what changed, words every gap on a never
rated skill as "not rated yet", and the plan proposes rating it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QRadioButton
from pytestqt.qtbot import QtBot

from app.services import Services
from tests.helpers import click, type_text, wait_idle
from ui import dialogs
from ui.checkin import KEEP, CheckInPanel, SkillRater

pytestmark = pytest.mark.gui

SKILLS = 36  # in the built-in ML Engineer ladder 1.1, the newest, which a bare id names


@pytest.fixture
def profile_id(services: Services) -> str:
    """A role that started months ago, and no check-in yet."""
    return services.profiles.create(
        name="Noa Levi",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date.today() - timedelta(days=180),
    ).id


@pytest.fixture
def window(qtbot: QtBot, main_window: Any, profile_id: str, runner: Any) -> Any:
    main_window.reload_profiles(profile_id)
    wait_idle(qtbot, runner)
    return main_window


def start(qtbot: QtBot, window: Any, runner: Any) -> CheckInPanel:
    window.show_section("checkin")
    panel: CheckInPanel = window.checkin
    wait_idle(qtbot, runner)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(raters(panel)))
    return panel


def raters(panel: CheckInPanel) -> list[SkillRater]:
    page = panel.steps.currentWidget()
    return page.findChildren(SkillRater) if page is not None else []


def test_before_any_check_in_the_dashboard_contradicts_nothing(window: Any) -> None:
    dashboard = window.dashboard
    assert dashboard.next_due.text() == "Your first check-in is due now"
    assert dashboard.readiness.text().startswith("Readiness: not assessable yet")
    for label in (dashboard.gates, dashboard.gaps, dashboard.not_rated, dashboard.projection):
        assert not label.isVisibleTo(dashboard)


def test_a_first_check_in_with_unrated_skills_says_so_everywhere(
    qtbot: QtBot,
    window: Any,
    services: Services,
    profile_id: str,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = start(qtbot, window, runner)
    assert panel.step_label.text().endswith(f"· {SKILLS} of {SKILLS} skills not rated yet")
    first, second = raters(panel)[:2]
    keep = first.choices.button(KEEP)
    assert (keep.text(), keep.isChecked()) == ("Not rated", True)  # nothing to keep

    click(first.choices.button(3))
    assert panel.step_label.text().endswith(f"{SKILLS - 1} of {SKILLS} skills not rated yet")
    # With a skill focused, a digit rates it; in its note, a digit is text.
    second.choices.button(KEEP).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    assert second.choices.checkedId() == 2
    qtbot.mouseClick(second.note, Qt.MouseButton.LeftButton)
    type_text(second.note, "3 weeks")
    assert (second.choices.checkedId(), second.note.toPlainText()) == (2, "3 weeks")
    assert panel.step_label.text().endswith(f"{SKILLS - 2} of {SKILLS} skills not rated yet")

    # To the review: it counts the first ratings and what is still not rated.
    panel.go_to(panel.steps.count() - 1)
    qtbot.waitUntil(lambda: "Since the last check-in" in panel.review_summary.text())
    summary = panel.review_summary.text()
    assert "0 ratings up, 0 down, 2 rated for the first time" in summary
    assert f"{SKILLS - 2} of {SKILLS} skills are not rated yet; they count as 0" in summary

    # Finalising with unrated Critical skills asks once, naming them; "no" goes to one.
    framework = services.frameworks.load("ml-engineer")
    unrated_critical = [
        s.name
        for s in framework.skills
        if framework.is_critical(s) and s.id not in {first.skill.id, second.skill.id}
    ]
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    click(panel.finish_button)
    assert len(asked) == 1
    assert all(name in asked[0] for name in unrated_critical)
    assert panel.current_step() < len(framework.dimensions)  # back on a skills page
    assert [c.status for c in services.checkins.all(profile_id)] == ["draft"]

    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    panel.go_to(panel.steps.count() - 1)
    click(panel.finish_button)
    qtbot.waitUntil(lambda: window.current_section() == "dashboard")
    wait_idle(qtbot, runner)

    dashboard = window.dashboard
    assert dashboard.notice.text().startswith(f"Check-in of {date.today().isoformat()} finalised")
    assert "2 rated for the first time" in dashboard.notice.text()
    assert f"{SKILLS - 2} still not rated yet" in dashboard.notice.text()
    assert "not rated yet" in dashboard.gaps.text()
    assert dashboard.not_rated.text().endswith("are not rated yet; they count as 0 until rated.")
    suggestions = services.plan.suggestions(profile_id, date.today())
    gap_titles = [s.title for s in suggestions if s.kind == "gap"]
    assert gap_titles
    assert all(title.startswith("Rate ") for title in gap_titles)
    radar = services.charts.radar_chart(profile_id, date.today())
    assert any(axis.endswith("not rated yet)") for axis in radar.axes)


def test_a_second_check_in_on_the_same_day_asks_first(
    qtbot: QtBot,
    window: Any,
    services: Services,
    profile_id: str,
    runner: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = services.checkins.start_draft(profile_id)
    services.checkins.set_rating(draft.id, "python-ml-engineering", 2)
    services.checkins.finalize(draft.id)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    window.show_section("checkin")
    panel: CheckInPanel = window.checkin
    wait_idle(qtbot, runner)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, runner)
    assert len(asked) == 1
    assert f"already finalised a check-in on {date.today().isoformat()}" in asked[0]
    assert services.checkins.draft(profile_id) is None  # "no": nothing started
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(raters(panel)))
    assert services.checkins.draft(profile_id) is not None


def test_the_draft_reopens_at_the_step_where_it_was_left(
    qtbot: QtBot, window: Any, profile_id: str, runner: Any
) -> None:
    panel = start(qtbot, window, runner)
    for _ in range(3):
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel.current_step() == 3
    panel.show_profile(profile_id)  # as when coming back to the section, or a new start
    qtbot.waitUntil(lambda: panel.current_step() == 3 and bool(panel.step_label.text()))
    assert panel.step_label.text().startswith("Step 4 of ")


def test_alt_b_on_the_reflection_page_goes_back(qtbot: QtBot, window: Any, runner: Any) -> None:
    panel = start(qtbot, window, runner)
    reflection = next(
        n for n, (title, _b) in enumerate(panel._page_builders) if title == "Reflection"
    )
    panel.go_to(reflection)
    panel.activateWindow()
    qtbot.keyClick(panel, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.current_step() == reflection - 1)


def test_a_kpi_value_follows_the_locale_and_never_changes_silently(
    qtbot: QtBot,
    window: Any,
    services: Services,
    profile_id: str,
    runner: Any,
) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        panel = start(qtbot, window, runner)
        kpis = next(n for n, (title, _b) in enumerate(panel._page_builders) if title == "KPIs")
        panel.go_to(kpis)
        field = panel.steps.currentWidget().findChildren(QLineEdit)[0]
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        type_text(field, "4,5")
        assert field.text() == "4,5"
        panel.flush()
        wait_idle(qtbot, runner)
        draft = services.checkins.draft(profile_id)
        assert draft is not None
        [value] = services.checkins.detail(draft.id).kpis.values()
        assert value.value == 4.5
        field.clear()
        type_text(field, "4.5")  # in German neither 4,5 nor 45: said, and not saved
        panel.flush()
        wait_idle(qtbot, runner)
        problems = [
            label.text()
            for label in panel.steps.currentWidget().findChildren(type(panel.step_label))
            if label.accessibleName().endswith(": problem") and label.text()
        ]
        assert problems == ["Not a number; write it as 4,5. Not saved."]
        [value] = services.checkins.detail(draft.id).kpis.values()
        assert value.value == 4.5
    finally:
        QLocale.setDefault(previous)


def test_a_rating_row_is_one_compact_row(qtbot: QtBot, window: Any, runner: Any) -> None:
    """The scale's words are not repeated per skill: a row holds a name, a description,
    the values, confidence and a note, and fits a laptop screen's width."""
    panel = start(qtbot, window, runner)
    rater = raters(panel)[0]
    assert len(rater.findChildren(QRadioButton)) == 7  # not rated, 0–4, n/a
    assert len(rater.findChildren(QPlainTextEdit)) == 1
    assert rater.sizeHint().height() < 260
