"""The fonts Rung ships, made available to Qt so that no script shows as boxes.

On a machine without CJK or Hangul fonts, Chinese, Japanese and Korean text
would be drawn as empty boxes; Qt falls back to these faces for what the
system fonts lack. They are the same files the PDF report embeds.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from app.paths import resources_dir


def load_bundled_fonts() -> None:
    """Add every font in `resources/fonts` to the application's font database.

    A file that fails to load costs only its glyphs, so it is not an error.
    """
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
