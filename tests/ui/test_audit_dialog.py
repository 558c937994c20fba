"""The audit view: filters, paging, export read back with openpyxl, chain status."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate

from clerkapp.ui.dialogs import audit_dialog
from clerkapp.ui.dialogs.audit_dialog import AuditDialog, AuditModel
from clerkapp.ui.files import SafeFileDialog


def _fill(store, n_extra=0):
    with store.atomic():
        store.audit("alice", "approve", entity="conviction", entity_id=1, case_number="CR-100",
                    details={"note": "ok"})
        store.audit("bob", "deny", entity="conviction", entity_id=2, case_number="CR-200",
                    details={"reason": "not cannabis"})
        store.audit("alice", "import", details={"file": "doj.csv", "rows": 12})
        for i in range(n_extra):
            store.audit("carol", "approve", case_number=f"B-{i}")


def _open(qtbot, store):
    dialog = AuditDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


# two clerks' names in one store: on a shared store the actor is the database login, so two
# clerks there are two logins (tests/store_targets/test_two_clerk_logins.py)
@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_lists_newest_first_and_filters(qtbot, store):
    _fill(store)
    dialog = _open(qtbot, store)
    model = dialog.model
    assert model.rowCount() == 3
    assert [model.entry(r).action for r in range(3)] == ["import", "deny", "approve"]
    assert model.index(1, 4).data() == "reason: not cannabis"

    dialog.clerk_combo.setCurrentText("alice")
    assert model.rowCount() == 2
    assert {model.index(r, 1).data() for r in range(2)} == {"alice"}

    dialog.clerk_combo.setCurrentIndex(0)
    qtbot.keyClicks(dialog.case_edit, "cr-2")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=2000)
    assert model.index(0, 3).data() == "CR-200"
    assert "1 entry" in dialog.count_label.text()

    dialog.case_edit.clear()
    dialog.apply_filter()
    # a date range in the past holds nothing; one ending today holds everything
    dialog.to_check.setChecked(True)
    assert model.rowCount() == 3
    dialog.to_date.setDate(dialog.to_date.date().addDays(-2))
    assert model.rowCount() == 0
    dialog.to_check.setChecked(False)
    dialog.from_check.setChecked(True)
    assert model.rowCount() == 3
    dialog.from_date.setDate(QDate.currentDate().addDays(1))
    assert model.rowCount() == 0


def test_model_pages_lazily(qtbot, store, qtmodeltester):
    _fill(store, n_extra=1200)
    model = AuditModel(store)
    assert model.total == 1203
    assert model.rowCount() == 500
    assert model.canFetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 1203
    assert not model.canFetchMore(model.index(-1, -1))
    ids = [model.entry(r).id for r in range(model.rowCount())]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 1203
    qtmodeltester.check(AuditModel(store))


# two clerks' names in one store: on a shared store the actor is the database login, so two
# clerks there are two logins (tests/store_targets/test_two_clerk_logins.py)
@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_export_filtered_to_xlsx(qtbot, store, tmp_path, monkeypatch):
    _fill(store)
    dialog = _open(qtbot, store)
    dialog.clerk_combo.setCurrentText("alice")
    out = tmp_path / "audit"
    monkeypatch.setattr(SafeFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    with qtbot.waitSignal(dialog.export_finished, timeout=5000) as blocker:
        dialog.export_button.click()
    assert blocker.args == [2]
    wb = load_workbook(tmp_path / "audit.xlsx", read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[0][:5] == ("id", "time_utc", "clerk", "action", "case_number")
    assert [(r[2], r[3]) for r in rows[1:]] == [("alice", "import"), ("alice", "approve")]


def test_chain_status_verified_then_broken(qtbot, store):
    _fill(store)
    dialog = AuditDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.chain_checked, timeout=5000) as blocker:
        dialog.show()
    assert blocker.args == [None]
    assert "verified" in dialog.chain_label.text()

    # someone edits the file behind the app's back (dropping the guard trigger first)
    store.conn.execute("DROP TRIGGER audit_log_no_update")
    store.conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    tampered = AuditDialog(store)
    qtbot.addWidget(tampered)
    with qtbot.waitSignal(tampered.chain_checked, timeout=5000) as blocker:
        tampered.show()
    assert blocker.args == [2]
    assert "BROKEN" in tampered.chain_label.text()


def test_page_size_constant_is_sane():
    assert audit_dialog.PAGE >= 100
