"""Writing imports: the file's rows verbatim, and the people, cases, convictions, history
events and row errors built from them. Called inside one transaction per file."""

from __future__ import annotations

import json
import json.encoder
from dataclasses import dataclass, field
from typing import Any

from clerkapp.domain.records import ConvictionRecord, PersonRecord
from clerkapp.ingest.base import ParsedBatch
from clerkapp.store.base import StoreBase, dumps, now_iso

_quote = json.encoder.encode_basestring  # C speedup: a JSON string literal, non-ASCII kept


def encode_texts(values: list[str]) -> str:
    """A row's cells as a JSON list of strings, about twice as fast as json.dumps."""
    try:
        return "[" + ",".join(map(_quote, values)) + "]"
    except TypeError:  # a cell that is not text (a parser's slip): still stored, as JSON
        return dumps(values)

PERSON_FIELDS = ("name", "dob", "cii", "gender", "race")


@dataclass
class ImportWriter:
    """Per-import state: the ids handed out so far and the people and cases already seen.

    Ids are assigned here rather than read back row by row, so every table is written with
    one `executemany` per batch; the transaction holds the write lock, so nobody else takes
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

    def begin_import(
        self, *, file_name: str, file_path: str, sha256: str, size: int, preset: str,
        headers: list[str], mapping: dict[str, str], sheet: str | None, operator: str | None,
        forced: bool,
    ) -> ImportWriter:
        cur = self.conn.execute(
            "INSERT INTO imports (file_name, file_path, sha256, size, preset, headers, mapping,"
            " sheet, operator, started_at, status, forced)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'importing', ?)",
            (file_name, file_path, sha256, size, preset, dumps(headers), dumps(mapping), sheet,
             operator, now_iso(), int(forced)),
        )

        def next_id(table: str) -> int:
            return int(self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])

        return ImportWriter(
            import_id=int(cur.lastrowid),
            next_source_row_id=next_id("source_rows"),
            next_person_id=next_id("people"),
            next_case_id=next_id("cases"),
        )

    def finish_import(self, writer: ImportWriter) -> None:
        self.conn.execute(
            "UPDATE imports SET finished_at = ?, row_count = ?, error_count = ?,"
            " people_count = ?, conviction_count = ?, status = 'complete' WHERE id = ?",
            (now_iso(), writer.rows, writer.errors, len(writer.people_touched),
             writer.convictions, writer.import_id),
        )

    def write_batch(self, writer: ImportWriter, batch: ParsedBatch) -> None:
        """Write one parsed batch: people first, then every row verbatim with its person, then
        what was built from the rows, each table with one `executemany`."""
        conn = self.conn
        self._write_people(writer, batch.people)
        person_ids = writer.person_ids
        # everyone the file names counts as imported, whether or not a conviction came of it
        writer.people_touched.update(person_ids[p.key] for p in batch.people)

        # which person each row belongs to: from the parser where it says, else the records
        row_person: dict[int, int] = {}
        for c in batch.convictions:
            pid = person_ids[c.person_key]
            for n in c.source_rows:
                row_person[n] = pid
        for e in batch.events:
            row_person[e.source_row] = person_ids[e.person_key]
        keys = batch.row_person_keys
        if len(keys) == len(batch.rows):
            for (n, _), key in zip(batch.rows, keys, strict=True):
                if key is not None:
                    row_person[n] = person_ids[key]

        row_ids: dict[int, int] = {}
        next_id = writer.next_source_row_id
        source_values = []
        for row_number, values in batch.rows:
            row_ids[row_number] = next_id
            source_values.append((next_id, writer.import_id, row_number,
                                  row_person.get(row_number), encode_texts(values)))
            next_id += 1
        writer.next_source_row_id = next_id
        conn.executemany(
            'INSERT INTO source_rows (id, import_id, row_number, person_id, "values")'
            " VALUES (?, ?, ?, ?, ?)",
            source_values,
        )
        writer.rows += len(source_values)

        new_cases: list[tuple[Any, ...]] = []
        conviction_values = []
        touched = writer.people_touched
        for c in batch.convictions:
            person_id = person_ids[c.person_key]
            touched.add(person_id)
            case_id = self._case_id(writer, person_id, c, new_cases)
            ids = [row_ids[n] for n in c.source_rows if n in row_ids]
            s = c.section
            conviction_values.append((
                person_id, case_id, writer.import_id, "[" + ",".join(map(str, ids)) + "]",
                c.count_key, c.cycle_key, c.case_numbers[0] if c.case_numbers else None,
                c.county, c.court, c.raw_offense, c.comment_text,
                s.text if s else None, s.code if s else None, s.number if s else None,
                ",".join(s.subs) if s else None,
                int(bool(s and s.attempted)), int(bool(s and s.conspiracy)),
                c.level, c.disposition, c.conviction_date, c.offense_date,
                c.offense_date_source, c.sentence_text, c.sentence_days, c.sentence_end,
                dumps(c.flags) if c.flags else "[]", c.prosecutor_outcome, c.prosecutor_reason,
            ))
        conn.executemany(
            "INSERT INTO cases (id, person_id, import_id, cycle_key, case_numbers, county, court,"
            " arrest_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            new_cases,
        )
        conn.executemany(
            "INSERT INTO convictions (person_id, case_id, import_id, source_row_ids, count_key,"
            " cycle_key, case_number, county, court, raw_offense, comment_text, code_section,"
            " section_code, section_number, section_subs, attempted, conspiracy, level,"
            " disposition, conviction_date, offense_date, offense_date_source, sentence_text,"
            " sentence_days, sentence_end, flags, prosecutor_outcome, prosecutor_reason)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            conviction_values,
        )
        writer.convictions += len(conviction_values)

        event_values = []
        deaths = []
        for e in batch.events:
            person_id = person_ids[e.person_key]
            touched.add(person_id)
            event_values.append((
                person_id, writer.import_id, row_ids.get(e.source_row), e.kind, e.event_date,
                e.section.text if e.section else None, e.section.number if e.section else None,
                e.text, e.cycle_key, e.county,
            ))
            if e.kind == "deceased":
                deaths.append((e.event_date, person_id))
        conn.executemany(
            "UPDATE people SET deceased = 1, deceased_date = coalesce(deceased_date, ?)"
            " WHERE id = ?", deaths,
        )
        conn.executemany(
            "INSERT INTO person_events (person_id, import_id, source_row_id, kind, event_date,"
            " code_section, section_number, text, cycle_key, county)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            event_values,
        )
        conn.executemany(
            'INSERT INTO import_errors (import_id, row_number, "column", value, message)'
            " VALUES (?, ?, ?, ?, ?)",
            [(writer.import_id, e.row_number, e.column, e.value, e.message) for e in batch.errors],
        )
        writer.errors += len(batch.errors)

    def _write_people(self, writer: ImportWriter, people: list[PersonRecord]) -> None:
        """Find or create each person by subject key; fill in what earlier imports lacked."""
        unseen = {p.key: p for p in people if p.key not in writer.person_ids}
        if not unseen:
            return
        keys = list(unseen)
        existing: dict[str, int] = {}
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
                writer.person_ids[key] = existing[key]
                updates.append((p.name, p.dob, p.cii, p.gender, p.race, existing[key]))
                continue
            person_id = writer.next_person_id
            writer.next_person_id += 1
            writer.person_ids[key] = person_id
            new_rows.append((person_id, key, p.name, p.dob, p.cii, p.gender, p.race,
                             dumps(p.aliases)))
        self.conn.executemany(
            "INSERT INTO people (id, subject_key, name, dob, cii, gender, race, aliases)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            new_rows,
        )
        self.conn.executemany(
            "UPDATE people SET name = coalesce(name, ?), dob = coalesce(dob, ?),"
            " cii = coalesce(cii, ?), gender = coalesce(gender, ?), race = coalesce(race, ?)"
            " WHERE id = ?",
            updates,
        )

    def _case_id(self, writer: ImportWriter, person_id: int, c: ConvictionRecord,
                 new_cases: list[tuple[Any, ...]]) -> int:
        """One case per person and arrest cycle (or case numbers when there is no cycle); new
        cases are collected for one insert per batch."""
        key = (person_id, c.cycle_key, tuple(c.case_numbers) if not c.cycle_key else ())
        case_id = writer.case_ids.get(key)
        if case_id is not None:
            return case_id
        case_id = writer.next_case_id
        writer.next_case_id += 1
        writer.case_ids[key] = case_id
        new_cases.append((
            case_id, person_id, writer.import_id, c.cycle_key, encode_texts(c.case_numbers), c.county,
            c.court, c.offense_date if c.offense_date_source == "arrest date" else None,
        ))
        return case_id

    def import_errors(self, import_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            'SELECT row_number, "column", value, message FROM import_errors'
            " WHERE import_id = ? ORDER BY row_number, id", (import_id,),
        )]

    def list_imports(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT id, file_name, preset, started_at, row_count, error_count, people_count,"
            " conviction_count, status FROM imports WHERE status = 'complete' ORDER BY id"
        )]

    def import_headers(self, import_id: int) -> list[str]:
        row = self.conn.execute("SELECT headers FROM imports WHERE id = ?", (import_id,)).fetchone()
        return json.loads(row[0]) if row else []
