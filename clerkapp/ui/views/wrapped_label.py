"""A word-wrapped label that keeps the height its text needs.

Layouts give a wrapped QLabel only its one-line minimum height, so when a neighbour grows (a
table appearing under it) the label is squeezed and its lines are cut through the middle.
This one sets its minimum height to what its text takes at its current width.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class WrappedLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # Qt override: QLabel guesses a width; use the real one
        hint = super().sizeHint()
        if self.width() > 0 and self.text():
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def setText(self, text: str) -> None:  # Qt override
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.width() if self.width() > 0 else self.sizeHint().width()
        needed = self.heightForWidth(width) if self.text() else 0
        if needed >= 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
