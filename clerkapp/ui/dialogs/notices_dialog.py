"""File ▸ Print notices: letters to the people whose relief was ordered.

Language, which orders (all, or those dated since a day), whether people already sent this
notice get it again, one PDF per person or one combined file for mailing, and the folder. The
dialog counts who would get a letter before anything is printed, and the convictions left out
because their order awaits the judge's signature (a notice reports signed orders only,
relief/notices.py); printing runs in the background with Cancel, and nothing is recorded
unless every file was written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clerkapp.relief.notices import (
    REQUIRED_PROFILE,
    NoticesSummary,
    languages_for,
    notices_unsigned_text,
    print_notices,
    unsigned_for_notices,
)
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.views.result_row import ResultRow, action_buttons
from clerkapp.ui.workers import Job, run_with_progress

FOLDER_KEY = "notices/folder"
LANGUAGE_KEY = "notices/language"
LANGUAGES = (("English", "en"), ("Spanish (español)", "es"), ("English and Spanish", "both"))


class NoticesDialog(QDialog):
    notices_printed = Signal(object)  # NoticesSummary

    def __init__(self, store, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.job: Job | None = None
        self.summary: NoticesSummary | None = None
        self.setWindowTitle("Print notices")
        self.language_combo = QComboBox()
        for label, code in LANGUAGES:
            self.language_combo.addItem(label, code)
        saved = self.language_combo.findData(str(self.settings.value(LANGUAGE_KEY, "en")))
        self.language_combo.setCurrentIndex(max(saved, 0))
        self.since_check = QCheckBox("Only orders dated on or after")
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.again_check = QCheckBox("Print again for people already sent this notice")
        self.each_radio = QRadioButton("One PDF per person")
        self.combined_radio = QRadioButton("One combined file for mailing")
        self.each_radio.setChecked(True)
        self.folder_edit = QLineEdit(str(self.settings.value(FOLDER_KEY, "") or
                                         Path.home() / "clerkapp-notices"))
        self.folder_button = QPushButton("Choose…")
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)
        files_row = QHBoxLayout()
        files_row.addWidget(self.each_radio)
        files_row.addWidget(self.combined_radio)
        files_row.addStretch(1)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form = QFormLayout()
        form.addRow("Language", self.language_combo)
        form.addRow("Orders", since_row)
        form.addRow("", self.again_check)
        form.addRow("Files", files_row)
        form.addRow("Output folder", folder_row)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        self.profile_label = QLabel()
        self.profile_label.setWordWrap(True)
        self.profile_label.setStyleSheet("color: #a33;")
        self.result_row = ResultRow("Open folder")
        self.result_label = self.result_row.label
        self.buttons, self.print_button = action_buttons("Print notices")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addWidget(self.profile_label)
        layout.addWidget(self.result_row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)
        for signal in (self.language_combo.currentIndexChanged, self.since_check.toggled,
                       self.since_edit.dateChanged, self.again_check.toggled):
            signal.connect(self._refresh)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.folder_button.clicked.connect(self._on_folder_button_clicked)
        self.buttons.accepted.connect(self.start_printing)
        self.buttons.rejected.connect(self.reject)
        self._refresh()

    @property
    def since(self) -> str | None:
        return self.since_edit.date().toString("yyyy-MM-dd") if self.since_check.isChecked() else None

    def _refresh(self) -> None:
        """Who would get a letter with the choices made now."""
        lang = self.language_combo.currentData()
        people: set[int] = set()
        convictions = 0
        for language in languages_for(lang):
            rows = self.store.notice_rows(language=language, since=self.since,
                                          again=self.again_check.isChecked())
            people.update(r.person_id for r in rows)
            convictions += len(rows)
        unsigned = notices_unsigned_text(*unsigned_for_notices(
            self.store, languages_for(lang), since=self.since,
            again=self.again_check.isChecked()))
        if people:
            who = "1 person" if len(people) == 1 else f"{len(people):,} people"
            self.count_label.setText(
                f"{who} to write to, about {convictions:,} ordered"
                f" conviction{'s' if convictions != 1 else ''}."
                + (f" {unsigned[:1].upper()}{unsigned[1:]}." if unsigned else ""))
        elif unsigned:
            self.count_label.setText(f"Nothing to print: {unsigned}.")
        else:
            self.count_label.setText("Nobody to write to with these choices: every person with"
                                     " relief ordered has this notice (tick 'Print again' to"
                                     " print it again).")
        profile = self.store.settings_group("Court profile")
        missing = [label for key, label in REQUIRED_PROFILE.items()
                   if not str(profile.get(key) or "").strip()]
        self.profile_label.setText(
            f"Fill in {', '.join(missing)} under Tools ▸ Court profile & settings first: every"
            " notice says whom to contact." if missing else "")
        self.print_button.setEnabled(bool(people) and not missing and self.job is None)

    def _on_folder_button_clicked(self) -> None:
        folder = SafeFileDialog.getExistingDirectory(self, "Folder for the notices",
                                                     self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def start_printing(self) -> None:
        folder = self.folder_edit.text().strip()
        if not folder:
            self.result_label.setText("Choose an output folder first.")
            return
        self.settings.setValue(FOLDER_KEY, folder)
        self.settings.setValue(LANGUAGE_KEY, self.language_combo.currentData())
        self.print_button.setEnabled(False)
        self.result_row.show_text("Printing…")
        self.job = run_with_progress(
            self, "Printing notices", self.store.path, print_notices, folder,
            lang=self.language_combo.currentData(), since=self.since,
            combined=self.combined_radio.isChecked(), again=self.again_check.isChecked(),
            operator=self.store.clerk_name(), on_success=self._on_job_succeeded,
            on_failure=lambda m: self.result_label.setText(f"Nothing was printed: {m}"),
            on_cancel=lambda: self.result_label.setText(
                "Cancelled: no notice was written or recorded."), unit="people")
        self.job.finished.connect(self._on_job_finished)

    def _on_job_succeeded(self, summary: NoticesSummary) -> None:
        self.summary = summary
        text = (f"Wrote {summary.notices:,} notice(s) for {summary.people:,} people in"
                f" {len(summary.files):,} file(s) to {summary.outdir}: {summary.mailed:,}"
                f" addressed, {summary.counter:,} for the counter.")
        if summary.unsigned:
            text += f" Note: {summary.unsigned_note}."
        for line in summary.recovered.lines():
            text += f" Before printing: {line}."
        self.result_row.show_text(text, summary.outdir)
        self.notices_printed.emit(summary)

    def _on_job_finished(self) -> None:
        self.job = None
        self._refresh()

    def reject(self) -> None:  # Qt override: closing while printing asks the job to stop
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
