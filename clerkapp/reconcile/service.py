"""Reconcile the DOJ list with the court's records: link, classify, keep the clerk's word.

`reconcile` links every cannabis conviction of the court's imports (case-management and
prosecutor spreadsheets) to the DOJ research file's, count by count, and records one row per
conviction or linked pair in `reconcile_links`. A linked pair (matched, conflict, or a
possible match the clerk confirmed) is one conviction: the court's copy is marked merged
(`merged_id`) and everything that counts convictions leaves it out (`store.base.COUNTED`).
A rerun after new imports rewrites only the rows that changed and honours every
confirmation and rejection the clerk made. Only the court's county is compared
(`store.county_scope`): the DOJ file is statewide, so its convictions of other counties (or
with no county recorded) are left out and counted; the court's own records count unless they
name another county.
"""

from __future__ import annotations

import gc
import json
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field

from clerkapp.domain.casenumbers import case_keys
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.reconcile.compare import disposition_class, norm_id, norm_ssn
from clerkapp.reconcile.decisions import CONFIRMED, REJECTED, decision_note
from clerkapp.reconcile.matcher import Conviction, CourtIndex, Link, Person, assign
from clerkapp.store import Store
from clerkapp.store.county_scope import CountyScope, county_of, court_county
from clerkapp.store.reconcile import COURT_PRESETS, DOJ_PRESETS, ReconcileSource

STATUSES = ("matched", "possible_match", "conflict", "court_only", "doj_only", "unmatched")
LINKED = ("matched", "conflict")  # one conviction on both lists: the court's copy is merged
_STEP = 5000


@dataclass
class ReconcileSummary:
    run_id: int
    doj_imports: list[int]
    court_imports: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    added: int = 0  # rows new since the last run over these imports
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    county: str = ""  # the court's county, "" when none is set (every county compared)
    left_out: dict[str, int] = field(default_factory=dict)  # other_counties, county_not_recorded


def scope_note(county: str | None, left_out: dict[str, int] | None) -> str:
    """`Los Angeles County only: 12 convictions of other counties and 1 with no county
    recorded left out`, or what an unset county means."""
    if not county:
        return ("every county compared: no county is set in the court profile (Tools ▸ Court"
                " profile & settings)")
    left = left_out or {}
    other, unrecorded = left.get("other_counties", 0), left.get("county_not_recorded", 0)
    text = (f"{county} County only: {other:,} conviction{'' if other == 1 else 's'} of other"
            " counties")
    if unrecorded:
        text += f" and {unrecorded:,} with no county recorded"
    return text + " left out"


def _within(scope: CountyScope, side: str) -> str:
    """SQL over `c`: the convictions of one side the reconciliation compares. The DOJ's:
    the county's. The court's: the county's, and those naming none (its own records)."""
    if side == "doj":
        return scope.term()
    return f"({scope.term()} OR {county_of()} = '')"


def _sources(store: Store, ids: list[int] | None, presets: tuple[str, ...], kind: str
             ) -> list[ReconcileSource]:
    if ids:
        known = store.import_presets(ids)
        for i in ids:
            preset, status = known.get(int(i), (None, None))
            if preset is None:
                raise BadInput(f"there is no import {i}")
            if status != "complete":
                raise BadInput(f"import {i} is {status}, not a complete import")
            if preset not in presets:
                raise BadInput(f"import {i} is a {preset} file, not a {kind} import")
    found = store.reconcile_sources(ids or None, presets)
    if not found:
        what = "the DOJ research file" if kind == "DOJ" else "the court's records"
        raise BadInput(f"nothing to reconcile: there is no {kind} import (import {what} first)")
    return found


def _person(row: tuple) -> Person:
    aliases = tuple(json.loads(row[3])) if row[3] and row[3] != "[]" else ()
    return Person(row[1], row[2] or "", aliases, row[4] or "", norm_id(row[5]),
                  norm_ssn(row[6]), norm_id(row[7]))


def _conviction(row: tuple) -> Conviction:
    numbers = {row[8]} if row[8] else set()
    listed = row[9]
    if listed and listed != "[]" and (not row[8] or listed != f'["{row[8]}"]'):
        numbers.update(str(n) for n in json.loads(listed) if n)
    return Conviction(row[0], row[1], tuple(case_keys(numbers)),
                      (row[10] or "", row[11] or "", row[12] or ""), row[14] or "",
                      disposition_class(row[15]), row[16] or "", bool(row[13]))


def reconcile(store: Store, *, doj: list[int] | None = None, court: list[int] | None = None,
              operator: str | None = None, progress: Progress = no_progress,
              cancel: CancelToken | None = None) -> ReconcileSummary:
    """Link the court imports' cannabis convictions to the DOJ imports' (default: every
    import of each kind) and record the result. Nothing is written until the end, in one
    transaction: a cancel or a failure leaves the links as they were."""
    doj_sources = _sources(store, doj, DOJ_PRESETS, "DOJ")
    court_sources = _sources(store, court, COURT_PRESETS, "court")
    scope = court_county(store)
    # millions of small objects that live until the end: the cycle collector would walk
    # them again and again for nothing
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _reconcile(store, doj_sources, court_sources, scope, operator, progress,
                          cancel)
    finally:
        if collecting:
            gc.enable()


def _reconcile(store: Store, doj_sources: list[ReconcileSource],
               court_sources: list[ReconcileSource], scope: CountyScope,
               operator: str | None, progress: Progress,
               cancel: CancelToken | None) -> ReconcileSummary:
    index = CourtIndex()
    decided: set[int] = set()  # convictions a clerk already decided (approved, denied, ...)
    done = 0
    for source in court_sources:
        for row in store.iter_reconcile_rows(source, within=_within(scope, "court")):
            if row[1] not in index.people:
                index.add_person(_person(row))
            index.add_conviction(_conviction(row))
            if row[17] != "pending":
                decided.add(row[0])
            done += 1
            if done % _STEP == 0:
                check(cancel)
                progress(done, None, "Reading the court's records")
    # the DOJ file's SSN and licence numbers only matter when a court record has one
    identifiers = bool(index.by_ssn or index.by_cdl)
    candidates = []
    doj_ids = array("q")
    for source in doj_sources:
        person: Person | None = None
        convictions: list[Conviction] = []
        for row in store.iter_reconcile_rows(source, identifiers=identifiers,
                                             within=_within(scope, "doj")):
            if person is None or row[1] != person.person_id:
                if person is not None:
                    candidates += index.candidates(person, convictions)
                person, convictions = _person(row), []
            convictions.append(_conviction(row))
            doj_ids.append(row[0])
            if row[17] != "pending":
                decided.add(row[0])
            done += 1
            if done % _STEP == 0:
                check(cancel)
                progress(done, None, "Comparing the DOJ list")
        if person is not None:
            candidates += index.candidates(person, convictions)
    check(cancel)
    progress(done, None, "Linking")
    decisions = store.pair_decisions()
    confirmed = {pair for pair, d in decisions.items() if d[0] == CONFIRMED}
    rejected = {pair: decision_note(*d) for pair, d in decisions.items() if d[0] == REJECTED}
    links = assign(candidates, confirmed=confirmed, rejected=set(rejected))
    for link in links:
        pair = (link.doj_id, link.court_id)
        if pair in confirmed:
            link.note = decision_note(*decisions[pair], link.note)
    rows = _rows(store, links, index, doj_ids, decided, rejected)
    check(cancel)
    doj_imports = [s.import_id for s in doj_sources]
    court_imports = [s.import_id for s in court_sources]
    left_out = {
        "other_counties": store.reconcile_left_out(doj_imports + court_imports,
                                                   scope.other_term()),
        "county_not_recorded": store.reconcile_left_out(doj_imports, scope.unrecorded_term()),
    }
    return _write(store, rows, doj_imports, court_imports, scope.county, left_out, operator,
                  progress)


def _rows(store: Store, links: list[Link], index: CourtIndex, doj_ids: array,
          decided: set[int], rejected: dict[tuple[int, int], str]) -> Iterator[tuple]:
    """Every link as (doj id, court id, status, match key, score, note, merged id)."""
    printed = store.printed_conviction_ids(
        [i for link in links if link.status in LINKED for i in (link.doj_id, link.court_id)])
    linked_doj, linked_court = set(), set()
    for link in links:
        linked_doj.add(link.doj_id)
        linked_court.add(link.court_id)
        merged = None
        if link.status in LINKED:
            merged = _merged(link.doj_id, link.court_id, decided | printed)
        yield (link.doj_id, link.court_id, link.status, link.match_key, link.score, link.note,
               merged)
    rejected_doj = {d: note for (d, _c), note in rejected.items()}
    rejected_court = {c: note for (_d, c), note in rejected.items()}
    unusable = index.unusable
    for person_id, convictions in index.convictions.items():
        reason = unusable.get(person_id)
        for c in convictions:
            if c.id in linked_court:
                continue
            if reason:
                yield (None, c.id, "unmatched", None, None, f"not matched: {reason}", None)
            else:
                yield (None, c.id, "court_only", None, None, rejected_court.get(c.id, ""), None)
    for did in doj_ids:
        if did not in linked_doj:
            yield (did, None, "doj_only", None, None, rejected_doj.get(did, ""), None)


def _merged(doj_id: int, court_id: int, decided: set[int]) -> int:
    """Which conviction of a linked pair stops counting: the court's copy, unless the clerk
    already decided (or printed) the court's and not the DOJ's, whose decision then stands."""
    if court_id in decided and doj_id not in decided:
        return doj_id
    return court_id


def _write(store: Store, rows: Iterator[tuple], doj_imports: list[int],
           court_imports: list[int], county: str, left_out: dict[str, int],
           operator: str | None, progress: Progress) -> ReconcileSummary:
    """Record the rows, rewriting only those that differ from the last run's over these
    imports (the store compares them, in SQL)."""
    with store.atomic():
        run_id = store.start_reconcile_run(doj_imports, court_imports, operator)
        progress(0, None, "Recording the links")
        store.stage_links(rows)
        diff = store.apply_staged_links(run_id, doj_imports, court_imports)
        summary = ReconcileSummary(run_id, doj_imports, court_imports,
                                   {s: diff.counts.get(s, 0) for s in STATUSES},
                                   added=diff.added, changed=diff.changed,
                                   removed=diff.removed, unchanged=diff.unchanged,
                                   county=county, left_out=left_out)
        store.finish_reconcile_run(run_id, summary.counts, county=county, left_out=left_out)
        store.audit(operator or store.clerk_name(), "reconcile", entity="reconcile_run",
                    entity_id=run_id, details={
                        "doj_imports": doj_imports, "court_imports": court_imports,
                        "county": county, "left_out": left_out,
                        "counts": summary.counts, "added": summary.added,
                        "changed": summary.changed, "removed": summary.removed})
    return summary
