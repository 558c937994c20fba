"""Tools ▸ Reconcile: a run in the background, counts per status, filters, the pair side by
side, confirm and reject with Undo, the queue's "Not on the DOJ list" filter."""

from __future__ import annotations

from clerkapp.ingest.service import import_files
from clerkapp.ui.dialogs.reconcile_dialog import COMPARED, ReconcileDialog
from clerkapp.ui.views.filter_bar import FilterBar
from tests.reconcile.files import scenario_files


def _open(qtbot, store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    store.set_setting("review.clerk_name", "M. Okafor")
    dialog = ReconcileDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _run(qtbot, dialog):
    with qtbot.waitSignal(dialog.links_changed, timeout=60000):
        dialog.run_button.click()


def test_run_counts_filter_and_side_by_side(qtbot, store, tmp_path):
    dialog = _open(qtbot, store, tmp_path)
    assert dialog.model.rowCount() == 0 and "Not reconciled yet" in dialog.last_run.text()
    _run(qtbot, dialog)
    assert dialog.model.rowCount() == 11
    assert "5</b> matched" in dialog.counts.text()
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("conflict"))
    dialog.status_combo.activated.emit(dialog.status_combo.currentIndex())
    assert dialog.model.rowCount() == 1
    level = [k for _l, k in COMPARED].index("level")
    assert dialog.compare.item(level, 1).text() == "F"
    assert dialog.compare.item(level, 2).text() == "M"
    assert dialog.compare.item(level, 1).background().color().name() == "#fff1d6"
    assert not dialog.confirm_button.isEnabled() and dialog.reject_button.isEnabled()
    dialog.search.setText("Minh")  # the search narrows within the status shown
    dialog._apply_filter()
    assert dialog.model.rowCount() == 1
    dialog.search.setText("Keisha")
    dialog._apply_filter()
    assert dialog.model.rowCount() == 0


def test_confirm_reject_and_undo_from_the_window(qtbot, store, tmp_path):
    dialog = _open(qtbot, store, tmp_path)
    _run(qtbot, dialog)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("possible_match"))
    dialog._apply_filter()
    assert dialog.confirm_button.isEnabled()
    with qtbot.waitSignal(dialog.links_changed):
        dialog.confirm_button.click()
    assert dialog.model.rowCount() == 0  # it is matched now
    assert store.reconcile_counts().get("possible_match", 0) == 0
    audit = store.conn.execute("SELECT actor, action FROM audit_log ORDER BY id DESC"
                               " LIMIT 1").fetchone()
    assert tuple(audit) == (store.actor("M. Okafor"), "reconcile_confirm")
    assert dialog.undo_button.isEnabled()
    with qtbot.waitSignal(dialog.links_changed):
        dialog.undo_button.click()
    assert dialog.model.rowCount() == 1
    with qtbot.waitSignal(dialog.links_changed):
        dialog.reject_button.click()
    counts = store.reconcile_counts()
    assert counts["court_only"] == 2 and counts["doj_only"] == 2


def test_queue_filter_not_on_the_doj_list(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.filter_changed) as blocker:
        bar.not_on_doj.setChecked(True)
    assert blocker.args[0].not_on_doj is True


def test_rejecting_a_pair_already_ordered_asks_first(qtbot, store, tmp_path, monkeypatch):
    """A matched pair is one conviction, ordered once; a Reject (one click, no question) made
    the court's copy a pending conviction of its own, which could be approved and ordered a
    second time."""
    from PySide6.QtWidgets import QMessageBox

    from clerkapp.orders.service import print_orders
    from clerkapp.review.service import decide
    from clerkapp.rules.service import evaluate
    from clerkapp.store.queue import EVERYTHING, QueueFilter
    from tests.orders.conftest import set_profile

    dialog = _open(qtbot, store, tmp_path)
    _run(qtbot, dialog)
    set_profile(store, **{"court.county": "Los Angeles"})
    evaluate(store, as_of="2024-01-01")
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    relief = [i for i, r in store.queue_rows(ids).items()
              if r.outcome in ("dismiss_and_seal", "redesignate_misdemeanor")]
    decide(store, relief, "approved", clerk="tester")
    print_orders(store, tmp_path / "orders", bulk=True)
    ordered = set(store.order_numbers_of())
    pair = next(link for link in store.conn.execute(
        "SELECT id, doj_id FROM reconcile_links WHERE status = 'matched'")
        if link[1] in ordered)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("matched"))
    dialog._apply_filter()
    dialog.table.selectRow(dialog.model.row_of(pair[0]))
    asked: list[str] = []

    def answer(choice):
        def ask(_parent, _title, text, *_args):
            asked.append(text)
            return choice
        return ask

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    before = store.reconcile_counts()
    dialog.reject_button.click()
    assert asked and "ordered already (Order No. " in asked[0]
    assert "ordered a second time" in asked[0]
    assert store.reconcile_counts() == before  # Cancel: the pair stays one conviction
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.links_changed):
        dialog.reject_button.click()
    assert store.reconcile_counts()["matched"] == before["matched"] - 1
