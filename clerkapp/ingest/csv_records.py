"""A court csv row that runs over a line break: real data, or a quote left open.

A quoted cell may hold a line break (a note typed on two lines in Excel): the row then spans
several lines of the file and still has every column of the header. A quote opened and never
closed (`A2,"ROE, JANE,01/01/1971,...`) reads the same way to the csv module, but it runs the
next line (a whole other person) into the cell, so the row comes out with more fields than the
header, or, when the quote runs to the end of the file, fewer, the last of them the cell that
holds the line break. Such a row is refused as the DOJ reader refuses a row of the wrong
width: one line naming the file, the row, the cell where the quote opened, the lines and the
field counts, never a value (it may be a name or a date of birth), and nothing imported.
A one-line row of the wrong width is left to the usual padding: exports drop trailing empty
cells.
"""

from __future__ import annotations

from clerkapp.errors import BadInput


class SpannedRow(list):
    """The cells of a csv row that spans several lines of the file (`first_line` to
    `last_line`, 1-based); rows on one line stay plain lists."""

    __slots__ = ("first_line", "last_line")

    def __init__(self, values: list[str], first_line: int, last_line: int) -> None:
        super().__init__(values)
        self.first_line = first_line
        self.last_line = last_line


def _breaks(value: object) -> bool:
    return isinstance(value, str) and ("\n" in value or "\r" in value)


def check_spanned(row: SpannedRow, fields: int, headers: list[str], header_row: int,
                  *, file: str, row_number: int) -> None:
    """Refuse a row over a line break that cannot be one row of the sheet: `fields` (trailing
    empty ones beyond the header dropped) more than the header's, or fewer with the line
    break in the last cell that has text (the quote ran on to where the file ends)."""
    width = len(headers)
    opened = next((i for i, v in enumerate(row) if _breaks(v)), None)
    if fields == width or opened is None:
        return
    if fields < width:
        last = max((i for i, v in enumerate(row) if isinstance(v, str) and v.strip()),
                   default=None)
        if last != opened:
            return  # a short row with a cell on two lines, closed where it ends
    column = headers[opened] if opened < width else f"{opened + 1}"
    if row.first_line == row.last_line:
        what = f"so the file ends inside it (line {row.first_line}): the row has {fields} fields"
    else:
        what = (f"so lines {row.first_line} to {row.last_line} of the file read as one row of "
                f"{fields} fields")
    raise BadInput(
        f'a quote (") opened in this cell is not closed where the cell ends, {what} where the '
        f"header (row {header_row}) has {width}; correct the quote and import the file again; "
        "nothing was imported", file=file, row=row_number, column=column)
