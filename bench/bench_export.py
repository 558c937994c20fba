"""Benchmark a county's csv export (`clerkapp export`, the last step of `clerkapp process`) on
an imported and evaluated store, beside floors measured in the same run.

    .venv/bin/python bench/bench_export.py STORE.db [--runs 3]

STORE is copied into a temporary folder first (an export records itself in the store). Each
run writes the whole export as `export_rows` does (two processes when large) and prints its
wall time and the CPU seconds of this process and of the second one: the machine's two cores
are the budget, so CPU seconds are the figure to compare when other work loads the machine.
The floors: SQLite stepping through the export's query producing nothing (the store's own
cost) and the same rows fetched as Python tuples (what reading them costs before any cell is
written); the export's CPU over the fetch says what making and writing the cells costs.
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# clerkapp is imported in main(): the export's second process starts from this file (spawn),
# and should import no more than it does under `clerkapp process`


def _cpu() -> tuple[float, float]:
    me, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                          resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def _floors(store) -> tuple[float, float]:
    """CPU seconds of the export's query stepped by SQLite alone, and fetched as tuples."""
    names, _ = store.export_tuples(packed=True)
    cursor = store.conn.cursor()
    cursor.row_factory = None
    start = time.process_time()
    sql, params = store.export_sql(packed=True)
    stepped = f"SELECT count(*) FROM ({sql} LIMIT -1 OFFSET 0) WHERE " + " AND ".join(
        f"{name} IS NULL" for name in names)  # every column computed, none returned
    cursor.execute(stepped, params).fetchall()
    sqlite_only = time.process_time() - start
    start = time.process_time()
    for _ in store.export_tuples(packed=True)[1]:
        pass
    return sqlite_only, time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from clerkapp.reports.export import export_rows
    from clerkapp.store import Store

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        db = Path(folder) / "clerk.db"
        shutil.copyfile(args.store, db)
        with Store(db) as store:
            print(f"{store.conviction_count():,} convictions")
            for run in range(1, args.runs + 1):
                out = Path(folder) / f"export-{run}.csv"
                me, children = _cpu()
                wall = time.perf_counter()
                rows = export_rows(store, out)
                wall = time.perf_counter() - wall
                me2, children2 = _cpu()
                digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
                print(f"export {run}: {rows:,} rows, {out.stat().st_size / 1e6:.1f} MB,"
                      f" wall {wall:.2f} s, CPU {me2 - me:.2f} s here + {children2 - children:.2f}"
                      f" s second process = {me2 - me + children2 - children:.2f} s; sha256"
                      f" {digest}")
                out.unlink()
            sqlite_only, fetched = _floors(store)
            print(f"floor: the query stepped by SQLite {sqlite_only:.2f} s CPU; its rows fetched"
                  f" as tuples {fetched:.2f} s CPU (one process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
