"""Editing a profile: details, a promotion from a date, history read with the old level."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.errors import InvalidInputError
from app.services import Services
from app.services.profiles import StageChange
from tests.helpers import CALENDAR, date_ranges
from ui.profile_form import ProfileDialog, ProfileForm, to_qdate

pytestmark = pytest.mark.gui


def _profile(services: Services) -> Any:
    return services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2025, 1, 6),
    )


def _open_dialog(qtbot: QtBot, services: Services, profile: Any) -> ProfileDialog:
    dialog = ProfileDialog(services, profile, None)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _click_save(qtbot: QtBot, dialog: ProfileDialog) -> None:
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_a_promotion_adds_a_stage_and_keeps_the_old_one_for_past_dates(
    qtbot: QtBot, services: Services
) -> None:
    profile = _profile(services)
    dialog = _open_dialog(qtbot, services, profile)
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Ada L.")
    dialog.picker.level.setFocus()
    qtbot.keyClick(dialog.picker.level, Qt.Key.Key_Down)  # Junior → ML Engineer
    dialog.effective.setDate(to_qdate(date(2026, 6, 1)))
    _click_save(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted

    updated = services.profiles.get(profile.id)
    assert updated.name == "Ada L."
    assert [(s.effective_from, s.level) for s in updated.stages] == [
        (date(2025, 1, 6), "junior-ml-engineer"),
        (date(2026, 6, 1), "ml-engineer"),
    ]
    assert updated.stage_on(date(2026, 5, 31)).level == "junior-ml-engineer"
    assert updated.stage_on(date(2026, 6, 1)).level == "ml-engineer"


def test_a_bad_edit_is_refused_with_a_message_and_changes_nothing(
    qtbot: QtBot, services: Services
) -> None:
    profile = _profile(services)
    dialog = _open_dialog(qtbot, services, profile)
    dialog.name.clear()
    _click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.text() == "The name is empty."
    assert services.profiles.get(profile.id) == profile


def test_details_and_a_promotion_are_saved_together_or_not_at_all(services: Services) -> None:
    """One transaction: a stage that cannot be applied leaves the new name unsaved too."""
    profile = services.profiles.create(
        name="Ada",
        framework="ml-engineer",
        level="junior-ml-engineer",
        target="ml-engineer",
        started=date(2025, 1, 6),
    )
    bad = StageChange(date(2026, 6, 1), "ml-engineer", "ml-engineer", "junior-ml-engineer")
    with pytest.raises(InvalidInputError, match="below the current level"):
        services.profiles.update_details(
            profile.id,
            name="Renamed",
            interval_days=14,
            manager=None,
            role_start=profile.role_start,
            stage=bad,
        )
    assert services.profiles.get(profile.id) == profile
    good = StageChange(date(2026, 6, 1), "ml-engineer", "ml-engineer", "ml-engineer")
    updated = services.profiles.update_details(
        profile.id,
        name="Renamed",
        interval_days=14,
        manager=None,
        role_start=profile.role_start,
        stage=good,
    )
    assert (updated.name, updated.checkin_interval_days, updated.level) == (
        "Renamed",
        14,
        "ml-engineer",
    )


def test_date_fields_hold_only_dates_in_the_calendar(qtbot: QtBot, services: Services) -> None:
    """1900-01-01 … 2199-12-31, as the services accept; before, 1752 … 9999."""
    dialog = _open_dialog(qtbot, services, _profile(services))
    assert date_ranges(dialog) == {"Role start date": CALENDAR, "In force from": CALENDAR}
    form = ProfileForm(services)
    qtbot.addWidget(form)
    assert date_ranges(form) == {"Role start date": CALENDAR}
    dialog.started.setDate(to_qdate(date(9999, 12, 31)))
    assert dialog.started.date() == to_qdate(date(2199, 12, 31))
