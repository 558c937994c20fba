"""Court and prosecutor spreadsheets (xlsx, csv) of any layout, read into records.

`open_sheet` finds the sheet and its header row (title rows above it are common), maps the
headers to fields and refuses, with one message, a layout whose required fields cannot be
found. `SheetFile.batches()` then streams the rows: each one kept as read, one conviction per
row, and every problem in a row recorded as a `RowError` without dropping the row.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from clerkapp.domain.charges import parse_charge
from clerkapp.domain.dates import parse_record_date
from clerkapp.domain.records import (
    ConvictionRecord,
    ParsedBatch,
    PersonEvent,
    PersonRecord,
    RowError,
)
from clerkapp.errors import BadInput, UnknownLayout
from clerkapp.ingest import readers
from clerkapp.ingest.court_steps import SheetSteps
from clerkapp.ingest.csv_records import SpannedRow, check_spanned
from clerkapp.ingest.mapping import (
    FIELDS,
    REQUIRED_FIELDS,
    arrest_header,
    display_name,
    find_header_row,
    layout_key,
    mailing_address,
    missing_fields,
    name_key,
    normalize_level,
    resolve_mapping,
    sentence_parts,
    split_case_numbers,
    unique_headers,
)
from clerkapp.ingest.row_kinds import SKIP_BLANK, SKIP_FOOTER, SKIP_HEADER, row_kinds

__all__ = [
    "FIELDS", "REQUIRED_FIELDS", "SheetFile", "SheetPreview", "missing_fields", "open_sheet",
    "preview_sheet",
]

HEADER_SEARCH_ROWS = 30
# importer flags for a conviction whose record lacks what an order must name (rules/flags.py)
FLAG_NO_NAME = "no_name"
FLAG_NO_CASE_NUMBER = "no_case_number"  # the header row is looked for among this many rows at the top


@dataclass
class SheetPreview:
    """What the mapping dialog shows before an import."""

    sheets: list[str]  # the workbook's sheets; [] for a csv
    sheet: str | None
    header_row: int  # 0-based index in `rows`
    headers: list[str]
    rows: list[list[str]]  # title rows, the header row, then up to `rows` data rows, as text
    mapping: dict[str, str]  # header -> field, as detected
    missing: list[str]  # required fields not mapped
    layout_key: str


@dataclass
class _Layout:
    sheets: list[str]
    sheet: str | None
    header_index: int  # 0-based row index of the header in the sheet
    recognized: bool  # False: no row looked like a header; row 1 stands in
    headers: list[str]
    texts: list[list[str]]  # the head rows as text, padded to the header width
    total_rows: int | None
    spanned: list[tuple[int, SpannedRow]] = field(default_factory=list)  # csv rows over a line
    # break below the header, with their row numbers


def _texts(rows: list[list[readers.CellValue]]) -> list[list[str]]:
    return [[readers.cell_text(c) for c in row] for row in rows]


def _width(texts: list[list[str]]) -> int:
    width = 0
    for row in texts:
        for i in range(len(row) - 1, width - 1, -1):
            if row[i].strip():
                width = i + 1
                break
    return width


def _layout(path: Path, sheet: str | None, head_rows: int) -> _Layout:
    names = readers.sheet_names(path)
    if readers.is_workbook(path) and not names:
        raise BadInput("has no sheets", file=path.name)
    heads = readers.read_heads(path, head_rows, [sheet] if sheet is not None else None)
    chosen, index = heads[0], None
    for head in heads:
        index = find_header_row(_texts(head.rows[:HEADER_SEARCH_ROWS]))
        if index is not None:
            chosen = head
            break
    texts = _texts(chosen.rows)
    recognized = index is not None
    if index is None:
        index = next((i for i, row in enumerate(texts) if any(c.strip() for c in row)), None)
        if index is None:
            where = f"sheet {chosen.sheet!r}" if chosen.sheet else "the file"
            raise BadInput(f"{where} has no rows", file=path.name)
    # a csv row over a line break does not widen the sheet: a quote left open in it would
    # give the header the columns of the line it swallowed (`csv_records`)
    width = _width(texts[index:index + 1] + [
        t for t, raw in zip(texts[index + 1:], chosen.rows[index + 1:], strict=True)
        if type(raw) is not SpannedRow])
    texts = [(row + [""] * width)[:width] for row in texts]
    headers = unique_headers(texts[index], width, chosen.first_column)
    spanned = [(n, raw) for n, raw in enumerate(chosen.rows[index + 1:], start=index + 2)
               if type(raw) is SpannedRow]
    return _Layout(names, chosen.sheet, index, recognized, headers, texts, chosen.total_rows,
                   spanned)


def preview_sheet(path: str | Path, *, sheet: str | None = None, rows: int = 20) -> SheetPreview:
    """The first rows of a sheet with its detected header row and mapping (never raises for a
    missing field: the dialog lets the clerk map it)."""
    path = Path(path)
    lay = _layout(path, sheet, HEADER_SEARCH_ROWS + rows)
    for number, raw in lay.spanned:  # a quote left open in the rows shown: refused up front
        fields = len(raw)
        while fields > len(lay.headers) and not raw[fields - 1].strip():
            fields -= 1
        check_spanned(raw, fields, lay.headers, lay.header_index + 1, file=path.name,
                      row_number=number)
    mapping = resolve_mapping(lay.headers, None)
    return SheetPreview(
        sheets=lay.sheets, sheet=lay.sheet, header_row=lay.header_index, headers=lay.headers,
        rows=lay.texts[: lay.header_index + 1 + rows], mapping=mapping,
        missing=missing_fields(mapping), layout_key=layout_key(lay.headers),
    )


@dataclass
class SheetFile:
    """An opened spreadsheet (`clerkapp.ingest.base.ParsedFile`)."""

    path: Path
    sheet: str | None
    headers: list[str]
    mapping: dict[str, str]
    header_index: int  # 0-based: the header is spreadsheet row `header_index + 1`
    total_rows: int | None
    preset: str = "generic"
    layout_key: str = field(default="")

    def batches(self, batch_size: int = 5000) -> Iterator[ParsedBatch]:
        """Stream the data rows below the header in batches of about `batch_size` rows."""
        builder = RowBuilder(self.headers, self.mapping)
        header_norm = [h.strip().lower() for h in self.headers]
        width = len(self.headers)
        cell_text = readers.cell_text
        kinds = row_kinds()
        charge_col = builder.col.get("code_section")
        batch = ParsedBatch()
        blanks = 0  # blank rows since the last row with text: counted once text follows them
        for number, cells in enumerate(readers.iter_rows(self.path, self.sheet), start=1):
            if number <= self.header_index + 1:
                continue
            if readers.is_blank(cells):
                blanks += 1
                continue
            if blanks:
                _skip(batch, SKIP_BLANK, blanks)
                blanks = 0
            texts = [cell_text(c) for c in cells]
            while len(texts) > width and not texts[-1].strip():
                texts.pop()
            if type(cells) is SpannedRow:  # a csv row over a line break: all its columns?
                check_spanned(cells, len(texts), self.headers, self.header_index + 1,
                              file=self.path.name, row_number=number)
            if texts[0].strip().lower() == header_norm[0] and [
                    t.strip().lower() for t in texts[:width]] == header_norm:
                _skip(batch, SKIP_HEADER)  # report exports print the header on every page
                continue
            texts += [""] * (width - len(texts))
            if (charge_col is None or not texts[charge_col].strip()) and kinds.is_footer(texts):
                _skip(batch, SKIP_FOOTER)  # "Total records: 41"
                continue
            batch.rows.append((number, texts))
            builder.add(number, cells, texts, batch)
            if len(batch.rows) >= batch_size:
                yield batch
                batch = ParsedBatch()
        if batch.rows or batch.skipped:
            yield batch


def _skip(batch: ParsedBatch, reason: str, n: int = 1) -> None:
    batch.skipped[reason] = batch.skipped.get(reason, 0) + n


def open_sheet(path: str | Path, *, mapping: Mapping[str, str] | None = None,
               sheet: str | None = None) -> SheetFile:
    """Open a spreadsheet for import; UnknownLayout when a required field has no column."""
    path = Path(path)
    lay = _layout(path, sheet, HEADER_SEARCH_ROWS)
    resolved = resolve_mapping(lay.headers, mapping, file=path.name,
                               show_headers=lay.recognized)
    missing = missing_fields(resolved)
    if missing:
        if lay.recognized:
            found = f"headers found (row {lay.header_index + 1}): {', '.join(lay.headers)}"
        else:
            found = (f"no header row found in the first {HEADER_SEARCH_ROWS} rows (none names "
                     "two known columns such as Case Number, Charge, Conviction Date)")
        where = f"sheet {lay.sheet!r}: " if lay.sheet else ""
        raise UnknownLayout(
            f"{where}no column for {', '.join(missing)}; {found}. "
            'Map them with --map "Header=field" (fields: ' + ", ".join(FIELDS) + ")",
            file=path.name,
        )
    total = None if lay.total_rows is None else max(lay.total_rows - lay.header_index - 1, 0)
    return SheetFile(path, lay.sheet, lay.headers, resolved, lay.header_index, total,
                     layout_key=layout_key(lay.headers))


class RowBuilder:
    """Turns one row's cells into a person and a conviction, noting every problem as it goes."""

    def __init__(self, headers: list[str], mapping: Mapping[str, str]) -> None:
        self.headers = headers
        self.col = {f: headers.index(h) for h, f in mapping.items()}
        self.offense_source: str | None = None
        if "offense_date" in self.col:
            arrest = arrest_header(headers[self.col["offense_date"]])
            self.offense_source = "arrest date" if arrest else "offense date"
        self.seen_people: set[str] = set()
        self.steps = SheetSteps()  # one conviction per count: later steps become history

    def _date(self, n: int, cells: list[readers.CellValue], f: str,
              errors: list[RowError], label: str, required: bool = False,
              personal: bool = False) -> str | None:
        """A date cell read; a value that does not read is a row error naming the cell's
        value, except a `personal` one (a date of birth), kept out of the error as the DOJ
        importer keeps it out: it stays in the source row."""
        i = self.col[f]
        raw = cells[i] if i < len(cells) else None
        if raw is None or isinstance(raw, str):
            value, problem = _text_date((raw or "").strip())
        else:
            try:
                value, problem = parse_record_date(raw), None
            except ValueError as exc:
                value, problem = None, str(exc)
        if problem is not None and personal:
            errors.append(RowError(n, self.headers[i], None,
                                   f"{label}: {problem} (value withheld: personal data)"))
        elif problem is not None:
            errors.append(RowError(n, self.headers[i], readers.cell_text(raw), f"{label}: {problem}"))
        elif value is None and required:
            errors.append(RowError(n, self.headers[i], "", f"{label} is empty"))
        return value

    def _error(self, errors: list[RowError], n: int, f: str, value: str, message: str) -> None:
        header = self.headers[self.col[f]] if f in self.col else None
        errors.append(RowError(n, header, value, message))

    def add(self, n: int, cells: list[readers.CellValue], texts: list[str],
            batch: ParsedBatch) -> None:
        """Build the records of spreadsheet row `n` (`texts`: its cells as text, header-wide)."""
        errors = batch.errors
        get = {f: texts[i].strip() for f, i in self.col.items()}.get
        dob = (self._date(n, cells, "dob", errors, "date of birth", personal=True)
               if "dob" in self.col else None)
        cii = (get("cii") or "").replace(" ", "").replace("-", "").upper() or None
        name = display_name(get("name"), get("last_name"), get("first_name"))
        if cii:
            key = f"cii:{cii}"
        elif name:
            key = f"name:{name_key(get('name'), get('last_name'), get('first_name'))}|{dob or ''}"
        else:
            key = f"row:{n}"
            self._error(errors, n, "last_name" if "last_name" in self.col else "name", "",
                        "name is empty")
        if key not in self.seen_people:
            self.seen_people.add(key)
            batch.people.append(PersonRecord(
                key=key, name=name, dob=dob, cii=cii, gender=get("gender") or None,
                race=get("race") or None,
                address=mailing_address(get("address"), get("city"), get("state"), get("zip"))))

        disposition = get("disposition", "")
        ended = row_kinds().not_conviction_label(disposition) if disposition else None
        if ended is not None:  # dismissed, acquitted...: the person's history, not a conviction
            self._history(n, cells, get, key, disposition, batch)
            return
        conviction = ConvictionRecord(person_key=key, source_rows=[n])
        if not name:
            conviction.flags.append(FLAG_NO_NAME)
        cases = split_case_numbers(get("case_number", ""))
        if not cases:
            self._error(errors, n, "case_number", "", "case number is empty")
            conviction.flags.append(FLAG_NO_CASE_NUMBER)
        conviction.case_numbers = cases
        conviction.county = get("county") or None
        conviction.court = get("court") or None
        conviction.count_key = get("count") or None  # the case's own count number, if given
        charge = get("code_section", "")
        conviction.raw_offense = charge or None
        if not charge:
            self._error(errors, n, "code_section", "", "charge is empty")
        else:
            conviction.section = parse_charge(charge)
            if conviction.section is None:
                self._error(errors, n, "code_section", charge,
                            "code section not recognized (expected e.g. HS 11357(c))")
        level_text = get("level", "")
        if level_text:
            conviction.level = normalize_level(level_text)
            if conviction.level is None:
                self._error(errors, n, "level", level_text,
                            "level not recognized (expected F, M or I: felony, misdemeanor, "
                            "infraction)")
        conviction.disposition = disposition or None
        conviction.conviction_date = self._date(n, cells, "conviction_date", errors,
                                                "conviction date", required=True)
        if "offense_date" in self.col:
            conviction.offense_date = self._date(n, cells, "offense_date", errors,
                                                 self.offense_source or "offense date")
            if conviction.offense_date:
                conviction.offense_date_source = self.offense_source
        sentence = get("sentence", "")
        if sentence:
            conviction.sentence_text = sentence
            _sentence(conviction, sentence)
        if not self.steps.absorb(conviction, batch.events):
            batch.convictions.append(conviction)

    def _history(self, n: int, cells: list[readers.CellValue], get, key: str,
                 disposition: str, batch: ParsedBatch) -> None:
        """A count that ended without a conviction: kept as the person's history."""
        charge = get("code_section", "")
        when = None
        if "conviction_date" in self.col:
            when = self._date(n, cells, "conviction_date", batch.errors, "disposition date")
        batch.events.append(PersonEvent(
            person_key=key, kind="dismissed", source_row=n, event_date=when,
            section=parse_charge(charge) if charge else None,
            text=f"{disposition}: {charge}" if charge else disposition,
            county=get("county") or None))


@lru_cache(maxsize=65536)
def _text_date(text: str) -> tuple[str | None, str | None]:
    """(ISO date, problem) for a text cell; cached because a sheet repeats its dates."""
    try:
        return parse_record_date(text), None
    except ValueError as exc:
        return None, str(exc)


def _sentence(conviction: ConvictionRecord, text: str) -> None:
    """Sentence length and end from the text, calendar-wise from a full conviction date."""
    parts = sentence_parts(text)
    if parts is None:
        return
    years, months, days = parts
    start = conviction.conviction_date
    if not start or len(start) != 10:
        conviction.sentence_days = years * 365 + months * 30 + days
        return
    begin = date.fromisoformat(start)
    end = _add_calendar(begin, years, months, days)
    conviction.sentence_days = (end - begin).days
    conviction.sentence_end = end.isoformat()


def _add_calendar(start: date, years: int, months: int, days: int) -> date:
    total = start.month - 1 + months + 12 * years
    year = min(start.year + total // 12, 9998)
    month = total % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=days)
