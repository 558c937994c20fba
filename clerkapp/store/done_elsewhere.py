"""Orders and update files are never recorded twice for the same decision because two clerks
pressed print at the same time.

A printing notes the last order (or update file) recorded when it starts reading what to
print. Inside the transaction that records its files, the store reads again what was recorded
since; if another clerk's run covered any of the same convictions meanwhile, it raises
DoneElsewhere and nothing of this run is recorded (its files stay temporary and are removed),
and the service makes the run again without them.
"""

from __future__ import annotations

from collections.abc import Iterable

from clerkapp.errors import DoneElsewhere
from clerkapp.store.base import StoreBase


class DoneElsewhereStore(StoreBase):
    def last_order_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM orders").fetchone()[0])

    def last_update_file_id(self) -> int:
        return int(self.conn.execute(
            "SELECT coalesce(max(id), 0) FROM update_files").fetchone()[0])

    def require_not_ordered_since(self, order_id: int, conviction_ids: Iterable[int]) -> None:
        """Raise DoneElsewhere when an order recorded after `order_id` covers any of these
        convictions. Call inside the transaction that records the new orders."""
        self._require_none_since(
            "SELECT oi.conviction_id, o.created_by, o.created_at FROM order_items oi"
            " JOIN orders o ON o.id = oi.order_id WHERE oi.order_id > ?"
            " ORDER BY oi.order_id", (order_id,), conviction_ids, "orders")

    def require_not_reported_since(self, kind: str, file_id: int,
                                   conviction_ids: Iterable[int]) -> None:
        """Raise DoneElsewhere when an update file of `kind` recorded after `file_id` (and
        not voided) holds any of these convictions. Call inside the recording transaction."""
        self._require_none_since(
            "SELECT ui.conviction_id, uf.created_by, uf.created_at FROM update_items ui"
            " JOIN update_files uf ON uf.id = ui.file_id WHERE uf.id > ? AND uf.kind = ?"
            " AND uf.voided_at IS NULL ORDER BY uf.id", (file_id, kind), conviction_ids,
            "an update file")

    def _require_none_since(self, sql: str, params: tuple, conviction_ids: Iterable[int],
                            what: str) -> None:
        """`sql` lists (conviction id, by, at) of what was recorded since: only what others
        recorded during this run, so it is read whole and matched here."""
        wanted = {int(i) for i in conviction_ids}
        found: set[int] = set()
        by = at = ""
        for cid, created_by, created_at in self.conn.execute(sql, params):
            if int(cid) in wanted:
                found.add(int(cid))
                by, at = by or created_by, at or created_at
        if found:
            raise DoneElsewhere(found, by, at, what)
