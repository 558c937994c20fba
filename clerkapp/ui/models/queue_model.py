"""The review queue as a lazy table model: a million rows without loading a million records.

A filter or sort change asks the store for the matching ids in order (an `array('q')`) and
resets; `rowCount()` is its length. `data()` loads the window of a few hundred rows around a
miss into a bounded LRU cache, so scrolling to the end touches only what is on screen.
The model never writes SQL (it calls `QueueStore`) and `data()` never raises: a row that
fails to load shows as disabled with a placeholder.
"""

from __future__ import annotations

import logging
from array import array
from collections import OrderedDict
from collections.abc import Container, Iterable
from dataclasses import dataclass, replace
from datetime import date
from itertools import chain

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from clerkapp.domain.closeout import DEFAULT_DOJ_DAYS
from clerkapp.store import Store
from clerkapp.store.queue import QueueFilter, QueueRow
from clerkapp.ui.models.styles import (
    closeout_colour,
    outcome_icon,
    outcome_look,
    status_icon,
    status_look,
)

log = logging.getLogger(__name__)

RecordRole = Qt.ItemDataRole.UserRole + 1  # the whole QueueRow, for the detail pane
IdRole = Qt.ItemDataRole.UserRole + 2  # the conviction id
SortKeyRole = Qt.ItemDataRole.UserRole + 3  # the column's store sort key

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str  # the sort key QueueStore understands
    title: str
    attr: str  # the QueueRow attribute shown
    tip: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("status", "Status", "review_status", "The clerk's decision so far"),
    Column("outcome", "Outcome", "outcome", "What the evaluation found"),
    Column("name", "Name", "name"),
    Column("dob", "DOB", "dob", "Date of birth"),
    Column("case_number", "Case number", "case_number"),
    Column("code_section", "Section", "code_section", "The code section, normalized"),
    Column("level", "Level", "level", "F felony, M misdemeanor, I infraction"),
    Column("conviction_date", "Convicted", "conviction_date", "Conviction date"),
    Column("county", "County", "county"),
    Column("closeout", "Close-out", "closeout",
           "Ordered? Reported to the DOJ (and by when)? Case system updated?"),
    Column("reasons", "Reasons", "reason_summary", "Why (short); the full reasons are in the detail pane"),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
_LOADING = object()  # marks a row whose load failed


class QueueModel(QAbstractTableModel):
    """Rows are convictions matching `queue_filter`, in the order of `sort_key`."""

    WINDOW = 256  # rows read per miss
    MAX_WINDOWS = 24  # windows kept (about 6,000 rows)

    filter_applied = Signal()  # after every reset: counts and selection can follow

    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.queue_filter = QueueFilter()
        self.sort_key = "id"
        self.descending = False
        self._ids = array("q")
        self._windows: OrderedDict[int, dict[int, QueueRow]] = OrderedDict()
        self.loaded = False  # no query until the first reload: restoring a layout is free
        self.fetched_rows = 0  # rows read from the store since the last reset (for tests)
        self.total_fetched_rows = 0
        self.doj_days = DEFAULT_DOJ_DAYS  # read from the court profile at each reload
        self.today = date.today()
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what the view asks -------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        if role == SortKeyRole:
            return column.key
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.record(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        try:
            return self._data(index, role)
        except Exception:  # never let a bad row break painting; log without row contents
            log.exception("queue row %s could not be shown", index.row())
            return None

    def _data(self, index: Index, role: int):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == IdRole:
            return self._ids[index.row()]
        record = self.record(index.row())
        column = COLUMNS[index.column()]
        if record is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole else None
        if role == RecordRole:
            return record
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column.key == "status":
                return status_icon(record.review_status)
            if column.key == "outcome":
                return outcome_icon(record.outcome)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "outcome":
            return QBrush(QColor(outcome_look(record.outcome).colour))
        if role == Qt.ItemDataRole.ForegroundRole and column.key == "closeout" \
                and record.closeout is not None:
            return QBrush(QColor(closeout_colour(record.closeout, self.today, self.doj_days)))
        if role == Qt.ItemDataRole.FontRole and column.key == "status" \
                and record.review_status == "pending":
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "closeout" and record.closeout is not None:
                return record.closeout.tip(self.doj_days)
            if column.key == "reasons":
                return record.reason_summary or None
            if column.key == "outcome":
                return _outcome_tip(record)
        return None

    def _text(self, record: QueueRow, column: Column) -> str:
        if column.key == "closeout":
            return record.closeout.text(self.today, self.doj_days) if record.closeout else ""
        if column.key == "status":
            return status_look(record.review_status).label
        if column.key == "outcome":
            text = outcome_look(record.outcome).label
            if record.overridden:
                text += " ✎"
            if record.prosecutor_outcome and record.prosecutor_outcome != record.outcome:
                text += " ≠"
            if _decided_before_change(record):
                text += " ⚠"
            return text
        value = getattr(record, column.attr)
        return "" if value is None else str(value)

    # --- lazy loading ---------------------------------------------------------------------
    def record(self, row: int) -> QueueRow | None:
        """The row's record, loading its window on a miss; None if it cannot be read."""
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.WINDOW
        window = self._windows.get(number)
        if window is None:
            window = self._load_window(number)
        else:
            self._windows.move_to_end(number)
        value = window.get(self._ids[row])
        return value if isinstance(value, QueueRow) else None

    def _load_window(self, number: int) -> dict[int, QueueRow]:
        start = number * self.WINDOW
        ids = self._ids[start:start + self.WINDOW]
        try:
            window = self.store.queue_rows(ids)
        except Exception:
            log.exception("queue window %s could not be read", number)
            window = {}
        self.fetched_rows += len(ids)
        self.total_fetched_rows += len(ids)
        self._windows[number] = window
        while len(self._windows) > self.MAX_WINDOWS:
            self._windows.popitem(last=False)
        return window

    @property
    def cached_rows(self) -> int:
        return sum(len(w) for w in self._windows.values())

    # --- filter, sort, refresh ---------------------------------------------------------------
    def set_filter(self, queue_filter: QueueFilter) -> None:
        self.queue_filter = queue_filter
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column].key if 0 <= column < len(COLUMNS) else "id"
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, descending
        if self.loaded:
            self.reload()

    def reload(self) -> None:
        """Ask the store again for the matching ids (after a filter change or new data)."""
        self.beginResetModel()
        self.loaded = True
        self.today = date.today()
        try:
            self.doj_days = self.store.doj_days()
        except Exception:
            log.exception("the DOJ deadline setting could not be read")
        try:
            self._ids = self.store.queue_ids(self.queue_filter, self.sort_key, self.descending)
        except Exception:
            log.exception("the queue could not be read")
            self._ids = array("q")
        self._windows.clear()
        self.fetched_rows = 0
        self.endResetModel()
        self.filter_applied.emit()

    def refresh(self, conviction_ids: Iterable[int]) -> None:
        """Re-read these convictions (after a decision): drop them from the cache and tell the
        view about their rows only. Rows outside the cache are read fresh when shown."""
        wanted = set(conviction_ids)
        if not wanted:
            return
        changed: list[int] = []
        for number in list(self._windows):
            start = number * self.WINDOW
            rows = [start + i for i, cid in enumerate(self._ids[start:start + self.WINDOW])
                    if cid in wanted]
            if rows:
                del self._windows[number]
                changed.extend(rows)
        last = len(COLUMNS) - 1
        for first, end in _runs(sorted(changed)):
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))

    def refresh_rows(self) -> None:
        """Re-read every row as it is shown (after orders or update files: the close-out
        column changed, the rows did not): the cache goes, the ids stay."""
        self._windows.clear()
        if len(self._ids):
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1,
                                                               len(COLUMNS) - 1))

    # --- lookups ---------------------------------------------------------------------------
    def next_pending_row(self, row: int, scan: int = 5000,
                         skip: Container[int] = ()) -> int | None:
        """The first pending row after `row`, wrapping to the top; None when the filter holds
        no other pending conviction. The next `scan` rows are looked at through the cache
        (a fresh queue is mostly pending); past them one store query finds the rest.
        Convictions in `skip` (other clerks have them open) are passed over."""
        total = len(self._ids)
        for candidate in range(row + 1, min(total, row + 1 + scan)):
            record = self.record(candidate)
            if record is not None and record.review_status == "pending" \
                    and record.id not in skip:
                return candidate
        if self.queue_filter.review_status not in (None, "pending"):
            return None
        try:
            pending = set(self.store.queue_ids(
                replace(self.queue_filter, review_status="pending")))
        except Exception:
            log.exception("the pending convictions could not be read")
            return None
        pending.discard(self.conviction_id(row))
        pending.difference_update(i for i in list(pending) if i in skip)
        if not pending:
            return None
        start = min(total, row + 1 + scan)
        for candidate in chain(range(start, total), range(0, min(row + 1, total))):
            if self._ids[candidate] in pending:
                return candidate
        return None

    def conviction_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def ids(self) -> array:
        """Every id in the current filter, in order (the array itself: do not change it)."""
        return self._ids

    def row_of(self, conviction_id: int, hint: int = 0) -> int:
        """The row showing this conviction, or -1; looks near `hint` first."""
        lo = max(0, hint - self.WINDOW)
        near = self._ids[lo:hint + self.WINDOW]
        try:
            return lo + near.index(conviction_id)
        except ValueError:
            pass
        try:
            return self._ids.index(conviction_id)
        except ValueError:
            return -1


def _runs(rows: list[int]) -> Iterable[tuple[int, int]]:
    """Contiguous runs in sorted rows: [1, 2, 3, 7] -> (1, 3), (7, 7)."""
    if not rows:
        return
    first = prev = rows[0]
    for row in rows[1:]:
        if row != prev + 1:
            yield first, prev
            first = row
        prev = row
    yield first, prev


def _decided_before_change(record: QueueRow) -> bool:
    """Approved or denied as one outcome, and the evaluation since says another (an override
    is the clerk's own outcome, so it never counts)."""
    return bool(record.decided_outcome and not record.overridden
                and record.decided_outcome != record.outcome)


def _outcome_tip(record: QueueRow) -> str | None:
    """Why the outcome cell reads as it does: the clerk's override, the prosecutor's view."""
    lines = []
    if record.overridden:
        lines.append("Clerk's override; the evaluation said "
                     f"{outcome_look(record.engine_outcome).label}")
    if record.prosecutor_outcome:
        lines.append(f"Prosecutor: {outcome_look(record.prosecutor_outcome).label}")
    if _decided_before_change(record):
        lines.append(f"{status_look(record.review_status).label} as"
                     f" {outcome_look(record.decided_outcome).label}; the latest evaluation"
                     " says otherwise: look at it again")
    return "\n".join(lines) or None
