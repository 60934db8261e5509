"""The Frameworks section: browse a ladder and compare two of its levels on one screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.framework.model import Framework
from app.levels import LevelDiff, SkillDiff, level_diff
from app.services import Services
from ui.table_model import AnyIndex, RowTableModel, prefer_name

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


def _combo(parent: QWidget, name: str, length: int) -> QComboBox:
    """A combo as wide as `length` characters, however long its items (they elide)."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(length)
    return combo


class FrameworksPanel(QWidget):
    """Browse a stored framework; compare two levels skill by skill, with the criteria."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
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
        layout.addLayout(pickers)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Framework summary")
        layout.addWidget(self.summary)
        self.only_changes = QCheckBox("Show only what &changes between the levels", self)
        layout.addWidget(self.only_changes)

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
        lines = [
            f"From {diff.lower} to {diff.higher}: {len(changed)} skill"
            f"{'s' if len(changed) != 1 else ''} expected higher or newly expected.",
            "",
            "Promotion criteria (the capabilities needed for the next level):",
        ]
        for criterion in diff.criteria:
            lines.append(f"• {criterion.text}")
            lines.append(f"    evidenced by: {', '.join(criterion.skills)}")
        self.criteria.setPlainText("\n".join(lines))
        self.criteria.moveCursor(QTextCursor.MoveOperation.Start)

    def _on_only_changes_toggled(self, checked: bool) -> None:
        self.proxy.only_changes = checked
        self.proxy.invalidate()
