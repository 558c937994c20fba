"""A conviction is ordered once: which of the convictions about to be printed already have an
order in force (an order printed at or after the approval in force, not superseded since),
and under which order, so a second printing is refused with the orders named, or, when the
court means to replace them, prints with each superseded order recorded beside the new one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clerkapp.store.base import StoreBase
from clerkapp.store.closeout_sql import FIRST_ORDER, ORDER_NUMBER
from clerkapp.store.orders import _FROM, _RELIEF, _ids_json


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
        sql = (f"SELECT o.id, {ORDER_NUMBER}, o.kind, count(*) FROM (SELECT c.id AS cid,"
               f" {FIRST_ORDER} AS oid" + _FROM + where + ") f JOIN orders o ON o.id = f.oid"
               " GROUP BY o.id, o.order_number, o.kind ORDER BY count(*) DESC, o.id")
        # FIRST_ORDER reads `c`: the inner select names the conviction so
        rows = self.conn.execute(sql, (*_RELIEF, *params))
        return [OrderInForce(int(i), str(n) or f"#{i}", str(k), int(count))
                for i, n, k, count in rows]

    def order_in_force_of(self, conviction_ids: Iterable[int]) -> dict[int, int]:
        """{conviction id: its order in force} for those of these convictions that have one:
        what a superseding order names, conviction by conviction."""
        sql = (f"SELECT c.id, {FIRST_ORDER} FROM convictions c"
               " WHERE c.id IN (SELECT value FROM json_each(?))")
        return {int(cid): int(oid) for cid, oid in
                self.conn.execute(sql, (_ids_json(conviction_ids),)) if oid is not None}
