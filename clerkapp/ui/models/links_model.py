"""The reconciliation's rows for the Reconcile window: a lazy table over `reconcile_links`.

The model holds the ids matching the window's filter and reads rows a page at a time as the
view shows them, so a million-row reconciliation opens at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from clerkapp.reconcile.output import both

PAGE = 300
_Index = QModelIndex | QPersistentModelIndex
STATUS_LABELS = {
    "matched": "Matched", "possible_match": "Possible match", "conflict": "Conflict",
    "court_only": "Court only", "doj_only": "DOJ only", "unmatched": "Unmatched",
}
STATUS_COLORS = {
    "matched": "#2e7d32", "possible_match": "#b26a00", "conflict": "#c62828",
    "court_only": "#1565c0", "doj_only": "#6a1b9a", "unmatched": "#616161",
}
KEY_LABELS = {"cii": "CII", "ssn": "SSN", "cdl": "Licence", "name_dob": "Name + DOB",
              "case_number": "Case number"}


class LinksModel(QAbstractTableModel):
    COLUMNS = ("Status", "DOJ case", "Court case", "Name", "DOB", "CII", "Section",
               "Conviction date", "Key", "Score", "Note")

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._ids: list[int] = []
        self._rows: dict[int, tuple] = {}
        self.status: str | None = None
        self.search = ""

    def refresh(self, status: str | None = None, search: str = "") -> None:
        self.beginResetModel()
        self.status, self.search = status, search
        self._ids = self._store.link_ids(status, search)
        self._rows = {}
        self.endResetModel()

    def link_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, link_id: int) -> int:
        try:
            return self._ids.index(link_id)
        except ValueError:
            return -1

    def link(self, row: int) -> tuple | None:
        """(status, key, score, note, doj id, court id, DOJ case..date, court case..date)."""
        link_id = self.link_id(row)
        if link_id is None:
            return None
        if link_id not in self._rows:
            start = (row // PAGE) * PAGE
            self._rows.update(self._store.link_rows(self._ids[start:start + PAGE]))
        return self._rows.get(link_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.link(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return QBrush(QColor(STATUS_COLORS.get(row[0], "#000000")))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 9:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(row, index.column(), role == Qt.ItemDataRole.ToolTipRole)
        return None

    @staticmethod
    def _cell(row: tuple, column: int, full: bool = False) -> str:
        """A cell's text; a section or date the two lists give differently shows the DOJ's
        with `≠` (both in the tooltip, and in the note)."""
        status, key, score, note = row[:4]
        d_case, d_name, d_dob, d_cii, d_section, d_date = row[6:12]
        k_case, k_name, k_dob, k_cii, k_section, k_date = row[12:18]
        pair = both if full else _first_marked
        cells = (STATUS_LABELS.get(status, status), d_case, k_case, d_name or k_name,
                 d_dob or k_dob, d_cii or k_cii, pair(d_section, k_section),
                 pair(d_date, k_date), KEY_LABELS.get(key or "", key or ""),
                 "" if score is None else f"{score:g}", note)
        value = cells[column]
        return "" if value is None else str(value)


def _first_marked(doj: str | None, court: str | None) -> str:
    if doj and court and doj != court:
        return f"{doj} ≠"
    return doj or court or ""
