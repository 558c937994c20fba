"""Recording that the judge signed an order: its date starts the DOJ reporting deadline
(PC 13151) and opens the final report."""

from __future__ import annotations

from datetime import date

from clerkapp.domain.dates import option_date
from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store.closeout_orders import OrderSignature

# how a clerk records the judge's signature, for the messages that need it first
HOW_TO_SIGN = ("record the signing (`clerkapp orders --mark-signed ORDER_NO --date"
               " YYYY-MM-DD`, or File ▸ Print orders: pick the order, Mark signed…)")


def mark_signed(store: Store, order_number: str, signed_on: str, *, judge: str | None = None,
                operator: str | None = None) -> OrderSignature:
    """Record the signing of the order numbered `order_number` on `signed_on` (YYYY-MM-DD).

    Refused for an unknown order, a date that is not one, a date in the future or before the
    order was printed. Marking again corrects the date (both records stay, audited)."""
    order_id = store.find_order(order_number)
    if order_id is None:
        raise BadInput(f"no order numbered {order_number!r} (clerkapp orders --history lists"
                       " them)")
    iso = option_date(signed_on, "--date")
    if iso is None:
        raise BadInput("the signing date is missing: give it as --date YYYY-MM-DD")
    day = date.fromisoformat(iso)
    if day > date.today():
        raise BadInput(f"--date {day.isoformat()}: the signing date cannot be in the future")
    printed = (store.order_record(order_id) or {}).get("created_at", "")[:10]
    if printed and day.isoformat() < printed:
        raise BadInput(f"--date {day.isoformat()}: order {order_number} was printed on"
                       f" {printed}; it cannot have been signed before")
    name = (judge or str(store.get_setting("court.judge") or "")).strip()
    return store.record_signature(order_id, day.isoformat(), name,
                                  recorded_by=operator or store.clerk_name())
