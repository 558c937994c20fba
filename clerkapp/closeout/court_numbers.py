"""The case-system update names each count by the court's own case number.

A reconciled pair is one conviction, counted as the DOJ's copy, whose case number is written
the DOJ's way (`BA100001`); the court's case-management system knows the case as its own
export wrote it (`BA-0100001-01`). The case-system update is a bulk update of that system, so
for a pair it gives the number the court's copy holds (the DOJ's stays in the DOJ update).
"""

from __future__ import annotations

from dataclasses import replace

from clerkapp.store import Store
from clerkapp.store.closeout import UpdateRow


def in_court_numbers(store: Store, rows: list[UpdateRow]) -> list[UpdateRow]:
    """`rows` with each reconciled pair's case number as the court's copy gives it."""
    numbers = store.court_copy_case_numbers([r.conviction_id for r in rows]) if rows else {}
    return [replace(r, case_number=numbers[r.conviction_id],
                    case_numbers=(numbers[r.conviction_id],
                                  *(n for n in r.case_numbers if n != numbers[r.conviction_id])))
            if r.conviction_id in numbers else r for r in rows]
