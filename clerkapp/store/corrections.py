"""Facts a record lacks, entered by a clerk: a name, a case number. Each correction is kept
with who, when and why; the source row stays exactly as imported. What the rest of clerkapp
reads (the person's name, the conviction's case number) is updated, and the importer's flag
for the missing fact is taken off, so the next evaluation no longer asks for it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.base import StoreBase, dumps, now_iso
from clerkapp.store.reviews import chunked

# field -> the importer flag it answers (clerkapp/ingest/sheets.py)
CORRECTABLE = {"name": "no_name", "case_number": "no_case_number"}


@dataclass(frozen=True)
class Correction:
    conviction_id: int
    field: str
    value: str
    reason: str
    clerk: str
    made_at: str


class CorrectionStore(StoreBase):
    def missing_facts(self, conviction_ids: Sequence[int]) -> dict[int, list[str]]:
        """The facts each conviction still lacks for an order ("name", "case_number"): the
        importers' flags not yet answered by a correction. Convictions lacking nothing are
        left out. (An order never prints a person with no name whatever the flags say:
        `OrderStore._id_filter`.)"""
        found: dict[int, list[str]] = {}
        for part in chunked(list(conviction_ids)):
            marks = ",".join("?" * len(part))
            for cid, flags in self.conn.execute(
                f"SELECT c.id, c.flags FROM convictions c WHERE c.id IN ({marks})"
                " AND c.flags != '[]'", tuple(part)):
                listed = json.loads(flags) if flags else []
                lacks = [f for f, flag in CORRECTABLE.items() if flag in listed]
                if lacks:
                    found[int(cid)] = lacks
        return found

    def add_correction(self, conviction_id: int, field: str, value: str, *, reason: str,
                       clerk: str) -> Correction:
        """Record the correction and apply it (call inside `atomic()`)."""
        at = now_iso()
        clerk = self.actor(clerk)
        self.conn.execute(
            "INSERT INTO corrections (conviction_id, field, value, reason, clerk, made_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", (conviction_id, field, value, reason, clerk, at))
        row = self.conn.execute("SELECT person_id, case_id, flags FROM convictions WHERE id = ?",
                                (conviction_id,)).fetchone()
        flags = [f for f in json.loads(row["flags"] or "[]") if f != CORRECTABLE[field]]
        self.conn.execute("UPDATE convictions SET flags = ? WHERE id = ?",
                          (dumps(flags), conviction_id))
        if field == "name":
            self.conn.execute("UPDATE people SET name = ? WHERE id = ?",
                              (value, row["person_id"]))
        else:
            self.conn.execute("UPDATE convictions SET case_number = ? WHERE id = ?",
                              (value, conviction_id))
            if row["case_id"] is not None:
                self.conn.execute(
                    "UPDATE cases SET case_numbers = ? WHERE id = ? AND case_numbers = '[]'",
                    (dumps([value]), row["case_id"]))
        return Correction(conviction_id, field, value, reason, clerk, at)

    def corrections(self, conviction_id: int) -> list[Correction]:
        return [Correction(*r) for r in self.conn.execute(
            "SELECT conviction_id, field, value, reason, clerk, made_at FROM corrections"
            " WHERE conviction_id = ? ORDER BY id", (conviction_id,))]

    def conviction_at_row(self, import_id: int, row_number: int) -> int | None:
        """The conviction built from a source row (how a clerk names one by the file's row)."""
        row = self.conn.execute(
            "SELECT c.id FROM convictions c, json_each(c.source_row_ids) j"
            " JOIN source_rows s ON s.id = CAST(j.value AS INTEGER)"
            " WHERE c.import_id = ? AND s.import_id = ? AND s.row_number = ? LIMIT 1",
            (import_id, import_id, row_number)).fetchone()
        return int(row[0]) if row else None
