"""The tracker: the queue's close-out column and filters, the status bar's counts and the
figures of `clerkapp stats`."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QSettings

from clerkapp.cli.main import main
from clerkapp.orders.service import print_orders
from clerkapp.store.closeout import NewUpdateFile
from clerkapp.store.queue import EVERYTHING, QueueFilter
from clerkapp.ui.mainwindow import MainWindow
from clerkapp.ui.models.queue_model import COLUMN_INDEX

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def tracked(court_store, casebook, tmp_path):
    """A1 (two counts) and B2 ordered 40 days ago and A1 reported; F6, G7 ordered today."""
    store = court_store
    old = print_orders(store, tmp_path / "a", conviction_ids=casebook.by_case["CASE-A1"]
                       + casebook.by_case["CASE-B2"], bulk=True).orders[0]
    store.record_signature(old.order_id, (date.today() - timedelta(days=40)).isoformat(),
                           "Hon. A", recorded_by="clerk")
    # an update file that reported A1 alone: B2 still to report (recorded, and audited, as
    # the update writes it; the file itself is not needed here)
    rows = [r for r in store.iter_update_rows("doj")
            if r.conviction_id in casebook.by_case["CASE-A1"]]
    with store.atomic():
        store.record_update_file(NewUpdateFile("doj", str(tmp_path / "doj.csv"), "0" * 64,
                                               "doj-update test", rows), created_by="clerk")
    print_orders(store, tmp_path / "b", bulk=True, only_unprinted=True)
    return store


def cases(store, kind: str) -> list[str]:
    ids = store.queue_ids(QueueFilter(closeout=kind))
    return sorted({r.case_number for r in store.queue_rows(list(ids)).values()})


def test_queue_filters_by_closeout_stage(tracked):
    assert cases(tracked, "ordered_not_reported") == ["CASE-B2", "CASE-F6", "CASE-G7"]
    assert cases(tracked, "overdue") == ["CASE-B2"]
    assert cases(tracked, "not_in_case_system") == ["CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"]
    assert cases(tracked, "approved_not_ordered") == []
    counts = tracked.queue_counts(QueueFilter(closeout="overdue"))
    assert sum(counts.values()) == 1
    ids = tracked.queue_ids(QueueFilter(closeout="ordered_not_reported"), sort="closeout")
    first = tracked.queue_rows([ids[0]])[ids[0]]
    assert first.case_number == "CASE-B2"  # the oldest order first


def test_the_counts_agree_with_the_filters(tracked, casebook):
    casebook.decide("CASE-F6", "denied", note="withdrawn after the order")
    counts = tracked.closeout_counts()
    assert counts["withdrawn"] == 1 and counts["ordered_not_reported"] == 2
    for kind, n in counts.items():
        assert len(tracked.queue_ids(QueueFilter(outcome=EVERYTHING, closeout=kind))) == n, kind


def test_stats_report_the_closeout(tracked, capsys):
    assert main(["--db", str(tracked.path), "stats"]) == 0
    stats = json.loads(capsys.readouterr().out)["closeout"]
    assert stats["ordered_not_reported"] == 3 and stats["overdue"] == 1
    assert stats["doj_deadline_days"] == 30 and stats["doj_update_files"] == 1


def test_window_shows_the_column_the_filter_and_the_counts(qtbot, tracked, tmp_path):
    window = MainWindow(tracked, settings=QSettings(str(tmp_path / "desk.ini"),
                                                    QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "Overdue 1" in window.status.closeout.text())
    assert "Ordered, not reported 3" in window.status.closeout.text()
    bar = window.filter_bar
    bar.closeout.setCurrentIndex(bar.closeout.findData("overdue"))
    bar.closeout.activated.emit(bar.closeout.currentIndex())
    assert window.model.rowCount() == 1
    text = window.model.index(0, COLUMN_INDEX["closeout"]).data()
    assert text == "Overdue 10 d"
    bar.closeout.setCurrentIndex(bar.closeout.findData("ordered_not_reported"))
    bar.closeout.activated.emit(bar.closeout.currentIndex())
    assert window.model.rowCount() == 3
    texts = {window.model.index(r, COLUMN_INDEX["closeout"]).data() for r in range(3)}
    due = (date.today() + timedelta(days=30)).isoformat()
    assert f"Ordered, due {due}" in texts
    window.status.closeout.linkActivated.emit("overdue")  # the status bar's link
    assert window.model.rowCount() == 1 and window.filter_bar.closeout.currentData() == "overdue"
    window.close()


def test_the_detail_pane_says_what_became_of_the_conviction(tracked, casebook):
    from clerkapp.ui.views.detail_html import detail_html

    a1 = tracked.conviction_detail(casebook.by_case["CASE-A1"][0])
    html = detail_html(a1)
    signed = (date.today() - timedelta(days=40)).isoformat()
    assert "<h3>Close-out</h3>" in html and "Reported to DOJ" in html
    assert f"{signed} (signed)" in html and "Reported to the DOJ</th>" in html
    b2 = detail_html(tracked.conviction_detail(casebook.by_case["CASE-B2"][0]))
    assert "Overdue 10 d" in b2 and "Reported to the DOJ</th>" not in b2
    d4 = detail_html(tracked.conviction_detail(casebook.by_case["CASE-D4"][0]))
    assert "Close-out" not in d4  # pending: nothing to close
