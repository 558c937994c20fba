"""The print dialog's "Reprint as printed…" for the order picked in its history: a copy of the
order's recorded file, byte for byte, checked against the sha256 recorded when it was printed
(`orders.reprint`); never a new drawing, never a new order number. A missing or changed file
is said in one line, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clerkapp.errors import ClerkError
from clerkapp.orders.reprint import Reprint, reprint_order
from clerkapp.store.order_records import PrintedOrder
from clerkapp.ui.files import SafeFileDialog


class OrderReprintBar(QWidget):
    """One button acting on the order `set_order` chose; `folder` gives the folder offered."""

    def __init__(self, store, folder: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.folder = folder
        self.order: PrintedOrder | None = None
        self.done: Reprint | None = None
        self.button = QPushButton("Reprint as printed…")
        self.button.setToolTip("A copy of the order's recorded file, byte for byte, checked"
                               " against its recorded sha256: never a new order or number")
        self.label = QLabel()
        self.label.setWordWrap(True)
        # two lines kept for what a reprint did: the history above gives up the room
        self.label.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        # the words under the button: beside it they wrap a word a line
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.label)
        self.button.clicked.connect(self._on_button_clicked)
        self.set_order(None)

    def set_order(self, order: PrintedOrder | None) -> None:
        self.order = order
        self.button.setEnabled(order is not None)
        self.label.setText("" if order is not None else "Pick an order in the list to reprint it.")

    def _on_button_clicked(self) -> None:
        if self.order is None:
            return
        folder = SafeFileDialog.getExistingDirectory(self, "Folder for the copy", self.folder())
        if folder:
            self.reprint_into(folder)

    def reprint_into(self, folder: str) -> Reprint | None:
        """Write the copy into `folder` and open it; say what is wrong instead when the
        recorded file is missing or changed."""
        if self.order is None:
            return None
        number = self.order.order_number or f"#{self.order.order_id}"
        try:
            self.done = reprint_order(self.store, number, folder,
                                      operator=self.store.clerk_name())
        except ClerkError as exc:
            self.done = None
            self.label.setText(f"Not reprinted: {exc}")
            return None
        self.label.setText(f"Order {number} as printed on {self.done.order.created_at[:10]}:"
                           f" a copy of its recorded file, byte for byte, {self.done.path.name}."
                           " No new order was made.")
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.done.path)))
        return self.done
