"""Evidence: the log of dated accomplishments and feedback received, and its filters.

The list is a `RowTableModel` filled by a search the service does in SQL, so
thousands of entries stay fast; every database call goes through the
`TaskRunner`. The capture dialog is `ui.evidence_capture`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.evidence_import import BragPreview, BragRow, read_file
from app.framework.model import Framework
from app.services import Services
from app.services.evidence import EvidenceInfo, Tag
from ui import dialogs
from ui.evidence_capture import (
    CaptureContext,
    QuickCaptureDialog,
    framework_tags,
    step_criteria,
    tag_label,
)
from ui.git_proposals import GitProposalsDialog
from ui.profile_form import date_edit, to_date, to_qdate
from ui.read_only import ReadOnlyLine
from ui.table_model import RowTableModel, prefer_name, record_table
from ui.tasks import TaskRunner
from ui.text import tooltip

CAPTURE_SHORTCUT = QKeySequence("Ctrl+Shift+E")
EMPTY_TEXT = "No evidence yet. Press Ctrl+Shift+E anywhere to capture an accomplishment."
NO_MATCH_TEXT = "No evidence matches these filters."


def _one_line(text: str) -> str:
    return " ".join(text.split())


def impact_text(entry: EvidenceInfo) -> str:
    """The entry's impact in one line; for feedback received, who gave it and their words."""
    feedback = entry.feedback
    if feedback is not None:
        who = feedback.giver + (f", {feedback.role}" if feedback.role else "")
        quote = _one_line(entry.description or "")
        return f"From {who}: “{quote}”" if quote else f"From {who}"
    return _one_line(entry.impact.line() or "")


def impact_details(entry: EvidenceInfo) -> str | None:
    """Everything the impact and feedback fields hold, a line each (for a tooltip)."""
    impact, lines = entry.impact, []
    if entry.feedback is not None:
        role = f", {entry.feedback.role}" if entry.feedback.role else ""
        lines.append(f"“{entry.description or ''}”\n— {entry.feedback.giver}{role}")
    for label, value in (
        ("Context", impact.context),
        ("What I did", impact.action),
        ("Outcome", impact.outcome),
        ("Metric", impact.metric),
    ):
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines) or None


class EvidenceTableModel(RowTableModel[EvidenceInfo]):
    """Evidence entries, one a row: date, title, impact (or the feedback and who gave it),
    tags, and whether it is private."""

    DATE, TITLE, IMPACT, TAGS, PRIVATE = range(5)
    HEADERS = ("Date", "Title", "Impact", "Tags", "Private")

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
            if column == self.IMPACT:
                return impact_text(entry)
            if column == self.TAGS:
                return ", ".join(self.names.get(t, t.ref) for t in entry.tags)
            if column == self.PRIVATE:
                return "private" if entry.private else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.TITLE and entry.description:
                return tooltip(entry.description)
            if column == self.IMPACT:
                details = impact_details(entry)
                return tooltip(details) if details else None
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
        self.context: CaptureContext | None = None  # the framework, with the profile's criteria
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
        self.proxy, self.view = record_table(
            self, self.model, "Evidence", EvidenceTableModel.SORT_ROLE, EvidenceTableModel.DATE
        )
        prefer_name(
            self.view,
            EvidenceTableModel.TITLE,
            EvidenceTableModel.TAGS,
            EvidenceTableModel.IMPACT,
            share={EvidenceTableModel.IMPACT: 0.35},  # worth reading, never all of it
        )
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
        self.git_button = QPushButton("Propose from &git…", self)
        self.git_button.setToolTip(
            "Propose entries from your commits in a local git repository (commit metadata "
            "and changed paths only; nothing leaves this computer)."
        )
        self.git_button.clicked.connect(self.propose_from_git)
        self.git_dialog: GitProposalsDialog | None = None

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.start)
        filters.addWidget(QLabel("to", self))
        filters.addWidget(self.end)
        filters.addWidget(self.tag, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.git_button)
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
        self.context = None  # a capture waits for this profile's (`_capture_pending`)
        self._runner.cancel(self, "import")  # a file read for the profile left is not offered
        services = self._services

        def load() -> CaptureContext:
            profile = services.profiles.get(profile_id)
            framework = services.frameworks.get(profile.framework, profile.framework_version)
            criteria = step_criteria(framework, profile.level, profile.target)
            return CaptureContext(profile_id, framework, tuple(criteria))

        self._runner.submit(load, self._on_framework_loaded, owner=self, key="framework")

    def _on_framework_loaded(self, context: CaptureContext) -> None:
        self.context = context
        self.framework = framework = context.framework
        self.model.names = {tag: name for tag, name in framework_tags(framework)}
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("Any tag", None)
        for tag, name in framework_tags(framework):
            self.tag.addItem(tag_label(tag, name), tag)
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
        self.git_button.setEnabled(self.context is not None)
        self.git_button.setVisible(not self._read_only)  # the owner's evidence: not proposed

    def capture(self, entry: EvidenceInfo | None = None) -> QuickCaptureDialog | None:
        """Open the capture dialog (for `entry`, or a new one); None without a profile, or
        for a profile shared with you. While the profile's framework is still loading (the
        section was built just now, for the shortcut), a new entry's dialog opens once it is."""
        if self._profile_id is None or self._read_only:
            return None
        if self.context is None:
            self._capture_pending = entry is None
            return None
        dialog = QuickCaptureDialog(
            self._services,
            self._runner,
            self.context,
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

    # -- from git --------------------------------------------------------------------

    def propose_from_git(self) -> GitProposalsDialog | None:
        """Open the review of proposals from a git repository; None without a profile or
        its framework, or for a profile shared with you."""
        if self._profile_id is None or self._read_only or self.context is None:
            return None
        dialog = GitProposalsDialog(self._services, self._runner, self.context, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._on_proposals_accepted)
        self.git_dialog = dialog
        dialog.open()
        return dialog

    def _on_proposals_accepted(self) -> None:
        self.reload()
        self.changed.emit()

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
