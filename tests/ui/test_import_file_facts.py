"""The import dialog's "Every row of these files" box, driven like a clerk would, with a
court's own export that has no county column."""

from __future__ import annotations

from clerkapp.ui.dialogs.import_dialog import ImportDialog
from tests.court_export import write_court_export


def _dialog(qtbot, store, path):
    dialog = ImportDialog(store, None, paths=[path])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_county_and_kind_given_in_the_dialog_land_on_the_import(qtbot, store, tmp_path,
                                                                 no_popups):
    dialog = _dialog(qtbot, store, write_court_export(tmp_path / "index.xlsx"))
    box = dialog.facts_box
    assert box.isVisible()
    box.county_combo.setCurrentText("sonoma")
    box.source_combo.setCurrentIndex(box.source_combo.findData("court"))
    with qtbot.waitSignal(dialog.imports_finished, timeout=30000):
        dialog.import_button.click()
    row = store.conn.execute("SELECT county, source_kind FROM imports").fetchone()
    assert tuple(row) == ("Sonoma", "court")
    assert {r[0] for r in store.conn.execute("SELECT county FROM convictions")} == {"Sonoma"}
    headers = [dialog.summary_table.horizontalHeaderItem(c).text()
               for c in range(dialog.summary_table.columnCount())]
    cells = {h: dialog.summary_table.item(0, c).text() for c, h in enumerate(headers)}
    assert cells["Not convictions"] == "3"
    assert cells["Skipped"] == "2 blank rows, 1 repeated header row, 1 footer or total line"
    assert cells["County"] == "Sonoma"
    assert no_popups == []


def test_a_county_outside_california_stops_the_import(qtbot, store, tmp_path, no_popups):
    dialog = _dialog(qtbot, store, write_court_export(tmp_path / "index.xlsx"))
    dialog.facts_box.county_combo.setCurrentText("Washoe")
    dialog.import_button.click()
    assert dialog.facts_box.problem_label.isVisible()
    assert "'Washoe' is not a California county" in dialog.facts_box.problem_label.text()
    assert dialog.import_job is None and dialog.stack.currentIndex() == 0
    assert store.table_counts()["imports"] == 0


def test_the_profiles_county_is_filled_in_for_the_courts_own_records(qtbot, store, tmp_path,
                                                                    no_popups):
    """The box was empty though the court profile names the county, and each conviction of the
    court's own export went to review as "County not recorded"."""
    from tests.ingest.test_import_service import doj_rows, write_doj

    store.set_setting("court.county", "Sonoma")
    dialog = _dialog(qtbot, store, write_court_export(tmp_path / "index.xlsx"))
    box = dialog.facts_box
    assert box.county_combo.currentText() == "Sonoma"
    dialog.add_files([write_doj(tmp_path / "research.csv", doj_rows(5))])
    assert box.county_combo.currentText() == ""  # a DOJ file is statewide
    dialog.file_list.setCurrentRow(1)
    dialog.remove_button.click()
    assert box.county_combo.currentText() == "Sonoma"
    box.county_combo.setCurrentText("Marin")  # what the clerk types stays
    box.source_combo.setCurrentIndex(box.source_combo.findData("doj"))
    assert box.county_combo.currentText() == "Marin"
    box.county_combo.setCurrentText("")
    box.source_combo.setCurrentIndex(box.source_combo.findData("court"))
    assert box.county_combo.currentText() == "Sonoma"
    with qtbot.waitSignal(dialog.imports_finished, timeout=30000):
        dialog.import_button.click()
    assert {r[0] for r in store.conn.execute("SELECT county FROM convictions")} == {"Sonoma"}
    assert no_popups == []
