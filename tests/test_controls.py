"""Controls that read in both palettes: visible check boxes and radio buttons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.theme import Appearance, Theme

pytestmark = pytest.mark.gui


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
