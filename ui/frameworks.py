"""The Frameworks section: browse a ladder and compare two of its levels on one screen."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextListFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.framework.model import Framework
from app.levels import LevelDiff, SkillDiff, level_diff
from app.services import Services
from app.services.frameworks import FrameworkInfo, ImportPreview
from ui import dialogs
from ui.table_model import AnyIndex, RowTableModel, prefer_name
from ui.tasks import TaskRunner

IMPORT_FILTER = (
    "Frameworks (*.yaml *.yml *.json *.xlsx);;A folder of CSV files: pick any of them (*.csv)"
)

CHANGE_WORDS = {
    "new": "New",
    "raised": "Raised",
    "same": "Same",
    "lowered": "Lowered",
    "not expected": "Not expected",
}


class LevelDiffModel(RowTableModel[SkillDiff]):
    """One row per skill: its expectation at each level and what changes."""

    DIMENSION, SKILL, CRITICALITY, LOWER, HIGHER, CHANGE = range(6)
    HEADERS = ("Dimension", "Skill", "Criticality", "Level A", "Level B", "Change")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._levels = ("Level A", "Level B")

    def key(self, row: SkillDiff) -> str:
        return row.id

    def set_levels(self, lower: str, higher: str) -> None:
        """Name the two expectation columns after the levels compared."""
        self._levels = (lower, higher)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.LOWER, self.HIGHER)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section in (self.LOWER, self.HIGHER)
        ):
            return self._levels[section - self.LOWER]
        return super().headerData(section, orientation, role)

    def cell(self, row: SkillDiff, column: int, role: int) -> Any:
        values = (
            row.dimension,
            row.name,
            row.criticality,
            row.lower,
            row.higher,
            CHANGE_WORDS[row.change],
        )
        if role in (Qt.ItemDataRole.DisplayRole, self.SORT_ROLE):
            return values[column]
        if role == Qt.ItemDataRole.FontRole and row.change in {"new", "raised"}:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.LOWER, self.HIGHER):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class _ChangedOnly(QSortFilterProxyModel):
    """Keeps the rows whose expectation changes between the two levels, when asked to."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.only_changes = False

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self.only_changes:
            return True
        model = self.sourceModel()
        assert isinstance(model, LevelDiffModel)
        return model.info(source_row).change in {"new", "raised", "lowered"}


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def preview_text(preview: ImportPreview) -> str:
    """What the import will create, or each problem as the core words it."""
    framework = preview.framework
    if framework is None:
        return "\n".join(preview.problems)
    levels = " → ".join(level.name for level in framework.levels)
    parts = (
        _count(len(framework.dimensions), "dimension"),
        _count(len(framework.skills), "skill"),
        _count(len(framework.milestones), "milestone"),
        _count(len(framework.kpis), "KPI"),
        _count(len(framework.promotion_criteria), "promotion criterion", "promotion criteria"),
    )
    lines = [
        f"Name: {framework.name}",
        f"Id: {framework.id}",
        f"Version: {framework.version}",
        f"Levels: {levels}",
        f"Contents: {', '.join(parts)}.",
        "",
        (
            "Nothing is stored until you choose Import."
            if preview.new
            else f"{framework.ref} is already stored, the same ladder: importing changes nothing."
        ),
    ]
    return "\n".join(lines)


class ImportPreviewDialog(QDialog):
    """Shows what an import will create, or why it cannot; accepted means "store it"."""

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        ok = preview.framework is not None
        self.setWindowTitle(f"Import {preview.name}")
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"{preview.name} holds a framework to import."
            if ok
            else f"{preview.name} has {_count(len(preview.problems), 'problem')}; "
            "nothing will be stored.",
            self,
        )
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.details = QTextEdit(self)
        self.details.setReadOnly(True)
        if ok:
            self.details.setPlainText(preview_text(preview))
        else:  # one bullet per problem, a wrapped line indented under its bullet
            cursor = self.details.textCursor()
            cursor.insertList(QTextListFormat.Style.ListDisc)
            for number, problem in enumerate(preview.problems):
                if number:
                    cursor.insertBlock()
                cursor.insertText(problem)  # as plain text, whatever the cell held
        self.details.setAccessibleName("What the import creates" if ok else "Problems")
        self.details.setMinimumSize(520, 220)
        layout.addWidget(self.details, 1)
        self.buttons = QDialogButtonBox(self)
        self.import_button: QPushButton | None = None
        if ok:
            self.import_button = self.buttons.addButton(
                "&Import", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.import_button.setDefault(True)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        else:
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


def _combo(parent: QWidget, name: str, length: int) -> QComboBox:
    """A combo as wide as `length` characters, however long its items (they elide)."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(length)
    return combo


class FrameworksPanel(QWidget):
    """Browse a stored framework; compare any two of its levels skill by skill, with the
    criteria of every step between them (the lower level's column comes first, whichever
    combo names it, so "Change" always reads upwards)."""

    def __init__(
        self, services: Services, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.preview: ImportPreviewDialog | None = None
        self.framework: Framework | None = None
        self.diff: LevelDiff | None = None
        layout = QVBoxLayout(self)
        pickers = QHBoxLayout()
        self.framework_combo = _combo(self, "Framework", 10)
        self.level_a = _combo(self, "Level A", 7)
        self.level_b = _combo(self, "Level B", 7)
        for text, combo in (
            ("F&ramework:", self.framework_combo),
            ("Level &A:", self.level_a),
            ("Level &B:", self.level_b),
        ):
            label = QLabel(text, self)
            label.setBuddy(combo)
            pickers.addWidget(label)
            pickers.addWidget(combo, 2 if combo is self.framework_combo else 1)
        self.import_button = QPushButton("&Import…", self)
        self.import_button.setToolTip(
            "Import a framework: YAML, JSON, an XLSX workbook or a folder of CSV files "
            "(rung frameworks template writes one to fill in)"
        )
        layout.addLayout(pickers)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Import status")
        self.status.hide()
        layout.addWidget(self.status)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Framework summary")
        layout.addWidget(self.summary)
        self.only_changes = QCheckBox("Show only what &changes between the levels", self)
        options = QHBoxLayout()
        options.addWidget(self.only_changes, 1)
        options.addWidget(self.import_button)
        layout.addLayout(options)

        self.model = LevelDiffModel(self)
        self.proxy = _ChangedOnly(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(LevelDiffModel.SORT_ROLE)
        self.view = QTableView(self)
        self.view.setAccessibleName("Skills by level")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        prefer_name(self.view, LevelDiffModel.SKILL, LevelDiffModel.DIMENSION)
        self.criteria = QPlainTextEdit(self)
        self.criteria.setReadOnly(True)
        self.criteria.setAccessibleName("Promotion criteria")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.criteria)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        self.framework_combo.currentIndexChanged.connect(self._on_framework_changed)
        self.level_a.currentIndexChanged.connect(self._on_levels_changed)
        self.level_b.currentIndexChanged.connect(self._on_levels_changed)
        self.only_changes.toggled.connect(self._on_only_changes_toggled)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.reload()

    def reload(self, select: str | None = None, levels: tuple[str, str] | None = None) -> None:
        """Fill the framework list (the built-in first); `select` is an `ID@VERSION`."""
        infos = self._services.frameworks.all()
        self.framework_combo.blockSignals(True)
        self.framework_combo.clear()
        for info in sorted(infos, key=lambda i: (not i.builtin, i.id, i.version)):
            self.framework_combo.addItem(f"{info.name} ({info.ref})", info.ref)
        index = self.framework_combo.findData(select) if select else 0
        self.framework_combo.setCurrentIndex(max(0, index))
        self.framework_combo.blockSignals(False)
        self._on_framework_changed(levels=levels)

    def show_profile(self, profile_id: str) -> None:
        """Open on the profile's framework, comparing its level with its target."""
        profile = self._services.profiles.get(profile_id)
        self.reload(
            f"{profile.framework}@{profile.framework_version}", (profile.level, profile.target)
        )

    def _on_framework_changed(self, _index: int = 0, levels: tuple[str, str] | None = None) -> None:
        ref = self.framework_combo.currentData()
        if not ref:
            return
        framework = self._services.frameworks.load(ref)
        self.framework = framework
        for combo in (self.level_a, self.level_b):
            combo.blockSignals(True)
            combo.clear()
            for level in framework.levels:
                combo.addItem(level.name, level.id)
            combo.blockSignals(False)
        ids = [level.id for level in framework.levels]
        first, second = levels or (ids[0], ids[min(1, len(ids) - 1)])
        if first == second and first in ids and ids.index(first) + 1 < len(ids):
            second = ids[ids.index(first) + 1]  # at the top of a ladder compare with the next
        self.level_a.setCurrentIndex(max(0, self.level_a.findData(first)))
        self.level_b.setCurrentIndex(max(0, self.level_b.findData(second)))
        weights = ", ".join(f"{d.name} {d.weight}" for d in framework.dimensions)
        bands = " < ".join(f"{b.name} (from {b.from_readiness:g})" for b in framework.verdict_bands)
        self.summary.setText(
            f"{len(framework.skills)} skills in {len(framework.dimensions)} dimensions "
            f"(weights: {weights}); {len(framework.milestones)} milestones, "
            f"{len(framework.kpis)} KPIs. Verdicts: {bands}."
        )
        self._on_levels_changed()

    def _on_levels_changed(self) -> None:
        framework = self.framework
        lower, higher = self.level_a.currentData(), self.level_b.currentData()
        if framework is None or not lower or not higher:
            return
        diff = level_diff(framework, lower, higher)
        self.diff = diff
        self.model.set_rows(diff.skills)
        self.model.set_levels(diff.lower, diff.higher)
        changed = diff.changed
        if diff.lower == diff.higher:
            lines = [f"{diff.lower} is compared with itself: choose another level to compare."]
        else:
            lines = [
                f"From {diff.lower} up to {diff.higher}: {len(changed)} skill"
                f"{'s' if len(changed) != 1 else ''} expected higher or newly expected.",
                "",
                "Promotion criteria (the capabilities needed for each step up):",
            ]
        step = ""
        for criterion in diff.criteria:
            if criterion.step != step:
                step = criterion.step
                lines.append(f"Into {step}:")
            lines.append(f"• {criterion.text}")
            lines.append(f"    evidenced by: {', '.join(criterion.skills)}")
        self.criteria.setPlainText("\n".join(lines))
        self.criteria.moveCursor(QTextCursor.MoveOperation.Start)

    def _on_only_changes_toggled(self, checked: bool) -> None:
        self.proxy.only_changes = checked
        self.proxy.invalidate()

    # -- importing ---------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_import_clicked(self) -> None:
        path = dialogs.open_file(self, "Import a framework", IMPORT_FILTER)
        if path is None:
            return
        if path.suffix.lower() == ".csv":
            path = path.parent  # a CSV framework is the folder of its files
        self.import_button.setEnabled(False)
        self._set_status(f"Reading {path.name}…")
        frameworks = self._services.frameworks
        self._runner.submit(
            lambda: frameworks.preview_import(path),
            self._on_preview_read,
            owner=self,
            key="import-preview",
            on_error=lambda exc: self._on_import_failed("Import a framework", exc),
        )

    def _on_preview_read(self, preview: ImportPreview) -> None:
        self.import_button.setEnabled(True)
        self._set_status("")
        dialog = ImportPreviewDialog(preview, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_preview_accepted(preview))
        dialog.destroyed.connect(lambda: setattr(self, "preview", None))
        self.preview = dialog
        dialog.open()

    def _on_preview_accepted(self, preview: ImportPreview) -> None:
        framework = preview.framework
        if framework is None:
            return
        services, new = self._services, preview.new
        self.import_button.setEnabled(False)
        self._set_status(f"Importing {framework.ref}…")

        def store() -> FrameworkInfo:
            backups = services.store.backups
            safety = (  # as the command line: a backup first, kept if the import fails
                backups.kept_unless_failed("before-import")
                if new and backups is not None
                else contextlib.nullcontext()
            )
            with safety:
                info, _created = services.frameworks.import_framework(framework)
            return info

        self._runner.submit(
            store,
            self._on_imported,
            owner=self,
            on_error=lambda exc: self._on_import_failed("Import a framework", exc),
        )

    def _on_imported(self, info: FrameworkInfo) -> None:
        self.import_button.setEnabled(True)
        self._set_status(f"Imported {info.name} ({info.ref}).")
        self.reload(info.ref)

    def _on_import_failed(self, title: str, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        self._set_status("")
        dialogs.show_error(self, title, exc, self._services.store.data_dir)
