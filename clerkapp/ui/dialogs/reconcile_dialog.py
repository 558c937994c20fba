"""Tools ▸ Reconcile with the DOJ list: run the reconciliation, see its counts per status,
filter its rows, compare a pair side by side and confirm or reject it (with Undo), and save
the reconcile file.

The run and the file are written in the background with progress and Cancel; a cancelled
run leaves the links as they were. Confirmations and rejections are written at once,
audited, and kept by pair, so the next run honours them.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.casenumbers import case_keys
from clerkapp.domain.names import name_similarity, name_variants
from clerkapp.errors import ClerkError
from clerkapp.reconcile import decisions
from clerkapp.reconcile.compare import disposition_class, dob_relation
from clerkapp.reconcile.service import STATUSES, reconcile, scope_note
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.files import CSV, XLSX, ask_save_path
from clerkapp.ui.models.links_model import STATUS_COLORS, STATUS_LABELS, LinksModel
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.views.wrapped_label import WrappedLabel
from clerkapp.ui.workers import Job, run_with_progress

SEARCH_DELAY_MS = 250
# (label, key in store.reconcile_side) of the side-by-side comparison
COMPARED = (("Name", "name"), ("Date of birth", "dob"), ("CII", "cii"),
            ("Case number", "case_number"), ("Code section", "code_section"),
            ("Level", "level"), ("Disposition", "disposition"),
            ("Conviction date", "conviction_date"), ("Review status", "review_status"),
            ("File", "file_name"), ("Rows", "rows"))
DIFFERENT = QColor("#fff1d6")


def differ(key: str, doj: str, court: str) -> bool:
    """Whether the two sides' values of `key` differ in a way the clerk should look at: as
    the matcher compares them (names by similarity, case numbers normalized, dispositions by
    kind, sections by subsection), and only when both sides have one."""
    if not doj or not court or key in ("file_name", "rows", "review_status"):
        return False
    if key == "name":
        return name_similarity(name_variants(doj), name_variants(court)) < 100
    if key == "case_number":
        return not case_keys([doj]) & case_keys([court])
    if key == "disposition":
        return disposition_class(doj) != disposition_class(court)
    if key == "dob":
        return dob_relation(doj, court) != "same"
    return doj != court


def _write_job(store, path: str, status: str | None, *, progress, cancel) -> int:
    from clerkapp.reconcile.output import write_reconcile_file

    progress(0, None, "Writing the reconcile file")
    return write_reconcile_file(store, path, status=status)


class ReconcileDialog(QDialog):
    """The reconciliation of the court's records with the DOJ list."""

    links_changed = Signal()  # a run, a confirmation, a rejection or an undo: refresh the queue

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.job: Job | None = None
        self.setWindowTitle("Reconcile with the DOJ list")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.run_button = QPushButton("Run reconciliation")
        self.run_button.setToolTip("Link every court and prosecutor import to every DOJ import;"
                                   " a rerun keeps your confirmations and rejections")
        self.save_button = QPushButton("Save file…")
        self.save_button.setToolTip("Write the rows shown (this status, or all) to Excel or csv")
        self.last_run = WrappedLabel()
        top = QHBoxLayout()
        top.addWidget(self.run_button)
        top.addWidget(self.last_run, 1)
        top.addWidget(self.save_button)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.status_combo = QComboBox()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search case number or name")
        self.search.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Show"))
        filters.addWidget(self.status_combo)
        filters.addWidget(self.search, 1)

        self.model = LinksModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        char = self.fontMetrics().averageCharWidth()
        metrics = self.fontMetrics()
        self._widths = [metrics.horizontalAdvance(sample) + 18 for sample in (
            "Possible match", "BA0123456", "LA BA0123456-01", "GARCIA-LOPEZ,MARIA ELENA",
            "0000-00-00", "000000000", "HS 11360(a)(2) ≠", "Conviction date", "Case number",
            "100.0")]

        self.compare = read_only_table(["", "DOJ list", "Court's records"], stretch_last=True,
                                       word_wrap=False)
        self.compare.setRowCount(len(COMPARED))
        for row, (label, _key) in enumerate(COMPARED):
            self.compare.setItem(row, 0, QTableWidgetItem(label))
        self.compare.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.compare.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.compare.verticalHeader().hide()
        self.note = WrappedLabel()
        self.confirm_button = QPushButton("Confirm: the same conviction")
        self.confirm_button.setToolTip("One conviction from now on: it is counted, listed and"
                                       " ordered once (Ctrl+Return)")
        self.reject_button = QPushButton("Reject: different convictions")
        self.reject_button.setToolTip("Two convictions, each on one list only (Ctrl+Delete)")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Take back your last confirmation or rejection (Ctrl+Z)")
        actions = QHBoxLayout()
        actions.addWidget(self.confirm_button)
        actions.addWidget(self.reject_button)
        actions.addStretch(1)
        actions.addWidget(self.undo_button)
        pair_box = QGroupBox("Side by side")
        pair_layout = QVBoxLayout(pair_box)
        pair_layout.addWidget(self.compare, 1)
        pair_layout.addWidget(self.note)
        pair_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(pair_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.counts)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_combo.activated.connect(lambda _i: self._apply_filter())
        self.run_button.clicked.connect(self.run_reconciliation)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.confirm_button.clicked.connect(self.confirm_current)
        self.reject_button.clicked.connect(self.reject_current)
        self.undo_button.clicked.connect(self.undo_last)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.confirm_current)
        QShortcut(QKeySequence("Ctrl+Delete"), self, self.reject_current)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_last)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _c, _p: self._show_current())
        self.resize(char * 170, self.fontMetrics().height() * 46)
        self.refresh()

    # --- state ------------------------------------------------------------------------------

    def refresh(self, keep_link: int | None = None) -> None:
        """Counts, the status choices and the rows again, from the store."""
        counts = self.store.reconcile_counts()
        total = sum(counts.values())
        current = self.status_combo.currentData()
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        self.status_combo.addItem(f"Every row ({total:,})", None)
        for status in STATUSES:
            self.status_combo.addItem(f"{STATUS_LABELS[status]} ({counts.get(status, 0):,})",
                                      status)
        index = self.status_combo.findData(current)
        self.status_combo.setCurrentIndex(max(index, 0))
        self.status_combo.blockSignals(False)
        self.counts.setText("  ·  ".join(
            f'<span style="color:{STATUS_COLORS[s]}"><b>{counts.get(s, 0):,}</b>'
            f" {STATUS_LABELS[s].lower()}</span>" for s in STATUSES))
        run = self.store.last_reconcile_run()
        if run is None:
            self.last_run.setText("Not reconciled yet: Run reconciliation links the court's"
                                  " imports to the DOJ's.")
        else:
            note = scope_note(run.get("county"), json.loads(run.get("left_out") or "{}"))
            self.last_run.setText(f"Last run {local_time(run['finished_at'])} by"
                                  f" {run['operator'] or 'unknown'}; {note}.")
        self.save_button.setEnabled(total > 0)
        self._apply_filter(keep_link)

    def _apply_filter(self, keep_link: int | None = None) -> None:
        self._search_timer.stop()
        if self.model.rowCount():  # a reset forgets the widths: keep the clerk's
            self._widths = [self.table.columnWidth(c) for c in range(len(self._widths))]
        self.model.refresh(self.status_combo.currentData(), self.search.text())
        for column, width in enumerate(self._widths):
            self.table.setColumnWidth(column, width)
        row = self.model.row_of(keep_link) if keep_link is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self._show_current()

    def current_link(self) -> tuple[int, tuple] | None:
        row = self.table.currentIndex().row()
        link_id = self.model.link_id(row)
        link = self.model.link(row)
        return (link_id, link) if link_id is not None and link is not None else None

    def _show_current(self) -> None:
        current = self.current_link()
        doj, court = ({}, {})
        if current is not None:
            _id, link = current
            doj = self.store.reconcile_side(link[4])
            court = self.store.reconcile_side(link[5])
            self.note.setText(link[3] or "")
        else:
            self.note.setText("")
        for row, (_label, key) in enumerate(COMPARED):
            left, right = str(doj.get(key) or ""), str(court.get(key) or "")
            differs = bool(doj and court) and differ(key, left, right)
            for column, text in ((1, left), (2, right)):
                item = QTableWidgetItem(text or ("—" if (doj if column == 1 else court) else ""))
                if differs:
                    item.setBackground(QBrush(DIFFERENT))
                self.compare.setItem(row, column, item)
        pair = current is not None and bool(current[1][4] and current[1][5])
        self.confirm_button.setEnabled(pair and current[1][0] == "possible_match")
        self.reject_button.setEnabled(pair)
        self.undo_button.setEnabled(self.store.latest_pair_decision(self.store.clerk_name())
                                    is not None)

    # --- the clerk's word -------------------------------------------------------------------

    def confirm_current(self) -> None:
        self._decide(decisions.confirm)

    def reject_current(self) -> None:
        current = self.current_link()
        if current is not None and self.job is None:
            try:
                warning = decisions.reject_warning(self.store, current[0])
            except ClerkError:
                warning = ""  # _decide says why the row cannot be rejected
            if warning and QMessageBox.question(
                    self, "Reject a pair already ordered", warning,
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Yes:
                return
        self._decide(decisions.reject)

    def _decide(self, act) -> None:
        current = self.current_link()
        if current is None or self.job is not None:
            return
        link_id, _link = current
        try:
            act(self.store, link_id, clerk=self.store.clerk_name())
        except ClerkError as exc:
            QMessageBox.information(self, "Reconcile", str(exc))
            return
        self._after_change(link_id)

    def undo_last(self) -> None:
        if self.job is not None:
            return
        try:
            decisions.undo(self.store, clerk=self.store.clerk_name())
        except ClerkError as exc:
            QMessageBox.information(self, "Reconcile", str(exc))
            return
        self._after_change(None)

    def _after_change(self, keep_link: int | None) -> None:
        row = self.table.currentIndex().row()
        self.refresh(keep_link)
        if keep_link is None or self.model.row_of(keep_link) < 0:
            # the row left this view (a confirmed match under "Possible match"): the next one
            row = min(row, self.model.rowCount() - 1)
            if row >= 0:
                self.table.selectRow(row)
        self.links_changed.emit()

    # --- background work --------------------------------------------------------------------

    def run_reconciliation(self) -> None:
        if self.job is not None:
            return
        self.run_button.setEnabled(False)
        self.job = run_with_progress(
            self, "Reconciling with the DOJ list", self.store.path, reconcile,
            operator=self.store.clerk_name(), unit="convictions",
            on_success=self._on_run_succeeded, on_failure=self._on_job_failed,
            on_cancel=self._on_job_cancelled)

    def _on_run_succeeded(self, summary) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.refresh()
        self.last_run.setText(
            self.last_run.text() + f" {summary.added:,} rows new, {summary.changed:,} changed,"
            f" {summary.unchanged:,} as before.")
        self.links_changed.emit()

    def _on_job_failed(self, message: str) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        QMessageBox.warning(self, "Reconcile", message)

    def _on_job_cancelled(self) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.last_run.setText("Cancelled: the links are as they were.")

    def _on_save_button_clicked(self) -> None:
        path = ask_save_path(self, "Save the reconcile file", "reconcile.xlsx", (XLSX, CSV))
        if path is None or self.job is not None:
            return
        status = self.status_combo.currentData()
        self.job = run_with_progress(
            self, "Saving the reconcile file", self.store.path, _write_job, str(path), status,
            on_success=lambda n: self._on_saved(path, n), on_failure=self._on_job_failed,
            on_cancel=self._on_job_cancelled)

    def _on_saved(self, path, count: int) -> None:
        self.job = None
        QMessageBox.information(self, "Reconcile", f"{count:,} rows written to {path}.")

    def reject(self) -> None:  # Qt override: Esc or the window's close button
        """While a run goes on, closing asks it to stop instead (it rolls back)."""
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
