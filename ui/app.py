"""Starting the desktop app: the QApplication, the main window and `--smoke-test`."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import __version__
from app.errors import RungError
from app.paths import APP_NAME


def run(data_dir: Path, *, smoke_test: bool = False) -> int:
    """Open the main window on `data_dir`; with `smoke_test`, draw it once and exit."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("rung")

    from app.services import open_services
    from ui.main_window import MainWindow

    try:
        services = open_services(data_dir)
    except RungError as exc:
        if smoke_test:
            raise
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = MainWindow(services)
    window.show()
    if smoke_test:
        app.processEvents()
        window.grab()
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    services.close()
    return code
