"""The import dialog, driven like a clerk would: real DOJ csv and xlsx files, the real import
service and evaluation, assertions on the store."""

from __future__ import annotations

import importlib.util
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from clerkapp.ui.dialogs import import_dialog
from clerkapp.ui.dialogs.import_dialog import ImportDialog
from clerkapp.ui.dialogs.mapping_table import HEADER_BACKGROUND
from clerkapp.ui.files import SafeFileDialog

REPO_ROOT = Path(__file__).resolve().parents[2]


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", REPO_ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def doj_csv(tmp_path):
    path = tmp_path / "doj_extract.csv"
    _synthetic().write_csv(path, 400, seed=3)
    return path


def _dialog(qtbot, store, paths):
    dialog = ImportDialog(store, None, paths=paths)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_doj_csv_is_detected_and_imported(qtbot, store, doj_csv, no_popups):
    dialog = _dialog(qtbot, store, [doj_csv])
    plan = dialog.plans[0]
    assert plan.preset == "doj" and plan.refused is None
    assert "DOJ" in dialog.detected_label.text()
    assert "about 400 rows" in dialog.detected_label.text()
    assert not dialog.sheet_panel.isVisible()
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imports_finished, timeout=30000) as blocker:
        dialog.import_button.click()
    summaries = blocker.args[0]
    assert [s.rows for s in summaries] == [400]
    counts = store.table_counts()
    assert counts["imports"] == 1 and counts["source_rows"] == 400
    assert counts["convictions"] == summaries[0].convictions > 0
    assert counts["eval_runs"] == 1  # the evaluation re-ran after the import
    assert dialog.stack.currentIndex() == 1
    assert dialog.summary_table.item(0, 2).text() == "400"
    assert dialog.close_button.isEnabled()
    assert no_popups == []


def test_cancel_during_import_leaves_store_unchanged(qtbot, store, tmp_path, no_popups,
                                                     monkeypatch):
    path = tmp_path / "big.csv"
    _synthetic().write_csv(path, 12000, seed=5)
    before = store.table_counts()
    real = import_dialog.import_plans

    def cancelling(s, plans, *, operator, progress, cancel, **kw):
        def hook(done, total, message):  # the clerk presses Cancel after the first batch
            progress(done, total, message)
            if done > 0:
                cancel.cancel()
        return real(s, plans, operator=operator, progress=hook, cancel=cancel, **kw)

    monkeypatch.setattr(import_dialog, "import_plans", cancelling)
    dialog = _dialog(qtbot, store, [path])
    with qtbot.waitSignal(dialog.import_cancelled, timeout=30000):
        dialog.import_button.click()
    assert store.table_counts() == before
    assert no_popups and no_popups[0][1] == "Import cancelled"
    assert dialog.stack.currentIndex() == 0 and dialog.import_button.isEnabled()


def test_cancel_button_really_stops(qtbot, store, tmp_path, no_popups, monkeypatch):
    """The progress dialog's own Cancel button, pressed while the import is mid-file."""
    path = tmp_path / "big.csv"
    _synthetic().write_csv(path, 12000, seed=6)
    before = store.table_counts()
    reached, clicked = threading.Event(), threading.Event()
    real = import_dialog.import_plans

    def paused(s, plans, *, operator, progress, cancel, **kw):
        def hook(done, total, message):  # hold the worker after its first batch
            progress(done, total, message)
            if done > 0 and not reached.is_set():
                reached.set()
                clicked.wait(10)
        return real(s, plans, operator=operator, progress=hook, cancel=cancel, **kw)

    monkeypatch.setattr(import_dialog, "import_plans", paused)
    monkeypatch.setattr("clerkapp.ui.workers.SHOW_DELAY_MS", 0)
    dialog = _dialog(qtbot, store, [path])
    dialog.import_button.click()
    job = dialog.import_job
    qtbot.waitUntil(lambda: reached.is_set() and job.dialog.isVisible(), timeout=10000)
    with qtbot.waitSignal(dialog.import_cancelled, timeout=30000):
        qtbot.mouseClick(job.cancel_button, Qt.MouseButton.LeftButton)
        assert not job.cancel_button.isEnabled()  # "Cancelling…" while it rolls back
        clicked.set()
    assert store.table_counts() == before


def test_escape_while_importing_cancels_and_keeps_dialog(qtbot, store, tmp_path, no_popups,
                                                        monkeypatch):
    path = tmp_path / "big.csv"
    _synthetic().write_csv(path, 12000, seed=7)
    before = store.table_counts()
    reached, release = threading.Event(), threading.Event()
    real = import_dialog.import_plans

    def paused(s, plans, *, operator, progress, cancel, **kw):
        def hook(done, total, message):
            progress(done, total, message)
            if done > 0 and not reached.is_set():
                reached.set()
                release.wait(10)
        return real(s, plans, operator=operator, progress=hook, cancel=cancel, **kw)

    monkeypatch.setattr(import_dialog, "import_plans", paused)
    # before the progress dialog appears (after that, Escape goes to it and cancels too)
    monkeypatch.setattr("clerkapp.ui.workers.SHOW_DELAY_MS", 60000)
    dialog = _dialog(qtbot, store, [path])
    dialog.import_button.click()
    qtbot.waitUntil(reached.is_set, timeout=10000)
    with qtbot.waitSignal(dialog.import_cancelled, timeout=30000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        release.set()
    assert dialog.isVisible() and store.table_counts() == before


def test_duplicate_file_asks_and_forces(qtbot, store, doj_csv, no_popups, monkeypatch):
    first = _dialog(qtbot, store, [doj_csv])
    with qtbot.waitSignal(first.imported, timeout=30000):
        first.import_button.click()
    qtbot.waitUntil(lambda: first.close_button.isEnabled(), timeout=30000)

    asked = []
    answer = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or answer[0])
    again = _dialog(qtbot, store, [doj_csv])
    again.import_button.click()
    assert asked and "Import again anyway?" in asked[0]
    assert again.import_job is None and store.table_counts()["imports"] == 1

    answer[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(again.imported, timeout=30000):
        again.import_button.click()
    assert store.table_counts()["imports"] == 2
    assert store.conn.execute("SELECT forced FROM imports WHERE id = 2").fetchone()[0] == 1


def test_refused_file_shows_the_reason(qtbot, store, tmp_path, no_popups):
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.4")
    dialog = _dialog(qtbot, store, [bad])
    assert dialog.plans[0].refused
    assert "unsupported file type .pdf" in dialog.detected_label.text()
    assert not dialog.import_button.isEnabled()
    assert "notes.pdf cannot be imported as it is" in dialog.import_button.toolTip()
    dialog.remove_button.click()
    assert dialog.plans == [] and not dialog.import_button.isEnabled()


def test_add_files_through_the_file_dialog(qtbot, store, doj_csv, monkeypatch):
    monkeypatch.setattr(SafeFileDialog, "getOpenFileNames", lambda *a, **k: ([str(doj_csv)], ""))
    dialog = _dialog(qtbot, store, None)
    assert not dialog.import_button.isEnabled()
    dialog.add_button.click()
    dialog.add_button.click()  # the same file twice is listed once
    assert [p.path for p in dialog.plans] == [doj_csv]
    assert dialog.import_button.isEnabled()


HEADERS = ["Case No.", "Defendant", "Birth Date", "Viol Stat Cd", "Level", "Disp Date",
           "County", "Notes"]


def _court_xlsx(path, rows):
    """A court export as counties send them: a title row, a blank row, then the header."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Convictions"
    ws.append(["Superior Court of California, County of Fresno: cannabis convictions"])
    ws.append([])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.create_sheet("Notes").append(["nothing here"])
    wb.save(path)
    return path


ROWS = [
    ["F100201", "SAMPLE,ALPHA", date(1970, 1, 2), "HS 11357(b)", "M", date(2010, 3, 4), "FRESNO", "x"],
    ["F100202", "SAMPLE,BRAVO", date(1971, 2, 3), "11359", "F", date(2012, 5, 6), "FRESNO", ""],
    ["F100203", "SAMPLE,CHARLIE", date(1972, 3, 4), "HS 11360(a)", "F", "not a date", "FRESNO", ""],
]


def test_xlsx_mapping_corrected_imported_and_errors_saved(qtbot, store, tmp_path, no_popups,
                                                          monkeypatch):
    path = _court_xlsx(tmp_path / "court.xlsx", ROWS)
    dialog = _dialog(qtbot, store, [path])
    plan = dialog.plans[0]
    assert plan.is_sheet and plan.preview.header_row == 2
    assert dialog.sheet_panel.isVisible()
    # the detected header row is highlighted in the preview; the title above it is not
    assert dialog.preview_table.item(2, 0).background().color() == HEADER_BACKGROUND
    assert dialog.preview_table.item(2, 0).font().bold()
    assert dialog.preview_table.item(0, 0).background().color() != HEADER_BACKGROUND
    assert dialog.sheet_combo.count() == 2
    # "Viol Stat Cd" is not a known spelling: the charge is missing, import is blocked
    assert "Charge (code section)" in dialog.missing_label.text()
    assert not dialog.import_button.isEnabled()

    table = dialog.mapping_table
    combo = table.combos[HEADERS.index("Viol Stat Cd")]
    combo.setCurrentIndex(combo.findData("code_section"))  # the clerk picks the field
    table.set_field("Level", None)  # and ignores a column detection had mapped
    assert dialog.missing_label.text() == ""
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.imports_finished, timeout=30000) as blocker:
        dialog.import_button.click()
    assert [(s.rows, s.convictions, s.errors) for s in blocker.args[0]] == [(3, 3, 1)]
    got = store.conn.execute(
        "SELECT case_number, code_section, level FROM convictions ORDER BY case_number").fetchall()
    assert [tuple(r) for r in got] == [("F100201", "HS 11357(b)", None),
                                       ("F100202", "HS 11359", None),
                                       ("F100203", "HS 11360(a)", None)]
    saved = store.get_setting(f"mapping.{plan.preview.layout_key}")
    assert saved["Viol Stat Cd"] == "code_section" and "Level" not in saved
    assert store.table_counts()["eval_runs"] == 1

    # the row error is listed and saved as xlsx
    assert dialog.errors_table.rowCount() == 1
    assert [dialog.errors_table.item(0, c).text() for c in range(4)] == [
        "court.xlsx", "6", "Disp Date", "not a date"]
    out = tmp_path / "errors.xlsx"
    monkeypatch.setattr(SafeFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dialog.save_errors_button.click()
    wb = load_workbook(out, read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ("file", "row", "column", "value", "message")
    assert rows[1][:4] == ("court.xlsx", 6, "Disp Date", "not a date")
    assert "not a recognised date" in rows[1][4]


def test_saved_mapping_is_offered_for_the_same_layout(qtbot, store, tmp_path, no_popups):
    first = _dialog(qtbot, store, [_court_xlsx(tmp_path / "a.xlsx", ROWS[:1])])
    first.mapping_table.set_field("Viol Stat Cd", "code_section")
    with qtbot.waitSignal(first.imports_finished, timeout=30000):
        first.import_button.click()

    later = _dialog(qtbot, store, [_court_xlsx(tmp_path / "b.xlsx", ROWS[1:2])])
    plan = later.plans[0]
    assert plan.saved_mapping_used and plan.mapping["Viol Stat Cd"] == "code_section"
    assert "saved for this layout" in later.saved_note.text()
    assert later.import_button.isEnabled()
    later.reset_mapping_button.click()  # back to what detection found
    assert "Viol Stat Cd" not in plan.mapping
    assert not later.import_button.isEnabled()


def test_the_summary_warns_of_convictions_an_earlier_import_holds(qtbot, store, doj_csv,
                                                                  tmp_path, no_popups):
    copy = tmp_path / "doj_extract_again.csv"
    copy.write_bytes(doj_csv.read_bytes() + b"\n")  # other bytes, the same records
    for path, warned in ((doj_csv, False), (copy, True)):
        dialog = _dialog(qtbot, store, [path])
        with qtbot.waitSignal(dialog.imports_finished, timeout=30000):
            dialog.import_button.click()
        assert dialog.repeated_label.isVisible() is warned
    assert "repeat ones an earlier import holds" in dialog.repeated_label.text()


def test_a_court_csv_with_a_quote_left_open_is_refused_before_import(qtbot, store, tmp_path,
                                                                     no_popups):
    header = "Case No,Defendant Name,DOB,Charge,F/M,Disposition,Disp Date"
    rows = ['A1,"DOE, JOHN",01/01/1970,HS 11357,M,CONVICTED,01/01/2005',
            'A2,"ROE, JANE,01/01/1971,HS 11359,F,CONVICTED,01/01/2006',
            'A3,"POE, AL",01/01/1972,HS 11358,F,CONVICTED,01/01/2007']
    bad = tmp_path / "court.csv"
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    dialog = _dialog(qtbot, store, [bad])
    assert dialog.plans[0].refused.startswith(
        "court.csv, row 3, column Defendant Name: a quote (\") opened in this cell is not closed")
    assert "ROE" not in dialog.detected_label.text()
    assert not dialog.import_button.isEnabled()
    good = tmp_path / "notes.csv"  # a cell typed on two lines is real data
    good.write_text("\n".join([header + ",Notes", rows[0] + ',"one\ntwo"']) + "\n",
                    encoding="utf-8")
    assert _dialog(qtbot, store, [good]).plans[0].refused is None
