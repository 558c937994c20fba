"""Withdrawing an import: the wrong file, a test extract, a list superseded by a corrected
one. Its convictions leave the queue, the counts, the exports and the orders; the source rows,
the decisions and the withdrawal stay on record and in the audit log, and the same file can be
imported again. An import from which an order was printed is not withdrawn: the printed order
stands, and its relief is taken back one conviction at a time (a denial, with a reason)."""

from __future__ import annotations

from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store.withdrawals import ImportOverview


def withdraw_import(store: Store, import_id: int, *, reason: str, by: str) -> ImportOverview:
    """Withdraw the import; BadInput, and nothing written, when it is unknown, already
    withdrawn, or an order was printed from it, or the reason or the name is empty."""
    reason, by = (reason or "").strip(), (by or "").strip()
    found = store.import_overview(import_id)
    if found is None:
        raise BadInput(f"no import #{import_id} (see `clerkapp imports`)")
    if found.status == "withdrawn":
        raise BadInput(f"import #{import_id} ({found.file_name}) was already withdrawn on"
                       f" {found.withdrawn_at[:10]} by {found.withdrawn_by}")
    if not reason:
        raise BadInput("a withdrawal needs a reason")
    if not by:
        raise BadInput("a withdrawal needs the clerk's name")
    printed = store.first_order_of_import(import_id)
    if printed is not None:
        raise BadInput(
            f"import #{import_id} ({found.file_name}) is not withdrawn: {found.orders} order(s)"
            f" were printed from it (the first, order {printed[0]}, on {printed[1][:10]}) and a"
            " printed order stands. To take relief back, deny those convictions with a reason"
            " (the window's Deny, or `clerkapp review --deny --case N --note ...`)")
    with store.atomic():
        at = store.mark_withdrawn(import_id, by=by, reason=reason)
        store.audit(by, "import.withdrawn", entity="import", entity_id=import_id,
                    details={"file": found.file_name, "reason": reason,
                             "convictions": found.convictions, "decisions": found.decisions})
    done = store.import_overview(import_id)
    assert done is not None and done.withdrawn_at == at
    return done
