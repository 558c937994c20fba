"""Before printing: convictions of a DOJ list and a court list never reconciled.

The DOJ's list and the court's own export often hold the same conviction ("TESTPERSON,FOXTROT"
on one, "TESTPERSON, FOXTROT" on the other). Until a reconciliation links the two they are two
convictions, and printing orders them twice: two orders, two rows in the DOJ update. The print
dialog and `clerkapp orders` say how many of the convictions to print were never compared and
how to reconcile; the clerk may still print (a court with no overlap between its lists).
"""

from __future__ import annotations

from collections.abc import Iterable

from clerkapp.store import Store

# the command's option that prints without reconciling
PRINT_ANYWAY_OPTION = "--print-unreconciled"
RECONCILE_HOW = ("Tools ▸ Reconcile with the DOJ list…, or `clerkapp reconcile OUT.xlsx`,"
                 " links each conviction on both lists into one")


def count_unreconciled(store: Store, conviction_ids: Iterable[int] | None = None, *,
                       only_unprinted: bool = False) -> int:
    """How many of the convictions the printing would order no reconciliation has compared,
    though the store holds both a DOJ list and a court or prosecutor list."""
    ids = None if conviction_ids is None else list(conviction_ids)
    return store.count_unreconciled_relief(ids, only_unprinted=only_unprinted)


def unreconciled_text(count: int) -> str:
    """One sentence: the count, the risk, and the way to reconcile."""
    return (f"{count:,} of the convictions to print come from a DOJ list or a court list that"
            " were never reconciled with each other: a conviction on both lists would be"
            f" ordered twice. Reconcile first ({RECONCILE_HOW})")
