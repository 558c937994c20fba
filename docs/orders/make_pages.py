"""Render the sample pages in this folder: a per-case order, the bulk order's text and the
first page of its Exhibit A, from made-up data (names are fake syllables).

    .venv/bin/python docs/orders/make_pages.py     (needs poppler's pdftoppm)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from clerkapp.orders.service import print_orders  # noqa: E402
from clerkapp.review.service import decide  # noqa: E402
from clerkapp.store import Store  # noqa: E402
from clerkapp.store.base import now_iso  # noqa: E402
from clerkapp.store.testdata import fill_queue  # noqa: E402

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


def profile(store: Store, county: str = "Yolo",
            address: str = "1000 Main Street, Woodland, CA 95695") -> None:
    """The court profile; orders are printed for the court's own county only."""
    with store.atomic():
        store.set_setting("court.county", county)
        store.set_setting("court.address", address)
        store.set_setting("court.department", "9")
        store.set_setting("court.judge", "Hon. Pat Q. Bench")
        store.set_setting("court.clerk", "Lee R. Ledger")


def one_case(store: Store) -> None:
    """One person, one case with three counts, an AKA, one count with its sentence running."""
    db = store.db
    imp = db["imports"].insert({"file_name": "sample", "sha256": "s", "size": 0,
                                "preset": "generic", "started_at": now_iso()}).last_pk
    run = db["eval_runs"].insert({"rule_set_version": "sample", "policy_name": "statute",
                                  "policy_hash": "h", "policy_text": "", "as_of": "2026-01-01",
                                  "started_at": now_iso()}).last_pk
    pid = db["people"].insert({"subject_key": "sample:1", "name": "ZORKELPIX,ALPHA BRAVO",
                               "dob": "1971-04-05", "cii": "A09876543",
                               "aliases": json.dumps(["ZORKEL,AL"])}).last_pk
    case = db["cases"].insert({"person_id": pid, "import_id": imp,
                               "case_numbers": json.dumps(["CR-1994-0012345", "94M0456"])}).last_pk
    ids = []
    for n, (section, level, outcome, remedy) in enumerate([
        ("HS 11357(a)", "M", "dismiss_and_seal", "redesignate"),
        ("HS 11359", "F", "redesignate_misdemeanor", "redesignate"),
        ("HS 11360(a)", "F", "redesignate_misdemeanor", "resentence"),
    ], start=1):
        cid = db["convictions"].insert({
            "person_id": pid, "case_id": case, "import_id": imp, "case_number": "CR-1994-0012345",
            "county": "YOLO",
            "code_section": section, "section_number": section.split()[1][:5], "level": level,
            "conviction_date": "1994-08-17", "count_key": str(n), "outcome": outcome}).last_pk
        det = db["determinations"].insert({"run_id": run, "conviction_id": cid, "outcome": outcome,
                                           "remedy": remedy, "authority": "HS 11361.8"}).last_pk
        db["convictions"].update(cid, {"determination_id": det})
        ids.append(cid)
    decide(store, ids, "approved", clerk="sample")


def png(pdf: Path, page: int, out: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out.with_suffix(""))], check=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store(folder / "case.db")
        profile(store)
        one_case(store)
        case = print_orders(store, folder / "case", operator="sample").files[0]
        png(case, 1, HERE / "per-case-page1.png")
        png(case, 2, HERE / "per-case-page2.png")  # the signature and the clerk's attestation
        store.close()

        store = Store(folder / "bulk.db")
        profile(store, "Los Angeles", "111 North Hill Street, Los Angeles, CA 90012")
        fill_queue(store, 400, seed=11)
        marks = ",".join("?" * len(RELIEF))
        ids = [r[0] for r in store.conn.execute(
            f"SELECT id FROM convictions WHERE outcome IN ({marks})", RELIEF)]
        decide(store, ids, "approved", clerk="sample")
        bulk = print_orders(store, folder / "bulk", bulk=True, operator="sample",
                            order_date="2026-03-01").files[0]
        png(bulk, 1, HERE / "bulk-order-page1.png")
        png(bulk, 4, HERE / "exhibit-page1.png")  # pages 1-2 order text, 3 the slip page
        store.close()


if __name__ == "__main__":
    main()
