"""A read-only table model over a list of rows, the skeleton the list panels share;
`record_table`, the sortable view over one; and `prefer_name`, which keeps a table's
name column readable.

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
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

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


class NameFirst(QObject):
    """Keeps a table's name column readable as the table narrows.

    The name column (a skill's, say) takes the room the other columns leave; the
    columns that give way to it (the skill's dimension) are as wide as their
    contents while the names still fit, and narrow first when they do not, one
    after the other in the order given, down to `least` pixels each, eliding
    their text. A column given a `share` of the room (text worth reading beside
    the name, however long) takes that share whatever the width, or less if its
    contents need less. The other columns fit their contents. Install it with
    `prefer_name`.
    """

    def __init__(
        self,
        view: QTableView,
        name: int,
        give_way: tuple[int, ...],
        least: int,
        share: dict[int, float] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._name = name
        self._give_way = give_way
        self._least = least
        self._share = share or {}
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        for column in (name, *give_way):  # sized by `fit`: the name takes what is left
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
            signal.connect(self.fit)
        model.headerDataChanged.connect(self.fit)
        header.sectionResized.connect(self._on_section_resized)

    def fit(self, *_args: object) -> None:
        view, header = self._view, self._view.horizontalHeader()
        fitted = (self._name, *self._give_way)
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column not in fitted and not header.isSectionHidden(column)
        )
        room = view.viewport().width() - others

        def wanted(column: int) -> int:
            return max(view.sizeHintForColumn(column), header.sectionSizeHint(column))

        shares = {column: int(room * share) for column, share in self._share.items()}
        widths = {
            column: min(wanted(column), shares.get(column, room)) for column in self._give_way
        }
        missing = wanted(self._name) + sum(widths.values()) - room
        for column in self._give_way:  # the first gives way first
            cut = min(missing, widths[column] - max(self._least, shares.get(column, 0)))
            if cut > 0:
                widths[column] -= cut
                missing -= cut
        widths[self._name] = max(header.minimumSectionSize(), room - sum(widths.values()))
        for column, width in widths.items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self._name and column not in self._give_way:  # fitted to its contents
            self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False


def prefer_name(
    view: QTableView, name: int, *give_way: int, share: dict[int, float] | None = None
) -> NameFirst:
    """Make the `give_way` columns give way to `name` in `view`, the first first, except
    for the share of the room `share` gives one (see `NameFirst`); call once the view has
    its model."""
    least = view.fontMetrics().horizontalAdvance("Mmmmmm…") + 12
    return NameFirst(view, name, give_way, least, share)


def record_table(
    parent: QWidget,
    model: RowTableModel[Any],
    name: str,
    sort_role: int,
    newest: int,
    *,
    many: bool = False,
) -> tuple[QSortFilterProxyModel, QTableView]:
    """A sortable, read-only table of `model`'s records, a row each, the `newest` column's
    latest first; the Tab key leaves it and one row is chosen at a time unless `many`."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(sort_role)
    view = QTableView(parent)
    view.setAccessibleName(name)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if many
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.setSortingEnabled(True)
    view.sortByColumn(newest, Qt.SortOrder.DescendingOrder)
    view.horizontalHeader().setHighlightSections(False)
    return proxy, view
