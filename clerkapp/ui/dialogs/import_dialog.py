"""File ▸ Import: choose files, check what was detected, correct a spreadsheet's column mapping,
import in the background, read the summary and the row errors, then re-run the evaluation.

A DOJ or BEAR file needs no mapping: the dialog says what it found and about how many rows.
A generic spreadsheet shows its first rows (the detected header row highlighted) and a mapping
table; a mapping the clerk corrects is saved per layout (`mapping.<layout_key>`) and offered
the next time a file with the same headers comes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.errors import BadInput
from clerkapp.ingest.file_facts import FileFacts
from clerkapp.ingest.mapping import FIELDS, REQUIRED_FIELDS, missing_fields
from clerkapp.ingest.own_county import profile_county_for
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.dialogs.file_facts_box import FileFactsBox
from clerkapp.ui.dialogs.import_plan import FilePlan, import_plans, plan_file
from clerkapp.ui.dialogs.mapping_table import (
    MISSING_COLOR,
    MappingTable,
    PreviewTable,
    missing_text,
)
from clerkapp.ui.files import SafeFileDialog, ask_save_path
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.workers import Job, run_with_progress

FILE_FILTER = "Court and DOJ files (*.csv *.dat *.txt *.xlsx *.xlsm);;All files (*)"
ERRORS_SHOWN = 1000  # the table shows this many; the xlsx holds them all


class ImportDialog(QDialog):
    """Choose → check/map → import (background) → summary → evaluation → `imports_finished`."""

    imports_finished = Signal(object)  # list of ImportSummary, evaluation already re-run
    imported = Signal(object)  # list of ImportSummary, before the evaluation
    import_failed = Signal(str)
    import_cancelled = Signal()

    def __init__(self, store, parent: QWidget | None = None,
                 paths: list[str | Path] | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.plans: list[FilePlan] = []
        self.summaries: list[Any] = []
        self.import_job: Job | None = None
        self.evaluation_job: Job | None = None
        self.setWindowTitle("Import files")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_choose_page())
        self.stack.addWidget(self._build_summary_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 150, self.fontMetrics().height() * 42)
        self.setAcceptDrops(True)
        if paths:
            self.add_files(paths)
        self._update_buttons()

    def reject(self) -> None:  # Qt override: Esc or the window's close button
        """While a job runs, closing asks it to stop instead; the dialog closes once it has."""
        job = self.import_job or self.evaluation_job
        if job is not None:
            job.cancel()
            return
        super().reject()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if event.mimeData().hasUrls() and self.stack.currentIndex() == 0:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override: files dropped on the dialog
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.add_files(paths)
            event.acceptProposedAction()

    # --- page 1: files, detection, mapping ------------------------------------------------

    def _build_choose_page(self) -> QWidget:
        page = QWidget()
        self.file_list = QListWidget()
        self.file_list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.add_button = QPushButton("Add files…")
        self.remove_button = QPushButton("Remove")
        left = QVBoxLayout()
        left.addWidget(QLabel("Files to import"))
        left.addWidget(self.file_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        self.facts_box = FileFactsBox()
        self.facts_box.source_combo.currentIndexChanged.connect(lambda _i: self._suggest_county())
        left.addWidget(self.facts_box)

        self.detected_label = QLabel("Add the files to import: DOJ research files (.csv, .dat), "
                                     "BEAR result files, or spreadsheets (.xlsx, .csv).")
        self.detected_label.setWordWrap(True)
        self.detected_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sheet_combo = QComboBox()
        self.sheet_label = QLabel("Sheet")
        self.saved_note = QLabel()
        self.reset_mapping_button = QPushButton("Use the detected mapping")
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo)
        sheet_row.addStretch(1)
        sheet_row.addWidget(self.saved_note)
        sheet_row.addWidget(self.reset_mapping_button)

        self.preview_table = PreviewTable()
        self.mapping_table = MappingTable(FIELDS, REQUIRED_FIELDS, missing_fields)
        self.missing_label = QLabel()
        self.missing_label.setStyleSheet(f"color: {MISSING_COLOR.name()}; font-weight: bold;")
        self.missing_label.setWordWrap(True)
        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(0, 0, 0, 0)
        pv.addWidget(QLabel("First rows as read (the header row is highlighted)"))
        pv.addWidget(self.preview_table)
        mapping_box = QWidget()
        mv = QVBoxLayout(mapping_box)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(QLabel("Column mapping (fields marked * are required)"))
        mv.addWidget(self.mapping_table)
        mv.addWidget(self.missing_label)
        self.sheet_panel = QSplitter(Qt.Orientation.Vertical)
        self.sheet_panel.addWidget(preview_box)
        self.sheet_panel.addWidget(mapping_box)
        self.sheet_panel.setStretchFactor(0, 2)
        self.sheet_panel.setStretchFactor(1, 3)

        right = QVBoxLayout()
        right.addWidget(self.detected_label)
        right.addLayout(sheet_row)
        right.addWidget(self.sheet_panel, 1)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 4)

        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.import_button.clicked.connect(self.start_import)

        layout = QVBoxLayout(page)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.file_list.currentRowChanged.connect(self._on_file_list_row_changed)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.mapping_table.mapping_changed.connect(self._on_mapping_table_changed)
        self.reset_mapping_button.clicked.connect(self._on_reset_mapping_clicked)
        self._show_plan(None)
        return page

    def add_files(self, paths: list[str | Path]) -> None:
        known = {p.path.resolve() for p in self.plans}
        for raw in paths:
            path = Path(raw)
            if path.resolve() in known:
                continue
            plan = plan_file(self.store, path)
            self.plans.append(plan)
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            self.file_list.addItem(item)
            self._decorate(len(self.plans) - 1)
        if self.plans:
            self.file_list.setCurrentRow(len(self.plans) - 1)
        self._update_buttons()

    def current_plan(self) -> FilePlan | None:
        row = self.file_list.currentRow()
        return self.plans[row] if 0 <= row < len(self.plans) else None

    def _decorate(self, row: int) -> None:
        plan, item = self.plans[row], self.file_list.item(row)
        problem = plan.refused or (plan.is_sheet and self._plan_problem(plan))
        item.setForeground(QBrush(MISSING_COLOR) if problem else QBrush())
        kind = {"doj": "DOJ", "bear": "BEAR"}.get(plan.preset, "sheet")
        item.setText(f"{plan.path.name}  [{'refused' if plan.refused else kind}]")

    def _plan_problem(self, plan: FilePlan) -> str:
        mapped = list(plan.mapping.values())
        missing = missing_fields(plan.mapping)
        dupes = sorted({f for f in mapped if mapped.count(f) > 1})
        return missing_text(missing, dupes)

    def _show_plan(self, plan: FilePlan | None) -> None:
        sheet_visible = plan is not None and plan.is_sheet
        for widget in (self.sheet_panel, self.sheet_label, self.sheet_combo, self.saved_note,
                       self.reset_mapping_button):
            widget.setVisible(sheet_visible)
        if plan is None:
            return
        if plan.refused:
            self.detected_label.setText(f"This file cannot be imported:\n{plan.refused}")
            self.detected_label.setStyleSheet(f"color: {MISSING_COLOR.name()};")
            return
        self.detected_label.setStyleSheet("")
        if not plan.is_sheet:
            what = ("a DOJ criminal-history research file (HS 11361.9)" if plan.preset == "doj"
                    else "a BEAR result file (the DOJ layout plus the prosecutor's results)")
            rows = f"about {plan.rows_estimate:,} rows" if plan.rows_estimate is not None else ""
            self.detected_label.setText(
                f"{plan.path.name}: detected {what}; {rows}. No mapping needed.")
            return
        p = plan.preview
        self.detected_label.setText(
            f"{plan.path.name}: a spreadsheet. Header row detected at row {p.header_row + 1}; "
            "check the mapping below, then Import.")
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(p.sheets or [p.sheet or ""]))
        self.sheet_combo.setCurrentText(p.sheet or "")
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setEnabled(len(p.sheets or []) > 1)
        self.preview_table.show_rows(p.rows, p.header_row)
        self.mapping_table.blockSignals(True)
        self.mapping_table.show_mapping(p.headers, plan.mapping, p.rows[p.header_row + 1:])
        self.mapping_table.blockSignals(False)
        self.saved_note.setText("Using the mapping saved for this layout." if
                                plan.saved_mapping_used else "")
        self.reset_mapping_button.setVisible(plan.mapping != plan.detected_mapping)
        self.missing_label.setText(self._plan_problem(plan))

    def _on_file_list_row_changed(self, _row: int) -> None:
        self._show_plan(self.current_plan())

    def _on_sheet_combo_activated(self, _index: int) -> None:
        row = self.file_list.currentRow()
        if row < 0:
            return
        self.plans[row] = plan_file(self.store, self.plans[row].path,
                                    sheet=self.sheet_combo.currentText())
        self._decorate(row)
        self._show_plan(self.plans[row])
        self._update_buttons()

    def _on_mapping_table_changed(self, mapping: dict[str, str]) -> None:
        plan = self.current_plan()
        if plan is None:
            return
        plan.mapping = dict(mapping)
        plan.saved_mapping_used = False
        self.saved_note.setText("")
        self.reset_mapping_button.setVisible(plan.mapping != plan.detected_mapping)
        self.missing_label.setText(self._plan_problem(plan))
        self._decorate(self.file_list.currentRow())
        self._update_buttons()

    def _on_reset_mapping_clicked(self) -> None:
        plan = self.current_plan()
        if plan is not None:
            plan.mapping = dict(plan.detected_mapping)
            plan.saved_mapping_used = False
            self._show_plan(plan)
            self._decorate(self.file_list.currentRow())
            self._update_buttons()

    def _on_add_button_clicked(self) -> None:
        paths, _ = SafeFileDialog.getOpenFileNames(self, "Choose files to import", "", FILE_FILTER)
        if paths:
            self.add_files(paths)

    def _on_remove_button_clicked(self) -> None:
        row = self.file_list.currentRow()
        if row >= 0:
            self.plans.pop(row)
            self.file_list.takeItem(row)
            self._show_plan(self.current_plan())
            self._update_buttons()

    def _update_buttons(self) -> None:
        blocking = [p for p in self.plans
                    if p.refused or (p.is_sheet and self._plan_problem(p))]
        ready = bool(self.plans) and not blocking
        self.import_button.setEnabled(ready and self.import_job is None)
        # say why the button is grey: the files are imported together, all or none
        self.import_button.setToolTip(
            "" if not blocking else
            f"{', '.join(p.path.name for p in blocking[:3])}"
            f"{' and others' if len(blocking) > 3 else ''} cannot be imported as"
            f" {'it is' if len(blocking) == 1 else 'they are'}: fix the mapping or remove"
            f" {'it' if len(blocking) == 1 else 'them'} (the files are imported together)")
        self.remove_button.setEnabled(self.file_list.currentRow() >= 0)
        self._suggest_county()

    def _suggest_county(self) -> None:
        """The court profile's county in the box while every file is the court's own records."""
        box = self.facts_box
        kind = FileFacts(source=box.source_combo.currentData())
        presets = ["generic" if p.is_sheet else "doj" for p in self.plans if p.refused is None]
        box.suggest_county(profile_county_for(self.store, presets, kind))

    # --- importing -----------------------------------------------------------------------

    def start_import(self) -> None:
        """Ask about duplicates, remember corrected mappings, then import in the background."""
        from clerkapp.ingest.service import file_sha256

        plans: list[FilePlan] = []
        for plan in self.plans:
            earlier = self.store.find_import_by_sha256(file_sha256(plan.path))
            if earlier is not None:
                answer = QMessageBox.question(
                    self, "Already imported",
                    f"{plan.path.name} was already imported (import #{earlier.id}, "
                    f"{local_time(earlier.started_at)}).\n\nImport again anyway?",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    continue
                plan.force = True
            plans.append(plan)
        if not plans:
            return
        if self.facts_box.problem():
            self.facts_box.county_combo.setFocus()
            return
        facts = self.facts_box.facts()
        with self.store.atomic():
            for plan in plans:
                if plan.is_sheet and plan.mapping != plan.detected_mapping:
                    self.store.set_setting(f"mapping.{plan.preview.layout_key}", plan.mapping)
        self.import_button.setEnabled(False)
        self.import_job = run_with_progress(
            self, "Importing", self.store.path, import_plans, plans,
            operator=self.store.clerk_name(), facts=facts,
            on_success=self._on_import_succeeded, on_failure=self._on_import_failed,
            on_cancel=self._on_import_cancelled,
        )

    def _on_import_failed(self, message: str) -> None:
        self.import_job = None
        self._update_buttons()
        QMessageBox.warning(self, "Import refused", message)
        self.import_failed.emit(message)

    def _on_import_cancelled(self) -> None:
        self.import_job = None
        self._update_buttons()
        QMessageBox.information(
            self, "Import cancelled",
            "The import was cancelled and rolled back: nothing of it was kept.")
        self.import_cancelled.emit()

    def _on_import_succeeded(self, summaries: object) -> None:
        self.import_job = None
        self.summaries = list(summaries)  # type: ignore[call-overload]
        self._show_summary()
        self.stack.setCurrentIndex(1)
        self.imported.emit(self.summaries)
        self._start_evaluation()

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
