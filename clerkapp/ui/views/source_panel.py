"""The left half of the detail pane: each source row exactly as imported, header by header.

SSN, driver-licence (CDL) and FBI numbers are masked unless the clerk ticks "Show
identifiers": the screen shows them only when asked for.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clerkapp.store.detail import SourceRecord

_IDENTIFIER = re.compile(
    r"(^|[^A-Z])(SSN|CDL|FBI)([^A-Z]|$)|SOCIAL.?SEC|DRIVER|LICEN[CS]E|\bDL\b", re.IGNORECASE
)
MASK = "•••••• (hidden)"
HIGHLIGHT = QColor("#fff1c2")


def is_identifier(header: str) -> bool:
    """True for columns holding SSN, driver-licence or FBI numbers (`PRI_SSN`, `REQ_CDL`,
    `FBI_NUMBER`, `Driver License #`...)."""
    return bool(_IDENTIFIER.search(header.replace("_", " ")))


class SourcePanel(QWidget):
    identifiers_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sources: list[SourceRecord] = []
        self._highlight: set[str] = set()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = QLabel("Source record, as imported")
        self.title.setObjectName("paneTitle")
        self.hide_empty = QCheckBox("Hide empty")
        self.hide_empty.setToolTip("Leave out the columns this row left empty")
        self.show_identifiers = QCheckBox("Show identifiers")
        self.show_identifiers.setToolTip("Show SSN, driver-licence and FBI numbers")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.hide_empty)
        top.addWidget(self.show_identifiers)
        layout.addLayout(top)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("sourceTable")
        self.table.setHorizontalHeaderLabels(["Column", "Value"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        layout.addWidget(self.table)
        self.show_identifiers.toggled.connect(self._on_show_identifiers_toggled)
        self.hide_empty.toggled.connect(self._on_hide_empty_toggled)

    def show_sources(self, sources: list[SourceRecord], highlight: set[str] | None = None,
                     *, selected: bool = True) -> None:
        """Show the rows; headers in `highlight` (upper case) are marked as worth a look.
        `selected`: False when no conviction is selected (nothing to say is missing)."""
        self._selected = selected
        self._sources = sources
        self._highlight = {h.upper() for h in (highlight or set())}
        self._render()

    def value_shown(self, header: str, source: int = 0) -> str | None:
        """What the table shows for `header` of the `source`-th row (for tests)."""
        seen = -1
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is None:
                continue
            if self.table.columnSpan(row, 0) == 2:
                seen += 1
            elif seen == source and item.text() == header:
                value = self.table.item(row, 1)
                return value.text() if value else None
        return None

    def _render(self) -> None:
        reveal = self.show_identifiers.isChecked()
        skip_empty = self.hide_empty.isChecked()
        self.table.clearSpans()
        shown = [[(h, v) for h, v in s.pairs() if v.strip() or not skip_empty]
                 for s in self._sources]
        pairs_total = sum(len(pairs) + 1 + bool(s.facts)
                          for s, pairs in zip(self._sources, shown, strict=True))
        self.table.setRowCount(pairs_total)
        bold = QFont()
        bold.setBold(True)
        row = 0
        empty_colour = QBrush(QColor("#8a8f96"))
        for source, pairs in zip(self._sources, shown, strict=True):
            caption = QTableWidgetItem(f"{source.file_name} — row {source.row_number}")
            caption.setFont(bold)
            caption.setBackground(QBrush(QColor("#e8edf3")))
            self.table.setItem(row, 0, caption)
            self.table.setSpan(row, 0, 1, 2)
            row += 1
            if source.facts:  # the county, court and kind of list the clerk gave at import
                facts = QTableWidgetItem(source.facts)
                facts.setForeground(QBrush(QColor("#34495e")))
                facts.setToolTip("Said of every row of the file when it was imported; a row's"
                                 " own value wins")
                self.table.setItem(row, 0, facts)
                self.table.setSpan(row, 0, 1, 2)
                row += 1
            for header, value in pairs:
                masked = is_identifier(header) and value.strip() and not reveal
                name_item = QTableWidgetItem(header)
                value_item = QTableWidgetItem(MASK if masked else value)
                if masked:
                    value_item.setForeground(QBrush(QColor("#6b6b6b")))
                if not value.strip():
                    name_item.setForeground(empty_colour)
                if header.upper() in self._highlight and value.strip():
                    for item in (name_item, value_item):
                        item.setBackground(QBrush(HIGHLIGHT))
                    value_item.setToolTip("This value differs from a related one; compare them")
                self.table.setItem(row, 0, name_item)
                self.table.setItem(row, 1, value_item)
                row += 1
        if not self._sources and getattr(self, "_selected", True):
            self.table.setRowCount(1)
            self.table.setItem(0, 0, QTableWidgetItem("No source row recorded"))
            self.table.setSpan(0, 0, 1, 2)
        self.table.scrollToTop()

    def _on_hide_empty_toggled(self, _checked: bool) -> None:
        self._render()

    def _on_show_identifiers_toggled(self, checked: bool) -> None:
        self._render()
        self.identifiers_toggled.emit(checked)
