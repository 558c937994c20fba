"""File ▸ Imports…: every import (file, when, who, rows, convictions, decisions, orders printed
from it), and withdrawing one with a reason. A withdrawn import's convictions leave the queue,
the counts, the exports and the orders; its rows and decisions stay on record."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.sources import SOURCE_LABELS
from clerkapp.errors import BadInput
from clerkapp.store.withdrawals import ImportOverview
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.files import ask_save_path
from clerkapp.ui.views import prompts
from clerkapp.ui.views.tables import read_only_table

COLUMNS = ("#", "File", "Imported", "By", "Rows", "Convictions", "Row errors", "Decisions",
           "Orders printed", "Kind of list", "County", "Status")
WITHDRAWN_COLOR = QColor("#8a8f96")


class ImportsDialog(QDialog):
    withdrawn = Signal(int)  # import id: the window refreshes its queue

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Imports")
        self.imports: list[ImportOverview] = []
        self.table = read_only_table(COLUMNS, select_rows=True, word_wrap=False)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.withdraw_button = QPushButton("&Withdraw…")
        # an import's row errors, asked for later (the import dialog shows them only once)
        self.errors_button = QPushButton("Save row &errors as Excel…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.errors_button)
        row.addWidget(self.withdraw_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every file imported into this store, oldest first. Withdrawing"
                                " one takes its convictions out of the queue, the counts, the"
                                " exports and the orders; its rows and the decisions made on"
                                " them stay on record."))
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.withdraw_button.clicked.connect(self._on_withdraw_button_clicked)
        self.errors_button.clicked.connect(self._on_errors_button_clicked)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        em = self.fontMetrics().averageCharWidth()
        self.resize(min(em * 150, 1300), self.fontMetrics().height() * 24)
        self.reload()

    def reload(self) -> None:
        self.imports = self.store.imports_overview()
        t = self.table
        t.setRowCount(len(self.imports))
        for r, i in enumerate(self.imports):
            status = "Withdrawn" if i.status == "withdrawn" else "In use"
            cells = [i.id, i.file_name, local_time(i.started_at), i.operator, i.rows,
                     i.convictions, i.errors, i.decisions, i.orders,
                     SOURCE_LABELS.get(i.source_kind, i.source_kind or i.preset),
                     i.county or "as each row says", status]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if i.status == "withdrawn":
                    item.setForeground(QBrush(WITHDRAWN_COLOR))
                    item.setToolTip(f"Withdrawn {local_time(i.withdrawn_at)} by"
                                    f" {i.withdrawn_by}: {i.withdraw_reason}")
                t.setItem(r, c, item)
        if self.imports and not t.selectedItems():
            t.selectRow(len(self.imports) - 1)
        self._on_table_selection_changed()

    def current(self) -> ImportOverview | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.imports[min(rows)] if rows else None

    def _on_table_selection_changed(self) -> None:
        chosen = self.current()
        why = ""
        if chosen is None:
            why = "Choose an import to withdraw."
        elif chosen.status == "withdrawn":
            why = (f"Withdrawn {local_time(chosen.withdrawn_at)} by {chosen.withdrawn_by}:"
                   f" {chosen.withdraw_reason}")
        elif chosen.orders:
            why = (f"{chosen.orders:,} order(s) were printed from this import: a printed order"
                   " stands, so it cannot be withdrawn. Deny its convictions with a reason"
                   " instead.")
        self.note.setText(why)
        self.withdraw_button.setEnabled(chosen is not None and chosen.status != "withdrawn"
                                        and not chosen.orders)
        self.withdraw_button.setToolTip(why)
        self.errors_button.setEnabled(chosen is not None and chosen.errors > 0)

    def _on_errors_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None or not chosen.errors:
            return
        path = ask_save_path(self, "Save the import's row errors",
                             f"import-{chosen.id}-errors.xlsx")
        if path is not None:
            self.save_errors_to(chosen.id, path)

    def save_errors_to(self, import_id: int, path: Path) -> None:
        """The import's row errors (file, row, column, value, message) into `path`."""
        from clerkapp.reports.errors_export import export_import_errors

        try:
            n = export_import_errors(self.store, [import_id], path)
        except (BadInput, OSError) as exc:
            prompts.warn(self, "Not saved", str(exc))
            return
        self.note.setText(f"{n:,} row error(s) of import #{import_id} saved to {path.name}")

    def _on_withdraw_button_clicked(self) -> None:
        from clerkapp.ingest.withdraw import withdraw_import

        chosen = self.current()
        if chosen is None:
            return
        reason = prompts.ask_reason(
            self, "Withdraw import",
            f"Withdraw import #{chosen.id} ({chosen.file_name})? Its {chosen.convictions:,}"
            f" conviction(s) leave the queue, the counts, the exports and the orders;"
            f" {chosen.decisions:,} decision(s) made on them stay on record. Why? (required)")
        if not reason:
            return
        try:
            withdraw_import(self.store, chosen.id, reason=reason, by=self.store.clerk_name())
        except BadInput as exc:
            text = str(exc)
            prompts.warn(self, "Not withdrawn", text[:1].upper() + text[1:])
            return
        self.reload()
        self.withdrawn.emit(chosen.id)
