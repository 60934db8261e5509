"""A read-only table model over a list of rows, the skeleton the list panels share.

A subclass names its columns in `HEADERS`, says which field identifies a row in
`key()`, and answers `data()`; this class holds the rows and does the rest.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

AnyIndex = QModelIndex | QPersistentModelIndex

T = TypeVar("T")


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Rows of `T`, one a table row, in the order they were set."""

    HEADERS: ClassVar[tuple[str, ...]] = ()
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def key(self, row: T) -> str:
        """What identifies a row, for `row_of`."""
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
        """The row an index points at, or None for an invalid or stale index."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

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
