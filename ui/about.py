"""The About dialog: version, data folder, and the licences of what Rung bundles."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from PySide6 import QtCore
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.log import log_path
from app.paths import APP_NAME, resources_dir
from app.services import SQLITE_VERSION, sqlite_version_note

# (name, licence as an SPDX id, where to read it); extend as libraries are bundled.
LIBRARIES: tuple[tuple[str, str, str], ...] = (
    ("Qt 6 / PySide6", "LGPL-3.0", "https://doc.qt.io/qtforpython-6/licenses.html"),
    ("SQLAlchemy", "MIT", "https://github.com/sqlalchemy/sqlalchemy/blob/main/LICENSE"),
    ("Alembic", "MIT", "https://github.com/sqlalchemy/alembic/blob/main/LICENSE"),
    ("pydantic", "MIT", "https://github.com/pydantic/pydantic/blob/main/LICENSE"),
    ("PyYAML", "MIT", "https://github.com/yaml/pyyaml/blob/main/LICENSE"),
    ("ReportLab", "BSD-3-Clause", "https://pypi.org/project/reportlab/"),
    ("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs/blob/main/LICENSE"),
    ("rfc8785", "Apache-2.0", "https://github.com/trailofbits/rfc8785.py/blob/main/LICENSE"),
    ("icalendar", "BSD-2-Clause", "https://github.com/collective/icalendar/blob/main/LICENSE.rst"),
    ("filelock", "MIT", "https://github.com/tox-dev/filelock/blob/main/LICENSE"),
    (
        "python-bidi",
        "LGPL-3.0-or-later",
        "https://github.com/MeirKriheli/python-bidi/blob/master/COPYING.LESSER",
    ),
    (
        "arabic-reshaper",
        "MIT",
        "https://github.com/mpcabd/python-arabic-reshaper/blob/master/LICENSE",
    ),
    (
        "openpyxl",
        "MIT",
        "https://foss.heptapod.net/openpyxl/openpyxl/-/blob/branch/3.1/LICENCE.rst",
    ),
    (
        "et-xmlfile",
        "MIT",
        "https://foss.heptapod.net/openpyxl/et_xmlfile/-/blob/branch/2.0/LICENCE.rst",
    ),
    ("defusedxml", "PSF-2.0", "https://github.com/tiran/defusedxml/blob/main/LICENSE"),
    (
        "pygit2",
        "GPL-2.0-only WITH GCC-exception-2.0",
        "https://github.com/libgit2/pygit2/blob/master/COPYING",
    ),
    ("Python", "PSF-2.0", "https://docs.python.org/3/license.html"),
)
_FONT_LICENCES = resources_dir() / "fonts"
# (name, licence as an SPDX id, its text shipped beside the font) of each bundled font.
FONTS: tuple[tuple[str, str, str], ...] = (
    ("DejaVu Sans", "Bitstream-Vera", str(_FONT_LICENCES / "LICENSE-DejaVu.txt")),
    ("Droid Sans Fallback", "Apache-2.0", str(_FONT_LICENCES / "LICENSE-DroidSansFallback.txt")),
    ("Nanum Gothic", "OFL-1.1", str(_FONT_LICENCES / "LICENSE-NanumGothic.txt")),
)

# The installed distributions whose version stands for a library, first found wins.
_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "SQLAlchemy": ("SQLAlchemy",),
    "Alembic": ("alembic",),
    "pydantic": ("pydantic",),
    "PyYAML": ("PyYAML",),
    "ReportLab": ("reportlab",),
    "platformdirs": ("platformdirs",),
    "rfc8785": ("rfc8785",),
    "icalendar": ("icalendar",),
    "filelock": ("filelock",),
    "python-bidi": ("python-bidi",),
    "arabic-reshaper": ("arabic-reshaper",),
    "openpyxl": ("openpyxl",),
    "et-xmlfile": ("et-xmlfile", "et_xmlfile"),
    "defusedxml": ("defusedxml",),
    "pygit2": ("pygit2",),
}


def library_version(name: str) -> str | None:
    """The version in use, where it is known."""
    if name == "Python":
        return platform.python_version()
    if name == "Qt 6 / PySide6":
        pyside = _distribution_version(("PySide6", "PySide6-Essentials"))
        qt = QtCore.qVersion()
        return f"Qt {qt}, PySide6 {pyside}" if pyside else f"Qt {qt}"
    return _distribution_version(_DISTRIBUTIONS.get(name, (name,)))


def _distribution_version(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return None


def _caption(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _plain_label(text: str, parent: QWidget, name: str) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


class AboutDialog(QDialog):
    """Who made what: the app's version, where its data lives, and third-party licences."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(780)
        layout = QVBoxLayout(self)

        self.title = _plain_label(f"{APP_NAME} {__version__}", self, "Application and version")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        layout.addWidget(
            _plain_label(
                "Offline career-ladder check-ins, growth charts and promotion-readiness reports.",
                self,
                "Description",
            )
        )

        layout.addSpacing(8)
        folder_caption = _caption("Data &folder", self)
        layout.addWidget(folder_caption)
        self.data_folder = _plain_label(str(data_dir), self, "Data folder")
        self.data_folder.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.data_folder.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        folder_caption.setBuddy(self.data_folder)
        layout.addWidget(self.data_folder)
        self.log_file = _plain_label(
            f"Errors that are bugs are written, with their details and never your notes, to "
            f"{log_path(data_dir)}; send it with a bug report.",
            self,
            "Log of errors",
        )
        self.log_file.setWordWrap(True)
        layout.addWidget(self.log_file)
        self.sqlite = _plain_label(
            sqlite_version_note() or f"SQLite {SQLITE_VERSION}.", self, "SQLite"
        )
        self.sqlite.setWordWrap(True)
        layout.addWidget(self.sqlite)

        layout.addSpacing(8)
        libraries_caption = _caption("Bundled &libraries", self)
        layout.addWidget(libraries_caption)
        self.libraries = QTableWidget(len(LIBRARIES), 4, self)
        self.libraries.setAccessibleName("Bundled libraries and their licences")
        self.libraries.setHorizontalHeaderLabels(("Library", "Version", "Licence", "Source"))
        self.libraries.verticalHeader().hide()
        self.libraries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.libraries.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.libraries.setTabKeyNavigation(False)
        self.libraries.setWordWrap(False)
        self.libraries.setAlternatingRowColors(True)
        self.libraries.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for row, (name, licence, url) in enumerate(LIBRARIES):
            for column, text in enumerate((name, library_version(name) or "—", licence, url)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.libraries.setItem(row, column, item)
        header = self.libraries.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.libraries.setSizeAdjustPolicy(QTableWidget.SizeAdjustPolicy.AdjustToContents)
        self.libraries.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.libraries.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        libraries_caption.setBuddy(self.libraries)
        self.libraries.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.libraries)

        layout.addSpacing(8)
        layout.addWidget(_caption("Bundled fonts", self))
        fonts_text = "\n".join(f"{name}: {licence} ({path})" for name, licence, path in FONTS)
        self.fonts = _plain_label(fonts_text, self, "Bundled fonts")
        layout.addWidget(self.fonts)

        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.close_button = close
        close.setDefault(True)
        close.setFocus()
