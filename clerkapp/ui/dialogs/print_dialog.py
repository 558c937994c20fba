"""File ▸ Print orders: per-case orders or one bulk order, for the decisions the clerk picks.

Only approved decisions are printed (the service refuses anything else). The dialog shows how
many convictions each choice covers and how many were printed before; convictions that
already have an order in force are held back until the clerk chooses to supersede those
orders, with the reason (a conviction is ordered once: orders/once.py). It previews the first order, prints in the background with Cancel, and
afterwards offers to open the folder or the PDF. An order picked in the history can be
reprinted as it was printed (its recorded file, byte for byte: order_reprint.py). The output folder is remembered per desk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clerkapp.errors import ClerkError
from clerkapp.orders.juvenile import juvenile_ids
from clerkapp.orders.service import OrdersSummary, missing_profile, preview_order, print_orders
from clerkapp.ui.dialogs.order_closeout import OrderCloseoutBar
from clerkapp.ui.dialogs.order_history import OrderHistoryPane
from clerkapp.ui.dialogs.order_reprint import OrderReprintBar
from clerkapp.ui.dialogs.print_preview import preview_folder, rasterize
from clerkapp.ui.dialogs.supersede_box import SupersedeBox, ordered_text
from clerkapp.ui.dialogs.unreconciled_box import UnreconciledBox
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.workers import Job, run_with_progress

FOLDER_KEY = "orders/output_folder"
SCOPES = (  # key, label
    ("selection", "Selected rows"),
    ("filter", "Current filter"),
    ("unprinted", "All approved, not printed yet"),
    ("all", "All approved"),
)


class PrintOrdersDialog(QDialog):
    """Choose what to print and where; print in the background; open the result."""

    orders_printed = Signal(object)  # OrdersSummary

    def __init__(self, store, parent: QWidget | None = None,
                 filter_ids_provider: Callable[[], Sequence[int]] | None = None,
                 selected_ids: Sequence[int] = (), settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.filter_ids_provider = filter_ids_provider
        self.selected_ids = list(selected_ids)
        self.settings = settings if settings is not None else QSettings()
        self.job: Job | None = None
        self.summary: OrdersSummary | None = None
        self.preview_pdf: Path | None = None
        self._filter_ids: list[int] | None = None
        self.setWindowTitle("Print orders")

        # what kind of order
        self.case_radio = QRadioButton("One order per case (modelled on CR-403)")
        self.bulk_radio = QRadioButton("One bulk order with Exhibit A listing every conviction")
        self.case_radio.setChecked(True)
        self.sort_combo = QComboBox()
        self.sort_combo.addItem("by case number", "case")
        self.sort_combo.addItem("by name", "name")
        self.sort_combo.setEnabled(False)
        sort_row = QHBoxLayout()
        sort_row.addSpacing(self.fontMetrics().averageCharWidth() * 4)
        sort_row.addWidget(QLabel("Exhibit A sorted"))
        sort_row.addWidget(self.sort_combo)
        sort_row.addStretch(1)
        kind_box = QGroupBox("Order")
        kind_layout = QVBoxLayout(kind_box)
        kind_layout.addWidget(self.case_radio)
        kind_layout.addWidget(self.bulk_radio)
        kind_layout.addLayout(sort_row)

        # which decisions
        self.scope_group = QButtonGroup(self)
        self.scope_radios: dict[str, QRadioButton] = {}
        scope_box = QGroupBox("Decisions (approved only)")
        scope_layout = QVBoxLayout(scope_box)
        for key, label in SCOPES:
            radio = QRadioButton(label)
            radio.setProperty("scope", key)
            self.scope_radios[key] = radio
            self.scope_group.addButton(radio)
            scope_layout.addWidget(radio)
        self.scope_radios["selection"].setEnabled(bool(self.selected_ids))
        self.scope_radios["filter"].setEnabled(filter_ids_provider is not None)
        default = "selection" if self.selected_ids else "unprinted"
        self.scope_radios[default].setChecked(True)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        scope_layout.addWidget(self.count_label)
        # which recitals each order will use, and why (orders/wording.py)
        self.wording_label = QLabel()
        self.wording_label.setWordWrap(True)
        self.wording_label.setTextFormat(Qt.TextFormat.PlainText)
        scope_layout.addWidget(self.wording_label)
        self.supersede_box = SupersedeBox(self)  # shown while the scope holds ordered ones
        scope_layout.addWidget(self.supersede_box)
        self.unreconciled = UnreconciledBox(store, self)  # a conviction on both lists
        scope_layout.addWidget(self.unreconciled)

        # where
        self.folder_edit = QLineEdit(str(self.settings.value(FOLDER_KEY, "") or
                                         Path.home() / "clerkapp-orders"))
        self.folder_button = QPushButton("Choose…")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form = QFormLayout()
        form.addRow("Output folder", folder_row)

        # court profile
        self.profile_label = QLabel()
        self.profile_label.setWordWrap(True)
        self.profile_button = QPushButton("Court profile…")
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_label, 1)
        profile_row.addWidget(self.profile_button)

        # preview and history
        self.preview_button = QPushButton("Preview first order")
        self.preview_label = QLabel("No preview yet.")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidget(self.preview_label)
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self.history = OrderHistoryPane(store, self)  # several can be picked to sign at once
        self.history_table = self.history.table
        self.history_label = self.history.label
        self.closeout = OrderCloseoutBar(store, self)  # the judge's reports, the signing
        self.reprint = OrderReprintBar(store, self.folder_edit.text, self)  # as printed

        # result
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.open_folder_button = QPushButton("Open folder")
        self.open_pdf_button = QPushButton("Open PDF")
        self.open_folder_button.hide()
        self.open_pdf_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.open_folder_button)
        result_row.addWidget(self.open_pdf_button)

        self.print_button = QPushButton("Print")
        self.print_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(kind_box)
        left.addWidget(scope_box)
        left.addLayout(form)
        left.addLayout(profile_row)
        left.addWidget(self.history, 1)
        left.addWidget(self.reprint)
        left.addWidget(self.closeout)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addWidget(self.preview_scroll, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(result_row)
        layout.addWidget(buttons)

        self.bulk_radio.toggled.connect(self._on_bulk_radio_toggled)
        self.scope_group.buttonToggled.connect(self._on_scope_group_toggled)
        self.supersede_box.changed.connect(self._on_supersede_box_changed)
        self.unreconciled.reconciled.connect(self._refresh)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.profile_button.clicked.connect(self._on_profile_button_clicked)
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button.clicked.connect(self.start_printing)
        self.open_folder_button.clicked.connect(self._on_open_folder_button_clicked)
        self.open_pdf_button.clicked.connect(self._on_open_pdf_button_clicked)
        self.history.picked.connect(self._on_history_picked)
        self.closeout.signings_recorded.connect(lambda _s: self._fill_history(self.choice()[0]))
        self._refresh()
        width = self.fontMetrics().averageCharWidth() * 150
        # wrapped words (the count, the wording) need their height at this width: Qt's
        # minimum does not ask, and would squeeze the choices over one another
        self.resize(width, max(self.fontMetrics().height() * 36,
                               self.layout().totalHeightForWidth(width)))

    # --- state -----------------------------------------------------------------------------

    @property
    def bulk(self) -> bool:
        return self.bulk_radio.isChecked()

    @property
    def scope(self) -> str:
        button = self.scope_group.checkedButton()
        return str(button.property("scope")) if button is not None else "unprinted"

    def choice(self) -> tuple[list[int] | None, bool]:
        """(conviction ids or None for all, only not printed yet) for the chosen scope."""
        if self.scope == "selection":
            return list(self.selected_ids), False
        if self.scope == "filter":
            if self._filter_ids is None:
                provider = self.filter_ids_provider
                self._filter_ids = list(provider()) if provider is not None else []
            return self._filter_ids, False
        return None, self.scope == "unprinted"

    def _refresh(self) -> None:
        """Counts for the chosen scope, the profile check and the print history."""
        ids, unprinted = self.choice()
        total, printed = self.store.count_order_rows(ids, only_unprinted=unprinted)
        text = f"{total:,} approved conviction(s) with relief will be printed."
        other = self.store.count_other_county_relief(ids, only_unprinted=unprinted)
        if other:
            text += (f" {other:,} approved conviction(s) from other counties are not: this"
                     " court orders relief for its own county only.")
        in_force = self.store.orders_in_force(ids, only_unprinted=unprinted) if total else []
        if in_force:
            text += " " + ordered_text(in_force)
        elif printed:  # ordered once under an earlier approval: this is their new order
            text += (f" {printed:,} of them were printed before, under an earlier approval:"
                     " this printing is recorded as a reprint.")
        self.supersede_box.setVisible(bool(in_force))
        juvenile = len(juvenile_ids(self.store, ids, only_unprinted=unprinted)) if total else 0
        if juvenile:
            text += (f" {juvenile:,} of them are juvenile adjudications: "
                     + ("a bulk order leaves them out (confidential, WIC 827); print them as"
                        " per-case orders." if self.bulk else
                        "they print on the juvenile order (In the Matter of …)."))
        self.count_label.setText(text)
        self.unreconciled.recount(ids if total else [], unprinted)  # nothing to print: no word
        self._show_wording(ids, unprinted)
        missing = missing_profile(self.store)
        if missing:
            self.profile_label.setText(
                f"The court profile is missing: {', '.join(missing)}. Orders need it.")
        self.profile_label.setVisible(bool(missing))
        self.profile_button.setVisible(bool(missing))
        self.print_button.setEnabled(total > 0 and not missing and self.job is None
                                     and self.supersede_box.allows_printing())
        self.preview_button.setEnabled(total > 0 and self.job is None)
        self._fill_history(ids)

    def _show_wording(self, ids: list[int] | None, unprinted: bool) -> None:
        from clerkapp.errors import BadInput
        from clerkapp.orders.wording import wording_lines

        try:
            lines = wording_lines(self.store, ids, bulk=self.bulk, only_unprinted=unprinted)
        except BadInput as exc:  # a template that does not load: printing says so too
            lines = [str(exc)]
        self.wording_label.setText("Wording: " + "\n".join(lines) if lines else "")

    def _fill_history(self, ids: list[int] | None) -> None:
        """'Was this printed, and when?' (order_history.py)."""
        self.history.fill(ids, self.scope == "selection")

    @property
    def history_orders(self) -> list:
        """The PrintedOrder of each history row."""
        return self.history.orders

    # --- slots -----------------------------------------------------------------------------

    def _on_bulk_radio_toggled(self, on: bool) -> None:
        self.sort_combo.setEnabled(on)
        self.preview_button.setText("Preview bulk order" if on else "Preview first order")
        self._clear_preview()
        self._refresh()  # the juvenile note differs between the two kinds

    def _on_supersede_box_changed(self) -> None:
        self.print_button.setEnabled(self.job is None and self.supersede_box.allows_printing()
                                     and self.preview_button.isEnabled()
                                     and not missing_profile(self.store))

    def _on_scope_group_toggled(self, _button, checked: bool) -> None:
        if checked:
            self._clear_preview()
            self._refresh()

    def _clear_preview(self) -> None:
        """A preview of another kind or scope than the one chosen would mislead."""
        self.preview_pdf = None
        self.preview_label.setPixmap(QPixmap())
        self.preview_label.setText("No preview yet.")

    def _on_folder_button_clicked(self) -> None:
        folder = SafeFileDialog.getExistingDirectory(self, "Folder for the orders", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _on_profile_button_clicked(self) -> None:
        from clerkapp.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self)  # a child: it goes when this dialog goes
        dialog.finished.connect(self._on_profile_dialog_finished)
        self.profile_dialog = dialog
        dialog.open()

    def _on_profile_dialog_finished(self, _code: int) -> None:
        self._refresh()

    def show_preview(self) -> None:
        """Render the first order (not recorded) and show its first page."""
        ids, unprinted = self.choice()
        path = preview_folder() / ("preview-bulk.pdf" if self.bulk else "preview-case.pdf")
        try:
            self.preview_pdf = preview_order(self.store, path, bulk=self.bulk, conviction_ids=ids,
                                             only_unprinted=unprinted,
                                             sort=self.sort_combo.currentData())
        except ClerkError as exc:
            self.preview_label.setText(str(exc))
            return
        ratio = self.devicePixelRatioF()
        bar = self.preview_scroll.verticalScrollBar().sizeHint().width()
        width = max(200, self.preview_scroll.viewport().width() - bar - 8)
        pixmap = rasterize(self.preview_pdf, dpi=max(50, int(width * ratio / 8.5)))
        if pixmap is None:
            self.preview_label.setText("The preview opens in your PDF viewer.")
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.preview_pdf)))
            return
        pixmap.setDevicePixelRatio(ratio)  # the page fills the preview's width, sharp on HiDPI
        self.preview_label.setPixmap(pixmap)

    def start_printing(self) -> None:
        folder = self.folder_edit.text().strip()
        if not folder:
            self.result_label.setText("Choose an output folder first.")
            return
        self.settings.setValue(FOLDER_KEY, folder)
        ids, unprinted = self.choice()
        if self.unreconciled.recount(ids, unprinted) and not self.unreconciled.allows_printing():
            return
        self.result_label.setText("Printing…")
        self.open_folder_button.hide()
        self.open_pdf_button.hide()
        self.print_button.setEnabled(False)
        self.job = run_with_progress(
            self, "Printing orders", self.store.path, print_orders, folder, bulk=self.bulk,
            conviction_ids=ids, only_unprinted=unprinted, sort=self.sort_combo.currentData(),
            supersede=self.supersede_box.reason(), operator=self.store.clerk_name(), on_success=self._on_job_succeeded,
            on_failure=self._on_job_failed, on_cancel=self._on_job_cancelled,
            unit="convictions",
        )
        self.job.finished.connect(self._on_job_finished)

    def _on_job_succeeded(self, summary: OrdersSummary) -> None:
        self.summary = summary
        files = len(summary.files)
        what = "bulk order" if summary.kind == "bulk" else f"{files:,} order file(s)"
        text = f"Wrote {what} covering {summary.convictions:,} conviction(s) to {summary.outdir}."
        numbers = [o.order_number for o in summary.orders if o.order_number]
        if numbers:
            text += (f" Order No. {numbers[0]}" if len(numbers) == 1
                     else f" Order Nos. {numbers[0]} to {numbers[-1]}") + "."
        if summary.superseded:
            text += (f" Supersedes Order No. {', '.join(summary.superseded)} for"
                     f" {summary.superseded_convictions:,} conviction(s).")
        for line in summary.recovered.lines():  # what a crashed earlier run left, cleaned
            text += f" Before printing: {line}."
        if summary.juvenile:
            text += f" {summary.juvenile:,} on the juvenile order (In re …)."
        if summary.no_case_number:
            text += f" Note: {summary.no_case_number_text()}."
        if summary.juvenile_left_out:
            text += (f" {summary.juvenile_left_out:,} juvenile adjudication(s) left out of the"
                     " bulk order (confidential, WIC 827): print them as per-case orders.")
        if summary.elsewhere:  # another clerk's printing ordered some of them meanwhile
            text += f" {summary.elsewhere[:1].upper()}{summary.elsewhere[1:]}."
        self.result_label.setText(text)
        self.open_folder_button.show()
        self.open_pdf_button.setVisible(bool(summary.files))
        if summary.kind == "bulk" and summary.orders:
            self.closeout.offer_review(summary.orders[0])
        self.orders_printed.emit(summary)

    def _on_history_picked(self, orders: list) -> None:
        """One order: every action; several: Mark signed… for all (a copy is one order's)."""
        self.closeout.set_orders(orders)
        self.reprint.set_order(orders[0] if len(orders) == 1 else None)

    def _on_job_failed(self, message: str) -> None:
        self.result_label.setText(f"Nothing was printed: {message}")

    def _on_job_cancelled(self) -> None:
        self.result_label.setText("Cancelled: no order was written or recorded.")

    def _on_job_finished(self) -> None:
        self.job = None
        self._refresh()

    def _on_open_folder_button_clicked(self) -> None:
        if self.summary is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.outdir)))

    def _on_open_pdf_button_clicked(self) -> None:
        if self.summary is not None and self.summary.files:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.files[0])))

    def reject(self) -> None:  # Qt override: closing while printing asks the job to stop
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
