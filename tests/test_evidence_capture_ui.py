"""The capture dialog's impact and feedback fields, criterion tags, and how the list shows
them: typed with real keys, saved with Enter, refused in one sentence with nothing stored."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.services import Services
from app.services.evidence import EvidenceInfo, Feedback, Impact, Tag
from tests.helpers import press_mnemonic, type_text, wait_idle
from tests.layout_check import check_layout
from tests.shortcut_check import collisions
from ui.evidence import EvidencePanel, EvidenceTableModel
from ui.evidence_capture import QuickCaptureDialog
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
TEXT = "<b>Zoë</b> & 李雷 🚀"
CRITERION = Tag("criterion", "own-component-end-to-end")
CRITERION_TEXT = "Can design and own a component end-to-end with minimal oversight."


@pytest.fixture
def english() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(previous)


@pytest.fixture
def german() -> Iterator[None]:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(previous)


def _profile(services: Services, level: str = "junior-ml-engineer") -> str:
    return services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level=level,
        target="ml-engineer",
        started=date(2026, 1, 5),
    ).id


def _panel(qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str) -> EvidencePanel:
    panel = EvidencePanel(services, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 640)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_profile(profile_id)
    wait_idle(qtbot, runner)
    return panel


def _capture(qtbot: QtBot, panel: EvidencePanel) -> QuickCaptureDialog:
    dialog = panel.capture()
    assert dialog is not None
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    qtbot.waitUntil(dialog.title.hasFocus)
    return dialog


def _stored(services: Services) -> int:
    with contextlib.closing(sqlite3.connect(services.store.path)) as conn:
        (count,) = conn.execute("SELECT count(*) FROM evidence").fetchone()
    return int(count)


def _save_with_enter(qtbot: QtBot, dialog: QuickCaptureDialog, runner: TaskRunner) -> None:
    """Enter in a one-line field presses Save, the default button; then the save's job."""
    field = QApplication.focusWidget()
    assert field is not None
    assert field.window() is dialog
    qtbot.keyClick(field, Qt.Key.Key_Return)
    wait_idle(qtbot, runner)


def _closed(dialog: QuickCaptureDialog) -> bool:
    """Saved and closed (a closed capture dialog deletes itself)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _cell(panel: EvidencePanel, row: int, column: int) -> Any:
    return panel.model.index(row, column).data()


def test_a_quick_capture_shows_only_the_title_and_the_usual_fields(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    panel = _panel(qtbot, services, runner, _profile(services))
    dialog = _capture(qtbot, panel)
    assert dialog.work.isChecked()
    for hidden in (dialog.giver, dialog.giver_role, dialog.context, dialog.metric_value):
        assert not hidden.isVisible(), hidden.accessibleName()
    type_text(dialog.title, "Shipped the pipeline")
    _save_with_enter(qtbot, dialog, runner)
    [entry] = services.evidence.search(panel._profile_id or "")
    assert (entry.title, entry.impact, entry.feedback) == ("Shipped the pipeline", Impact(), None)
    assert _closed(dialog)


def test_work_done_with_its_impact_and_a_metric_typed_in_the_users_locale(
    qtbot: QtBot, services: Services, runner: TaskRunner, german: None
) -> None:
    profile_id = _profile(services)
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _capture(qtbot, panel)
    type_text(dialog.title, "Faster ranking")
    assert press_mnemonic(qtbot, dialog, Qt.Key.Key_I) is dialog.context  # the impact part opens
    assert dialog.context.isVisible()
    type_text(dialog.context, "Checkout p95 was 400 ms")
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_H), "Batched the feature lookups")
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_U), "p95 down to 90 ms")
    assert press_mnemonic(qtbot, dialog, Qt.Key.Key_M) is dialog.metric_value
    type_text(dialog.metric_value, "0,31")  # German: 0.31
    qtbot.keyClick(dialog.metric_value, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.metric_unit
    type_text(dialog.metric_unit, "s saved")
    tags = press_mnemonic(qtbot, dialog, Qt.Key.Key_A)
    assert tags is dialog.tags
    dialog.tags.setCurrentRow(0)  # the criteria come first
    assert dialog.tags.currentItem().data(Qt.ItemDataRole.UserRole) == CRITERION
    qtbot.keyClick(dialog.tags, Qt.Key.Key_Space)
    dialog.metric_unit.setFocus()
    _save_with_enter(qtbot, dialog, runner)

    [entry] = services.evidence.search(profile_id)
    assert entry.impact == Impact(
        "Checkout p95 was 400 ms",
        "Batched the feature lookups",
        "p95 down to 90 ms",
        0.31,
        "s saved",
    )
    assert entry.tags == (CRITERION,)
    assert entry.feedback is None
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert _cell(panel, 0, EvidenceTableModel.IMPACT) == "p95 down to 90 ms (0.31 s saved)"
    assert _cell(panel, 0, EvidenceTableModel.TAGS) == CRITERION_TEXT
    tip = panel.model.index(0, EvidenceTableModel.IMPACT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Context: Checkout p95 was 400 ms" in tip
    assert "What I did: Batched the feature lookups" in tip


def test_a_metric_needs_a_number_and_a_unit_and_nothing_is_stored_until_it_has(
    qtbot: QtBot, services: Services, runner: TaskRunner, english: None
) -> None:
    profile_id = _profile(services)
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _capture(qtbot, panel)
    type_text(dialog.title, TEXT)
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_I), "Context as typed")
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_M), "90")
    _save_with_enter(qtbot, dialog, runner)  # no unit
    assert dialog.isVisible()
    assert dialog.message.isVisible()
    assert dialog.message.text() == "A metric needs both its value and its unit (90 and ms)."
    assert _stored(services) == 0

    dialog.metric_value.selectAll()
    type_text(dialog.metric_value, "fast")
    type_text(dialog.metric_unit, "ms")
    dialog.metric_value.setFocus()
    _save_with_enter(qtbot, dialog, runner)
    assert dialog.message.text() == "The metric's value “fast” is not a number; write it as 4.5."
    assert _stored(services) == 0
    # What was typed is all still there, to be corrected.
    assert (dialog.title.text(), dialog.context.text()) == (TEXT, "Context as typed")
    assert (dialog.metric_value.text(), dialog.metric_unit.text()) == ("fast", "ms")

    dialog.metric_value.selectAll()
    type_text(dialog.metric_value, "1,000")  # a group separator is refused, never read as 1
    _save_with_enter(qtbot, dialog, runner)
    assert "is not a number" in dialog.message.text()
    assert _stored(services) == 0
    dialog.metric_value.selectAll()
    type_text(dialog.metric_value, "90")
    _save_with_enter(qtbot, dialog, runner)
    assert _closed(dialog)
    [entry] = services.evidence.search(profile_id)
    assert (entry.title, entry.impact.metric) == (TEXT, "90 ms")


def test_feedback_received_needs_who_gave_it_and_shows_as_their_words(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    profile_id = _profile(services)
    panel = _panel(qtbot, services, runner, profile_id)
    dialog = _capture(qtbot, panel)
    press_mnemonic(qtbot, dialog, Qt.Key.Key_F)
    assert dialog.feedback.isChecked()
    assert dialog.giver.isVisible()
    assert dialog.giver_role.isVisible()
    assert dialog.description_label.text() == "&Quote:"
    assert dialog.description.accessibleName() == "Quote"
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_T), "Design review")
    assert press_mnemonic(qtbot, dialog, Qt.Key.Key_Q) is dialog.description
    type_text(dialog.description, TEXT)
    dialog.title.setFocus()
    _save_with_enter(qtbot, dialog, runner)
    assert dialog.isVisible()
    assert dialog.message.text() == "The name of who gave the feedback is empty."
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    assert _stored(services) == 0
    assert dialog.description.toPlainText() == TEXT

    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_O), "Noor Haddad")
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_R), "Staff engineer")
    _save_with_enter(qtbot, dialog, runner)
    assert _closed(dialog)
    [entry] = services.evidence.search(profile_id)
    assert entry.feedback == Feedback("Noor Haddad", "Staff engineer")
    assert entry.description == TEXT
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert _cell(panel, 0, EvidenceTableModel.IMPACT) == (
        f"From Noor Haddad, Staff engineer: “{TEXT}”"
    )
    # Switching back to work done hides who gave it; nothing of it is saved with the work.
    dialog = _capture(qtbot, panel)
    press_mnemonic(qtbot, dialog, Qt.Key.Key_F)
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_O), "Someone")
    press_mnemonic(qtbot, dialog, Qt.Key.Key_W)
    assert not dialog.giver.isVisible()
    assert dialog.description_label.text() == "D&escription:"
    type_text(press_mnemonic(qtbot, dialog, Qt.Key.Key_T), "Work")
    _save_with_enter(qtbot, dialog, runner)
    assert [e.feedback for e in services.evidence.search(profile_id)] == [
        None,
        Feedback("Noor Haddad", "Staff engineer"),
    ]


def test_editing_an_entry_keeps_its_impact_and_feedback(
    qtbot: QtBot, services: Services, runner: TaskRunner, german: None
) -> None:
    profile_id = _profile(services)
    services.evidence.add(
        profile_id,
        day=date(2026, 3, 1),
        title="Review",
        description="Clear",
        impact=Impact("ctx", "did", "out", 2.5, "x"),
        feedback=Feedback("Noor", None),
    )
    panel = _panel(qtbot, services, runner, profile_id)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    rect = panel.view.visualRect(panel.proxy.index(0, EvidenceTableModel.TITLE))
    QTest.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = panel.dialog
    assert dialog is not None
    qtbot.waitActive(dialog)
    qtbot.waitUntil(dialog.title.hasFocus)
    assert dialog.feedback.isChecked()
    assert dialog.impact_toggle.isChecked()
    assert dialog.context.isVisible()
    assert dialog.metric_value.text() == "2,5"  # as the user writes it
    assert (dialog.giver.text(), dialog.giver_role.text()) == ("Noor", "")
    dialog.title.selectAll()
    type_text(dialog.title, "Design review")
    _save_with_enter(qtbot, dialog, runner)
    [entry] = services.evidence.search(profile_id)
    assert entry.title == "Design review"
    assert entry.impact == Impact("ctx", "did", "out", 2.5, "x")
    assert entry.feedback == Feedback("Noor", None)
    assert entry.description == "Clear"


def test_the_picker_offers_the_criteria_of_the_profiles_steps(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    junior = _profile(services)
    panel = _panel(qtbot, services, runner, junior)
    dialog = _capture(qtbot, panel)
    labels = [dialog.tags.item(n).text() for n in range(dialog.tags.count())]
    criteria = [label for label in labels if label.startswith("Criterion: ")]
    assert len(criteria) == 5
    assert labels[:5] == criteria  # first
    assert f"Criterion: {CRITERION_TEXT}" in criteria
    assert any(label.startswith("Skill: ") for label in labels)
    dialog.reject()
    filters = [panel.tag.itemData(n) for n in range(panel.tag.count())]
    assert CRITERION in filters

    # At the target level there is no step left, so no criterion, unless the entry has one.
    at_target = _profile(services, level="ml-engineer")
    services.evidence.add(at_target, day=date(2026, 3, 1), title="Old", tags=[CRITERION])
    panel.show_profile(at_target)
    wait_idle(qtbot, runner)
    dialog = _capture(qtbot, panel)
    assert not [
        n for n in range(dialog.tags.count()) if dialog.tags.item(n).text().startswith("Criterion")
    ]
    dialog.reject()
    panel.view.selectRow(0)
    dialog = panel.capture(panel.selected())
    assert dialog is not None
    assert dialog.checked_tags() == [CRITERION]
    dialog.reject()


def _everything_shown(qtbot: QtBot, dialog: QuickCaptureDialog) -> None:
    press_mnemonic(qtbot, dialog, Qt.Key.Key_F)
    press_mnemonic(qtbot, dialog, Qt.Key.Key_I)
    assert dialog.giver.isVisible()
    assert dialog.metric_unit.isVisible()


def test_every_field_is_reachable_by_tab_has_a_label_and_answers_its_own_key(
    qtbot: QtBot, services: Services, runner: TaskRunner
) -> None:
    panel = _panel(qtbot, services, runner, _profile(services))
    dialog = _capture(qtbot, panel)
    _everything_shown(qtbot, dialog)
    fields = [
        dialog.feedback,  # the chosen kind is the radio buttons' stop
        dialog.title,
        dialog.date,
        dialog.description,
        dialog.giver,
        dialog.giver_role,
        dialog.link,
        dialog.tags,
        dialog.private,
        dialog.impact_toggle,
        dialog.context,
        dialog.action,
        dialog.outcome,
        dialog.metric_value,
        dialog.metric_unit,
    ]
    dialog.feedback.setFocus()
    reached = []
    for _ in range(len(fields) + 3):
        focused = QApplication.focusWidget()
        reached.append(focused)
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    for field in fields:
        assert field in reached, field.accessibleName() or type(field).__name__
    order = [reached.index(field) for field in fields]
    assert order == sorted(order), "Tab follows the form from top to bottom"
    for field in fields[1:]:
        if field in (dialog.private, dialog.impact_toggle):
            continue  # their own text is their label
        labels = [w for w in dialog.findChildren(QLabel) if w.buddy() is field]
        assert labels, f"{field.accessibleName()} has no label"
    assert collisions(dialog) == []
    assert check_layout(dialog) == []
    dialog.reject()


def _entry(**fields: Any) -> EvidenceInfo:
    """An entry as the service returns it, made up for the model alone."""
    values: dict[str, Any] = {
        "id": fields.get("title", "x"),
        "profile_id": "p",
        "date": date(2026, 1, 5),
        "description": None,
        "link": None,
        "private": False,
        "tags": (),
    }
    values.update(fields)
    return EvidenceInfo(**values)


def test_the_impact_and_feedback_are_shown_exactly_as_typed(qtmodeltester: Any) -> None:
    model = EvidenceTableModel()
    markup = "<b>bold</b> & <i>"
    rows = [
        _entry(title="A", description=markup, feedback=Feedback(markup, None)),
        _entry(title="B", impact=Impact(outcome=f"{markup}\nsecond line")),
    ]
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, EvidenceTableModel.IMPACT).data() == f"From {markup}: “{markup}”"
    assert model.index(1, EvidenceTableModel.IMPACT).data() == f"{markup} second line"
    for row in range(2):
        for column in (EvidenceTableModel.TITLE, EvidenceTableModel.IMPACT):
            tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
            if tip is not None:
                assert "<b>bold" not in tip
                assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in tip
