"""The two tables of the import dialog for a generic spreadsheet: the first rows as read, with
the detected header row highlighted, and the column mapping (header -> field) the clerk corrects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

IGNORE = "(ignore)"


def field_label(field: str) -> str:
    """`conviction_date` -> `Conviction date`: how the dialog names a field."""
    from clerkapp.ingest.mapping import FIELD_LABELS

    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
HEADER_BACKGROUND = QColor("#fff3c4")  # the detected header row
MISSING_COLOR = QColor("#b00020")
DUPLICATE_BACKGROUND = QColor("#fde0e0")


class PreviewTable(QTableWidget):
    """The first rows of the sheet exactly as read; the header row highlighted, rows above it
    (titles, blank lines) greyed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(self.fontMetrics().averageCharWidth() * 16)
        self.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.5))

    def show_rows(self, rows: list[list[str]], header_row: int) -> None:
        width = max((len(r) for r in rows), default=0)
        self.clear()
        self.setRowCount(len(rows))
        self.setColumnCount(width)
        self.setHorizontalHeaderLabels([_column_letter(i) for i in range(width)])
        self.setVerticalHeaderLabels([str(i + 1) for i in range(len(rows))])
        bold = QFont(self.font())
        bold.setBold(True)
        grey = QBrush(self.palette().color(self.palette().ColorGroup.Disabled,
                                           self.palette().ColorRole.Text))
        for r, row in enumerate(rows):
            for c in range(width):
                item = QTableWidgetItem(row[c] if c < len(row) else "")
                if r == header_row:
                    item.setBackground(HEADER_BACKGROUND)
                    item.setFont(bold)
                    item.setToolTip("Detected header row")
                elif r < header_row:
                    item.setForeground(grey)
                self.setItem(r, c, item)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


class MappingTable(QTableWidget):
    """One row per header: the header, sample values, and a field combo box."""

    mapping_changed = Signal(object)  # the new mapping (header -> field)

    COLUMNS = ("Column in the file", "Sample values", "Imports as")

    def __init__(self, fields: Iterable[str], required: Iterable[str],
                 missing_fn: Callable[[dict[str, str]], list[str]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)
        self.required = list(required)
        self._missing_fn = missing_fn
        self.headers: list[str] = []
        self.combos: list[QComboBox] = []
        self.setColumnCount(len(self.COLUMNS))
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.9))
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def show_mapping(self, headers: list[str], mapping: dict[str, str],
                     samples: list[list[str]]) -> None:
        self.headers = list(headers)
        self.combos = []
        self.setRowCount(len(headers))
        for r, name in enumerate(headers):
            self.setItem(r, 0, QTableWidgetItem(name or f"(column {_column_letter(r)})"))
            values = [row[r] for row in samples if r < len(row) and row[r].strip()][:3]
            sample = QTableWidgetItem(" · ".join(values))
            sample.setForeground(QBrush(self.palette().color(
                self.palette().ColorGroup.Disabled, self.palette().ColorRole.Text)))
            self.setItem(r, 1, sample)
            combo = QComboBox()
            combo.addItem(IGNORE)
            for field in self.fields:
                label = field_label(field)
                combo.addItem(f"{label} *" if field in self.required else label, field)
                combo.setItemData(combo.count() - 1, f"field: {field}",
                                  Qt.ItemDataRole.ToolTipRole)
            combo.currentIndexChanged.connect(
                lambda _i, c=combo: c.setToolTip(f"field: {c.currentData()}"
                                                 if c.currentData() else ""))
            current = mapping.get(name)
            combo.setCurrentIndex(self.fields.index(current) + 1 if current in self.fields else 0)
            combo.currentIndexChanged.connect(self._on_combo_changed)
            self.combos.append(combo)
            self.setCellWidget(r, 2, combo)
        self._mark()

    def set_field(self, header: str, field: str | None) -> None:
        """Choose the field for one header (None: ignore), as the clerk would in its combo."""
        combo = self.combos[self.headers.index(header)]
        combo.setCurrentIndex(self.fields.index(field) + 1 if field else 0)

    def mapping(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, combo in zip(self.headers, self.combos, strict=True):
            field = combo.currentData()
            if field:
                out[name] = field
        return out

    def missing(self) -> list[str]:
        if self._missing_fn is not None:
            return list(self._missing_fn(self.mapping()))
        mapped = set(self.mapping().values())
        return [f for f in self.required if f not in mapped]

    def duplicates(self) -> list[str]:
        seen: dict[str, int] = {}
        for field in self.mapping().values():
            seen[field] = seen.get(field, 0) + 1
        return sorted(f for f, n in seen.items() if n > 1)

    def _on_combo_changed(self, _index: int) -> None:
        self._mark()
        self.mapping_changed.emit(self.mapping())

    def _mark(self) -> None:
        dupes = set(self.duplicates())
        for r, combo in enumerate(self.combos):
            item = self.item(r, 0)
            if item is None:
                continue
            field = combo.currentData()
            item.setBackground(DUPLICATE_BACKGROUND if field in dupes else QBrush())
            font = item.font()
            font.setBold(bool(field))
            item.setFont(font)


def missing_text(missing: list[str], duplicates: list[str]) -> str:
    """The red line under the mapping table; empty when the mapping can import."""
    parts = []
    if missing:
        parts.append("Required fields not mapped: " + ", ".join(map(field_label, missing)))
    if duplicates:
        parts.append("Mapped to more than one column: "
                     + ", ".join(map(field_label, duplicates)))
    return ". ".join(parts)

