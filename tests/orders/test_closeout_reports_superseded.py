"""The judge's reports on a bulk order name the convictions a later order moved away from it
(which order vacated it as to them, and the court's reason), count only the others as its
close-out, and, on the superseding order's own reports, which orders it superseded."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

from pypdf import PdfReader

from clerkapp.closeout.batch_report import write_final_report, write_review_list
from clerkapp.closeout.updates import write_update
from clerkapp.orders.service import print_orders

REASON = "the judge asked for per-case orders in CASE-A1"


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def test_reports_show_convictions_moved_to_a_superseding_order(court_store, casebook, tmp_path):
    store = court_store
    bulk = print_orders(store, tmp_path / "orders", bulk=True).orders[0]
    signed = (date.today() - timedelta(days=3)).isoformat()
    store.record_signature(bulk.order_id, signed, "Hon. A", recorded_by="clerk")
    write_update(store, "doj", tmp_path / "doj.csv")
    moved = print_orders(store, tmp_path / "per-case", bulk=True,
                         conviction_ids=casebook.by_case["CASE-A1"], supersede=REASON)
    new = moved.orders[0]

    final = write_final_report(store, bulk.order_number, tmp_path / "final.pdf")
    text = _text(final.path)
    assert ("Ordered: 5, of which 2 moved to a superseding order (below): the figures that"
            " follow are of the other 3") in text
    assert "Reported to the DOJ: 3" in text  # A1's counts are reported again under the new one
    assert "Moved to a superseding order: this order vacated as to them" in text
    assert text.count(f"vacated by Order No. {new.order_number} of") == 2
    assert REASON in text
    assert text.count(f"vacated here, moved to Order No. {new.order_number}") == 2
    assert final.changed == 2
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(final.path),
                    str(tmp_path / "final")], check=True)

    review = write_review_list(store, bulk.order_number, tmp_path / "review.pdf")
    text = _text(review.path)
    assert review.changed == 2
    assert f"CASE-A1, count 1, HS 11357(a): moved to Order No. {new.order_number} ({REASON})" \
        in text
    assert "Total standing as printed: 3" in text

    # the superseding order's own report says which order it superseded, and why
    store.record_signature(new.order_id, date.today().isoformat(), "Hon. A", recorded_by="c")
    own = _text(write_final_report(store, new.order_number, tmp_path / "own.pdf").path)
    assert "Orders this order supersedes (vacated as to the convictions named)" in own
    assert f"Order No. {bulk.order_number}: vacated as to 2 conviction(s) ({REASON})" in own
    assert "moved to a superseding order" not in own
