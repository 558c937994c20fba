"""Evaluation settings: save, re-run with another policy, changed decided convictions listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from clerkapp.ingest.service import import_files
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.ui.dialogs.evaluation_dialog import CHOOSE_FILE, EvaluationDialog
from clerkapp.ui.files import SafeFileDialog

SAMPLE_DOJ = Path(__file__).resolve().parents[2] / "resources" / "sample" / "sample_doj.csv"
RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


@pytest.fixture
def decided_store(store):
    """The sample DOJ file imported, evaluated under the statute, every relief approved."""
    import_files(store, [SAMPLE_DOJ], operator="setup")
    evaluate(store, policy="statute", operator="setup")
    marks = ",".join("?" * len(RELIEF))
    ids = [r[0] for r in store.conn.execute(
        f"SELECT id FROM convictions WHERE outcome IN ({marks})", RELIEF)]
    assert ids
    decide(store, ids, "approved", clerk="setup")
    return store


def _open(qtbot, store):
    dialog = EvaluationDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_rerun_with_another_policy_lists_changed_decided(qtbot, decided_store):
    store = decided_store
    decided_before = dict(store.conn.execute(
        "SELECT id, review_status FROM convictions WHERE review_status != 'pending'").fetchall())
    dialog = _open(qtbot, store)
    assert dialog.policy() == "statute"
    dialog.policy_combo.setCurrentIndex(dialog.policy_combo.findData("dismiss-all"))
    dialog.today_check.setChecked(False)
    dialog.as_of_edit.setDate(QDate(2026, 1, 15))

    with qtbot.waitSignal(dialog.evaluation_finished, timeout=60000) as blocker:
        dialog.run_button.click()
    run = blocker.args[0]
    assert store.get_setting("evaluation.policy") == "dismiss-all"
    assert store.get_setting("evaluation.as_of") == "2026-01-15"
    assert str(run.as_of) == "2026-01-15" and run.policy_name == "dismiss-all"
    changed = list(run.changed_decided)
    assert changed, "the sample has redesignations that dismiss-all turns into dismissals"
    table = dialog.changed_table
    assert table.isVisible() and table.rowCount() == len(changed)
    cases = {table.item(r, 0).text() for r in range(table.rowCount())}
    expected = {r[0] or "(no case number)" for r in store.conn.execute(
        f"SELECT case_number FROM convictions WHERE id IN ({','.join('?' * len(changed))})",
        changed)}
    assert cases == expected
    arrow = table.item(0, 4).text()
    before, after = arrow.split(" → ")
    assert before != after
    assert "NOT changed" in dialog.changed_label.text()
    with qtbot.waitSignal(dialog.conviction_chosen, timeout=2000) as chosen:
        table.itemActivated.emit(table.item(0, 0))  # what a double-click on the row does
    assert chosen.args[0] in changed
    # the clerk's decisions stand
    assert dict(store.conn.execute(
        "SELECT id, review_status FROM convictions WHERE review_status != 'pending'"
    ).fetchall()) == decided_before


def test_a_large_run_from_the_dialog_uses_worker_processes(qtbot, decided_store, monkeypatch):
    """What a court with a big store gets: the run from the window's background thread
    starts the worker processes and ends with the same counts."""
    import multiprocessing

    import clerkapp.rules.processes as processes
    import clerkapp.rules.service as service

    store = decided_store
    before = store.latest_eval_run().counts
    monkeypatch.setattr(service, "PROCESSES_FROM", 0)
    started = []
    real = processes.engine_processes
    monkeypatch.setattr(service, "engine_processes",
                        lambda *a, **k: started.append(a[3]) or real(*a, **k))
    dialog = _open(qtbot, store)
    with qtbot.waitSignal(dialog.evaluation_finished, timeout=60000) as blocker:
        dialog.run_button.click()
    assert started == [service.WORKERS]
    assert blocker.args[0].counts == before
    assert [p for p in multiprocessing.active_children()
            if p.name.startswith("clerkapp-evaluate")] == []


def test_rerun_same_policy_lists_nothing(qtbot, decided_store):
    dialog = _open(qtbot, decided_store)
    with qtbot.waitSignal(dialog.evaluation_finished, timeout=60000):
        dialog.run_button.click()
    assert dialog.changed_table.rowCount() == 0 and not dialog.changed_table.isVisible()
    assert "No decided conviction" in dialog.changed_label.text()


def test_save_settings_and_reopen(qtbot, store):
    dialog = _open(qtbot, store)
    dialog.today_check.setChecked(False)
    dialog.as_of_edit.setDate(QDate(2025, 6, 30))
    qtbot.keyClicks(dialog.county_edit, "Fresno")
    dialog.save_button.click()
    assert store.get_setting("evaluation.as_of") == "2025-06-30"
    assert store.get_setting("court.county") == "Fresno"
    assert store.audit_page(limit=1)[0].action == "settings"
    again = _open(qtbot, store)
    assert not again.today_check.isChecked()
    assert again.as_of_edit.date() == QDate(2025, 6, 30)
    again.today_check.setChecked(True)
    again.save_button.click()
    assert store.get_setting("evaluation.as_of") == ""


def test_county_is_chosen_from_the_list_and_a_wrong_one_is_not_saved(qtbot, store,
                                                                     monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    dialog = _open(qtbot, store)
    offered = [dialog.county_edit.itemText(i) for i in range(dialog.county_edit.count())]
    assert offered[:3] == ["", "Alameda", "Alpine"] and len(offered) == 59
    dialog.county_edit.setCurrentText("ORANGE COUNTY")
    dialog.save_button.click()
    assert store.get_setting("court.county") == "Orange" and not warned
    dialog.county_edit.setCurrentText("Orang")
    dialog.save_button.click()
    assert warned and "'Orang' is not a California county" in warned[0]
    assert store.get_setting("court.county") == "Orange"
    dialog.run_button.click()  # a run saves first: refused, nothing started
    assert len(warned) == 2 and dialog.run_button.isEnabled()
    assert dialog.result_label.text() != "Evaluating…"


def test_choose_policy_file(qtbot, store, tmp_path, monkeypatch):
    good = tmp_path / "county.toml"
    shipped = Path(__file__).resolve().parents[2] / "resources" / "policies" / "dismiss-all.toml"
    good.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "broken.toml"
    bad.write_text("[policy\nname=", encoding="utf-8")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    dialog = _open(qtbot, store)
    choose = dialog.policy_combo.findText(CHOOSE_FILE)

    monkeypatch.setattr(SafeFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.policy_combo.setCurrentIndex(choose)
    dialog.policy_combo.activated.emit(choose)
    assert warned and "broken.toml" in warned[0]
    assert dialog.policy() == "statute"

    monkeypatch.setattr(SafeFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    choose = dialog.policy_combo.findText(CHOOSE_FILE)
    dialog.policy_combo.setCurrentIndex(choose)
    dialog.policy_combo.activated.emit(choose)
    assert dialog.policy() == str(good)
    assert "Los Angeles 2020" in dialog.policy_note.text()
    dialog.save_button.click()
    assert store.get_setting("evaluation.policy") == str(good)
    again = _open(qtbot, store)
    assert again.policy() == str(good)


def test_listing_changed_decisions_keeps_the_texts_above_whole(qtbot, decided_store):
    dialog = _open(qtbot, decided_store)
    dialog.policy_combo.setCurrentIndex(dialog.policy_combo.findData("dismiss-all"))
    dialog._describe_policy()
    qtbot.waitExposed(dialog)
    ids = [r[0] for r in decided_store.conn.execute(
        "SELECT id FROM convictions WHERE review_status = 'approved' ORDER BY id")]
    dialog.show_changed(ids)
    qtbot.waitUntil(lambda: dialog.changed_table.isVisible())
    for label in (dialog.policy_note, dialog.result_label, dialog.changed_label):
        if label.text():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, (label.text()[:30], label.height(), needed)
    table = dialog.changed_table
    shown = table.viewport().height() // table.rowHeight(0)
    assert shown >= min(5, table.rowCount())  # a few whole rows, not a sliver
