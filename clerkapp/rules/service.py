"""`evaluate`: run the engine over every conviction in the store under one policy.

One transaction for the whole run, so a cancel or a failure leaves the previous run in force.
Two halves: convictions that are not applicable for a reason that depends only on their
county and section (other counties, sections outside HS 11357-11360) share one determination
per distinct combination, written once by the store; the people with any other conviction stream through
the engine in chunks, with their whole history, so memory stays bounded whatever the size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clerkapp.domain.counties import california_county
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, bulk_gc, check, no_progress
from clerkapp.rules.engine import RULE_SET_VERSION, Context
from clerkapp.rules.law import load_law
from clerkapp.rules.pending import Staged, engine_rows
from clerkapp.rules.policies import Policy, available_policies, load_policy
from clerkapp.rules.processes import engine_processes
from clerkapp.rules.rows import fixed_rows, histories
from clerkapp.store.tidy import EVALUATION_TABLES

__all__ = ["RunSummary", "available_policies", "evaluate", "histories", "load_policy"]

CHUNK_PEOPLE = 2000
PARALLEL = True  # the engine's half beside the writer (thread or processes) when on a file
PROCESSES_FROM = 200_000  # convictions from which worker processes pay for their start-up
WORKERS = 1  # worker processes then, beside the run's own (this machine class has 2 cores)


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
    processes: bool | None = None,
) -> RunSummary:
    """Determine every conviction; the settings fill in what the caller leaves out.
    `processes`: the engine's half in worker processes (None: from PROCESSES_FROM
    convictions on, when the store is a file and the run has its own transaction)."""
    if not isinstance(policy, Policy):
        policy = load_policy(policy or store.get_setting("evaluation.policy") or "statute")
    day = _as_of(as_of if as_of is not None else store.get_setting("evaluation.as_of"))
    if county is None:
        county = store.get_setting("court.county") or ""
    county = county.strip()
    # the county as California lists it: "Orange County" in the profile is the DOJ's ORANGE
    ctx = Context(policy=policy, as_of=day, county=(california_county(county) or county).casefold(),
                  law=load_law())
    total = store.count_convictions()
    progress(0, total, "Evaluating convictions")
    # a second connection sees only what is committed, and an interrupted write would end
    # the whole transaction: neither inside a caller's transaction
    own = not store.conn.in_transaction
    parallel = PARALLEL and own and str(store.path) != ":memory:"
    stop = (lambda: cancel.cancelled) if cancel is not None and own else None
    # (the collector at the bulk pace: `evaluate`, the window and `process` alike)
    with bulk_gc(), store.bulk_run(), store.atomic(), store.interruptible(stop):
        run_id = store.begin_eval_run(
            rule_set_version=RULE_SET_VERSION, policy_name=policy.name,
            policy_hash=policy.sha256, policy_text=policy.text, as_of=day.isoformat(),
            county=county, operator=operator,
        )
        if processes is None:
            processes = total >= PROCESSES_FROM
        with _engine(store, ctx, parallel and processes, parallel) as start:
            fixed = fixed_rows(store.conviction_combos(), ctx)
            chunks = start([r[:6] for r in fixed])
            store.write_fixed_determinations(run_id, fixed)
            staged = next(chunks)
            assert isinstance(staged, Staged)
            # the engine decides the staged convictions (it checks it decided each once);
            # every other one is not applicable, by its shared determination
            counts: Counter[str] = Counter()
            if total - staged.pending:
                counts["not_applicable"] = total - staged.pending
            done = total - staged.pending
            progress(done, total, "Evaluating convictions")
            for rows, chunk_counts in chunks:
                check(cancel)
                store.write_determinations(run_id, rows)
                counts.update(chunk_counts)
                done += len(rows)
                progress(done, total, "Evaluating convictions")
        check(cancel)
        changed = store.finish_eval_run(run_id, dict(counts))
        store.audit(operator or "clerkapp", "evaluate", entity="eval_run", entity_id=run_id,
                    details={"policy": policy.name, "policy_sha256": policy.sha256,
                             "as_of": day.isoformat(), "county": county,
                             "counts": dict(counts), "changed_decided": len(changed)})
    # every determination rewritten: a shared store's filters read their indexes alone again
    # once VACUUM ANALYZE marks the pages (in the background; nothing on SQLite)
    store.tidy_after_bulk(EVALUATION_TABLES, total)
    return RunSummary(run_id, policy.name, policy.sha256, day.isoformat(), county or None,
                      dict(counts), changed)


@contextmanager
def _engine(store: Any, ctx: Context, processes: bool,
            parallel: bool) -> Iterator[Callable[[list[tuple[Any, ...]]], Iterator[Any]]]:
    """`start(fixed_keys)` for the engine's half: worker processes (started now, so they load
    while the store works out the fixed keys), a thread beside the writer, or lazily on the
    run's own connection."""
    if processes:
        with engine_processes(store, ctx, CHUNK_PEOPLE, WORKERS) as start:
            yield start
        return
    with ExitStack() as stack:
        yield lambda keys: stack.enter_context(
            engine_rows(store, keys, ctx, CHUNK_PEOPLE, parallel=parallel))


def _as_of(value: str | date | None) -> date:
    if isinstance(value, date):
        return value
    if not value:
        return date.today()
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as e:
        raise BadInput(f"as-of date {value!r}: expected a date as YYYY-MM-DD") from e
