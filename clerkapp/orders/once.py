"""A conviction is ordered once (docs/orders.md, "Ordered once").

A second order for a conviction the court already ordered (a bulk order printed after
per-case orders for some of the same convictions, or the other way round) would give one
conviction two order numbers, and the DOJ update and the case-system update could then cite
different orders. So a printing that covers a conviction with an order in force is refused,
naming how many are ordered and by which orders, unless the clerk says the court means to
replace those orders (`--supersede REASON`): the new order then names, conviction by
conviction, the order it supersedes, on the paper, in `order_items.supersedes_order_id` and
in the audit entry, and the update files report the change.
"""

from __future__ import annotations

from collections.abc import Sequence

from clerkapp.store import Store
from clerkapp.store.order_once import OrderInForce
from clerkapp.store.order_records import PrintedOrder

NAMED = 5  # orders named in a refusal; the rest are counted


def already_ordered(in_force: Sequence[OrderInForce], total: int) -> str:
    """The refusal: how many of the convictions to print are ordered, by which orders, and
    what the clerk can do instead."""
    ordered = sum(o.convictions for o in in_force)
    kinds = {"single": "per-case", "bulk": "bulk"}
    named = "; ".join(f"Order No. {o.number} ({kinds.get(o.kind, o.kind)}, {o.convictions:,})"
                      for o in in_force[:NAMED])
    if len(in_force) > NAMED:
        rest = sum(o.convictions for o in in_force[NAMED:])
        named += f"; {len(in_force) - NAMED:,} more order(s) ({rest:,})"
    return (f"{ordered:,} of the {total:,} conviction(s) to print already have an order in"
            f" force: {named}. A conviction is ordered once, so nothing was printed. Print"
            " only those not ordered yet (--unprinted; in the window: \"All approved, not"
            " printed yet\"), find the orders already printed with `clerkapp orders"
            " --history`, or, if the court means to replace those orders, print with"
            " --supersede REASON (the new order names the order it supersedes)")


def superseded_rows(store: Store, ids: list[int] | None,
                    in_force: Sequence[OrderInForce]) -> dict[int, tuple[int, str]]:
    """{conviction id: (order in force id, its number)} of the convictions to print that
    have an order in force: what each new order supersedes."""
    numbers = {o.order_id: o.number for o in in_force}
    wanted = store.relief_ids(ids)
    return {cid: (oid, numbers.get(oid, f"#{oid}"))
            for cid, oid in store.order_in_force_of(wanted).items()}


def history_kind(order: PrintedOrder, vacated: int) -> str:
    """"per case (reprint)", "bulk (vacated as to 3)": what the history says of an order."""
    kind = "bulk" if order.kind == "bulk" else "per case"
    if order.reprint:
        kind += " (reprint)"
    if vacated:
        kind += f" (vacated as to {vacated:,} by a later order)"
    return kind
