"""The mentee's side of an assessment sent back: the radar, the Assessment section, the wizard.

Two real data folders, as on two computers: Zoë's, with her own profile, and her
manager Jordan's, where her bundle was imported and assessed twice; each
assessment comes back to Zoë's folder in an assessment bundle. Everything she
sees of it is read-only, and none of it shows for a profile nothing came back to.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.bundle.assessment import export_assessment
from app.bundle.export import export_bundle
from app.bundle.importer import import_bundle
from app.services import Services, open_services
from app.services.manager import CalibrationRow
from tests.helpers import (
    MANAGER_NAME,
    MANAGER_ROLE,
    activate,
    click,
    private_profile,
    sign_as_manager,
    type_text,
    wait_idle,
)
from ui import charts
from ui.calibration import CalibrationModel
from ui.checkin import CheckInPanel, SkillRater
from ui.dashboard import Dashboard
from ui.manager import RECEIVED_EXPLANATION, ManagerPanel
from ui.settings import Settings
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date(2026, 6, 15)
EARLIER = date(2026, 5, 10)
LATER = date(2026, 6, 1)
JORDAN = f"{MANAGER_NAME}, {MANAGER_ROLE}"
COMMENT = "Owns the <b>pipeline</b> & its alerts"
RATIONALE = "One more launch 🚀"
_KEEP: list[Any] = []  # chart views whose series a test reads


@pytest.fixture
def zoe(services: Services, tmp_path: Path) -> str:
    """Zoë's own profile, rated a-critical 2, a-optional 2, b-important 2 since May, with
    Jordan's two assessments of it received: EARLIER's and LATER's."""
    (tmp_path / "files").mkdir()
    profile_id = private_profile(services, tmp_path / "files")
    mine = tmp_path / "zoe.rung"
    export_bundle(services.store, profile_id, mine, include_private=False)
    sent = [tmp_path / "earlier.rung", tmp_path / "later.rung"]
    jordan = open_services(tmp_path / "jordan")
    try:
        import_bundle(jordan.store, jordan.frameworks, mine)
        sign_as_manager(jordan)
        manager = jordan.manager
        for skill, value in (("a-critical", 4), ("a-optional", 3), ("b-important", 2)):
            manager.set_calibration(profile_id, skill, value, on=EARLIER)
        manager.set_comment(profile_id, "a", COMMENT, on=EARLIER)
        manager.set_recommendation(profile_id, "approaching", RATIONALE, on=EARLIER)
        export_assessment(jordan.store, profile_id, sent[0])
        # LATER starts from EARLIER's: a-optional stays 3.
        manager.set_calibration(profile_id, "a-critical", 3, on=LATER)
        manager.set_calibration(profile_id, "b-important", 0, on=LATER)
        manager.set_comment(profile_id, "b", "Needs a second reviewer", on=LATER)
        export_assessment(jordan.store, profile_id, sent[1])
    finally:
        jordan.close()
    for path in sent:
        import_bundle(services.store, services.frameworks, path)
    return profile_id


@pytest.fixture
def ada(services: Services, zoe: str) -> str:
    """A second profile of the same folder and ladder, rated once, which nothing came back to."""
    ladder = services.profiles.get(zoe)
    profile = services.profiles.create(
        name="Ada", framework=ladder.framework, level="junior", target="senior", started=EARLIER
    )
    checkin = services.checkins.start_draft(profile.id, on=EARLIER)
    services.checkins.set_rating(checkin.id, "a-critical", 1)
    services.checkins.finalize(checkin.id)
    return profile.id


def _own_ratings(services: Services, profile_id: str) -> dict[str, Any]:
    return dict(services.checkins.current_ratings(profile_id, TODAY))


# -- the Dashboard radar ------------------------------------------------------------


def _radar(qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str) -> dict[str, Any]:
    """The Dashboard's radar, shown with a click on its tab: its series by name."""
    dashboard = Dashboard(services, runner)
    qtbot.addWidget(dashboard)
    dashboard.resize(1000, 760)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    dashboard.load(profile_id, today=TODAY)
    wait_idle(qtbot, runner)
    bar = dashboard.tabs.tabBar()
    index = list(dashboard.chart_tabs).index("radar")
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    wait_idle(qtbot, runner)
    QApplication.processEvents()
    view = dashboard.chart_tabs["radar"].view
    assert view is not None
    _KEEP.append(view)
    return {s.name(): s for s in charts.series_of(view)}


def test_the_radar_shows_the_latest_assessment_beside_her_own_ratings(
    qtbot: QtBot, services: Services, runner: TaskRunner, zoe: str, ada: str
) -> None:
    radar = _radar(qtbot, services, runner, zoe)
    assert f"Calibrated by {MANAGER_NAME}" in radar
    assert "Your ratings" in radar
    assert any(name.startswith("Expected") for name in radar)
    yours = [round(p.y(), 2) for p in radar["Your ratings"].points()]
    theirs = [round(p.y(), 2) for p in radar[f"Calibrated by {MANAGER_NAME}"].points()]
    # A: critical (weight 3) and optional (1); B: important. LATER's: 3, 3 and 0.
    assert yours[:2] == [2.0, 2.0]
    assert theirs[:2] == [3.0, 0.0]

    others = _radar(qtbot, services, runner, ada)
    assert not [name for name in others if name.startswith("Calibrated")]


# -- the Assessment section, read-only ----------------------------------------------


def _panel(qtbot: QtBot, services: Services, runner: TaskRunner, profile_id: str) -> ManagerPanel:
    panel = ManagerPanel(services, runner, today=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(1000, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_profile(profile_id)
    wait_idle(qtbot, runner)
    activate(qtbot, panel)
    return panel


def _choices(panel: ManagerPanel) -> list[str]:
    return [panel.history.itemText(i) for i in range(panel.history.count())]


def _shown(panel: ManagerPanel) -> list[tuple[str, str, str, str]]:
    """Skill, self, manager, difference of each row, as the view shows them."""
    columns = (
        CalibrationModel.SKILL,
        CalibrationModel.SELF,
        CalibrationModel.MANAGER,
        CalibrationModel.DIFFERENCE,
    )
    return [
        tuple(panel.proxy.index(row, column).data() for column in columns)  # type: ignore[misc]
        for row in range(panel.proxy.rowCount())
    ]


def _cell(panel: ManagerPanel, row: int, column: int) -> QModelIndex:
    return panel.proxy.index(row, column)


def test_the_assessment_section_lists_what_came_back_newest_first_and_reads_it(
    qtbot: QtBot, services: Services, runner: TaskRunner, zoe: str
) -> None:
    panel = _panel(qtbot, services, runner, zoe)
    assert _choices(panel) == [f"{LATER} by {JORDAN}", f"{EARLIER} by {JORDAN}"]
    assert panel.heading.text() == f"{MANAGER_NAME}'s assessment of you"
    assert panel.explanation.text() == RECEIVED_EXPLANATION
    assert not panel.status_line.isVisible()
    assert not panel.identity_button.isVisible()
    # The largest disagreements first: −2, +1, then agreement.
    assert _shown(panel) == [
        ("B Important", "2", "0", "−2"),
        ("A Critical", "2", "3", "+1"),
        ("A Optional", "2", "3", "+1"),
    ]
    tip = panel.model.headerData(CalibrationModel.MANAGER, Qt.Orientation.Horizontal,
                                 Qt.ItemDataRole.ToolTipRole)  # fmt: skip
    assert tip == f"{MANAGER_NAME}'s rating"
    assert panel.comments["b"].toPlainText() == "Needs a second reviewer"
    assert panel.comments["a"].toPlainText() == COMMENT  # carried forward by Jordan
    assert panel.band_line.text() == "Approaching"
    assert panel.band_line.isVisible()
    assert not panel.band.isVisible()
    assert panel.rationale.toPlainText() == RATIONALE

    # The earlier one, chosen with the keyboard.
    qtbot.keyClick(panel, Qt.Key.Key_A, ALT)
    assert QApplication.focusWidget() is panel.history
    qtbot.keyClick(panel.history, Qt.Key.Key_Down)
    wait_idle(qtbot, runner)
    assert panel.data is not None
    assert panel.data.day == EARLIER
    assert panel.history.currentText() == f"{EARLIER} by {JORDAN}"
    assert _shown(panel) == [
        ("A Critical", "2", "4", "+2"),
        ("A Optional", "2", "3", "+1"),
        ("B Important", "2", "2", "0"),
    ]
    assert panel.comments["b"].toPlainText() == ""
    assert panel.comments["b"].placeholderText() == f"No comment from {MANAGER_NAME}."
    assert panel.help_line.text().startswith(f"Your own ratings as of {EARLIER}")


def test_typing_in_the_received_assessment_changes_nothing(
    qtbot: QtBot, services: Services, runner: TaskRunner, zoe: str
) -> None:
    before = (services.manager.assessments(zoe), _own_ratings(services, zoe))
    panel = _panel(qtbot, services, runner, zoe)
    shown = _shown(panel)

    view = panel.view
    rect = view.visualRect(_cell(panel, 0, CalibrationModel.SKILL))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(view, Qt.Key.Key_4)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.indexWidget(view.currentIndex()) is None  # no editor opened
    for edit in (panel.comments["a"], panel.comments["b"], panel.rationale):
        click(edit)
        qtbot.keyClick(edit, Qt.Key.Key_End, CTRL)
        type_text(edit, "mine")
    qtbot.keyClick(panel, Qt.Key.Key_D, ALT)  # the verdict: read, not chosen
    assert QApplication.focusWidget() is panel.band_line
    type_text(panel.band_line, "Ready")
    qtbot.keyClick(panel.band_line, Qt.Key.Key_Down)
    panel.flush()
    wait_idle(qtbot, runner)

    assert _shown(panel) == shown
    assert panel.comments["a"].toPlainText() == COMMENT
    assert panel.rationale.toPlainText() == RATIONALE
    assert panel.band_line.text() == "Approaching"
    assert (services.manager.assessments(zoe), _own_ratings(services, zoe)) == before


# -- the check-in wizard ------------------------------------------------------------


def _wizard(
    qtbot: QtBot, services: Services, runner: TaskRunner, data_dir: Path, profile_id: str
) -> dict[str, SkillRater]:
    """A check-in started today on the profile, opened in the wizard: its skill rows."""
    draft = services.checkins.start_draft(profile_id, on=TODAY)
    panel = CheckInPanel(services, runner, settings=Settings(data_dir))
    qtbot.addWidget(panel)
    panel.resize(1000, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.open_checkin(draft.id)
    wait_idle(qtbot, runner)
    raters: dict[str, SkillRater] = {}
    assert panel._state is not None
    for _page in panel._state.framework.dimensions:  # a page each, built when first shown
        for rater in panel.steps.currentWidget().findChildren(SkillRater):
            assert rater.isVisible()
            assert rater.received is None or rater.received.isVisible()
            raters[rater.skill.id] = rater
        click(panel.next_button)
        wait_idle(qtbot, runner)
    return raters


def test_the_wizard_shows_the_managers_rating_beside_each_skill(
    qtbot: QtBot, services: Services, runner: TaskRunner, data_dir: Path, zoe: str, ada: str
) -> None:
    raters = _wizard(qtbot, services, runner, data_dir, zoe)
    texts = {k: r.received.text() if r.received else None for k, r in raters.items()}
    assert texts == {
        "a-critical": f"{MANAGER_NAME} rated 3 on {LATER}.",
        "a-optional": f"{MANAGER_NAME} rated 3 on {LATER}.",
        "b-important": f"{MANAGER_NAME} rated 0 on {LATER}.",
    }
    assert raters["a-critical"].expectation.text().endswith("Your rating: 2 since 2026-03-01.")

    others = _wizard(qtbot, services, runner, data_dir, ada)
    assert others
    assert all(r.received is None for r in others.values())


# -- the window ---------------------------------------------------------------------


def test_the_section_shows_for_her_own_profile_only_once_something_came_back(
    qtbot: QtBot, main_window: Any, services: Services, runner: TaskRunner, zoe: str, ada: str
) -> None:
    window = main_window
    window.reload_profiles(ada)
    wait_idle(qtbot, runner)
    keys = [window.sidebar.item(row).data(Qt.ItemDataRole.UserRole) for row in range(9)]
    row = keys.index("assessment")
    assert window.sidebar.item(row).isHidden()
    assert not window.section_actions["assessment"].isVisible()

    window.set_profile(zoe)
    wait_idle(qtbot, runner)
    item = window.sidebar.item(row)
    assert not item.isHidden()
    sidebar = window.sidebar
    QTest.mouseClick(
        sidebar.viewport(), Qt.MouseButton.LeftButton, pos=sidebar.visualItemRect(item).center()
    )
    wait_idle(qtbot, runner)
    assert window.current_section() == "assessment"
    panel = window.manager
    assert panel.heading.text() == f"{MANAGER_NAME}'s assessment of you"
    assert _choices(panel)[0] == f"{LATER} by {JORDAN}"
    assert window.edit_profile_action.isEnabled()  # still her own, editable profile

    window.set_profile(ada)
    wait_idle(qtbot, runner)
    assert window.sidebar.item(row).isHidden()
    assert window.current_section() == "dashboard"


def test_the_received_calibration_model_is_sound_and_read_only(qtmodeltester: Any) -> None:
    model = CalibrationModel()
    model.scale = {0: "None", 1: "Some", 2: "Solid", 3: "Strong"}
    model.editable, model.assessor = False, MANAGER_NAME
    model.set_rows(
        [
            CalibrationRow("a", "A", "Dim", 2, False, 0, 2),
            CalibrationRow("b", "B", "Dim", None, False, None, 1),
        ]
    )
    qtmodeltester.check(model)
    tips = [model.index(r, CalibrationModel.MANAGER).data(Qt.ItemDataRole.ToolTipRole)
            for r in range(2)]  # fmt: skip
    assert tips == [f"{MANAGER_NAME}'s rating: None", f"Not rated by {MANAGER_NAME}."]
    assert model.index(1, CalibrationModel.SELF).data(Qt.ItemDataRole.ToolTipRole) == (
        "Not rated by you yet (counts as 0)."
    )
    assert not model.flags(model.index(0, CalibrationModel.MANAGER)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, CalibrationModel.MANAGER), 3)
    assert model.index(0, CalibrationModel.MANAGER).data() == "0"
