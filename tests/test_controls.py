"""Controls that read in both palettes: visible check boxes and radio buttons, names shown
exactly as typed (an "&" is never a mnemonic), and keys that no two controls share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.evidence_import import BragPreview, BragRow
from app.services import Services
from app.services.demo import create_demo
from tests.helpers import WORKED_SKILLS, import_framework, two_dims_data
from tests.shortcut_check import collisions
from tests.test_manager import share
from ui import dialogs
from ui.about import AboutDialog
from ui.evidence import BragImportDialog
from ui.main_window import MainWindow
from ui.plan import GoalDialog, GoalDraft
from ui.profile_form import ProfileDialog
from ui.tasks import TaskRunner
from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui

ALT = Qt.KeyboardModifier.AltModifier
SKILL = "Experiment tracking & model registry"
DIMENSION = "R&D"
PROFILE = "R&D Lab"


# -- check boxes and radio buttons ---------------------------------------------


def _luminance(color: QColor) -> float:
    parts = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (color.redF(), color.greenF(), color.blueF())
    ]
    return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]


def _contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _pixels(image: QImage, rect: QRect) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for y in range(rect.top(), rect.bottom() + 1)
        for x in range(rect.left(), rect.right() + 1)
    ]


def _indicator(widget: QCheckBox | QRadioButton) -> tuple[QImage, QRect]:
    """The widget as drawn, and where its indicator is in that image."""
    option = QStyleOptionButton()
    option.initFrom(widget)
    element = (
        QStyle.SubElement.SE_RadioButtonIndicator
        if isinstance(widget, QRadioButton)
        else QStyle.SubElement.SE_CheckBoxIndicator
    )
    rect = widget.style().subElementRect(element, option, widget)
    pixmap = widget.grab()
    ratio = pixmap.devicePixelRatio()
    scaled = QRect(
        round(rect.x() * ratio),
        round(rect.y() * ratio),
        round(rect.width() * ratio),
        round(rect.height() * ratio),
    )
    return pixmap.toImage(), scaled


@pytest.mark.parametrize("appearance", [Appearance.DARK, Appearance.LIGHT])
def test_check_boxes_and_radio_buttons_are_outlined_and_show_when_they_are_on(
    qtbot: QtBot, qapp: QApplication, appearance: Appearance
) -> None:
    Theme(qapp, appearance)
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    pairs: list[tuple[QCheckBox | QRadioButton, QCheckBox | QRadioButton]] = []
    for kind in (QCheckBox, QRadioButton):
        off, on = kind("Not chosen", window), kind("Chosen", window)
        for button in (off, on):
            button.setAutoExclusive(False)
            layout.addWidget(button)
        on.setChecked(True)
        pairs.append((off, on))
    tags = QListWidget(window)  # the evidence tags: check boxes inside a list
    for checked in (Qt.CheckState.Unchecked, Qt.CheckState.Checked):
        item = QListWidgetItem("Skill: Python", tags)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(checked)
    layout.addWidget(tags)
    window.resize(320, 260)
    window.show()
    qtbot.waitExposed(window)
    palette = window.palette()
    background = palette.color(palette.ColorRole.Window)

    for off, on in pairs:
        off_image, rect = _indicator(off)
        on_image, _rect = _indicator(on)
        # WCAG asks 3:1 of the parts of a control that say what it is.
        outline = max(_contrast(pixel, background) for pixel in _pixels(off_image, rect))
        assert outline >= 3, f"{type(off).__name__} outline {outline:.2f}:1 in {appearance}"
        changed = sum(
            _contrast(a, b) > 1.5
            for a, b in zip(_pixels(off_image, rect), _pixels(on_image, rect), strict=True)
        )
        assert changed > rect.width() * rect.height() // 5, f"{type(on).__name__} on vs off"

    # The chosen radio button's row is tinted, right across; the other one's is not.
    off, on = pairs[1]
    for button, tinted in ((off, False), (on, True)):
        image = button.grab().toImage()
        beside = image.pixelColor(image.width() - 3, image.height() // 2)
        assert (beside.rgb() != background.rgb()) is tinted, (button.text(), beside.name())

    base = palette.color(palette.ColorRole.Base)
    image = tags.viewport().grab().toImage()
    ratio = tags.viewport().grab().devicePixelRatio()
    for row in range(2):
        rect = tags.visualItemRect(tags.item(row))
        side = rect.height()
        box = QRect(
            round(rect.x() * ratio),
            round(rect.y() * ratio),
            round(side * ratio),
            round(side * ratio),
        )
        contrast = max(_contrast(pixel, base) for pixel in _pixels(image, box))
        assert contrast >= 3, f"list check box {row}: {contrast:.2f}:1 in {appearance}"


# -- names with an "&" ------------------------------------------------------------


def _ampersand_profile(services: Services, tmp_path: Path) -> str:
    """ "R&D Lab", shared with you, on a ladder with the skill `SKILL` in the dimension
    `DIMENSION`."""
    skills = [dict(skill) for skill in WORKED_SKILLS]
    skills[0]["name"] = SKILL
    data = two_dims_data(skills)
    data["dimensions"][0]["name"] = DIMENSION
    ref = import_framework(services, tmp_path, data)
    profile = services.profiles.create(
        name=PROFILE, framework=ref, level="junior", target="senior", started=date(2026, 1, 5)
    )
    first = services.checkins.start_draft(profile.id, on=date(2026, 3, 1))
    services.checkins.set_rating(first.id, "a-critical", 2)
    services.checkins.finalize(first.id)
    share(services, profile.id)
    return profile.id


def test_names_with_an_ampersand_show_as_typed_and_answer_no_key(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner, tmp_path: Path
) -> None:
    window = main_window
    profile_id = _ampersand_profile(services, tmp_path)
    window.reload_profiles(profile_id)
    window.show_section("assessment")
    panel = window.manager
    runner.drain()
    qtbot.waitUntil(lambda: panel.data is not None)
    window.activateWindow()
    qtbot.waitActive(window)

    assert window.switcher.currentText() == PROFILE
    assert panel.heading.text() == f"Your assessment of {PROFILE}"
    comment = panel.comments["a"]
    [label] = [w for w in panel.findChildren(QLabel) if w.buddy() is comment]
    assert label.text() == "R&&D"  # escaped for Qt: shown as "R&D", with no mnemonic
    assert QKeySequence.mnemonic(label.text()).isEmpty()
    assert comment.accessibleName() == f"Comment on {DIMENSION}"
    names = [
        panel.model.index(row, panel.model.SKILL).data() for row in range(panel.model.rowCount())
    ]
    assert SKILL in names

    # Alt+D is Ver&dict's, and only Ver&dict's: the R&D comment never takes it.
    panel.rationale.setEnabled(True)
    panel.rationale.setFocus()
    for _ in range(2):  # keys shared by two controls would alternate between them
        qtbot.keyClick(window, Qt.Key.Key_D, ALT)
        assert QApplication.focusWidget() is panel.band

    window.show_section("evidence")
    runner.drain()
    evidence = window.evidence
    qtbot.waitUntil(lambda: evidence.tag.count() > 1)
    assert f"Skill: {SKILL}" in [evidence.tag.itemText(n) for n in range(evidence.tag.count())]


# -- keys -----------------------------------------------------------------------


class _Keys:
    """Checks the main window (or a dialog) in each state and collects the collisions."""

    def __init__(self, runner: TaskRunner) -> None:
        self.runner = runner
        self.problems: list[str] = []
        self.pages: list[str] = []

    def check(self, page: str, window: QWidget) -> None:
        self.runner.drain()
        QApplication.processEvents()
        self.pages.append(page)
        self.problems += [f"{page}: {problem}" for problem in collisions(window)]


def _two_profiles(window: MainWindow, services: Services, runner: TaskRunner) -> str:
    """A demo profile and a second one, so that the profile switcher shows too."""
    profile_id = create_demo(services.store, services.frameworks, services.profiles, years=1)
    services.profiles.create(
        name="Ana", framework="ml-engineer", level="junior-ml-engineer", target="ml-engineer"
    )
    window.reload_profiles(profile_id)
    runner.drain()
    assert window.toolbar.isVisibleTo(window)
    return profile_id


def test_no_two_controls_of_a_section_answer_the_same_key(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner, tmp_path: Path
) -> None:
    window = main_window
    keys = _Keys(runner)
    keys.check("first run", window)
    _two_profiles(window, services, runner)
    for key in ("dashboard", "checkin", "history", "evidence", "plan", "frameworks"):
        window.show_section(key)
        keys.check(key, window)
    window.show_section("reports")
    window.reports.between.setChecked(True)  # the dates' labels, enabled
    keys.check("reports", window)
    window.show_section("backups")
    keys.check("backups", window)
    window.new_profile_action.trigger()
    keys.check("new profile", window)

    window.reload_profiles(_ampersand_profile(services, tmp_path))
    for key in ("dashboard", "checkin", "history", "evidence", "plan", "assessment", "team"):
        window.show_section(key)
        keys.check(f"shared {key}", window)

    assert len(keys.pages) == 17
    assert not keys.problems, "\n".join(keys.problems)


def test_no_two_controls_of_the_check_in_wizard_answer_the_same_key(
    qtbot: QtBot,
    main_window: MainWindow,
    services: Services,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = main_window
    keys = _Keys(runner)
    _two_profiles(window, services, runner)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)  # another check-in today: yes
    window.show_section("checkin")
    panel = window.checkin
    runner.drain()
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.steps.count() > 0 and panel.current_step() == 0)
    for index in range(panel.steps.count()):
        panel.go_to(index)
        keys.check(f"check-in step {index + 1}", window)
    assert not keys.problems, "\n".join(keys.problems)


def test_no_two_controls_of_a_dialog_answer_the_same_key(
    qtbot: QtBot, main_window: MainWindow, services: Services, runner: TaskRunner, data_dir: Path
) -> None:
    window = main_window
    profile_id = _two_profiles(window, services, runner)
    keys = _Keys(runner)
    dialogs: list[tuple[str, QWidget]] = []
    window.show_section("evidence")
    runner.drain()
    capture = window.evidence.capture()
    assert capture is not None
    dialogs.append(("capture evidence", capture))
    preview = BragPreview([BragRow(2, date(2026, 1, 5), "Shipped")], ["row 3: no date"])
    dialogs.append(("import a brag document", BragImportDialog("brag.csv", preview, window)))
    dialogs.append(("goal", GoalDialog(GoalDraft("Lead", (), None), {"python": "Python"}, window)))
    profile = services.profiles.get(profile_id)
    dialogs.append(("edit profile", ProfileDialog(services, profile, window)))
    dialogs.append(("about", AboutDialog(data_dir, window)))
    for name, dialog in dialogs:
        keys.check(name, dialog)
        dialog.close()
    assert not keys.problems, "\n".join(keys.problems)
