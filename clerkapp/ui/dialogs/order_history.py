"""The print dialog's list of orders printed: the orders covering the selected convictions, the
latest ones, or every order still awaiting the judge's signature, with the day each was signed.

Several rows can be picked at once (Shift/Ctrl-click, Ctrl+A): the judge signs a stack of
per-case orders in one sitting, and the clerk records it in one step (order_closeout.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.orders.once import history_kind
from clerkapp.store.order_records import PrintedOrder
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.views.tables import read_only_table

RECENT = 20  # the latest orders shown when no selection asks for its own
AWAITING_LIMIT = 5000  # orders awaiting the signature listed at most (the count says more)
COLUMNS = ["Order no.", "Printed", "Kind", "Convictions", "Signed", "By", "File"]


class OrderHistoryPane(QWidget):
    """The label, the 'awaiting the signature' box and the table; `picked` gives the orders of
    the rows selected."""

    picked = Signal(list)  # [PrintedOrder]

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.orders: list[PrintedOrder] = []  # one per row
        self.label = QLabel()
        self.awaiting_box = QCheckBox("Awaiting signature only")
        self.awaiting_box.setToolTip(
            "Every order not yet recorded as signed, oldest first: pick several (Shift or"
            " Ctrl+click, Ctrl+A) and Mark signed… records them in one step")
        self.table = read_only_table(COLUMNS, stretch_last=True, word_wrap=False,
                                     select_rows=True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        top = QHBoxLayout()
        top.addWidget(self.label, 1)
        top.addWidget(self.awaiting_box)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.table, 1)
        self._ids: list[int] | None = None
        self._selection = False
        self.awaiting_box.toggled.connect(lambda _on: self.fill(self._ids, self._selection))
        self.table.itemSelectionChanged.connect(self._on_selection_changed)

    def fill(self, ids: list[int] | None, selection: bool) -> None:
        """'Was this printed, and when?': the orders covering the selected convictions (`ids`
        when the scope is the selection), else the latest; or every order awaiting the
        signature when the box is ticked."""
        self._ids, self._selection = ids, selection
        kept = {o.order_id for o in self.selected()}  # picked before: picked again if listed
        if self.awaiting_box.isChecked():
            orders = self.store.unsigned_orders(AWAITING_LIMIT)
            total = self.store.unsigned_order_count()
            more = f" (the oldest {len(orders):,} of {total:,})" if total > len(orders) else ""
            self.label.setText(f"Awaiting the judge's signature: {total:,}{more}"
                               if total else "Every order printed is recorded as signed.")
        elif ids and len(ids) <= 200 and selection:
            seen: dict[int, PrintedOrder] = {}
            for cid in ids:
                for order in self.store.order_history(cid):
                    seen.setdefault(order.order_id, order)
            orders = sorted(seen.values(), key=lambda o: o.order_id, reverse=True)
            self.label.setText("Earlier orders covering the selected convictions"
                               if orders else "The selected convictions were never printed.")
        else:
            orders = self.store.recent_orders(RECENT)
            self.label.setText("Recent orders" if orders else "No orders printed yet.")
        self.orders = list(orders)
        vacated = self.store.vacated_counts(o.order_id for o in self.orders)
        signed = self.store.signed_dates([o.order_id for o in self.orders])
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.orders))
        for row, order in enumerate(self.orders):
            kind = history_kind(order, vacated.get(order.order_id, 0))
            cells = [order.order_number or "—", local_time(order.created_at), kind,
                     f"{order.conviction_count:,}", signed.get(order.order_id, ""),
                     order.created_by, Path(order.path).name]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(order.path if col == len(cells) - 1 else text)
                self.table.setItem(row, col, item)
        self.table.clearSelection()
        for row, order in enumerate(self.orders):
            if order.order_id in kept:
                self._select_row(row)
        self.table.blockSignals(False)
        if kept or self.selected():  # nothing picked before or now: the bar keeps its order
            self._on_selection_changed()

    def _select_row(self, row: int) -> None:
        """Add a row to the selection (selectRow would replace it)."""
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(self.table.model().index(row, 0),
                                           flags.Select | flags.Rows)

    def selected(self) -> list[PrintedOrder]:
        """The orders of the rows selected, in list order."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.orders[r] for r in rows if 0 <= r < len(self.orders)]

    def _on_selection_changed(self) -> None:
        self.picked.emit(self.selected())
