"""The export a clerk opens in Excel: one row per conviction, the exact columns of
architecture.md, formulas neutralized so a crafted cell cannot run in the clerk's Excel."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch
from clerkapp.integrity import require_intact
from clerkapp.reports.export_xlsx import write_export_xlsx

EXPORT_COLUMNS = (
    "import_file", "source_row", "person_name", "dob", "cii", "case_number", "county",
    "code_section", "attempted", "offense_level", "conviction_date", "outcome", "remedy",
    "reasons", "authority", "review_status", "reviewed_by", "reviewed_at",
    "prosecutor_outcome", "prosecutor_reason",
    # what the clerk decided: the approval's or denial's outcome, and the override's or
    # denial's reason (issue 14), then the related charges (issue 12): appended in the
    # agreed order, so the columns above keep their places
    "decided_outcome", "review_note", "related_charges",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# every prefix is one character: a cell's first character looked up in a set is the same
# test as `startswith`, without a call per cell (an export of a county writes millions)
_FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
assert all(len(p) == 1 for p in FORMULA_PREFIXES)


@lru_cache(maxsize=4096)
def _reason_texts(reasons_json: str) -> str:
    """The reasons' texts joined; cached, since most convictions share one determination's
    reasons (the not-applicable ones of a county and section, a run's common outcomes)."""
    return "; ".join(r["text"] for r in json.loads(reasons_json))


@lru_cache(maxsize=4096)
def _related_charges(reasons_json: str) -> str:
    """The cannabis conviction's related charges (rules/related.py): its reason's list."""
    return next((r["text"].split(": ", 1)[-1] for r in json.loads(reasons_json)
                 if r.get("code") == "related_charges"), "")


def export_row(row: dict[str, Any]) -> list[str]:
    """One store row as the export's cells (text), in EXPORT_COLUMNS order."""
    reasons_json = row.get("reasons_json")
    attempted = ("attempted conspiracy" if row["attempted"] and row["conspiracy"] else "attempt"
                 if row["attempted"] else "conspiracy" if row["conspiracy"] else "")
    values = {
        **row,
        "attempted": attempted,
        "reasons": _reason_texts(reasons_json) if reasons_json else "",
        "authority": row.get("authority") or "",
        "related_charges": _related_charges(reasons_json) if reasons_json else "",
        # in force, as the queue shows it: the clerk's override, else the latest evaluation's
        # (an approval of an earlier evaluation's outcome is not an override)
        "outcome": row.get("override_outcome") or row.get("outcome") or "",
        # a deferral decides nothing; a pending conviction has no decision
        "decided_outcome": (row.get("decided_outcome") or "")
        if row.get("review_status") in ("approved", "denied") else "",
    }
    return ["" if values.get(name) is None else str(values[name]) for name in EXPORT_COLUMNS]


# the export's columns that export_row works out rather than copies from the store's row
_DERIVED = frozenset({"attempted", "reasons", "outcome", "decided_outcome", "related_charges"})
_ATTEMPT_WORDS = {(0, 0): "", (1, 0): "attempt", (0, 1): "conspiracy",
                  (1, 1): "attempted conspiracy"}


def export_cells(names: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 quote_formulas: bool = False) -> Iterator[list[str]]:
    """`export_row` of each store row given as a tuple under `names`, the same cells without
    a dict a row (a county's export is hundreds of thousands of rows). `quote_formulas`:
    a leading apostrophe on formula-like cells, as the csv writes them."""
    at = {name: i for i, name in enumerate(names)}
    place = {name: i for i, name in enumerate(EXPORT_COLUMNS)}
    pick = itemgetter(*[0 if name in _DERIVED else at[name] for name in EXPORT_COLUMNS])
    attempted, conspiracy, reasons_json, override, outcome, status, decided = (
        at[name] for name in ("attempted", "conspiracy", "reasons_json", "override_outcome",
                              "outcome", "review_status", "decided_outcome"))
    p_attempted, p_reasons, p_outcome, p_decided, p_related = (
        place[name] for name in ("attempted", "reasons", "outcome", "decided_outcome",
                                 "related_charges"))
    first = _FORMULA_FIRST
    for row in rows:
        cells = ["" if v is None else v if v.__class__ is str else str(v) for v in pick(row)]
        cells[p_attempted] = _ATTEMPT_WORDS[(bool(row[attempted]), bool(row[conspiracy]))]
        reasons = row[reasons_json]
        cells[p_reasons] = _reason_texts(reasons) if reasons else ""
        cells[p_related] = _related_charges(reasons) if reasons else ""
        cells[p_outcome] = row[override] or row[outcome] or ""
        cells[p_decided] = ((row[decided] or "") if row[status] in ("approved", "denied")
                            else "")
        if quote_formulas:
            cells = [f"'{c}" if c[:1] in first else c for c in cells]
        yield cells


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
    names, tuples = store.export_tuples(status=status, ids=ids)
    rows = export_cells(names, tuples, quote_formulas=suffix == ".csv")
    # under a temporary name until recorded: a crash leaves no half-written export under
    # the clerk's chosen name (clerkapp.files.outputs); the chosen name is overwritten, as
    # the save dialog asked
    with OutputBatch(store, "export", out.parent) as batch:
        staged = batch.stage(out.name, overwrite=True, label="the export")
        try:
            count = (_write_csv(staged.temp, rows, quoted=True) if suffix == ".csv"
                     else write_export_xlsx(staged.temp, rows, EXPORT_COLUMNS,
                                            _is_formula_like))
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


def _write_csv(path: Path, rows, header: Sequence[str] = EXPORT_COLUMNS, *,
               quoted: bool = False) -> int:
    """`quoted`: the rows' formula-like cells already carry their apostrophe."""
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        if quoted:
            for cells in rows:
                writer.writerow(cells)
                count += 1
            return count
        for cells in rows:
            # csv has no cell types: a leading apostrophe makes Excel show it as text
            writer.writerow([f"'{c}" if c[:1] in _FORMULA_FIRST else c for c in cells])
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
