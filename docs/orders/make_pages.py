"""Render the sample pages in this folder: a per-case order, one order each for a
resentencing, a redesignation, a dismissal and a juvenile adjudication, the bulk order's text
and the first page of its Exhibit A, from made-up data (names are fake syllables).

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

from bench.testdata import fill_queue  # noqa: E402
from clerkapp.orders.service import print_orders  # noqa: E402
from clerkapp.review.service import decide  # noqa: E402
from clerkapp.store import Store  # noqa: E402
from clerkapp.store.base import now_iso  # noqa: E402

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


def _seed(store: Store) -> tuple[int, int]:
    db = store.db
    imp = db["imports"].insert({"file_name": "sample", "sha256": "s", "size": 0,
                                "preset": "generic", "started_at": now_iso()}).last_pk
    run = db["eval_runs"].insert({"rule_set_version": "sample", "policy_name": "statute",
                                  "policy_hash": "h", "policy_text": "", "as_of": "2026-01-01",
                                  "started_at": now_iso()}).last_pk
    return imp, run


def add_case(store: Store, name: str, dob: str, case_number: str,
             counts: list[tuple[str, str, str, str, str]], *, aliases: tuple[str, ...] = (),
             extra_numbers: tuple[str, ...] = (), court: str = "CASC YOLO",
             offense_date: str = "1994-06-02", conviction_date: str = "1994-08-17") -> None:
    """One person and case; `counts`: (count key, section, level, outcome, remedy)."""
    db = store.db
    imp, run = _seed(store)
    pid = db["people"].insert({"subject_key": f"sample:{name}", "name": name, "dob": dob,
                               "cii": "A0" + str(abs(hash(name)) % 10**7).zfill(7),
                               "aliases": json.dumps(list(aliases))}).last_pk
    case = db["cases"].insert({"person_id": pid, "import_id": imp,
                               "case_numbers": json.dumps([case_number, *extra_numbers])}).last_pk
    ids = []
    for count_key, section, level, outcome, remedy in counts:
        number = section.split()[1]
        cid = db["convictions"].insert({
            "person_id": pid, "case_id": case, "import_id": imp, "case_number": case_number,
            "county": "YOLO", "court": court, "count_key": count_key,
            "code_section": section, "section_number": number[:5],
            "section_subs": ",".join(number[5:].strip("()").split(")(")) if "(" in number else "",
            "level": level, "offense_date": offense_date, "conviction_date": conviction_date,
            "outcome": outcome, "remedy": remedy}).last_pk
        det = db["determinations"].insert({"run_id": run, "conviction_id": cid, "outcome": outcome,
                                           "remedy": remedy, "authority": "HS 11361.8"}).last_pk
        db["convictions"].update(cid, {"determination_id": det})
        ids.append(cid)
    decide(store, ids, "approved", clerk="sample")


def one_case(store: Store) -> None:
    """One person, one case with three counts, an AKA, one count with its sentence running."""
    add_case(store, "ZORKELPIX,ALPHA BRAVO", "1971-04-05", "CR-1994-0012345", [
        ("001002001000", "HS 11357(b)", "M", "dismiss_and_seal", "redesignate"),
        ("001002002000", "HS 11359", "F", "redesignate_misdemeanor", "redesignate"),
        ("001002003000", "HS 11360(a)", "F", "redesignate_misdemeanor", "resentence"),
    ], aliases=("ZORKEL,AL",), extra_numbers=("94M0456",))


# (file stem, name, dob, case number, counts, court): one order of each kind the brief names
VARIANTS = (
    ("per-case-resentence", "QUIBBLEWORTH,DELTA", "1980-02-11", "CR-2015-0077120",
     [("001003002000", "HS 11360(a)", "F", "redesignate_misdemeanor", "resentence")],
     "CASC YOLO"),
    ("per-case-redesignate", "MARPLEVANE,ECHO", "1966-09-30", "CR-1999-0004411",
     [("001002001000", "HS 11359", "F", "redesignate_misdemeanor", "redesignate"),
      ("001002003000", "HS 11358", "F", "redesignate_misdemeanor", "redesignate")],
     "CASC YOLO"),
    ("per-case-dismiss", "TORVALSTEAD,GAMMA", "1960-12-01", "94M0099",
     [("001002001000", "HS 11357(b)", "M", "dismiss_and_seal", "redesignate")], "CAMC WOODLAND"),
    ("per-case-juvenile", "PLINKERTON,IOTA", "1984-07-19", "J-2001-0345",
     [("001002001000", "HS 11359", "F", "redesignate_infraction", "redesignate")],
     "CASC YOLO JUVENILE"),
)


def png(pdf: Path, page: int, out: Path, *, gray: bool = False) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "80", *(["-gray"] if gray else []),
                    "-f", str(page), "-l", str(page),
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

        for stem, name, dob, number, counts, court in VARIANTS:
            store = Store(folder / f"{stem}.db")
            profile(store)
            juvenile = "juvenile" in stem
            add_case(store, name, dob, number, counts, court=court,
                     offense_date="2001-03-04" if juvenile else "1994-06-02",
                     conviction_date="2001-05-10" if juvenile else "1994-08-17")
            pdf = print_orders(store, folder / stem, operator="sample").files[0]
            png(pdf, 1, HERE / f"{stem}.png", gray=True)
            if stem == "per-case-resentence":  # the fields the judge completes
                png(pdf, 2, HERE / f"{stem}-page2.png", gray=True)
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
