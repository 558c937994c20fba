"""The judge's batch reports (text read back with pypdf) and the recording of the signing."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.closeout.batch_report import write_final_report, write_review_list
from clerkapp.closeout.updates import write_update
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def bulk(court_store, tmp_path):
    order = print_orders(court_store, tmp_path / "orders", bulk=True).orders[0]
    return court_store, order


def test_review_list_lists_every_count_with_relief_reason_and_counts(bulk, casebook, tmp_path):
    store, order = bulk
    with store.atomic():
        store.conn.execute("UPDATE convictions SET reason_summary = 'Possession now lawful'"
                           " WHERE case_number = 'CASE-A1'")
    casebook.decide("CASE-F6", "denied", note="super strike found")
    summary = write_review_list(store, order.order_number, tmp_path / "review.pdf")
    text = pdf_text(tmp_path / "review.pdf")
    assert summary.convictions == 5 and summary.changed == 1
    assert "Review list for the judge" in text and order.order_number in text
    for case in ("CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"):
        assert case in text
    assert "CASE-C3" not in text and "CASE-E5" not in text
    assert "Possession now lawful" in text
    assert "Dismissed and sealed: 2" in text  # A1's two counts; F6 was denied since
    assert "Redesignated as misdemeanor: 1" in text and "Resentenced: 1" in text
    assert re.search(r"CASE-F6, count 1, HS 11357\(a\): denied since", text)
    assert "Page 1 of 1" in text
    record = store.update_files("judge_review")[0]
    assert record.row_count == 5
    assert store.audit_page()[0].action == "closeout.judge_review_report"


def test_final_report_needs_the_signing_then_counts_what_became_of_the_order(bulk, tmp_path):
    store, order = bulk
    with pytest.raises(BadInput, match="not recorded as signed"):
        write_final_report(store, order.order_number, tmp_path / "final.pdf")
    assert not (tmp_path / "final.pdf").exists()
    signed = (date.today() - timedelta(days=35)).isoformat()
    with store.atomic():  # approved, then printed, before the judge signed it
        store.conn.execute("UPDATE orders SET created_at = ?", (signed + "T08:00:00+00:00",))
        store.conn.execute("UPDATE reviews SET decided_at = ?", (signed + "T07:00:00+00:00",))
    assert main(["--db", str(store.path), "orders", "--mark-signed", order.order_number,
                 "--date", signed, "--judge", "Hon. Ada Q. Testjudge"]) == 0
    write_update(store, "doj", tmp_path / "doj.csv")
    with store.atomic():  # G7 not in that file after all: still open, and overdue
        store.conn.execute("DELETE FROM update_items WHERE conviction_id = 8")
    summary = write_final_report(store, order.order_number, tmp_path / "final.pdf")
    text = pdf_text(tmp_path / "final.pdf")
    assert summary.convictions == 5
    assert f"signed {signed} by Hon. Ada Q. Testjudge" in text
    assert "Reported to the DOJ: 4" in text
    assert "Still open, not reported to the DOJ: 1, 1 overdue" in text
    assert "Updated in the case system: 0" in text
    assert re.search(r"CASE-G7.*Overdue 5 d", text)  # due 30 days after the signing
    assert "DOJ update of" in text


def test_mark_signed_refuses_bad_dates_and_unknown_orders(bulk, capsys):
    store, order = bulk
    db = str(store.path)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert main(["--db", db, "orders", "--mark-signed", order.order_number, "--date",
                 tomorrow]) == 2
    assert "cannot be in the future" in capsys.readouterr().err
    assert main(["--db", db, "orders", "--mark-signed", "NO-SUCH", "--date", "2026-01-01"]) == 2
    assert "no order numbered 'NO-SUCH'" in capsys.readouterr().err
    assert main(["--db", db, "orders", "--mark-signed", order.order_number]) == 2
    assert "needs --date" in capsys.readouterr().err
    assert main(["--db", db, "orders", "--mark-signed", order.order_number, "--date",
                 "2001-01-01"]) == 2
    assert "cannot have been signed before" in capsys.readouterr().err
    today = date.today().isoformat()
    assert main(["--db", db, "orders", "--mark-signed", order.order_number, "--date",
                 today]) == 0
    out = capsys.readouterr().out
    due = (date.today() + timedelta(days=30)).isoformat()
    assert f"the DOJ report is due {due}" in out
    entry = store.audit_page()[0]
    assert entry.action == "order.signed" and json.loads(entry.details)["signed_on"] == today


def test_cli_prints_the_review_list_beside_the_bulk_order_and_pages_render(court_store,
                                                                          tmp_path, capsys):
    db = str(court_store.path)
    assert main(["--db", db, "orders", str(tmp_path / "out"), "--bulk", "--review-list"]) == 0
    out = capsys.readouterr().out
    review = Path(re.search(r"review list\t(.+\.pdf)", out).group(1))
    assert review.exists() and review.parent == tmp_path / "out"
    number = out.splitlines()[-2].split("\t")[0] if "\t" in out.splitlines()[-2] else None
    assert number and number in pdf_text(review)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(review),
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 5000
    assert main(["--db", db, "batch-report", number, str(tmp_path / "r.txt")]) == 2
    assert "must end in .pdf" in capsys.readouterr().err
