"""The three windows of the person relieved: look-up with its confirmation, notices, impact
report; each reached from the main window's menus, each doing its work in the background."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from clerkapp.ui.dialogs.impact_dialog import ImpactReportDialog
from clerkapp.ui.dialogs.lookup_dialog import LookupDialog
from clerkapp.ui.dialogs.notices_dialog import NoticesDialog


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


def _show(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_lookup_lists_candidates_then_shows_one_and_prints_the_confirmation(
        relief_store, qtbot, qsettings, tmp_path):
    book = relief_store.book
    book.conviction("CASE-X1", "ALPHA,ANNE", dob="1985-09-09", cii="X1")
    dialog = _show(qtbot, LookupDialog(relief_store, None, settings=qsettings))
    qtbot.keyClicks(dialog.name_edit, "anna alpha")
    with qtbot.waitSignal(dialog.looked_up, timeout=30000) as blocker:
        dialog.lookup_button.click()
    assert len(blocker.args[0].candidates) == 2
    assert dialog.table.rowCount() == 2 and dialog.table.columnCount() == 3
    assert "CASE-A1" not in [dialog.table.item(r, 1).text() for r in range(2)]
    assert not dialog.certificate_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None)
    qtbot.keyClicks(dialog.case_edit, "CASE-A1")
    with qtbot.waitSignal(dialog.looked_up, timeout=30000):
        dialog.lookup_button.click()
    assert dialog.table.rowCount() == 2  # ALPHA's two counts of CASE-A1
    assert dialog.table.item(0, 4).text().startswith("Ordered ")
    assert "ANNA MARIE ALPHA" in dialog.person_label.text()
    assert dialog.certificate_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None)
    out = tmp_path / "confirmation.pdf"
    with qtbot.waitSignal(dialog.certificate_printed, timeout=30000):
        dialog.print_certificate_to(out)
    assert out.is_file() and "Verification code" in dialog.result_label.text()
    looks = relief_store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'lookup.person'").fetchone()[0]
    assert looks == 2


def test_notices_dialog_counts_prints_and_remembers(relief_store, qtbot, qsettings, tmp_path):
    dialog = _show(qtbot, NoticesDialog(relief_store, None, settings=qsettings))
    assert dialog.count_label.text().startswith("3 people to write to")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("both"))
    dialog.folder_edit.setText(str(tmp_path / "n"))
    dialog.combined_radio.setChecked(True)
    with qtbot.waitSignal(dialog.notices_printed, timeout=60000) as blocker:
        dialog.print_button.click()
    summary = blocker.args[0]
    assert summary.people == 3 and summary.notices == 6 and len(summary.files) == 1
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.count_label.text().startswith("Nobody to write to")
    assert not dialog.print_button.isEnabled()
    dialog.again_check.setChecked(True)
    assert dialog.print_button.isEnabled()
    assert qsettings.value("notices/language") == "both"


def test_notices_dialog_asks_for_the_profile_first(relief_store, qtbot, qsettings):
    with relief_store.atomic():
        relief_store.set_setting("court.clerk_phone", "")
    dialog = _show(qtbot, NoticesDialog(relief_store, None, settings=qsettings))
    assert "Clerk's office phone" in dialog.profile_label.text()
    assert not dialog.print_button.isEnabled()


def test_impact_dialog_writes_pdf_and_workbook(relief_store, qtbot, qsettings, tmp_path):
    dialog = _show(qtbot, ImpactReportDialog(relief_store, None, settings=qsettings))
    dialog.path_edit.setText(str(tmp_path / "impact"))
    dialog.xlsx_check.setChecked(True)
    with qtbot.waitSignal(dialog.report_written, timeout=60000) as blocker:
        dialog.write_button.click()
    report = blocker.args[0]
    assert report.pdf == tmp_path / "impact.pdf" and report.pdf.is_file()
    assert report.xlsx == tmp_path / "impact.xlsx" and report.xlsx.is_file()
    assert dialog.result_label.text().endswith(
        "Alameda County's convictions only. The DOJ's file covers the whole state: 0 cannabis"
        " convictions of other counties are left out.")
    entry = relief_store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'report.impact'").fetchone()[0]
    assert len(json.loads(entry)["sha256"]) == 2


def test_menus_reach_the_three_windows(relief_store, qtbot, qsettings):
    from clerkapp.ui.mainwindow import MainWindow

    window = MainWindow(relief_store, settings=qsettings)
    qtbot.addWidget(window)
    window.show()
    assert window.actions.lookup.shortcut() == QKeySequence("Ctrl+L")
    assert window.actions.impact_report in window.menus["Reports"].actions()
    assert window.actions.print_notices in window.menus["File"].actions()
    for action, kind in ((window.actions.lookup, LookupDialog),
                         (window.actions.print_notices, NoticesDialog),
                         (window.actions.impact_report, ImpactReportDialog)):
        action.trigger()
        assert isinstance(window.dialog, kind)
        window.dialog.close()


def test_lookup_prints_the_persons_notice_again_when_sent_before(relief_store, qtbot,
                                                                 qsettings, tmp_path):
    from clerkapp.relief.notices import print_notices

    print_notices(relief_store, tmp_path / "first")  # everybody's English letter
    qsettings.setValue("notices/folder", str(tmp_path / "counter"))
    dialog = _show(qtbot, LookupDialog(relief_store, None, settings=qsettings))
    qtbot.keyClicks(dialog.name_edit, "Gina Golf")
    with qtbot.waitSignal(dialog.looked_up, timeout=30000):
        dialog.lookup_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert dialog.notice_button.isEnabled()
    with qtbot.waitSignal(dialog.notice_printed, timeout=30000) as blocker:
        dialog.notice_button.click()
    (path,) = blocker.args[0].files
    assert path.parent == tmp_path / "counter" and path.name.endswith("_CASE-G7_en.pdf")
    golf = relief_store.book.people["GOLF,GINA"]
    assert relief_store.conn.execute(
        "SELECT again FROM notices WHERE person_id = ? ORDER BY id DESC", (golf,)).fetchone()[0] == 1


def test_lookup_dialog_takes_a_us_date_and_refuses_an_impossible_one(relief_store, qtbot,
                                                                     qsettings):
    dialog = _show(qtbot, LookupDialog(relief_store, None, settings=qsettings))
    qtbot.keyClicks(dialog.name_edit, "Ben Bravo")
    qtbot.keyClicks(dialog.dob_edit, "02/30/1980")
    dialog.lookup_button.click()
    assert dialog.job is None  # refused before any look-up
    assert dialog.message_label.text().startswith("Date of birth: no such day")
    dialog.dob_edit.clear()
    qtbot.keyClicks(dialog.dob_edit, "5/6/1980")
    with qtbot.waitSignal(dialog.looked_up, timeout=30000) as blocker:
        dialog.lookup_button.click()
    assert [p.card.name for p in blocker.args[0].people] == ["BRAVO,BEN"]
    qtbot.waitUntil(lambda: dialog.job is None)
