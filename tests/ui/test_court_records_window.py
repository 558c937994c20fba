"""The window on a court's own export: File ▸ Imports… and a withdrawal, entering a missing
name, reason dialogs finished from the keyboard, and the needs-review refusal."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import EVERYTHING, QueueFilter
from clerkapp.ui.mainwindow import MainWindow
from clerkapp.ui.views import prompts
from clerkapp.ui.views.prompts import OverrideDialog, ReasonDialog
from tests.court_export import write_court_export
from tests.ui.conftest import focus_in

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def court(store, tmp_path):
    store.set_setting("court.county", "Sonoma")
    store.set_setting("court.judge", "Hon. R. Judge")
    store.set_setting("clerk.name", "ana")
    [s] = import_files(store, [write_court_export(tmp_path / "index.xlsx")],
                       facts=checked_facts(county="Sonoma"), operator="ana")
    evaluate(store)
    return s


@pytest.fixture
def window(qtbot, store, court, tmp_path):
    w = MainWindow(store, settings=QSettings(str(tmp_path / "desk.ini"),
                                             QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.filter_bar.set_filter(QueueFilter(outcome=EVERYTHING))
    yield w
    w.close()


def _id(store, case_number):
    return store.conn.execute("SELECT id FROM convictions WHERE case_number IS ?",
                              (case_number,)).fetchone()[0]


def test_the_imports_dialog_lists_and_withdraws(qtbot, window, store, court, monkeypatch):
    monkeypatch.setattr(prompts, "ask_reason", lambda *a: "wrong extract")
    assert window.model.rowCount() == court.convictions
    window.actions["imports"].trigger()
    dialog = window.dialog
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    cells = {h: dialog.table.item(0, c).text() for c, h in enumerate(headers)}
    assert cells["File"] == "index.xlsx" and cells["Convictions"] == "8"
    assert cells["County"] == "Sonoma" and cells["Kind of list"] == "the court's own records"
    assert cells["Status"] == "In use" and cells["Orders printed"] == "0"
    assert cells["Row errors"] == "2" and dialog.errors_button.isEnabled()
    assert dialog.withdraw_button.isEnabled()
    dialog.withdraw_button.click()
    assert dialog.table.item(0, headers.index("Status")).text() == "Withdrawn"
    assert not dialog.withdraw_button.isEnabled()
    assert "wrong extract" in dialog.note.text()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.empty)  # nothing left
    assert store.conviction_count() == 0


def test_an_import_with_a_printed_order_cannot_be_withdrawn(qtbot, window, store, tmp_path):
    decide(store, [_id(store, "SCR-104")], "approved", clerk="ana")
    print_orders(store, tmp_path / "orders", operator="ana")
    window.actions["imports"].trigger()
    dialog = window.dialog
    assert not dialog.withdraw_button.isEnabled()
    assert "a printed order stands" in dialog.note.text()


def test_needs_review_refusal_speaks_of_override(qtbot, window, store, warned):
    cid = _id(store, "SCR-110")
    window.show_conviction(cid)
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: bool(warned))
    assert "Override outcome… (O)" in warned[0]
    assert "--outcome" not in warned[0] and "command line" not in warned[0]


def test_a_missing_name_is_entered_then_the_override_is_approved(qtbot, window, store,
                                                                 warned, monkeypatch):
    cid = _id(store, "SCR-110")
    window.show_conviction(cid)
    monkeypatch.setattr(prompts, "ask_override",
                        lambda *a: ("redesignate_misdemeanor", "adult felony possession"))
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: bool(warned))
    assert "has no name in the record: enter it as a correction first" in warned[0]
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_M)
    dialog = window.dialog
    assert dialog.field.currentData() == "name"
    focus_in(qtbot, dialog, dialog.value)
    qtbot.keyClicks(dialog.value, "DOE, JANE")
    qtbot.keyClick(dialog.value, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "minute order")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert store.corrections(cid)[0].value == "DOE, JANE"
    window.show_conviction(cid)
    window.activateWindow()
    window.queue.setFocus()
    qtbot.waitUntil(lambda: window.queue.hasFocus())
    qtbot.keyClick(window.queue, Qt.Key.Key_O)
    assert len(warned) == 1, warned
    qtbot.waitUntil(lambda: store.conn.execute(
        "SELECT review_status FROM convictions WHERE id = ?", (cid,)).fetchone()[0]
        == "approved")


def test_reason_dialogs_finish_with_ctrl_enter_and_tab_moves_on(qtbot):
    dialog = ReasonDialog(None, "Deny", "Why?")
    qtbot.addWidget(dialog)
    focus_in(qtbot, dialog, dialog.reason)
    qtbot.keyClicks(dialog.reason, "first line")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # Enter keeps adding a line
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "second")
    assert dialog.text() == "first line\nsecond"
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.reason
    assert "\t" not in dialog.reason.toPlainText()
    dialog.reason.setFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == dialog.DialogCode.Accepted

    empty = ReasonDialog(None, "Deny", "Why?")
    qtbot.addWidget(empty)
    focus_in(qtbot, empty, empty.reason)
    qtbot.keyClick(empty.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert empty.isVisible()  # an empty reason never closes it

    override = OverrideDialog(None, "needs_review")
    qtbot.addWidget(override)
    focus_in(qtbot, override, override.reason)
    qtbot.keyClicks(override.reason, "decided")
    qtbot.keyClick(override.reason, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    assert override.result() == override.DialogCode.Accepted
