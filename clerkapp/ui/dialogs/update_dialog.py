"""File ▸ Export ▸ DOJ update… and Case-system update…: write the update file for ordered
relief, in the background, and show what earlier updates reported.

The dialog says how many counts the file will hold before it is written (only those not in an
earlier update, or all of them again; never those whose order awaits the judge's signature,
which it counts and names: closeout/unsigned.py), remembers the output folder per desk, and after writing
offers to open the folder. Nothing to write is said plainly and writes no file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.closeout.layout import DEFAULT_LAYOUTS
from clerkapp.closeout.profile_gaps import gaps_before_writing, gaps_text
from clerkapp.closeout.unsigned import unsigned_counts, unsigned_text
from clerkapp.closeout.updates import KIND_NAMES, UpdateSummary, void_update, write_update
from clerkapp.errors import ClerkError
from clerkapp.ui.dialogs import local_time
from clerkapp.ui.files import CSV, XLSX, ask_save_path
from clerkapp.ui.views import prompts
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.workers import Job, run_with_progress

TITLES = {"doj": "DOJ update", "cms": "Case-system update"}
DEFAULT_NAMES = {"doj": "doj-update", "cms": "case-system-update"}


class UpdateFileDialog(QDialog):
    """Choose the scope and the file; write it in the background; list earlier updates."""

    update_written = Signal(object)  # UpdateSummary

    def __init__(self, store, parent: QWidget | None = None, *, kind: str = "doj",
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.kind = kind
        self.settings = settings if settings is not None else QSettings()
        self.job: Job | None = None
        self.summary: UpdateSummary | None = None
        self.setWindowTitle(TITLES[kind])

        self.scope = QComboBox()
        self.scope.addItem("Counts not in an earlier update", False)
        self.scope.addItem("All ordered counts (again)", True)
        self.since_box = QCheckBox("Only orders dated on or after")
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setEnabled(False)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_box)
        since_row.addWidget(self.since)
        since_row.addStretch(1)
        folder = str(self.settings.value(self._folder_key(), "") or Path.home())
        stamp = QDate.currentDate().toString("yyyy-MM-dd")
        self.path_edit = QLineEdit(str(Path(folder) / f"{DEFAULT_NAMES[kind]}_{stamp}.xlsx"))
        self.path_button = QPushButton("Choose…")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.path_button)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        # said before Write: once written, the file counts as reported (closeout.profile_gaps)
        self.gaps: list = []
        self.profile_label = QLabel()
        self.profile_label.setWordWrap(True)
        self.profile_label.setStyleSheet("color: #9a3412;")
        self.profile_button = QPushButton("Court profile…")
        self.profile_dialog = None
        profile_row = QHBoxLayout()
        profile_row.addWidget(self.profile_label, 1)
        profile_row.addWidget(self.profile_button)
        form = QFormLayout()
        form.addRow("Counts", self.scope)
        form.addRow("", since_row)
        form.addRow("File", path_row)
        form.addRow("Layout", QLabel(f"forms/{DEFAULT_LAYOUTS[kind]}.toml (see docs/closing.md)"))

        self.history_label = QLabel()
        self.history_table = read_only_table(["No.", "Written", "Rows", "By", "State", "File"],
                                             stretch_last=True, word_wrap=False,
                                             select_rows=True)
        self.history_files: list = []  # UpdateFile per history row
        self.void_button = QPushButton("Void…")
        self.void_button.setToolTip("The DOJ or the case system never took this file: its"
                                    " counts are to be reported again")
        self.void_button.setEnabled(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result_label, 1)
        result_row.addWidget(self.open_folder_button)

        self.write_button = QPushButton("Write")
        self.write_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.write_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.count_label)
        layout.addLayout(profile_row)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history_table, 1)
        void_row = QHBoxLayout()
        void_row.addStretch(1)
        void_row.addWidget(self.void_button)
        layout.addLayout(void_row)
        layout.addLayout(result_row)
        layout.addWidget(buttons)

        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.since_box.toggled.connect(self._on_since_box_toggled)
        self.since.dateChanged.connect(self._on_since_changed)
        self.path_button.clicked.connect(self._on_path_button_clicked)
        self.profile_button.clicked.connect(self.open_profile)
        self.write_button.clicked.connect(self.start_writing)
        self.open_folder_button.clicked.connect(self._on_open_folder_clicked)
        self.history_table.itemSelectionChanged.connect(self._on_history_selection_changed)
        self.void_button.clicked.connect(self._on_void_clicked)
        self._refresh()
        self.resize(self.fontMetrics().averageCharWidth() * 110, self.fontMetrics().height() * 26)

    def _folder_key(self) -> str:
        return f"closeout/{self.kind}_folder"

    def since_date(self) -> str | None:
        return self.since.date().toString("yyyy-MM-dd") if self.since_box.isChecked() else None

    def include_all(self) -> bool:
        return bool(self.scope.currentData())

    def _refresh(self) -> None:
        n = self.store.count_update_rows(self.kind, since=self.since_date(),
                                         include_all=self.include_all())
        withdrawn = self.store.count_withdrawal_rows(self.kind)  # closeout/corrections.py
        n += withdrawn
        unsigned = unsigned_text(*unsigned_counts(
            self.store, self.kind, since=self.since_date(), include_all=self.include_all()))
        if not self.store.any_order_printed():
            text = "No order has been printed yet: there is nothing to report."
        elif n == 0 and unsigned:
            text = f"Nothing to write: {unsigned}."
        elif n == 0:
            text = ("Nothing new: every ordered count is in an earlier update. Choose 'All"
                    " ordered counts (again)' to write them again.")
        else:
            text = f"{n:,} count(s) will be written and recorded as reported."
            if withdrawn:
                text += (f" {withdrawn:,} of them withdraw a relief reported before that no"
                         " longer stands.")
            if unsigned:
                text += f" {unsigned[:1].upper()}{unsigned[1:]}."
        self.count_label.setText(text)
        self.gaps = gaps_before_writing(self.store, self.kind, since=self.since_date(),
                                        include_all=self.include_all()) if n else []
        self.profile_label.setText(self.gaps_warning() if self.gaps else "")
        self.profile_label.setVisible(bool(self.gaps))
        self.profile_button.setVisible(bool(self.gaps))
        self.write_button.setEnabled(n > 0 and self.job is None)
        files = self.store.update_files(self.kind, limit=20)
        self.history_label.setText(f"Earlier {KIND_NAMES[self.kind]}s" if files
                                   else f"No {KIND_NAMES[self.kind]} written yet.")
        self.history_files = list(files)
        self.history_table.setRowCount(len(files))
        for row, f in enumerate(files):
            state = (f"voided {local_time(f.voided_at)[:10]}: {f.void_reason}" if f.voided_at
                     else "recorded as reported")
            for col, text in enumerate([str(f.file_id), local_time(f.created_at),
                                        f"{f.row_count:,}", f.created_by, state,
                                        Path(f.path).name]):
                item = QTableWidgetItem(text)
                item.setToolTip(f.path if col == 5 else text)
                self.history_table.setItem(row, col, item)
        self._on_history_selection_changed()

    def selected_file(self):
        row = self.history_table.currentRow()
        return self.history_files[row] if 0 <= row < len(self.history_files) else None

    def _on_history_selection_changed(self) -> None:
        chosen = self.selected_file()
        self.void_button.setEnabled(chosen is not None and not chosen.voided_at
                                    and self.job is None)

    def _on_void_clicked(self) -> None:
        chosen = self.selected_file()
        if chosen is None:
            return
        reason = prompts.ask_reason(
            self, "Void update file", f"Why void update file {chosen.file_id}"
            f" ({chosen.row_count:,} counts)? Its counts will be in the next update. (required)")
        if not reason:
            return
        try:
            void_update(self.store, chosen.file_id, reason, operator=self.store.clerk_name(),
                        kind=self.kind)
        except ClerkError as exc:
            self.result_label.setText(str(exc)[:1].upper() + str(exc)[1:])
            return
        self.result_label.setText(f"Update file {chosen.file_id} voided: its counts will be"
                                  " in the next update.")
        self._refresh()
        self.update_written.emit(None)

    def _on_scope_changed(self, _index: int) -> None:
        self._refresh()

    def _on_since_box_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self._refresh()

    def _on_since_changed(self, _date: QDate) -> None:
        self._refresh()

    def _on_path_button_clicked(self) -> None:
        path = ask_save_path(self, TITLES[self.kind], Path(self.path_edit.text()).name,
                             (XLSX, CSV))
        if path is not None:
            self.path_edit.setText(str(path))

    def gaps_warning(self) -> str:
        text = gaps_text(self.gaps, KIND_NAMES[self.kind])
        return (f"Before writing: {text[:1].upper()}{text[1:]}. Fill in the court profile"
                " first, or write it as it is.")

    def open_profile(self) -> None:
        """Tools ▸ Court profile & settings, from here; the warning is read again after."""
        from clerkapp.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self)  # a child: it goes when this dialog goes
        dialog.finished.connect(lambda _code: self._refresh())
        self.profile_dialog = dialog
        dialog.open()

    def start_writing(self) -> None:
        path = Path(self.path_edit.text().strip())
        if path.suffix.lower() not in (".xlsx", ".csv"):
            self.result_label.setText("The file must end in .xlsx or .csv.")
            return
        self._refresh()  # the profile may have changed in another window
        if self.gaps:
            answer = prompts.ask_go_on(self, TITLES[self.kind], self.gaps_warning(),
                                       "Write anyway", "Court profile…")
            if answer == "fix":
                self.open_profile()
            if answer != "go":
                return
        self.settings.setValue(self._folder_key(), str(path.parent))
        self.result_label.setText("Writing…")
        self.open_folder_button.hide()
        self.write_button.setEnabled(False)
        self.job = run_with_progress(
            self, f"Writing the {KIND_NAMES[self.kind]}", self.store.path, write_update,
            self.kind, str(path), since=self.since_date(), include_all=self.include_all(),
            operator=self.store.clerk_name(), on_success=self._on_job_succeeded,
            on_failure=self._on_job_failed, on_cancel=self._on_job_cancelled, unit="counts")
        self.job.finished.connect(self._on_job_finished)

    def _on_job_succeeded(self, summary: UpdateSummary) -> None:
        self.summary = summary
        self.result_label.setText(summary.message[:1].upper() + summary.message[1:] + ".")
        self.open_folder_button.setVisible(summary.path is not None)
        self.update_written.emit(summary)

    def _on_job_failed(self, message: str) -> None:
        self.result_label.setText(f"Nothing was written: {message}")

    def _on_job_cancelled(self) -> None:
        self.result_label.setText("Cancelled: no file was written or recorded.")

    def _on_job_finished(self) -> None:
        self.job = None
        self._refresh()

    def _on_open_folder_clicked(self) -> None:
        if self.summary is not None and self.summary.path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.summary.path.parent)))

    def reject(self) -> None:  # Qt override: closing while writing asks the job to stop
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()
