"""A conviction is ordered once: which of the convictions about to be printed already have an
order in force (an order printed at or after the approval in force, not superseded since),
and under which order, so a second printing is refused with the orders named, or, when the
court means to replace them, prints with each superseded order recorded beside the new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from clerkapp.store.base import StoreBase, ids_json
from clerkapp.store.closeout_sql import IN_FORCE_STAGES, ORDER_NUMBER
from clerkapp.store.order_records import PrintedOrder, _printed
from clerkapp.store.orders import _FROM, _RELIEF


@dataclass(frozen=True)
class OrderInForce:
    """One order in force over some of the convictions asked about."""

    order_id: int
    number: str  # as printed; "#12" for an order printed before numbers existed
    kind: str  # single | bulk
    convictions: int


class OrderOnceStore(StoreBase):
    def orders_in_force(self, conviction_ids: Iterable[int] | None = None, *,
                        only_unprinted: bool = False) -> list[OrderInForce]:
        """The orders in force over the approved convictions with relief a printing of these
        ids would cover (all when None), most convictions first."""
        if only_unprinted:  # "not ordered yet" leaves every ordered one out
            return []
        where, params = self._id_filter(conviction_ids)  # type: ignore[attr-defined]
        # the order in force as the kept close-out stage holds it (closeout_state: the same
        # rule as FIRST_ORDER, kept by triggers), instead of choosing it for every conviction
        sql = (f"SELECT o.id, {ORDER_NUMBER}, o.kind, count(*) FROM closeout_stage st"
               " JOIN orders o ON o.id = st.order_id WHERE st.stage IN"
               f" {IN_FORCE_STAGES} AND st.conviction_id IN (SELECT c.id" + _FROM + where
               + ") GROUP BY o.id, o.order_number, o.kind ORDER BY count(*) DESC, o.id")
        rows = self.conn.execute(sql, (*_RELIEF, *params))
        return [OrderInForce(int(i), str(n) or f"#{i}", str(k), int(count))
                for i, n, k, count in rows]

    def order_in_force_of(self, conviction_ids: Iterable[int]) -> dict[int, int]:
        """{conviction id: its order in force} for those of these convictions that have one:
        what a superseding order names, conviction by conviction."""
        sql = ("SELECT st.conviction_id, st.order_id FROM closeout_stage st"
               f" WHERE st.stage IN {IN_FORCE_STAGES}"
               " AND st.conviction_id IN (SELECT value FROM json_each(?))")
        return {int(cid): int(oid) for cid, oid in
                self.conn.execute(sql, (ids_json(conviction_ids),)) if oid is not None}

    def order_of_conviction(self, conviction_id: int) -> PrintedOrder | None:
        """The conviction's order in force (close-out's: the first printed since the approval
        in force, a signed one first, not vacated since by a superseding order), with the
        orders it vacated as to this conviction in `supersedes`; None when it has none: never
        printed, printed before the approval now in force, or its relief withdrawn since
        (`order_history` lists every paper). Its `order_number` is what a DOJ update line or
        a certificate names ("" for an order printed before numbers existed)."""
        row = self.conn.execute(
            "SELECT o.* FROM closeout_stage st JOIN orders o ON o.id = st.order_id"
            f" WHERE st.conviction_id = ? AND st.stage IN {IN_FORCE_STAGES}",
            (conviction_id,)).fetchone()
        if row is None:
            return None
        vacated = self.vacated_orders([conviction_id])  # type: ignore[attr-defined]
        return replace(_printed(row), supersedes=tuple(
            v.number for v in vacated if v.by_order_id == int(row["id"])))

    def order_numbers_of(self, conviction_ids: Iterable[int] | None = None) -> dict[int, str]:
        """{conviction id: the number of its order in force} for the given convictions (all
        when None), in one query: for files listing thousands of convictions. A conviction
        without an order in force is absent; one whose order has no number maps to ""."""
        sql = (f"SELECT st.conviction_id, {ORDER_NUMBER} FROM closeout_stage st"
               f" JOIN orders o ON o.id = st.order_id WHERE st.stage IN {IN_FORCE_STAGES}")
        params: tuple = ()
        if conviction_ids is not None:
            sql += " AND st.conviction_id IN (SELECT value FROM json_each(?))"
            params = (ids_json(conviction_ids),)
        return {int(cid): str(number) for cid, number in self.conn.execute(sql, params)}
