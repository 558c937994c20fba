"""Which orders were vacated, as to which convictions, by which later order, and why.

An order printed with `--supersede` names, for each conviction it covers, the order it
replaces (`order_items.supersedes_order_id`): that order is vacated as to that conviction and
is no longer its order in force. Whoever reads "the conviction's order" for a paper (the
confirmation of relief, the counter look-up, the check of a confirmation's code, the judge's
reports, the history of orders) says so, with the superseding order and the court's reason,
which the superseding order's audit entry holds (`supersede_reason`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from clerkapp.store.base import StoreBase, ids_json
from clerkapp.store.closeout_sql import ORDER_DATE_OF_O


@dataclass(frozen=True)
class Vacated:
    """One order vacated as to one conviction by a later order that superseded it."""

    conviction_id: int
    order_id: int  # the order vacated
    number: str  # its number as printed ("#12" for one printed before numbers existed)
    by_order_id: int  # the superseding order
    by_number: str
    by_date: str  # the superseding order's date: signed, else printed (ISO)
    reason: str  # the court's reason, as its audit entry records it ("" if none recorded)


_VACATED = f"""
SELECT oi.conviction_id, v.id, coalesce(v.order_number, ''), o.id, coalesce(o.order_number, ''),
       {ORDER_DATE_OF_O}
FROM order_items oi
JOIN orders v ON v.id = oi.supersedes_order_id
JOIN orders o ON o.id = oi.order_id
WHERE oi.supersedes_order_id IS NOT NULL
"""


class SupersededStore(StoreBase):
    def vacated_orders(self, conviction_ids: Iterable[int] | None = None, *,
                       order_id: int | None = None,
                       by_order_id: int | None = None) -> list[Vacated]:
        """The orders vacated as to these convictions (every one when None); with `order_id`,
        those of its convictions a later order moved away from it; with `by_order_id`, the
        orders that order vacated. Oldest first."""
        sql, params = _VACATED, []
        if conviction_ids is not None:
            sql += " AND oi.conviction_id IN (SELECT value FROM json_each(?))"
            params.append(ids_json(conviction_ids))
        if order_id is not None:
            sql += " AND oi.supersedes_order_id = ?"
            params.append(int(order_id))
        if by_order_id is not None:
            sql += " AND oi.order_id = ?"
            params.append(int(by_order_id))
        rows = self.conn.execute(sql + " ORDER BY oi.conviction_id, o.id", params).fetchall()
        reasons = self.supersede_reasons({int(r[3]) for r in rows})
        return [Vacated(int(c), int(v), str(vn) or f"#{v}", int(o), str(on) or f"#{o}",
                        str(day or ""), reasons.get(int(o), ""))
                for c, v, vn, o, on, day in rows]

    def supersede_reasons(self, order_ids: Iterable[int]) -> dict[int, str]:
        """{superseding order id: the court's reason} from each order's audit entry."""
        wanted = sorted(order_ids)
        if not wanted:
            return {}
        rows = self.conn.execute(
            "SELECT entity_id, details FROM audit_log WHERE entity = 'order'"
            " AND entity_id IN (SELECT value FROM json_each(?))"
            " AND action IN ('order.printed.single', 'order.printed.bulk')", (ids_json(wanted),))
        out: dict[int, str] = {}
        for order_id, details in rows:
            try:
                reason = json.loads(details or "{}").get("supersede_reason")
            except ValueError:
                reason = None
            out.setdefault(int(order_id), str(reason or ""))
        return out

    def vacated_counts(self, order_ids: Iterable[int]) -> dict[int, int]:
        """{order id: how many of its convictions later orders vacated it for}, for the
        orders of these that were vacated as to any."""
        wanted = sorted(order_ids)
        if not wanted:
            return {}
        rows = self.conn.execute(
            "SELECT supersedes_order_id, count(*) FROM order_items"
            " WHERE supersedes_order_id IN (SELECT value FROM json_each(?))"
            " GROUP BY supersedes_order_id", (ids_json(wanted),))
        return {int(o): int(n) for o, n in rows}
