"""Everything the detail pane shows for one conviction, read in a handful of queries.

The source rows exactly as imported (headers aligned with values), the normalized conviction,
its latest determination with reasons and citations, and the person's whole history, so the
priors that drove a decision are on screen beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clerkapp.domain.sources import SOURCE_LABELS
from clerkapp.store.base import LATEST_LAST, SHARED_MATCH, StoreBase
from clerkapp.store.row_text import json_list, row_cells


def _resolved(column: str) -> str:
    """`resolved_outcome` with the latest run's last conviction read in the same statement."""
    return f"coalesce({column}, CASE WHEN c.id <= {LATEST_LAST} THEN 'not_applicable' END)"


def import_facts_text(county: str | None, court: str | None, source_kind: str | None,
                      prosecutor: str | None, withdrawn_at: str | None) -> str:
    """`Given at import: county Sonoma · the court's own records` (and a withdrawal)."""
    parts = []
    if county:
        parts.append(f"county {county}")
    if court:
        parts.append(f"court {court}")
    if source_kind:
        kind = SOURCE_LABELS.get(source_kind, source_kind)
        parts.append(f"{kind} ({prosecutor})" if prosecutor else kind)
    text = f"Given at import: {' · '.join(parts)}" if parts else ""
    if withdrawn_at:
        text += f"{' — ' if text else ''}WITHDRAWN {withdrawn_at[:10]}"
    return text


@dataclass(frozen=True)
class SourceRecord:
    import_id: int
    file_name: str
    row_number: int
    headers: list[str]
    values: list[str]
    facts: str = ""  # what the clerk said of the whole file at import, and a withdrawal

    def pairs(self) -> list[tuple[str, str]]:
        """(header, value) for every column; extra values get a numbered header, missing ''."""
        width = max(len(self.headers), len(self.values))
        heads = self.headers + [f"column {i + 1}" for i in range(len(self.headers), width)]
        vals = self.values + [""] * (width - len(self.values))
        return list(zip(heads, (str(v) if v is not None else "" for v in vals), strict=True))


@dataclass(frozen=True)
class Determination:
    outcome: str
    remedy: str | None
    reasons: list[dict[str, str]]  # {code, text, citation, kind}
    authority: str
    policy_name: str | None
    as_of: str | None


@dataclass
class ConvictionDetail:
    conviction: dict[str, Any]
    person: dict[str, Any]
    sources: list[SourceRecord] = field(default_factory=list)
    determination: Determination | None = None
    history: list[dict[str, Any]] = field(default_factory=list)  # every conviction of the person
    events: list[dict[str, Any]] = field(default_factory=list)  # registrations, deaths, dismissals
    reviews: list[dict[str, Any]] = field(default_factory=list)  # newest first
    closeout: dict[str, Any] | None = None  # store.closeout.closeout_record: ordered, reported


class DetailStore(StoreBase):
    def conviction_detail(self, conviction_id: int) -> ConvictionDetail | None:
        """What the conviction's id alone finds is read together (one round trip to a shared
        store), then its source rows, determination and close-out."""
        person = "(SELECT person_id FROM convictions WHERE id = ?1)"
        conv, people, twins, history, events, reviews = self.read_together([
            ("SELECT * FROM convictions WHERE id = ?1", (conviction_id,)),
            (f"SELECT * FROM people WHERE id = {person}", (conviction_id,)),
            # a conviction on both lists is one: its twin's rows are its source rows too
            ("SELECT c.source_row_ids FROM reconcile_links l JOIN convictions c"
             " ON c.id = l.merged_id WHERE l.merged_id IS NOT NULL AND l.merged_id != ?1"
             " AND (l.doj_id = ?1 OR l.court_id = ?1)", (conviction_id,)),
            ("SELECT c.id, c.case_number, c.county, c.code_section, c.raw_offense, c.level,"
             " c.disposition, c.conviction_date, c.offense_date, c.sentence_text,"
             f" {_resolved('c.outcome')} AS outcome,"
             f" {_resolved('c.outcome_in_force')} AS outcome_in_force,"
             " c.override_outcome IS NOT NULL AS overridden, c.review_status"
             f" FROM convictions c WHERE c.person_id = {person}"
             " ORDER BY coalesce(c.conviction_date, c.offense_date, ''), c.id", (conviction_id,)),
            ("SELECT kind, event_date, code_section, text, county FROM person_events"
             f" WHERE person_id = {person} ORDER BY coalesce(event_date, ''), id",
             (conviction_id,)),
            ("SELECT id, status, decided_outcome, overridden, clerk, decided_at, note, undone"
             " FROM reviews WHERE conviction_id = ?1 ORDER BY id DESC", (conviction_id,)),
        ])
        if not conv:
            return None
        conviction = dict(conv[0])
        detail = ConvictionDetail(conviction=conviction,
                                  person=dict(people[0]) if people else {})
        row_ids = json_list(conviction.get("source_row_ids"))
        for (twin_rows,) in twins:
            row_ids += json_list(twin_rows)
        detail.sources = self._source_records(row_ids)
        detail.determination = self._determination(conviction.get("determination_id"))
        if detail.determination is None:
            run, last = self.latest_scope()
            if run:
                detail.determination = self._shared_determination(conviction_id, run, last)
            if detail.determination is not None:
                conviction["outcome"] = detail.determination.outcome
                conviction["outcome_in_force"] = (conviction.get("override_outcome")
                                                  or detail.determination.outcome)
        detail.history = [dict(r) for r in history]
        detail.events = [dict(r) for r in events]
        detail.closeout = self.closeout_record(conviction_id)  # type: ignore[attr-defined]
        detail.reviews = [dict(r) for r in reviews]
        return detail

    def _source_records(self, row_ids: list[int]) -> list[SourceRecord]:
        if not row_ids:
            return []
        marks = ",".join("?" * len(row_ids))
        rows = self.conn.execute(
            'SELECT s.import_id, i.file_name, s.row_number, i.headers, s."values",'
            " i.county, i.court, i.source_kind, i.prosecutor, i.withdrawn_at"
            " FROM source_rows s JOIN imports i ON i.id = s.import_id"
            f" WHERE s.id IN ({marks}) ORDER BY s.import_id, s.row_number",
            tuple(row_ids),
        )
        return [
            SourceRecord(r[0], r[1], r[2], [str(h) for h in json_list(r[3])],
                         row_cells(r[4]), import_facts_text(*r[5:10]))
            for r in rows
        ]

    def _determination(self, determination_id: int | None) -> Determination | None:
        if determination_id is None:
            return None
        r = self.conn.execute(
            "SELECT d.outcome, d.remedy, d.reasons, d.authority, e.policy_name, e.as_of"
            " FROM determinations d LEFT JOIN eval_runs e ON e.id = d.run_id WHERE d.id = ?",
            (determination_id,),
        ).fetchone()
        return _determination_of(r)

    def _shared_determination(self, conviction_id: int, run: int,
                              last: int) -> Determination | None:
        """The run's shared determination for a conviction outside its scope (SCHEMA_2)."""
        r = self.conn.execute(
            "SELECT s.outcome, s.remedy, s.reasons, s.authority, e.policy_name, e.as_of"
            " FROM convictions c JOIN shared_determinations s ON s.run_id = ? AND "
            + SHARED_MATCH + " JOIN eval_runs e ON e.id = s.run_id"
            " WHERE c.id = ? AND c.id <= ?",
            (run, conviction_id, last),
        ).fetchone()
        return _determination_of(r)


def _determination_of(r: Any) -> Determination | None:
    """(outcome, remedy, reasons JSON, authority, policy name, as-of), own or shared."""
    if r is None:
        return None
    reasons = [x for x in json_list(r[2]) if isinstance(x, dict)]
    return Determination(r[0], r[1], reasons, r[3] or "", r[4], r[5])

