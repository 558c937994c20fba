"""The export's csv written a column at a time: the same bytes as `csv.writer` (its default
dialect: `,` between cells, `"` around a cell holding `,` `"` CR or LF, `"` doubled, lines
ending CRLF) with a leading apostrophe on formula-like cells, at a fraction of the cost.

`csv.writer` looks at every character of every cell, and a county's export is millions of
cells, most of them dates, codes and the same few outcome and reason texts. Here a batch's
column is looked at as one string first: a column without a special character anywhere (most
of them) is written as it is; only the cells of the others are quoted one by one, each
distinct text once (`_Column` remembers it)."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from clerkapp.files.hashing import HashingFile

# what Excel reads as the start of a formula; every one a single character, so a cell's first
# character looked up in a set is the test (a county's export has millions of cells)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
FORMULA_FIRST = frozenset(FORMULA_PREFIXES)
assert all(len(p) == 1 for p in FORMULA_PREFIXES)
# the characters that make `csv.writer` quote a cell (its delimiter, quote character and the
# line end's); each looked for in a whole column with `in` (a fast search in C)
_QUOTED_BY = (",", '"', "\r", "\n")
# a formula-like cell in a column joined with NUL before each cell: the character (a fast
# search) and, only where it is found, the pair (a slower one)
_FORMULA_MARKS = tuple((c, f"\0{c}") for c in sorted(FORMULA_FIRST))
_MEMO_LIMIT = 100_000  # distinct cells remembered per column (a county's names fit)


def quoted(text: str) -> str:
    """One cell as `csv.writer` writes it."""
    if "," in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_cell(text: str) -> str:
    """One cell as the export's csv writes it: an apostrophe before a formula-like text (csv
    has no cell types; Excel shows it as text), then quoted as `csv.writer` quotes it."""
    return quoted("'" + text if text[:1] in FORMULA_FIRST else text)


def texts(values: Sequence[Any]) -> Sequence[str]:
    """A column's values as text cells: as they are when all are text (the store gives ''
    for NULL), else each as `export_row` writes it (None as '', others with str)."""
    try:
        "".join(values)
        return values
    except TypeError:
        return ["" if v is None else v if v.__class__ is str else str(v) for v in values]


class _Column:
    """One column's cells as csv text, a batch at a time; remembers the texts it quoted."""

    def __init__(self) -> None:
        self.memo: dict[str, str] = {}

    def encode(self, cells: Sequence[Any]) -> Sequence[str]:
        """The cells as csv text; cells not yet text (export_columns(as_text=False)) are made
        text here as `texts` makes them, found by the join this needs anyway."""
        try:
            joined = "\0" + "\0".join(cells)
        except TypeError:
            cells = texts(cells)
            joined = "\0" + "\0".join(cells)
        if not any(c in joined for c in _QUOTED_BY) and not any(
                c in joined and mark in joined for c, mark in _FORMULA_MARKS):
            return cells  # nothing to quote: the cells as they are
        memo = self.memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        get, add = memo.get, self._add
        return [get(text) or add(text) for text in cells]

    def _add(self, text: str) -> str:
        done = self.memo[text] = csv_cell(text)
        return done


def write_csv_columns(path: Path, header: Sequence[str],
                      batches: Iterable[Sequence[Sequence[str]]], *, share: bool = False) -> int:
    """Write `header` and each batch (its columns, each a sequence of text cells, all of one
    length) as csv rows into a new file at `path`; returns the number of rows. `share`: the
    rows only (no byte order mark, no header), to follow another share's rows in the file."""
    with path.open("wb") as handle:
        return write_csv_to(handle, header, batches, share=share)


def write_csv_to(sink: BinaryIO | HashingFile, header: Sequence[str],
                 batches: Iterable[Sequence[Sequence[str]]], *, share: bool = False) -> int:
    """`write_csv_columns` into an open binary file (utf-8, with a byte order mark unless
    `share`: Excel then reads the file as utf-8)."""
    columns = [_Column() for _ in header]
    count = 0
    if not share:
        sink.write(codecs.BOM_UTF8 + (",".join(map(quoted, header)) + "\r\n").encode())
    for batch in batches:
        encoded = [column.encode(cells) for column, cells in zip(columns, batch, strict=True)]
        lines = list(map(",".join, zip(*encoded, strict=True)))
        if len(columns) == 1:  # a row of one empty cell is written "" (else: no row)
            lines = [line or '""' for line in lines]
        if lines:
            sink.write(("\r\n".join(lines) + "\r\n").encode())
        count += len(lines)
    return count
