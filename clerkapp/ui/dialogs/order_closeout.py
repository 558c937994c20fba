"""The print dialog's close-out bar for one order: the judge's review list before signing
and the final report after it (bulk orders), and recording the signing (every order: a
per-case order is signed by the judge too, and until it is recorded the DOJ update and the
confirmation of relief leave its convictions out, closeout/unsigned.py).

Offered at once after a bulk order is printed, and for any order picked in the print
history. Several orders picked at once (a stack of per-case orders the judge signed in one
sitting) are marked signed in one step: one date and judge, the orders listed before anything
is recorded, each order checked and audited, all or none, in the background with Cancel
(`closeout.signing.mark_many_signed`, as `orders --mark-signed A B C` does). A signing recorded
by mistake is corrected by marking the order again (both records stay, audited); there is no
undo, as on the command line. Reports are written in the background and opened when done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clerkapp.closeout.batch_report import ReportSummary, write_final_report, write_review_list
from clerkapp.closeout.signing import mark_many_signed, signing_corrected
from clerkapp.domain.closeout import due_date
from clerkapp.store.closeout_orders import OrderSignature
from clerkapp.store.order_records import PrintedOrder
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.workers import Job, run_with_progress


class SignDialog(QDialog):
    """When did the judge sign, and who: the date starts the DOJ deadline. Several orders are
    listed by number before anything is recorded, with those recorded as signed already."""

    LISTED = 12  # numbers listed in full; the rest are counted

    def __init__(self, numbers: list[str], judge: str, parent: QWidget | None = None,
                 signed_already: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Order {numbers[0]} signed" if len(numbers) == 1
                            else f"{len(numbers):,} orders signed")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.judge = QLineEdit(judge)
        form = QFormLayout(self)
        self.orders_label = QLabel()
        self.orders_label.setWordWrap(True)
        if len(numbers) > 1:
            more = len(numbers) - self.LISTED
            listed = ", ".join(numbers[:self.LISTED]) + (f" and {more:,} more" if more > 0 else "")
            again = signed_already or []
            self.orders_label.setText(
                f"Record that the judge signed these {len(numbers):,} orders on the day below:"
                f" {listed}." + (f" {len(again):,} of them ({', '.join(again[:6])}"
                                 f"{', …' if len(again) > 6 else ''}) are recorded as signed"
                                 " already: their date is corrected." if again else ""))
            self.orders_label.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
            form.addRow(self.orders_label)
        form.addRow("Signed on", self.date)
        form.addRow("Judge", self.judge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Mark signed" if len(numbers) == 1 else f"Mark {len(numbers):,} signed")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class OrderCloseoutBar(QWidget):
    """Buttons acting on the orders picked; `set_order` / `set_orders` choose them."""

    signed = Signal(int)  # order id, once per order recorded as signed
    signings_recorded = Signal(list)  # [OrderSignature], once per Mark signed…

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.order: PrintedOrder | None = None  # one order picked (None with several)
        self.orders: list[PrintedOrder] = []  # every order picked
        self.job: Job | None = None
        self.report: ReportSummary | None = None
        self.signatures: list[OrderSignature] | None = None  # the last Mark signed…'s
        self.note = ""  # what the last action said, after the orders' state
        self.signed_before: dict[str, OrderSignature | None] = {}  # the orders being signed
        self.sign_dialog: SignDialog | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.review_button = QPushButton("Review list for the judge…")
        self.sign_button = QPushButton("Mark signed…")
        self.final_button = QPushButton("Final report…")
        # the words on a line of their own: beside three buttons they wrap a word a line
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.label)
        row = QHBoxLayout()
        for button in (self.review_button, self.sign_button, self.final_button):
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        self.review_button.clicked.connect(self._on_review_clicked)
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.final_button.clicked.connect(self._on_final_clicked)
        self.set_order(None)

    @property
    def number(self) -> str:
        return _number(self.order) if self.order is not None else ""

    def set_order(self, order: PrintedOrder | None) -> None:
        self.set_orders([order] if order is not None else [])

    def set_orders(self, orders: list[PrintedOrder]) -> None:
        """The orders picked in the list; the note of the last action stays while they do
        (and when the list no longer shows them: signed, they left 'awaiting signature')."""
        if orders and [o.order_id for o in orders] != [o.order_id for o in self.orders]:
            self.note = ""
        self.orders = list(orders)
        self.order = orders[0] if len(orders) == 1 else None
        self._show()

    def _show(self) -> None:
        order = self.order
        bulk = order is not None and order.kind == "bulk"
        signature = self.store.order_signature(order.order_id) if order is not None else None
        what = "Bulk order" if bulk else "Order"
        if len(self.orders) > 1:
            signed = self.store.signed_dates([o.order_id for o in self.orders])
            waiting = len(self.orders) - len(signed)
            text = (f"{len(self.orders):,} orders picked: {waiting:,} not recorded as signed"
                    " yet" + (f", {len(signed):,} signed already (marking them again"
                              " corrects the date)" if signed else "")
                    + ". The judge's reports are for one bulk order at a time.")
        elif order is None:
            text = ("Pick an order in the list to record its signing (and, for a bulk order,"
                    " the judge's reports); pick several to record them signed at once.")
        elif signature is None:
            text = (f"{what} {self.number}: not recorded as signed yet; until it is, the DOJ"
                    " update, the notices and the confirmation of relief leave its"
                    " convictions out.")
        else:
            due = due_date(signature.signed_on, self.store.doj_days()).isoformat()
            text = (f"{what} {self.number}: signed {signature.signed_on}"
                    f"{' by ' + signature.judge if signature.judge else ''};"
                    f" DOJ report due {due}.")
        if not self.orders and self.note:  # what was just done, alone: it fits two lines
            text = ""
        self.label.setText(f"{text} {self.note}".strip())
        idle = self.job is None
        self.review_button.setEnabled(bulk and idle)
        self.sign_button.setText("Mark signed…" if len(self.orders) <= 1
                                 else f"Mark {len(self.orders):,} signed…")
        self.sign_button.setEnabled(bool(self.orders) and idle)
        self.final_button.setEnabled(bulk and idle and signature is not None)

    def offer_review(self, order: PrintedOrder) -> None:
        """Right after a bulk order is printed: the review list is the next step."""
        self.set_order(order)
        self.review_button.setDefault(True)
        self.review_button.setFocus()

    def _on_review_clicked(self) -> None:
        self._write("review", write_review_list)

    def _on_final_clicked(self) -> None:
        self._write("final", write_final_report)

    def _write(self, kind: str, service) -> None:
        if self.order is None or self.order.kind != "bulk":
            return
        suffix = "-review-list.pdf" if kind == "review" else "-final-report.pdf"
        suggested = Path(self.order.path).with_name(Path(self.order.path).stem + suffix)
        path, _ = SafeFileDialog.getSaveFileName(self, "Save the judge's report", str(suggested),
                                                 "PDF (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.report = None
        self.note = "Writing the report…"
        self.job = run_with_progress(self, "Judge's report", self.store.path, service,
                                     self.number, path, operator=self.store.clerk_name(),
                                     on_success=self._on_report_written,
                                     on_failure=self._on_failed, unit="convictions")
        self.job.finished.connect(self._on_job_finished)
        self._show()

    def _on_report_written(self, summary: ReportSummary) -> None:
        self.report = summary
        self.note = f"Report written: {summary.path.name}."
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(summary.path)))

    def _on_failed(self, message: str) -> None:
        self.note = message[:1].upper() + message[1:]

    def _on_job_finished(self) -> None:
        self.job = None
        self._show()

    def _on_sign_clicked(self) -> None:
        if not self.orders or self.job is not None:
            return
        judge = str(self.store.get_setting("court.judge") or "")
        signed = self.store.signed_dates([o.order_id for o in self.orders])
        self.sign_dialog = SignDialog([_number(o) for o in self.orders], judge, self,
                                      [_number(o) for o in self.orders if o.order_id in signed])
        self.sign_dialog.accepted.connect(self._on_sign_accepted)
        self.sign_dialog.open()

    def _on_sign_accepted(self) -> None:
        """Record the signing in the background (a bulk order's convictions, or hundreds of
        per-case orders, take a moment), all or none, with Cancel."""
        dialog = self.sign_dialog
        if dialog is None or not self.orders or self.job is not None:
            return
        self.signatures = None
        # each order's signing before: one recorded again corrects it, said once recorded
        self.signed_before = {_number(o): self.store.order_signature(o.order_id)
                              for o in self.orders}
        self.note = "Recording the signing…"
        self.job = run_with_progress(
            self, "Recording the signing", self.store.path, mark_many_signed,
            [_number(o) for o in self.orders], dialog.date.date().toString("yyyy-MM-dd"),
            judge=dialog.judge.text(), operator=self.store.clerk_name(),
            on_success=self._on_signed, on_failure=self._on_failed,
            on_cancel=self._on_sign_cancelled, unit="orders")
        self.job.finished.connect(self._on_job_finished)
        self._show()

    def _on_signed(self, signatures: list[OrderSignature]) -> None:
        self.signatures = signatures
        first = signatures[0]
        due = due_date(first.signed_on, self.store.doj_days()).isoformat()
        self.note = (f"{len(signatures):,} orders recorded as signed on {first.signed_on}"
                     f"{' by ' + first.judge if first.judge else ''}; DOJ report due {due}."
                     if len(signatures) > 1 else "")
        corrected = [signing_corrected(self.store, number, before)
                     for number, before in self.signed_before.items()]
        for text in filter(None, corrected):  # an update told the DOJ the earlier date or judge
            self.note = f"{self.note} {text[:1].upper()}{text[1:]}.".strip()
        for signature in signatures:
            self.signed.emit(signature.order_id)
        self.signings_recorded.emit(signatures)

    def _on_sign_cancelled(self) -> None:
        self.note = "Cancelled: no signing was recorded."


def _number(order: PrintedOrder) -> str:
    """The order's number as printed, or `#id` for one printed before numbers existed."""
    return order.order_number or f"#{order.order_id}"
