"""The print dialog's close-out bar for one order: the judge's review list before signing
and the final report after it (bulk orders), and recording the signing (every order: a
per-case order is signed by the judge too, and until it is recorded the DOJ update and the
confirmation of relief leave its convictions out, closeout/unsigned.py).

Offered at once after a bulk order is printed, and for any order picked in the print
history. Reports are written in the background and opened when done.
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
from clerkapp.closeout.signing import mark_signed
from clerkapp.domain.closeout import due_date
from clerkapp.errors import ClerkError
from clerkapp.store.order_records import PrintedOrder
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.workers import Job, run_with_progress


class SignDialog(QDialog):
    """When did the judge sign, and who: the date starts the DOJ deadline."""

    def __init__(self, number: str, judge: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Order {number} signed")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.judge = QLineEdit(judge)
        form = QFormLayout(self)
        form.addRow("Signed on", self.date)
        form.addRow("Judge", self.judge)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class OrderCloseoutBar(QWidget):
    """Buttons acting on one order; `set_order` chooses it."""

    signed = Signal(int)  # order id

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.order: PrintedOrder | None = None
        self.job: Job | None = None
        self.report: ReportSummary | None = None
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
        if self.order is None:
            return ""
        return self.order.order_number or f"#{self.order.order_id}"

    def set_order(self, order: PrintedOrder | None) -> None:
        self.order = order
        bulk = order is not None and order.kind == "bulk"
        signature = self.store.order_signature(order.order_id) if order is not None else None
        what = "Bulk order" if bulk else "Order"
        if order is None:
            self.label.setText("Pick an order in the list to record its signing (and, for a"
                               " bulk order, the judge's reports).")
        elif signature is None:
            self.label.setText(f"{what} {self.number}: not recorded as signed yet; until it"
                               " is, the DOJ update and the confirmation of relief leave its"
                               " convictions out.")
        else:
            due = due_date(signature.signed_on, self.store.doj_days()).isoformat()
            self.label.setText(f"{what} {self.number}: signed {signature.signed_on}"
                               f"{' by ' + signature.judge if signature.judge else ''};"
                               f" DOJ report due {due}.")
        idle = self.job is None
        self.review_button.setEnabled(bulk and idle)
        self.sign_button.setEnabled(order is not None and idle)
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
        self.label.setText("Writing the report…")
        self.job = run_with_progress(self, "Judge's report", self.store.path, service,
                                     self.number, path, operator=self.store.clerk_name(),
                                     on_success=self._on_report_written,
                                     on_failure=self._on_report_failed, unit="convictions")
        self.job.finished.connect(self._on_job_finished)
        self.set_order(self.order)

    def _on_report_written(self, summary: ReportSummary) -> None:
        self.report = summary
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(summary.path)))

    def _on_report_failed(self, message: str) -> None:
        self.report = None
        self.label.setText(message[:1].upper() + message[1:])

    def _on_job_finished(self) -> None:
        self.job = None
        failed = self.report is None
        text = self.label.text()
        self.set_order(self.order)
        if failed:
            self.label.setText(text)
        else:
            self.label.setText(self.label.text() + f" Report written: {self.report.path.name}.")

    def _on_sign_clicked(self) -> None:
        if self.order is None:
            return
        judge = str(self.store.get_setting("court.judge") or "")
        self.sign_dialog = SignDialog(self.number, judge, self)
        self.sign_dialog.accepted.connect(self._on_sign_accepted)
        self.sign_dialog.open()

    def _on_sign_accepted(self) -> None:
        dialog = self.sign_dialog
        if dialog is None or self.order is None:
            return
        try:
            mark_signed(self.store, self.number, dialog.date.date().toString("yyyy-MM-dd"),
                        judge=dialog.judge.text(), operator=self.store.clerk_name())
        except ClerkError as exc:
            self.label.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.set_order(self.order)
        self.signed.emit(self.order.order_id)
