"""The print dialog's warning: convictions of a DOJ list and a court list never reconciled.

Shown under the counts while the convictions to print hold any (orders/reconciled.py), with a
*Reconcile…* button; Print asks once more (*Print anyway* / *Reconcile…* / *Cancel*), since a
conviction on both lists would be ordered twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from clerkapp.orders.reconciled import count_unreconciled, unreconciled_text
from clerkapp.ui.views import prompts


class UnreconciledBox(QWidget):
    """The count and the way to reconcile; hidden when there is nothing to say."""

    reconciled = Signal()  # the reconcile dialog closed: count again

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.count = 0
        self.dialog = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #9a3412;")
        self.button = QPushButton("Reconcile…")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(self.open_reconcile)
        self.setVisible(False)

    def recount(self, ids: Sequence[int] | None, only_unprinted: bool) -> int:
        self.count = count_unreconciled(self.store, ids, only_unprinted=only_unprinted)
        self.label.setText(f"Before printing: {self.text()}." if self.count else "")
        self.setVisible(bool(self.count))
        return self.count

    def text(self) -> str:
        return unreconciled_text(self.count)

    def allows_printing(self) -> bool:
        """Asked at Print: True to print (nothing to say, or the clerk goes on)."""
        if not self.count:
            return True
        answer = prompts.ask_go_on(self.window(), "Print orders",
                                   f"{self.text()}, or print anyway.", "Print anyway",
                                   "Reconcile…")
        if answer == "fix":
            self.open_reconcile()
        return answer == "go"

    def open_reconcile(self) -> None:
        from clerkapp.ui.dialogs.reconcile_dialog import ReconcileDialog

        dialog = ReconcileDialog(self.store, self.window())  # a child: goes with the dialog
        dialog.finished.connect(lambda _code: self.reconciled.emit())
        self.dialog = dialog
        dialog.open()
