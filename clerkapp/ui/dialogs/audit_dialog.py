"""The audit view: who did what and when, newest first, filterable, exportable, verified.

The model pages through the log with keyset queries (`fetchMore`), so a million entries open
as fast as ten. The hash chain is verified in the background when the dialog opens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clerkapp.reports.audit_export import export_audit
from clerkapp.store.audit import AuditEntry
from clerkapp.store.reports import AuditFilter
from clerkapp.ui.dialogs import details_text, local_midnight_utc, local_time
from clerkapp.ui.files import ask_save_path
from clerkapp.ui.workers import Job, run_with_progress

PAGE = 500
ALL_CLERKS = "All clerks"
_Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    """Read-only, newest first, filled a page at a time as the view scrolls."""

    COLUMNS = ("Time", "Clerk", "Action", "Case number", "Details")

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._filter = AuditFilter()
        self._rows: list[AuditEntry] = []
        self._total = 0
        self.set_filter(AuditFilter())

    @property
    def total(self) -> int:
        """How many entries match the filter (the view may have loaded fewer so far)."""
        return self._total

    @property
    def audit_filter(self) -> AuditFilter:
        return self._filter

    def set_filter(self, f: AuditFilter) -> None:
        self.beginResetModel()
        self._filter = f
        self._total = self._store.audit_count(f)
        self._rows = self._store.audit_page(f, limit=PAGE)
        self.endResetModel()

    def entry(self, row: int) -> AuditEntry:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid() or not self._rows:
            return
        page = self._store.audit_page(self._filter, before_id=self._rows[-1].id, limit=PAGE)
        if not page:
            self._total = len(self._rows)  # entries vanished? stop asking
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            col = index.column()
            if col == 0:
                return local_time(e.at) if role == Qt.ItemDataRole.DisplayRole else f"{e.at} (UTC)"
            if col == 1:
                return e.actor
            if col == 2:
                return e.action
            if col == 3:
                return e.case_number or ""
            if col == 4:
                return details_text(e.details)
        if role == Qt.ItemDataRole.UserRole:
            return e
        return None


class AuditDialog(QDialog):
    """Tools ▸ Audit log."""

    chain_checked = Signal(object)  # None when the chain holds, else the first bad entry id
    export_finished = Signal(object)  # rows written

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Audit log")
        self.chain_job: Job | None = None
        self.export_job: Job | None = None

        self.clerk_combo = QComboBox()
        self.clerk_combo.addItem(ALL_CLERKS)
        self.clerk_combo.addItems(store.audit_actors())
        self.from_check = QCheckBox("From")
        self.from_date = QDateEdit(QDate.currentDate().addMonths(-1))
        self.to_check = QCheckBox("To")
        self.to_date = QDateEdit(QDate.currentDate())
        for edit in (self.from_date, self.to_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText("Case number contains…")
        self.case_edit.setClearButtonEnabled(True)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Clerk"))
        filters.addWidget(self.clerk_combo)
        filters.addSpacing(12)
        filters.addWidget(self.from_check)
        filters.addWidget(self.from_date)
        filters.addWidget(self.to_check)
        filters.addWidget(self.to_date)
        filters.addSpacing(12)
        filters.addWidget(self.case_edit, 1)

        self.model = AuditModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.5))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

        self.count_label = QLabel()
        self.chain_label = QLabel("Checking the audit chain…")
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("Export to Excel…")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)

        bottom = QHBoxLayout()
        bottom.addWidget(self.chain_label, 1)
        bottom.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.clerk_combo.currentIndexChanged.connect(self.apply_filter)
        self.from_check.toggled.connect(self._on_from_check_toggled)
        self.to_check.toggled.connect(self._on_to_check_toggled)
        self.from_date.dateChanged.connect(self.apply_filter)
        self.to_date.dateChanged.connect(self.apply_filter)
        self.case_edit.textChanged.connect(self._debounce.start)
        self.export_button.clicked.connect(self._on_export_button_clicked)

        self._update_count()
        self.resize(self.fontMetrics().averageCharWidth() * 150,
                    self.fontMetrics().height() * 36)
        self._check_chain()

    # --- filtering -------------------------------------------------------------------------

    def current_filter(self) -> AuditFilter:
        clerk = self.clerk_combo.currentText()
        since = until = None
        if self.from_check.isChecked():
            d = self.from_date.date()
            since = local_midnight_utc(d.year(), d.month(), d.day())
        if self.to_check.isChecked():
            d = self.to_date.date().addDays(1)  # the To day is included
            until = local_midnight_utc(d.year(), d.month(), d.day())
        return AuditFilter(
            actor=None if clerk == ALL_CLERKS else clerk,
            since=since,
            until=until,
            case_number=self.case_edit.text().strip() or None,
        )

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _on_from_check_toggled(self, on: bool) -> None:
        self.from_date.setEnabled(on)
        self.apply_filter()

    def _on_to_check_toggled(self, on: bool) -> None:
        self.to_date.setEnabled(on)
        self.apply_filter()

    def _update_count(self) -> None:
        n = self.model.total
        self.count_label.setText(f"{n:,} entr{'y' if n == 1 else 'ies'}")

    # --- chain -----------------------------------------------------------------------------

    def _check_chain(self) -> None:
        self.chain_job = run_with_progress(
            self, "Checking the audit log", self.store.path, _verify_chain,
            on_success=self._on_chain_succeeded, on_failure=self._on_chain_failed,
            delay_ms=2000, unit="entries",
        )

    def _on_chain_succeeded(self, bad_id: object) -> None:
        if bad_id is None:
            self.chain_label.setText("✔ Audit chain verified: no entry has been altered.")
            self.chain_label.setStyleSheet("color: #1b6e20;")
        else:
            self.chain_label.setText(
                f"✘ Audit chain BROKEN at entry #{bad_id}: the log was altered outside clerkapp."
            )
            self.chain_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.chain_checked.emit(bad_id)

    def _on_chain_failed(self, message: str) -> None:
        self.chain_label.setText(f"Could not check the audit chain: {message}")

    # --- export ----------------------------------------------------------------------------

    def _on_export_button_clicked(self) -> None:
        path = ask_save_path(self, "Export the audit log", "audit-log.xlsx")
        if path is None:
            return
        self.export_button.setEnabled(False)
        self.export_job = run_with_progress(
            self, "Exporting the audit log", self.store.path, export_audit, path,
            audit_filter=self.current_filter(), unit="entries",
            on_success=self._on_export_succeeded, on_failure=self._on_export_failed,
            on_cancel=lambda: self.export_button.setEnabled(True),
        )

    def _on_export_succeeded(self, count: object) -> None:
        self.export_button.setEnabled(True)
        self.count_label.setText(f"{self.model.total:,} entries · {count:,} exported")
        self.export_finished.emit(count)

    def _on_export_failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        QMessageBox.warning(self, "Export failed", message)


def _verify_chain(store, *, progress, cancel) -> int | None:
    return store.verify_audit_chain()
