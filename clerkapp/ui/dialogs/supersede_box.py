"""The print dialog's answer to "these convictions are ordered already" (orders/once.py): a
conviction is ordered once, so printing them is held back until the clerk chooses to replace
their orders in force, with the court's reason, or picks "not printed yet" instead."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLineEdit, QVBoxLayout, QWidget

from clerkapp.store.order_once import OrderInForce

NAMED = 3  # orders named in the dialog; the rest are counted


def ordered_text(in_force: Sequence[OrderInForce]) -> str:
    """"3 of them already have an order in force (Order No. …)": empty when none."""
    if not in_force:
        return ""
    ordered = sum(o.convictions for o in in_force)
    named = ", ".join(o.number for o in in_force[:NAMED])
    if len(in_force) > NAMED:
        named += f" and {len(in_force) - NAMED:,} more"
    return (f"{ordered:,} of them already have an order in force (Order No. {named}): a"
            " conviction is ordered once. Choose \"All approved, not printed yet\", or replace"
            " those orders below.")


class SupersedeBox(QWidget):
    """A check box and the reason: shown only while the scope holds ordered convictions."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Replace their orders in force: the court supersedes them")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("Reason (required), e.g. the signed paper was lost")
        self.reason_edit.setEnabled(False)
        self.check.setToolTip("Each new order names the order it supersedes; the DOJ and"
                              " case-system updates report the change.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.check, self.reason_edit):
            layout.addWidget(widget)
        self.check.toggled.connect(self._on_check_toggled)
        self.reason_edit.textChanged.connect(self.changed)
        self.hide()

    def _on_check_toggled(self, on: bool) -> None:
        self.reason_edit.setEnabled(on)
        self.changed.emit()

    def reason(self) -> str | None:
        """The reason to supersede, when the box is shown, ticked and the reason given."""
        text = self.reason_edit.text().strip()
        return text if self.isVisibleTo(self.parentWidget()) and self.check.isChecked() \
            and text else None

    def allows_printing(self) -> bool:
        """Printing may go ahead: nothing is ordered, or the clerk chose to supersede."""
        return not self.isVisibleTo(self.parentWidget()) or self.reason() is not None
