"""Read-only queries for exports and statistics."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from clerkapp.store.audit import AuditEntry
from clerkapp.store.base import COUNTED, SHARED_MATCH, StoreBase, resolved_outcome

# A conviction's source row numbers joined ';', in the order of its source_row_ids (the row
# it was read from first). An aggregate's order is the engines' own unless asked for, so each
# engine gets its explicit form: PostgreSQL orders string_agg by the array's ordinality;
# SQLite (group_concat takes no ORDER BY before 3.44) looks the usual single row up directly
# and aggregates longer lists from a subquery ordered by the array's key, which SQLite keeps
# (an aggregate over an ordered subquery is never flattened).
SOURCE_ROWS_SQL = {
    "sqlite": """CASE WHEN json_array_length(c.source_row_ids) = 1
            THEN (SELECT CAST(sr.row_number AS TEXT) FROM source_rows sr
                  WHERE sr.id = CAST(json_extract(c.source_row_ids, '$[0]') AS INTEGER))
            ELSE (SELECT group_concat(n, ';') FROM (SELECT sr.row_number AS n
                  FROM json_each(c.source_row_ids) j JOIN source_rows sr
                  ON sr.id = CAST(j.value AS INTEGER) ORDER BY j.key)) END""",
    "postgresql": """(SELECT string_agg(CAST(sr.row_number AS text), ';' ORDER BY j.key)
            FROM jsonb_array_elements_text(CAST(c.source_row_ids AS jsonb))
                 WITH ORDINALITY AS j(value, key)
            JOIN source_rows sr ON sr.id = CAST(j.value AS bigint))""",
}

# Text columns come as '' rather than NULL: the export writes a cell of each as it is
EXPORT_QUERY = """
SELECT coalesce(i.file_name, '') AS import_file,
       coalesce({source_rows}, '') AS source_row,
       coalesce(p.name, '') AS person_name, coalesce(p.dob, '') AS dob,
       coalesce(p.cii, '') AS cii, coalesce(c.case_number, '') AS case_number,
       coalesce(c.county, '') AS county, coalesce(c.code_section, '') AS code_section,
       c.attempted, c.conspiracy, coalesce(c.level, '') AS offense_level,
       coalesce(c.conviction_date, '') AS conviction_date,
       coalesce(c.outcome, s.outcome, '') AS outcome,
       coalesce(c.remedy, s.remedy, '') AS remedy,
       coalesce(d.reasons, s.reasons, '') AS reasons_json,
       coalesce(d.authority, s.authority, '') AS authority,
       coalesce(c.review_status, '') AS review_status,
       {decisions}
FROM convictions c
JOIN people p ON p.id = c.person_id
JOIN imports i ON i.id = c.import_id
LEFT JOIN determinations d ON d.id = c.determination_id
LEFT JOIN shared_determinations s ON c.determination_id IS NULL AND c.id <= :last
     AND s.run_id = :run AND {shared}
LEFT JOIN reviews r ON r.id = c.review_id
{where}
ORDER BY c.id
"""


# What a clerk's review, override or a prosecutor's opinion fills in: one column each, or
# (`packed`) one cell per conviction, NULL when there is none of them (most convictions of a
# county's first export) else a JSON object of them, so a county's export reads a fifth fewer
# cells (reports/export_cells.py unpacks it).
DECISIONS_SQL = """coalesce(r.clerk, '') AS reviewed_by, coalesce(r.decided_at, '') AS reviewed_at,
       coalesce(r.decided_outcome, '') AS decided_outcome, c.override_outcome,
       coalesce(c.prosecutor_outcome, '') AS prosecutor_outcome,
       coalesce(c.prosecutor_reason, '') AS prosecutor_reason,
       coalesce(r.note, '') AS review_note"""
_PACKED = ("CASE WHEN c.review_id IS NULL AND c.override_outcome IS NULL"
           " AND c.prosecutor_outcome IS NULL AND c.prosecutor_reason IS NULL THEN NULL"
           " ELSE {json}('reviewed_by', r.clerk, 'reviewed_at', r.decided_at,"
           " 'decided_outcome', r.decided_outcome, 'override_outcome', c.override_outcome,"
           " 'prosecutor_outcome', c.prosecutor_outcome, 'prosecutor_reason', c.prosecutor_reason,"
           " 'review_note', r.note){cast} END AS decisions")
PACKED_DECISIONS_SQL = {
    "sqlite": _PACKED.format(json="json_object", cast=""),
    "postgresql": _PACKED.format(json="CAST(json_build_object", cast=" AS text)"),
}


@dataclass(frozen=True)
class AuditFilter:
    """What the audit view and its export narrow the log to; None means no limit.

    `since`/`until` are ISO timestamps compared with `audit_log.at` (UTC): since <= at < until.
    """

    actor: str | None = None
    since: str | None = None
    until: str | None = None
    case_number: str | None = None  # substring, case-insensitive


@dataclass(frozen=True)
class ImportErrorRow:
    import_id: int
    file_name: str
    row_number: int | None
    column: str | None
    value: str | None
    message: str


def _audit_where(f: AuditFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.actor:
        clauses.append("actor = ?")
        params.append(f.actor)
    if f.since:
        clauses.append("at >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("at < ?")
        params.append(f.until)
    if f.case_number:
        escaped = f.case_number.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        clauses.append("case_number LIKE ? ESCAPE '!'")
        params.append(f"%{escaped}%")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _audit_entry(r: Any) -> AuditEntry:
    return AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["entity"], r["entity_id"],
                      r["case_number"], r["details"], r["prev_hash"], r["hash"])


CANNABIS = "c.section_number IN ('11357', '11358', '11359', '11360')"

# name -> (SQL expression over convictions c / people p, filter): a fixed list, never user input
STATS_BREAKDOWNS: dict[str, tuple[str, str]] = {
    "by_outcome": ("coalesce(c.outcome, 'not_evaluated')", ""),
    "by_review_status": ("c.review_status", ""),
    "by_section": ("c.section_number", ""),
    "by_level": ("c.level", ""),
    "by_decade": ("substr(c.conviction_date, 1, 3) || '0s'", ""),
    "by_county": ("upper(c.county)", ""),
    "by_race": ("p.race", ""),
    "by_gender": ("p.gender", ""),
    "cannabis_by_outcome_and_race": (
        "coalesce(c.outcome, 'not_evaluated') || ' / ' || coalesce(p.race, 'unknown')",
        f"WHERE {CANNABIS}"),
    "prosecutor_disagreements": (
        "c.prosecutor_outcome || ' -> ' || coalesce(c.outcome, 'not evaluated')",
        "WHERE c.prosecutor_outcome IS NOT NULL"
        " AND c.prosecutor_outcome IS NOT coalesce(c.outcome, '')"),
}


class ReportStore(StoreBase):
    def iter_export_rows(self, *, status: str | None = None,
                         ids: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every conviction with its person, latest determination and review, in import order.
        `status` filters on review status (pending/approved/denied/deferred); `ids` keeps only
        those convictions (the queue's current view)."""
        names, rows = self.export_tuples(status=status, ids=ids)
        for row in rows:
            yield dict(zip(names, row, strict=True))

    def export_tuples(self, *, status: str | None = None, ids: Sequence[int] | None = None,
                      after: int | None = None, upto: int | None = None, packed: bool = False,
                      ) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
        """`iter_export_rows` as the column names and plain tuples: a dict a row costs a
        second for a county's 300,000 convictions. `after`/`upto`: only conviction ids in
        that span (a share of the export written by another process). `packed`: the
        decisions' columns as one, `decisions` (see PACKED_DECISIONS_SQL)."""
        sql, params = self.export_sql(status=status, ids=ids, after=after, upto=upto,
                                      packed=packed)
        # plain tuples zipped with the column names: a dict from a sqlite3.Row looks up each
        # column by name, which took half the export's time at a county's size
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql, params)
        return [d[0] for d in cursor.description], iter(cursor)

    def export_sql(self, *, status: str | None = None, ids: Sequence[int] | None = None,
                   after: int | None = None, upto: int | None = None, packed: bool = False,
                   ) -> tuple[str, dict[str, Any]]:
        """The statement `export_tuples` runs and its parameters (bench/bench_export.py
        measures it alone)."""
        run, last = self.latest_scope()
        clauses, params = [COUNTED, *self.withdrawn_terms()], {"run": run, "last": last}
        if status:
            clauses.append("c.review_status = :status")
            params["status"] = status
        if after is not None:
            clauses.append("c.id > :after")
            params["after"] = after
        if upto is not None:
            clauses.append("c.id <= :upto")
            params["upto"] = upto
        if ids is not None:
            clauses.append("c.id IN (SELECT value FROM json_each(:ids))")
            params["ids"] = json.dumps(list(ids))
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        decisions = PACKED_DECISIONS_SQL[self.engine] if packed else DECISIONS_SQL
        return EXPORT_QUERY.format(where=where, shared=SHARED_MATCH, decisions=decisions,
                                   source_rows=SOURCE_ROWS_SQL[self.engine]), params

    def conviction_id_span(self) -> tuple[int, int]:
        """The lowest and highest conviction id ((0, 0) when there is none)."""
        low, high = self.conn.execute("SELECT min(id), max(id) FROM convictions").fetchone()
        return int(low or 0), int(high or 0)

    def data_version(self) -> int | None:
        """A number that changes whenever another connection commits a change to the store
        (SQLite's data_version); None where there is none (PostgreSQL): readers on two
        connections saw the same store if it did not change in between."""
        if self.engine != "sqlite":
            return None
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def conviction_breakdowns(self) -> dict[str, dict[str, int]]:
        """Conviction counts by each of STATS_BREAKDOWNS: the figures `stats` reports."""
        last = self.latest_scope()[1]
        outcome = resolved_outcome("c.outcome", last)
        return {name: self._count_by(expression.replace("c.outcome", outcome),
                                     where.replace("c.outcome", outcome))
                for name, (expression, where) in STATS_BREAKDOWNS.items()}

    def cannabis_conviction_count(self) -> int:
        return self.conn.execute(
            f"SELECT count(*) FROM convictions c WHERE"
            f" {' AND '.join([CANNABIS, COUNTED, *self.withdrawn_terms()])}").fetchone()[0]

    def _count_by(self, expression: str, where: str = "") -> dict[str, int]:
        for term in self.withdrawn_terms():
            where = f"{where} AND {term}" if where else f"WHERE {term}"
        sql = (
            f"SELECT {expression} AS k, count(*) FROM convictions c"
            f" JOIN people p ON p.id = c.person_id"
            f" {where + ' AND' if where else 'WHERE'} {COUNTED} GROUP BY k ORDER BY k"
        )
        return {("" if k is None else str(k)): n for k, n in self.conn.execute(sql)}

    def latest_run(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM eval_runs ORDER BY id DESC LIMIT 1").fetchone()
        return dict(row) if row else None

    # --- audit log (the audit view and its xlsx export) ---------------------------------

    def audit_count(self, f: AuditFilter | None = None) -> int:
        where, params = _audit_where(f or AuditFilter())
        return int(self.conn.execute(f"SELECT count(*) FROM audit_log{where}", params).fetchone()[0])

    def audit_page(self, f: AuditFilter | None = None, *, before_id: int | None = None,
                   limit: int = 500) -> list[AuditEntry]:
        """Newest first; page on with `before_id` = the last id seen (keyset, no OFFSET scan)."""
        where, params = _audit_where(f or AuditFilter())
        if before_id is not None:
            where += (" AND " if where else " WHERE ") + "id < ?"
            params.append(before_id)
        sql = f"SELECT * FROM audit_log{where} ORDER BY id DESC LIMIT ?"
        return [_audit_entry(r) for r in self.conn.execute(sql, [*params, limit])]

    def iter_audit(self, f: AuditFilter | None = None, *, batch: int = 2000) -> Iterator[AuditEntry]:
        """Every matching entry, newest first, read a page at a time."""
        before: int | None = None
        while True:
            page = self.audit_page(f, before_id=before, limit=batch)
            yield from page
            if len(page) < batch:
                return
            before = page[-1].id

    def audit_actors(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT actor FROM audit_log GROUP BY actor ORDER BY actor COLLATE NOCASE")]

    # --- import errors (the import summary's table and its xlsx export) -----------------

    def import_error_rows(self, import_ids: list[int]) -> list[ImportErrorRow]:
        if not import_ids:
            return []
        marks = ",".join("?" * len(import_ids))
        sql = ('SELECT e.import_id, i.file_name, e.row_number, e."column", e.value, e.message'
               " FROM import_errors e JOIN imports i ON i.id = e.import_id"
               f" WHERE e.import_id IN ({marks}) ORDER BY e.import_id, e.row_number, e.id")
        return [ImportErrorRow(*r) for r in self.conn.execute(sql, list(import_ids))]

    # --- determinations that changed under decisions already made (evaluation dialog) ---

    def changed_decided_rows(self, conviction_ids: list[int]) -> list[dict[str, Any]]:
        """For each conviction: case, section, review status, the outcome the clerk decided,
        the determination before the latest one (old) and the latest (new)."""
        out: list[dict[str, Any]] = []
        run, last = self.latest_scope()
        new = resolved_outcome("c.outcome", last)
        # the run before the latest: its own determination, else its shared not_applicable
        prev, prev_last = self.latest_scope(before=run)
        ids = list(conviction_ids)
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            marks = ",".join("?" * len(chunk))
            sql = ("SELECT c.id, c.case_number, c.code_section, c.review_status,"
                   f" r.decided_outcome, {new} AS new_outcome,"
                   " coalesce((SELECT d.outcome FROM determinations d WHERE d.conviction_id = c.id"
                   "    AND d.run_id = ?), CASE WHEN c.id <= ? THEN 'not_applicable' END)"
                   " AS old_outcome"
                   " FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id"
                   f" WHERE c.id IN ({marks}) ORDER BY c.case_number, c.id")
            out += [dict(r) for r in self.conn.execute(sql, [prev, prev_last, *chunk])]
        return out
