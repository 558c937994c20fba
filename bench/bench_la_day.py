"""A Los Angeles day: 66,000 approved convictions printed and reported as the court would.

    .venv/bin/python bench/bench_la_day.py [--approved 66000] [--floor-sample 2000]

Steps, each timed: the bulk order with Exhibit A for all of them, a per-case order for each
of them (one file per case), and the DOJ disposition update file for the counts ordered.
Floors from the same run: the exhibit rows drawn as plain lines (bench_orders.floor_bulk),
and a one-page canvas per case for a sample of the cases (bench_orders.floor_cases), as
orders per second. The store is filled with `bench.testdata.fill_queue` (Los
Angeles convictions approved through the review service), so everything reads exactly what a
clerk's approvals leave. Targets: per-case orders at 500 a second or more.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_orders import (  # noqa: E402
    RELIEF,
    approve_in_los_angeles,
    bulk_beside_floor,
    floor_cases,
)

from bench.testdata import COUNTIES, OUTCOMES, fill_queue  # noqa: E402
from clerkapp.closeout.updates import write_update  # noqa: E402
from clerkapp.orders.service import print_orders  # noqa: E402
from clerkapp.store import Store  # noqa: E402

COUNTY = "LOS ANGELES"


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its finished children (the drawing workers)."""
    me, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                     resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def make_store(folder: Path, approved: int) -> tuple[Store, list[int]]:
    """A store with `approved` approved relief convictions of Los Angeles county."""
    la_share = COUNTIES.count(COUNTY) / len(COUNTIES)
    relief_share = (sum(w for o, w, *_ in OUTCOMES if o in RELIEF)
                    / sum(w for _, w, *_ in OUTCOMES))
    store = Store(folder / "la.db")
    fill_queue(store, int(approved / (la_share * relief_share) * 1.5) + 100, details=True)
    marks = ",".join("?" * len(RELIEF))
    ids = [r[0] for r in store.conn.execute(
        f"SELECT id FROM convictions WHERE outcome IN ({marks}) AND county = ?"
        " ORDER BY id LIMIT ?", (*RELIEF, COUNTY, approved))]
    if len(ids) < approved:
        raise SystemExit(f"the filled store holds only {len(ids):,} Los Angeles relief convictions")
    approve_in_los_angeles(store, ids)
    return store, ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--approved", type=int, default=66_000)
    parser.add_argument("--floor-sample", type=int, default=2_000,
                        help="cases drawn by the per-case floor")
    args = parser.parse_args(argv)
    print(f"Los Angeles day ({os.cpu_count()} cpus, load average"
          f" {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    folder = Path(tempfile.mkdtemp(prefix="bench-la-day-"))
    lines = []
    try:
        start = time.perf_counter()
        store, ids = make_store(folder, args.approved)
        print(f"  store with {len(ids):,} approved convictions in"
              f" {time.perf_counter() - start:.0f} s", flush=True)

        bulk_s, floor_b, size = bulk_beside_floor(store, ids, folder)
        lines.append((f"bulk order, Exhibit A of {len(ids):,} rows ({size:.0f} MB)", bulk_s,
                      floor_b, "", ""))
        print(f"  {lines[-1][0]}: {bulk_s:.1f} s", flush=True)

        start, cpu = time.perf_counter(), _cpu()
        cases = print_orders(store, folder / "cases", conviction_ids=ids, operator="bench",
                             supersede="bench: the same convictions, per case")  # ordered once
        cases_s = time.perf_counter() - start
        cases_cpu = [after - before for after, before in zip(_cpu(), cpu, strict=True)]
        n = len(cases.files)
        sample = ids[:args.floor_sample]  # one case per conviction in this store
        (folder / "floor-cases").mkdir()
        floor_c = floor_cases(store, sample, folder / "floor-cases")
        floor_rate = len(sample) / floor_c
        lines.append((f"per-case orders, {n:,} files", cases_s, n / floor_rate,
                      f"{n / cases_s:,.0f}/s (floor {floor_rate:,.0f}/s)", ">= 500/s"))
        per_order = [1000 * s / n for s in cases_cpu]
        print(f"  {lines[-1][0]}: {cases_s:.1f} s", flush=True)
        shutil.rmtree(folder / "cases", ignore_errors=True)

        today = time.strftime("%Y-%m-%d")
        with store.atomic():  # the judge signed them: an update reports signed orders only
            for order in cases.orders:
                store.record_signature(order.order_id, today, "Hon. Bench", recorded_by="bench")
        start = time.perf_counter()
        update = write_update(store, "doj", folder / "doj-update.csv", operator="bench")
        update_s = time.perf_counter() - start
        lines.append((f"DOJ update file, {update.rows:,} rows", update_s, None, "", ""))
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{'job':<48}{'s':>8}{'floor s':>9}  {'rate':<28}target")
    for label, seconds, floor, rate, target in lines:
        floor_text = f"{floor:9.1f}" if floor is not None else " " * 9
        print(f"{label:<48}{seconds:>8.1f}{floor_text}  {rate:<28}{target}")
    print(f"per-case CPU per order: {per_order[0]:.2f} ms in the printing process,"
          f" {per_order[1]:.2f} ms in its workers (bound by CPU alone, two idle cores would print"
          f" about {2000 / sum(per_order):,.0f} a second)")
    print(f"per-case floor: a one-page canvas with the case's lines, same font, for"
          f" {args.floor_sample:,} cases, scaled to all; load average"
          f" {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
