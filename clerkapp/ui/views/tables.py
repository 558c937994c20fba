"""The read-only tables the dialogs show (changed decisions, earlier orders, import results)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def read_only_table(columns: Sequence[str], *, stretch_last: bool = False,
                    word_wrap: bool = True, select_rows: bool = False) -> QTableWidget:
    """A table the clerk reads but cannot edit: columns sized to their contents, the last one
    optionally taking the spare width, no row numbers."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(word_wrap)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_last:
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table
