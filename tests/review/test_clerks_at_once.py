"""Four clerk processes deciding one queue at once (each loops: claim the next pending
conviction, decide it): nothing lost, nothing doubled, the audit chain whole and in commit
order. The full size (4 x 10,000) runs in bench/bench_clerks.py, which prints decisions per
second; here 4 x 1,000, so the suite stays quick on SQLite's single writer."""

from __future__ import annotations

from bench.bench_clerks import check_outcome, make_queue, run_clerks

CLERKS = 4
EACH = 1000


def test_four_clerks_decide_one_queue_without_losing_or_doubling_a_decision(db_target):
    target = str(db_target)
    make_queue(target, CLERKS * EACH)
    runs = run_clerks(target, CLERKS, timeout=300)
    assert check_outcome(target, runs, CLERKS * EACH) == []
    assert sum(len(r.decided) for r in runs) == CLERKS * EACH
    assert all(r.refused == 0 for r in runs)  # claims kept the clerks apart
    assert sum(1 for r in runs if r.decided) == CLERKS  # all four really worked


def test_the_check_finds_a_doubled_decision(db_target):
    """The check can fail: a decision recorded twice (a second review of one conviction)."""
    target = str(db_target)
    make_queue(target, 40)
    runs = run_clerks(target, 2, timeout=120)
    from clerkapp.review.service import decide
    from clerkapp.store import Store

    with Store(target) as store:
        cid = runs[0].decided[0]
        decide(store, [cid], "deferred", clerk=runs[0].clerk)
    runs[0].decided.append(cid)
    problems = check_outcome(target, runs, 40)
    assert any("reviews of" in p for p in problems)
    assert any("decided twice" in p for p in problems)
