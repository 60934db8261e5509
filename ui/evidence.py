"""Evidence: the log of dated accomplishments, its filters, and the quick-capture dialog.

The list is a `RowTableModel` filled by a search the service does in SQL, so
thousands of entries stay fast; every database call goes through the
`TaskRunner`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import describe
from app.evidence_import import BragPreview, BragRow, read_file
from app.framework.model import Framework
from app.services import Services
from app.services.evidence import EvidenceInfo, Tag
from ui import dialogs
from ui.profile_form import date_edit, to_date, to_qdate
from ui.read_only import ReadOnlyLine
from ui.table_model import RowTableModel, prefer_name
from ui.tasks import TaskRunner

CAPTURE_SHORTCUT = QKeySequence("Ctrl+Shift+E")
EMPTY_TEXT = "No evidence yet. Press Ctrl+Shift+E anywhere to capture an accomplishment."
NO_MATCH_TEXT = "No evidence matches these filters."
_KIND_LABEL = {"skill": "Skill", "milestone": "Milestone", "kpi": "KPI"}


def framework_tags(framework: Framework) -> list[tuple[Tag, str]]:
    """Every tag a framework offers, with the name people read."""
    return (
        [(Tag("skill", s.id), s.name) for s in framework.skills]
        + [(Tag("milestone", m.id), m.title) for m in framework.milestones]
        + [(Tag("kpi", k.id), k.name) for k in framework.kpis]
    )


class EvidenceTableModel(RowTableModel[EvidenceInfo]):
    """Evidence entries, one a row: date, title, tags, and whether it is private."""

    DATE, TITLE, TAGS, PRIVATE = range(4)
    HEADERS = ("Date", "Title", "Tags", "Private")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[Tag, str] = {}

    def key(self, row: EvidenceInfo) -> str:
        return row.id

    def cell(self, entry: EvidenceInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return entry.date.isoformat()
            if column == self.TITLE:
                return entry.title
            if column == self.TAGS:
                return ", ".join(self.names.get(t, t.ref) for t in entry.tags)
            if column == self.PRIVATE:
                return "private" if entry.private else ""
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return entry.description or None
        if role == self.SORT_ROLE:
            if column == self.DATE:
                return entry.date.toordinal()
            if column == self.PRIVATE:
                return int(entry.private)
            return str(self.cell(entry, column, Qt.ItemDataRole.DisplayRole)).casefold()
        return None


class BragRowModel(RowTableModel[BragRow]):
    """The rows a brag document would import."""

    ROW, DATE, TITLE, TAGS = range(4)
    HEADERS = ("Row", "Date", "Title", "Tags")

    def key(self, row: BragRow) -> str:
        return str(row.row)

    def cell(self, row: BragRow, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            str(row.row),
            row.date.isoformat(),
            row.title,
            ", ".join(f"{t.kind}:{t.ref}" for t in row.tags),
        )[column]


class BragImportDialog(QDialog):
    """A preview of a brag document: what will be imported, and each row that cannot be
    read. Nothing is stored unless the user chooses Import."""

    def __init__(self, name: str, preview: BragPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Import {name}")
        count = len(preview.rows)
        self.summary = QLabel(
            f"{count} {'entry' if count == 1 else 'entries'} will be imported"
            + (
                f"; {len(preview.problems)} "
                f"{'row' if len(preview.problems) == 1 else 'rows'} cannot be read and will "
                "be left out."
                if preview.problems
                else "."
            ),
            self,
        )
        self.summary.setWordWrap(True)
        self.model = BragRowModel(self)
        self.model.set_rows(preview.rows)
        self.view = QTableView(self)
        self.view.setAccessibleName("Entries to import")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(
            BragRowModel.TITLE, QHeaderView.ResizeMode.Stretch
        )
        self.problems = QListWidget(self)
        self.problems.setAccessibleName("Rows that cannot be read")
        self.problems.addItems(preview.problems)
        self.problems.setVisible(bool(preview.problems))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(bool(preview.rows))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 2)
        if preview.problems:
            layout.addWidget(QLabel("Rows that cannot be read:", self))
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().horizontalAdvance("x") * 90, 420)


class QuickCaptureDialog(QDialog):
    """A small form for one evidence entry: new, or an existing one to edit.

    Signals:
        saved(object): the entry was stored (its `EvidenceInfo`).
    """

    saved = Signal(object)

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        profile_id: str,
        framework: Framework,
        entry: EvidenceInfo | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id = profile_id
        self._entry = entry
        self.setWindowTitle("Edit evidence" if entry else "Capture evidence")

        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("What did you accomplish?")
        self.date = date_edit(entry.date if entry else date.today(), "Date", self)
        self.description = QPlainTextEdit(self)
        self.description.setAccessibleName("Description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().height() * 5)
        self.link = QLineEdit(self)
        self.link.setAccessibleName("Link")
        self.link.setPlaceholderText("https://… (optional)")
        self.tags = QListWidget(self)
        self.tags.setAccessibleName("Tags")
        self.tags.setAccessibleDescription("Check the skills, milestones and KPIs this shows.")
        chosen = set(entry.tags) if entry else set()
        for tag, name in framework_tags(framework):
            item = QListWidgetItem(f"{_KIND_LABEL[tag.kind]}: {name}", self.tags)
            item.setData(Qt.ItemDataRole.UserRole, tag)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tag in chosen else Qt.CheckState.Unchecked)
        self.private = QCheckBox("Private (left out of shared reports)", self)
        if entry:
            self.title.setText(entry.title)
            self.description.setPlainText(entry.description or "")
            self.link.setText(entry.link or "")
            self.private.setChecked(entry.private)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem")
        self.message.hide()

        form = QFormLayout()
        form.addRow("&Title:", self.title)
        form.addRow("&Date:", self.date)
        form.addRow("D&escription:", self.description)
        form.addRow("&Link:", self.link)
        form.addRow("T&ags:", self.tags)
        form.addRow("", self.private)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 80)
        self.tags.setMinimumHeight(self.fontMetrics().height() * 10)
        self.title.setFocus()

    def checked_tags(self) -> list[Tag]:
        return [
            self.tags.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.tags.count())
            if self.tags.item(n).checkState() == Qt.CheckState.Checked
        ]

    def check_tag(self, tag: Tag, checked: bool = True) -> None:
        for n in range(self.tags.count()):
            item = self.tags.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == tag:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _on_save(self) -> None:
        fields: dict[str, Any] = {
            "day": to_date(self.date.date()),
            "title": self.title.text(),
            "description": self.description.toPlainText(),
            "link": self.link.text(),
            "private": self.private.isChecked(),
            "tags": self.checked_tags(),
        }
        evidence, profile_id, entry = self._services.evidence, self._profile_id, self._entry
        if entry is None:
            job = lambda: evidence.add(profile_id, **fields)  # noqa: E731
        else:
            job = lambda: evidence.update(entry.id, **fields)  # noqa: E731
        self.buttons.setEnabled(False)
        self._runner.submit(job, self._on_saved, owner=self, on_error=self._on_save_failed)

    def _on_saved(self, info: EvidenceInfo) -> None:
        self.saved.emit(info)
        self.accept()

    def _on_save_failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(describe(error))
        self.message.show()


class EvidencePanel(QWidget):
    """The evidence log of one profile: filters above a list, add/edit/delete below.

    Signals:
        changed(): an entry was added, edited or deleted here.
    """

    changed = Signal()

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._profile_id: str | None = None
        self.framework: Framework | None = None
        self.dialog: QuickCaptureDialog | None = None
        self._capture_pending = False
        self._read_only = False  # a profile shared with you: its owner's evidence, to read
        self.read_only_line = ReadOnlyLine(self)

        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search evidence")
        self.search.setPlaceholderText("Search titles and descriptions")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 20)
        self.use_dates = QCheckBox("Fro&m", self)
        today = date.today()
        self.start = date_edit(to_date(to_qdate(today).addMonths(-3)), "From date", self)
        self.end = date_edit(today, "To date", self)
        for edit in (self.start, self.end):
            edit.setEnabled(False)
        self.tag = QComboBox(self)
        self.tag.setAccessibleName("Tag filter")
        # As wide whatever the tags' names: filled while hidden (a capture from another
        # section builds the panel), a combo sized to its contents would crowd out the search.
        self.tag.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag.setMinimumContentsLength(12)
        self.tag.addItem("Any tag", None)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self._on_filter_changed)
        self.use_dates.toggled.connect(self._on_dates_toggled)
        self.start.dateChanged.connect(self._on_filter_changed)
        self.end.dateChanged.connect(self._on_filter_changed)
        self.tag.currentIndexChanged.connect(self._on_filter_changed)

        self.model = EvidenceTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(EvidenceTableModel.SORT_ROLE)
        self.view = QTableView(self)
        self.view.setAccessibleName("Evidence")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(EvidenceTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.view.horizontalHeader().setHighlightSections(False)
        prefer_name(self.view, EvidenceTableModel.TITLE, EvidenceTableModel.TAGS)
        self.view.doubleClicked.connect(lambda _index: self._on_edit())
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.add_button = QPushButton("&Add…", self)
        self.add_button.clicked.connect(self.capture)
        self.edit_button = QPushButton("&Edit…", self)
        self.edit_button.clicked.connect(self._on_edit)
        self.delete_button = QPushButton("&Delete…", self)
        self.delete_button.clicked.connect(self._on_delete)
        self.import_button = QPushButton("&Import…", self)
        self.import_button.setToolTip("Import a brag document: a CSV or a Markdown list.")
        self.import_button.clicked.connect(self._on_import)
        self.import_dialog: BragImportDialog | None = None

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.start)
        filters.addWidget(QLabel("to", self))
        filters.addWidget(self.end)
        filters.addWidget(self.tag, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_line)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._on_selection_changed()

    # -- loading -------------------------------------------------------------------

    def show_profile(self, profile_id: str) -> None:
        self._profile_id = profile_id
        self._runner.cancel(self, "import")  # a file read for the profile left is not offered
        services = self._services

        def load() -> Framework:
            profile = services.profiles.get(profile_id)
            return services.frameworks.get(profile.framework, profile.framework_version)

        self._runner.submit(load, self._on_framework_loaded, owner=self, key="framework")

    def _on_framework_loaded(self, framework: Framework) -> None:
        self.framework = framework
        self.model.names = {tag: name for tag, name in framework_tags(framework)}
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("Any tag", None)
        for tag, name in framework_tags(framework):
            self.tag.addItem(f"{_KIND_LABEL[tag.kind]}: {name}", tag)
        self.tag.blockSignals(False)
        self.reload()
        if self._capture_pending:
            self._capture_pending = False
            self.capture()

    def filters(self) -> dict[str, Any]:
        dated = self.use_dates.isChecked()
        return {
            "text": self.search.text() or None,
            "start": to_date(self.start.date()) if dated else None,
            "end": to_date(self.end.date()) if dated else None,
            "tag": self.tag.currentData(),
        }

    def reload(self) -> None:
        profile_id = self._profile_id
        if profile_id is None:
            return
        filters = self.filters()
        evidence = self._services.evidence
        self._runner.submit(
            lambda: evidence.search(profile_id, **filters),
            lambda rows: self._on_loaded(filters, rows),
            owner=self,
            key="rows",
        )

    def _on_loaded(self, filters: dict[str, Any], rows: list[EvidenceInfo]) -> None:
        self.model.set_rows(rows)
        filtered = any(v is not None for v in filters.values())
        if rows:
            self.status.setText(f"{len(rows)} {'entry' if len(rows) == 1 else 'entries'}")
        else:
            self.status.setText(NO_MATCH_TEXT if filtered else EMPTY_TEXT)
        self._on_selection_changed()

    def _on_filter_changed(self, *_: object) -> None:
        self._runner.cancel(self, "rows")  # a search on the old filters is not shown
        self._timer.start()

    def _on_dates_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self._on_filter_changed()

    # -- editing -------------------------------------------------------------------

    def selected(self) -> EvidenceInfo | None:
        rows = self.model.selected_rows(self.view)
        return rows[0] if rows else None

    def set_read_only(self, line: str | None) -> None:
        """For a profile shared with you, `line` says whose it is and nothing can be added,
        edited, deleted or imported; None for your own profile."""
        self._read_only = line is not None
        self.read_only_line.show_line(line)
        self._on_selection_changed()

    def _on_selection_changed(self, *_: object) -> None:
        has = self.selected() is not None and not self._read_only
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.add_button.setEnabled(self.framework is not None and not self._read_only)
        self.import_button.setEnabled(self.framework is not None and not self._read_only)

    def capture(self, entry: EvidenceInfo | None = None) -> QuickCaptureDialog | None:
        """Open the capture dialog (for `entry`, or a new one); None without a profile, or
        for a profile shared with you. While the profile's framework is still loading (the
        section was built just now, for the shortcut), a new entry's dialog opens once it is."""
        if self._profile_id is None or self._read_only:
            return None
        if self.framework is None:
            self._capture_pending = entry is None
            return None
        dialog = QuickCaptureDialog(
            self._services,
            self._runner,
            self._profile_id,
            self.framework,
            entry if isinstance(entry, EvidenceInfo) else None,
            self.window(),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._on_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_saved(self, _info: EvidenceInfo) -> None:
        self.reload()
        self.changed.emit()

    def _on_edit(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.capture(entry)

    def _on_delete(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        if not dialogs.confirm(
            self,
            "Delete evidence",
            # no title here: a message box would show a title such as "<b>x</b>" as markup
            f"Delete the selected entry of {entry.date.isoformat()}? Links to ratings go "
            "with it. This cannot be undone.",
            "Delete",
        ):
            return
        evidence = self._services.evidence
        self._runner.submit(
            lambda: evidence.delete(entry.id), lambda _: self._on_saved(entry), owner=self
        )

    # -- importing -----------------------------------------------------------------

    def _on_import(self) -> None:
        if self._profile_id is None or self.framework is None:
            return
        path = dialogs.open_file(
            self, "Import a brag document", "Brag documents (*.csv *.md *.markdown *.txt)"
        )
        if path is None:
            return
        known = {tag for tag, _name in framework_tags(self.framework)}
        profile_id = self._profile_id
        self._runner.submit(
            lambda: read_file(path, known),
            lambda preview: self._on_import_read(profile_id, path.name, preview),
            owner=self,
            key="import",
            on_error=self._on_import_failed,
        )

    def _on_import_failed(self, error: BaseException) -> None:
        dialogs.show_error(self, "Import a brag document", error)

    def _on_import_read(self, profile_id: str, name: str, preview: BragPreview) -> None:
        dialog = BragImportDialog(name, preview, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_import_confirmed(profile_id, preview))
        self.import_dialog = dialog
        dialog.open()

    def _on_import_confirmed(self, profile_id: str, preview: BragPreview) -> None:
        entries = [
            EvidenceInfo(
                "",
                profile_id,
                r.date,
                r.title,
                r.description,
                r.link,
                False,
                r.tags,
                r.impact,
                r.feedback,
            )
            for r in preview.rows
        ]
        services = self._services

        def store() -> int:
            backups = services.store.backups
            if backups is None:
                return services.evidence.add_many(profile_id, entries)
            with backups.kept_unless_failed("before-import"):  # as for any import
                return services.evidence.add_many(profile_id, entries)

        self._runner.submit(store, self._on_imported, owner=self)

    def _on_imported(self, count: int) -> None:
        self.status.setText(f"Imported {count} {'entry' if count == 1 else 'entries'}.")
        self.reload()
        self.changed.emit()
