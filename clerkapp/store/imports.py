"""Writing imports: the file's rows verbatim, and the people, cases, convictions, history
events and row errors built from them. Called inside one transaction per file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from clerkapp.domain.records import ParsedBatch
from clerkapp.store.base import StoreBase, dumps, now_iso
from clerkapp.store.deferred_indexes import (
    DeferredSchema,
    defer_indexes,
    restore_indexes,
    worth_deferring,
)
from clerkapp.store.first_import import direct_writes, store_is_empty
from clerkapp.store.flatten import FlatBatch, encode_texts, flatten

__all__ = ["ImportRecord", "ImportStore", "ImportWriter", "encode_texts"]

# The tables an import writes besides `imports`
IMPORT_TABLES = ("source_rows", "import_errors", "people", "person_events", "cases",
                 "convictions")
IMPORT_CACHE_KIB = 65536  # SQLite's page cache while an import writes (default: 2 MiB)
# the columns each table is written with (`insert_rows`: executemany, or COPY on PostgreSQL)
SOURCE_ROW_COLUMNS = ("id", "import_id", "row_number", "person_id", "values")
CASE_COLUMNS = ("id", "person_id", "import_id", "cycle_key", "case_numbers", "county", "court",
                "arrest_date")
CONVICTION_COLUMNS = (
    "person_id", "case_id", "import_id", "source_row_ids", "count_key", "cycle_key",
    "case_number", "county", "court", "raw_offense", "comment_text", "code_section",
    "section_code", "section_number", "section_subs", "attempted", "conspiracy", "level",
    "disposition", "conviction_date", "offense_date", "offense_date_source", "sentence_text",
    "sentence_days", "sentence_end", "flags", "prosecutor_outcome", "prosecutor_reason")
EVENT_COLUMNS = ("person_id", "import_id", "source_row_id", "kind", "event_date",
                 "code_section", "section_number", "text", "cycle_key", "county")
ERROR_COLUMNS = ("import_id", "row_number", "column", "value", "message")
PERSON_COLUMNS = ("id", "subject_key", "name", "dob", "cii", "gender", "race", "aliases",
                  "address")


@dataclass
class ImportWriter:
    """Per-import state: the ids handed out so far and the people and cases already seen.

    Ids are assigned here rather than read back row by row, so every table is written with
    one `executemany` (`COPY` on PostgreSQL) per batch; the transaction holds the write lock, so nobody else takes
    the same ids meanwhile."""

    import_id: int
    next_source_row_id: int
    next_person_id: int
    next_case_id: int
    person_ids: dict[str, int] = field(default_factory=dict)
    case_ids: dict[tuple[Any, ...], int] = field(default_factory=dict)
    rows: int = 0
    convictions: int = 0
    errors: int = 0
    people_touched: set[int] = field(default_factory=set)
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by reason
    notes: int = 0  # notes left on records (a row's county differing from the file's)
    history: int = 0  # counts kept as history, not convictions (dismissed, acquitted...)
    # the store held no people or rows when the import's transaction began: nobody to look up
    store_was_empty: bool = False
    # indexes dropped for the import, created again when it finishes (deferred_indexes)
    deferred: DeferredSchema | None = None


@dataclass(frozen=True)
class ImportRecord:
    id: int
    file_name: str
    sha256: str
    started_at: str
    row_count: int
    status: str


class ImportStore(StoreBase):
    def find_import_by_sha256(self, sha256: str) -> ImportRecord | None:
        row = self.conn.execute(
            "SELECT id, file_name, sha256, started_at, row_count, status FROM imports"
            " WHERE sha256 = ? AND status = 'complete' ORDER BY id LIMIT 1",
            (sha256,),
        ).fetchone()
        return ImportRecord(**dict(row)) if row else None

    @contextmanager
    def bulk_import(self, size: int = 0) -> Iterator[None]:
        """Around an import's transaction (these pragmas cannot change inside one; inside a
        caller's transaction nothing changes): no foreign-key checks, since every id an import
        writes it handed out itself or read in the same transaction (checking a million rows
        again cost 2-3 s and proves nothing), and no checkpoint at its commit: the
        write-ahead log is copied into the file in the background afterwards, as after an
        evaluation, so a following step need not wait for it. `size`: the bytes to import;
        a large first import into an empty store skips the log (`first_import`)."""
        conn = self.conn
        if conn.in_transaction:
            yield
            return
        fks = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        auto = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        try:
            with direct_writes(self, size, IMPORT_TABLES):
                yield
        finally:
            conn.execute(f"PRAGMA wal_autocheckpoint = {int(auto)}")
            conn.execute(f"PRAGMA foreign_keys = {int(fks)}")
            self.checkpoint_in_background()

    @contextmanager
    def bulk_writing(self) -> Iterator[None]:
        """A larger page cache while an import writes, the usual one again afterwards."""
        (before,) = self.conn.execute("PRAGMA cache_size").fetchone()
        self.conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(before)}")

    def begin_import(
        self, *, file_name: str, file_path: str, sha256: str, size: int, preset: str,
        headers: list[str], mapping: dict[str, str], sheet: str | None, operator: str | None,
        forced: bool, county: str | None = None, court: str | None = None,
        source_kind: str | None = None, prosecutor: str | None = None,
    ) -> ImportWriter:
        """Start an import inside the caller's transaction (`county`, `court`, `source_kind`,
        `prosecutor`: what the clerk said of the whole file)."""
        cur = self.conn.execute(
            "INSERT INTO imports (file_name, file_path, sha256, size, preset, headers, mapping,"
            " sheet, operator, started_at, status, forced, county, court, source_kind,"
            " prosecutor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?, ?, ?, ?, ?)",
            (file_name, file_path, sha256, size, preset, dumps(headers), dumps(mapping), sheet,
             self.actor(operator), now_iso(), int(forced), county, court, source_kind, prosecutor),
        )

        def next_id(table: str) -> int:
            return int(self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

        writer = ImportWriter(
            import_id=int(cur.lastrowid),
            next_source_row_id=next_id("source_rows"),
            next_person_id=next_id("people"),
            next_case_id=next_id("cases"),
        )
        writer.store_was_empty = (self.conn.in_transaction
                                  and store_is_empty(self.conn, IMPORT_TABLES))
        if self.conn.in_transaction and worth_deferring(self.conn, size, writer.store_was_empty):
            writer.deferred = defer_indexes(self.conn, writer.next_person_id)
        return writer

    def finish_import(self, writer: ImportWriter) -> None:
        if writer.deferred is not None:
            restore_indexes(self.conn, writer.deferred)
            writer.deferred = None
        for table in ("source_rows", "people", "cases"):  # ids the import handed out itself
            self.ids_taken(table)
        self.conn.execute(
            "UPDATE imports SET finished_at = ?, row_count = ?, error_count = ?,"
            " people_count = ?, conviction_count = ?, status = 'complete', skipped = ?,"
            " note_count = ?, history_count = ? WHERE id = ?",
            (now_iso(), writer.rows, writer.errors, len(writer.people_touched),
             writer.convictions, dumps(writer.skipped), writer.notes, writer.history,
             writer.import_id),
        )

    def write_batch(self, writer: ImportWriter, batch: ParsedBatch) -> None:
        """Write one parsed batch (flattened here; the import service flattens in the process
        that reads the file and calls `write_flat`)."""
        self.write_flat(writer, flatten(batch))

    def write_flat(self, writer: ImportWriter, flat: FlatBatch) -> None:
        """Write one flattened batch: people first, then every row verbatim with its person,
        then what was built from the rows, each table with one `executemany`."""
        conn = self.conn
        import_id = writer.import_id
        if flat.skipped:
            for reason, n in flat.skipped.items():
                writer.skipped[reason] = writer.skipped.get(reason, 0) + n
        writer.notes += flat.notes
        person_ids = self._write_people(writer, flat.people)
        # everyone the file names counts as imported, whether or not a conviction came of it
        # (so every person a record below names is in already: person_ids holds only them)
        writer.people_touched.update(person_ids[p[0]] for p in flat.people)

        base = writer.next_source_row_id  # the batch's rows get consecutive ids from here
        count = len(flat.row_numbers)
        keys = flat.row_keys
        row_people = (list(map(person_ids.__getitem__, keys)) if None not in keys else
                      [person_ids[key] if key is not None else None for key in keys])
        self.insert_rows(
            "source_rows", SOURCE_ROW_COLUMNS,
            zip(range(base, base + count), repeat(import_id, count), flat.row_numbers,
                row_people, flat.row_values, strict=True),
        )
        writer.next_source_row_id = base + count
        writer.rows += count

        new_cases: list[tuple[Any, ...]] = []
        case_ids = writer.case_ids
        conviction_values = []
        for key, places, case_key, case_columns, columns in flat.convictions:
            person_id = person_ids[key]
            # one case per person and arrest cycle (or case numbers when there is no cycle)
            case_key = (person_id, case_key)
            case_id = case_ids.get(case_key)
            if case_id is None:
                case_id = case_ids[case_key] = writer.next_case_id
                writer.next_case_id += 1
                new_cases.append((case_id, person_id, import_id, *case_columns))
            # its rows' ids as a JSON list; most convictions come of one row
            row_ids = (f"[{base + places[0]}]" if len(places) == 1 else
                       "[" + ",".join([str(base + i) for i in places]) + "]")
            conviction_values.append((person_id, case_id, import_id, row_ids, *columns))
        self.insert_rows("cases", CASE_COLUMNS, new_cases)
        self.insert_rows("convictions", CONVICTION_COLUMNS, conviction_values)
        writer.convictions += len(conviction_values)

        event_values = []
        deaths = []
        for key, place, kind, event_date, *rest in flat.events:
            person_id = person_ids[key]
            event_values.append((person_id, import_id,
                                 None if place is None else base + place, kind, event_date, *rest))
            if kind == "deceased":
                deaths.append((event_date, person_id))
            elif kind == "dismissed":
                writer.history += 1
        conn.executemany(
            "UPDATE people SET deceased = 1, deceased_date = coalesce(deceased_date, ?)"
            " WHERE id = ?", deaths,
        )
        self.insert_rows("person_events", EVENT_COLUMNS, event_values)
        self.insert_rows("import_errors", ERROR_COLUMNS, [(import_id, *e) for e in flat.errors])
        writer.errors += len(flat.errors)

    def _write_people(self, writer: ImportWriter, people: list[tuple[Any, ...]]) -> dict[str, int]:
        """Find or create each person by subject key; fill in what earlier imports lacked.
        Returns the import's person ids by key."""
        person_ids = writer.person_ids
        unseen = {p[0]: p for p in people if p[0] not in person_ids}
        if len(unseen) != len(people):
            # someone named twice (rows apart in the file): what the first rows say counts,
            # as it does when the two fall in different batches, so batches change nothing
            unseen = {}
            for p in people:
                if p[0] not in person_ids:
                    unseen.setdefault(p[0], p)
        if not unseen:
            return person_ids
        keys = list(unseen)
        existing: dict[str, int] = {}
        if not writer.store_was_empty:  # a first import into an empty store finds nobody
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for row in self.conn.execute(
                    f"SELECT subject_key, id FROM people WHERE subject_key IN ({marks})", chunk
                ):
                    existing[row[0]] = row[1]
        new_rows = []
        updates = []
        for key, p in unseen.items():
            if key in existing:
                person_ids[key] = existing[key]
                updates.append((*p[1:6], p[7], existing[key]))
                continue
            person_id = writer.next_person_id
            writer.next_person_id += 1
            person_ids[key] = person_id
            new_rows.append((person_id, *p))
        self.insert_rows("people", PERSON_COLUMNS, new_rows)
        self.conn.executemany(
            "UPDATE people SET name = coalesce(name, ?), dob = coalesce(dob, ?),"
            " cii = coalesce(cii, ?), gender = coalesce(gender, ?), race = coalesce(race, ?),"
            " address = coalesce(?, address) WHERE id = ?",
            updates,
        )
        return person_ids

    def count_repeated_convictions(self, writer: ImportWriter) -> int:
        """Convictions of this import that an earlier import already holds: same person, case
        number, section and conviction date (a re-exported report, or the same records in
        another layout: printing both would order the same relief twice). None to find in a
        store that was empty."""
        if writer.store_was_empty:
            return 0
        return int(self.conn.execute(
            "SELECT count(*) FROM convictions n WHERE n.import_id = ? AND EXISTS (SELECT 1"
            " FROM convictions o WHERE o.person_id = n.person_id AND o.import_id != n.import_id"
            " AND o.import_id NOT IN (SELECT id FROM imports WHERE status = 'withdrawn')"
            " AND o.case_number IS n.case_number AND o.code_section IS n.code_section"
            " AND o.conviction_date IS n.conviction_date)", (writer.import_id,)).fetchone()[0])

    def import_errors(self, import_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            'SELECT row_number, "column", value, message FROM import_errors'
            " WHERE import_id = ? ORDER BY row_number, id", (import_id,),
        )]

    def imports_of_file(self, path: str, size: int) -> list[dict[str, Any]]:
        """The complete imports read from `path`, or of a file of `size` bytes (the caller
        compares their sha256): what a file about to be written over may be."""
        return [dict(r) for r in self.conn.execute(
            "SELECT id, file_name, file_path, sha256 FROM imports WHERE status = 'complete'"
            " AND (file_path = ? OR size = ?) ORDER BY id", (path, size))]

    def list_imports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT id, file_name, preset, started_at, row_count, error_count, people_count,"
            " conviction_count, status FROM imports WHERE status = 'complete' ORDER BY id"
        )]

    def import_headers(self, import_id: int) -> list[str]:
        row = self.conn.execute("SELECT headers FROM imports WHERE id = ?", (import_id,)).fetchone()
        return json.loads(row[0]) if row else []
