"""What the queue's colours and icons mean, shown under the queue."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clerkapp.ui.models.styles import OUTCOME_LOOKS, STATUS_LOOKS, Look, swatch


class Legend(QWidget):
    """Two short rows (outcomes; statuses and marks) rather than one long one, so the window
    still fits a 1366-pixel laptop screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 2, 6, 2)
        rows.setSpacing(0)
        self.entries: list[str] = []
        outcomes, statuses = QHBoxLayout(), QHBoxLayout()
        for layout in (outcomes, statuses):
            layout.setSpacing(4)
            rows.addLayout(layout)
        outcomes.addWidget(self._caption("Outcome:"))
        for look in OUTCOME_LOOKS.values():
            self._add(outcomes, look)
        outcomes.addStretch(1)
        statuses.addWidget(self._caption("Status:"))
        for look in STATUS_LOOKS.values():
            self._add(statuses, look)
        statuses.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        note = QLabel("✎ clerk's override   ≠ prosecutor disagrees   ⚠ decided as another outcome")
        note.setObjectName("legendText")
        statuses.addWidget(note)
        statuses.addStretch(1)

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
