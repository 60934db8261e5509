"""History: every check-in of a profile, newest first, and one check-in's detail, read-only.

The table model holds only the `CheckInInfo` rows (ten years of weekly
check-ins are 520 small rows); a check-in's detail is loaded when it is
selected. All database work goes through the `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeySequence,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextLength,
    QTextTableFormat,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.framework.model import Framework
from app.services import Services
from app.services.checkins import CheckInDetail, CheckInInfo
from app.services.profiles import StageInfo
from ui import dialogs
from ui.table_model import AnyIndex, RowTableModel
from ui.tasks import TaskRunner

EMPTY_TEXT = "No check-ins yet. Each check-in you finalise is listed here."
NO_SELECTION_TEXT = "Select a check-in to see what it recorded."
WIDE_LAYOUT = 880  # narrower than this, the detail goes below the list
_MILESTONE_STATUS = {
    "not-started": "not started",
    "in-progress": "in progress",
    "done": "done",
    "not-applicable": "not applicable",
}
_REFLECTION = (("wins", "Wins"), ("blockers", "Blockers"), ("focus", "Focus"))


class CheckInTableModel(RowTableModel[CheckInInfo]):
    """The check-ins of one profile, one row each, in the order the service lists them."""

    DATE, STATUS, RATINGS, CHANGED = range(4)
    HEADERS = ("Date", "Status", "Ratings", "Changed")
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    def key(self, row: CheckInInfo) -> str:
        return row.id

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        column = index.column()
        final = row.status == "final"
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return row.date.isoformat()
            if column == self.STATUS:
                return "Final" if final else "Draft"
            if column == self.RATINGS:
                return str(row.ratings)
            if column == self.CHANGED:
                return str(row.changed) if final else "—"
        elif role == self.SORT_ROLE:
            if column == self.DATE:
                # Same-day check-ins in the order they were finalised; a draft last.
                done = row.finalized_at.isoformat() if row.finalized_at else "~"
                return f"{row.date.isoformat()} {done}"
            if column == self.STATUS:
                return row.status
            if column == self.RATINGS:
                return row.ratings
            if column == self.CHANGED:
                return row.changed if final else -1
        elif role == self.ID_ROLE:
            return row.id
        elif role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.RATINGS, self.CHANGED):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.CHANGED:
            return (
                "Skills whose rating differs from the one before"
                if final
                else "Counted once the check-in is final"
            )
        return None


@dataclass(frozen=True)
class LoadedDetail:
    """A check-in with the framework and stage in force on its date."""

    detail: CheckInDetail
    framework: Framework
    stage: StageInfo


def load_detail(services: Services, checkin_id: str) -> LoadedDetail:
    detail = services.checkins.detail(checkin_id)
    stage = services.profiles.get(detail.info.profile_id).stage_on(detail.info.date)
    framework = services.frameworks.get(stage.framework, stage.framework_version)
    return LoadedDetail(detail, framework, stage)


def _local(moment: datetime) -> str:
    """A stored naive-UTC time in the user's time zone."""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def _number(value: float, unit: str | None) -> str:
    text = f"{value:g}"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" or unit.startswith("/") else f"{text} {unit}"


class _DocumentWriter:
    """Writes the detail into a QTextDocument.

    Every piece of user text goes in through `QTextCursor.insertText`, which
    never interprets markup: notes appear exactly as typed.
    """

    def __init__(self, editor: QTextEdit) -> None:
        # The application's palette: on a palette change the editor's own may not be
        # updated yet when the detail is rewritten.
        palette = QApplication.palette(editor)
        self._document = editor.document()
        self._document.clear()
        self._document.setDocumentMargin(10)
        self._cursor = QTextCursor(self._document)
        self._plain = QTextCharFormat()
        self._bold = QTextCharFormat()
        self._bold.setFontWeight(QFont.Weight.Bold)
        self._heading = QTextCharFormat(self._bold)
        self._heading.setFontPointSize(editor.font().pointSizeF() * 1.2)
        self._title = QTextCharFormat(self._bold)
        self._title.setFontPointSize(editor.font().pointSizeF() * 1.45)
        self._muted = QTextCharFormat()
        self._muted.setForeground(palette.placeholderText())
        self._rule = palette.mid()
        self._shade = palette.alternateBase()
        self._first = True

    def _block(self, top_margin: float) -> None:
        if self._first:
            self._first = False
        else:
            self._cursor.insertBlock()
        block = self._cursor.blockFormat()
        block.setTopMargin(top_margin)
        block.setBottomMargin(0)
        self._cursor.setBlockFormat(block)

    def title(self, text: str) -> None:
        self._block(0)
        self._cursor.insertText(text, self._title)

    def heading(self, text: str) -> None:
        self._block(16)
        self._cursor.insertText(text, self._heading)

    def line(self, text: str, *, muted: bool = False) -> None:
        self._block(2)
        self._cursor.insertText(text, self._muted if muted else self._plain)

    def field(self, label: str, text: str | None) -> None:
        self._block(4)
        self._cursor.insertText(f"{label}: ", self._bold)
        if text:
            self._cursor.insertText(text, self._plain)
        else:
            self._cursor.insertText("—", self._muted)

    def table(
        self, headers: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]
    ) -> None:
        """A full-width table; `widths` are percentages, 0 leaving a column to its content."""
        self._block(4)
        table_format = QTextTableFormat()
        table_format.setCellPadding(4)
        table_format.setCellSpacing(0)
        table_format.setBorder(1)
        table_format.setBorderBrush(self._rule)
        table_format.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        table_format.setBorderCollapse(True)
        table_format.setHeaderRowCount(1)
        table_format.setBottomMargin(12)
        table_format.setWidth(QTextLength(QTextLength.Type.PercentageLength, 99))
        table_format.setColumnWidthConstraints(
            [
                QTextLength(QTextLength.Type.PercentageLength, w)
                if w
                else QTextLength(QTextLength.Type.VariableLength, 0)
                for w in widths
            ]
        )
        table = self._cursor.insertTable(len(rows) + 1, len(headers), table_format)
        for column, header in enumerate(headers):
            cell = table.cellAt(0, column)
            cell_format = cell.format()
            cell_format.setBackground(self._shade)
            cell.setFormat(cell_format)
            cell.firstCursorPosition().insertText(header, self._bold)
        for number, row in enumerate(rows, start=1):
            for column, text in enumerate(row):
                table.cellAt(number, column).firstCursorPosition().insertText(text, self._plain)
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self._first = True  # the cursor already sits in a fresh block after the table

    def table_or_line(
        self, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], empty: str
    ) -> None:
        """A table of `rows` whose columns fit their content, or `empty` when there are none."""
        if rows:
            self.table(headers, list(rows), (0,) * len(headers))
        else:
            self.line(empty, muted=True)

    def finish(self) -> None:
        self._cursor.movePosition(QTextCursor.MoveOperation.Start)


def _framework_order(ids: Iterable[str], known: Iterable[str]) -> list[str]:
    """`ids` in the order the framework lists them; ids it no longer has last, by id."""
    order = {item_id: n for n, item_id in enumerate(known)}
    return sorted(ids, key=lambda item_id: (order.get(item_id, len(order)), item_id))


def write_detail(editor: QTextEdit, loaded: LoadedDetail) -> None:
    """Fill `editor` with everything the check-in holds."""
    detail, framework, stage = loaded.detail, loaded.framework, loaded.stage
    info = detail.info
    out = _DocumentWriter(editor)
    status = "final" if info.status == "final" else "draft"
    out.title(f"Check-in of {info.date.isoformat()} ({status})")
    if info.finalized_at is not None:
        out.line(f"Finalised {_local(info.finalized_at)}", muted=True)
    level = next((lvl.name for lvl in framework.levels if lvl.id == stage.level), stage.level)
    out.line(f"{framework.name} ({framework.ref}), level {level}", muted=True)

    skills = {skill.id: skill for skill in framework.skills}
    scale = {point.value: point.label for point in framework.rating_scale}
    out.heading(f"Ratings ({len(detail.ratings)})")
    rows = []
    for skill_id in _framework_order(detail.ratings, skills):
        entry = detail.ratings[skill_id]
        if entry.not_applicable:
            value = "not applicable"
        elif entry.value is None:
            value = "not rated"
        else:
            label = scale.get(entry.value)
            value = f"{entry.value} – {label}" if label else str(entry.value)
        skill = skills.get(skill_id)
        rows.append(
            (
                skill.name if skill else skill_id,
                value,
                "" if entry.confidence is None else f"{entry.confidence}/5",
                entry.note or "",
            )
        )
    out.table_or_line(("Skill", "Rating", "Confidence", "Note"), rows, "No skills were rated.")

    milestones = {m.id: m for m in framework.milestones}
    out.heading(f"Milestones ({len(detail.milestones)})")
    rows = []
    for milestone_id in _framework_order(detail.milestones, milestones):
        m_entry = detail.milestones[milestone_id]
        milestone = milestones.get(milestone_id)
        rows.append(
            (
                milestone.title if milestone else milestone_id,
                _MILESTONE_STATUS.get(m_entry.status, m_entry.status),
                m_entry.status_date.isoformat() if m_entry.status_date else "",
                m_entry.note or "",
            )
        )
    out.table_or_line(("Milestone", "Status", "Date", "Note"), rows, "No milestone changed.")

    kpis = {k.id: k for k in framework.kpis}
    out.heading(f"KPIs ({len(detail.kpis)})")
    kpi_rows = []
    for kpi_id in _framework_order(detail.kpis, kpis):
        k_entry = detail.kpis[kpi_id]
        kpi = kpis.get(kpi_id)
        kpi_rows.append(
            (
                kpi.name if kpi else kpi_id,
                _number(k_entry.value, kpi.unit if kpi else None),
                k_entry.note or "",
            )
        )
    out.table_or_line(("KPI", "Value", "Note"), kpi_rows, "No KPI was measured.")

    out.heading("Reflection")
    for key, label in _REFLECTION:
        out.field(label, detail.reflection.get(key))

    out.heading(f"Amendments ({len(detail.amendments)})")
    amendment_rows = [
        (
            _local(a.at),
            _field_name(a.field, framework),
            f"{_value(a.old)} → {_value(a.new)}",
        )
        for a in detail.amendments
    ]
    out.table_or_line(
        ("When", "Field", "Change"), amendment_rows, "Not amended since it was finalised."
    )
    out.finish()


def _value(text: str | None) -> str:
    return "(empty)" if text is None else text


def _field_name(field: str, framework: Framework) -> str:
    """`rating:sql.note` → `SQL: note`, with names from the framework where it has them."""
    kind, _, rest = field.partition(":")
    if not rest:  # e.g. `reflection.wins`
        kind, _, part = field.partition(".")
        return f"{kind.capitalize()}: {part}" if part else field
    item_id, _, part = rest.rpartition(".")
    names: dict[str, str] = {}
    if kind == "rating":
        names = {s.id: s.name for s in framework.skills}
    elif kind == "milestone":
        names = {m.id: m.title for m in framework.milestones}
    elif kind == "kpi":
        names = {k.id: k.name for k in framework.kpis}
    part = part.replace("_", " ")
    return f"{names.get(item_id, item_id)}: {part}"


class HistoryPanel(QWidget):
    """Every check-in of a profile with the selected one's detail.

    Signals:
        amend_requested(str): the user wants to amend this final check-in (its id).
        changed(): a check-in was deleted.
    """

    amend_requested = Signal(str)
    changed = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id: str | None = None
        self._shown: LoadedDetail | None = None
        self._wanted: str | None = None  # the check-in whose detail is loading or shown
        self._busy = False
        self._laid_out = False

        self.model = CheckInTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(CheckInTableModel.SORT_ROLE)

        self.view = QTableView(self)
        self.view.setAccessibleName("Check-ins")
        self.view.setAccessibleDescription("Every check-in of the profile, newest first")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(CheckInTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Wide enough for every column without a horizontal scroll bar.
        date_width = self.fontMetrics().horizontalAdvance("2026-12-31") + 16
        self.view.setMinimumWidth(
            max(date_width, header.sectionSizeHint(CheckInTableModel.DATE))
            + sum(header.sectionSizeHint(c) for c in range(1, self.model.columnCount()))
            + self.view.verticalScrollBar().sizeHint().width()
            + 2 * self.view.frameWidth()
        )
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        delete_action = QAction("Delete check-in", self.view)
        delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_action.triggered.connect(self._on_delete_clicked)
        self.view.addAction(delete_action)

        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("History status")

        self.detail = QTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setTabChangesFocus(True)
        self.detail.setUndoRedoEnabled(False)
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.detail.setAccessibleName("Check-in details")
        self.detail.setPlaceholderText(NO_SELECTION_TEXT)

        self.amend_button = QPushButton("&Amend…", self)
        self.amend_button.setAccessibleName("Amend check-in")
        self.amend_button.setToolTip("Change this final check-in; every change is logged")
        self.amend_button.clicked.connect(self._on_amend_clicked)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.setAccessibleName("Delete check-in")
        self.delete_button.setToolTip("Delete this check-in for good")
        self.delete_button.clicked.connect(self._on_delete_clicked)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.status)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.amend_button)
        buttons.addWidget(self.delete_button)
        right_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)

        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No check-ins")

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.setFocusProxy(self.view)
        QWidget.setTabOrder(self.view, self.detail)
        QWidget.setTabOrder(self.detail, self.amend_button)
        QWidget.setTabOrder(self.amend_button, self.delete_button)
        self._update_buttons()

    # -- public ----------------------------------------------------------------

    @property
    def profile_id(self) -> str | None:
        return self._profile_id

    @property
    def shown(self) -> LoadedDetail | None:
        """The check-in whose detail is on screen."""
        return self._shown

    def show_profile(self, profile_id: str) -> None:
        """Show another profile's check-ins (loaded off the GUI thread)."""
        if profile_id != self._profile_id:
            self._profile_id = profile_id
            self.model.set_rows([])
            self._show_detail(None)
        self.reload()

    def reload(self, select: str | None = None, *, row: int = 0) -> None:
        """Load the list again, keeping the selected check-in (or `select`) selected.

        If that check-in is gone, the check-in at `row` (in the sorted view) is selected.
        """
        profile_id = self._profile_id
        if profile_id is None:
            return
        keep = select or self.selected_id()
        self.status.setText("Loading check-ins…")
        self._runner.submit(
            lambda: self._services.checkins.all(profile_id),
            lambda rows: self._on_rows_loaded(profile_id, rows, keep, row),
            self._on_load_failed,
        )

    def selected_id(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return str(rows[0].data(CheckInTableModel.ID_ROLE)) if rows else None

    def selected_info(self) -> CheckInInfo | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.info(self.proxy.mapToSource(rows[0]).row())

    def select(self, checkin_id: str) -> bool:
        """Select a check-in by id; False if it is not listed."""
        row = self.model.row_of(checkin_id)
        if row < 0:
            return False
        self._select_proxy_row(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        return True

    # -- layout and palette ----------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side when there is room, the detail below the list when narrow."""
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_LAYOUT
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation() or not self._laid_out:
            self._laid_out = True
            self.splitter.setOrientation(orientation)
            size = event.size()
            if wide:
                list_width = self.view.minimumWidth() + 24
                self.splitter.setSizes([list_width, max(1, size.width() - list_width)])
            else:
                self.splitter.setSizes([size.height() * 2 // 5, size.height() * 3 // 5])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._shown is not None:
            write_detail(self.detail, self._shown)  # the document's colours come from it

    # -- loading ---------------------------------------------------------------

    def _on_rows_loaded(
        self, profile_id: str, rows: list[CheckInInfo], keep: str | None, row: int
    ) -> None:
        if profile_id != self._profile_id:
            return
        self.model.set_rows(rows)
        finals = sum(1 for info in rows if info.status == "final")
        drafts = len(rows) - finals
        text = f"{finals} final check-in{'' if finals == 1 else 's'}"
        if drafts:
            text += f", {drafts} draft"
        self.status.setText(text)
        self.pages.setCurrentWidget(self.splitter if rows else self.empty)
        if not rows:
            self._show_detail(None)
        elif not (keep and self.select(keep)):
            self._select_proxy_row(row)
        self._update_buttons()

    def _on_load_failed(self, message: str) -> None:
        self.status.setText("The check-ins could not be loaded.")
        self._runner.failed.emit(message)

    def _select_proxy_row(self, row: int) -> None:
        count = self.proxy.rowCount()
        if count == 0:
            return
        index = self.proxy.index(max(0, min(row, count - 1)), 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        checkin_id = self.selected_id()
        self._update_buttons()
        if checkin_id is None:
            self._show_detail(None)
            return
        if self._shown is None or self._shown.detail.info.id != checkin_id:
            # Another check-in: clear at once. The same one (after a reload) is refreshed
            # in place, so that an amendment shows without a flicker.
            self._shown = None
            self.detail.clear()
            self.detail.setPlaceholderText("Loading the check-in…")
        self._wanted = checkin_id
        self._runner.submit(
            lambda: self._load_if_wanted(checkin_id),
            self._on_detail_loaded,
            lambda message: self._on_detail_failed(checkin_id, message),
        )

    def _load_if_wanted(self, checkin_id: str) -> LoadedDetail | None:
        """Runs on the worker: skips a check-in the user has already moved past."""
        if checkin_id != self._wanted:
            return None
        return load_detail(self._services, checkin_id)

    def _on_detail_loaded(self, loaded: LoadedDetail | None) -> None:
        if loaded is not None and loaded.detail.info.id == self._wanted:
            self._show_detail(loaded)

    def _on_detail_failed(self, checkin_id: str, message: str) -> None:
        if checkin_id == self._wanted:
            self._shown = None
            self.detail.clear()
            self.detail.setPlaceholderText(message)

    def _show_detail(self, loaded: LoadedDetail | None) -> None:
        self._shown = loaded
        if loaded is None:
            self._wanted = None
            self.detail.clear()
            self.detail.setPlaceholderText(NO_SELECTION_TEXT)
        else:
            write_detail(self.detail, loaded)
        self._update_buttons()

    def _update_buttons(self) -> None:
        info = self.selected_info()
        self.amend_button.setEnabled(not self._busy and info is not None and info.status == "final")
        self.delete_button.setEnabled(not self._busy and info is not None)

    # -- actions ---------------------------------------------------------------

    def _on_amend_clicked(self) -> None:
        info = self.selected_info()
        if info is not None and info.status == "final":
            self.amend_requested.emit(info.id)

    def _on_delete_clicked(self) -> None:
        info = self.selected_info()
        if info is None or self._busy:
            return
        kind = "check-in" if info.status == "final" else "draft check-in"
        if not dialogs.confirm(
            self,
            "Delete check-in",
            f"Delete the {kind} of {info.date.isoformat()} with its ratings, notes and "
            "amendments? This cannot be undone.",
            "Delete",
        ):
            return
        row = self.view.selectionModel().selectedRows()[0].row()
        self._busy = True
        self._update_buttons()
        self.status.setText("Deleting…")
        checkin_id = info.id
        self._runner.submit(
            lambda: self._services.checkins.delete(checkin_id),
            lambda _result: self._on_deleted(row),
            self._on_delete_failed,
        )

    def _on_deleted(self, row: int) -> None:
        self._busy = False
        self._show_detail(None)
        self.view.selectionModel().clearSelection()
        # Keep the place in the list: select the row that moved into the deleted one's slot.
        self.reload(row=row)
        self.changed.emit()

    def _on_delete_failed(self, message: str) -> None:
        self._busy = False
        self._update_buttons()
        self.status.setText("The check-in was not deleted.")
        self._runner.failed.emit(message)
