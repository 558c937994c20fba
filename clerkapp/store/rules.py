"""All SQL for the eligibility engine: stream whole histories in chunks of people, record
evaluation runs, write determinations in bulk, and point each conviction at its latest one.

Rows come back as plain tuples (the rules layer builds its own records from them), so the
store does not depend on the layer above it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from clerkapp.store.base import StoreBase, dumps, now_iso

# column order of the tuples `iter_history_rows` yields
CONVICTION_COLUMNS = (
    "id", "person_id", "section_code", "section_number", "section_subs", "attempted",
    "conspiracy", "level", "conviction_date", "offense_date", "offense_date_source",
    "cycle_key", "case_id", "case_number", "county", "sentence_end", "sentence_text",
    "raw_offense", "comment_text", "flags",
)
EVENT_COLUMNS = ("person_id", "kind", "event_date", "code_section", "text", "cycle_key")
PERSON_COLUMNS = ("id", "dob", "deceased")


@dataclass(frozen=True)
class HistoryChunk:
    """People (by id order) with every conviction and event of theirs, as tuples."""

    people: list[tuple[Any, ...]]
    convictions: list[tuple[Any, ...]]  # ordered by person_id, id
    events: list[tuple[Any, ...]]  # ordered by person_id, id


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
        return int(self.conn.execute("SELECT count(*) FROM convictions").fetchone()[0])

    def iter_history_rows(self, chunk_people: int = 2000) -> Iterator[HistoryChunk]:
        """Every person who has a conviction, `chunk_people` at a time: three queries per
        chunk, however many convictions each person has."""
        cur = self.conn.cursor()
        cur.row_factory = None
        last = 0
        conviction_sql = (
            f"SELECT {', '.join(CONVICTION_COLUMNS)} FROM convictions"
            " WHERE person_id BETWEEN ? AND ? ORDER BY person_id, id"
        )
        event_sql = (
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM person_events"
            " WHERE person_id BETWEEN ? AND ? ORDER BY person_id, id"
        )
        while True:
            people = cur.execute(
                "SELECT id, dob, deceased FROM people WHERE id > ? AND EXISTS"
                " (SELECT 1 FROM convictions c WHERE c.person_id = people.id)"
                " ORDER BY id LIMIT ?",
                (last, chunk_people),
            ).fetchall()
            if not people:
                return
            lo, hi = people[0][0], people[-1][0]
            convictions = cur.execute(conviction_sql, (lo, hi)).fetchall()
            events = cur.execute(event_sql, (lo, hi)).fetchall()
            last = hi
            yield HistoryChunk(people, convictions, events)

    def begin_eval_run(self, *, rule_set_version: str, policy_name: str, policy_hash: str,
                       policy_text: str, as_of: str, county: str | None,
                       operator: str | None) -> int:
        cur = self.conn.execute(
            "INSERT INTO eval_runs (rule_set_version, policy_name, policy_hash, policy_text,"
            " as_of, county, operator, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rule_set_version, policy_name, policy_hash, policy_text, as_of, county or None,
             operator, now_iso()),
        )
        return int(cur.lastrowid)

    def write_determinations(self, run_id: int, rows: Iterable[tuple[Any, ...]]) -> None:
        """Rows of (conviction_id, outcome, remedy, reasons_json, authority, reason_summary)."""
        self.conn.executemany(
            "INSERT INTO determinations (run_id, conviction_id, outcome, remedy, reasons,"
            " authority, reason_summary) VALUES (?, ?, ?, ?, ?, ?, ?)",
            ((run_id, *row) for row in rows),
        )

    def finish_eval_run(self, run_id: int, counts: dict[str, int]) -> list[int]:
        """Point every conviction at its determination of this run and close the run.

        Returns the convictions already approved or denied whose outcome changed, so the
        clerk can look at them again (their review stays as it was)."""
        changed = [r[0] for r in self.conn.execute(
            "SELECT c.id FROM convictions c JOIN determinations d"
            " ON d.conviction_id = c.id AND d.run_id = ?"
            " WHERE c.review_status IN ('approved', 'denied') AND c.outcome IS NOT d.outcome"
            " ORDER BY c.id",
            (run_id,),
        )]
        self.conn.execute(
            "UPDATE convictions SET determination_id = d.id, outcome = d.outcome,"
            " remedy = d.remedy, reason_summary = d.reason_summary"
            " FROM determinations d WHERE d.run_id = ? AND d.conviction_id = convictions.id",
            (run_id,),
        )
        self.conn.execute(
            "UPDATE eval_runs SET finished_at = ?, counts = ? WHERE id = ?",
            (now_iso(), dumps(counts), run_id),
        )
        return changed

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
            " d.reason_summary, r.policy_name, r.policy_hash, r.as_of, r.rule_set_version"
            " FROM determinations d JOIN eval_runs r ON r.id = d.run_id"
            " WHERE d.conviction_id = ? ORDER BY d.run_id DESC",
            (conviction_id,),
        ).fetchall()
        out = []
        for row in rows:
            item = dict(row)
            item["reasons"] = json.loads(item["reasons"])
            out.append(item)
        return out
