"""The export a clerk opens in Excel: one row per conviction, the exact columns of
architecture.md, formulas neutralized so a crafted cell cannot run in the clerk's Excel."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch
from clerkapp.integrity import require_intact
from clerkapp.jobs import bulk_gc
from clerkapp.reports.export_cells import (  # noqa: F401 - the export's public names
    EXPORT_COLUMNS,
    export_cells,
    export_columns,
    export_row,
)
from clerkapp.reports.export_csv import FORMULA_FIRST, FORMULA_PREFIXES, write_csv_columns
from clerkapp.reports.export_split import write_export_csv
from clerkapp.reports.export_xlsx import write_export_xlsx


def _is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def export_rows(store, out_path: Path | str, *, status: str | None = None,
                ids: Sequence[int] | None = None) -> int:
    """Write the export to .csv or .xlsx; returns the number of rows written. `ids`: only
    those convictions (what the review window shows), else every one."""
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise BadInput("the export must end in .csv or .xlsx", file=str(out))
    # the decisions exported are the ones the audit log records, or nothing is exported
    require_intact(store, "the export", ids)
    # under a temporary name until recorded: a crash leaves no half-written export under
    # the clerk's chosen name (clerkapp.files.outputs); the chosen name is overwritten, as
    # the save dialog asked
    # (the collector at the bulk pace: millions of cells, no cycles)
    with bulk_gc(), OutputBatch(store, "export", out.parent) as batch:
        staged = batch.stage(out.name, overwrite=True, label="the export")
        try:
            if suffix == ".xlsx":
                count = write_export_xlsx(staged.temp, export_cells(*store.export_tuples(
                    status=status, ids=ids)), EXPORT_COLUMNS, _is_formula_like)
            elif ids is None:  # a county's whole export: in two processes when large
                written = write_export_csv(store, staged.temp, status=status)
                count, staged.sha256, staged.size = written.rows, written.sha256, written.size
            else:
                count = write_csv_columns(staged.temp, EXPORT_COLUMNS, export_columns(
                    *store.export_tuples(status=status, ids=ids)))
        except OSError as exc:
            raise BadInput(f"cannot write the export: {exc.strerror}", file=str(out)) from None
        batch.commit(lambda files: store.audit(
            store.clerk_name(), "export.written", entity="export",
            details={"rows": count, "status": status or "", "sha256": files[0].sha256,
                     "selection": ids is not None}))
    return count


def write_table(path: Path, header: Sequence[str], rows, *, as_csv: bool,
                sheet: str = "Convictions") -> int:
    """Write text rows under `header` as csv or xlsx, formula-like cells as text; returns how
    many rows. Other files a clerk opens in Excel (update files) are written the same way."""
    if as_csv:
        return _write_csv(path, rows, header)
    return _write_xlsx(path, rows, header, sheet)


def _write_csv(path: Path, rows, header: Sequence[str] = EXPORT_COLUMNS) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for cells in rows:
            # csv has no cell types: a leading apostrophe makes Excel show it as text
            writer.writerow([f"'{c}" if c[:1] in FORMULA_FIRST else c for c in cells])
            count += 1
    return count


def _write_xlsx(path: Path, rows, header: Sequence[str] = EXPORT_COLUMNS,
                sheet_name: str = "Convictions") -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(header))
    count = 0
    for cells in rows:
        out = []
        for text in cells:
            if _is_formula_like(text):
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # stored as text, never evaluated as a formula
                out.append(cell)
            else:
                out.append(text)
        sheet.append(out)
        count += 1
    workbook.save(path)
    return count
