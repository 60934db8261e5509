"""The app's own Light and Dark palettes, a System setting, and recoloured SVG icons.

Offscreen, Qt reports no colour scheme, so tests and screenshots choose
Light or Dark through the setting; System follows the desktop and repaints
when it changes. The palettes are meant for the Fusion style, which follows
them on every platform; `ui.app` chooses it as it creates the application.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

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
