"""The DOJ research file (HS 11361.9) and BEAR result files: detection and streaming reads.

A research file is comma-separated text with exactly 95 fields per row, header optional
(`RECORD_ID` first), sometimes with a trailing comma after the last header. A BEAR result file
(`All_Results.csv`, `Prop64_Results.csv`) is the same 95 fields plus BEAR's result columns;
it always has a header. A row of the wrong width means the file was damaged (often by a re-save
in Excel), so the whole import is refused with the row named: guessing which column shifted
would put values under the wrong names.

The file is read once, row by row, in constant memory. Batches end where the SUBJECT_ID
changes, so one person's rows (contiguous in the file) are built together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import compress, islice
from operator import itemgetter, ne
from pathlib import Path

from clerkapp.domain.records import ParsedBatch
from clerkapp.errors import BadInput
from clerkapp.ingest.doj_columns import SUBJECT_ID
from clerkapp.ingest.doj_fields import BEAR_DETERMINATION, BEAR_REASON, FIELDS, N_FIELDS
from clerkapp.ingest.doj_records import RecordBuilder
from clerkapp.ingest.readers import workbook_problem
from clerkapp.ingest.textfile import detect_delimiter, detect_encoding, first_line, is_utf16

__all__ = ["DojFile", "looks_like_doj", "open_doj"]

SNIFF_BYTES = 1 << 16
XLSX = "xlsx"  # DojFile.encoding of a research file someone saved as a workbook
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
CHUNK_ROWS = 256  # rows read and grouped at a time (DojFile.batches): a chunk stays in the
# processor's cache while it is checked and grouped (2000 cost 4% more CPU)
csv.field_size_limit(1 << 20)
_row_of = itemgetter(1)
_NOT_PLAIN = bytes(b for b in range(32) if b not in b"\r\n") + b"\\"
_NOT_PLAIN_BYTES = tuple(bytes([b]) for b in _NOT_PLAIN)
_subject_id = itemgetter(SUBJECT_ID)
Row = tuple[int, list[str]]  # (row number, cells)


def _sniff(path: Path) -> tuple[str, bytes]:
    """The text encoding of the file and its first bytes; BadInput for empty or binary files.

    A byte-order mark, UTF-16 without one, UTF-8, else Windows-1252 (names with accents from
    older systems): `clerkapp.ingest.textfile.detect_encoding`. NUL bytes outside UTF-16 are
    a damaged file: refused, naming the row.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as e:
        raise BadInput(f"cannot be read ({e.strerror or e})", file=str(path)) from None
    if not head.strip(b"\x00\r\n\t \xff\xfe"):
        raise BadInput("the file is empty", file=str(path))
    encoding = detect_encoding(head)
    if not is_utf16(encoding) and b"\x00" in head:
        raise BadInput("holds NUL bytes (a damaged file, or not a text file); nothing was"
                       " imported", file=str(path), row=head.count(b"\n", 0, head.find(b"\x00")) + 1)
    if encoding == "cp1252":
        text = head.decode("cp1252", errors="replace")
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t")
        if controls:
            raise BadInput("is not a text file (it holds control characters)", file=str(path))
    return (encoding, head)


def _first_record(head: bytes, encoding: str) -> list[str]:
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = detect_delimiter(text.split("\n", 1)[0])
    try:
        return next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    except csv.Error:
        return []


def looks_like_doj(path: Path | str) -> bool:
    """True for a DOJ research or BEAR result file: a header starting `RECORD_ID`, or a first
    line of exactly 95 comma-separated fields. Never raises: an unreadable file is not DOJ."""
    path = Path(path)
    try:
        if path.suffix.lower() in XLSX_SUFFIXES:
            first = _xlsx_open(path)[1]
        else:
            encoding, head = _sniff(path)
            first = _first_record(head, encoding)
    except BadInput:
        return False
    return _doj_first_row(first)


def _doj_first_row(first: list[str]) -> bool:
    if not first:
        return False
    if first[0].strip().lstrip("\ufeff").upper() == "RECORD_ID":
        return True
    return len(first) == N_FIELDS


def open_if_doj(path: Path | str, *, scan: bool = True) -> DojFile | None:
    """`open_doj(path)` for a DOJ or BEAR file, else None (a court's own sheet). A file that
    looks like a DOJ file (its header, 95 fields, or a headerless record of nearly 95) and that
    the DOJ reader refuses is refused: it never falls through to the generic reader, which
    would read an arrest or a dismissal as a conviction. A workbook is loaded once for both
    (python-calamine reads a whole sheet even for its first row)."""
    path = Path(path)
    if path.suffix.lower() not in XLSX_SUFFIXES:
        encoding, head = _sniff(path)  # a binary or damaged file is refused here
        first = _first_record(head, encoding)
        return (open_doj(path, scan=scan) if _doj_first_row(first) or _doj_shaped(first)
                else None)
    try:
        loaded = _xlsx_open(path)
    except BadInput:
        return None
    return open_doj(path, _loaded=loaded) if _doj_first_row(loaded[1]) else None


def _doj_shaped(first: list[str]) -> bool:
    """A headerless record a field or a few short of or over the DOJ's 95, starting with a
    record id: a damaged DOJ file, which open_doj refuses naming the count."""
    record_id = first[0].strip()
    return abs(len(first) - N_FIELDS) <= 5 and (record_id.isdigit() or not record_id)


@dataclass
class DojFile:
    """An opened DOJ or BEAR file (`clerkapp.ingest.base.ParsedFile`)."""

    path: Path
    preset: str
    headers: list[str]
    has_header: bool
    encoding: str
    total_rows: int | None
    bear_columns: tuple[int | None, int | None] | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    _sheet: object = field(default=None, repr=False)  # a workbook's sheet, loaded by open_doj
    delimiter: str = ","  # tab for a tab-separated file (Excel's "Unicode text")
    plain: bool = False  # no control byte but line breaks, no backslash (`_scan`)

    def batches(self, batch_size: int = 5000, *,
                chunks: Iterator[tuple[list[Row], bool]] | None = None,
                builder: RecordBuilder | None = None) -> Iterator[ParsedBatch]:
        """Parsed batches of at least `batch_size` rows (except the last), ending between people.

        Rows are handled a chunk at a time, with the people's boundaries found by comparing
        each SUBJECT_ID with the one before in C-level passes: a Python step per row costs as
        much as parsing it. The records are built one person at a time, in file order.
        `chunks`: the rows to read instead of the whole file's (`_item_chunks`), such as one
        byte range of it (`clerkapp.ingest.doj_ranges`); `builder`: one that read other rows
        of the file before (what it learnt of the file's texts holds for these too)."""
        builder = builder or RecordBuilder(self.bear_columns)
        add_person = builder.add_person
        batch = ParsedBatch()
        person: list[Row] = []
        subject: str | None = None
        plain = True  # every row so far is plain text (`_record_chunks`)
        for items, chunk_plain in self._item_chunks() if chunks is None else chunks:
            builder.check_chunk(items)
            plain = batch.plain = plain and chunk_plain
            sids = list(map(_subject_id, map(_row_of, items)))
            m = len(items)
            cuts = list(compress(range(1, m), map(ne, islice(sids, 1, None), sids)))
            cuts.append(m)
            start = 0
            if sids[0] == subject:  # the person of the chunk before goes on
                person.extend(items[:cuts[0]])
                start = cuts.pop(0)
            for end in cuts:
                if person:
                    add_person(person, batch)
                    batch.row_person_keys.extend([batch.people[-1].key] * len(person))
                    batch.rows.extend(person)
                    if len(batch.rows) >= batch_size:
                        yield batch
                        batch = ParsedBatch(plain=plain)
                person = items[start:end]
                start = end
            subject = sids[-1]
        if person:
            add_person(person, batch)
            batch.row_person_keys.extend([batch.people[-1].key] * len(person))
            batch.rows.extend(person)
        if batch.rows:
            yield batch

    def _item_chunks(self, records: Iterator[tuple[list[list[str]], bool]] | None = None,
                     n: int | None = None) -> Iterator[tuple[list[Row], bool]]:
        """The data rows as (row number, cells), a chunk at a time, and whether the chunk is
        plain text; a row of the wrong width is skipped when blank, else refused (`_fit`).
        `records` and `n`: other records than the file's (`_record_chunks`), the first of
        them numbered n + 1."""
        width = len(self.headers)
        name = str(self.path)
        lenient = self.encoding == XLSX  # spreadsheets pad rows with empty cells
        if n is None:
            n = 1 if self.has_header else 0
        for rows, plain in self._record_chunks() if records is None else records:
            if all(map(width.__eq__, map(len, rows))):
                yield list(zip(range(n + 1, n + len(rows) + 1), rows, strict=True)), plain
                n += len(rows)
                continue
            items = []
            for row in rows:
                n += 1
                if len(row) != width:
                    row = _fit(row, width, name, n, lenient)
                    if row is None:
                        continue
                items.append((n, row))
            if items:
                yield items, plain

    def _record_chunks(self) -> Iterator[tuple[list[list[str]], bool]]:
        """The data records (after the header) as lists of text, CHUNK_ROWS at a time, and
        whether the chunk is plain text: the file's bytes are (`_scan`) and each record is one
        line, so no cell holds a line break. A record that cannot be read ends the chunk: the
        records before it are handed on first, so a damaged row earlier in the chunk is the one
        named, as it would be row by row."""
        name = str(self.path)
        if self.encoding == XLSX:
            records = _xlsx_records(self._sheet or _xlsx_sheet(self.path))
            self._sheet = None  # read once; a second pass loads it again
            if self.has_header:
                next(records, None)
            while chunk := list(islice(records, CHUNK_ROWS)):
                yield chunk, False
            return
        n = 0
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            chunk: list[list[str]] = []
            try:
                if self.has_header:
                    next(reader)
                    n = 1
                while True:
                    chunk = []
                    append = chunk.append
                    lines = reader.line_num
                    for row in islice(reader, CHUNK_ROWS):
                        append(row)
                    if not chunk:
                        return
                    n += len(chunk)
                    yield chunk, self.plain and reader.line_num - lines == len(chunk)
            except csv.Error as e:
                problem = f"is not a well-formed csv file ({e})"
            except UnicodeDecodeError:
                problem = f"holds bytes that are not {self.encoding} text"
        if chunk:
            yield chunk, False
        raise BadInput(problem, file=name, row=n + len(chunk) + 1)


def _fit(row: list[str], width: int, name: str, n: int, lenient: bool = False) -> list[str] | None:
    """A row of the wrong width: a blank line is skipped, a workbook's empty cells past the last
    column are dropped, anything else refuses the file. A csv row with one field too many is
    refused even when the last is empty: an unquoted comma inside a field looks just like that."""
    if not row or (len(row) == 1 and not row[0].strip()):
        return None
    if lenient and len(row) > width and not any(v.strip() for v in row[width:]):
        return row[:width]
    if lenient and not any(v.strip() for v in row):
        return None
    raise BadInput(f"has {len(row)} fields where the file has {width} (damaged, perhaps by a "
                   "re-save in a spreadsheet program); nothing was imported", file=name, row=n)


def _scan(path: Path, encoding: str) -> tuple[int, bool]:
    """Lines in the file, for progress (a quoted newline inside a field makes it approximate),
    and whether its bytes are plain: no control byte but line breaks, no backslash (in UTF-8
    and Windows-1252 those bytes are those characters), so no cell of a one-line record needs
    escaping in the JSON the store keeps (`clerkapp.store.flatten.encode_plain`). A tab counts
    as a control byte: in a tab-separated file a tab inside a quoted field would pass unseen."""
    lines = 0
    last = b"\n"
    plain = not is_utf16(encoding)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            lines += block.count(b"\n")
            last = block[-1:]
            if plain and not plain_bytes(block):
                plain = False
    return lines + (last != b"\n"), plain


def plain_bytes(data: bytes) -> bool:
    """Whether no byte of `data` is a control byte but a line break, or a backslash (`_scan`):
    one search per such byte, which copies nothing (deleting them and comparing lengths
    copied every block of the file)."""
    return not any(b in data for b in _NOT_PLAIN_BYTES)


def _less_header(lines: int | None) -> int | None:
    return None if lines is None else max(lines - 1, 0)


def open_doj(path: Path | str, *, _loaded: tuple[object, list[str], int] | None = None,
             scan: bool = True) -> DojFile:
    """Open a DOJ research file (preset `doj`) or BEAR result file (`bear`); the header is
    checked here, the rows while `batches()` reads them. `scan=False` leaves the lines
    uncounted and the bytes unchecked (`_scan`): a second reader of the same file needs
    neither (`clerkapp.ingest.split_reading`)."""
    path = Path(path)
    name = str(path)
    sheet = None
    if path.suffix.lower() in XLSX_SUFFIXES:
        sheet, first, lines = _loaded or _xlsx_open(path)
        encoding, delimiter, plain = XLSX, ",", False
    else:
        encoding, head = _sniff(path)
        first = _first_record(head, encoding)
        delimiter = detect_delimiter(first_line(head, encoding))
        lines, plain = _scan(path, encoding) if scan else (None, False)
    if not first:
        raise BadInput("has no rows", file=name)
    if first[0].strip().lstrip("\ufeff").upper() != "RECORD_ID":
        if len(first) not in (N_FIELDS, N_FIELDS + 1) or (
                len(first) == N_FIELDS + 1 and first[-1].strip()):
            raise BadInput(f"has {len(first)} fields where a DOJ file has {N_FIELDS}", file=name,
                           row=1)
        return DojFile(path, "doj", list(FIELDS), False, encoding, lines, _sheet=sheet, delimiter=delimiter, plain=plain)

    headers = [h.strip().lstrip("\ufeff") for h in first]
    while len(headers) > N_FIELDS and not headers[-1]:
        headers.pop()  # the trailing comma after the last header
    if len(headers) < N_FIELDS:
        raise BadInput(f"the header has {len(headers)} fields where a DOJ file has {N_FIELDS}",
                       file=name, row=1)
    for i, (got, want) in enumerate(zip(headers, FIELDS, strict=False)):
        if got.upper() != want:
            raise BadInput(f"header {got!r} where the DOJ layout has {want!r}", file=name, row=1,
                           column=f"{i + 1}")
    headers[:N_FIELDS] = FIELDS
    if len(headers) == N_FIELDS:
        return DojFile(path, "doj", headers, True, encoding, _less_header(lines), _sheet=sheet, delimiter=delimiter, plain=plain)
    lowered = [h.lower() for h in headers]
    det = lowered.index(BEAR_DETERMINATION.lower()) if BEAR_DETERMINATION.lower() in lowered else None
    reason = lowered.index(BEAR_REASON.lower()) if BEAR_REASON.lower() in lowered else None
    if det is None:
        raise BadInput(f"has {len(headers) - N_FIELDS} columns after the 95 DOJ fields but no "
                       f"{BEAR_DETERMINATION!r} column (not a BEAR result file)", file=name, row=1)
    return DojFile(path, "bear", headers, True, encoding, _less_header(lines), (det, reason),
                   _sheet=sheet, delimiter=delimiter, plain=plain)


# -- a research file saved as a workbook -----------------------------------------------------

def _cell(value: object) -> str:
    """A workbook cell as the research file's text: whole numbers without `.0`, dates as
    YYYYMMDD (Excel turns long digit strings into numbers when it re-saves a file)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        return value.strftime("%Y%m%d")
    return str(value)


def _xlsx_sheet(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    except Exception as e:  # calamine raises its own error types for damaged workbooks
        raise BadInput(workbook_problem(e), file=str(path)) from None


def _xlsx_records(sheet) -> Iterator[list[str]]:
    join = "".join
    for row in sheet.iter_rows():
        try:
            join(row)  # C-speed check that every cell is text, as in most rows
        except TypeError:
            yield [v if v.__class__ is str else _cell(v) for v in row]
        else:
            yield row


def _xlsx_open(path: Path) -> tuple[object, list[str], int]:
    """(sheet, first row, row count) of the first sheet; calamine reads the sheet once."""
    sheet = _xlsx_sheet(path)
    first: list[str] = []
    for row in sheet.iter_rows():
        first = [_cell(v) for v in row]
        break
    while len(first) > N_FIELDS and not first[-1]:
        first.pop()
    return sheet, first, sheet.height
