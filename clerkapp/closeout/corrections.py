"""Corrections in an update file: what an earlier DOJ (or case-system) update reported and the
court's record no longer holds is set right in the next one (docs/closing.md, "Corrections").

- a count reported with one relief or under one order, whose relief was changed or whose order
  was superseded since and ordered again, is written as a **correction** row naming the order
  reported before;
- a count reported with a relief that no longer stands (denied after its order, or approved
  as "not eligible") is written once as a **withdrawal** row naming the order reported;
- a count reported and changed since but not ordered again is said in the summary: its
  correction goes with its new order.
"""

from __future__ import annotations

from dataclasses import replace

from clerkapp.closeout.layout import WITHDRAWN, UpdateLayout
from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store.update_rows import UpdateRow


def with_corrections(store: Store, kind: str, rows: list[UpdateRow]) -> list[UpdateRow]:
    """The rows to write: `rows` (each marked a correction where an earlier file reported
    another relief or order for it), then the withdrawals."""
    earlier = store.last_reports(kind, [r.conviction_id for r in rows]) if rows else {}
    marked = []
    for row in rows:
        before = earlier.get(row.conviction_id)
        if before is not None and before[3] != "withdrawal" \
                and (before[0], before[2]) != (row.order_id, row.outcome):
            row = replace(row, action="correction", previous_order_id=before[0],
                          previous_order_number=before[1], previous_outcome=before[2])
        marked.append(row)
    return marked + list(store.iter_withdrawal_rows(kind))


def check_withdrawal_codes(spec: UpdateLayout, rows: list[UpdateRow]) -> None:
    """A withdrawal row needs the layout's `withdrawn` code where a column writes the relief
    or the disposition: refused before anything is written, naming the file and the key."""
    if not any(r.action == "withdrawal" for r in rows):
        return
    for field, table, key in (("relief", spec.relief_codes, "relief"),
                              ("disposition", spec.dispositions, "disposition")):
        if field in spec.fields and not str(table.get(WITHDRAWN) or "").strip():
            raise BadInput(f"key {key}.{WITHDRAWN}: missing: a relief reported before no"
                           " longer stands and must be withdrawn; give the code for it",
                           file=spec.path.name)


def summary_note(store: Store, kind: str, rows: list[UpdateRow]) -> str:
    """"; 2 correction(s) of earlier reports, 1 relief withdrawn; 3 changed since reported
    await their new order" (empty when none)."""
    corrections = sum(1 for r in rows if r.action == "correction")
    withdrawals = sum(1 for r in rows if r.action == "withdrawal")
    waiting = store.count_awaiting_order(kind)
    parts = []
    if corrections:
        parts.append(f"{corrections:,} correction(s) of earlier reports")
    if withdrawals:
        parts.append(f"{withdrawals:,} relief(s) withdrawn since reported")
    if waiting:
        parts.append(f"{waiting:,} count(s) changed since reported await their new order (the"
                     " correction goes with it)")
    return "; " + "; ".join(parts) if parts else ""
