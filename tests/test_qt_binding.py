"""The Qt binding keeps Python's reference counts straight (PySide6 6.12.0 did not).

On Python 3.11, PySide6 6.12.0 dropped one reference to None on every Qt call
returning nothing; drawing a big chart makes thousands of such calls, and the
process aborted with "none_dealloc". pyproject.toml keeps us off that release.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import QObject
from PySide6.QtPdfWidgets import QPdfView
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.gui


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_qt_calls_keep_the_reference_count_of_none(qapp: object) -> None:
    series = QLineSeries()
    holder = QObject()
    before = sys.getrefcount(None)
    for index in range(2000):
        series.append(float(index), float(index))
        holder.setObjectName("x")
    assert sys.getrefcount(None) - before > -50  # a leak would be about -4000


def test_the_pdf_viewer_for_the_report_preview_is_available(qtbot: QtBot) -> None:
    view = QPdfView()
    qtbot.addWidget(view)
    assert view.pageMode() == QPdfView.PageMode.SinglePage
