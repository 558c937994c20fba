"""What the DOJ and the case system were told before, so an update file corrects it.

A conviction reported in an update file (not voided) whose relief the court no longer stands
behind (denied or overridden to "not eligible" after its order) is written again, once, as a
withdrawal row naming the order reported; one whose relief was changed, or whose order was
superseded, comes back with its new order as a correction row naming the order reported
before (`closeout_sql.done_sql`: reported only under the outcome and the order in force).
Nothing the DOJ or the case system holds may silently diverge from the court's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from clerkapp.store.base import StoreBase, ids_json
from clerkapp.store.closeout_sql import last_update_file
from clerkapp.store.update_rows import ROW_ORDER, UpdateRow, row_columns, update_row

# a withdrawal row: the conviction as reported (the order and the outcome the file held)
_WITHDRAWALS = row_columns("ui.outcome") + """
FROM closeout_stage st
JOIN convictions c ON c.id = st.conviction_id
JOIN update_items ui ON ui.conviction_id = c.id AND ui.file_id = {last}
JOIN people p ON p.id = c.person_id
JOIN orders o ON o.id = ui.order_id
LEFT JOIN reviews r ON r.id = c.review_id
LEFT JOIN cases cs ON cs.id = c.case_id
LEFT JOIN determinations d ON d.id = coalesce(r.determination_id, c.determination_id)
WHERE st.stage = 'withdrawn' AND ui.action != 'withdrawal'
"""


class UpdateCorrectionStore(StoreBase):
    def iter_withdrawal_rows(self, kind: str) -> Iterator[UpdateRow]:
        """Convictions an update file of `kind` reported with a relief that no longer stands
        (kept stage "withdrawn"), not yet withdrawn in a later file: one row each, with the
        order and outcome reported, `action` "withdrawal"."""
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples, as `update_row` reads them
        cursor.execute(_WITHDRAWALS.format(last=last_update_file(kind)) + ROW_ORDER)
        for r in cursor.fetchall():
            row = update_row(r)
            yield replace(row, action="withdrawal", previous_order_id=row.order_id,
                          previous_order_number=row.order_number, previous_outcome=row.outcome)

    def count_awaiting_order(self, kind: str) -> int:
        """Convictions reported with a relief, approved again since (another outcome, or the
        same after a denial) and not ordered again yet: the DOJ hears of the change with the
        new order, as a correction row."""
        sql = ("SELECT count(*) FROM closeout_stage st JOIN convictions c ON c.id ="
               " st.conviction_id JOIN update_items ui ON ui.conviction_id = c.id"
               f" AND ui.file_id = {last_update_file(kind)}"
               " WHERE st.stage = 'approved' AND ui.action != 'withdrawal'")
        return int(self.conn.execute(sql).fetchone()[0])

    def count_withdrawal_rows(self, kind: str) -> int:
        sql = _WITHDRAWALS.format(last=last_update_file(kind))
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0])

    def last_reports(self, kind: str, conviction_ids: Iterable[int]
                     ) -> dict[int, tuple[int | None, str, str, str]]:
        """{conviction id: (order id, order number, outcome, action)} of each conviction's
        latest update item of `kind` (not voided), for those of these that have one."""
        sql = (f"SELECT c.id, ui.order_id, coalesce(o.order_number, ''), ui.outcome, ui.action"
               " FROM convictions c JOIN update_items ui ON ui.conviction_id = c.id"
               f" AND ui.file_id = {last_update_file(kind)}"
               " LEFT JOIN orders o ON o.id = ui.order_id"
               " WHERE c.id IN (SELECT value FROM json_each(?))")
        return {int(cid): (oid, str(number) or (f"#{oid}" if oid else ""), str(outcome),
                           str(action))
                for cid, oid, number, outcome, action in
                self.conn.execute(sql, (ids_json(conviction_ids),))}
