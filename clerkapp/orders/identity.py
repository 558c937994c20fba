"""How a per-case order names a case the record gives no case number for.

Most rows of the DOJ's list carry no court case number (`OFN` is often empty or `NULL`):
sending them all to review would leave the court's call to the app. The order instead
identifies the conviction by what the record does hold: the court, the DOJ arrest cycle
(`CNT_ORDER` `CCCSSSNNN000` gives CCC), the arrest date (`CYC_DATE`), the conviction date(s)
and the CII number, so the clerk, the DOJ and the case system can find the same conviction.
"""

from __future__ import annotations

from collections.abc import Sequence

from clerkapp.orders.naming import display_date
from clerkapp.store.orders import OrderRow


def doj_cycle(count_key: str | None) -> str:
    """The DOJ arrest cycle of a count (`CNT_ORDER` `CCCSSSNNN000` gives CCC), "" for
    another kind of count (a court sheet's "2")."""
    key = (count_key or "").strip()
    if len(key) == 12 and key.isdigit() and int(key[:3]):
        return str(int(key[:3]))
    return ""


def _distinct(values: Sequence[str]) -> list[str]:
    return [v for v in dict.fromkeys(v.strip() for v in values) if v]


def case_identity(rows: Sequence[OrderRow]) -> str:
    """"court CASC LOS ANGELES; DOJ cycle 3; arrest 04/01/1998; convicted 06/01/1998;
    CII A12345678": what names a case without a number ("" when it has one)."""
    if not rows or rows[0].case_number:
        return ""
    parts = []
    courts = _distinct([r.court for r in rows])
    if courts:
        parts.append("court " + ", ".join(courts))
    elif rows[0].county:
        parts.append(f"county {rows[0].county}")
    cycles = _distinct([doj_cycle(r.count_key) for r in rows])
    if cycles:
        parts.append(("DOJ cycle " if len(cycles) == 1 else "DOJ cycles ") + ", ".join(cycles))
    arrests = _distinct([display_date(r.offense_date) for r in rows if r.offense_date])
    if arrests:
        parts.append("arrest " + ", ".join(arrests))
    convicted = _distinct([display_date(r.conviction_date) for r in rows if r.conviction_date])
    if convicted:
        parts.append("convicted " + ", ".join(convicted))
    if rows[0].cii:
        parts.append(f"CII {rows[0].cii}")
    return "; ".join(parts)


def case_reference(rows: Sequence[OrderRow]) -> str:
    """The case as the running footer names it: its number, else the conviction date (the
    footer is short; the caption holds the whole identification)."""
    if not rows:
        return ""
    if rows[0].case_number:
        return rows[0].case_number
    date = next((r.conviction_date for r in rows if r.conviction_date), "")
    if date:
        return display_date(date)
    cycle = next((c for c in (doj_cycle(r.count_key) for r in rows) if c), "")
    return f"DOJ cycle {cycle}" if cycle else "no case no."
