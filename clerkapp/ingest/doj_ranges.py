"""A DOJ csv file in byte ranges that can be read apart (by two processes at once) and give,
taken in file order, exactly the rows, row numbers, people and records of reading it whole.

Each range begins where a person begins: at the first line, at or after its nominal start
(a multiple of `RANGE_BYTES`), whose SUBJECT_ID differs from the last non-blank line's
before it; it ends where the next one begins. A range with no such line in it is empty (the
one before takes in the person). Every process works the same plan out for itself from the
file, so the processes agree without talking.

That needs every record to be one line (a row number is then the count of line breaks
before it, plus one). The lines the plan looks at, and every range as it is read, are
checked for it: a quoted line break, a lone carriage return, a line that does not decode or
parse, a row of the wrong width raise `NotSplittable`, before anything of the range is
handed on that could be wrong. The importer then reads the rest of the file in one go
(`rows_after`), which reports a damaged row exactly as it always has.
"""

from __future__ import annotations

import csv
import io
import os
from bisect import bisect_right
from collections.abc import Iterator
from itertools import islice
from operator import itemgetter
from pathlib import Path

from clerkapp.ingest.base import ParsedFile
from clerkapp.ingest.doj import CHUNK_ROWS, DojFile, Row, plain_bytes
from clerkapp.ingest.doj_columns import SUBJECT_ID

RANGE_BYTES = 4 << 20  # a range's nominal size: about 13,000 rows of a research file
LOOK_BYTES = 1 << 16  # how much is read at a time to find a line
# the text encodings whose line break is the byte 0x0A and nothing else
SPLIT_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "cp1252"})
_number = itemgetter(0)


class NotSplittable(Exception):
    """This part of the file cannot be read apart from the rest; read it in one go."""


def splittable(parsed: ParsedFile) -> bool:
    """A comma-separated DOJ file in a text encoding whose header (if any) is one line."""
    if not (isinstance(parsed, DojFile) and parsed.encoding in SPLIT_ENCODINGS
            and parsed.delimiter == ","):
        return False
    return not parsed.has_header or b'"' not in _first_line(parsed.path)


def _first_line(path: Path) -> bytes:
    with open(path, "rb") as handle:
        line = handle.readline(LOOK_BYTES)
    return line if line.endswith(b"\n") else b'"'  # a header longer than that: not split


def data_start(parsed: DojFile) -> int:
    """The byte offset of the first data line."""
    return len(_first_line(parsed.path)) if parsed.has_header else 0


def line_encoding(encoding: str, offset: int) -> str:
    """The codec for text starting at `offset`: a byte-order mark is one only at the start."""
    return "utf-8" if encoding == "utf-8-sig" and offset > 0 else encoding


class RangePlan:
    """Where range k begins (`start(k)`), for ranges asked for in increasing order."""

    def __init__(self, parsed: DojFile, range_bytes: int = RANGE_BYTES) -> None:
        self.path = parsed.path
        self.size = os.path.getsize(parsed.path)
        self.first = data_start(parsed)
        self.range_bytes = range_bytes
        self._encoding = line_encoding(parsed.encoding, 1)
        self._handle = open(parsed.path, "rb")  # noqa: SIM115 - closed by close()
        self._asked = -1  # the last nominal start asked for, and the line found for it
        self._found = -1

    def close(self) -> None:
        self._handle.close()

    def start(self, k: int) -> int:
        """The byte offset where range k begins; the file's size when it begins at the end."""
        if k == 0:
            return self.first
        nominal = self.first + k * self.range_bytes
        if nominal >= self.size:
            return self.size
        # no person begins between the last nominal start and the line found for it
        if not (self._asked <= nominal <= self._found):
            self._found = self._person_start(nominal)
        self._asked = nominal
        return self._found

    def _person_start(self, nominal: int) -> int:
        line = self._line_start(nominal)
        before = self._subject_before(line)
        for offset, text in self._lines_from(line):
            subject = self._subject(text)
            if subject is not None and subject != before:
                return offset
        return self.size

    def _line_start(self, offset: int) -> int:
        """The first line start at or after `offset` (> the data's start)."""
        for start, _ in self._lines_from(offset - 1):
            if start >= offset:
                return start
        return self.size

    def _lines_from(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """(offset, line without its line break) of each line from `offset` on; a first
        line begun before `offset` comes as the part from it."""
        handle = self._handle
        handle.seek(offset)
        rest = b""
        at = offset  # where `rest` begins
        while block := handle.read(LOOK_BYTES):
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                yield at, line
                at += len(line) + 1
        if rest:
            yield at, rest

    def _subject_before(self, line: int) -> str | None:
        """The SUBJECT_ID of the last non-blank line before `line`; None when none is."""
        look = LOOK_BYTES
        while True:
            low = max(self.first, line - look)
            self._handle.seek(low)
            lines = self._handle.read(line - low).split(b"\n")[:-1]
            if low > self.first:
                lines = lines[1:]  # begun before `low`
            for text in reversed(lines):
                subject = self._subject(text)
                if subject is not None:
                    return subject
            if low == self.first:
                return None
            look *= 4

    def _subject(self, line: bytes) -> str | None:
        """The SUBJECT_ID of a line standing for a whole record, None for a blank line (which
        the reader skips); NotSplittable where the line may not be a whole record."""
        if line.endswith(b"\r"):
            line = line[:-1]
        if b"\r" in line:
            raise NotSplittable
        if not line.strip():
            return None
        fields = line.split(b",", SUBJECT_ID + 1)
        try:
            if len(fields) > SUBJECT_ID + 1 and b'"' not in b"".join(fields[:SUBJECT_ID + 1]):
                return fields[SUBJECT_ID].decode(self._encoding)
            row = next(csv.reader([line.decode(self._encoding) + "\n"]), [])
        except (UnicodeDecodeError, csv.Error):
            raise NotSplittable from None
        if not row or (len(row) == 1 and not row[0].strip()):
            return None
        if len(row) <= SUBJECT_ID or "\n" in row[-1]:  # too short, or a quote left open
            raise NotSplittable
        return row[SUBJECT_ID]


class LineCount:
    """Line breaks before a byte offset, for offsets asked for in increasing order."""

    def __init__(self, path: Path) -> None:
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._at = 0
        self._count = 0

    def passed(self, offset: int, breaks: int) -> None:
        """The caller read on to `offset` from the last offset asked for, and counted."""
        self._at = offset
        self._count += breaks

    def before(self, offset: int) -> int:
        handle = self._handle
        handle.seek(self._at)
        while self._at < offset:
            block = handle.read(min(offset - self._at, 1 << 20))
            if not block:
                break
            self._count += block.count(b"\n")
            self._at += len(block)
        return self._count

    def close(self) -> None:
        self._handle.close()


def read_range(path: Path, start: int, end: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(start)
        return handle.read(end - start)


class RangeRows:
    """The rows of one range (`data`, beginning at byte `start`, its first line row
    `first_row`), a chunk at a time for `DojFile.batches(chunks=...)`; NotSplittable where a
    record is not one line. `breaks`: the line breaks in the range, once read through.
    `plain`: what `_scan` found of the whole file when it looked (None: the range is looked
    at); the bytes are plain text or not (`clerkapp.ingest.doj._scan`)."""

    def __init__(self, parsed: DojFile, data: bytes, start: int, first_row: int,
                 plain: bool | None = None) -> None:
        self._parsed = parsed
        self._data = data
        self._encoding = line_encoding(parsed.encoding, start)
        self._first_row = first_row
        self._plain = plain
        self.breaks: int | None = None

    def __iter__(self) -> Iterator[tuple[list[Row], bool]]:
        return self._parsed._item_chunks(self._records(), self._first_row - 1)

    def _records(self) -> Iterator[tuple[list[list[str]], bool]]:
        data = self._data
        plain = self._plain
        if plain is None:
            plain = plain_bytes(data)
        reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=self._encoding,
                                             newline=""))
        last: list[str] = []
        try:
            while True:
                lines = reader.line_num
                chunk = list(islice(reader, CHUNK_ROWS))
                if not chunk:
                    break
                if reader.line_num - lines != len(chunk):
                    raise NotSplittable  # a quoted line break
                yield chunk, plain
                last = chunk[-1]
        except (csv.Error, UnicodeDecodeError):
            raise NotSplittable from None
        if last and "\n" in last[-1]:
            raise NotSplittable  # a quote left open at the range's end
        breaks = reader.line_num - (bool(data) and not data.endswith(b"\n"))
        # a lone carriage return ends a line for the reader, not for the row numbers
        if b"\r" in data and data.count(b"\n") != breaks:
            raise NotSplittable
        self.breaks = breaks


def rows_after(parsed: DojFile, last_row: int) -> Iterator[tuple[list[Row], bool]]:
    """The file's rows after row number `last_row`, read from its start: any problem in the
    file is found where reading it whole finds it, and the rows before are not built."""
    for items, plain in parsed._item_chunks():
        if items[-1][0] <= last_row:
            continue
        if items[0][0] <= last_row:
            items = items[bisect_right(items, last_row, key=_number):]
        yield items, plain
