"""The app's own Light and Dark palettes, a System setting, the style, and recoloured SVG
icons.

Offscreen, Qt reports no colour scheme, so tests and screenshots choose
Light or Dark through the setting; System follows the desktop and repaints
when it changes. The palettes are meant for the Fusion style, which follows
them on every platform; `Style` draws on it the few controls that Fusion
draws unreadably in a dark palette.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QByteArray, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QRadioButton,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QWidget,
)

from app.paths import resources_dir


class Appearance(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


_LIGHT = {
    QPalette.ColorRole.Window: "#f5f6f4",
    QPalette.ColorRole.WindowText: "#1d2320",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#eef1ee",
    QPalette.ColorRole.Text: "#1d2320",
    QPalette.ColorRole.Button: "#e9ece9",
    QPalette.ColorRole.ButtonText: "#1d2320",
    QPalette.ColorRole.Highlight: "#2f6f5e",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#ffffff",
    QPalette.ColorRole.ToolTipText: "#1d2320",
    QPalette.ColorRole.PlaceholderText: "#6b746f",
    QPalette.ColorRole.Link: "#1f6f9a",
    QPalette.ColorRole.Mid: "#c4cac5",
    QPalette.ColorRole.Dark: "#9aa39d",
}
_DARK = {
    QPalette.ColorRole.Window: "#1e2321",
    QPalette.ColorRole.WindowText: "#e3e8e4",
    QPalette.ColorRole.Base: "#151917",
    QPalette.ColorRole.AlternateBase: "#232a27",
    QPalette.ColorRole.Text: "#e3e8e4",
    QPalette.ColorRole.Button: "#2a312e",
    QPalette.ColorRole.ButtonText: "#e3e8e4",
    QPalette.ColorRole.Highlight: "#4fa98f",
    QPalette.ColorRole.HighlightedText: "#0d1311",
    QPalette.ColorRole.ToolTipBase: "#2a312e",
    QPalette.ColorRole.ToolTipText: "#e3e8e4",
    QPalette.ColorRole.PlaceholderText: "#8d9791",
    QPalette.ColorRole.Link: "#7cc3e8",
    QPalette.ColorRole.Mid: "#3c4541",
    QPalette.ColorRole.Dark: "#101412",
}
_DISABLED = {"light": "#9aa39d", "dark": "#6b746f"}


def _palette(colors: dict[QPalette.ColorRole, str], disabled: str) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def is_dark(appearance: Appearance) -> bool:
    if appearance is Appearance.SYSTEM:
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    return appearance is Appearance.DARK


def _mix(one: QColor, other: QColor, share: float) -> QColor:
    """`share` of `one` and the rest of `other`."""
    return QColor.fromRgbF(
        one.redF() * share + other.redF() * (1 - share),
        one.greenF() * share + other.greenF() * (1 - share),
        one.blueF() * share + other.blueF() * (1 - share),
    )


_State = QStyle.StateFlag
_CHECK_BOX = QStyle.PrimitiveElement.PE_IndicatorCheckBox  # in item views too
_RADIO = QStyle.PrimitiveElement.PE_IndicatorRadioButton
_SORT_ARROW = QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
_Sort = QStyleOptionHeader.SortIndicator
_FLIPPED = {_Sort.SortUp: _Sort.SortDown, _Sort.SortDown: _Sort.SortUp}
_Role = QPalette.ColorRole
_OUTLINE_SHARE = 0.6  # of Text in Base: 3.5:1 or more against Base and Window in both palettes
_CHOSEN_ALPHA = {"light": 0.2, "dark": 0.3}  # the tint of a chosen radio button's row


class Style(QProxyStyle):
    """Fusion, with the controls it draws unreadably in a dark palette drawn from the palette.

    Fusion outlines check boxes and radio buttons in a shade of Window, which
    vanishes on a dark Base. Here they are outlined in a mix of Text and Base
    (the accent when hovered or focused) and filled with the accent when on;
    a chosen radio button's row is tinted with the accent, in both palettes.
    A header's sort arrow points up for ascending and down for descending, as
    most desktop apps draw it (Qt's Fusion draws it the other way round).
    """

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        # Called for every primitive Qt draws (each table cell, say): the common case first.
        if element is not _CHECK_BOX and element is not _RADIO and element is not _SORT_ARROW:
            QProxyStyle.drawPrimitive(self, element, option, painter, widget)
        elif element is _SORT_ARROW:
            flipped = QStyleOptionHeader(option)  # type: ignore[call-overload]
            flipped.sortIndicator = _FLIPPED.get(flipped.sortIndicator, flipped.sortIndicator)
            QProxyStyle.drawPrimitive(self, element, flipped, painter, widget)
        else:
            radio = element is _RADIO
            if radio and option.state & _State.State_On and isinstance(widget, QRadioButton):
                _tint_chosen_row(option, painter, widget)
            _draw_indicator(option, painter, round_=radio)


def _tint_chosen_row(option: QStyleOption, painter: QPainter, widget: QWidget) -> None:
    """Under the whole radio button (its indicator is drawn before its text)."""
    palette = option.palette
    tint = QColor(palette.color(_Role.Highlight))
    dark = palette.color(_Role.Window).lightnessF() < 0.5
    tint.setAlphaF(_CHOSEN_ALPHA["dark" if dark else "light"])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(tint)
    painter.drawRoundedRect(QRectF(widget.rect()), 4, 4)
    painter.restore()


def _draw_indicator(option: QStyleOption, painter: QPainter, *, round_: bool) -> None:
    """A check box's square or a radio button's circle: outlined so that it reads on Base
    and Window alike, filled with the accent when on, with a mark in the accent's text
    colour (a tick, a bar for partly checked, a dot)."""
    palette, state = option.palette, option.state
    enabled = bool(state & _State.State_Enabled)
    on = bool(state & (_State.State_On | _State.State_NoChange))
    base, text = palette.color(_Role.Base), palette.color(_Role.Text)
    accent = palette.color(_Role.Highlight) if enabled else text
    outline = _mix(text, base, _OUTLINE_SHARE) if enabled else text
    focused = state & _State.State_HasFocus and state & _State.State_KeyboardFocusChange
    if enabled and (on or state & _State.State_MouseOver or focused):
        outline = accent
    fill = accent if on else base
    if enabled and state & _State.State_Sunken:
        fill = _mix(accent, base, 0.55 if on else 0.25)
    mark = palette.color(_Role.HighlightedText) if enabled else base

    rect = option.rect
    side = min(rect.width(), rect.height()) - 1
    left = rect.x() + (rect.width() - 1 - side) // 2
    top = rect.y() + (rect.height() - 1 - side) // 2
    box = QRectF(left + 0.5, top + 0.5, side, side)  # on pixel centres: a crisp 1 px outline
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(outline, 2.0 if focused else 1.0))
    painter.setBrush(fill)
    if round_:
        painter.drawEllipse(box)
    else:
        painter.drawRoundedRect(box, 2.0, 2.0)
    if on:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(mark)
        if round_:
            radius = side * 0.2
            painter.drawEllipse(box.center(), radius, radius)
        elif state & _State.State_NoChange:
            bar = QRectF(0, 0, side * 0.56, max(2.0, side * 0.14))
            bar.moveCenter(box.center())
            painter.drawRect(bar)
        else:
            tick = QPainterPath(QPointF(box.left() + side * 0.24, box.top() + side * 0.52))
            tick.lineTo(box.left() + side * 0.43, box.top() + side * 0.7)
            tick.lineTo(box.left() + side * 0.77, box.top() + side * 0.3)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(
                QPen(
                    mark,
                    max(1.5, side * 0.14),
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                    Qt.PenJoinStyle.RoundJoin,
                )
            )
            painter.drawPath(tick)
    painter.restore()


class Theme(QObject):
    """Applies an appearance to the application and keeps it current.

    Signals:
        changed(): the palette was replaced; recolour icons and repaint.
    """

    changed = Signal()

    def __init__(self, app: QApplication, appearance: Appearance) -> None:
        super().__init__(app)
        self._app = app
        self.appearance = appearance
        style = app.style()
        if not isinstance(style, Style):
            style = Style()
            app.setStyle(style)
        self.style = style
        app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)
        self.apply(appearance)

    def apply(self, appearance: Appearance) -> None:
        self.appearance = appearance
        dark = is_dark(appearance)
        self._app.setPalette(
            _palette(_DARK if dark else _LIGHT, _DISABLED["dark" if dark else "light"])
        )
        self.changed.emit()

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.appearance is Appearance.SYSTEM:
            self.apply(self.appearance)


def icon(name: str, color: QColor, size: int) -> QIcon:
    """A monochrome SVG from `resources/icons`, drawn in `color`, sharp at `size` pixels
    on the screen's pixel ratio."""
    svg = (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color.name()).encode()))
    result = QIcon()
    screen = QGuiApplication.primaryScreen()
    ratio = max(1.0, screen.devicePixelRatio() if screen else 1.0)
    pixmap = QPixmap(QSize(size, size) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    result.addPixmap(pixmap)
    return result


def app_icon() -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "rung.svg"))
