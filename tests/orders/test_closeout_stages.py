"""The close-out stage of each granted conviction, derived from the records: approved →
ordered → reported to DOJ → closed; reprints, undo, denial after an order and withdrawn
imports keep the history straight; the deadline arithmetic."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from clerkapp.closeout.updates import write_update
from clerkapp.domain.closeout import Progress, Stage, due_date, is_overdue, relief_of
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide, undo
from tests.orders.conftest import sign_all


def stages(store, casebook, case: str) -> set[str]:
    ids = casebook.by_case[case]
    got = store.closeout_progress(ids)
    return {got[i].stage.value if i in got else "-" for i in ids}


def test_deadline_arithmetic():
    assert due_date("2026-01-31", 30) == date(2026, 3, 2)
    assert due_date("2024-02-01", 29) == date(2024, 3, 1)  # a leap year's February
    assert not is_overdue("2026-01-31", date(2026, 3, 2), 30)  # the due day is still in time
    assert is_overdue("2026-01-31", date(2026, 3, 3), 30)
    p = Progress(Stage.ORDERED, "2026-01-31")
    assert p.text(date(2026, 3, 5), 30) == "Overdue 3 d"
    assert p.text(date(2026, 2, 1), 30) == "Ordered, due 2026-03-02"
    assert "the DOJ report is due 2026-03-02 (30 days, PC 13151" in p.tip(30)
    assert Progress(Stage.REPORTED, "2026-01-31").overdue(date(2027, 1, 1), 30) is False


def test_relief_of_a_running_sentence_is_resentencing():
    assert relief_of("redesignate_infraction", "resentence") == "resentence"
    assert relief_of("dismiss_and_seal", "resentence") == "dismiss_and_seal"
    assert relief_of("redesignate_misdemeanor", "redesignate") == "redesignate_misdemeanor"


def test_stages_from_approval_to_closed(court_store, casebook, tmp_path):
    store = court_store
    assert stages(store, casebook, "CASE-A1") == {"approved"}
    assert stages(store, casebook, "CASE-C3") == {"-"}  # denied: no close-out at all
    assert stages(store, casebook, "CASE-E5") == {"-"}  # approved "not eligible": no relief
    print_orders(store, tmp_path / "orders", bulk=True)
    assert stages(store, casebook, "CASE-A1") == {"ordered"}
    counts = store.closeout_counts()
    assert counts["ordered_not_reported"] == 5 and counts["approved_not_ordered"] == 0
    sign_all(store)
    write_update(store, "doj", tmp_path / "doj.csv")
    assert stages(store, casebook, "CASE-A1") == {"reported"}
    write_update(store, "cms", tmp_path / "cms.csv")
    assert stages(store, casebook, "CASE-A1") == {"closed"}
    assert store.closeout_counts()["closed"] == 5


def test_printing_again_is_refused_and_the_order_date_and_report_stay(court_store, casebook,
                                                                      tmp_path):
    store = court_store
    first = print_orders(store, tmp_path / "a", bulk=True).orders[0]
    store.record_signature(first.order_id, "2026-01-05", "Hon. A", recorded_by="clerk")
    write_update(store, "doj", tmp_path / "doj.csv")
    with pytest.raises(BadInput, match=f"Order No. {first.order_number} \\(bulk, 5\\)"):
        print_orders(store, tmp_path / "b", bulk=True)
    cid = casebook.by_case["CASE-A1"][0]
    progress = store.closeout_progress([cid])[cid]
    assert progress.stage == Stage.REPORTED and progress.order_date == "2026-01-05"
    summary = write_update(store, "doj", tmp_path / "doj2.csv")
    assert summary.path is None and "nothing new" in summary.message
    assert not (tmp_path / "doj2.csv").exists()


def test_a_denial_after_the_order_withdraws_it_and_a_new_approval_needs_a_new_order(
        court_store, casebook, tmp_path):
    store = court_store
    print_orders(store, tmp_path / "a", bulk=True)
    sign_all(store)
    casebook.decide("CASE-F6", "denied", note="a later record shows a super strike")
    assert stages(store, casebook, "CASE-F6") == {"withdrawn"}
    assert store.closeout_counts()["withdrawn"] == 1
    rows = [r.case_number for r in store.iter_update_rows("doj")]
    assert "CASE-F6" not in rows and "CASE-A1" in rows
    time.sleep(1.05)  # the store's times are to the second: a later approval is a later second
    casebook.decide("CASE-F6", "approved")
    assert stages(store, casebook, "CASE-F6") == {"approved"}


def test_undo_of_an_approval_before_any_order_leaves_no_stage(court_store, casebook):
    store = court_store
    decide(store, casebook.by_case["CASE-D4"], "approved", clerk="Clerk Test")
    assert stages(store, casebook, "CASE-D4") == {"approved"}
    undo(store, store.latest_batch(), clerk="Clerk Test")
    assert stages(store, casebook, "CASE-D4") == {"-"}


def test_undo_after_the_order_is_refused_so_the_order_stays_tracked(court_store, casebook,
                                                                     tmp_path):
    store = court_store
    decide(store, casebook.by_case["CASE-D4"], "approved", clerk="Clerk Test")
    batch = store.latest_batch()
    print_orders(store, tmp_path / "a", bulk=True)
    with pytest.raises(BadInput, match="order was printed"):
        undo(store, batch, clerk="Clerk Test")
    assert stages(store, casebook, "CASE-D4") == {"ordered"}


def test_a_withdrawn_import_takes_its_ordered_counts_out_of_the_updates(court_store, casebook,
                                                                         tmp_path):
    store = court_store
    print_orders(store, tmp_path / "a", bulk=True)
    with store.atomic():  # withdraw_import refuses this (an order was printed): as a store
        # from before that refusal holds it, withdrawal and audit entry both
        store.conn.execute("UPDATE imports SET withdrawn_at = '2026-12-01T10:00:00+00:00',"
                           " withdrawn_by = 'Clerk Test' WHERE id = ?", (casebook.import_id,))
        store.audit("Clerk Test", "import.withdrawn", entity="import",
                    entity_id=casebook.import_id, details={"reason": "test"})
    assert stages(store, casebook, "CASE-A1") == {"withdrawn"}
    summary = write_update(store, "doj", tmp_path / "doj.csv")
    assert summary.path is None and not (tmp_path / "doj.csv").exists()


def test_overdue_counts_from_the_signed_date(court_store, casebook, tmp_path):
    store = court_store
    order = print_orders(store, tmp_path / "a", bulk=True).orders[0]
    assert store.closeout_counts()["overdue"] == 0
    old = (date.today() - timedelta(days=31)).isoformat()
    store.record_signature(order.order_id, old, "Hon. A", recorded_by="clerk")
    assert store.closeout_counts()["overdue"] == 5
    with store.atomic():
        store.set_setting("closeout.doj_days", 45)
    assert store.closeout_counts()["overdue"] == 0
    entry = store.audit_page()[0]
    assert entry.action == "order.signed" and old in entry.details
