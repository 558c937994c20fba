"""What a dialog's background job left: a sentence, and a button that opens what was written
(a file or a folder); shared by the notices, look-up and impact report dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)


class ResultRow(QWidget):
    def __init__(self, button_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.open_button = QPushButton(button_text)
        self.open_button.hide()
        self.target: Path | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.open_button)
        self.open_button.clicked.connect(self._on_open_button_clicked)

    def show_text(self, text: str, target: Path | None = None) -> None:
        """`text`; with `target`, the button that opens it."""
        self.label.setText(text)
        self.target = target
        self.open_button.setVisible(target is not None)

    def _on_open_button_clicked(self) -> None:
        if self.target is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.target)))


def action_buttons(text: str) -> tuple[QDialogButtonBox, QPushButton]:
    """Close, and the dialog's action (which starts a job and leaves the dialog open)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    return box, box.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
