"""Counts whose order is not recorded as signed: left out of the DOJ and case-system updates
(and of the notices to the people relieved, `relief.notices`).

Per-case orders (CR-403) and bulk orders alike are papers the judge signs (shared
docs/orders.md, sections 1, 2 and 5: "Signature: date plus judicial officer", the bulk motion
"signed by a judge", `order.date`, `judicial_officer`). Until the signing is recorded
(`closeout.signing.mark_signed`), clerkapp holds a printed paper: reporting it to the DOJ
would tell the department of an order not made, dated the day it was printed. So an update
reports only counts whose order in force is recorded as signed, dated the day of signing, and
says how many it left out and which orders await the signature.
"""

from __future__ import annotations

from clerkapp.closeout.signing import HOW_TO_SIGN
from clerkapp.store import Store


def unsigned_counts(store: Store, kind: str, *, since: str | None = None,
                    include_all: bool = False) -> tuple[int, list[str]]:
    """(counts left out, the numbers of their orders: at most six)."""
    return store.unsigned_update_rows(kind, since=since, include_all=include_all)


def unsigned_text(count: int, numbers: list[str], *, what: str = "count(s)",
                  then: str = "they are in the next update") -> str:
    """`3 ordered count(s) left out: Order No. A, B not recorded as signed by the judge yet;
    …`; `what` names what was left out, `then` what happens once the signing is recorded."""
    if not count:
        return ""
    more = ", …" if len(numbers) >= 6 else ""
    return (f"{count:,} ordered {what} left out: Order No. {', '.join(numbers)}{more} not"
            f" recorded as signed by the judge yet; {HOW_TO_SIGN}, and {then}")
