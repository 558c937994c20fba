"""Benchmark order printing beside floors measured in the same run.

    .venv/bin/python bench/bench_orders.py [--bulk-rows 66000] [--cases 1000]

- bulk: `print_orders(bulk=True)` for N approved convictions (counts, order text, Exhibit A,
  sha256, order_items and audit), against the floor: the same rows read from the store and
  drawn by reportlab's canvas as one plain text line each, same embedded font, same rows per
  page, nothing else. Target: within 2x of the floor.
- per-case: `print_orders()` writing one order for each of N cases, against the floor: a
  one-page canvas per case with the same rows as plain lines, same font, saved to a file.
  Target: 1,000 orders under 5 s.
- memory: peak RSS of the bulk run at N/10 and N rows, each in its own process. Target: flat.

The store is filled with `bench.testdata.fill_queue` and approved through the review
service, so the orders read exactly what a clerk's approvals leave.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import landscape, letter  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from bench.testdata import fill_queue  # noqa: E402
from clerkapp.orders.exhibit import FONT_SIZE, ROW_HEIGHT, Geometry  # noqa: E402
from clerkapp.orders.fonts import SANS, SERIF, register_fonts  # noqa: E402
from clerkapp.orders.service import print_orders  # noqa: E402
from clerkapp.review.service import decide  # noqa: E402
from clerkapp.store import Store  # noqa: E402

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


def make_store(folder: Path, approved: int) -> tuple[Store, list[int]]:
    """A store with at least `approved` approved relief convictions; returns their ids."""
    store = Store(folder / "bench.db")
    fill_queue(store, int(approved * 2.2) + 50, details=True)
    marks = ",".join("?" * len(RELIEF))
    ids = [r[0] for r in store.conn.execute(
        f"SELECT id FROM convictions WHERE outcome IN ({marks}) ORDER BY id LIMIT ?",
        (*RELIEF, approved))]
    approve_in_los_angeles(store, ids)
    return store, ids


def approve_in_los_angeles(store: Store, ids: list[int]) -> None:
    """Approve the convictions through the review service, for a Los Angeles court."""
    decide(store, ids, "approved", clerk="bench")
    with store.atomic():
        store.set_setting("court.county", "Los Angeles")
        store.set_setting("court.judge", "Hon. Bench Mark")
        store.set_setting("court.address", "111 North Hill Street, Los Angeles, CA 90012")


def bulk_beside_floor(store: Store, ids: list[int], folder: Path) -> tuple[float, float, float]:
    """(seconds, floor seconds, MB) of a bulk order of `ids` written in `folder`."""
    start = time.perf_counter()
    bulk = print_orders(store, folder / "bulk", bulk=True, conviction_ids=ids, operator="bench")
    seconds = time.perf_counter() - start
    floor = floor_bulk(store, ids, folder / "floor.pdf")
    return seconds, floor, bulk.files[0].stat().st_size / 1e6


def floor_bulk(store: Store, ids: list[int], out: Path) -> float:
    """Read the exhibit rows from the store and draw each as one plain text line: the least
    any bulk order of these rows must do (no order text, no cells, no records)."""
    per_page = Geometry.letter_landscape().rows_per_page
    start = time.perf_counter()
    register_fonts()
    canvas = Canvas(str(out), pagesize=landscape(letter), pageCompression=1)
    text = None
    for n, row in enumerate(store.iter_exhibit_rows(ids)):
        if n % per_page == 0:
            if text is not None:
                canvas.drawText(text)
                canvas.showPage()
            text = canvas.beginText(36, 540)
            text.setFont(SANS, FONT_SIZE, ROW_HEIGHT)
        text.textLine(" ".join(str(v) for v in row[1:]))
    if text is not None:
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def floor_cases(store: Store, ids: list[int], out: Path) -> float:
    rows = list(store.iter_order_rows(ids))
    start = time.perf_counter()
    register_fonts()
    for r in rows:
        canvas = Canvas(str(out / f"{r.conviction_id}.pdf"), pagesize=letter, pageCompression=0)
        text = canvas.beginText(54, 700)
        text.setFont(SERIF, 10)
        text.textLine(f"{r.case_number} {r.name} {r.dob} {r.cii}")
        text.textLine(f"{r.code_section} {r.conviction_date} {r.level} {r.outcome}")
        canvas.drawText(text)
        canvas.showPage()
        canvas.save()
    return time.perf_counter() - start


def child_bulk(db: Path, rows: int) -> None:
    """One bulk run of the first `rows` approved convictions of `db`, in this process; prints
    seconds and RSS (before and peak) as JSON, so the peak is the printing's own."""
    store = Store(db)
    ids = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE review_status = 'approved' ORDER BY id LIMIT ?", (rows,))]
    before = _current_rss_kb()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        print_orders(store, Path(tmp), bulk=True, conviction_ids=ids, operator="bench",
                     supersede="bench: printed again to measure memory")  # ordered once
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": len(ids), "seconds": seconds, "rss_before_mb": before / 1024,
                      "rss_peak_mb": peak / 1024}))


def _current_rss_kb() -> float:
    """Resident memory now (Linux /proc), as opposed to ru_maxrss, the high-water mark."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(db: Path, rows: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child-bulk", str(rows), "--db", str(db)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bulk-rows", type=int, default=66_000)
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--child-bulk", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_bulk:
        child_bulk(args.db, args.child_bulk)
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, ids = make_store(folder, max(args.bulk_rows, args.cases))
        bulk_ids = ids[:args.bulk_rows]
        case_ids = ids[:args.cases]  # fill_queue gives every conviction its own case number

        bulk_s, floor_s, size = bulk_beside_floor(store, bulk_ids, folder)
        results.append((f"bulk order, {len(bulk_ids):,} rows ({size:.1f} MB)", bulk_s, floor_s, "2x"))

        start = time.perf_counter()
        cases = print_orders(store, folder / "cases", conviction_ids=case_ids, operator="bench",
                             supersede="bench: the same convictions, per case")  # ordered once
        cases_s = time.perf_counter() - start
        (folder / "floor-cases").mkdir()
        floor_c = floor_cases(store, case_ids, folder / "floor-cases")
        results.append((f"per-case orders, {len(cases.files):,} files", cases_s, floor_c, "< 5 s"))
        store.close()

        print(f"{'job':<42} {'clerkapp s':>10} {'floor s':>8} {'ratio':>6}  target")
        for name, ours, floor, target in results:
            print(f"{name:<42} {ours:>10.2f} {floor:>8.2f} {ours / floor:>6.2f}  {target}")
        db = folder / "bench.db"
        small, large = run_child(db, max(1, args.bulk_rows // 10)), run_child(db, args.bulk_rows)
    print("\nbulk order memory, each size in its own process (target: flat):")
    for r in (small, large):
        print(f"  {r['rows']:>7,} rows: {r['seconds']:6.2f} s, RSS {r['rss_before_mb']:.0f} MB"
              f" before printing, {r['rss_peak_mb']:.0f} MB peak"
              f" (+{r['rss_peak_mb'] - r['rss_before_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
