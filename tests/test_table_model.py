"""The list panels' table model: each row through any proxy (`ROW_ROLE`), and a view's
selection read as rows, in the order the view shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services import Services
from ui.frameworks import FrameworksPanel
from ui.table_model import RowTableModel
from ui.tasks import TaskRunner

pytestmark = pytest.mark.gui


@dataclass(frozen=True)
class Item:
    name: str
    size: int


class ItemModel(RowTableModel[Item]):
    NAME, SIZE = range(2)
    HEADERS = ("Name", "Size")

    def key(self, row: Item) -> str:
        return row.name

    def cell(self, row: Item, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, str(row.size))[column]
        if role == self.SORT_ROLE:
            return (row.name, row.size)[column]
        return None


B, C, A = ITEMS = (Item("b", 2), Item("c", 3), Item("a", 1))


@dataclass
class Table:
    model: ItemModel
    proxy: QSortFilterProxyModel
    view: QTableView


@pytest.fixture
def table(qtbot: QtBot) -> Table:
    """The items in a view sorted by size, largest first: C, B, A."""
    view = QTableView()
    qtbot.addWidget(view)
    model = ItemModel(view)  # the view owns both, as a panel does
    model.set_rows(list(ITEMS))
    proxy = QSortFilterProxyModel(view)
    proxy.setSourceModel(model)
    proxy.setSortRole(ItemModel.SORT_ROLE)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setSortingEnabled(True)
    view.sortByColumn(ItemModel.SIZE, Qt.SortOrder.DescendingOrder)
    view.show()
    qtbot.waitExposed(view)
    return Table(model, proxy, view)


def click_row(qtbot: QtBot, view: QTableView, row: int, column: int, ctrl: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    center = view.visualRect(view.model().index(row, column)).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, center)


def test_the_model_and_its_proxy_pass_the_model_tester(
    qtmodeltester: ModelTester, table: Table
) -> None:
    qtmodeltester.check(table.model)
    qtmodeltester.check(table.proxy)


def test_every_cell_gives_its_row_through_the_proxy(table: Table) -> None:
    shown = [
        [table.proxy.index(row, column).data(ItemModel.ROW_ROLE) for column in range(2)]
        for row in range(3)
    ]
    assert shown == [[C, C], [B, B], [A, A]]
    assert shown[0][0] is C  # the row itself, not a copy


def test_the_selection_reads_as_rows_in_the_order_shown(qtbot: QtBot, table: Table) -> None:
    model, view = table.model, table.view
    view.clearSelection()
    assert model.selected_rows(view) == []
    click_row(qtbot, view, 2, ItemModel.NAME)
    click_row(qtbot, view, 0, ItemModel.SIZE, ctrl=True)
    assert model.selected_rows(view) == [C, A]  # as listed, not as clicked
    # Sorted the other way, the same selection reads the other way.
    view.sortByColumn(ItemModel.SIZE, Qt.SortOrder.AscendingOrder)
    assert model.selected_rows(view) == [A, C]


def test_a_view_of_another_model_is_refused(table: Table) -> None:
    with pytest.raises(ValueError, match="does not show this model"):
        ItemModel().selected_rows(table.view)


def test_the_level_comparison_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, services: Services, runner: TaskRunner
) -> None:
    panel = FrameworksPanel(services, runner)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() > 0
    qtmodeltester.check(panel.model)
    panel.only_changes.setChecked(True)
    qtmodeltester.check(panel.proxy)
    # The filter keeps what changes; selecting everything reads just those rows.
    panel.view.selectAll()
    changes = [row for row in panel.model.rows() if row.change in {"new", "raised", "lowered"}]
    assert 0 < len(changes) < panel.model.rowCount()
    assert panel.model.selected_rows(panel.view) == changes
