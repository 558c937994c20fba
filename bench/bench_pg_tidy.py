"""The shared store's queue filters right after a large write, before and after the
VACUUM (ANALYZE) clerkapp now runs after one (`clerkapp/store/pg/tidy.py`).

    .venv/bin/python bench/bench_pg_tidy.py [--rows 1000000] [--pg URL]

A throwaway PostgreSQL cluster (tests/pgcluster.py) or the store at `--pg URL` (must be empty);
autovacuum is held off on its tables for the run, so "before" is what the clerk gets until
autovacuum comes round. Two large writes, each as the app makes them: the store filled with
convictions as an import leaves them (bench.testdata.fill_queue_fast: the rows generated in
the database), then every conviction's determination written again as an evaluation re-run
does (`UPDATE convictions SET outcome = outcome`, one transaction). After each: the queue's
filters as the window applies them (best of 3, ms) and how PostgreSQL answered the outcome
filter (EXPLAIN: its plan, rows read from the table, pages), then `Store.tidy_after_bulk`
(timed to its end) and the same again. Floors: the database counting the same rows, after
the tidy. (The fill writes no source rows: an import's VACUUM of them is not in its time.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_queue import floor, open_first_screen, throwaway_pg_store, timed  # noqa: E402

from clerkapp.store import Store  # noqa: E402
from clerkapp.store.queue import CANNABIS, EVERYTHING, QueueFilter  # noqa: E402
from clerkapp.store.tidy import EVALUATION_TABLES, IMPORT_TABLES  # noqa: E402

FILTERS = [
    ("outcome = needs review", QueueFilter(outcome="needs_review"),
     "c.outcome = 'needs_review'"),
    ("county = KERN", QueueFilter(county="KERN"),
     "+c.outcome IS NOT NULL AND c.county = 'KERN' COLLATE NOCASE"),
    ("section 11359", QueueFilter(code_section="11359"), "c.section_number = '11359'"),
    ("prosecutor disagrees", QueueFilter(disagree=True),
     "c.prosecutor_outcome IS NOT NULL AND c.prosecutor_outcome IS NOT c.outcome"),
    ("outcome = not applicable", QueueFilter(outcome="not_applicable"),
     "c.outcome_in_force IS NULL OR c.outcome_in_force = 'not_applicable'"),
    ("everything", QueueFilter(outcome=EVERYTHING), ""),
]
HEAP_SQL = ("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM convictions"
            " WHERE outcome_in_force = 'needs_review'")


def outcome_plan(store: Store) -> str:
    """How the server answered the outcome filter: its plan and the pages it read."""
    plan = store.conn.raw.execute(HEAP_SQL).fetchone()[0][0]["Plan"]
    pages = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    kind = plan["Node Type"]
    if "Heap Fetches" in plan:
        kind += f", {plan['Heap Fetches']:,} rows from the table"
    return f"{kind}; {pages:,} pages"


def filters(store: Store, model) -> dict[str, float]:
    out = {}
    for label, f, _where in FILTERS:
        def apply(f: QueueFilter = f) -> None:
            model.set_filter(f)
            for r in range(min(40, model.rowCount())):
                model.index(r, 0).data()
        out[label] = timed(apply)
        model.set_filter(QueueFilter(outcome=CANNABIS))
    return out


def round_of(store: Store, model, name: str, tables, rows: int) -> None:
    before, plan = filters(store, model), outcome_plan(store)
    t0 = time.perf_counter()
    store.tidy_after_bulk(tables, rows)
    if store.checkpointing is not None:
        store.checkpointing.join()
    tidy = time.perf_counter() - t0
    after, plan_after = filters(store, model), outcome_plan(store)
    print(f"\nafter {name} ({rows:,} rows): VACUUM (ANALYZE) {', '.join(tables)} took"
          f" {tidy:.1f} s")
    print(f"{'filter':<28} {'before ms':>10} {'after ms':>10} {'floor ms':>9}")
    for label, _f, where in FILTERS:
        print(f"{label:<28} {before[label]:10.1f} {after[label]:10.1f}"
              f" {floor(store, where):9.1f}")
    print(f"outcome filter, before: {plan}")
    print(f"outcome filter, after:  {plan_after}")


def run(url: str, rows: int) -> None:
    from PySide6.QtWidgets import QApplication

    from bench.testdata import fill_queue_fast

    app = QApplication.instance() or QApplication(["bench"])  # noqa: F841
    store = Store(url)
    if store.conviction_count():
        raise SystemExit(f"{url}: holds convictions already; give an empty store")
    for table in set(IMPORT_TABLES) | set(EVALUATION_TABLES):
        store.conn.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
    t0 = time.perf_counter()
    fill_queue_fast(store, rows)
    print(f"store filled in {time.perf_counter() - t0:.1f} s", flush=True)
    model = open_first_screen(store)
    round_of(store, model, "an import", IMPORT_TABLES, rows)
    t0 = time.perf_counter()
    with store.atomic():
        store.conn.execute("UPDATE convictions SET outcome = outcome")
    print(f"\nevery determination written again in {time.perf_counter() - t0:.1f} s", flush=True)
    round_of(store, model, "an evaluation", EVALUATION_TABLES, rows)
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default=None, help="an empty store's URL (else a throwaway cluster)")
    args = parser.parse_args(argv)
    print(f"clerkapp shared store after a large write, {args.rows:,} convictions (python"
          f" {sys.version.split()[0]}, {os.cpu_count()} cpus, load average"
          f" {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    if args.pg:
        run(args.pg, args.rows)
        return 0
    with throwaway_pg_store() as url:
        run(url, args.rows)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
