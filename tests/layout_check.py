"""Layout checks for a shown top-level widget: text that does not fit, widgets that overlap.

Each check returns human-readable problems (an empty list when all is well):

* `text_problems`: a visible label, check box, radio button, push button or
  group box whose text needs more room than it has. A word-wrapped label must
  be tall enough for its wrapped text (`heightForWidth`) and wide enough for
  its longest word. A widget whose dynamic property `elides` is true shortens
  its text on purpose and is skipped.
* `overlap_problems`: two visible siblings whose geometries intersect (touching
  is fine), and a visible child that sticks out of its parent, where Qt clips it.
  Inside a scroll area the scrolled content is checked too (scrolling reaches
  it), but it may of course extend past the viewport.

Only what is visible to the window counts: hidden pages of a QStackedWidget,
hidden widgets and separate windows (popups, menus) are left out, and so are
the internals of scroll areas, spin boxes and combo boxes that Qt lays out.
"""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QWidget,
)

ELIDES = "elides"  # set this dynamic property to True on a widget that elides on purpose


def check_layout(window: QWidget) -> list[str]:
    """Every problem `text_problems` and `overlap_problems` find in `window`."""
    return text_problems(window) + overlap_problems(window)


def describe(widget: QWidget, window: QWidget | None = None) -> str:
    """`QLabel 'Step 1 of 10…' (x, y w×h) in QGroupBox 'Python' < CheckInPanel`."""
    parts = [_name(widget)]
    geometry = widget.geometry()
    parts.append(f"({geometry.x()}, {geometry.y()} {geometry.width()}×{geometry.height()})")
    ancestors = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window and len(ancestors) < 4:
        ancestors.append(_name(parent))
        parent = parent.parentWidget()
    if ancestors:
        parts.append("in " + " < ".join(ancestors))
    return " ".join(parts)


def _name(widget: QWidget) -> str:
    kind = type(widget).__name__
    if not type(widget).__module__.startswith("PySide6"):
        kind = f"{kind}({type(widget).__mro__[1].__name__})"
    text = widget.objectName() or widget.accessibleName() or _text(widget)
    if len(text) > 40:
        text = text[:39] + "…"
    return f"{kind} {text!r}" if text else kind


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return ""


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget is window or (not widget.isWindow() and widget.isVisibleTo(window))


def _visible_widgets(window: QWidget) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if _shown(w, window) and not _internal(w)]


def _internal(widget: QWidget) -> bool:
    """A part of a compound widget that Qt itself lays out (not the app's business)."""
    if isinstance(widget, QScrollBar):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        if isinstance(parent, QAbstractScrollArea) and not _is_viewport_content(widget, parent):
            return True
        parent = parent.parentWidget()
    return False


def _is_viewport_content(widget: QWidget, area: QAbstractScrollArea) -> bool:
    """Whether `widget` lies inside the scrolled content of `area` (a QScrollArea's widget)."""
    viewport = area.viewport()
    parent: QWidget | None = widget
    while parent is not None and parent is not area:
        if parent.parentWidget() is viewport:
            return parent is not viewport
        parent = parent.parentWidget()
    return False


def _elides(widget: QWidget) -> bool:
    return bool(widget.property(ELIDES))


# -- text ----------------------------------------------------------------------


def text_problems(window: QWidget) -> list[str]:
    problems: list[str] = []
    for widget in _visible_widgets(window):
        if _elides(widget):
            continue
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
        elif isinstance(widget, QPushButton | QCheckBox | QRadioButton):
            problem = _button_problem(widget)
        elif isinstance(widget, QGroupBox):
            problem = _group_box_problem(widget)
        else:
            problem = None
        if problem:
            problems.append(f"{describe(widget, window)}: {problem}")
    return problems


def _label_problem(label: QLabel) -> str | None:
    if not label.text():  # an image, a movie or nothing
        return None
    width, height = label.width(), label.height()
    if label.wordWrap():
        longest_word = label.minimumSizeHint().width()
        if longest_word > width:
            return f"its longest word needs {longest_word} px but the label is {width} px wide"
        needed = label.heightForWidth(width)
        if needed > height:
            return (
                f"the wrapped text needs {needed} px of height at {width} px wide "
                f"but the label is {height} px tall"
            )
        return None
    hint = label.sizeHint()
    if hint.width() > width:
        return f"the text needs {hint.width()} px but the label is {width} px wide"
    if hint.height() > height:
        return f"the text needs {hint.height()} px of height but the label is {height} px tall"
    return None


_CONTENTS = {
    QPushButton: QStyle.SubElement.SE_PushButtonContents,
    QCheckBox: QStyle.SubElement.SE_CheckBoxContents,
    QRadioButton: QStyle.SubElement.SE_RadioButtonContents,
}


def _button_problem(button: QAbstractButton) -> str | None:
    if not button.text():
        return None
    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = next(e for kind, e in _CONTENTS.items() if isinstance(button, kind))
    room = button.style().subElementRect(element, option, button)
    text = button.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, button.text())
    needed = text.width()
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if needed > room.width():
        return f"the text needs {needed} px but there are {room.width()} px for it"
    if text.height() > room.height():
        return f"the text needs {text.height()} px of height but there are {room.height()} px"
    return None


def _group_box_problem(box: QGroupBox) -> str | None:
    if not box.title():
        return None
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    label = box.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    needed = box.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, box.title()).width()
    if needed > label.width() or label.right() >= box.width():
        room = min(label.width(), box.width() - label.left())
        return f"the title needs {needed} px but there are {room} px for it"
    return None


# -- overlap -------------------------------------------------------------------


def overlap_problems(window: QWidget) -> list[str]:
    problems: list[str] = []
    shown = _visible_widgets(window)
    children: dict[int, list[QWidget]] = {}
    parents: dict[int, QWidget] = {}
    for widget in shown:
        parent = widget.parentWidget()
        if parent is None:
            continue
        children.setdefault(id(parent), []).append(widget)
        parents[id(parent)] = parent
    for key, siblings in children.items():
        parent = parents[key]
        scrolled = isinstance(parent.parentWidget(), QAbstractScrollArea) and (
            parent is parent.parentWidget().viewport()
        )
        inside = QRect(QPoint(0, 0), parent.size())
        for widget in siblings:
            geometry = widget.geometry()
            if not scrolled and not geometry.isEmpty() and not inside.contains(geometry):
                problems.append(
                    f"{describe(widget, window)} sticks out of its parent "
                    f"{_name(parent)} ({parent.width()}×{parent.height()}) and is cut off"
                )
        for first, second in combinations(siblings, 2):
            common = first.geometry().intersected(second.geometry())
            if not common.isEmpty():
                problems.append(
                    f"{describe(first, window)} overlaps {describe(second, window)} "
                    f"by {common.width()}×{common.height()} px"
                )
    return problems
