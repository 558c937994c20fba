"""Low-level cell reading for spreadsheets: xlsx through python-calamine, csv through the csv
module. Rows come back from spreadsheet row 1 (leading blank rows included), so a row's
position is the row number a clerk sees in Excel; everything above this layer is format-blind.

xlsx: calamine reads formula cells as their cached values and real dates as date objects.
A range merged down one column shows one value over several rows, so that value is repeated
into each of them (a case number merged down over two counts belongs to both); ranges across
columns (title banners) are left as read.
csv: utf-8 (with or without BOM) when the whole file decodes as utf-8, else cp1252 (what Excel
on Windows writes); the delimiter is sniffed from the start (comma, semicolon, tab, pipe).
A row that runs over a line break comes back as a `SpannedRow` (its lines), so the sheet
reader can tell a quote left open from a cell typed on two lines (`csv_records`).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from clerkapp.errors import BadInput
from clerkapp.ingest.csv_records import SpannedRow
from clerkapp.ingest.textfile import detect_encoding

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}

CellValue = Any  # str | float | int | bool | date | datetime | time | timedelta | None


def is_workbook(path: Path) -> bool:
    return Path(path).suffix.lower() in WORKBOOK_SUFFIXES


def cell_text(value: CellValue) -> str:
    """A cell as text, the way a clerk reads it: `32613` not `32613.0`, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def is_blank(cells: list[CellValue]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass
class Head:
    """The first rows of one sheet (or of a csv), for header detection and the preview."""

    sheet: str | None  # None for csv
    rows: list[list[CellValue]]  # from spreadsheet row 1
    first_column: int  # 0-based column of the first cell in each row (calamine trims left)
    total_rows: int | None  # rows in the sheet counted from row 1; None when unknown


# --- xlsx ------------------------------------------------------------------------------------


def workbook_problem(exc: Exception) -> str:
    """What is wrong with a workbook calamine refused, in words a clerk can act on (the
    library's error type names mean nothing to a clerk)."""
    kind = type(exc).__name__.lower()
    if "password" in kind:
        return "is password-protected: save it without a password in Excel and import it again"
    return ("is damaged or is not an Excel .xlsx workbook (another kind of file renamed .xlsx?); "
            "open it in Excel and save it as .xlsx or .csv")


def _workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # corrupt zip, password, not a workbook: calamine's own types
        raise BadInput(workbook_problem(exc), file=Path(path).name) from None


def _sheet(path: Path, workbook: Any, name: str | None) -> Any:
    names = list(workbook.sheet_names)
    if not names:
        raise BadInput("has no sheets", file=Path(path).name)
    if name is None:
        name = names[0]
    if name not in names:
        raise BadInput(f"no sheet named {name!r}; sheets: {', '.join(names)}",
                       file=Path(path).name)
    try:
        return workbook.get_sheet_by_name(name)
    except Exception as exc:
        raise BadInput(f"sheet {name!r} cannot be read: the workbook {workbook_problem(exc)}",
                       file=Path(path).name) from None


def _merge_children(ranges: list[Any]) -> dict[tuple[int, int], tuple[int, int]]:
    """Cell -> the top-left cell of its merged range (the one holding the value)."""
    children: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in ranges:
        if c0 != c1 or r1 - r0 > 100_000:
            continue  # a banner across columns (a title) or a runaway merge: left as read
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    children[(r, c)] = (r0, c0)
    return children


def _sheet_rows(sheet: Any) -> Iterator[list[CellValue]]:
    merges = _merge_children(sheet.merged_cell_ranges or [])
    col0 = sheet.start[1] if sheet.start else 0
    anchor_cells = set(merges.values())
    anchors: dict[tuple[int, int], CellValue] = {}
    for index, values in enumerate(sheet.iter_rows()):
        values = list(values)
        if merges:
            for c, v in enumerate(values):
                key = (index, c + col0)
                if key in anchor_cells:
                    anchors[key] = v
                elif key in merges:
                    values[c] = anchors.get(merges[key], v)
        yield values


def _sheet_total(sheet: Any) -> int:
    return sheet.end[0] + 1 if sheet.end else 0


# --- csv -------------------------------------------------------------------------------------


def _utf8_ok(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with Path(path).open("rb") as handle:
        try:
            for block in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _count_lines(path: Path) -> int:
    count, last = 0, b""
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
            last = block
    return count + (1 if last and not last.endswith(b"\n") else 0)


_CSV_FORMAT: dict[Path, tuple[str, Any]] = {}
_LINE_ENDS = ("\n", "\r")


def _csv_format(path: Path) -> tuple[str, Any]:
    """(encoding, dialect) of a csv file; decided once per path and kept."""
    key = Path(path).resolve()
    found = _CSV_FORMAT.get(key)
    if found is None:
        with Path(path).open("rb") as raw:
            head = raw.read(64 * 1024)
        encoding = detect_encoding(head)  # byte-order marks, UTF-16, UTF-8, else cp1252
        if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8) and not _utf8_ok(path):
            encoding = "cp1252"  # UTF-8 at the start, Windows-1252 further on
        with Path(path).open(encoding=encoding, errors="replace", newline="") as handle:
            sample = handle.read(64 * 1024)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        found = (encoding, dialect)
        if len(_CSV_FORMAT) > 64:
            _CSV_FORMAT.clear()
        _CSV_FORMAT[key] = found
    return found


def _csv_rows(path: Path) -> Iterator[list[CellValue]]:
    encoding, dialect = _csv_format(path)
    # cp1252 leaves five bytes undefined; "replace" keeps the row instead of failing on one.
    with Path(path).open(encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, dialect)
        number = 0
        line = 0  # the file's line the last row ended on
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise BadInput(f"not readable as csv: {exc}", file=Path(path).name,
                               row=number + 1) from None
            number += 1
            # a quoted line break (real, or a quote left open), or the file's last line break
            # inside a quote that is never closed
            if reader.line_num - line > 1 or (values and values[-1][-1:] in _LINE_ENDS):
                values = SpannedRow(values, line + 1, reader.line_num)
            line = reader.line_num
            yield values


# --- the interface the sheet importer uses ---------------------------------------------------


def sheet_names(path: Path) -> list[str]:
    """The workbook's sheet names; [] for a csv."""
    if not is_workbook(path):
        return []
    return list(_workbook(path).sheet_names)


def read_heads(path: Path, rows: int, sheets: list[str] | None = None) -> list[Head]:
    """The first `rows` rows of each named sheet (every sheet when None); one Head for a csv."""
    path = Path(path)
    if not is_workbook(path):
        head = []
        for values in _csv_rows(path):
            head.append(values)
            if len(head) >= rows:
                break
        return [Head(None, head, 0, _count_lines(path))]
    workbook = _workbook(path)
    heads = []
    for name in sheets if sheets is not None else list(workbook.sheet_names) or [None]:
        sheet = _sheet(path, workbook, name)
        head = []
        for values in _sheet_rows(sheet):
            head.append(values)
            if len(head) >= rows:
                break
        first = sheet.start[1] if sheet.start else 0
        heads.append(Head(sheet.name, head, first, _sheet_total(sheet)))
    return heads


def iter_rows(path: Path, sheet: str | None = None) -> Iterator[list[CellValue]]:
    """Every row of a sheet (the first when None) or csv, from spreadsheet row 1."""
    path = Path(path)
    if not is_workbook(path):
        yield from _csv_rows(path)
        return
    yield from _sheet_rows(_sheet(path, _workbook(path), sheet))
