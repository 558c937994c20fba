"""Import row errors as an xlsx workbook, so a clerk can fix the source file and re-import.

One row per error: the file, the row number as a spreadsheet shows it, the column, the value as
read and the message. Values are the clerk's own data going back to the clerk's own disk.
"""

from __future__ import annotations

from pathlib import Path

from clerkapp.files.overwrite import refuse_overwriting_import
from clerkapp.reports.audit_export import write_xlsx

ERROR_COLUMNS = ("file", "row", "column", "value", "message")


def export_import_errors(store, import_ids: list[int], out_path: Path | str) -> int:
    """Write the errors of the given imports; returns the number of errors written. Never
    over a file the store imported (`files.overwrite`)."""
    refuse_overwriting_import(store, Path(out_path), "the row errors")
    rows = ([e.file_name, e.row_number, e.column or "", e.value or "", e.message]
            for e in store.import_error_rows(list(import_ids)))
    return write_xlsx(out_path, "Import errors", ERROR_COLUMNS, rows,
                      widths={0: 28, 1: 8, 2: 22, 3: 28, 4: 70})
