"""The desktop app draws CJK and Hangul with the bundled fonts, not as boxes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QRawFont, QTextLayout
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.paths import resources_dir
from ui.fonts import load_bundled_fonts

pytestmark = pytest.mark.gui

BUNDLED = {"DejaVu Sans", "Droid Sans Fallback", "NanumGothic"}

# The faces Qt draws each text in and whether any glyph is a box (glyph 0), before and
# after loading the bundled fonts.
_PROBE = """
import json, sys
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication
from ui.fonts import load_bundled_fonts

def faces(text):
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    boxes = any(0 in run.glyphIndexes() for run in runs)
    return sorted({run.rawFont().familyName() for run in runs}), boxes

app = QApplication([])
before = {text: faces(text) for text in sys.argv[1:]}
load_bundled_fonts()
after = {text: faces(text) for text in sys.argv[1:]}
print(json.dumps({"before": before, "after": after}))
"""


def drawn_faces(text: str, font: QFont) -> set[str]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def test_bundled_families_are_available(qtbot: QtBot) -> None:
    load_bundled_fonts()
    assert set(QFontDatabase.families()) >= BUNDLED
    assert QRawFont.fromFont(QFont("Droid Sans Fallback")).supportsCharacter(ord("李"))
    assert QRawFont.fromFont(QFont("NanumGothic")).supportsCharacter(ord("승"))
    label = QLabel("Zoë 李雷 승진 Привет")
    qtbot.addWidget(label)
    assert not label.grab().isNull()
    for text in ("李雷", "승진"):
        faces = drawn_faces(text, label.font())
        assert faces, text
        assert all(QRawFont.fromFont(QFont(face)).supportsCharacter(ord(text[0])) for face in faces)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs fontconfig")
def test_a_machine_without_cjk_fonts_draws_them_after_loading(tmp_path: Path) -> None:
    """With fontconfig seeing only DejaVu Sans, CJK and Hangul can come only from the bundle.

    (Qt crashes drawing text with no font at all, so DejaVu Sans stands for the system's.)
    """
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "DejaVuSans.ttf").symlink_to(resources_dir() / "fonts" / "DejaVuSans.ttf")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        f"<dir>{tmp_path / 'fonts'}</dir>\n<cachedir>{tmp_path / 'cache'}</cachedir>\n"
        "</fontconfig>\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "Zoë Привет", "李雷", "ひらがな", "승진"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
    )
    probe = json.loads(result.stdout)
    assert probe["before"]["李雷"][1], "a CJK font was found before loading the bundled ones"
    assert probe["before"]["승진"][1]
    for text, (faces, boxes) in probe["after"].items():
        assert not boxes, text
        assert set(faces) <= BUNDLED, text
    assert probe["after"]["ひらがな"][0] == ["Droid Sans Fallback"]
    assert probe["after"]["승진"][0] == ["NanumGothic"]
