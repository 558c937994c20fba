"""A verbatim row's cells as the store keeps them (`source_rows."values"`), and read back.

Two forms, told apart by one character. A row of a plain file (no cell holds a control
character: `ParsedBatch.plain`) with two cells or more is its cells joined by the unit
separator, U+001F (issue 15): made in one join, about a third smaller than the same row as
JSON (a million-row DOJ file: 317 instead of 507 bytes a row, 190 MB less to send from the
reading processes, write and keep). Any other row is a JSON list of its texts (json.dumps'
form), as every row of a store made before is. JSON writes every control character escaped,
so a JSON list never holds a raw U+001F, while a joined row of two cells or more always does:
`row_cells` reads either.
"""

from __future__ import annotations

import json
from typing import Any

UNIT = "\x1f"  # the unit separator: between the cells of a joined row


def joined_rows(rows: list[list[str]]) -> list[str] | None:
    """Each row of a plain batch joined by UNIT; None when a row has fewer than two cells or
    a cell is not text (the caller writes the batch as JSON)."""
    if rows and min(map(len, rows)) < 2:
        return None
    try:
        return list(map(UNIT.join, rows))
    except TypeError:
        return None


def row_cells(text: Any) -> list[Any]:
    """The cells of a stored row, in either form; [] for nothing or an unreadable text."""
    if not text:
        return []
    if UNIT in text:
        return text.split(UNIT)
    return json_list(text)


def json_list(text: Any) -> list[Any]:
    """The list a stored JSON text holds; [] for nothing, an unreadable text or a non-list."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []
