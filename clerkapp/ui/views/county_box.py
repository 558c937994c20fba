"""The county box: California's 58 counties to choose from, or typed (any spelling the list
knows: `orange county`, `ORANGE`), the same list the import dialog offers. What it gives is
the county as listed, so the court profile prints `Orange`, never `Orange County County`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from clerkapp.domain.counties import COUNTIES, california_county


class CountyBox(QComboBox):
    """An editable list of the counties with an empty first choice (no county set)."""

    def __init__(self, parent: QWidget | None = None, *, empty_text: str = "") -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # typing adds nothing to the list
        self.addItems(["", *COUNTIES])
        completer = QCompleter(list(COUNTIES), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "ang" finds Los Angeles
        self.setCompleter(completer)
        if empty_text:
            self.lineEdit().setPlaceholderText(empty_text)

    def county(self) -> str:
        """The county as listed when the text names one, else the text as typed (for the
        caller's check to refuse, naming it); '' for none."""
        text = self.currentText().strip()
        return california_county(text) or text

    def set_county(self, name: str | None) -> None:
        self.setCurrentText(california_county(name) or (name or "").strip())
