"""File ▸ Imports… tells each import's row errors and saves them as Excel: the import dialog
shows them once, right after the import, and nothing in the window showed them again."""

from __future__ import annotations

from openpyxl import load_workbook

from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.ui.dialogs.imports_dialog import ImportsDialog
from tests.court_export import write_court_export


def test_an_imports_row_errors_are_counted_and_saved(qtbot, store, tmp_path):
    [summary] = import_files(store, [write_court_export(tmp_path / "index.xlsx")],
                             facts=checked_facts(county="Sonoma"), operator="ana")
    assert summary.errors == 2
    dialog = ImportsDialog(store)
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text()
               for c in range(dialog.table.columnCount())]
    assert dialog.table.item(0, headers.index("Row errors")).text() == "2"
    assert dialog.errors_button.isEnabled()
    dialog.save_errors_to(summary.import_id, tmp_path / "errors.xlsx")
    rows = list(load_workbook(tmp_path / "errors.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:3] == ("file", "row", "column") and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {"index.xlsx"}
    assert "errors.xlsx" in dialog.note.text()
