"""All SQL for the eligibility engine: runs, the set-based part of a run, the histories of the
people the engine must look at, bulk writes, and pointing each conviction at its latest
determination.

A run has two parts. Most convictions (other counties, sections outside HS 11357-11360) are
not applicable for a reason that depends on nothing but their county and section: the rules
layer decides one determination per distinct (county, section) combination and the store
writes it once, shared by all of them, touching none of those convictions (a million rows
rewritten per run cost seconds; see migrations.SCHEMA_2). Only the people with at least one other conviction are streamed,
with their whole history (priors still count), in chunks. Rows come back as plain tuples (the
rules layer builds its own records from them), so the store does not depend on the layer above.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from clerkapp.jobs import Cancelled
from clerkapp.store.base import (
    COMBO_COLUMNS,
    SHARED_MATCH,
    StoreBase,
    combo_match,
    dumps,
    now_iso,
    resolved_outcome,
)

# column order of the tuples `iter_pending_histories` yields
CONVICTION_COLUMNS = (
    "id", "person_id", "section_code", "section_number", "section_subs", "attempted",
    "conspiracy", "level", "conviction_date", "offense_date", "offense_date_source",
    "cycle_key", "case_id", "case_number", "county", "sentence_end", "sentence_text",
    "raw_offense", "comment_text", "flags",
)
# a history row's combination (COMBO_COLUMNS), to tell whether it is pending
_combo_of = itemgetter(*(CONVICTION_COLUMNS.index(c) for c in COMBO_COLUMNS))
EVENT_COLUMNS = ("person_id", "kind", "event_date", "code_section", "text", "cycle_key")
PERSON_COLUMNS = ("id", "dob", "deceased")

_DETERMINATION_KEYS = ("id", "run_id", "outcome", "remedy", "reasons", "authority",
                       "policy_name", "policy_hash", "as_of", "rule_set_version")
_COMBO_JOIN = combo_match("f")  # a fixed key `f` of conviction `c`
_BULK_CACHE_KIB = 64 * 1024  # page cache while a run writes: index pages stay in memory
_READER_CACHE_KIB = 16 * 1024


@dataclass(frozen=True)
class HistoryChunk:
    """People (by id order) with every conviction and event of theirs, as tuples."""

    people: list[tuple[Any, ...]]
    convictions: list[tuple[Any, ...]]  # ordered by person_id, id; CONVICTION_COLUMNS
    events: list[tuple[Any, ...]]  # ordered by person_id, id
    # the ids of the convictions the engine decides (the others are in the history only:
    # `write_fixed_determinations` wrote theirs)
    pending: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class EvalRun:
    id: int
    rule_set_version: str
    policy_name: str
    policy_hash: str
    as_of: str
    county: str | None
    operator: str | None
    started_at: str
    finished_at: str | None
    counts: dict[str, int]


class RulesStore(StoreBase):
    def count_convictions(self) -> int:
        """The convictions a run determines: every one but a withdrawn import's (the run's
        counts, and the not applicable it shares, are of these)."""
        live = " AND ".join(self.withdrawn_terms())
        return int(self.conn.execute(
            f"SELECT count(*) FROM convictions c{' WHERE ' + live if live else ''}").fetchone()[0])

    @contextmanager
    def bulk_run(self) -> Iterator[None]:
        """A larger page cache, in-memory temp tables, no foreign-key checks and no automatic
        checkpoint while a run writes; its temp tables dropped and a checkpoint started in
        the background after. Open it outside the run's transaction (these
        pragmas cannot change inside one; inside a caller's, only the cache grows)."""
        conn = self.conn
        cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        temp = None if conn.in_transaction else conn.execute("PRAGMA temp_store").fetchone()[0]
        fks = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        auto = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
        # the commit would copy the run's pages into the file before returning: done after,
        # in the background (checkpoint_in_background)
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        if temp is not None:
            conn.execute("PRAGMA temp_store = MEMORY")
            # every id a run writes was just read from its parent table in the same
            # transaction: checking each of a million again costs seconds, proves nothing
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            for table in ("eval_keys", "eval_pending", "eval_people",
                          "eval_decided", "eval_results"):
                conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
            conn.execute(f"PRAGMA cache_size = {int(cache)}")
            conn.execute(f"PRAGMA wal_autocheckpoint = {int(auto)}")
            if not conn.in_transaction:
                self.checkpoint_in_background()
            if temp is not None and not conn.in_transaction:
                conn.execute(f"PRAGMA temp_store = {int(temp)}")
                conn.execute(f"PRAGMA foreign_keys = {int(fks)}")

    @contextmanager
    def interruptible(self, cancelled: Callable[[], bool] | None) -> Iterator[None]:
        """Inside the run's own transaction (never a caller's: SQLite ends the whole
        transaction when it interrupts a write): long statements stop soon after
        `cancelled()` turns true, raising Cancelled, and the caller's rollback still works."""
        if cancelled is None:
            yield
            return
        conn = self.conn
        done = threading.Event()

        # a watcher, not a progress handler: a handler needs the GIL every few thousand
        # steps, which the engine's thread holds for milliseconds at a time; and it keeps
        # interrupting, because an interrupt that lands between two statements is lost
        def watch() -> None:
            while not done.wait(0.05):
                if cancelled():
                    conn.interrupt()

        watcher = threading.Thread(target=watch, name="clerkapp-evaluate-cancel", daemon=True)
        watcher.start()
        try:
            yield
        except sqlite3.OperationalError as e:
            done.set()
            watcher.join()  # no interrupt may reach the statements below
            if not cancelled():
                raise
            if not conn.in_transaction:  # SQLite rolled the interrupted write back itself:
                conn.execute("BEGIN")  # give the caller's rollback a transaction to end
            raise Cancelled("cancelled by the user") from e
        finally:
            done.set()
            watcher.join()

    @contextmanager
    def pending_reader(self) -> Iterator[RulesStore]:
        """A second connection on the same file for the engine's half of a run, so it can
        read histories in another thread while this one writes. Open it after the run's
        BEGIN IMMEDIATE: no one else can commit then, so it reads the very state the run
        started from (the columns it reads are ones a run never writes)."""
        reader = type(self)(self.path)
        try:
            reader.begin_history_read()
            yield reader
        finally:
            reader.close()

    def begin_history_read(self) -> None:
        """Make this (fresh) connection the reader of a run's histories: a modest cache,
        temp tables in memory, and one read transaction for the state the run started from
        (a worker thread's connection or a worker process's)."""
        self.conn.execute(f"PRAGMA cache_size = -{_READER_CACHE_KIB}")
        self.conn.execute("PRAGMA temp_store = MEMORY")
        self.conn.execute("BEGIN")

    def conviction_combos(self) -> list[tuple[Any, ...]]:
        """Each distinct (county, section code, number, subsections, attempted, conspiracy):
        a few thousand, even for a million convictions (DISTINCT keeps only those; a GROUP BY
        with counts sorts all the rows, six times slower)."""
        return self.conn.execute(
            f"SELECT DISTINCT {', '.join(COMBO_COLUMNS)} FROM convictions").fetchall()

    def write_fixed_determinations(self, run_id: int,
                                   fixed: Iterable[tuple[Any, ...]]) -> None:
        """Write one shared determination per combination in `fixed` (rows of COMBO_COLUMNS +
        (outcome, remedy, reasons_json, authority, summary)): every conviction
        with that combination has it, and keeps no determination of its own (SCHEMA_2).

        Only not_applicable may be shared (a NULL outcome reads as that). Convictions that an
        earlier run decided one by one and this run shares are reset to NULL; the rest of
        the convictions are left for `write_determinations`."""
        fixed = list(fixed)
        if any(row[6] != "not_applicable" for row in fixed):
            raise ValueError("only not_applicable determinations can be shared")
        conn = self.conn
        # the decided convictions' outcomes before this run, for `finish_eval_run`
        last = self.latest_scope()[1]
        conn.execute("DROP TABLE IF EXISTS temp.eval_decided")
        conn.execute(
            f"CREATE TEMP TABLE eval_decided AS SELECT c.id, {resolved_outcome('c.outcome', last)}"
            " AS outcome FROM convictions c WHERE c.review_status IN ('approved', 'denied')")
        conn.executemany(
            "INSERT INTO shared_determinations (run_id, county, section_code, section_number,"
            " section_subs, attempted, conspiracy, outcome, remedy, reasons, authority,"
            " reason_summary) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(run_id, *row) for row in fixed])
        conn.execute(
            "UPDATE convictions AS c SET determination_id = NULL, outcome = NULL, remedy = NULL,"
            " reason_summary = NULL WHERE c.id IN (SELECT id FROM convictions INDEXED BY"
            # only those with an outcome, found through the index rather than a scan
            "  convictions_outcome WHERE outcome_in_force IS NOT NULL)"
            " AND c.outcome IS NOT NULL AND EXISTS (SELECT 1 FROM"
            f" shared_determinations s WHERE s.run_id = ? AND {SHARED_MATCH})", (run_id,))

    def stage_pending(self, fixed_keys: Iterable[tuple[Any, ...]]) -> int:
        """Stage, on this connection, the convictions whose combination (COMBO_COLUMNS) is
        not among `fixed_keys`, and their people (`pending_people`, the histories to read).
        Returns how many convictions."""
        conn = self.conn
        self._stage_keys(fixed_keys)
        conn.execute("DROP TABLE IF EXISTS temp.eval_pending")
        conn.execute("CREATE TEMP TABLE eval_pending (id INTEGER PRIMARY KEY, person_id INTEGER)")
        live = "".join(f" AND {t}" for t in self.withdrawn_terms())  # a withdrawn file is out
        conn.execute(
            "INSERT INTO temp.eval_pending SELECT c.id, c.person_id FROM convictions c"
            f" WHERE NOT EXISTS (SELECT 1 FROM temp.eval_keys f WHERE {_COMBO_JOIN}){live}")
        conn.execute("DROP TABLE IF EXISTS temp.eval_people")
        conn.execute("CREATE TEMP TABLE eval_people (person_id INTEGER PRIMARY KEY)")
        conn.execute("INSERT OR IGNORE INTO temp.eval_people SELECT person_id"
                     " FROM temp.eval_pending ORDER BY person_id")
        return int(conn.execute("SELECT count(*) FROM temp.eval_pending").fetchone()[0])

    def pending_people(self) -> list[int]:
        """The people `stage_pending` found, by id."""
        return [int(r[0]) for r in self.conn.execute(
            "SELECT person_id FROM temp.eval_people ORDER BY person_id")]

    def stage_people(self, fixed_keys: Iterable[tuple[Any, ...]],
                     person_ids: Iterable[int]) -> None:
        """Stage, on this connection, some of the people another connection's
        `stage_pending` found (a worker's share of a run), for `iter_pending_histories`."""
        self._stage_keys(fixed_keys)
        conn = self.conn
        conn.execute("DROP TABLE IF EXISTS temp.eval_people")
        conn.execute("CREATE TEMP TABLE eval_people (person_id INTEGER PRIMARY KEY)")
        conn.executemany("INSERT INTO temp.eval_people VALUES (?)", ((i,) for i in person_ids))

    def _stage_keys(self, fixed_keys: Iterable[tuple[Any, ...]]) -> None:
        fixed_keys = [tuple(key) for key in fixed_keys]
        # `iter_pending_histories` tells pending convictions by these in Python: a set look-up
        # per row costs a third of the query's NOT EXISTS (values as the store gave them,
        # compared as SQL's IS compares them: equal, NULLs equal)
        self._fixed_keys = frozenset(fixed_keys)
        conn = self.conn
        conn.execute("DROP TABLE IF EXISTS temp.eval_keys")
        conn.execute(
            "CREATE TEMP TABLE eval_keys (county TEXT, section_code TEXT, section_number TEXT,"
            " section_subs TEXT, attempted INTEGER, conspiracy INTEGER)")
        conn.executemany("INSERT INTO temp.eval_keys VALUES (?,?,?,?,?,?)", fixed_keys)
        conn.execute(
            "CREATE INDEX temp.eval_keys_key ON eval_keys (section_number, section_code,"
            " county, section_subs, attempted, conspiracy)")

    def iter_pending_histories(self, chunk_people: int = 2000) -> Iterator[HistoryChunk]:
        """The people staged on this connection (`stage_pending`, `stage_people`),
        `chunk_people` at a time, each with every conviction and event of theirs, and which
        convictions are pending (their combination is not a fixed key): three queries per
        chunk."""
        cur = self.conn.cursor()
        cur.row_factory = None
        in_chunk = "IN (SELECT person_id FROM temp.eval_people WHERE person_id BETWEEN ? AND ?)"
        # a withdrawn file's convictions and events are no part of anyone's history
        live = "".join(f" AND {t}" for t in self.withdrawn_terms("x"))
        conviction_sql = (
            f"SELECT {', '.join('c.' + c for c in CONVICTION_COLUMNS)}"
            f" FROM convictions c WHERE c.person_id {in_chunk}{live.replace('x.', 'c.')}"
            " ORDER BY c.person_id, c.id"
        )
        event_sql = (
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM person_events"
            f" WHERE person_id {in_chunk}{live.replace('x.', '')} ORDER BY person_id, id"
        )
        people_sql = (
            "SELECT p.id, p.dob, p.deceased FROM temp.eval_people t"
            " JOIN people p ON p.id = t.person_id WHERE t.person_id > ?"
            " ORDER BY t.person_id LIMIT ?"
        )
        fixed = self._fixed_keys

        def pending(convictions: list[tuple[Any, ...]]) -> set[int]:
            return {r[0] for r in convictions if _combo_of(r) not in fixed}

        yield from _history_chunks(cur, people_sql, conviction_sql, event_sql, chunk_people,
                                   pending)

    def iter_history_rows(self, chunk_people: int = 2000) -> Iterator[HistoryChunk]:
        """Every person who has a conviction, every conviction pending: the whole history
        of everyone, so tests can check the set-based path against the engine."""
        cur = self.conn.cursor()
        cur.row_factory = None
        people_sql = (
            "SELECT id, dob, deceased FROM people WHERE id > ? AND EXISTS"
            " (SELECT 1 FROM convictions c WHERE c.person_id = people.id)"
            " ORDER BY id LIMIT ?"
        )
        conviction_sql = (
            f"SELECT {', '.join(CONVICTION_COLUMNS)} FROM convictions"
            " WHERE person_id BETWEEN ? AND ? ORDER BY person_id, id"
        )
        event_sql = (
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM person_events"
            " WHERE person_id BETWEEN ? AND ? ORDER BY person_id, id"
        )
        yield from _history_chunks(cur, people_sql, conviction_sql, event_sql, chunk_people,
                                   lambda convictions: {r[0] for r in convictions})

    def begin_eval_run(self, *, rule_set_version: str, policy_name: str, policy_hash: str,
                       policy_text: str, as_of: str, county: str | None,
                       operator: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO eval_runs (rule_set_version, policy_name, policy_hash, policy_text,"
            " as_of, county, operator, started_at, last_conviction_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM convictions))",
            (rule_set_version, policy_name, policy_hash, policy_text, as_of, county or None,
             self.actor(operator), now_iso()),
        )
        return int(cur.lastrowid)

    def write_determinations(self, run_id: int, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (conviction_id, outcome, remedy, reasons_json, authority, reason_summary),
        appended after the last determination, each conviction pointed at its own."""
        rows = list(rows)
        conn = self.conn
        first = int(conn.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM determinations").fetchone()[0])
        self.insert_rows(
            "determinations",
            ("id", "run_id", "conviction_id", "outcome", "remedy", "reasons", "authority"),
            ((first + i, run_id, *row[:5]) for i, row in enumerate(rows)),
        )
        # staged, then one UPDATE: cheaper than an UPDATE statement per conviction
        conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS eval_results (id INTEGER PRIMARY KEY,"
            " determination_id INTEGER, outcome TEXT, remedy TEXT, reason_summary TEXT)")
        self.insert_rows(
            "temp.eval_results", ("id", "determination_id", "outcome", "remedy", "reason_summary"),
            ((cid, first + i, outcome, remedy, summary)
             for i, (cid, outcome, remedy, _, _, summary) in enumerate(rows)),
        )
        conn.execute(
            "UPDATE convictions AS c SET (determination_id, outcome, remedy, reason_summary)"
            " = (SELECT r.determination_id, r.outcome, r.remedy, r.reason_summary"
            "    FROM temp.eval_results r WHERE r.id = c.id)"
            " WHERE c.id IN (SELECT id FROM temp.eval_results)")
        conn.execute("DELETE FROM temp.eval_results")

    def finish_eval_run(self, run_id: int, counts: dict[str, int]) -> list[int]:
        """Close the run. Returns the convictions already approved or denied whose outcome
        changed, so the clerk can look at them again (their review stays as it was)."""
        last = self.conn.execute("SELECT last_conviction_id FROM eval_runs WHERE id = ?",
                                 (run_id,)).fetchone()[0]
        changed = [r[0] for r in self.conn.execute(
            "SELECT t.id FROM temp.eval_decided t JOIN convictions c ON c.id = t.id"
            f" WHERE {resolved_outcome('c.outcome', last)} IS NOT t.outcome ORDER BY t.id"
        )]
        self.conn.execute(
            "UPDATE eval_runs SET finished_at = ?, counts = ? WHERE id = ?",
            (now_iso(), dumps(counts), run_id),
        )
        self.ids_taken("determinations")  # write_determinations hands out its own
        return changed

    def current_results(self) -> list[tuple[Any, ...]]:
        """Every conviction the latest run saw with the determination in force for it, its own
        or the shared one: (conviction_id, outcome, remedy, reasons_json, authority, summary)."""
        run, last = self.latest_scope()
        return self.conn.execute(
            "SELECT c.id, coalesce(c.outcome, s.outcome), coalesce(c.remedy, s.remedy),"
            " coalesce(d.reasons, s.reasons), coalesce(d.authority, s.authority),"
            " coalesce(c.reason_summary, s.reason_summary) FROM convictions c"
            " LEFT JOIN determinations d ON d.id = c.determination_id"
            " LEFT JOIN shared_determinations s ON c.determination_id IS NULL AND s.run_id = ?"
            f" AND {SHARED_MATCH} WHERE c.id <= ? ORDER BY c.id", (run, last)).fetchall()

    def latest_eval_run(self) -> EvalRun | None:
        row = self.conn.execute(
            "SELECT id, rule_set_version, policy_name, policy_hash, as_of, county, operator,"
            " started_at, finished_at, counts FROM eval_runs WHERE finished_at IS NOT NULL"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        values = dict(row)
        values["counts"] = json.loads(values["counts"])
        return EvalRun(**values)

    def determinations_of(self, conviction_id: int) -> list[dict[str, Any]]:
        """Every determination a conviction has had, newest run first, with its run."""
        rows = self.conn.execute(
            "SELECT d.id, d.run_id, d.outcome, d.remedy, d.reasons, d.authority,"
            " r.policy_name, r.policy_hash, r.as_of, r.rule_set_version"
            " FROM determinations d JOIN eval_runs r ON r.id = d.run_id"
            " WHERE d.conviction_id = ?"
            " UNION ALL"
            " SELECT s.id, s.run_id, s.outcome, s.remedy, s.reasons, s.authority,"
            " r.policy_name, r.policy_hash, r.as_of, r.rule_set_version"
            " FROM convictions c JOIN shared_determinations s ON " + SHARED_MATCH +
            " JOIN eval_runs r ON r.id = s.run_id AND c.id <= r.last_conviction_id"
            " WHERE c.id = ? ORDER BY 2 DESC",
            (conviction_id, conviction_id),
        ).fetchall()
        out = []
        for row in rows:
            item = dict(zip(_DETERMINATION_KEYS, row, strict=True))
            item["reasons"] = json.loads(item["reasons"])
            item["reason_summary"] = "; ".join(
                r.get("text", "") for r in item["reasons"] if r.get("kind") == "decisive")
            out.append(item)
        return out


def _history_chunks(cur, people_sql: str, conviction_sql: str, event_sql: str,
                    chunk_people: int,
                    pending: Callable[[list[tuple[Any, ...]]], set[int]]
                    ) -> Iterator[HistoryChunk]:
    """Walk people in id order, `chunk_people` at a time (`people_sql` takes the last id seen
    and the limit), each chunk with its convictions and events (those queries take the
    chunk's first and last person id) and which of them are `pending`."""
    last = 0
    while True:
        people = cur.execute(people_sql, (last, chunk_people)).fetchall()
        if not people:
            return
        lo, hi = people[0][0], people[-1][0]
        convictions = cur.execute(conviction_sql, (lo, hi)).fetchall()
        events = cur.execute(event_sql, (lo, hi)).fetchall()
        last = hi
        yield HistoryChunk(people, convictions, events, pending(convictions))
