"""What binding the closing records (signatures, update files, withdrawals, corrections, orders
and decisions the log holds) to the audit log costs, on a log of N entries, beside a floor
from the same run (one plain pass over the log).

    .venv/bin/python bench/bench_bindings.py [--entries 300000]

The log is made up: bulk approvals' entries, with their review ids, whose decisions are held:
no finding, so each check reads all it would on a genuine store.
`printing`: what printing, the update files, notices, confirmations and exports now run
(`record_mismatches()`); `verify`: with the decisions' pass `clerkapp verify` adds.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.store import Store  # noqa: E402
from clerkapp.store.audit import GENESIS, _entry_hash  # noqa: E402

AT = "2026-12-03T00:00:00+00:00"


def fill(db: Path, n: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    prev, rows = GENESIS, []
    for i in range(1, n + 1):
        action, entity, eid = "review.approved", "conviction", i
        details = {"review_id": i, "status": "approved", "outcome": "dismiss_and_seal",
                   "engine_outcome": "dismiss_and_seal", "overridden": False,
                   "previous_status": "pending", "batch": "b" * 32, "batch_size": n}
        text = json.dumps(details, separators=(",", ":"))
        digest = _entry_hash(prev, AT, "Clerk", action, entity, eid, f"LA{i}", text)
        rows.append((i, AT, "Clerk", action, entity, eid, f"LA{i}", text, prev, digest))
        prev = digest
    conn.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    # the decisions the entries record are held (their convictions are not: no foreign keys
    # on this connection), so the decisions' pass reads every entry, as on a real store
    conn.executemany("INSERT INTO reviews (id, conviction_id, status, decided_outcome, clerk,"
                     " decided_at) VALUES (?, ?, 'approved', 'dismiss_and_seal', 'Clerk', ?)",
                     ((i, i, AT) for i in range(1, n + 1)))
    conn.commit()
    conn.close()


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=300_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="clerkapp-bindings-") as tmp:
        os.environ["CLERKAPP_ANCHORS"] = str(Path(tmp) / "anchors")
        db = Path(tmp) / "clerk.db"
        with Store(db):
            pass
        fill(db, args.entries)
        with Store(db) as store:
            def floor() -> None:
                for _ in store.conn.execute("SELECT * FROM audit_log"):
                    pass
            figures = {
                "floor: SELECT * over the log": timed(floor),
                "printing: record_mismatches()": timed(
                    lambda: store.record_mismatches(limit=10)),
                "verify: record_mismatches(reviews=True)": timed(
                    lambda: store.record_mismatches(reviews=True, limit=10)),
            }
    print(f"{args.entries:,} audit entries")
    for name, (wall, cpu) in figures.items():
        print(f"  {name:<42} {wall:6.2f} s wall {cpu:6.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
