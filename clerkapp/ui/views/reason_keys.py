"""The keyboard of every dialog that asks for a reason: Enter adds a line, Ctrl+Enter finishes
(as OK would), and Tab moves to the next control instead of typing a tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QPlainTextEdit

FINISH_KEYS = ("Ctrl+Return", "Ctrl+Enter")


def finish_with_ctrl_enter(dialog: QDialog, *editors: QPlainTextEdit) -> None:
    for editor in editors:
        editor.setTabChangesFocus(True)
        editor.setToolTip("Enter adds a line; Ctrl+Enter finishes")
    for keys in FINISH_KEYS:
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(dialog.accept)
