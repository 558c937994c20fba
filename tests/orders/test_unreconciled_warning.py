"""Printing orders from a DOJ list and a court list never reconciled is said before anything
is printed, with the count and the way to reconcile: a conviction on both lists (the trial's
OR101529) would otherwise be ordered twice. The clerk may still print."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.ingest.file_facts import FileFacts
from clerkapp.ingest.service import import_files
from clerkapp.orders.reconciled import count_unreconciled
from clerkapp.reconcile.service import reconcile
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import EVERYTHING, QueueFilter
from clerkapp.ui.dialogs.print_dialog import PrintOrdersDialog
from clerkapp.ui.dialogs.reconcile_dialog import ReconcileDialog
from clerkapp.ui.views import prompts
from tests.orders.conftest import QT_MARKS, answering, set_profile
from tests.reconcile.files import scenario_files

pytestmark = QT_MARKS

COURT = FileFacts(county="Los Angeles", source="court")
RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


def _approve_relief(store) -> list[int]:
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    relief = [i for i, r in store.queue_rows(ids).items() if r.outcome in RELIEF]
    decide(store, relief, "approved", clerk="tester")
    return relief


@pytest.fixture
def both_lists(store, tmp_path):
    """The DOJ's list and the court's export, evaluated and approved, never reconciled."""
    set_profile(store, **{"court.county": "Los Angeles"})
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj])
    import_files(store, [court], facts=COURT)
    evaluate(store, as_of="2024-01-01")
    _approve_relief(store)
    return store


def _order_count(store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM orders").fetchone()[0])


def test_the_count_is_the_convictions_to_print_no_reconciliation_compared(both_lists):
    store = both_lists
    total, _printed = store.count_order_rows()
    assert count_unreconciled(store) == total > 0
    reconcile(store)
    assert count_unreconciled(store) == 0
    assert store.count_order_rows()[0] < total  # the linked pairs now count once


def test_one_list_alone_is_nothing_to_reconcile(store, tmp_path):
    set_profile(store, **{"court.county": "Los Angeles"})
    doj, _court = scenario_files(tmp_path)
    import_files(store, [doj])
    evaluate(store, as_of="2024-01-01")
    _approve_relief(store)
    assert store.count_order_rows()[0] > 0 and count_unreconciled(store) == 0


def test_a_court_list_imported_after_the_reconciliation_is_counted_again(store, tmp_path):
    set_profile(store, **{"court.county": "Los Angeles"})
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj])
    evaluate(store, as_of="2024-01-01")
    assert count_unreconciled(store) == 0
    import_files(store, [court], facts=COURT)
    evaluate(store, as_of="2024-01-01")
    _approve_relief(store)
    assert count_unreconciled(store) == store.count_order_rows()[0]


def test_the_command_stops_before_printing_and_names_the_way(both_lists, tmp_path, capsys):
    store = both_lists
    db, out = str(store.path), tmp_path / "orders"
    total = store.count_order_rows()[0]
    assert main(["--db", db, "orders", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{total} of the convictions to print come from a DOJ list or a court list" in err
    assert "ordered twice" in err and "clerkapp reconcile OUT.xlsx" in err
    assert "--print-unreconciled; nothing was printed" in err
    assert _order_count(store) == 0 and not any(out.glob("*.pdf"))
    # reconciled: printed, each conviction once
    assert main(["--db", db, "reconcile", str(tmp_path / "reconcile.xlsx")]) == 0
    capsys.readouterr()
    assert main(["--db", db, "orders", str(out), "--bulk"]) == 0
    ordered = [r[0] for r in store.conn.execute("SELECT conviction_id FROM order_items")]
    assert len(ordered) == len(set(ordered)) == store.count_order_rows()[0] < total


def test_the_command_prints_anyway_when_asked(both_lists, tmp_path, capsys):
    store = both_lists
    total = store.count_order_rows()[0]
    assert main(["--db", str(store.path), "orders", str(tmp_path / "o"), "--bulk",
                 "--print-unreconciled"]) == 0
    # one bulk order per kind of list, every conviction of both (the pairs twice)
    ordered = store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0]
    assert _order_count(store) == 2 and ordered == total



def test_the_dialog_says_it_and_asks_before_printing(qtbot, both_lists, tmp_path, qsettings,
                                                     monkeypatch):
    store = both_lists
    total = store.count_order_rows()[0]
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.folder_edit.setText(str(tmp_path / "out"))
    box = dialog.unreconciled
    assert box.isVisible() and box.count == total
    assert box.label.text().startswith(f"Before printing: {total} of the convictions to print")
    dialog.grab().save(str(tmp_path / "print-unreconciled.png"))
    asked: list[str] = []
    monkeypatch.setattr(prompts, "ask_go_on", answering(None, asked))
    dialog.print_button.click()
    assert asked and "ordered twice" in asked[-1] and dialog.job is None
    assert _order_count(store) == 0
    # Reconcile…: the reconciliation opens; once run and closed, nothing is left to say
    monkeypatch.setattr(prompts, "ask_go_on", answering("fix", asked))
    dialog.print_button.click()
    assert isinstance(box.dialog, ReconcileDialog) and box.dialog.isVisible()
    assert _order_count(store) == 0
    reconcile(store)
    box.dialog.reject()
    assert not box.isVisible()
    asked.clear()
    with qtbot.waitSignal(dialog.orders_printed, timeout=60000):
        dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert asked == [] and _order_count(store) > 0


def test_the_dialog_prints_anyway_when_the_clerk_goes_on(qtbot, both_lists, tmp_path,
                                                         qsettings, monkeypatch):
    store = both_lists
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.bulk_radio.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "out"))
    monkeypatch.setattr(prompts, "ask_go_on", lambda *a: "go")
    with qtbot.waitSignal(dialog.orders_printed, timeout=60000):
        dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert _order_count(store) == 2  # one per kind of list
