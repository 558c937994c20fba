"""`evaluate`: run the engine over every conviction in the store under one policy.

One transaction for the whole run, so a cancel or a failure leaves the previous run in force.
Histories stream in chunks of people, so memory stays bounded whatever the store's size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clerkapp.domain.outcomes import Reason
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.rules.engine import (
    RULE_SET_VERSION,
    Context,
    Determination,
    encode,
    evaluate_conviction,
    fixed_determination,
)
from clerkapp.rules.history import Conviction, Event, PersonHistory
from clerkapp.rules.law import SectionRef, load_law, parse_ref
from clerkapp.rules.policies import Policy, available_policies, load_policy

__all__ = ["RunSummary", "available_policies", "evaluate", "histories", "load_policy"]

CHUNK_PEOPLE = 2000


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    policy_name: str
    policy_hash: str
    as_of: str
    county: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    changed_decided: list[int] = field(default_factory=list)


def evaluate(
    store: Any,
    *,
    policy: str | Policy | None = None,
    as_of: str | date | None = None,
    county: str | None = None,
    operator: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> RunSummary:
    """Determine every conviction; the settings fill in what the caller leaves out.

    Convictions whose determination depends only on their county and section (the engine's
    `fixed_determination`) are written set-based in the store; only the people with another
    conviction are streamed through the engine, with their whole history."""
    if not isinstance(policy, Policy):
        policy = load_policy(policy or store.get_setting("evaluation.policy") or "statute")
    day = _as_of(as_of if as_of is not None else store.get_setting("evaluation.as_of"))
    if county is None:
        county = store.get_setting("court.county") or ""
    county = county.strip()
    ctx = Context(policy=policy, as_of=day, county=county.casefold(), law=load_law())
    total = store.count_convictions()
    progress(0, total, "Evaluating convictions")
    stop = (lambda: cancel.cancelled) if cancel is not None else None
    with store.bulk_run(stop), store.atomic():
        run_id = store.begin_eval_run(
            rule_set_version=RULE_SET_VERSION, policy_name=policy.name,
            policy_hash=policy.sha256, policy_text=policy.text, as_of=day.isoformat(),
            county=county, operator=operator,
        )
        part = store.write_fixed_determinations(run_id, fixed_rows(store.conviction_combos(),
                                                                   ctx))
        counts: Counter[str] = Counter(part.counts)
        done = total - part.pending
        progress(done, total, "Evaluating convictions")
        encoded = _Encoder()
        for chunk in store.iter_pending_histories(CHUNK_PEOPLE):
            check(cancel)
            todo = {r[0] for r in chunk.convictions if r[-1]}
            rows = []
            for person in histories(chunk):
                for c in person.convictions:
                    if c.id in todo:
                        d = evaluate_conviction(c, person, ctx)
                        counts[d.outcome.value] += 1
                        rows.append(encoded.row(d))
            store.write_determinations(run_id, rows)
            done += len(rows)
            progress(done, total, "Evaluating convictions")
        check(cancel)
        changed = store.finish_eval_run(run_id, dict(counts))
        store.audit(operator or "clerkapp", "evaluate", entity="eval_run", entity_id=run_id,
                    details={"policy": policy.name, "policy_sha256": policy.sha256,
                             "as_of": day.isoformat(), "county": county,
                             "counts": dict(counts), "changed_decided": len(changed)})
    return RunSummary(run_id, policy.name, policy.sha256, day.isoformat(), county or None,
                      dict(counts), changed)


def fixed_rows(combos: list[tuple[Any, ...]], ctx: Context) -> list[tuple[Any, ...]]:
    """For each (county, code, number, subs, attempted, conspiracy) the store found, the
    determination every conviction with it gets, when that depends on nothing else: rows
    for `write_fixed_determinations`."""
    rows = []
    for county, code, number, subs, attempted, conspiracy in combos:
        c = Conviction(id=0, section=_ref(code, number, subs, attempted, conspiracy),
                       county=county)
        d = fixed_determination(c, ctx)
        if d is not None:
            rows.append((county, code, number, subs, attempted, conspiracy, *_row(d)[1:]))
    return rows


class _Encoder:
    """Determination -> store row, with the reasons' JSON made once per distinct reason list
    (most determinations share theirs with many others)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[Reason, ...], tuple[str, str, str]] = {}

    def row(self, d: Determination) -> tuple[Any, ...]:
        enc = d.encoded
        if enc is None:
            enc = self.cache.get(d.reasons)
            if enc is None:
                enc = (encode(d.reasons), d.authority, d.summary)
                if len(self.cache) < 50_000:
                    self.cache[d.reasons] = enc
        return (d.conviction_id, d.outcome.value, d.remedy.value if d.remedy else None, *enc)


def _row(d: Determination) -> tuple[Any, ...]:
    reasons, authority, summary = d.encoded or (encode(d.reasons), d.authority, d.summary)
    return (d.conviction_id, d.outcome.value, d.remedy.value if d.remedy else None, reasons,
            authority, summary)


def _as_of(value: str | date | None) -> date:
    if isinstance(value, date):
        return value
    if not value:
        return date.today()
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as e:
        raise BadInput(f"as-of date must be YYYY-MM-DD, not {value!r}", column="as_of") from e


_REF_CACHE: dict[tuple, SectionRef | None] = {}


def _ref(code: str | None, number: str | None, subs: str | None, attempted: int,
         conspiracy: int) -> SectionRef | None:
    key = (code, number, subs, attempted, conspiracy)
    ref = _REF_CACHE.get(key, False)
    if ref is False:
        ref = None
        if code and number:
            ref = SectionRef(code.upper(), number.lower(),
                             tuple(s.strip().lower() for s in subs.split(",") if s.strip())
                             if subs else (), bool(attempted), bool(conspiracy))
        if len(_REF_CACHE) < 100_000:
            _REF_CACHE[key] = ref
    return ref


def _event_ref(text: str | None) -> SectionRef | None:
    if not text:
        return None
    try:
        return parse_ref(text)
    except ValueError:
        return None


def histories(chunk: Any) -> Iterator[PersonHistory]:
    """Build PersonHistory records from one chunk of store rows (both ordered by person)."""
    convictions = chunk.convictions
    events = chunk.events
    ci = ei = 0
    nc, ne = len(convictions), len(events)
    for person_id, dob, deceased in chunk.people:
        mine = []
        while ci < nc and convictions[ci][1] < person_id:
            ci += 1
        while ci < nc and convictions[ci][1] == person_id:
            r = convictions[ci]
            ci += 1
            flags = r[19]
            mine.append(Conviction(
                id=r[0], section=_ref(r[2], r[3], r[4], r[5], r[6]), level=r[7],
                conviction_date=r[8], offense_date=r[9], offense_date_source=r[10],
                cycle_key=r[11], case_id=r[12], case_number=r[13], county=r[14],
                sentence_end=r[15], sentence_text=r[16], raw_offense=r[17], comment_text=r[18],
                flags=tuple(json.loads(flags)) if flags and flags != "[]" else (),
            ))
        mine_events = []
        while ei < ne and events[ei][0] < person_id:
            ei += 1
        while ei < ne and events[ei][0] == person_id:
            _, kind, event_date, code_section, text, cycle_key = events[ei]
            ei += 1
            mine_events.append(Event(kind, event_date, _event_ref(code_section), text, cycle_key))
        yield PersonHistory(person_id, dob, bool(deceased), tuple(mine), tuple(mine_events))
