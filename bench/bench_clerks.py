"""Four clerks deciding one queue at once, each a process of its own with its own store
connection: decisions per second, and proof that nothing was lost, doubled or put out of the
audit chain's commit order.

    .venv/bin/python bench/bench_clerks.py [--clerks 4] [--each 10000] [--engine both]

Each clerk loops as the window's "Next pending" does: claim the next pending conviction,
decide it (approve a relief outcome, defer anything else) carrying the review it saw, repeat
until none is left. `check_outcome` then verifies the store: one decision per conviction, every
conviction decided, the audit chain whole (`clerkapp verify`'s check in full) with one entry
per decision in the order the decisions committed. The floor beside each engine's figure is
one clerk alone on the same engine (no waiting for another's write lock).
The tests run the same code at a smaller size (tests/review/test_clerks_at_once.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


@dataclass
class ClerkRun:
    """What one clerk process did."""

    clerk: str
    decided: list[int] = field(default_factory=list)  # conviction ids, in the clerk's order
    refused: int = 0  # decisions refused as decided elsewhere (claims should make it 0)
    seconds: float = 0.0


def clerk_loop(target: str, clerk: str, start, results, limit: int | None = None) -> None:
    """One clerk process: claim the next pending conviction, decide it, repeat."""
    from clerkapp.errors import DecidedElsewhere
    from clerkapp.review.claims import ClaimSession
    from clerkapp.review.service import decide
    from clerkapp.store import Store

    run = ClerkRun(clerk)
    store = Store(target)
    try:
        session = ClaimSession(store, clerk)
        start.wait()
        began = time.perf_counter()
        last = 0
        while limit is None or len(run.decided) < limit:
            cid = session.claim_next(last)
            if cid is None:
                break
            row = store.queue_rows([cid])[cid]
            try:
                if row.outcome in RELIEF:
                    decide(store, [cid], "approved", clerk=clerk,
                           expected_review_ids={cid: row.review_id})
                else:
                    decide(store, [cid], "deferred", clerk=clerk,
                           expected_review_ids={cid: row.review_id})
            except DecidedElsewhere:
                run.refused += 1
            else:
                run.decided.append(cid)
            last = cid
        session.release()
        run.seconds = time.perf_counter() - began
    finally:
        store.close()
    results.put(run)


def run_clerks(target: str, clerks: int, limit: int | None = None,
               timeout: float = 900) -> list[ClerkRun]:
    """Start `clerks` processes (spawn: each a fresh interpreter, as separate desks are) on
    `target` and wait for all; a process that fails makes this raise."""
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(clerks)
    results = ctx.Queue()
    procs = [ctx.Process(target=clerk_loop, args=(target, f"Clerk {n + 1}", start, results,
                                                  limit), daemon=True)
             for n in range(clerks)]
    for p in procs:
        p.start()
    runs = []
    deadline = time.monotonic() + timeout
    while len(runs) < clerks:
        try:
            runs.append(results.get(timeout=1))
        except Exception:  # noqa: BLE001 - queue.Empty: see whether a clerk died
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > deadline:
                for p in procs:
                    p.kill()
                raise RuntimeError(f"a clerk process failed (exit codes"
                                   f" {[p.exitcode for p in procs]})") from None
    for p in procs:
        p.join(timeout=30)
    return sorted(runs, key=lambda r: r.clerk)


def check_outcome(target: str, runs: list[ClerkRun], convictions: int) -> list[str]:
    """What is wrong with the store after the clerks finished ([] when nothing): a decision
    lost or doubled, a conviction left pending, the chain broken or out of commit order."""
    from clerkapp.integrity import check_store
    from clerkapp.store import Store

    problems: list[str] = []
    decided = [cid for r in runs for cid in r.decided]
    if len(decided) != len(set(decided)):
        problems.append(f"{len(decided) - len(set(decided))} convictions decided twice by"
                        " the clerks' own count")
    with Store(target) as store:
        conn = store.conn
        pending = conn.execute("SELECT count(*) FROM convictions WHERE review_status ="
                               " 'pending'").fetchone()[0]
        if pending:
            problems.append(f"{pending} convictions left pending")
        reviews = conn.execute("SELECT count(*), count(DISTINCT conviction_id) FROM reviews"
                               ).fetchone()
        if reviews[0] != convictions or reviews[1] != convictions:
            problems.append(f"{reviews[0]} reviews of {reviews[1]} convictions, not one each"
                            f" of {convictions}")
        if len(decided) != convictions:
            problems.append(f"the clerks recorded {len(decided)} decisions, not {convictions}")
        pointers = conn.execute(
            "SELECT count(*) FROM convictions c JOIN reviews r ON r.id = c.review_id"
            " WHERE r.conviction_id = c.id AND r.status = c.review_status").fetchone()[0]
        if pointers != convictions:
            problems.append(f"only {pointers} convictions point at their own review")
        entries = conn.execute(
            "SELECT id, actor, entity_id, details FROM audit_log WHERE action LIKE 'review.%'"
            " ORDER BY id").fetchall()
        review_ids = [json.loads(e[3])["review_id"] for e in entries]
        if len(entries) != convictions or len(set(review_ids)) != convictions:
            problems.append(f"{len(entries)} audit entries for {convictions} decisions")
        if review_ids != sorted(review_ids):
            problems.append("the audit log is not in the decisions' commit order")
        for run in runs:  # by conviction, not actor: on PostgreSQL the actor is the login
            decided_here = set(run.decided)
            mine = [e[2] for e in entries if e[2] in decided_here]
            if mine != run.decided:
                problems.append(f"{run.clerk}'s audit entries are not its decisions in order")
        report = check_store(store, full=True)
        if not report.ok:
            problems.append(f"clerkapp verify: {report.first_problem()}")
    return problems


def marker_cost(target: str, times: int = 200) -> tuple[float, float]:
    """(median, slowest) ms of the change marker the window polls, on the decided store."""
    from clerkapp.store import Store

    with Store(target) as store:
        costs = []
        for _ in range(times):
            began = time.perf_counter()
            store.change_marker()
            costs.append((time.perf_counter() - began) * 1000)
    costs.sort()
    return costs[len(costs) // 2], costs[-1]


def make_queue(target: str, convictions: int, seed: int = 7) -> None:
    from bench.testdata import fill_queue
    from clerkapp.store import Store

    with Store(target) as store:
        fill_queue(store, convictions, seed=seed, details=False)


def _targets(engine: str, tmp: str, cluster) -> tuple[str, str]:
    """(the clerks' store, the floor's store) on `engine`: new SQLite files, or new
    databases on the throwaway PostgreSQL cluster."""
    if engine == "sqlite":
        return str(Path(tmp) / "clerks.db"), str(Path(tmp) / "floor.db")
    import psycopg

    urls = []
    for name in ("bench_clerks", "bench_floor"):
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        urls.append(cluster.url(name))
    return urls[0], urls[1]


def bench_engine(engine: str, target: str, floor_target: str, clerks: int,
                 each: int) -> list[str]:
    """Run the clerks on one engine and print its figures; the problems found."""
    total = clerks * each
    make_queue(target, total)
    runs = run_clerks(target, clerks)
    busy = max(r.seconds for r in runs)  # from the common start to the last one done
    problems = check_outcome(target, runs, total)
    poll = marker_cost(target)
    make_queue(floor_target, each)
    alone = run_clerks(floor_target, 1)[0].seconds
    print(f"{engine}: {clerks} clerks, {total:,} decisions in {busy:.1f} s:"
          f" {total / busy:,.0f} decisions/s (per clerk "
          + ", ".join(f"{len(r.decided):,}" for r in runs)
          + f"; refused as decided elsewhere: {sum(r.refused for r in runs)});"
          f" floor, 1 clerk alone: {each / alone:,.0f} decisions/s", flush=True)
    print(f"{engine}: the window's change marker (asked every 2 s on the UI thread, which"
          f" wants under 5 ms): median {poll[0]:.3f} ms, slowest of 200 {poll[1]:.3f} ms",
          flush=True)
    print(f"{engine}: check: " + ("nothing lost, none doubled, audit chain whole and in"
                                  " commit order" if not problems else "; ".join(problems)),
          flush=True)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clerks", type=int, default=4)
    parser.add_argument("--each", type=int, default=10_000, help="convictions per clerk")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both",
                        help="PostgreSQL runs on a throwaway cluster (tests/pgcluster.py)")
    args = parser.parse_args()
    os.environ.setdefault("CLERKAPP_ANCHORS", tempfile.mkdtemp(prefix="clerkapp-anchors-"))
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    problems: list[str] = []
    cluster = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for engine in engines:
                if engine == "postgresql" and cluster is None:
                    sys.path.insert(0, str(ROOT / "tests"))
                    import pgcluster

                    cluster = pgcluster.start_cluster()
                target, floor_target = _targets(engine, tmp, cluster)
                problems += bench_engine(engine, target, floor_target, args.clerks,
                                         args.each)
        finally:
            if cluster is not None:
                cluster.stop()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
