"""File ▸ Import: choose files, check what was detected, correct a spreadsheet's column mapping,
import in the background, read the summary and the row errors, then re-run the evaluation.

A DOJ or BEAR file needs no mapping: the dialog says what it found and about how many rows.
A generic spreadsheet shows its first rows (the detected header row highlighted) and a mapping
table; a mapping the clerk corrects is saved per layout (`mapping.<layout_key>`) and offered
the next time a file with the same headers comes. The summary page and the evaluation after
an import: import_summary.py.
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
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clerkapp.ingest.file_facts import FileFacts
from clerkapp.ingest.mapping import FIELDS, REQUIRED_FIELDS, missing_fields
from clerkapp.ingest.own_county import profile_county_for
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.dialogs.file_facts_box import FileFactsBox
from clerkapp.ui.dialogs.import_plan import FilePlan, import_plans, plan_file
from clerkapp.ui.dialogs.import_summary import ImportSummaryPage
from clerkapp.ui.dialogs.mapping_table import (
    MISSING_COLOR,
    MappingTable,
    PreviewTable,
    missing_text,
)
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.workers import Job, run_with_progress

FILE_FILTER = "Court and DOJ files (*.csv *.dat *.txt *.xlsx *.xlsm);;All files (*)"


class ImportDialog(QDialog, ImportSummaryPage):
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
        from clerkapp.files.hashing import file_sha256

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
