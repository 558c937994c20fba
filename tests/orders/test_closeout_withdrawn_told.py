"""Withdrawn after order, from the DOJ's side: the close-out filters and counts tell a relief
withdrawn and the DOJ told (a withdrawal row in a DOJ update file) from one the DOJ was told
of and not yet told it no longer stands, and from one never reported at all."""

from __future__ import annotations

import csv
import json

from clerkapp.cli.main import main
from clerkapp.closeout.updates import write_update
from clerkapp.orders.service import print_orders
from clerkapp.store.closeout import CLOSEOUT_FILTERS
from clerkapp.store.queue import QueueFilter
from clerkapp.ui.views.filter_bar import FilterBar
from tests.orders.conftest import sign_all

KINDS = ("withdrawn_doj_told", "withdrawn_doj_not_told", "withdrawn_never_reported")


def _filtered(store) -> dict[str, list[int]]:
    return {k: sorted(store.queue_ids(QueueFilter(closeout=k))) for k in ("withdrawn", *KINDS)}


def test_withdrawn_told_not_told_and_never_reported(court_store, casebook, tmp_path, capsys):
    store, by_case = court_store, casebook.by_case
    print_orders(store, tmp_path / "orders", bulk=True)
    sign_all(store)
    casebook.decide("CASE-G7", "denied", note="the sentence was for another count")
    write_update(store, "doj", tmp_path / "doj1.csv")
    casebook.decide("CASE-A1", "denied", note="a later record shows a super strike")
    a1, g7 = sorted(by_case["CASE-A1"]), by_case["CASE-G7"]
    assert _filtered(store) == {"withdrawn": sorted(a1 + g7), "withdrawn_doj_told": [],
                                "withdrawn_doj_not_told": a1, "withdrawn_never_reported": g7}
    assert main(["--db", str(store.path), "stats"]) == 0
    counts = json.loads(capsys.readouterr().out)["closeout"]
    assert [counts[k] for k in KINDS] == [0, 2, 1]

    told = write_update(store, "doj", tmp_path / "doj2.csv")
    with open(told.path, newline="") as handle:
        actions = [row["ACTION"] for row in csv.DictReader(handle)]
    assert actions == ["WITHDRAWAL", "WITHDRAWAL"]  # A1's two counts; G7 was never reported
    assert _filtered(store)["withdrawn_doj_told"] == a1
    assert [store.closeout_counts()[k] for k in KINDS] == [2, 0, 1]

    store.void_update_file(told.record.file_id, "the DOJ rejected the file", voided_by="clerk")
    assert _filtered(store)["withdrawn_doj_not_told"] == a1  # to be told again
    assert [store.closeout_counts()[k] for k in KINDS] == [0, 2, 1]


def test_the_queue_offers_the_filters(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    labels = [bar.closeout.itemText(i) for i in range(bar.closeout.count())]
    for kind in KINDS:
        assert CLOSEOUT_FILTERS[kind][0] in labels
    assert "Withdrawn, DOJ not yet told" in labels
