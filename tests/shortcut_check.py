"""Keys that two controls of a shown window answer at once: colliding mnemonics and shortcuts.

`collisions(window)` returns human-readable problems (an empty list when all
is well). It collects, from what is visible in the window (enabled or not: a
disabled button is enabled again soon enough):

* mnemonics (Alt+letter, as `QKeySequence.mnemonic` reads them) of buttons,
  check boxes, radio buttons, group boxes, tabs, labels with a buddy and the
  menu bar's menus;
* shortcuts of actions (in the window's menus or added to its widgets) and of
  `QShortcut`s; one that works only while its widget (or, for
  `WidgetWithChildrenShortcut`, one of its children) has the focus is compared
  with the window's own keys and with the other keys of that widget only (a
  digit rates the focused skill row of the check-in: each row answers it).

A dialog button box's standard button (Save, Cancel) has no mnemonic
offscreen, but GNOME's and KDE's platform themes give it its first letter
("&Save"), so it counts with that one. Within each menu, the mnemonics of its
items must differ as well (they work only while the menu is open). Separate
windows (dialogs) are checked on their own.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

from tests.layout_check import describe

_Owners = dict[str, list[str]]  # a key (portable text) → what answers it


def collisions(window: QWidget) -> list[str]:
    """Every key that more than one control of `window` answers, and every menu whose items
    share a mnemonic."""
    shared: _Owners = defaultdict(list)  # keys that work anywhere in the window
    focused: dict[int, tuple[QWidget, _Owners]] = {}  # keys that work in one widget only
    for key, owner in _mnemonics(window):
        shared[key].append(owner)
    for keys, context, widget, owner in _shortcuts(window):
        for key in keys:
            scoped = context in {
                Qt.ShortcutContext.WidgetShortcut,
                Qt.ShortcutContext.WidgetWithChildrenShortcut,
            }
            if scoped and widget is not None:
                focused.setdefault(id(widget), (widget, defaultdict(list)))[1][key].append(owner)
            else:
                shared[key].append(owner)
    problems = [_problem(key, owners) for key, owners in shared.items() if len(owners) > 1]
    for _widget, keys in focused.values():
        for key, owners in keys.items():
            everyone = owners + shared.get(key, [])
            if len(everyone) > 1:
                problems.append(_problem(key, everyone))
    for menu in _menus(window):
        problems += _menu_problems(menu)
    return problems


def _problem(key: str, owners: list[str]) -> str:
    return f"{key} is answered by {len(owners)}: " + "; ".join(owners)


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget is window or (widget.window() is window and widget.isVisibleTo(window))


def _mnemonic(text: str) -> str | None:
    key = QKeySequence.mnemonic(text)
    return key.toString(QKeySequence.SequenceFormat.PortableText) if not key.isEmpty() else None


def _mnemonics(window: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def add(text: str, owner: str) -> None:
        key = _mnemonic(text)
        if key is not None:
            found.append((key, owner))

    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        if isinstance(widget, QAbstractButton):
            add(_desktop_text(widget), describe(widget, window))
        elif isinstance(widget, QGroupBox):
            add(widget.title(), describe(widget, window))
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            add(widget.text(), describe(widget, window))
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    add(widget.tabText(index), f"tab {widget.tabText(index)!r} of {_name(widget)}")
        elif isinstance(widget, QMenuBar):
            for action in widget.actions():
                if action.isVisible():
                    add(action.text(), f"menu {action.text()!r}")
    return found


def _desktop_text(button: QAbstractButton) -> str:
    """A button's text as a desktop's platform theme may show it (see the module's note)."""
    text = button.text()
    box = button.parentWidget()
    if "&" in text or not isinstance(box, QDialogButtonBox):
        return text
    if box.standardButton(button) == QDialogButtonBox.StandardButton.NoButton:
        return text
    return "&" + text


def _name(widget: QWidget) -> str:
    return widget.accessibleName() or widget.objectName() or type(widget).__name__


def _menus(window: QWidget) -> list[QMenu]:
    """The menus the window's menu bar opens, submenus included."""
    bars = [bar for bar in window.findChildren(QMenuBar) if _shown(bar, window)]
    menus: list[QMenu] = []
    pending = [action for bar in bars for action in bar.actions()]
    while pending:
        action = pending.pop(0)
        menu = action.menu()
        if isinstance(menu, QMenu) and action.isVisible() and menu not in menus:
            menus.append(menu)
            pending += menu.actions()
    return menus


def _menu_problems(menu: QMenu) -> list[str]:
    keys: _Owners = defaultdict(list)
    for action in menu.actions():
        if action.isVisible() and not action.isSeparator():
            key = _mnemonic(action.text())
            if key is not None:
                keys[key].append(f"{action.text()!r}")
    return [
        f"in the menu {menu.title()!r}: " + _problem(key, owners)
        for key, owners in keys.items()
        if len(owners) > 1
    ]


def _shortcuts(
    window: QWidget,
) -> list[tuple[list[str], Qt.ShortcutContext, QWidget | None, str]]:
    """(keys, context, the widget they belong to, a description) of each live shortcut."""
    found: list[tuple[list[str], Qt.ShortcutContext, QWidget | None, str]] = []
    menus = set(_menus(window))
    actions: dict[int, tuple[QAction, QWidget | None]] = {}
    for widget in [window, *window.findChildren(QWidget)]:
        if widget is not window and not (_shown(widget, window) or widget in menus):
            continue
        for action in widget.actions():
            owner = None if isinstance(widget, QMenu) or widget is window else widget
            actions.setdefault(id(action), (action, owner))
    for action, owner in actions.values():
        keys = _keys(action.shortcuts())
        if keys and action.isVisible():
            where = f"the action {action.text()!r}"
            found.append((keys, action.shortcutContext(), owner, where))
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        widget = parent if isinstance(parent, QWidget) else None
        if widget is not None and not _shown(widget, window):
            continue
        keys = _keys(shortcut.keys())
        if keys and shortcut.isEnabled():
            where = f"a shortcut of {_owner_name(parent)}"
            found.append((keys, shortcut.context(), widget, where))
    return found


def _keys(sequences: list[QKeySequence]) -> list[str]:
    return [
        key.toString(QKeySequence.SequenceFormat.PortableText)
        for key in sequences
        if not key.isEmpty()
    ]


def _owner_name(owner: QObject | None) -> str:
    if isinstance(owner, QWidget):
        return _name(owner)
    return type(owner).__name__
