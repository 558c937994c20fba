"""The close-out in the window: File ▸ Export ▸ DOJ update… writes and records the update in
the background; printing a bulk order offers the judge's review list; the print history
records the signing and gives the final report."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtGui import QDesktopServices

from clerkapp.orders.service import print_orders
from clerkapp.ui.dialogs import order_closeout
from clerkapp.ui.dialogs.print_dialog import PrintOrdersDialog
from clerkapp.ui.dialogs.update_dialog import UpdateFileDialog
from clerkapp.ui.mainwindow import MainWindow
from clerkapp.ui.views import prompts
from tests.orders.conftest import sign_all

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def opened(monkeypatch):
    urls: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def test_export_menu_holds_the_updates_and_the_dialog_writes_one(qtbot, court_store, tmp_path,
                                                                 qsettings, monkeypatch):
    window = MainWindow(court_store, settings=qsettings)
    qtbot.addWidget(window)
    file_menu = window.menus["File"]
    export = next(a.menu() for a in file_menu.actions() if a.menu() is not None)
    assert [a.text() for a in export.actions()] == ["&Determinations…", "D&OJ update…",
                                                     "&Case-system update…"]
    window.actions.doj_update.trigger()
    dialog = window.dialog
    assert isinstance(dialog, UpdateFileDialog)
    assert dialog.count_label.text().startswith("No order has been printed yet")
    assert not dialog.write_button.isEnabled()
    dialog.close()
    print_orders(court_store, tmp_path / "orders", bulk=True)
    sign_all(court_store)
    court_store.set_setting("court.code", "CA001013J")  # else Write asks first
    dialog = UpdateFileDialog(court_store, None, kind="doj", settings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog.count_label.text().startswith("5 count(s) will be written")
    dialog.path_edit.setText(str(tmp_path / "doj.csv"))
    with qtbot.waitSignal(dialog.update_written, timeout=20000) as blocker:
        dialog.write_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert blocker.args[0].rows == 5
    with (tmp_path / "doj.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 5
    assert dialog.count_label.text().startswith("Nothing new")
    assert dialog.history_table.rowCount() == 1
    dialog.scope.setCurrentIndex(1)  # all of them again
    assert dialog.count_label.text().startswith("5 count(s)")
    dialog.scope.setCurrentIndex(0)
    # the DOJ never took it: void it, and its counts are to be reported again
    monkeypatch.setattr(prompts, "ask_reason", lambda *a: "rejected by the DOJ portal")
    assert not dialog.void_button.isEnabled()
    dialog.history_table.selectRow(0)
    assert dialog.void_button.isEnabled()
    dialog.void_button.click()
    assert "voided" in dialog.result_label.text()
    assert dialog.count_label.text().startswith("5 count(s) will be written")
    assert "voided" in dialog.history_table.item(0, 4).text()
    assert not dialog.void_button.isEnabled()


def test_bulk_printing_offers_the_review_list_then_signing_and_final_report(
        qtbot, court_store, tmp_path, qsettings, opened, monkeypatch):
    saved = iter([str(tmp_path / "review.pdf"), str(tmp_path / "final.pdf")])
    monkeypatch.setattr(order_closeout.SafeFileDialog, "getSaveFileName",
                        lambda *a, **k: (next(saved), ""))
    dialog = PrintOrdersDialog(court_store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.bulk_radio.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.orders_printed, timeout=60000) as blocker:
        dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    order = blocker.args[0].orders[0]
    bar = dialog.closeout
    assert bar.order is not None and bar.order.order_id == order.order_id
    assert bar.review_button.isEnabled() and not bar.final_button.isEnabled()
    assert "not recorded as signed" in bar.label.text()
    bar.review_button.click()
    qtbot.waitUntil(lambda: bar.job is None and bar.report is not None, timeout=20000)
    assert opened[-1] == str(tmp_path / "review.pdf")
    assert "Review list for the judge" in PdfReader(str(tmp_path / "review.pdf")).pages[0] \
        .extract_text()
    # the signing, from the history
    dialog.history_table.selectRow(0)
    bar.sign_button.click()
    assert bar.sign_dialog is not None
    bar.sign_dialog.judge.setText("Hon. Pat Q. Bench")
    bar.sign_dialog.accept()
    qtbot.waitUntil(lambda: bar.job is None)  # recorded in the background
    signature = court_store.order_signature(order.order_id)
    assert signature.signed_on == date.today().isoformat() and signature.judge == "Hon. Pat Q. Bench"
    assert "signed" in bar.label.text() and bar.final_button.isEnabled()
    bar.report = None
    bar.final_button.click()
    qtbot.waitUntil(lambda: bar.job is None and bar.report is not None, timeout=20000)
    text = PdfReader(str(tmp_path / "final.pdf")).pages[0].extract_text()
    assert "Final report" in text and "Still open, not reported to the DOJ: 5" in text
    assert Path(opened[-1]).name == "final.pdf"


def test_the_update_dialog_counts_a_withdrawal_due(qtbot, court_store, casebook, tmp_path,
                                                   qsettings):
    from clerkapp.closeout.updates import write_update

    print_orders(court_store, tmp_path / "orders", bulk=True)
    sign_all(court_store)
    write_update(court_store, "doj", tmp_path / "doj.csv")
    casebook.decide("CASE-F6", "denied", note="a later record shows a super strike")
    dialog = UpdateFileDialog(court_store, None, kind="doj", settings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog.count_label.text() == (
        "1 count(s) will be written and recorded as reported. 1 of them withdraw a relief"
        " reported before that no longer stands.")
    assert dialog.write_button.isEnabled()
