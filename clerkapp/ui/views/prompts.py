"""The small questions a decision asks: a reason for a denial, an outcome and reason for an
override, and the bulk-approval confirmation. Module-level functions, so tests replace them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from clerkapp.domain.outcomes import OUTCOME_LABELS, Outcome
from clerkapp.ui.models.styles import outcome_icon
from clerkapp.ui.views.reason_keys import finish_with_ctrl_enter


class ReasonDialog(QDialog):
    """A required reason: OK stays disabled until something other than spaces is typed, so
    an empty reason can never close the dialog and silently decide nothing."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Required; recorded with the decision")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form.addRow(label)
        form.addRow("Reason", self.reason)
        form.addRow(self.buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: self.ok.setEnabled(bool(self.text())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        finish_with_ctrl_enter(self, self.reason)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def accept(self) -> None:
        if self.text():  # Ctrl+Enter or a default button never get past an empty reason
            super().accept()


def ask_reason(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """The clerk's reason, or None when cancelled."""
    dialog = ReasonDialog(parent, title, prompt)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text() or None


class OverrideDialog(QDialog):
    def __init__(self, parent: QWidget | None, current: str | None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Override outcome")
        form = QFormLayout(self)
        self.outcome = QComboBox()
        for o in Outcome:
            if o.value != current:
                icon = outcome_icon(o.value)
                if icon is not None:
                    self.outcome.addItem(icon, OUTCOME_LABELS[o], o.value)
                else:
                    self.outcome.addItem(OUTCOME_LABELS[o], o.value)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why the evaluation's outcome is wrong (required)")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        form.addRow(QLabel("The approved outcome will be the one you choose here."))
        form.addRow("New outcome", self.outcome)
        form.addRow("Reason", self.reason)
        form.addRow(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.textChanged.connect(
            lambda: ok.setEnabled(bool(self.reason.toPlainText().strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        finish_with_ctrl_enter(self, self.reason)

    def accept(self) -> None:
        if self.reason.toPlainText().strip():  # Ctrl+Enter never gets past an empty reason
            super().accept()


def ask_override(parent: QWidget | None, current: str | None) -> tuple[str, str] | None:
    """(new outcome, reason), or None when cancelled."""
    dialog = OverrideDialog(parent, current)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.outcome.currentData(), dialog.reason.toPlainText().strip()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_export_scope(parent: QWidget | None, shown: int, total: int) -> str | None:
    """"view" (the convictions the filter shows), "all", or None (cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Export determinations",
                      f"The review window shows {shown:,} of the {total:,} convictions in the"
                      " store. Which do you want to export?", parent=parent)
    view = box.addButton(f"Those shown ({shown:,})", QMessageBox.ButtonRole.AcceptRole)
    every = box.addButton(f"All ({total:,})", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(view)
    box.exec()
    return {view: "view", every: "all"}.get(box.clickedButton())


def ask_go_on(parent: QWidget | None, title: str, text: str, go_on: str,
              fix: str | None = None) -> str | None:
    """A warning before an act the clerk may still choose: "go" (the `go_on` button), "fix"
    (the `fix` button: set it right first), or None (Cancel, the default)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    go = box.addButton(go_on, QMessageBox.ButtonRole.AcceptRole)
    mend = box.addButton(fix, QMessageBox.ButtonRole.ActionRole) if fix else None
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(mend or cancel)
    box.exec()
    clicked = box.clickedButton()
    return "go" if clicked is go else "fix" if mend is not None and clicked is mend else None


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def bulk_text(plan, scope: str) -> str:
    """The confirmation: the exact count and each outcome that will be approved."""
    n = len(plan.ids)
    lines = [f"Approve {n:,} pending conviction{'s' if n != 1 else ''} {scope}:"]
    for outcome, count in sorted(plan.by_outcome.items(), key=lambda kv: -kv[1]):
        lines.append(f"    {OUTCOME_LABELS.get(Outcome(outcome), outcome)}: {count:,}")
    if plan.skipped:
        lines.append(f"\n{plan.skipped:,} other{'s' if plan.skipped != 1 else ''} {scope} "
                     "(already decided, or not a relief outcome) will be left as they are.")
    lines.append("\nEach approval is recorded under your name; Ctrl+Z undoes the whole act.")
    return "\n".join(lines)


def show_shortcuts(parent: QWidget | None, rows: list[tuple[str, str]]) -> None:
    table = "".join(f"<tr><td><b>{keys}</b></td><td>{what}</td></tr>" for keys, what in rows)
    box = QMessageBox(parent)
    box.setWindowTitle("Keyboard shortcuts")
    box.setText(f"<table cellpadding='3'>{table}</table>")
    box.open()


def show_about(parent: QWidget | None) -> None:
    from clerkapp import __version__

    QMessageBox.about(
        parent, "About clerkapp",
        f"<b>clerkapp {__version__}</b><p>Proposition 64 relief (HS 11361.8, 11361.9) for"
        " California court clerks: import, evaluate, review, print orders. Everything stays"
        " in one local database file.</p>",
    )
