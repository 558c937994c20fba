"""The decision prompts, driven as objects (never exec()): a required reason stays required."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from clerkapp.ui.views import prompts

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_deny_reason_ok_stays_disabled_until_a_reason_is_typed(qtbot):
    dialog = prompts.ReasonDialog(None, "Deny", "Why deny this conviction? (required)")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.reason, "  ")
    assert dialog.reason.toPlainText() == "   \n  "
    assert not dialog.ok.isEnabled()
    dialog.accept()  # what Enter on a default button would do: refused while empty
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "prosecutor objects")
    assert dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.text() == "prosecutor objects"


def test_ask_reason_returns_the_trimmed_reason_or_none_on_cancel(qtbot, monkeypatch):
    def accept_with(text):
        def run(self):
            self.reason.setPlainText(text)
            self.ok.click()
            return self.result()
        return run

    monkeypatch.setattr(prompts.ReasonDialog, "exec", accept_with("  sealed already \n"))
    assert prompts.ask_reason(None, "Deny", "Why?") == "sealed already"
    monkeypatch.setattr(prompts.ReasonDialog, "exec",
                        lambda self: QDialog.DialogCode.Rejected)
    assert prompts.ask_reason(None, "Deny", "Why?") is None
