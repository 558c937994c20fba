"""A decision changed after the DOJ (or the case system) was told: the next update file sets
it right. A relief that no longer stands is withdrawn in one row naming the order reported; a
relief changed or an order superseded comes back, with its new order, as a correction naming
the order reported before. Real stores, real CSV files read back, both engines."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest

from clerkapp.closeout.layout import load_layout
from clerkapp.closeout.updates import write_update
from clerkapp.domain.closeout import Stage
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.paths import FORMS_DIR
from tests.orders.conftest import sign_all
from tests.orders.test_closeout_stage_kept import assert_kept_equals_derived


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def reported(court_store, tmp_path):
    """Every approved count ordered in one bulk order and reported to the DOJ and the case
    system; then a second passes, so a later decision is a later approval."""
    order = print_orders(court_store, tmp_path / "orders", bulk=True).orders[0]
    sign_all(court_store)
    write_update(court_store, "doj", tmp_path / "doj1.csv")
    write_update(court_store, "cms", tmp_path / "cms1.csv")
    time.sleep(1.05)  # the store's times are to the second
    return court_store, order


def test_a_denial_after_the_report_is_withdrawn_once_in_each_update(reported, casebook,
                                                                  tmp_path):
    store, order = reported
    casebook.decide("CASE-F6", "denied", note="a later record shows a super strike")
    doj = write_update(store, "doj", tmp_path / "doj2.csv")
    assert doj.rows == 1 and "1 relief(s) withdrawn since reported" in doj.message
    (row,) = read_csv(tmp_path / "doj2.csv")
    layout = load_layout("doj-update", "doj")
    assert row["CASE_NUMBER"] == "CASE-F6" and row["ACTION"] == "WITHDRAWAL"
    assert row["ORDER_NUMBER"] == row["REPLACES_ORDER_NUMBER"] == order.order_number
    assert row["RELIEF"] == layout.relief_codes["withdrawn"]
    assert row["REPLACES_RELIEF"] == layout.relief_codes["dismiss_and_seal"]
    assert row["RESULTING_SECTION"] == row["RESULTING_LEVEL"] == ""
    entry = json.loads(store.audit_page()[0].details)
    assert (entry["withdrawals"], entry["corrections"]) == (1, 0)
    assert entry["replaces_orders"] == [order.order_id]
    # told once: the next update has nothing; the case system gets its own withdrawal
    again = write_update(store, "doj", tmp_path / "doj3.csv")
    assert again.path is None and "nothing new" in again.message
    cms = write_update(store, "cms", tmp_path / "cms2.csv")
    (line,) = read_csv(tmp_path / "cms2.csv")
    assert cms.rows == 1 and line["Action"] == "Withdrawal"
    assert line["New Disposition"] == load_layout("cms-update", "cms").dispositions["withdrawn"]
    assert line["Sealed"] == "N" and line["Replaces Order"] == order.order_number
    cid = casebook.by_case["CASE-F6"][0]
    assert store.closeout_progress([cid])[cid].stage == Stage.WITHDRAWN
    assert_kept_equals_derived(store)


def test_a_voided_withdrawal_is_written_again(reported, casebook, tmp_path):
    store, _ = reported
    casebook.decide("CASE-F6", "denied", note="not ours")
    first = write_update(store, "doj", tmp_path / "doj2.csv")
    store.void_update_file(first.record.file_id, "the DOJ rejected the file", voided_by="clerk")
    assert [r["ACTION"] for r in read_csv(
        write_update(store, "doj", tmp_path / "doj3.csv").path)] == ["WITHDRAWAL"]


def test_an_override_after_the_report_waits_for_its_order_then_corrects(reported, casebook,
                                                                       tmp_path):
    store, order = reported
    # CASE-B2 (a felony, reported redesignated as a misdemeanor) becomes an infraction
    casebook.decide("CASE-B2", "approved", outcome="redesignate_infraction",
                    note="the amount shown was under an ounce")
    waiting = write_update(store, "doj", tmp_path / "doj2.csv")
    assert waiting.path is None
    assert "1 count(s) changed since reported await their new order" in waiting.message
    # its earlier order is not in force for the new approval: printed without --supersede
    new = print_orders(store, tmp_path / "again", conviction_ids=casebook.by_case["CASE-B2"])
    (new_order,) = new.orders
    sign_all(store)
    assert new_order.reprint and new_order.order_number != order.order_number
    doj = write_update(store, "doj", tmp_path / "doj3.csv")
    (row,) = read_csv(tmp_path / "doj3.csv")
    layout = load_layout("doj-update", "doj")
    assert row["ACTION"] == "CORRECTION" and row["CASE_NUMBER"] == "CASE-B2"
    assert row["ORDER_NUMBER"] == new_order.order_number
    assert row["REPLACES_ORDER_NUMBER"] == order.order_number
    assert row["RELIEF"] == layout.relief_codes["redesignate_infraction"]
    assert row["REPLACES_RELIEF"] == layout.relief_codes["redesignate_misdemeanor"]
    assert "1 correction(s) of earlier reports" in doj.message
    cms = read_csv(write_update(store, "cms", tmp_path / "cms2.csv").path)
    assert [(r["Case Number"], r["Action"], r["Replaces Order"]) for r in cms] == [
        ("CASE-B2", "Correction", order.order_number)]
    assert_kept_equals_derived(store)


def test_a_superseded_order_is_reported_again_naming_the_order_it_replaces(reported, casebook,
                                                                           tmp_path):
    store, order = reported
    a1 = casebook.by_case["CASE-A1"]
    new = print_orders(store, tmp_path / "again", conviction_ids=a1,
                       supersede="the court prints each case on its own order").orders[0]
    sign_all(store)
    assert new.supersedes == (order.order_number,)
    assert {store.closeout_progress(a1)[c].stage for c in a1} == {Stage.ORDERED}
    rows = read_csv(write_update(store, "doj", tmp_path / "doj2.csv").path)
    assert [(r["CASE_NUMBER"], r["ACTION"], r["ORDER_NUMBER"], r["REPLACES_ORDER_NUMBER"])
            for r in rows] == [("CASE-A1", "CORRECTION", new.order_number,
                                order.order_number)] * 2
    assert rows[0]["RELIEF"] == rows[0]["REPLACES_RELIEF"]  # the same relief, a new order
    assert {store.closeout_progress(a1)[c].stage for c in a1} == {Stage.REPORTED}
    assert_kept_equals_derived(store)


def test_a_layout_without_a_withdrawn_code_is_refused_before_writing(reported, casebook,
                                                                     tmp_path):
    store, _ = reported
    casebook.decide("CASE-F6", "denied", note="not ours")
    text = (FORMS_DIR / "doj-update.toml").read_text(encoding="utf-8")
    old = tmp_path / "old-layout.toml"
    old.write_text("\n".join(line for line in text.splitlines()
                             if not line.startswith("withdrawn =")), encoding="utf-8")
    with pytest.raises(BadInput, match=r"old-layout.toml.*key relief.withdrawn: missing"):
        write_update(store, "doj", tmp_path / "doj2.csv", layout=old)
    assert not (tmp_path / "doj2.csv").exists()
    assert len(store.update_files("doj")) == 1  # nothing recorded
