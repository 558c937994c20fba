"""What a new clerk sees on an empty store: two ways to a working queue in one click."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyPage(QWidget):
    import_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyPage")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel("No records yet")
        title.setObjectName("emptyTitle")
        text = QLabel(
            "Import the Department of Justice file or a court or prosecutor spreadsheet"
            " to start.\nEvery conviction is evaluated at once and appears here for review.\n"
            "You can also drop files on this window."
        )
        text.setWordWrap(True)
        self.import_button = QPushButton("Import files…")
        self.import_button.setObjectName("primaryButton")
        self.sample_button = QPushButton("Open sample data")
        self.sample_button.setToolTip("Open the sample store (made-up people) in a window of"
                                      " its own; nothing is imported into this store")
        for widget in (title, text, self.import_button, self.sample_button):
            if isinstance(widget, QLabel):
                # the page's whole width, its text centred: a wrapped label placed centred
                # got its one-line height and lost its last line ("You can also drop files…")
                widget.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                layout.addWidget(widget)
            else:
                layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)
        self.import_button.clicked.connect(self.import_requested)
        self.sample_button.clicked.connect(self.sample_requested)

    def set_busy(self, busy: bool) -> None:
        self.import_button.setEnabled(not busy)
        self.sample_button.setEnabled(not busy)
        self.sample_button.setText("Loading sample data…" if busy else "Open sample data")
