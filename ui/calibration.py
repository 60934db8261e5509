"""The calibration table of the Assessment section: every skill, the owner's rating beside
the manager's, which is typed or chosen on its row, the largest disagreements first."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.services.manager import CalibrationRow
from ui.table_model import AnyIndex, RowTableModel

NOT_RATED = "—"
MINUS = "−"


def _signed(value: int | None) -> str:
    """A difference as "+1", "−2" or "0" (agreement); empty when there is none."""
    if value is None:
        return ""
    return f"{value:+d}".replace("-", MINUS) if value else "0"


class CalibrationModel(RowTableModel[CalibrationRow]):
    """Every skill: the owner's rating beside the manager's, which is editable.

    Signals:
        calibrated(str, object): the manager rated a skill (its id; the value, or None).
    """

    SKILL, DIMENSION, SELF, MANAGER, DIFFERENCE, EXPECTED = range(6)
    HEADERS = ("Skill", "Dimension", "Self", "Manager", "Difference", "Expected")
    HEADER_TIPS: ClassVar[dict[int, str]] = {
        SELF: "The owner's own rating",
        MANAGER: "Your rating",
        DIFFERENCE: "Your rating minus the owner's",
        EXPECTED: "The rating expected at the owner's target level",
    }
    RECEIVED_TIPS: ClassVar[dict[int, str]] = {  # the owner reading what was sent back
        SELF: "Your own rating",
        MANAGER: "{}'s rating",
        DIFFERENCE: "{}'s rating minus yours",
        EXPECTED: "The rating expected at your target level",
    }
    calibrated = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scale: dict[int, str] = {}  # the framework's rating scale: value → label
        self.editable = True  # False: an earlier assessment, or the manager would not sign
        # Who assessed, when the owner reads an assessment sent back to them (read-only).
        self.assessor: str | None = None

    def key(self, row: CalibrationRow) -> str:
        return row.skill_id

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if self.assessor is not None:
                tip = self.RECEIVED_TIPS.get(section)
                return tip.format(self.assessor) if tip else None
            return self.HEADER_TIPS.get(section)
        return super().headerData(section, orientation, role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == self.MANAGER and self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def cell(self, row: CalibrationRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.EditRole and column == self.MANAGER:
            return row.manager_rating
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.SELF, self.MANAGER):
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.SELF:
            return Qt.AlignmentFlag.AlignCenter
        if role == self.SORT_ROLE:
            numbers = {
                self.SELF: row.self_rating,
                self.MANAGER: row.manager_rating,
                self.DIFFERENCE: None if row.difference is None else abs(row.difference),
                self.EXPECTED: row.expected,
            }
            if column in numbers:
                value = numbers[column]
                return -1 if value is None else value  # nothing to compare sorts last
            return self._text(row, column).casefold()
        return None

    def _text(self, row: CalibrationRow, column: int) -> str:
        if column == self.SKILL:
            return row.name
        if column == self.DIMENSION:
            return row.dimension
        if column == self.SELF:
            if row.not_applicable:
                return "n/a"
            return NOT_RATED if row.self_rating is None else str(row.self_rating)
        if column == self.MANAGER:
            return NOT_RATED if row.manager_rating is None else str(row.manager_rating)
        if column == self.DIFFERENCE:
            return _signed(row.difference)
        return str(row.expected)

    def _tooltip(self, row: CalibrationRow, column: int) -> str:
        if self.assessor is not None:
            return self._received_tooltip(row, column, self.assessor)
        if column == self.SELF:
            if row.not_applicable:
                return "The owner marked this skill not applicable."
            if row.self_rating is None:
                return "Never rated by the owner (counts as 0)."
            return f"The owner's rating: {self.scale.get(row.self_rating, '')}"
        if row.manager_rating is None:
            return "Not rated by you yet: type a rating." if self.editable else "Not rated."
        return f"Your rating: {self.scale.get(row.manager_rating, '')}"

    def _received_tooltip(self, row: CalibrationRow, column: int, assessor: str) -> str:
        if column == self.SELF:
            if row.not_applicable:
                return "You marked this skill not applicable."
            if row.self_rating is None:
                return "Not rated by you yet (counts as 0)."
            return f"Your rating: {self.scale.get(row.self_rating, '')}"
        if row.manager_rating is None:
            return f"Not rated by {assessor}."
        return f"{assessor}'s rating: {self.scale.get(row.manager_rating, '')}"

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_at(index)
        if row is None or index.column() != self.MANAGER or role != Qt.ItemDataRole.EditRole:
            return False
        if not self.editable:
            return False
        if value is not None and value not in self.scale:
            return False
        if value != row.manager_rating:
            self._rows[index.row()] = replace(row, manager_rating=value)
            self.dataChanged.emit(
                self.index(index.row(), self.MANAGER), self.index(index.row(), self.DIFFERENCE)
            )
            self.calibrated.emit(row.skill_id, value)
        return True


class RatingDelegate(QStyledItemDelegate):
    """Edits the manager's rating with a combo of the framework's scale ("—" clears it);
    a choice is saved at once, whether clicked or typed."""

    def __init__(self, model: CalibrationModel, parent: QObject) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(
        self, parent: QWidget, _option: QStyleOptionViewItem, _index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Your rating")
        combo.addItem(f"{NOT_RATED} not rated", None)
        for value, label in self._model.scale.items():
            combo.addItem(f"{value} · {label}", value)
        combo.activated.connect(lambda _i: self._on_chosen(combo))
        return combo

    def _on_chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setCurrentIndex(0 if value is None else max(0, editor.findData(value)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
