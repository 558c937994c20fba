"""The imports list and withdrawals. A withdrawn import keeps its rows, the decisions made
on its convictions and its audit entries; its convictions leave the queue, the counts, the
exports and the orders (`StoreBase.withdrawn_terms`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from clerkapp.store.base import StoreBase, now_iso


@dataclass(frozen=True)
class ImportOverview:
    """One line of File ▸ Imports… and `clerkapp imports`."""

    id: int
    file_name: str
    started_at: str
    operator: str
    preset: str
    source_kind: str
    county: str
    rows: int
    convictions: int
    errors: int
    decisions: int  # convictions approved, denied or deferred
    orders: int  # order files printed with at least one of its convictions
    status: str  # complete | withdrawn
    withdrawn_at: str = ""
    withdrawn_by: str = ""
    withdraw_reason: str = ""
    skipped: dict[str, int] = field(default_factory=dict)
    history: int = 0


_OVERVIEW = """
SELECT i.id, i.file_name, i.started_at, coalesce(i.operator, ''), i.preset,
       coalesce(i.source_kind, ''), coalesce(i.county, ''), i.row_count, i.conviction_count,
       i.error_count,
       (SELECT count(*) FROM convictions c WHERE c.import_id = i.id
            AND c.review_status IN ('approved', 'denied', 'deferred')),
       (SELECT count(DISTINCT oi.order_id) FROM convictions c
            JOIN order_items oi ON oi.conviction_id = c.id WHERE c.import_id = i.id),
       i.status, coalesce(i.withdrawn_at, ''), coalesce(i.withdrawn_by, ''),
       coalesce(i.withdraw_reason, ''), i.skipped, i.history_count
FROM imports i WHERE i.status IN ('complete', 'withdrawn')
"""


def _overview(r) -> ImportOverview:
    skipped = json.loads(r[16]) if r[16] else {}
    return ImportOverview(*r[:16], skipped=skipped, history=int(r[17] or 0))


class WithdrawalStore(StoreBase):
    def imports_overview(self) -> list[ImportOverview]:
        """Every import, oldest first, with what was done with its convictions."""
        return [_overview(r) for r in self.conn.execute(_OVERVIEW + " ORDER BY i.id")]

    def import_overview(self, import_id: int) -> ImportOverview | None:
        row = self.conn.execute(_OVERVIEW + " AND i.id = ?", (import_id,)).fetchone()
        return _overview(row) if row else None

    def first_order_of_import(self, import_id: int) -> tuple[int, str] | None:
        """(order id, printed at) of the first order printed with one of its convictions."""
        row = self.conn.execute(
            "SELECT o.id, o.created_at FROM orders o WHERE o.id IN (SELECT oi.order_id FROM"
            " order_items oi JOIN convictions c ON c.id = oi.conviction_id"
            " WHERE c.import_id = ?) ORDER BY o.id LIMIT 1", (import_id,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def mark_withdrawn(self, import_id: int, *, by: str, reason: str) -> str:
        """Mark the import withdrawn (call inside `atomic()`); returns the time."""
        at = now_iso()
        self.conn.execute(
            "UPDATE imports SET status = 'withdrawn', withdrawn_at = ?, withdrawn_by = ?,"
            " withdraw_reason = ? WHERE id = ? AND status = 'complete'",
            (at, self.actor(by), reason, import_id))
        return at
