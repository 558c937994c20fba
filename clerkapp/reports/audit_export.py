"""The audit log as an xlsx workbook a clerk can hand to an auditor.

Written with openpyxl's write-only mode (constant memory for a million entries) into a `.part`
file renamed at the end, so a cancel or a failure never leaves a half-written workbook.
Every cell that Excel would read as a formula is stored as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.reports.export import FORMULA_PREFIXES
from clerkapp.store.reports import AuditFilter

AUDIT_COLUMNS = (
    "id", "time_utc", "clerk", "action", "case_number", "entity", "entity_id", "details",
    "hash",
)
_BATCH = 2000


def write_xlsx(out_path: Path | str, sheet_name: str, columns: Iterable[str],
               rows: Iterable[list[Any]], *, widths: dict[int, int] | None = None) -> int:
    """Write a one-sheet workbook atomically (via `.part`); returns the data rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    out = Path(out_path)
    if out.suffix.lower() != ".xlsx":
        raise BadInput("the file must end in .xlsx", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    for index, width in (widths or {}).items():
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    try:
        for values in rows:
            sheet.append([_cell(sheet, v) for v in values])
            count += 1
        workbook.save(tmp)
    except BaseException:
        _abandon(sheet)
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return count


def _abandon(sheet: Any) -> None:
    """Close a write-only sheet's row writer now, so it does not complain when collected."""
    try:
        sheet.close()
        sheet._writer.cleanup()  # removes the sheet's temporary file
    except Exception:  # noqa: BLE001 - the workbook is being thrown away
        pass


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # shown as text, never evaluated
        return cell
    return value


def export_audit(store, out_path: Path | str, *, audit_filter: AuditFilter | None = None,
                 progress: Progress = no_progress, cancel: CancelToken | None = None) -> int:
    """Write the (filtered) audit log, newest first; returns the number of entries written."""
    f = audit_filter or AuditFilter()
    total = store.audit_count(f)

    def rows():
        for done, e in enumerate(store.iter_audit(f, batch=_BATCH), start=1):
            yield [e.id, e.at, e.actor, e.action, e.case_number or "", e.entity or "",
                   e.entity_id, e.details, e.hash]
            if done % _BATCH == 0:
                check(cancel)
                progress(done, total, "Writing the audit log")

    count = write_xlsx(out_path, "Audit log", AUDIT_COLUMNS, rows(),
                       widths={0: 8, 1: 26, 2: 16, 3: 18, 4: 16, 7: 60, 8: 20})
    progress(count, total, "Writing the audit log")
    return count
