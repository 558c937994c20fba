"""Benchmark the close-out tracker on a large queue, beside floors from the same run.

    .venv/bin/python bench/bench_closeout.py [--rows 1000000] [--approved 0.5]

Fills a store (testdata.fill_queue_fast), then, directly in SQL for speed, approves a share of
the relief outcomes, prints them in bulk orders of 20,000 (one order dated 45 days back) and
reports half of the ordered counts to the DOJ. Figures: the close-out filters ("Ordered, not
reported", "Overdue") as the queue asks them, the status bar's counts, a queue window of 256
rows with its Close-out column, and writing the DOJ update file. Floor: SQLite counting the
approved convictions by their index (no subqueries).
Targets: a filter < 300 ms (the queue runs filters on the UI thread), the counts < 1 s, a
window < 50 ms.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_queue import timed  # noqa: E402 - best of a few runs, in ms

from bench.testdata import fill_queue_fast  # noqa: E402
from clerkapp.store import Store  # noqa: E402
from clerkapp.store.base import now_iso  # noqa: E402
from clerkapp.store.queue import QueueFilter  # noqa: E402

RELIEF = "('dismiss_and_seal', 'redesignate_misdemeanor', 'redesignate_infraction')"


def prepare(store: Store, share: float) -> tuple[int, int]:
    """Approve `share` of the relief outcomes, order them, report half (SQL: setup only)."""
    conn = store.conn
    at = now_iso()
    old = "2000-01-01T00:00:00+00:00"
    with store.atomic():
        store.set_setting("court.county", "Los Angeles")
        ids = [r[0] for r in conn.execute(
            f"SELECT id FROM convictions WHERE outcome IN {RELIEF} AND county = 'LOS ANGELES'"
            " ORDER BY id")]
        ids = ids[: int(len(ids) * share)]
        conn.executemany(
            "INSERT INTO reviews (conviction_id, status, decided_outcome, clerk, decided_at,"
            " batch_id) SELECT id, 'approved', outcome, 'bench', ?, 'b' FROM convictions"
            " WHERE id = ?", [(old, i) for i in ids])
        conn.execute("UPDATE convictions SET review_status = 'approved', review_id ="
                     " (SELECT max(r.id) FROM reviews r WHERE r.conviction_id = convictions.id)"
                     " WHERE id IN (SELECT conviction_id FROM reviews)")
        for n, start in enumerate(range(0, len(ids), 20000)):
            chunk = ids[start:start + 20000]
            created = "2001-01-01T00:00:00+00:00" if n == 0 else at
            order = conn.execute(
                "INSERT INTO orders (kind, path, sha256, conviction_count, created_by,"
                " created_at, order_number) VALUES ('bulk', 'x.pdf', '', ?, 'bench', ?, ?)",
                (len(chunk), created, f"B-{n + 1:05d}")).lastrowid
            conn.executemany("INSERT INTO order_items (order_id, conviction_id) VALUES (?, ?)",
                             [(order, i) for i in chunk])
        doj = conn.execute(
            "INSERT INTO update_files (kind, path, sha256, layout, created_by, created_at)"
            " VALUES ('doj', 'd.csv', '', 'bench', 'bench', ?)", (at,)).lastrowid
        reported = ids[1::2]
        conn.executemany(
            "INSERT INTO update_items (file_id, conviction_id, order_id, outcome)"
            " SELECT ?, c.id, oi.order_id, c.outcome FROM convictions c JOIN order_items oi"
            " ON oi.conviction_id = c.id WHERE c.id = ?", [(doj, i) for i in reported])
    return len(ids), len(reported)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--approved", type=float, default=0.5,
                        help="share of the county's relief outcomes approved and ordered")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="bench-closeout-"))
    try:
        store = Store(tmp / "clerk.db")
        t0 = time.perf_counter()
        fill_queue_fast(store, args.rows)
        approved, reported = prepare(store, args.approved)
        print(f"{args.rows:,} convictions, {approved:,} approved and ordered, {reported:,}"
              f" reported (set up in {time.perf_counter() - t0:.1f} s)\n")
        rows: list[tuple[str, float, str]] = []
        floor = timed(lambda: store.conn.execute(
            "SELECT count(*) FROM convictions c WHERE c.review_status = 'approved'").fetchone())
        for kind in ("ordered_not_reported", "overdue"):
            n = len(store.queue_ids(QueueFilter(closeout=kind)))
            rows.append((f"filter {kind} ({n:,} rows)",
                         timed(lambda k=kind: store.queue_ids(QueueFilter(closeout=k))), "< 300"))
        rows.append(("status bar counts (every filter)", timed(store.closeout_counts, 1),
                     "< 1000"))
        ids = list(store.queue_ids(QueueFilter(closeout="ordered_not_reported")))[:256]
        rows.append(("queue window of 256 rows with Close-out", timed(lambda: store.queue_rows(ids)),
                     "< 50"))
        # the DOJ update's own work: read the rows, build the cells, write the file (the
        # service's integrity gate is left out: this setup writes decisions without audit
        # entries, which the gate rightly refuses)
        from clerkapp.closeout.layout import load_layout
        from clerkapp.closeout.updates import _cells
        from clerkapp.jobs import no_progress
        from clerkapp.reports.export import write_table

        t0 = time.perf_counter()
        spec = load_layout("doj-update", "doj")
        found = list(store.iter_update_rows("doj"))
        cells = _cells(spec, found, store.settings_group("Court profile"), None, no_progress,
                       None)
        write_table(tmp / "doj.csv", spec.header, cells, as_csv=True)
        rows.append((f"DOJ update rows + file ({len(found):,} rows)",
                     (time.perf_counter() - t0) * 1000, ""))
        width = max(len(r[0]) for r in rows)
        print(f"{'figure':<{width}}  {'ms':>9}  target")
        for label, ms, target in rows:
            print(f"{label:<{width}}  {ms:>9.0f}  {target}")
        print(f"{'floor: count approved (index)':<{width}}  {floor:>9.1f}")
        store.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
