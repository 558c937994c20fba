"""What the queue's colours and icons mean, shown under the queue."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from clerkapp.ui.models.styles import OUTCOME_LOOKS, STATUS_LOOKS, Look, swatch


class Legend(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(4)
        self.entries: list[str] = []
        layout.addWidget(self._caption("Outcome:"))
        for look in OUTCOME_LOOKS.values():
            self._add(layout, look)
        layout.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        layout.addWidget(self._caption("Status:"))
        for look in STATUS_LOOKS.values():
            self._add(layout, look)
        layout.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        note = QLabel("✎ clerk's override   ≠ prosecutor disagrees")
        note.setObjectName("legendText")
        layout.addWidget(note)
        layout.addStretch(1)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("legendCaption")
        return label

    def _add(self, layout: QHBoxLayout, look: Look) -> None:
        icon = QLabel()
        size = self.fontMetrics().height()
        icon.setPixmap(swatch(look.colour, look.shape).pixmap(size, size))
        text = QLabel(look.label)
        text.setObjectName("legendText")
        layout.addWidget(icon)
        layout.addWidget(text)
        layout.addSpacing(self.fontMetrics().averageCharWidth())
        self.entries.append(look.label)
