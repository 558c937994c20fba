"""The review queue's queries: matching ids in sort order, rows by id, counts, filter choices.

The GUI never holds a million records: it asks for the ids that match a filter (a compact
`array('q')`, 8 bytes a row) and then for a few hundred rows at a time as the clerk scrolls.
Filtering and sorting happen here, in SQL, on indexed columns.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.base import StoreBase

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")
# Outcome filter values besides a single outcome.
CANNABIS = "cannabis"  # every evaluated cannabis conviction (all outcomes but not_applicable)
RELIEF_ONLY = "relief"  # the three outcomes that grant relief
EVERYTHING = "all"  # every conviction, evaluated or not

SORT_SQL = {
    "id": "c.id",
    "status": "c.review_status",
    "outcome": "c.outcome",
    "name": "p.name COLLATE NOCASE",
    "dob": "p.dob",
    "case_number": "c.case_number COLLATE NOCASE",
    "code_section": "c.code_section",
    "level": "c.level",
    "conviction_date": "c.conviction_date",
    "county": "c.county COLLATE NOCASE",
    "reasons": "c.reason_summary",
}
_NEEDS_PEOPLE = {"name", "dob"}
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class QueueFilter:
    outcome: str = CANNABIS  # CANNABIS | RELIEF_ONLY | EVERYTHING | an Outcome value
    review_status: str | None = None
    county: str | None = None
    code_section: str | None = None  # "HS 11357(c)", or a bare number "11357" for all its subs
    import_id: int | None = None
    disagree: bool = False  # prosecutor's outcome set and different from the engine's
    search: str = ""  # name prefix words, or a case-number prefix when it holds a digit


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: int
    review_status: str
    outcome: str | None
    name: str | None
    dob: str | None
    case_number: str | None
    code_section: str | None
    level: str | None
    conviction_date: str | None
    county: str | None
    reason_summary: str | None
    prosecutor_outcome: str | None


@dataclass(frozen=True)
class QueueOptions:
    counties: list[str]
    sections: list[str]
    imports: list[tuple[int, str]]  # (import id, file name)


def _where(f: QueueFilter) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    # A unary + keeps SQLite from choosing the low-selectivity outcome index for the broad
    # choices: walking the table in id order is faster than sorting 900,000 ids afterwards.
    if f.outcome == CANNABIS:
        clauses.append("+c.outcome IS NOT NULL AND +c.outcome != 'not_applicable'")
    elif f.outcome == RELIEF_ONLY:
        clauses.append("+c.outcome IN (?, ?, ?)")
        params.extend(RELIEF)
    elif f.outcome and f.outcome != EVERYTHING:
        clauses.append("c.outcome = ?")
        params.append(f.outcome)
    if f.review_status:
        clauses.append("c.review_status = ?")
        params.append(f.review_status)
    if f.county:
        clauses.append("c.county = ? COLLATE NOCASE")
        params.append(f.county)
    if f.code_section:
        if f.code_section.replace(".", "").isdigit():
            clauses.append("c.section_number = ?")
        else:
            clauses.append("c.code_section = ?")
        params.append(f.code_section)
    if f.import_id is not None:
        clauses.append("c.import_id = ?")
        params.append(f.import_id)
    if f.disagree:
        clauses.append("c.prosecutor_outcome IS NOT NULL AND c.prosecutor_outcome != ''"
                       " AND c.prosecutor_outcome IS NOT c.outcome")
    text = f.search.strip()
    if text:
        if any(ch.isdigit() for ch in text):
            clauses.append("c.case_number LIKE ? ESCAPE '\\'")
            params.append(_escape_like(text) + "%")
        else:
            tokens = _TOKEN.findall(text)
            if tokens:
                clauses.append(
                    "c.person_id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)"
                )
                params.append(" ".join(f'"{t}"*' for t in tokens))
    return clauses, params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class QueueStore(StoreBase):
    def queue_ids(self, f: QueueFilter, sort: str = "id", descending: bool = False) -> array:
        """The ids of the convictions matching `f`, in sort order (ties by id)."""
        clauses, params = _where(f)
        order = SORT_SQL.get(sort, "c.id")
        join = " JOIN people p ON p.id = c.person_id" if sort in _NEEDS_PEOPLE else ""
        direction = " DESC" if descending else ""
        tie = "" if sort == "id" or sort not in SORT_SQL else f", c.id{direction}"
        sql = (
            f"SELECT c.id FROM convictions c{join}"
            + (" WHERE " + " AND ".join(clauses) if clauses else "")
            + f" ORDER BY {order}{direction}{tie}"
        )
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(sql, params)
        ids = array("q")
        while True:
            chunk = cur.fetchmany(65536)
            if not chunk:
                break
            ids.extend([r[0] for r in chunk])
        return ids

    def queue_rows(self, ids: Sequence[int]) -> dict[int, QueueRow]:
        """The queue's columns for these convictions (a window of a few hundred at most)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(
            "SELECT c.id, c.review_status, c.outcome, p.name, p.dob, c.case_number,"
            " c.code_section, c.level, c.conviction_date, c.county, c.reason_summary,"
            " c.prosecutor_outcome FROM convictions c JOIN people p ON p.id = c.person_id"
            f" WHERE c.id IN ({marks})",
            tuple(ids),
        )
        return {r[0]: QueueRow(*r) for r in cur}

    def queue_counts(self, f: QueueFilter) -> dict[tuple[str | None, str], int]:
        """(outcome, review status) -> count, over the convictions matching `f`."""
        clauses, params = _where(f)
        sql = "SELECT c.outcome, c.review_status, count(*) FROM convictions c"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        rows = self.conn.execute(sql + " GROUP BY c.outcome, c.review_status", params)
        return {(r[0], r[1]): r[2] for r in rows}

    def queue_options(self) -> QueueOptions:
        """The choices the filter bar offers: what the store actually holds."""
        counties = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT county COLLATE NOCASE FROM convictions WHERE county IS NOT NULL"
            " AND county != '' ORDER BY 1"
        )]
        numbers = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT section_number FROM convictions"
            " WHERE section_number IN ('11357', '11358', '11359', '11360') ORDER BY 1"
        )]
        sections = [r[0] for r in self.conn.execute(
            "SELECT DISTINCT code_section FROM convictions WHERE section_number IN"
            " ('11357', '11358', '11359', '11360') AND code_section IS NOT NULL ORDER BY 1"
        )]
        imports = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT id, file_name FROM imports WHERE status = 'complete' ORDER BY id"
        )]
        return QueueOptions(counties, numbers + [s for s in sections if s not in numbers],
                            imports)

    def conviction_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM convictions").fetchone()[0])

    def latest_run(self) -> dict | None:
        """The newest evaluation run (policy, as-of) for the status bar, or None."""
        row = self.conn.execute(
            "SELECT id, policy_name, policy_hash, as_of, county, finished_at FROM eval_runs"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return dict(row) if row else None
