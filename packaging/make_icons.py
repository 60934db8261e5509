"""Render the app icon, `resources/icons/rung.svg`, into every format the installers need.

    python packaging/make_icons.py     # needs PySide6 and Pillow (the `packaging` extra)

Writes into `packaging/icons/`: PNGs in the freedesktop `hicolor` layout, a
Windows `rung.ico` and a macOS `rung.icns`, each size drawn from the SVG
rather than scaled from a bitmap, so small sizes stay sharp. `rung.svg.sha256`
records the source they were made from; `build.py` remakes them when the SVG
changes, and a test checks that the committed ones are current.
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "rung.svg"
ICONS = ROOT / "packaging" / "icons"
STAMP = ICONS / "rung.svg.sha256"
# The sizes desktops look for in hicolor; .ico and .icns take their own sets.
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def source_digest() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()


def is_current() -> bool:
    """Whether the icons in `packaging/icons/` were made from the SVG as it is now."""
    return STAMP.is_file() and STAMP.read_text(encoding="utf-8").split()[0] == source_digest()


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        sys.exit(f"{SOURCE} is not an SVG that Qt can draw.")

    def png(size: int) -> bytes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        return bytes(data.data())

    def pillow(sizes: tuple[int, ...]) -> list[Image.Image]:
        """Images of `sizes`, largest first (Pillow takes the first as the base)."""
        return [Image.open(io.BytesIO(png(size))) for size in sorted(sizes, reverse=True)]

    for size in HICOLOR_SIZES:
        target = ICONS / "hicolor" / f"{size}x{size}" / "apps" / "rung.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png(size))
    ico = pillow(ICO_SIZES)
    ico[0].save(
        ICONS / "rung.ico", format="ICO", sizes=[i.size for i in ico], append_images=ico[1:]
    )
    icns = pillow(ICNS_SIZES)
    icns[0].save(ICONS / "rung.icns", format="ICNS", append_images=icns[1:])
    STAMP.write_text(f"{source_digest()}  resources/icons/rung.svg\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
