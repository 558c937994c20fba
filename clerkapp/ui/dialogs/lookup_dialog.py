"""Tools ▸ Look up a person (Ctrl+L): the counter's window.

A name (typed however the person says it), optionally a date of birth or a case number; the
look-up runs in the background (a large store's names take a moment to read) and is audited.
A name that fits several people lists them, name and year of birth only, until a date of birth
or a case number narrows it; one person shows each cannabis conviction and where it stands,
and, when relief was ordered, prints the confirmation of relief. One person on two lists (the
DOJ's keyed by CII, the court's by name and date of birth) is two records: each conviction
names its record, and the clerk chooses the one to print for (as `lookup --person REF`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.names import first_name_first
from clerkapp.errors import BadInput
from clerkapp.orders.naming import display_level
from clerkapp.relief.certificate import NO_CLERK_NAME, print_certificate
from clerkapp.relief.lookup import (
    LookupResult,
    PersonFound,
    check_dob,
    look_up,
    standing_text,
)
from clerkapp.relief.notices import languages_for, person_reference, print_notices
from clerkapp.ui.dialogs.notices_dialog import FOLDER_KEY as NOTICES_FOLDER_KEY
from clerkapp.ui.dialogs.notices_dialog import LANGUAGE_KEY, LANGUAGES
from clerkapp.ui.files import ask_save_path
from clerkapp.ui.views.result_row import ResultRow
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.workers import Job, run_with_progress

FOLDER_KEY = "lookup/certificate_folder"


class LookupDialog(QDialog):
    looked_up = Signal(object)  # LookupResult
    certificate_printed = Signal(object)  # Certificate
    notice_printed = Signal(object)  # NoticesSummary

    def __init__(self, store, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.job: Job | None = None
        self.result: LookupResult | None = None
        self.setWindowTitle("Look up a person")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("LAST, FIRST or First Last")
        self.dob_edit = QLineEdit()
        self.dob_edit.setPlaceholderText("MM/DD/YYYY (optional)")
        self.dob_edit.setToolTip("04/07/1985, 4/7/1985 or 1985-04-07: month first")
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText("optional")
        self.lookup_button = QPushButton("Look up")
        self.lookup_button.setDefault(True)
        form = QFormLayout()
        form.addRow("&Name", self.name_edit)
        form.addRow("Date of &birth", self.dob_edit)
        form.addRow("&Case number", self.case_edit)
        self.message_label = QLabel("Every look-up is recorded in the audit log.")
        self.message_label.setWordWrap(True)
        self.person_label = QLabel()
        self.person_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = read_only_table(["Case number", "Code section", "Convicted", "Level",
                                      "Where it stands"], stretch_last=True, select_rows=True)
        self.table.setMinimumWidth(self.fontMetrics().averageCharWidth() * 110)
        self.certificate_button = QPushButton("Print confirmation of relief…")
        self.certificate_button.setEnabled(False)
        self.notice_button = QPushButton("Print notice")
        self.notice_button.setToolTip("The letter to this person, into the notices folder"
                                      " (File ▸ Print notices); printed again if sent before")
        self.notice_button.setEnabled(False)
        self.language_combo = QComboBox()
        for label, code in LANGUAGES:
            self.language_combo.addItem(label, code)
        saved = self.language_combo.findData(str(self.settings.value(LANGUAGE_KEY, "en")))
        self.language_combo.setCurrentIndex(max(saved, 0))
        # several records found (one person on two lists): whose confirmation and notice
        self.person_combo = QComboBox()
        self.person_combo.setToolTip("Several records fit: the confirmation and the notice are"
                                     " printed for the one chosen here")
        self.person_combo_label = QLabel("For")
        self.result_row = ResultRow("Open")
        self.result_label = self.result_row.label
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        row.addWidget(self.person_combo_label)
        row.addWidget(self.person_combo)
        row.addWidget(self.certificate_button)
        row.addWidget(self.notice_button)
        row.addWidget(self.language_combo)
        row.addWidget(self.result_row, 1)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.lookup_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.person_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.lookup_button.clicked.connect(self.start_lookup)
        for edit in (self.name_edit, self.dob_edit, self.case_edit):
            edit.returnPressed.connect(self.start_lookup)
        self.certificate_button.clicked.connect(self._on_certificate_button_clicked)
        self.notice_button.clicked.connect(self.print_notice)
        self.person_combo.currentIndexChanged.connect(self._on_person_combo_changed)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.row_people: list[int] = []  # the person id of each table row (several found)
        buttons.rejected.connect(self.reject)
        self._fill_person_combo([])

    # --- looking up ----------------------------------------------------------------------
    def start_lookup(self) -> None:
        if self.job is not None:
            return
        name = self.name_edit.text().strip()
        if not name:
            self.message_label.setText("Type the person's name first.")
            return
        try:
            dob = check_dob(self.dob_edit.text(), "Date of birth")
        except BadInput as exc:
            self.message_label.setText(str(exc))
            self.dob_edit.setFocus()
            self.dob_edit.selectAll()
            return
        self.lookup_button.setEnabled(False)
        self.message_label.setText("Looking up…")
        self.job = run_with_progress(
            self, "Looking up", self.store.path, look_up, name, dob=dob,
            case_number=self.case_edit.text().strip() or None, clerk=self.store.clerk_name(),
            on_success=self._on_lookup_succeeded, on_failure=self._on_lookup_failed,
            on_cancel=lambda: self.message_label.setText("Cancelled."), unit="names")
        self.job.finished.connect(self._on_job_finished)

    def _on_job_finished(self) -> None:
        self.job = None
        self.lookup_button.setEnabled(True)

    def _on_lookup_failed(self, message: str) -> None:
        self.message_label.setText(message[:1].upper() + message[1:])

    def _on_lookup_succeeded(self, result: LookupResult) -> None:
        self.result = result
        message = result.message
        self.message_label.setText(message[:1].upper() + message[1:] + ".")
        self.table.setRowCount(0)
        self.row_people = []
        self.person_label.clear()
        self.result_row.show_text("")
        if result.candidates:
            self._set_columns(["Reference", "Name", "Born"])
            for c in result.candidates:
                self._add_row([person_reference(c.person_id), c.name, c.birth_year or "?"])
        elif result.people:
            several = len(result.people) > 1  # each row then names its record
            headers = ["Case number", "Code section", "Convicted", "Level", "Where it stands"]
            self._set_columns((["Record"] if several else []) + headers)
            people = []
            for found in result.people:
                card = found.card
                ref = person_reference(card.person_id)
                people.append(f"<b>{first_name_first(card.name)}</b> · born {card.dob or '?'}"
                              f" · {ref}")
                for s in found.standings:
                    self._add_row([ref] * several + [
                        s.case_number, s.code_section, s.conviction_date,
                        display_level(s.level), standing_text(s)], card.person_id)
                if not found.standings:
                    self._add_row([ref] * several + [
                        "", "", "", "", "No cannabis conviction in the records"],
                        card.person_id)
            self.person_label.setText("<br>".join(people))
        self._fill_person_combo(result.people)
        self._enable_printing()
        self.looked_up.emit(result)

    def _set_columns(self, headers: list[str]) -> None:
        """Each column as wide as its contents, the last one taking the spare width."""
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        header = self.table.horizontalHeader()
        for column in range(len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                        if column == len(headers) - 1
                                        else QHeaderView.ResizeMode.ResizeToContents)

    def _fill_person_combo(self, people: list[PersonFound]) -> None:
        """Several records: one entry each, the first with relief ordered chosen."""
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for found in people:
            elsewhere = ", ".join(map(person_reference, found.ordered_elsewhere))
            ordered = ("relief ordered" if found.ordered else
                       f"relief ordered on {elsewhere}" if elsewhere else "no relief ordered")
            self.person_combo.addItem(
                f"{person_reference(found.card.person_id)}, born"
                f" {found.card.dob or '?'} ({ordered})", found.card.person_id)
        first = next((i for i, f in enumerate(people) if f.ordered), 0)
        self.person_combo.setCurrentIndex(first if people else -1)
        self.person_combo.blockSignals(False)
        several = len(people) > 1
        self.person_combo.setVisible(several)
        self.person_combo_label.setVisible(several)

    def chosen(self) -> PersonFound | None:
        """The person the confirmation and the notice are for: the one found, or the record
        chosen when several were."""
        if self.result is None or not self.result.people:
            return None
        if len(self.result.people) == 1:
            return self.result.people[0]
        wanted = self.person_combo.currentData()
        return next((f for f in self.result.people if f.card.person_id == wanted), None)

    def _enable_printing(self) -> None:
        found = self.chosen()
        self.certificate_button.setEnabled(found is not None and bool(found.ordered))
        self.notice_button.setEnabled(self.certificate_button.isEnabled())

    def _on_person_combo_changed(self, _index: int) -> None:
        self._enable_printing()

    def _on_table_selection_changed(self) -> None:
        """Picking a conviction of one record chooses that record."""
        row = self.table.currentRow()
        if self.person_combo.isVisible() and 0 <= row < len(self.row_people):
            index = self.person_combo.findData(self.row_people[row])
            if index >= 0:
                self.person_combo.setCurrentIndex(index)

    def _add_row(self, cells: list[str], person_id: int | None = None) -> None:
        self.row_people.append(person_id if person_id is not None else -1)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))

    # --- the confirmation of relief -------------------------------------------------------
    def _on_certificate_button_clicked(self) -> None:
        found = self.chosen()
        if found is None:
            return
        person = found.card.person_id
        folder = str(self.settings.value(FOLDER_KEY, "") or Path.home())
        name = f"confirmation_{person_reference(person)}.pdf"  # never the person's name
        path = ask_save_path(self, "Save the confirmation of relief", str(Path(folder) / name),
                             (("PDF", ".pdf"),))
        if path is not None:
            self.print_certificate_to(path)

    def print_certificate_to(self, path: Path) -> None:
        """Print the confirmation for the person shown, or the record chosen (the tests call
        this directly)."""
        found = self.chosen()
        if found is None or self.job is not None:
            return
        self.settings.setValue(FOLDER_KEY, str(path.parent))
        self.result_label.setText("Printing…")
        self.job = run_with_progress(
            self, "Printing the confirmation", self.store.path, print_certificate,
            found.card.person_id, path,
            on_success=self._on_certificate_succeeded,
            on_failure=lambda m: self.result_label.setText(f"Not printed: {m}"))
        self.job.finished.connect(self._on_job_finished)

    # --- the notice, printed at the counter ------------------------------------------------
    def print_notice(self) -> None:
        """The person's letter into the notices folder, in the chosen language(s); printed
        again (and recorded so) when every ordered conviction was in an earlier one."""
        found = self.chosen()
        if found is None or self.job is not None:
            return
        person = found.card.person_id
        lang = self.language_combo.currentData()
        again = not any(self.store.notice_rows(language=language, person_ids=[person])
                        for language in languages_for(lang))
        folder = str(self.settings.value(NOTICES_FOLDER_KEY, "") or
                     Path.home() / "clerkapp-notices")
        self.settings.setValue(LANGUAGE_KEY, lang)
        self.result_row.show_text("Printing…")
        self.job = run_with_progress(
            self, "Printing the notice", self.store.path, print_notices, folder, lang=lang,
            person_ids=[person], again=again, operator=self.store.clerk_name(),
            on_success=self._on_notice_succeeded,
            on_failure=lambda m: self.result_row.show_text(f"Not printed: {m}"), unit="people")
        self.job.finished.connect(self._on_job_finished)

    def _on_notice_succeeded(self, summary) -> None:
        path = summary.files[0]
        note = f" Note: {summary.unsigned_note}." if summary.unsigned else ""
        self.result_row.show_text(f"Notice written to {path}.{note}", path)
        self.notice_printed.emit(summary)

    def _on_certificate_succeeded(self, certificate) -> None:
        codes = ", ".join(certificate.codes.values())
        blank = "" if certificate.issued_by else f" Note: {NO_CLERK_NAME}."
        if certificate.unsigned:
            blank += f" Note: {certificate.unsigned_note}."
        self.result_row.show_text(f"Written to {certificate.path}. Verification code: {codes}."
                                  + blank, certificate.path)
        self.certificate_printed.emit(certificate)

    def reject(self) -> None:  # Qt override: closing while a job runs asks it to stop
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
