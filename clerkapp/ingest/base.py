"""The shape every file parser hands to the import service.

A parser (DOJ research file, BEAR result file, generic spreadsheet) reads one file and yields
`ParsedBatch`es: the raw rows exactly as read plus the records built from them. The service
writes each batch inside one transaction for the whole file, so an import lands whole or not
at all. Batches end on person boundaries where the parser can tell (DOJ: SUBJECT_ID).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from clerkapp.domain.records import ConvictionRecord, PersonEvent, PersonRecord, RowError


@dataclass
class ParsedBatch:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row_number, cell texts)
    people: list[PersonRecord] = field(default_factory=list)
    convictions: list[ConvictionRecord] = field(default_factory=list)
    events: list[PersonEvent] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # person key of each row, aligned with `rows`, where the parser knows it (DOJ: every row
    # of a person, arrests included); rows left out are linked through their records instead
    row_person_keys: list[str | None] = field(default_factory=list)
    # rows left out because they are not records (reason -> count: blank, repeated header,
    # footer), and notes left on records (a row's county differing from the file's)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: int = 0


class ParsedFile(Protocol):
    """An opened source file. `batches()` may raise BadInput (file, row, column named)."""

    preset: str  # "doj" | "bear" | "generic"
    headers: list[str]  # the header row as read (DOJ without a header row: the 95 names)
    mapping: dict[str, str]  # header -> field, for generic sheets; {} for DOJ
    sheet: str | None
    total_rows: int | None  # for progress; None when unknown before reading

    def batches(self, batch_size: int = 5000) -> Iterator[ParsedBatch]: ...
