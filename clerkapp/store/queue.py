"""The review queue's queries: matching ids in sort order, rows by id, counts, filter choices.

The GUI never holds a million records: it asks for the ids that match a filter (a compact
`array('q')`, 8 bytes a row) and then for a few hundred rows at a time as the clerk scrolls.
Filtering and sorting happen here, in SQL, on indexed columns. The outcome the queue shows,
filters and sorts on is the one in force (`convictions.outcome_in_force`): the clerk's override
while the current review is one, else the engine's.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from clerkapp.domain.closeout import Progress
from clerkapp.store.base import COUNTED, SHARED_MATCH, StoreBase, resolved_outcome
from clerkapp.store.closeout import closeout_clause
from clerkapp.store.closeout_sql import ORDER_DATE

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")
# Outcome filter values besides a single outcome.
CANNABIS = "cannabis"  # every evaluated cannabis conviction (all outcomes but not_applicable)
RELIEF_ONLY = "relief"  # the three outcomes that grant relief
EVERYTHING = "all"  # every conviction, evaluated or not

SORT_SQL = {
    "id": "c.id",
    "status": "c.review_status",
    "outcome": "c.outcome_in_force",
    "name": "p.name COLLATE NOCASE",
    "dob": "p.dob",
    "case_number": "c.case_number COLLATE NOCASE",
    "code_section": "c.code_section",
    "level": "c.level",
    "conviction_date": "c.conviction_date",
    "county": "c.county COLLATE NOCASE",
    "reasons": "c.reason_summary",
    "closeout": ORDER_DATE,  # the order date: the oldest, most urgent, first
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
    closeout: str | None = None  # a close-out filter (store.closeout.CLOSEOUT_FILTERS)
    not_on_doj: bool = False  # only the court's convictions a reconciliation found court_only


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
    engine_outcome: str | None = None  # the evaluation's, which an override replaces
    overridden: bool = False  # the outcome in force is the clerk's override
    decided_outcome: str | None = None  # what the clerk approved or denied, if decided
    closeout: Progress | None = None  # ordered? reported? (granted or once-ordered only)
    review_id: int | None = None  # the review in force when read: what a decision expects


@dataclass(frozen=True)
class QueueOptions:
    counties: list[str]
    sections: list[str]
    imports: list[tuple[int, str]]  # (import id, file name)


def _where(f: QueueFilter, last: int, name_search: Callable[[list[str]], tuple[str, list[str]]],
           ) -> tuple[list[str], list[object], str | None]:
    """The WHERE terms and their parameters, and the partial index worth naming, if any.
    `last`: the latest run's last conviction id (a NULL outcome up to it is not_applicable);
    `name_search`: the engine's name-search clause (StoreBase.name_search_clause)."""
    clauses: list[str] = [COUNTED]
    params: list[object] = []
    # The broad outcome choices match partial indexes (migrations.py) that list their ids in
    # order. When a narrower filter is also set, a unary + hides the outcome column from the
    # planner so the narrow filter's index is used instead.
    narrow = bool(f.disagree or f.not_on_doj or f.search.strip() or f.county or f.code_section
                  or f.closeout
                  or f.import_id is not None or f.review_status not in (None, "pending"))
    o = "+c.outcome_in_force" if narrow else "c.outcome_in_force"
    if f.outcome == CANNABIS:
        clauses.append(f"{o} IS NOT NULL AND {o} != 'not_applicable'")
    elif f.outcome == RELIEF_ONLY:
        clauses.append(f"{o} IN ('dismiss_and_seal', 'redesignate_misdemeanor',"
                       " 'redesignate_infraction')")
    elif f.outcome == "not_applicable":
        clauses.append(f"{resolved_outcome('c.outcome_in_force', last)} = 'not_applicable'")
    elif f.outcome and f.outcome != EVERYTHING:
        clauses.append("c.outcome_in_force = ?")
        params.append(f.outcome)
    if f.review_status:
        # 'pending' is most of a fresh queue: an index on it would cost more than a scan
        column = "+c.review_status" if f.review_status == "pending" else "c.review_status"
        clauses.append(f"{column} = ?")
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
                       f" AND c.prosecutor_outcome IS NOT {resolved_outcome('c.outcome', last)}")
    if f.closeout:
        clauses.append(closeout_clause(f.closeout))
    if f.not_on_doj:
        clauses.append("c.id IN (SELECT court_id FROM reconcile_links WHERE status = 'court_only')")
    text = f.search.strip()
    if text:
        if any(ch.isdigit() for ch in text):
            clauses.append("c.case_number LIKE ? ESCAPE '\\'")
            params.append(_escape_like(text) + "%")
        else:
            tokens = _TOKEN.findall(text)
            if tokens:
                clause, values = name_search(tokens)
                clauses.append(clause)
                params.extend(values)
    # SQLite does not see on its own that an IN list matches the partial index.
    hint = "convictions_queue_relief" if f.outcome == RELIEF_ONLY and not narrow else None
    return clauses, params, hint


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class QueueStore(StoreBase):
    def queue_ids(self, f: QueueFilter, sort: str = "id", descending: bool = False) -> array:
        """The ids of the convictions matching `f`, in sort order (ties by id)."""
        last = self.latest_scope()[1]
        withdrawn = self.withdrawn_terms()
        if (sort == "id" and f.outcome == "not_applicable" and not withdrawn
                and replace(f, review_status=None) == QueueFilter(outcome="not_applicable")
                and f.review_status in (None, "pending")
                and "convictions_outcome" in self._convictions_indexes()):
            return self._not_applicable_ids(f, last, descending)
        clauses, params, hint = _where(f, last, self.name_search_clause)
        clauses += withdrawn
        order = SORT_SQL.get(sort, "c.id")
        join = " JOIN people p ON p.id = c.person_id" if sort in _NEEDS_PEOPLE else ""
        direction = " DESC" if descending else ""
        tie = "" if sort == "id" or sort not in SORT_SQL else f", c.id{direction}"
        if tie:  # a missing value sorts first, as SQLite puts it, on both engines
            direction += " NULLS LAST" if descending else " NULLS FIRST"
        if hint and (sort != "id" or hint not in self._convictions_indexes()):
            hint = None
        table = f"convictions c INDEXED BY {hint}" if hint else "convictions c"
        source = (f"FROM {table}{join}"
                  + (" WHERE " + " AND ".join(clauses) if clauses else ""))
        return self.id_array(source, params, f"{order}{direction}{tie}")

    def _not_applicable_ids(self, f: QueueFilter, last: int, descending: bool) -> array:
        """The "Not applicable" filter, most of a big evaluated store: the convictions the
        latest run left without an outcome of their own (up to its last id: a shared
        determination) and those decided not applicable, each read from the outcome index
        instead of scanning the whole table, then put in id order (a few long ordered runs:
        a quick merge). The filter's other terms are `_where`'s own. The index holds every
        id the filter needs, so it pays even when most convictions are not applicable: on
        the evaluated million-row DOJ store (276,937 of 331,727) it takes 72 ms where a
        scan of the table takes 119 ms (bench/bench_queue.py --db)."""
        terms, params, _ = _where(replace(f, outcome=EVERYTHING), last, self.name_search_clause)
        ids: list[int] = []
        for branch, first in (("c.outcome_in_force IS NULL AND c.id <= ?", [int(last)]),
                              ("c.outcome_in_force = 'not_applicable'", [])):
            ids += self.id_array("FROM convictions c INDEXED BY convictions_outcome"
                                 f" WHERE {' AND '.join([branch, *terms])}", [*first, *params])
        ids.sort(reverse=descending)
        return array("q", ids)

    def _convictions_indexes(self) -> set[str]:
        names = getattr(self, "_queue_index_names", None)
        if names is None:
            names = self.index_names("convictions")
            self._queue_index_names = names
        return names

    def queue_rows(self, ids: Sequence[int]) -> dict[int, QueueRow]:
        """The queue's columns for these convictions (a window of a few hundred at most)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        run, last = self.latest_scope()
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(
            f"SELECT c.id, c.review_status, {resolved_outcome('c.outcome_in_force', last)},"
            " p.name, p.dob, c.case_number, c.code_section, c.level, c.conviction_date,"
            " c.county, coalesce(c.reason_summary, (SELECT s.reason_summary"
            f"   FROM shared_determinations s WHERE s.run_id = ? AND c.id <= ? AND {SHARED_MATCH})),"
            f" c.prosecutor_outcome, {resolved_outcome('c.outcome', last)},"
            " c.override_outcome IS NOT NULL,"
            " CASE WHEN c.review_status IN ('approved', 'denied') THEN r.decided_outcome END,"
            " c.review_id FROM convictions c JOIN people p ON p.id = c.person_id"
            " LEFT JOIN reviews r ON r.id = c.review_id"
            f" WHERE c.id IN ({marks})",
            (run, last, *ids),
        )
        rows = {r[0]: QueueRow(*r[:13], bool(r[13]), r[14], review_id=r[15]) for r in cur}
        for cid, progress in self.closeout_progress(list(rows)).items():  # type: ignore[attr-defined]
            rows[cid] = replace(rows[cid], closeout=progress)
        return rows

    def queue_counts(self, f: QueueFilter) -> dict[tuple[str | None, str], int]:
        """(outcome in force, review status) -> count, over the convictions matching `f`."""
        last = self.latest_scope()[1]
        clauses, params, _hint = _where(f, last, self.name_search_clause)
        clauses += self.withdrawn_terms()
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        # grouped on the indexed column, then the NULL bucket split: up to the latest run's
        # last conviction a NULL outcome is that run's shared not_applicable
        counts: dict[tuple[str | None, str], int] = {}
        for o, status, n in self.conn.execute(
                "SELECT c.outcome_in_force, c.review_status, count(*) FROM convictions c"
                f"{where} GROUP BY c.outcome_in_force, c.review_status", params):
            counts[(o, status)] = n
        if last and any(o is None for o, _ in counts):
            later = " AND ".join([*clauses, "c.outcome_in_force IS NULL", "c.id > ?"])
            unevaluated = dict(self.conn.execute(
                f"SELECT c.review_status, count(*) FROM convictions c WHERE {later}"
                " GROUP BY c.review_status", [*params, last]).fetchall())
            for (o, status), n in list(counts.items()):
                if o is None:
                    del counts[(o, status)]
                    seen = n - unevaluated.get(status, 0)
                    if seen:
                        key = ("not_applicable", status)
                        counts[key] = counts.get(key, 0) + seen
                    if unevaluated.get(status):
                        counts[(None, status)] = unevaluated[status]
        return counts

    def queue_options(self) -> QueueOptions:
        """The choices the filter bar offers: what the store actually holds.

        Each distinct value is found by one index seek past the previous one, so a million
        rows with 58 counties cost 58 seeks, not a scan."""
        counties = self._distinct(
            "SELECT county FROM convictions WHERE county > ? COLLATE NOCASE"
            " ORDER BY county COLLATE NOCASE LIMIT 1", ())
        numbers: list[str] = []
        sections: list[str] = []
        for number in ("11357", "11358", "11359", "11360"):
            found = self._distinct(
                "SELECT code_section FROM convictions WHERE section_number = ?"
                " AND code_section > ? ORDER BY section_number, code_section LIMIT 1",
                (number,))
            if found:
                numbers.append(number)
                sections.extend(found)
        imports = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT id, file_name FROM imports WHERE status = 'complete' ORDER BY id"
        )]
        return QueueOptions(counties, numbers + sections, imports)

    def _distinct(self, sql: str, fixed: tuple, limit: int = 500) -> list[str]:
        values: list[str] = []
        last = ""
        while len(values) < limit:
            row = self.conn.execute(sql, (*fixed, last)).fetchone()
            if row is None or row[0] is None:
                break
            last = row[0]
            if last.strip():
                values.append(last)
        return values

    def conviction_count(self) -> int:
        where = " AND ".join(self.withdrawn_terms())
        return int(self.conn.execute(
            "SELECT count(*) FROM convictions c" + (f" WHERE {where}" if where else "")
        ).fetchone()[0])

    def latest_run(self) -> dict | None:
        """The newest evaluation run (policy, as-of) for the status bar, or None."""
        row = self.conn.execute(
            "SELECT id, policy_name, policy_hash, as_of, county, finished_at, rule_set_version"
            " FROM eval_runs"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return dict(row) if row else None
