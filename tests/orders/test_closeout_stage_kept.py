"""The close-out stage the queue's filters and counts read (`closeout_stage`, kept by triggers)
equals the stage derived from the records after every kind of event: approvals, orders printed
and reprinted, signatures, update files written and voided, denials, undo, withdrawn imports."""

from __future__ import annotations

import time

from clerkapp.closeout.updates import write_update
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide, undo
from clerkapp.store.closeout import CLOSEOUT_FILTERS
from clerkapp.store.closeout_sql import (
    ACTIVE,
    DAYS,
    EVER_ORDERED,
    ORDER_DATE,
    ORDERED_IN_FORCE,
    TODAY,
    done_sql,
    last_update_action,
)
from clerkapp.store.closeout_state import DRIFT_SQL, closeout_rules_sql
from clerkapp.store.migrations import statements_of as _statements
from tests.orders.conftest import sign_all

# the filters as they were derived before the stage was kept: what the kept one must equal
DERIVED_FILTERS = {
    "approved_not_ordered": f"{ACTIVE} AND NOT {ORDERED_IN_FORCE}",
    "ordered_not_reported": f"{ACTIVE} AND NOT {done_sql('doj')} AND {ORDERED_IN_FORCE}",
    "overdue": (f"{ACTIVE} AND NOT {done_sql('doj')}"
                f" AND date({ORDER_DATE}, '+' || {DAYS} || ' days') < {TODAY}"),
    "not_in_case_system": f"{ACTIVE} AND NOT {done_sql('cms')} AND {ORDERED_IN_FORCE}",
    "closed": f"{ACTIVE} AND {done_sql('doj')} AND {done_sql('cms')} AND {ORDERED_IN_FORCE}",
    "withdrawn": f"NOT {ACTIVE} AND {EVER_ORDERED}",
    "withdrawn_doj_told": (f"NOT {ACTIVE} AND {EVER_ORDERED}"
                           f" AND {last_update_action('doj')} = 'withdrawal'"),
    "withdrawn_doj_not_told": (f"NOT {ACTIVE} AND {EVER_ORDERED}"
                               f" AND {last_update_action('doj')} != 'withdrawal'"),
    "withdrawn_never_reported": (f"NOT {ACTIVE} AND {EVER_ORDERED}"
                                 f" AND {last_update_action('doj')} IS NULL"),
}


def _ids(store, where: str) -> list[int]:
    return [r[0] for r in store.conn.execute(
        f"SELECT c.id FROM convictions c WHERE {where} ORDER BY c.id")]


def assert_kept_equals_derived(store) -> dict[str, int]:
    assert [r[0] for r in store.conn.execute(DRIFT_SQL)] == []
    for kind, (_label, kept) in CLOSEOUT_FILTERS.items():
        assert _ids(store, kept) == _ids(store, DERIVED_FILTERS[kind]), kind
    counts = store.closeout_counts()
    assert counts == {k: len(_ids(store, w)) for k, w in DERIVED_FILTERS.items()}
    return counts


def test_the_kept_stage_follows_every_kind_of_event(court_store, casebook, tmp_path):
    store, seen = court_store, []
    seen.append(assert_kept_equals_derived(store))  # approvals (the fixture's decisions)
    first = print_orders(store, tmp_path / "a", bulk=True).orders[0]
    seen.append(assert_kept_equals_derived(store))  # ordered
    store.record_signature(first.order_id, "2001-01-05", "Hon. A", recorded_by="clerk")
    seen.append(assert_kept_equals_derived(store))  # signed long ago: overdue
    print_orders(store, tmp_path / "b", bulk=True,  # the court replaces the order
                 supersede="the signed paper was lost")
    sign_all(store)  # the superseding order, signed: what the DOJ update reports
    seen.append(assert_kept_equals_derived(store))
    casebook.decide("CASE-B2", "denied", note="the plea was to another count")
    seen.append(assert_kept_equals_derived(store))  # withdrawn, never reported to the DOJ
    doj = write_update(store, "doj", tmp_path / "doj.csv")
    seen.append(assert_kept_equals_derived(store))  # reported
    store.void_update_file(doj.record.file_id, "never sent", voided_by="clerk")
    seen.append(assert_kept_equals_derived(store))  # ordered again
    write_update(store, "doj", tmp_path / "doj2.csv")
    write_update(store, "cms", tmp_path / "cms.csv")
    seen.append(assert_kept_equals_derived(store))  # closed
    casebook.decide("CASE-F6", "denied", note="a later record shows a super strike")
    seen.append(assert_kept_equals_derived(store))  # withdrawn, the DOJ not yet told
    write_update(store, "doj", tmp_path / "doj3.csv")
    seen.append(assert_kept_equals_derived(store))  # withdrawn, the DOJ told
    time.sleep(1.05)  # the store's times are to the second: a later approval is a later second
    casebook.decide("CASE-F6", "approved")
    decide(store, casebook.by_case["CASE-D4"], "approved", clerk="Clerk Test")
    seen.append(assert_kept_equals_derived(store))  # approved again, not ordered
    undo(store, store.latest_batch(), clerk="Clerk Test")
    seen.append(assert_kept_equals_derived(store))  # undone
    with store.atomic():
        store.conn.execute("UPDATE imports SET withdrawn_at = '2026-12-01T10:00:00+00:00',"
                           " withdrawn_by = 'Clerk Test' WHERE id = ?", (casebook.import_id,))
    seen.append(assert_kept_equals_derived(store))  # withdrawn import
    # the sequence went through every stage, so the comparisons above compared something
    for kind in CLOSEOUT_FILTERS:
        assert any(counts[kind] for counts in seen), kind
    assert seen[-1]["withdrawn"] and not seen[-1]["closed"]


def test_an_existing_store_gets_its_stages_when_it_opens(court_store, casebook, tmp_path):
    store = court_store
    print_orders(store, tmp_path / "a", bulk=True)
    sign_all(store)
    write_update(store, "doj", tmp_path / "doj.csv")
    before = assert_kept_equals_derived(store)
    with store.atomic():  # as an older clerkapp left it: no kept stage
        store.conn.execute("DELETE FROM closeout_stage")
    assert store.closeout_counts() != before
    backfill = [s for s in _statements(closeout_rules_sql()) if s.startswith("INSERT")]
    with store.atomic():
        for statement in backfill:
            store.conn.execute(statement)
    assert assert_kept_equals_derived(store) == before


def test_only_withdrawing_an_import_or_taking_it_back_recomputes_its_stages(court_store,
                                                                            casebook):
    """The import's trigger recomputes its convictions when the import's withdrawn state
    changes, and only then: a status change that leaves it (an import finishing) costs
    nothing, and the kept stage still equals the derived one after each."""
    store = court_store
    before = assert_kept_equals_derived(store)
    assert before["approved_not_ordered"]

    sqlite = store.engine == "sqlite"
    changes = store.conn.total_changes if sqlite else 0
    with store.atomic():  # the same state again: nothing recomputed
        store.conn.execute("UPDATE imports SET status = 'complete' WHERE id = ?",
                           (casebook.import_id,))
    if sqlite:  # (SQLite counts the rows a trigger changes too)
        assert store.conn.total_changes - changes == 1
    assert assert_kept_equals_derived(store) == before
    with store.atomic():  # withdrawn by its status alone
        store.conn.execute("UPDATE imports SET status = 'withdrawn' WHERE id = ?",
                           (casebook.import_id,))
    withdrawn = assert_kept_equals_derived(store)
    assert not withdrawn["approved_not_ordered"]
    with store.atomic():  # and by its time too: still withdrawn, nothing to do
        store.conn.execute("UPDATE imports SET withdrawn_at = '2026-12-01T10:00:00+00:00'"
                           " WHERE id = ?", (casebook.import_id,))
    assert assert_kept_equals_derived(store) == withdrawn
    with store.atomic():  # taken back: every stage as before
        store.conn.execute("UPDATE imports SET status = 'complete', withdrawn_at = NULL"
                           " WHERE id = ?", (casebook.import_id,))
    assert assert_kept_equals_derived(store) == before
