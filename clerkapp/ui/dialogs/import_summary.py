"""Page 2 of File ▸ Import: what each file gave (rows, people, convictions, row errors), the
row errors themselves (the first ERRORS_SHOWN; the saved workbook holds them all), and the
evaluation that runs after an import, before the dialog hands its summaries on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.errors import BadInput
from clerkapp.ui.files import ask_save_path
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.workers import run_with_progress

ERRORS_SHOWN = 1000  # the table shows this many; the xlsx holds them all


class ImportSummaryPage:
    """The import dialog's summary page and the evaluation after it: a part of `ImportDialog`
    (import_dialog.py), which holds the store and the summaries and emits `imports_finished`."""

    # --- page 2: summary, errors, evaluation ---------------------------------------------

    def _build_summary_page(self) -> QWidget:
        page = QWidget()
        self.summary_table = read_only_table(
            ("File", "Kind", "Rows", "People", "Convictions", "Errors", "Not convictions",
             "Skipped", "County"), select_rows=True)
        self.errors_table = read_only_table(("File", "Row", "Column", "Value", "Message"),
                                            select_rows=True)
        self.errors_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch)
        self.errors_label = QLabel()
        self.repeated_label = QLabel()
        self.repeated_label.setWordWrap(True)
        self.repeated_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.repeated_label.hide()
        self.save_errors_button = QPushButton("Save errors as Excel…")
        self.evaluation_label = QLabel()
        self.evaluation_label.setWordWrap(True)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        self.save_errors_button.clicked.connect(self._on_save_errors_clicked)
        errors_row = QHBoxLayout()
        errors_row.addWidget(self.errors_label, 1)
        errors_row.addWidget(self.save_errors_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.evaluation_label, 1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Imported"))
        layout.addWidget(self.summary_table, 1)
        layout.addWidget(self.repeated_label)
        layout.addLayout(errors_row)
        layout.addWidget(self.errors_table, 3)
        layout.addLayout(bottom)
        return page

    def _show_summary(self) -> None:
        t = self.summary_table
        t.setRowCount(len(self.summaries))
        for r, s in enumerate(self.summaries):
            kind = {"doj": "DOJ", "bear": "BEAR"}.get(s.preset, "spreadsheet")
            cells = [s.file_name, kind, s.rows, s.people, s.convictions, s.errors, s.history,
                     s.skipped_text() or "none", s.county or "as each row says"]
            for c, value in enumerate(cells):
                item = QTableWidgetItem(f"{value:,}" if isinstance(value, int) else str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                t.setItem(r, c, item)
        errors = self.store.import_error_rows([s.import_id for s in self.summaries])
        shown = errors[:ERRORS_SHOWN]
        self.errors_table.setRowCount(len(shown))
        for r, e in enumerate(shown):
            for c, value in enumerate((e.file_name, e.row_number, e.column, e.value, e.message)):
                self.errors_table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        total = len(errors)
        repeated = sum(s.repeated for s in self.summaries)
        if repeated:
            self.repeated_label.setText(
                f"{repeated:,} conviction{'s' if repeated != 1 else ''} repeat ones an earlier"
                " import holds (same person, case, section and conviction date). If this is the"
                " same report again, decide only one of each pair: both would be printed.")
        self.repeated_label.setVisible(bool(repeated))
        if total == 0:
            self.errors_label.setText("No row errors: every row was read.")
        elif total > ERRORS_SHOWN:
            self.errors_label.setText(f"{total:,} row errors (the first {ERRORS_SHOWN:,} shown; "
                                      "the saved workbook has them all)")
        else:
            self.errors_label.setText(f"{total:,} row error{'s' if total != 1 else ''}: these rows "
                                      "or cells were not imported as written")
        self.save_errors_button.setEnabled(total > 0)

    def _on_save_errors_clicked(self) -> None:
        from clerkapp.reports.errors_export import export_import_errors

        path = ask_save_path(self, "Save the import errors", "import-errors.xlsx")
        if path is None:
            return
        try:
            n = export_import_errors(self.store, [s.import_id for s in self.summaries], path)
        except (OSError, BadInput) as exc:
            QMessageBox.warning(self, "Could not save", str(exc))
            return
        self.errors_label.setText(f"{n:,} row errors saved to {Path(path).name}")

    def _start_evaluation(self) -> None:
        from clerkapp.rules.service import evaluate

        self.close_button.setEnabled(False)
        self.evaluation_label.setText("Evaluating the convictions with the current policy…")
        self.evaluation_job = run_with_progress(
            self, "Evaluating", self.store.path, evaluate, operator=self.store.clerk_name(),
            unit="convictions",
            on_success=self._on_evaluation_succeeded, on_failure=self._on_evaluation_failed,
            on_cancel=self._on_evaluation_cancelled,
        )

    def _on_evaluation_succeeded(self, run: object) -> None:
        counts = getattr(run, "counts", {}) or {}
        flagged = sum(counts.values())
        self.evaluation_label.setText(f"Evaluation done: {flagged:,} convictions determined "
                                      f"under the {getattr(run, 'policy_name', '')} policy.")
        self._finish()

    def _on_evaluation_failed(self, message: str) -> None:
        self.evaluation_label.setText(f"The evaluation did not run: {message}. Run it again from "
                                      "Tools ▸ Evaluation settings.")
        self._finish()

    def _on_evaluation_cancelled(self) -> None:
        self.evaluation_label.setText("The evaluation was cancelled; the earlier determinations "
                                      "stand. Run it again from Tools ▸ Evaluation settings.")
        self._finish()

    def _finish(self) -> None:
        self.evaluation_job = None
        self.close_button.setEnabled(True)
        self.imports_finished.emit(self.summaries)
