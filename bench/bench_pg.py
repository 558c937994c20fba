"""The shared PostgreSQL store beside SQLite, in the same run, on the same synthetic DOJ file.

    .venv/bin/python bench/bench_pg.py [--rows 100000] [--repeat 3]

For each engine: importing the file into a fresh store (`import_files`, the clerk's import),
evaluating it (`evaluate`, the clerk's run), then the review queue on the result as the window
uses it (QueueModel: open with the first screen of rows, filters, a name search and a
case-number search). SQLite is a file in a temporary folder; PostgreSQL a throwaway cluster
(tests/pgcluster.py: Debian's server, a Unix socket, fsync off as for the tests).
Targets (issue 19): PostgreSQL within 2x of SQLite for import and evaluation; the queue within
the README's figures for SQLite (open < 1 s, filter and search < 300 ms).
`--rows 1000000` for the issue's million-row store (the file alone is about 0.5 GB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # pgcluster
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SEED = 2016


def doj_file(rows: int) -> Path:
    """The synthetic DOJ file (bench/synthetic.py), kept in bench/out/cache as bench_import
    keeps it, so a second run does not write it again."""
    import synthetic

    cache = HERE / "out" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"doj_{rows}_{SEED}.csv"
    if not path.exists():
        part = path.with_suffix(".part.csv")
        synthetic.write_csv(part, rows, SEED)
        part.rename(path)
    return path


def measure(target: str | Path, path: Path, repeat: int) -> dict[str, tuple[float, str]]:
    """{operation: (ms, note)} on one engine's fresh store."""
    from bench_queue import open_first_screen, timed  # best of `repeat` runs, in ms
    from PySide6.QtWidgets import QApplication

    from clerkapp.ingest.service import import_files
    from clerkapp.rules.service import evaluate
    from clerkapp.store import Store
    from clerkapp.store.queue import CANNABIS, EVERYTHING, QueueFilter
    from clerkapp.ui.models.queue_model import QueueModel

    QApplication.instance() or QApplication(["bench"])
    out: dict[str, tuple[float, str]] = {}
    store = Store(target)
    try:
        t0 = time.perf_counter()
        (summary,) = import_files(store, [path], preset="doj")
        out["import"] = ((time.perf_counter() - t0) * 1000,
                         f"{summary.rows:,} rows, {summary.convictions:,} convictions")
        t0 = time.perf_counter()
        run = evaluate(store, as_of="2026-01-01", county="")
        relief = sum(n for k, n in run.counts.items() if k != "not_applicable")
        out["evaluate"] = ((time.perf_counter() - t0) * 1000, f"{relief:,} not 'not applicable'")

        def open_queue() -> QueueModel:
            return open_first_screen(store)

        out["open queue (ids + first screen)"] = (timed(open_queue, repeat), "")
        model = open_queue()
        n = model.rowCount()
        record = model.record(n // 2)
        name = (record.name or "A").split(",")[0][:4].lower()
        case = (record.case_number or "")[:-2]
        filters = [
            ("filter outcome = needs review", QueueFilter(outcome="needs_review")),
            ("filter county = LOS ANGELES", QueueFilter(county="LOS ANGELES")),
            ("filter section 11359", QueueFilter(code_section="11359")),
            ("filter prosecutor disagrees", QueueFilter(disagree=True)),
            ("filter outcome = not applicable", QueueFilter(outcome="not_applicable")),
            ("filter everything", QueueFilter(outcome=EVERYTHING)),
            ("filter relief outcomes", QueueFilter(outcome="relief")),
            ("search name (4 letters)", QueueFilter(search=name)),
            ("search case number", QueueFilter(search=case)),
        ]
        for label, f in filters:
            def apply(f: QueueFilter = f) -> None:
                model.set_filter(f)
                for r in range(min(40, model.rowCount())):
                    model.index(r, 0).data()

            ms = timed(apply, repeat)
            out[label] = (ms, f"{model.rowCount():,} rows")
            model.set_filter(QueueFilter(outcome=CANNABIS))
    finally:
        store.close()
    return out


TARGETS = {"import": "PG <= 2x SQLite", "evaluate": "PG <= 2x SQLite",
           "open queue (ids + first screen)": "< 1000"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the DOJ file")
    parser.add_argument("--repeat", type=int, default=3, help="runs per queue figure")
    args = parser.parse_args(argv)
    import pgcluster
    import psycopg

    print(f"clerkapp SQLite vs PostgreSQL ({args.rows:,}-row DOJ file; python"
          f" {sys.version.split()[0]}, {os.cpu_count()} cpus, load average"
          f" {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    path = doj_file(args.rows)
    tmp = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    cluster = pgcluster.start_cluster()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE bench ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                         " TEMPLATE template0")
        sqlite = measure(tmp / "clerk.db", path, args.repeat)
        print("  SQLite done", flush=True)
        pg = measure(cluster.url("bench"), path, args.repeat)
    finally:
        cluster.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'operation':<36}{'SQLite ms':>11}{'PostgreSQL ms':>15}{'PG/SQLite':>11}  target"
          "       what")
    for label, (ms, note) in sqlite.items():
        pg_ms, pg_note = pg[label]
        target = TARGETS.get(label, "< 300")
        what = note if note == pg_note else f"{note} / PG {pg_note}"
        print(f"{label:<36}{ms:>11.0f}{pg_ms:>15.0f}{pg_ms / ms:>11.2f}  {target:<16} {what}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
