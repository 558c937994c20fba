"""Benchmark the audit view's queries and the audit export, beside floors from the same run.

    .venv/bin/python bench/bench_audit.py [--entries 200000]

Figures: opening the view (count + first page of 500), a clerk filter, a case-number search,
scrolling to the end page by page, verifying the hash chain, and exporting everything to xlsx.
Floors: one plain `SELECT *` pass over the log (for the chain check and the scroll) and an
openpyxl write-only workbook of the same rows with no store behind it (for the export).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.reports.audit_export import export_audit  # noqa: E402
from clerkapp.store import Store  # noqa: E402
from clerkapp.store.reports import AuditFilter  # noqa: E402

CLERKS = ("M. Okafor", "J. Rivera", "S. Nguyen", "A. Castillo")
ACTIONS = ("review.approved", "review.denied", "review.deferred", "import", "evaluate")


def fill(store: Store, n: int) -> None:
    with store.atomic():
        for i in range(n):
            store.audit(CLERKS[i % 4], ACTIONS[i % 5], entity="conviction", entity_id=i,
                        case_number=f"LA{100000 + i}", details={"outcome": "dismiss_and_seal"})


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args(argv)
    n = args.entries
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "clerk.db")
        t_fill, _ = timed(lambda: fill(store, n))
        print(f"filled {n:,} audit entries in {t_fill:.1f} s")

        t_open, _ = timed(lambda: (store.audit_count(), store.audit_page(limit=500)))
        clerk = AuditFilter(actor="J. Rivera")
        t_clerk, _ = timed(lambda: (store.audit_count(clerk), store.audit_page(clerk, limit=500)))
        case = AuditFilter(case_number="a1234")
        t_case, hits = timed(lambda: (store.audit_count(case), store.audit_page(case, limit=500)))

        def scroll() -> int:
            seen, before = 0, None
            while page := store.audit_page(before_id=before, limit=500):
                seen += len(page)
                before = page[-1].id
            return seen

        t_scroll, seen = timed(scroll)
        t_floor_read, _ = timed(lambda: sum(1 for _ in store.conn.execute("SELECT * FROM audit_log")))
        t_chain, bad = timed(store.verify_audit_chain)
        assert bad is None and seen == n

        out = Path(tmp) / "audit.xlsx"
        t_export, written = timed(lambda: export_audit(store, out))

        def floor_xlsx() -> None:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("x")
            for r in store.conn.execute("SELECT * FROM audit_log ORDER BY id DESC"):
                ws.append(list(r))
            wb.save(Path(tmp) / "floor.xlsx")

        t_floor_xlsx, _ = timed(floor_xlsx)
        store.close()

    print(f"open view (count + first 500):   {t_open * 1000:8.1f} ms")
    print(f"filter by clerk:                 {t_clerk * 1000:8.1f} ms")
    print(f"case-number search ({hits[0]:,} hits): {t_case * 1000:8.1f} ms")
    print(f"scroll all {n:,} (500/page):   {t_scroll:8.2f} s   floor SELECT * {t_floor_read:.2f} s"
          f"  ({t_scroll / t_floor_read:.1f}x)")
    print(f"verify hash chain:               {t_chain:8.2f} s   floor SELECT * {t_floor_read:.2f} s"
          f"  ({t_chain / t_floor_read:.1f}x)")
    print(f"export {written:,} to xlsx:        {t_export:8.2f} s   ({written / t_export:,.0f} entries/s)"
          f"  floor openpyxl {t_floor_xlsx:.2f} s ({t_export / t_floor_xlsx:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
