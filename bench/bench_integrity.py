"""Benchmark the integrity check that runs before every print and export, beside a floor.

    .venv/bin/python bench/bench_integrity.py [--approved 66000]

A store of Los Angeles convictions approved through the review service (as in bench_la_day),
then `require_intact` as printing calls it (the audit chain, every approved decision and every
order against its audit entry) and `review_mismatches(approved=True)` alone. Floor: reading
the approved reviews and their audit entries' `details` in one plain join (no checks).
Target: the check well under a second at a Los Angeles day (66,000 approvals).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_la_day import make_store  # noqa: E402
from bench_queue import timed  # noqa: E402 - best of a few runs, in ms

from clerkapp.integrity import require_intact  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--approved", type=int, default=66_000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-integrity-"))
    try:
        start = time.perf_counter()
        store, ids = make_store(folder, args.approved)
        print(f"store with {len(ids):,} approved convictions in"
              f" {time.perf_counter() - start:.0f} s\n")
        mismatches = timed(lambda: store.review_mismatches(approved=True))
        whole = timed(lambda: require_intact(store, "printing"))
        floor = timed(lambda: store.conn.execute(
            "SELECT count(*), sum(length(a.details)) FROM reviews r"
            " JOIN convictions c ON c.id = r.conviction_id AND c.review_status = 'approved'"
            " JOIN audit_log a ON a.entity = 'conviction' AND a.entity_id = r.conviction_id"
            " AND a.action = 'review.' || r.status").fetchone())
        print(f"{'review_mismatches(approved=True)':<40} {mismatches:>8.0f} ms")
        print(f"{'require_intact before printing':<40} {whole:>8.0f} ms   target < 1000")
        print(f"{'floor: reviews joined to their entries':<40} {floor:>8.0f} ms")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
