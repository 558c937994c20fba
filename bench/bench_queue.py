"""Benchmark the review queue on a million convictions, beside floors from the same run.

    .venv/bin/python bench/bench_queue.py [--rows 1000000] [--db PATH] [--keep]

Figures: opening the queue (the model's id list plus the first screen of rows), opening the
whole main window offscreen, scrolling to the end, filters, a name search and a case-number
search, and this process's peak memory. Floors: SQLite alone counting the same rows (no
Python objects), so a slow machine shows as slow floors too. The store is filled in a child
process, so the peak memory is the queue's, not the generator's.
Targets: open < 1 s, filter and search < 300 ms, memory < 500 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from clerkapp.store import Store  # noqa: E402
from clerkapp.store.queue import CANNABIS, EVERYTHING, QueueFilter  # noqa: E402

FILL = ("import sys; from clerkapp.store import Store;"
        " from bench.testdata import fill_queue_fast;"
        " s = Store(sys.argv[1]); fill_queue_fast(s, int(sys.argv[2])); s.close()")


def open_first_screen(store):
    """The window's queue opened on the default filter with its first screen of rows read."""
    from clerkapp.ui.models.queue_model import QueueModel

    model = QueueModel(store)
    model.set_filter(QueueFilter())
    for r in range(40):
        model.index(r, 0).data()
    return model


def timed(fn, repeat: int = 3) -> float:
    """Best of `repeat` runs, in ms: the machine is shared, the best run is the honest one."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def floor(store: Store, where: str, params: tuple = ()) -> float:
    sql = "SELECT count(*) FROM convictions c" + (f" WHERE {where}" if where else "")
    return timed(lambda: store.conn.execute(sql, params).fetchone())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse (or create) this store")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="bench-queue-")
    path = args.db or Path(tmp) / "clerk.db"
    if not path.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", FILL, str(path), str(args.rows)], check=True,
                       cwd=ROOT)
        print(f"filled {args.rows:,} convictions in {time.perf_counter() - t0:.1f} s ({path})")

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from clerkapp.ui.mainwindow import MainWindow
    from clerkapp.ui.models.queue_model import QueueModel

    app = QApplication.instance() or QApplication(["bench"])
    store = Store(path)
    rows: list[tuple[str, float, float | None, str]] = []

    def open_queue() -> QueueModel:
        return open_first_screen(store)

    t = timed(open_queue)
    cannabis = "c.outcome IS NOT NULL AND c.outcome != 'not_applicable'"
    rows.append(("open queue (ids + first screen)", t, floor(store, cannabis), "< 1000"))
    model = open_queue()
    n = model.rowCount()

    def scroll_end() -> None:
        model._windows.clear()
        model.record(n - 1)

    rows.append(("scroll to the end (one window)", timed(scroll_end), None, ""))

    settings = QSettings(str(Path(tmp) / "desk.ini"), QSettings.Format.IniFormat)

    def open_window() -> None:
        window = MainWindow(store, settings=settings)
        window.show()
        app.processEvents()
        window.show_current_detail()
        window.close()
        window.deleteLater()
        app.processEvents()

    rows.append(("open main window (offscreen)", timed(open_window, 2), None, "< 1000"))

    record = model.record(n // 2)
    prefix = (record.name or "A").split(",")[0][:4].lower()
    case_prefix = (record.case_number or "")[:-2]
    filters = [
        ("filter outcome = needs review", QueueFilter(outcome="needs_review"),
         "c.outcome = 'needs_review'", ()),
        ("filter county = KERN", QueueFilter(county="KERN"),
         "+c.outcome IS NOT NULL AND c.county = 'KERN' COLLATE NOCASE", ()),
        ("filter section 11359", QueueFilter(code_section="11359"),
         "c.section_number = '11359'", ()),
        ("filter prosecutor disagrees", QueueFilter(disagree=True),
         "c.prosecutor_outcome IS NOT NULL AND c.prosecutor_outcome IS NOT c.outcome", ()),
        ("filter outcome = not applicable", QueueFilter(outcome="not_applicable"),
         "c.outcome_in_force IS NULL OR c.outcome_in_force = 'not_applicable'", ()),
        ("filter everything", QueueFilter(outcome=EVERYTHING), "", ()),
        ("filter relief outcomes", QueueFilter(outcome="relief"),
         "c.outcome IN ('dismiss_and_seal','redesignate_misdemeanor',"
         "'redesignate_infraction')", ()),
        (f"search name '{prefix}'", QueueFilter(search=prefix),
         "c.person_id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)",
         (f'"{prefix}"*',)),
        (f"search case '{case_prefix}'", QueueFilter(search=case_prefix),
         "c.case_number LIKE ?", (case_prefix + "%",)),
    ]
    for label, f, where, params in filters:
        def apply(f: QueueFilter = f) -> None:
            model.set_filter(f)
            for r in range(min(40, model.rowCount())):
                model.index(r, 0).data()
        t = timed(apply)
        rows.append((f"{label} ({model.rowCount():,} rows)", t, floor(store, where, params),
                     "< 300"))
        model.set_filter(QueueFilter(outcome=CANNABIS))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nqueue of {n:,} convictions ({store.conviction_count():,} in the store)\n")
    print(f"{'operation':<52} {'ms':>9} {'floor ms':>9}  target ms")
    for label, ms, fl, target in rows:
        fl_text = f"{fl:9.1f}" if fl is not None else " " * 9
        print(f"{label:<52} {ms:9.1f} {fl_text}  {target}")
    print(f"{'peak memory (this process)':<52} {peak_mb:8.0f}M {'':>9}  < 500 MB")
    print(f"queue rows read from the store in all: {model.total_fetched_rows:,}"
          f" (cache holds {model.cached_rows:,}; the queue holds {n:,} ids)")
    store.close()
    if args.keep and args.db is None:
        print(f"kept {path}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
