"""Tools ▸ Evaluation settings: the policy, the as-of date and the county scope, and a re-run.

After a run, convictions the clerk had already approved or denied whose determination changed
are listed (case, old → new outcome) so the clerk looks at them again: a new policy never
silently changes what was decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.counties import check_county
from clerkapp.domain.outcomes import Outcome
from clerkapp.errors import ClerkError
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.views.county_box import CountyBox
from clerkapp.ui.views.tables import read_only_table
from clerkapp.ui.views.wrapped_label import WrappedLabel
from clerkapp.ui.workers import Job, run_with_progress

CHOOSE_FILE = "Choose file…"
POLICY_FILTER = "Policy files (*.toml *.json);;County policy (*.toml);;BEAR options (*.json)"


def outcome_label(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return Outcome(value).label
    except ValueError:
        return value


class EvaluationDialog(QDialog):
    """Edit the evaluation settings and re-run the evaluation in the background."""

    evaluation_finished = Signal(object)  # RunSummary
    settings_saved = Signal()
    conviction_chosen = Signal(int)  # a changed decision double-clicked: show it in the queue

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from clerkapp.rules.policies import available_policies

        self.store = store
        self.job: Job | None = None
        self.last_run: Any = None
        self.setWindowTitle("Evaluation settings")

        self.policy_combo = QComboBox()
        for name in available_policies():
            self.policy_combo.addItem(name, name)
        current = str(store.get_setting("evaluation.policy") or "statute")
        self._select_policy(current)
        self.policy_combo.addItem(CHOOSE_FILE, None)
        self.policy_note = WrappedLabel()
        self.policy_note.setTextFormat(Qt.TextFormat.PlainText)

        as_of = str(store.get_setting("evaluation.as_of") or "")
        self.today_check = QCheckBox("Today (the date of each run)")
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        parsed = QDate.fromString(as_of, "yyyy-MM-dd")
        self.as_of_edit.setDate(parsed if parsed.isValid() else QDate.currentDate())
        self.today_check.setChecked(not parsed.isValid())
        self.as_of_edit.setEnabled(parsed.isValid())
        as_of_row = QHBoxLayout()
        as_of_row.addWidget(self.as_of_edit)
        as_of_row.addWidget(self.today_check)
        as_of_row.addStretch(1)

        self.county_edit = CountyBox(empty_text="Empty: every county")
        self.county_edit.set_county(str(store.get_setting("court.county") or ""))

        form = QFormLayout()
        form.addRow("Policy", self.policy_combo)
        form.addRow("", self.policy_note)
        form.addRow("As of", as_of_row)
        form.addRow("County", self.county_edit)

        self.run_button = QPushButton("Re-run evaluation")
        self.result_label = WrappedLabel()
        self.changed_label = WrappedLabel()
        self.changed_table = read_only_table(
            ["Case", "Section", "Review", "Decided", "Determination: before → now"],
            stretch_last=True, word_wrap=False)
        self.changed_table.hide()
        self.changed_table.setToolTip("Double-click a row to show that conviction in the queue")
        self.changed_table.itemActivated.connect(self._on_changed_table_item_activated)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        buttons.rejected.connect(self.reject)
        self.run_button.clicked.connect(self.run_evaluation)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.changed_label)
        layout.addWidget(self.changed_table, 1)
        layout.addWidget(buttons)

        self._policy_index = self.policy_combo.currentIndex()
        self.policy_combo.activated.connect(self._on_policy_combo_activated)
        self.today_check.toggled.connect(lambda on: self.as_of_edit.setEnabled(not on))
        self._describe_policy()
        self.resize(self.fontMetrics().averageCharWidth() * 100, self.sizeHint().height())

    def reject(self) -> None:  # Qt override: Esc or the window's close button
        """While the evaluation runs, closing asks it to stop instead (it rolls back)."""
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()

    # --- policy choice -------------------------------------------------------------------

    def _select_policy(self, name_or_path: str) -> None:
        index = self.policy_combo.findData(name_or_path)
        if index < 0:
            self.policy_combo.insertItem(self.policy_combo.count(), Path(name_or_path).name,
                                         name_or_path)
            index = self.policy_combo.findData(name_or_path)
            self.policy_combo.setItemData(index, name_or_path, Qt.ItemDataRole.ToolTipRole)
        self.policy_combo.setCurrentIndex(index)

    def policy(self) -> str:
        return str(self.policy_combo.currentData() or "")

    def choose_policy_file(self, path: str) -> bool:
        """Validate a county TOML or BEAR JSON and select it; False (with a message) if bad."""
        from clerkapp.rules.policies import load_policy

        try:
            load_policy(path)
        except ClerkError as exc:
            QMessageBox.warning(self, "Policy refused", str(exc))
            self.policy_combo.setCurrentIndex(self._policy_index)
            return False
        self.policy_combo.removeItem(self.policy_combo.findData(None))
        self._select_policy(path)
        self.policy_combo.addItem(CHOOSE_FILE, None)
        self._policy_index = self.policy_combo.currentIndex()
        self._describe_policy()
        return True

    def _on_policy_combo_activated(self, index: int) -> None:
        if self.policy_combo.itemData(index) is None:  # "Choose file…"
            path, _ = SafeFileDialog.getOpenFileName(self, "Choose a policy file", "", POLICY_FILTER)
            if not path:
                self.policy_combo.setCurrentIndex(self._policy_index)
                return
            self.choose_policy_file(path)
            return
        self._policy_index = index
        self._describe_policy()

    def _describe_policy(self) -> None:
        from clerkapp.rules.policies import load_policy

        try:
            policy = load_policy(self.policy())
        except ClerkError as exc:
            self.policy_note.setText(f"This policy cannot be loaded: {exc}")
            return
        text = policy.description.strip() or f"{policy.name} ({policy.kind})"
        self.policy_note.setText(f"{text}\nsha256 {policy.sha256[:16]}…")

    # --- saving and running --------------------------------------------------------------

    def as_of(self) -> str:
        """The as-of date to store: '' for today, else ISO."""
        if self.today_check.isChecked():
            return ""
        return self.as_of_edit.date().toString("yyyy-MM-dd")

    def save(self) -> bool:
        """Save the settings; False (and a message, nothing saved) for a county that is not
        California's: a misspelt one would leave the whole queue 'not applicable'."""
        county = self.county_edit.county()
        try:
            check_county(county)
        except ValueError:
            QMessageBox.warning(self, "Evaluation settings",
                                f"{county!r} is not a California county: choose one from the"
                                " list, or leave it empty for every county.")
            self.county_edit.setFocus()
            return False
        values = {"evaluation.policy": self.policy(), "evaluation.as_of": self.as_of(),
                  "court.county": county}
        changed = [k for k, v in values.items() if self.store.get_setting(k) != v]
        if changed:
            with self.store.atomic():
                for key in changed:
                    self.store.set_setting(key, values[key])
                self.store.audit(self.store.clerk_name(), "settings", entity="settings",
                                 details={"changed": changed, **{k: values[k] for k in changed}})
        self.settings_saved.emit()
        return True

    def _on_save_button_clicked(self) -> None:
        if self.save():
            self.result_label.setText("Settings saved. They apply to the next evaluation.")

    def run_evaluation(self) -> None:
        """Save the settings, then evaluate in the background with them."""
        from clerkapp.rules.service import evaluate

        if not self.save():
            return
        self.run_button.setEnabled(False)
        self.result_label.setText("Evaluating…")
        # policy, as-of and county come from the settings just saved (services.md)
        self.job = run_with_progress(
            self, "Evaluating", self.store.path, evaluate, operator=self.store.clerk_name(),
            unit="convictions", on_success=self._on_run_succeeded,
            on_failure=self._on_run_failed, on_cancel=self._on_run_cancelled,
        )

    def _on_run_failed(self, message: str) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.result_label.setText("")
        QMessageBox.warning(self, "Evaluation failed", message)

    def _on_run_cancelled(self) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.result_label.setText("Cancelled: nothing changed; the earlier determinations stand.")

    def _on_run_succeeded(self, run: Any) -> None:
        self.job = None
        self.last_run = run
        self.run_button.setEnabled(True)
        counts = dict(run.counts or {})
        parts = [f"{outcome_label(k)}: {n:,}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
        self.result_label.setText(
            f"Evaluated {sum(counts.values()):,} convictions under {run.policy_name} as of "
            f"{run.as_of}.\n" + " · ".join(parts))
        self.show_changed(list(run.changed_decided or []))
        self.evaluation_finished.emit(run)

    def _fit_changed_table(self, count: int) -> None:
        """Grow the dialog (within the screen) so the list shows a few whole rows and its
        columns, instead of squeezing the texts above it."""
        table = self.changed_table
        header = table.horizontalHeader()
        rows = min(count, 8)
        table.setMinimumHeight(header.sizeHint().height() + 2 * table.frameWidth()
                               + table.verticalHeader().defaultSectionSize() * rows)
        width = (sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c))
                     for c in range(table.columnCount()))
                 + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width())
        margins = self.layout().contentsMargins()
        wanted_width = width + margins.left() + margins.right()
        hint = self.sizeHint()
        screen = self.screen().availableGeometry() if self.screen() else None
        w, h = max(self.width(), wanted_width), max(self.height(), hint.height())
        if screen is not None:
            w, h = min(w, int(screen.width() * 0.9)), min(h, int(screen.height() * 0.9))
        self.resize(w, h)

    def _on_changed_table_item_activated(self, item: QTableWidgetItem) -> None:
        cid = item.data(Qt.ItemDataRole.UserRole)
        if cid is not None:
            self.conviction_chosen.emit(int(cid))

    def show_changed(self, conviction_ids: list[int]) -> None:
        rows = self.store.changed_decided_rows(conviction_ids)
        table = self.changed_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row["case_number"] or "(no case number)", row["code_section"] or "",
                     row["review_status"], outcome_label(row["decided_outcome"]),
                     f"{outcome_label(row['old_outcome'])} → {outcome_label(row['new_outcome'])}"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                table.setItem(r, c, item)
        table.setVisible(bool(rows))
        if rows:
            self._fit_changed_table(len(rows))
            self.changed_label.setText(
                f"{len(rows):,} conviction{'s' if len(rows) != 1 else ''} already decided now "
                "get a different determination. The decisions were NOT changed: look at each "
                "one again (double-click a row to show it in the review queue).")
            self.changed_label.setStyleSheet("color: #8a4b00; font-weight: bold;")
        else:
            self.changed_label.setText("No decided conviction changed its determination.")
            self.changed_label.setStyleSheet("")
