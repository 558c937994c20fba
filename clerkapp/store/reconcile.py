"""The reconciliation's SQL: which imports are the DOJ's and the court's, each side's
cannabis convictions with the identity of their person, and the links table (one row per
conviction or linked pair), the clerk's confirmations and rejections, and the reconcile file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from clerkapp.store.base import StoreBase, dumps, now_iso
from clerkapp.store.row_text import row_cells

# What a reconciliation compares: the cannabis sections, and anything an evaluation found
# to be a cannabis conviction (a charge in words that needs review)
RECONCILE_SCOPE = ("(c.section_number IN ('11357', '11358', '11359', '11360')"
                   " OR (c.outcome_in_force IS NOT NULL"
                   " AND c.outcome_in_force != 'not_applicable'))")
DOJ_PRESETS = ("doj",)
COURT_PRESETS = ("generic",)  # court and prosecutor spreadsheets
# Spreadsheet headers holding an SSN or a driver's licence (normalize_header spellings):
# sheets map no field to them, but the values are kept in the source rows
SSN_HEADERS = frozenset({"ssn", "socialsecurity", "socialsecurityno", "socialsecuritynumber",
                         "socsecno", "ssno", "prissn", "reqssn"})
CDL_HEADERS = frozenset({"cdl", "dl", "dlno", "dlnumber", "driverslicense", "driverlicense",
                         "driverslicenseno", "driverlicenseno", "driverslicensenumber",
                         "driverlicensenumber", "oln", "pricdl", "reqcdl"})
LINK_COLUMNS = ("doj_id", "court_id", "status", "match_key", "score", "note", "merged_id")
# One conviction's columns in the reconcile file, for the DOJ side (d) and the court side (k)
_SIDE = ("{a}.case_number, p{a}.name, p{a}.dob, p{a}.cii, {a}.code_section,"
         " {a}.conviction_date")
_LINKS_JOINED = (" FROM reconcile_links l"
                 " LEFT JOIN convictions d ON d.id = l.doj_id"
                 " LEFT JOIN convictions k ON k.id = l.court_id"
                 " LEFT JOIN people pd ON pd.id = d.person_id"
                 " LEFT JOIN people pk ON pk.id = k.person_id")
_LINK_ROWS = ("SELECT l.id, l.status, l.match_key, l.score, l.note, l.doj_id, l.court_id, "
              + _SIDE.format(a="d") + ", " + _SIDE.format(a="k") + _LINKS_JOINED)


@dataclass(frozen=True)
class LinksDiff:
    counts: dict[str, int]  # status -> rows of the run
    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class ReconcileSource:
    import_id: int
    file_name: str
    preset: str
    ssn_column: int | None  # index into the source row's values, None when the file has none
    cdl_column: int | None


def _cell(values: list[Any], column: int | None) -> Any:
    """A source row's cell at `column`; None past its end or for no column (as SQL's
    json_extract gives)."""
    return values[column] if column is not None and 0 <= column < len(values) else None


class ReconcileStore(StoreBase):
    def reconcile_sources(self, import_ids: Sequence[int] | None, presets: tuple[str, ...]
                          ) -> list[ReconcileSource]:
        """The complete imports of these presets (all of them when `import_ids` is None),
        with where their rows keep an SSN and a driver's licence number."""
        rows = self.conn.execute(
            "SELECT id, file_name, preset, headers FROM imports WHERE status = 'complete'"
            " AND withdrawn_at IS NULL"
            f" AND preset IN ({','.join('?' * len(presets))}) ORDER BY id", presets).fetchall()
        wanted = None if import_ids is None else {int(i) for i in import_ids}
        out = []
        for r in rows:
            if wanted is not None and r["id"] not in wanted:
                continue
            headers = [normalize_header(h) for h in json.loads(r["headers"] or "[]")]
            out.append(ReconcileSource(
                r["id"], r["file_name"], r["preset"],
                _first(headers, SSN_HEADERS, prefer=("prissn",)),
                _first(headers, CDL_HEADERS, prefer=("pricdl",))))
        return out

    def import_presets(self, import_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Import id -> (preset, status), for the ids that exist."""
        marks = ",".join("?" * len(import_ids)) or "NULL"
        return {r[0]: (r[1], r[2]) for r in self.conn.execute(
            f"SELECT id, preset, status FROM imports WHERE id IN ({marks})", list(import_ids))}

    def iter_reconcile_rows(self, source: ReconcileSource, *, identifiers: bool = True,
                            within: str = "1 = 1") -> Iterator[tuple]:
        """The import's cannabis convictions in person order: (id, person id, name, aliases
        JSON, dob, cii, ssn, cdl, case number, case numbers JSON, section code, number, subs,
        attempted, level, disposition, conviction date, review status). `identifiers`: read
        SSN and licence from the source rows (False: NULL, the cheaper query); `within`: SQL
        over `c` keeping the court's county's (`store.county_scope`)."""
        ssn, cdl = source.ssn_column, source.cdl_column
        # the first source row's cells, read here in either of its forms (store.row_text)
        cells = identifiers and (ssn is not None or cdl is not None)
        first_row = ('(SELECT sr."values" FROM source_rows sr WHERE sr.id ='
                     " CAST(json_extract(c.source_row_ids, '$[0]') AS INTEGER))"
                     if cells else "NULL")
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(
            "SELECT c.id, c.person_id, p.name, p.aliases, p.dob, p.cii,"
            f" {first_row}, NULL,"
            " c.case_number, cs.case_numbers, c.section_code, c.section_number, c.section_subs,"
            " c.attempted, c.level, c.disposition, c.conviction_date, c.review_status"
            " FROM convictions c JOIN people p ON p.id = c.person_id"
            " LEFT JOIN cases cs ON cs.id = c.case_id"
            f" WHERE c.import_id = ? AND {RECONCILE_SCOPE} AND {within}"
            " ORDER BY c.person_id, c.id",
            (source.import_id,))
        while batch := cur.fetchmany(5000):
            if not cells:
                yield from batch
                continue
            for row in batch:
                values = row_cells(row[6])
                yield (*row[:6], _cell(values, ssn), _cell(values, cdl), *row[8:])

    def reconcile_left_out(self, import_ids: Sequence[int], where: str) -> int:
        """How many of these imports' cannabis convictions `where` (SQL over `c`) holds for:
        those of other counties a reconciliation leaves out."""
        return int(self.conn.execute(
            "SELECT count(*) FROM convictions c WHERE c.import_id IN"
            f" (SELECT value FROM json_each(?)) AND {RECONCILE_SCOPE} AND {where}",
            (json.dumps([int(i) for i in import_ids]),)).fetchone()[0])

    def printed_conviction_ids(self, ids: Sequence[int]) -> set[int]:
        """Those of `ids` an order was printed for."""
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT conviction_id FROM order_items WHERE conviction_id IN"
            " (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))}

    def court_copy_case_numbers(self, ids: Sequence[int]) -> dict[int, str]:
        """{conviction id: the case number the court's copy gives} for those of `ids` that
        count for a reconciled pair whose court copy is merged into them (the court's own
        number, which may be written otherwise than the DOJ's)."""
        return {int(r[0]): str(r[1]) for r in self.conn.execute(
            "SELECT l.doj_id, coalesce(nullif(c.case_number, ''),"
            " json_extract(cs.case_numbers, '$[0]')) FROM reconcile_links l"
            " JOIN convictions c ON c.id = l.court_id LEFT JOIN cases cs ON cs.id = c.case_id"
            " WHERE l.merged_id = l.court_id AND l.doj_id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in ids]),)) if r[1]}

    # --- the links table ------------------------------------------------------------------

    def start_reconcile_run(self, doj_imports: list[int], court_imports: list[int],
                            operator: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO reconcile_runs (doj_imports, court_imports, operator, started_at)"
            " VALUES (?, ?, ?, ?)", (dumps(doj_imports), dumps(court_imports), self.actor(operator),
                                     now_iso()))
        return int(cur.lastrowid)

    def finish_reconcile_run(self, run_id: int, counts: dict[str, int], *, county: str = "",
                             left_out: dict[str, int] | None = None) -> None:
        """The run's counts, the county it kept and how many of other counties it left out."""
        self.conn.execute(
            "UPDATE reconcile_runs SET finished_at = ?, counts = ?, county = ?, left_out = ?"
            " WHERE id = ?", (now_iso(), dumps(counts), county or None, dumps(left_out or {}),
                              run_id))

    def stage_links(self, rows: Iterable[tuple]) -> None:
        """A run's rows, (doj id, court id, status, match key, score, note, merged id), into
        a temporary table for `apply_staged_links` (inside the caller's transaction)."""
        self.conn.execute("DROP TABLE IF EXISTS temp.staged_links")
        self.conn.execute(
            "CREATE TEMP TABLE staged_links (doj_id INTEGER, court_id INTEGER, status TEXT,"
            " match_key TEXT, score REAL, note TEXT, merged_id INTEGER)")
        self.conn.executemany("INSERT INTO temp.staged_links VALUES (?, ?, ?, ?, ?, ?, ?)",
                              rows)

    def apply_staged_links(self, run_id: int, doj_imports: list[int],
                           court_imports: list[int]) -> LinksDiff:
        """Make the links of these imports the staged ones: rows the same as before stay as
        they are (with their run), the others are deleted and the new ones inserted. Every
        conviction is in one row, so a row is found again by its DOJ conviction, or by its
        court conviction when it has none."""
        conn = self.conn
        conn.execute("DROP TABLE IF EXISTS temp.scope_links")
        conn.execute(
            "CREATE TEMP TABLE scope_links AS SELECT l.* FROM reconcile_links l"
            " LEFT JOIN convictions d ON d.id = l.doj_id"
            " LEFT JOIN convictions k ON k.id = l.court_id"
            " WHERE d.import_id IN (SELECT value FROM json_each(?1))"
            " OR k.import_id IN (SELECT value FROM json_each(?2))",
            (json.dumps(doj_imports), json.dumps(court_imports)))
        for table, column in (("staged_links", "doj_id"), ("staged_links", "court_id"),
                              ("scope_links", "doj_id"), ("scope_links", "court_id")):
            conn.execute(f"CREATE INDEX temp.{table}_{column} ON {table}({column})")
        # (a unary + keeps the planner on the join's index: `IS NULL` on another indexed
        # column would match every row alone on the other side)
        same = " AND ".join(f"+s.{c} IS +l.{c}" for c in (
            "doj_id", "court_id", "status", "match_key", "score", "note", "merged_id"))
        conn.execute("DROP TABLE IF EXISTS temp.kept_links")
        conn.execute("CREATE TEMP TABLE kept_links (link_id INTEGER PRIMARY KEY,"
                     " staged INTEGER UNIQUE)")
        conn.execute(
            "INSERT INTO kept_links SELECT l.id, s.rowid FROM staged_links s JOIN scope_links l"
            f" ON l.doj_id = s.doj_id WHERE {same}")
        conn.execute(
            "INSERT INTO kept_links SELECT l.id, s.rowid FROM staged_links s JOIN scope_links l"
            f" ON l.court_id = s.court_id WHERE s.doj_id IS NULL AND {same}")
        kept = conn.execute("SELECT count(*) FROM kept_links").fetchone()[0]
        before = conn.execute("SELECT count(*) FROM scope_links").fetchone()[0]
        # new or different rows of a conviction the last run already had
        changed = conn.execute(
            "SELECT count(*) FROM staged_links s WHERE s.rowid NOT IN"
            " (SELECT staged FROM kept_links) AND (EXISTS (SELECT 1 FROM scope_links l"
            " WHERE l.doj_id = s.doj_id) OR EXISTS (SELECT 1 FROM scope_links l"
            " WHERE l.court_id = s.court_id))").fetchone()[0]
        conn.execute("DELETE FROM reconcile_links WHERE id IN (SELECT id FROM scope_links"
                     " WHERE id NOT IN (SELECT link_id FROM kept_links))")
        conn.execute(
            "INSERT INTO reconcile_links (run_id, doj_id, court_id, status, match_key, score,"
            " note, merged_id) SELECT ?, doj_id, court_id, status, match_key, score, note,"
            " merged_id FROM staged_links WHERE rowid NOT IN (SELECT staged FROM kept_links)",
            (run_id,))
        staged = conn.execute("SELECT count(*) FROM staged_links").fetchone()[0]
        counts = dict(conn.execute("SELECT status, count(*) FROM staged_links GROUP BY status"))
        for table in ("staged_links", "scope_links", "kept_links"):
            conn.execute(f"DROP TABLE temp.{table}")
        return LinksDiff(counts=counts, added=staged - kept - changed, changed=changed,
                         removed=max(0, before - kept - changed), unchanged=kept)

    def delete_links(self, link_ids: Sequence[int]) -> None:
        for start in range(0, len(link_ids), 50000):
            self.conn.execute("DELETE FROM reconcile_links WHERE id IN"
                              " (SELECT value FROM json_each(?))",
                              (json.dumps(list(link_ids[start:start + 50000])),))

    def insert_links(self, run_id: int, rows: Sequence[tuple]) -> None:
        """rows: (doj id, court id, status, match key, score, note, merged id)."""
        self.conn.executemany(
            "INSERT INTO reconcile_links (run_id, doj_id, court_id, status, match_key, score,"
            " note, merged_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, *r) for r in rows])

    def reconcile_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT status, count(*) FROM reconcile_links GROUP BY status")}

    def last_reconcile_run(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM reconcile_runs WHERE finished_at IS NOT NULL"
                                " ORDER BY id DESC LIMIT 1").fetchone()
        return dict(row) if row else None

    def link_ids(self, status: str | None = None, search: str = "") -> list[int]:
        """The links to list, in case-number order, narrowed by status and by a case
        number or name prefix."""
        clauses, params = [], []
        if status:
            clauses.append("l.status = ?")
            params.append(status)
        text = search.strip()
        if text:
            like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append("(" + " OR ".join(
                f"{column} LIKE ? ESCAPE '\\'" for column in
                ("d.case_number", "k.case_number", "pd.name", "pk.name")) + ")")
            params.extend([like] * 4)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [r[0] for r in self.conn.execute(
            "SELECT l.id" + _LINKS_JOINED + where +
            " ORDER BY coalesce(d.case_number, k.case_number) COLLATE NOCASE, l.id", params)]

    def link_rows(self, link_ids: Sequence[int]) -> dict[int, tuple]:
        """Link id -> (status, match key, score, note, doj id, court id, then the DOJ side's
        case number, name, dob, cii, code section, conviction date, then the court's)."""
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(_LINK_ROWS + " WHERE l.id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(link_ids)),))
        return {r[0]: r[1:] for r in cur}

    def iter_link_export(self, status: str | None = None) -> Iterator[tuple]:
        """Every link as `link_rows` gives it (without the id), in case-number order."""
        where, params = (" WHERE l.status = ?", (status,)) if status else ("", ())
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(_LINK_ROWS + where + " ORDER BY coalesce(d.case_number, k.case_number),"
                    " l.id", params)
        while batch := cur.fetchmany(5000):
            for r in batch:
                yield r[1:]

    # --- the clerk's confirmations and rejections -----------------------------------------

    def link_by_id(self, link_id: int) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM reconcile_links WHERE id = ?",
                                (link_id,)).fetchone()
        return dict(row) if row else None

    def pair_decisions(self) -> dict[tuple[int, int], tuple[str, str, str | None]]:
        """(doj id, court id) -> the clerk's decision in force: (confirmed | rejected, clerk,
        note)."""
        out: dict[tuple[int, int], tuple[str, str, str | None]] = {}
        for r in self.conn.execute("SELECT doj_id, court_id, decision, clerk, note"
                                   " FROM reconcile_decisions WHERE undone = 0 ORDER BY id"):
            out[(r[0], r[1])] = (r[2], r[3], r[4])
        return out

    def record_pair_decision(self, link: dict[str, Any], decision: str, clerk: str,
                             note: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO reconcile_decisions (doj_id, court_id, decision, clerk, decided_at,"
            " note, link) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (link["doj_id"], link["court_id"], decision, self.actor(clerk), now_iso(), note,
             dumps({k: link[k] for k in ("run_id", *LINK_COLUMNS)})))
        return int(cur.lastrowid)

    def update_link(self, link_id: int, **values: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in values if k in LINK_COLUMNS)
        self.conn.execute(f"UPDATE reconcile_links SET {sets} WHERE id = ?",
                          (*[v for k, v in values.items() if k in LINK_COLUMNS], link_id))

    def pair_decision(self, decision_id: int) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM reconcile_decisions WHERE id = ?",
                                (decision_id,)).fetchone()
        return dict(row) if row else None

    def latest_pair_decision(self, clerk: str | None = None) -> int | None:
        clerk = self.actor(clerk) if clerk else None  # decisions are recorded under the login
        row = self.conn.execute(
            "SELECT id FROM reconcile_decisions WHERE undone = 0"
            + (" AND clerk = ?" if clerk else "") + " ORDER BY id DESC LIMIT 1",
            (clerk,) if clerk else ()).fetchone()
        return int(row[0]) if row else None

    def mark_pair_decision_undone(self, decision_id: int) -> None:
        self.conn.execute("UPDATE reconcile_decisions SET undone = 1 WHERE id = ?",
                          (decision_id,))

    def links_of_pair(self, doj_id: int, court_id: int) -> list[dict[str, Any]]:
        """The rows that hold either conviction of the pair now."""
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM reconcile_links WHERE doj_id = ? OR court_id = ? ORDER BY id",
            (doj_id, court_id))]

    def conviction_review_status(self, ids: Sequence[int]) -> dict[int, str]:
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, review_status FROM convictions WHERE id IN"
            " (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))}

    def reconcile_side(self, conviction_id: int | None) -> dict[str, Any]:
        """One side of a pair as the window compares it: the person, the conviction, and
        where it was read (file and rows). Empty for no conviction."""
        if not conviction_id:
            return {}
        row = self.conn.execute(
            "SELECT p.name, p.dob, p.cii, c.case_number, c.code_section, c.level,"
            " c.disposition, c.conviction_date, c.review_status, i.file_name,"
            " (SELECT group_concat(s.row_number, ', ') FROM json_each(c.source_row_ids) j"
            "  JOIN source_rows s ON s.id = CAST(j.value AS INTEGER)) AS rows"
            " FROM convictions c JOIN people p ON p.id = c.person_id"
            " JOIN imports i ON i.id = c.import_id WHERE c.id = ?", (conviction_id,)).fetchone()
        return dict(row) if row else {}


def normalize_header(text: object) -> str:
    """`Driver's License #` -> `driverslicenseno` (the spelling ingest.mapping compares)."""
    s = str(text or "").lower().replace("#", "no").replace("&", "and")
    return re.sub(r"[^a-z0-9]+", "", s)


def _first(headers: list[str], names: frozenset[str], prefer: tuple[str, ...]) -> int | None:
    for name in prefer:
        if name in headers:
            return headers.index(name)
    for i, h in enumerate(headers):
        if h in names:
            return i
    return None
