"""Backups: the data folder's copies of the database, newest first; back up, restore.

Every file operation runs on the `TaskRunner`. A restore replaces the content
of the database file under the open engine, so the engine's connections are
closed first and the data folder is opened again afterwards (which migrates
an older backup, as opening always does); `restored` then tells the window to
reload everything it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import Services
from app.services.backups import BackupInfo, backups_of
from ui import dialogs
from ui.table_model import RowTableModel
from ui.tasks import TaskRunner

INTRO_TEXT = (
    "Rung backs the database up before the first change of each day and before a migration, "
    "an import or a restore. It keeps 7 daily, 4 weekly and 12 monthly backups, the last "
    "10 of the others, and every manual one."
)
EMPTY_TEXT = (
    "No backups yet. Rung makes one before the first change of each day; "
    "“Back up now” makes one at once."
)
FILE_FILTER = "Rung databases (*.sqlite3 *.sqlite *.db);;All files (*)"
_REASONS = {
    "daily": "Daily",
    "manual": "Manual",
    "before-import": "Before an import",
    "before-restore": "Before a restore",
}


def reason_text(reason: str) -> str:
    """Why a backup was made, in words (`before-migration-from-0001` → "Before a migration")."""
    if reason in _REASONS:
        return _REASONS[reason]
    if reason.startswith("before-migration"):
        return "Before a migration"
    return reason.replace("-", " ").capitalize()


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024)):,} KiB"
    return f"{size / (1024 * 1024):,.1f} MiB"


def local_time(moment: datetime) -> str:
    """A UTC moment in the user's time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class BackupTableModel(RowTableModel[BackupInfo]):
    """The backups of a data folder, one row each, in the order they are listed (newest first)."""

    DATE, REASON, SIZE = range(3)
    HEADERS = ("Date", "Reason", "Size")

    def key(self, row: BackupInfo) -> str:
        return row.name

    def cell(self, row: BackupInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return local_time(row.created)
            if column == self.REASON:
                return reason_text(row.reason)
            if column == self.SIZE:
                return size_text(row.size)
        elif role == self.SORT_ROLE:
            if column == self.DATE:
                return row.created.isoformat()
            if column == self.REASON:
                return reason_text(row.reason)
            if column == self.SIZE:
                return row.size
        elif role == Qt.ItemDataRole.ToolTipRole:
            return row.name
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class BackupsPanel(QWidget):
    """The Backups section: the list, "Back up now", and restoring a backup or any file.

    Signals:
        restoring(): a restore is about to be queued; save anything pending first.
        restored(): the database was replaced; everything shown must be loaded again.
    """

    restoring = Signal()
    restored = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, data_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._data_dir = data_dir
        self._busy = False
        self._note = ""  # what the last restore did, shown above the summary

        self.intro = QLabel(INTRO_TEXT, self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)

        self.model = BackupTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(BackupTableModel.SORT_ROLE)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Backups")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(BackupTableModel.DATE, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(BackupTableModel.REASON, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for column, widest in (
            (BackupTableModel.DATE, "2026-12-31 23:59"),
            (BackupTableModel.SIZE, "1,023.9 MiB"),
        ):
            width = max(metrics.horizontalAdvance(widest) + 24, header.sectionSizeHint(column))
            header.resizeSection(column, width)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No backups")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.view)

        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Backups status")
        self.status.setToolTip(str(backups_of(data_dir).folder))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy: no known end
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName("Working")
        keep_room = self.progress.sizePolicy()
        keep_room.setRetainSizeWhenHidden(True)  # the list does not jump when work starts
        self.progress.setSizePolicy(keep_room)
        self.progress.hide()

        self.backup_button = QPushButton("Back up &now", self)
        self.backup_button.setToolTip("Copy the database into the backups folder now")
        self.backup_button.clicked.connect(self._on_backup_clicked)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setToolTip("Replace the data with the selected backup")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.restore_file_button = QPushButton("Restore from f&ile…", self)
        self.restore_file_button.setToolTip(
            "Replace the data with a Rung database file, e.g. from another computer"
        )
        self.restore_file_button.clicked.connect(self._on_restore_file_clicked)

        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.restore_file_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.pages, 1)
        layout.addLayout(status_row)
        layout.addLayout(buttons)
        self.setFocusProxy(self.view)
        QWidget.setTabOrder(self.view, self.backup_button)
        QWidget.setTabOrder(self.backup_button, self.restore_button)
        QWidget.setTabOrder(self.restore_button, self.restore_file_button)
        self._update_buttons()

    # -- public ----------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A backup or restore is running."""
        return self._busy

    def reload(self, select: str | None = None) -> None:
        """List the backups again (off the GUI thread), keeping the selection (or `select`)."""
        keep = select or self.selected_name()
        data_dir = self._data_dir
        self._runner.submit(
            lambda: backups_of(data_dir).all(),
            lambda rows: self._on_rows_loaded(rows, keep),
            owner=self,
            key="rows",
            on_error=self._on_load_failed,
        )

    def selected_name(self) -> str | None:
        info = self.selected_info()
        return info.name if info is not None else None

    def selected_info(self) -> BackupInfo | None:
        rows = self.model.selected_rows(self.view)
        return rows[0] if rows else None

    def select(self, name: str) -> bool:
        """Select a backup by name; False if it is not listed."""
        row = self.model.row_of(name)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def showEvent(self, event: QShowEvent) -> None:
        """Backups appear in the background (the first change of a day), so list them afresh."""
        super().showEvent(event)
        self._note = ""
        if not self._busy:
            self.reload()

    # -- loading ---------------------------------------------------------------

    def _on_rows_loaded(self, rows: list[BackupInfo], keep: str | None) -> None:
        self.model.set_rows(rows)
        self.pages.setCurrentWidget(self.view if rows else self.empty)
        if not self._busy:
            self.status.setText(" ".join(filter(None, (self._note, self._summary(rows)))))
        if rows and not (keep and self.select(keep)):
            first: BackupInfo = self.proxy.index(0, 0).data(BackupTableModel.ROW_ROLE)
            self.select(first.name)
        self._update_buttons()

    @staticmethod
    def _summary(rows: list[BackupInfo]) -> str:
        if not rows:
            return ""
        count = f"{len(rows)} backup{'' if len(rows) == 1 else 's'}"
        return f"{count}, {size_text(sum(b.size for b in rows))} in all."

    def _on_load_failed(self, error: BaseException) -> None:
        self.status.setText("The backups could not be listed.")
        self._runner.report_error(error)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    # -- working ---------------------------------------------------------------

    def _set_busy(self, message: str | None) -> None:
        """Show `message` with a busy bar while work runs; None when it is over."""
        self._busy = message is not None
        self.progress.setVisible(self._busy)
        if message is not None:
            self._note = ""
            self.status.setText(message)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.backup_button.setEnabled(not self._busy)
        self.restore_button.setEnabled(not self._busy and self.selected_info() is not None)
        self.restore_file_button.setEnabled(not self._busy)

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        def report(error: BaseException) -> None:
            self._set_busy(None)
            self.status.setText(what)
            self._runner.report_error(error)

        return report

    def _on_backup_clicked(self) -> None:
        if self._busy:
            return
        self._set_busy("Backing up…")
        data_dir = self._data_dir
        self._runner.submit(
            lambda: backups_of(data_dir).create(),
            self._on_backed_up,
            owner=self,
            on_error=self._failed("The backup was not made."),
        )

    def _on_backed_up(self, info: BackupInfo) -> None:
        self._set_busy(None)
        self.reload(select=info.name)

    def _on_restore_clicked(self) -> None:
        info = self.selected_info()
        if info is None or self._busy:
            return
        what = f"the backup of {local_time(info.created)} ({reason_text(info.reason).lower()})"
        if self._confirm_restore(what):
            self._restore(info.name, what)

    def _on_restore_file_clicked(self) -> None:
        if self._busy:
            return
        path = dialogs.open_file(self, "Restore from a file", FILE_FILTER)
        if path is not None and self._confirm_restore(f"the database in {path.name}"):
            self._restore(str(path), path.name)

    def _confirm_restore(self, what: str) -> bool:
        return dialogs.confirm(
            self,
            "Restore",
            f"Replace all of Rung's data with {what}? The current state is backed up "
            "first, so you can undo this by restoring that backup.",
            "Restore",
        )

    def _restore(self, source: str, what: str) -> None:
        self.restoring.emit()
        self._set_busy(f"Restoring {what}…")
        services, data_dir = self._services, self._data_dir
        self._runner.submit(
            lambda: services.restore(data_dir, source),
            lambda result: self._on_restored(what, result[1]),
            owner=self,
            on_error=self._failed("Nothing was restored."),
        )

    def _on_restored(self, what: str, before: BackupInfo | None) -> None:
        self._set_busy(None)
        self._note = f"Restored {what}."
        if before is not None:
            when = local_time(before.created)
            self._note += f" The data it replaced is kept as the backup of {when}."
        self.reload(select=before.name if before is not None else None)
        self.restored.emit()
