"""The shape every file parser hands to the import service.

A parser (DOJ research file, BEAR result file, generic spreadsheet) reads one file and yields
`ParsedBatch`es (`clerkapp.domain.records`): the raw rows exactly as read plus the records
built from them. The service writes each batch inside one transaction for the whole file, so an import lands whole or not
at all. Batches end on person boundaries where the parser can tell (DOJ: SUBJECT_ID).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from clerkapp.domain.records import ParsedBatch


class ParsedFile(Protocol):
    """An opened source file. `batches()` may raise BadInput (file, row, column named)."""

    preset: str  # "doj" | "bear" | "generic"
    headers: list[str]  # the header row as read (DOJ without a header row: the 95 names)
    mapping: dict[str, str]  # header -> field, for generic sheets; {} for DOJ
    sheet: str | None
    total_rows: int | None  # for progress; None when unknown before reading

    def batches(self, batch_size: int = 5000) -> Iterator[ParsedBatch]: ...
