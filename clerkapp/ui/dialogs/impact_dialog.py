"""Reports ▸ Impact report: where to write the PDF, and whether an Excel copy of the figures
goes beside it; written in the background, then opened on request."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clerkapp.reports.impact import ImpactReport, write_impact_report
from clerkapp.reports.impact_tables import scope_sentence
from clerkapp.ui.files import ask_save_path
from clerkapp.ui.views.result_row import ResultRow, action_buttons
from clerkapp.ui.workers import Job, run_with_progress

PATH_KEY = "reports/impact_pdf"
XLSX_KEY = "reports/impact_xlsx"


class ImpactReportDialog(QDialog):
    report_written = Signal(object)  # ImpactReport

    def __init__(self, store, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.job: Job | None = None
        self.report: ImpactReport | None = None
        self.setWindowTitle("Impact report")
        intro = QLabel(
            "Cannabis convictions and people by outcome, relief, section, level, decade,"
            " race/ethnicity and gender; people left with no felony or no conviction once"
            " relief is ordered; progress by month. Counts only: the report names nobody."
            " Every figure is the same as in `clerkapp stats`.")
        intro.setWordWrap(True)
        self.path_edit = QLineEdit(str(self.settings.value(PATH_KEY, "") or
                                       Path.home() / "impact-report.pdf"))
        self.choose_button = QPushButton("Choose…")
        self.xlsx_check = QCheckBox("Also save the figures as an Excel workbook beside it")
        self.xlsx_check.setChecked(self.settings.value(XLSX_KEY, "false") in (True, "true"))
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("Report (PDF)", row)
        form.addRow("", self.xlsx_check)
        self.result_row = ResultRow("Open report")
        self.result_label = self.result_row.label
        self.buttons, self.write_button = action_buttons("Write report")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result_row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.buttons.accepted.connect(self.start_writing)
        self.buttons.rejected.connect(self.reject)

    def _on_choose_button_clicked(self) -> None:
        path = ask_save_path(self, "Save the impact report", self.path_edit.text(),
                             (("PDF", ".pdf"),))
        if path is not None:
            self.path_edit.setText(str(path))

    def start_writing(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.result_label.setText("Choose where to save the report first.")
            return
        pdf = Path(text) if text.lower().endswith(".pdf") else Path(text + ".pdf")
        xlsx = pdf.with_suffix(".xlsx") if self.xlsx_check.isChecked() else None
        self.settings.setValue(PATH_KEY, str(pdf))
        self.settings.setValue(XLSX_KEY, self.xlsx_check.isChecked())
        self.write_button.setEnabled(False)
        self.result_row.show_text("Writing…")
        self.job = run_with_progress(
            self, "Writing the impact report", self.store.path, write_impact_report, pdf,
            xlsx=xlsx, on_success=self._on_job_succeeded,
            on_failure=lambda m: self.result_label.setText(f"Not written: {m}"),
            on_cancel=lambda: self.result_label.setText("Cancelled: nothing was written."),
            unit="steps")
        self.job.finished.connect(self._on_job_finished)

    def _on_job_succeeded(self, report: ImpactReport) -> None:
        self.report = report
        what = f"{report.pdf}" + (f" and {report.xlsx}" if report.xlsx else "")
        impact = report.stats["impact"]
        self.result_row.show_text(f"Wrote {what}: {impact['convictions']:,} cannabis convictions"
                                  f" of {impact['people']:,} people. {scope_sentence(impact)}",
                                  report.pdf)
        self.report_written.emit(report)

    def _on_job_finished(self) -> None:
        self.job = None
        self.write_button.setEnabled(True)

    def reject(self) -> None:  # Qt override
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
