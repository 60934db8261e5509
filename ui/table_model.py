"""A read-only table model over a list of rows, the skeleton the list panels share.

A subclass names its columns in `HEADERS`, says which field identifies a row in
`key()`, and answers `cell()`; this class holds the rows and does the rest.
Every cell answers `ROW_ROLE` with its row, through any proxy in between, so
a view's selection reads as rows (`selected_rows`).
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView

AnyIndex = QModelIndex | QPersistentModelIndex

T = TypeVar("T")


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of `T`, one a table row, in the order they were set."""

    HEADERS: ClassVar[tuple[str, ...]] = ()
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row itself, in every column

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def key(self, row: T) -> str:
        """What identifies a row, for `row_of`."""
        raise NotImplementedError

    def cell(self, row: T, column: int, role: int) -> Any:
        """What `row` shows in `column` for `role`; None for nothing."""
        raise NotImplementedError

    def set_rows(self, rows: list[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_of(self, key: str) -> int:
        """The row whose `key()` is `key`, or -1."""
        return next((n for n, row in enumerate(self._rows) if self.key(row) == key), -1)

    def info(self, row: int) -> T:
        return self._rows[row]

    def row_at(self, index: AnyIndex) -> T | None:
        """The row an index of this model points at, or None for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    # -- reading a view ----------------------------------------------------------

    def selected_rows(self, view: QAbstractItemView) -> list[T]:
        """The rows selected in `view` (showing this model, or a proxy of it), in the
        order the view shows them."""
        self._check_shown_in(view)
        indexes = sorted(view.selectionModel().selectedRows(), key=lambda index: index.row())
        return [cast(T, index.data(self.ROW_ROLE)) for index in indexes]

    def _check_shown_in(self, view: QAbstractItemView) -> None:
        model: QAbstractItemModel | None = view.model()
        while isinstance(model, QAbstractProxyModel):
            model = model.sourceModel()
        if model is not self:
            raise ValueError("the view does not show this model")

    # -- QAbstractTableModel -----------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role == self.ROW_ROLE:
            return row
        return self.cell(row, index.column(), role)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None
