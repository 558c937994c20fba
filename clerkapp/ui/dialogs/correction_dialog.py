"""Review ▸ Enter missing fact…: the name or case number a record lacks, with where it comes
from. Kept as a correction (who, when, why); the source row is never changed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from clerkapp.errors import BadInput
from clerkapp.review.corrections import FIELD_WORDS, correct, missing_text
from clerkapp.ui.views import prompts
from clerkapp.ui.views.reason_keys import finish_with_ctrl_enter


class CorrectionDialog(QDialog):
    def __init__(self, store, parent: QWidget | None = None, *, conviction_id: int) -> None:
        super().__init__(parent)
        self.store = store
        self.conviction_id = conviction_id
        self.setWindowTitle("Enter missing fact")
        lacks = store.missing_facts([conviction_id]).get(conviction_id, [])
        self.field = QComboBox()
        for f in (lacks or list(FIELD_WORDS)):
            self.field.addItem(FIELD_WORDS[f].capitalize(), f)
        self.value = QLineEdit()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Where the fact comes from (required): the court file,"
                                       " a minute order, the docket")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        lead = (f"The record has {missing_text(lacks)}." if lacks
                else "The record lacks nothing an order needs.")
        label = QLabel(f"{lead} What you enter is kept as a correction under your name; the"
                       " source row stays as imported.")
        label.setWordWrap(True)
        form.addRow(label)
        form.addRow("&Fact", self.field)
        form.addRow("&Value", self.value)
        form.addRow("&Reason", self.reason)
        form.addRow(self.buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        for signal in (self.value.textChanged, self.reason.textChanged):
            signal.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        finish_with_ctrl_enter(self, self.reason)
        self.value.setFocus()

    def _update_ok(self) -> None:
        self.ok.setEnabled(bool(self.value.text().strip()
                                and self.reason.toPlainText().strip()))

    def accept(self) -> None:
        if not self.ok.isEnabled():
            return
        try:
            correct(self.store, self.conviction_id, self.field.currentData(), self.value.text(),
                    reason=self.reason.toPlainText(), clerk=self.store.clerk_name())
        except BadInput as exc:
            text = str(exc)
            prompts.warn(self, "Not entered", text[:1].upper() + text[1:])
            return
        super().accept()
