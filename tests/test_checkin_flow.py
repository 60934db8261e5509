"""A user's whole first session, driven with real key and mouse events.

First run → profile → a check-in over every page of the built-in ladder →
finalise → everything is in the database exactly as typed → an amendment
is logged.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services import Services
from tests.helpers import CALENDAR, click, date_ranges, type_text
from ui.checkin import NOT_APPLICABLE, SkillRater

pytestmark = pytest.mark.gui

TEXT = "<b>Zoë</b> & 李雷 🚀"


def _type(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Click into a field and type, as a user would: one key event per character."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    type_text(widget, text)


def _rows(services: Services, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        return conn.execute(sql, args).fetchall()


def _create_profile(qtbot: QtBot, window: Any) -> None:
    form = window.first_run
    assert window.central.currentWidget() is form
    assert form.picker.framework.currentData() == "ml-engineer@1.1"  # the newest ML ladder
    _type(qtbot, form.name, TEXT)
    qtbot.mouseClick(form.create_button, Qt.MouseButton.LeftButton)
    assert window.central.currentWidget() is window.sections


def _start_checkin(qtbot: QtBot, window: Any, runner: Any) -> Any:
    """Open the Check-in section and start a check-in; the panel, on its first page."""
    window.show_section("checkin")
    panel = window.checkin
    runner.drain()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is not None)
    return panel


def test_first_run_profile_full_checkin_finalise_and_amend(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    window = main_window
    _create_profile(qtbot, window)
    [profile] = services.profiles.all()
    assert profile.name == TEXT
    assert (profile.level, profile.target) == ("junior-ml-engineer", "ml-engineer")

    panel = _start_checkin(qtbot, window, runner)
    framework = panel._state.framework
    dimensions = len(framework.dimensions)
    assert panel.steps.count() == dimensions + 4

    expected_ratings: dict[str, tuple[int | None, bool, str]] = {}
    for page in range(dimensions):
        assert panel.current_step() == page
        raters = panel.steps.currentWidget().findChildren(SkillRater)
        assert raters, f"page {page} has no skills"
        for number, rater in enumerate(raters):
            skill = rater.skill
            if not framework.is_critical(skill) and number == 1:
                click(rater.choices.button(NOT_APPLICABLE))
                value, na = None, True
            else:
                value = (number + page) % (framework.max_rating + 1)
                click(rater.choices.button(value))
                na = False
            note = f"{TEXT} {skill.id}"
            _type(qtbot, rater.note, note)
            expected_ratings[skill.id] = (value, na, note)
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert len(expected_ratings) == len(framework.skills)

    # Milestones: choose "Done" for the first of each horizon by keyboard.
    assert panel._page_builders[panel.current_step()][0] == "Milestones"
    combos = [
        c
        for c in panel.steps.currentWidget().findChildren(QComboBox)
        if "status" in c.accessibleName()
    ]
    assert len(combos) == len(framework.milestones)
    chosen = {}
    for combo in combos[::5]:
        combo.setFocus()
        for _ in range(3):  # Keep → Not started → In progress → Done
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        chosen[combo.accessibleName().removesuffix(": status")] = combo.currentData()
    assert set(chosen.values()) == {"done"}
    notes = [e for e in panel.steps.currentWidget().findChildren(QLineEdit) if e.placeholderText()]
    _type(qtbot, notes[0], TEXT)
    qtbot.keyClick(panel, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    # KPIs: a value for each.
    assert panel._page_builders[panel.current_step()][0] == "KPIs"
    edits = panel.steps.currentWidget().findChildren(QLineEdit)
    assert len(edits) == len(framework.kpis)
    for number, edit in enumerate(edits):
        _type(qtbot, edit, f"{number}.5")
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)

    # Reflection.
    reflection = panel.steps.currentWidget().findChildren(QPlainTextEdit)
    for field, edit in zip(("wins", "blockers", "focus"), reflection, strict=True):
        _type(qtbot, edit, f"{field}: {TEXT}")
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)

    # Review lists the changes, then finalise.
    qtbot.waitUntil(lambda: "▲" in panel.review_list.toPlainText())
    assert "Since the last check-in" in panel.review_summary.text()
    qtbot.mouseClick(panel.finish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is None)
    runner.drain()

    [checkin] = services.checkins.all(profile.id)
    assert checkin.status == "final"
    detail = services.checkins.detail(checkin.id)
    stored = {k: (r.value, r.not_applicable, r.note) for k, r in detail.ratings.items()}
    assert stored == expected_ratings
    titles = {m.title: m.id for m in framework.milestones}
    assert {titles[t]: s for t, s in chosen.items()} == {
        k: m.status for k, m in detail.milestones.items()
    }
    assert [m.note for m in detail.milestones.values() if m.note] == [TEXT]
    assert sorted(k.value for k in detail.kpis.values()) == [
        n + 0.5 for n in range(len(framework.kpis))
    ]
    assert detail.reflection == {f: f"{f}: {TEXT}" for f in ("wins", "blockers", "focus")}

    # Amend from History: change one rating, and the change is logged.
    window.show_section("history")
    window.history.amend_requested.emit(checkin.id)
    qtbot.waitUntil(lambda: panel._state is not None and panel._state.amending)
    rater = panel.steps.currentWidget().findChildren(SkillRater)[0]
    old_value = expected_ratings[rater.skill.id][0]
    new_value = (old_value or 0) + 1
    click(rater.choices.button(new_value))
    runner.drain()
    log = _rows(services, "SELECT field, old, new FROM amendments")
    assert log == [(f"rating:{rater.skill.id}.value", str(old_value), str(new_value))]


def test_draft_survives_switching_away_and_reopens_where_it_was(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    _create_profile(qtbot, main_window)
    panel = _start_checkin(qtbot, main_window, runner)
    rater = panel.steps.currentWidget().findChildren(SkillRater)[0]
    click(rater.choices.button(3))
    _type(qtbot, rater.note, TEXT)
    main_window.close()  # flushes the note being typed
    runner.drain()
    [draft] = services.checkins.all(services.profiles.all()[0].id)
    entry = services.checkins.detail(draft.id).ratings[rater.skill.id]
    assert (entry.value, entry.note) == (3, TEXT)
    panel.show_profile(services.profiles.all()[0].id)
    qtbot.waitUntil(lambda: panel._state is not None)
    reopened = panel.steps.currentWidget().findChildren(SkillRater)[0]
    assert reopened.choices.checkedId() == 3
    assert reopened.note.toPlainText() == TEXT


def test_the_scale_words_are_shown_once_per_page_and_each_value_carries_them(
    qtbot: QtBot, main_window: Any, services: Services, runner: Any
) -> None:
    _create_profile(qtbot, main_window)
    panel = _start_checkin(qtbot, main_window, runner)
    page = panel.steps.currentWidget()
    raters = page.findChildren(SkillRater)
    scale = services.frameworks.load("ml-engineer").rating_scale
    shown = [label.text() for label in page.findChildren(QLabel)]
    for point in scale:  # the anchors: once on the page, never repeated per skill
        assert shown.count(point.anchor) == 1
    rater = raters[0]
    buttons = rater.findChildren(QRadioButton)
    assert [b.text() for b in buttons] == ["Not rated", *(str(p.value) for p in scale), "n/a"]
    assert [b.toolTip() for b in buttons[1:-1]] == [
        f"{p.value} · {p.label}: {p.anchor}" for p in scale
    ]
    assert "Expected 2 as Junior ML Engineer, 3 as ML Engineer" in rater.expectation.text()
    marks = {label.text() for label in rater.findChildren(QLabel)}
    assert {"expected now", "target"} <= marks


def test_date_fields_hold_only_dates_in_the_calendar(
    qtbot: QtBot, main_window: Any, runner: Any
) -> None:
    """The first-run form's start date, the check-in date and every milestone's status date."""
    assert date_ranges(main_window.first_run) == {"Role start date": CALENDAR}
    _create_profile(qtbot, main_window)
    main_window.show_section("checkin")
    runner.drain()
    panel = main_window.checkin
    assert date_ranges(panel) == {"Check-in date": CALENDAR}
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel._state is not None)
    framework = panel._state.framework
    for _ in framework.dimensions:
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert panel._page_builders[panel.current_step()][0] == "Milestones"
    ranges = date_ranges(panel.steps.currentWidget())
    assert len(ranges) == len(framework.milestones)
    assert set(ranges.values()) == {CALENDAR}


def test_the_first_run_form_says_what_the_chosen_ladder_is_for(
    qtbot: QtBot, main_window: Any
) -> None:
    form = main_window.first_run
    qtbot.waitExposed(form)
    combo = form.picker.framework
    assert form.about.isVisible()
    assert form.about.text().startswith(
        "Career ladder from Junior Machine Learning Engineer to Staff ML Engineer"
    )
    assert form.about.height() == form.about.heightForWidth(form.about.width())  # no gap
    combo.setFocus()
    while combo.currentData() != "software-engineer@1.0":
        before = combo.currentIndex()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, "no Software Engineer ladder to choose"
    assert form.about.text().startswith("Career ladder from Junior Software Engineer")
    assert form.picker.level.currentText() == "Junior Software Engineer"
