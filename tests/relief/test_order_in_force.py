"""The conviction's order is its order in force, not the latest paper printed for it: the
store's readers, the confirmation of relief, the check of its code, the counter look-up, the
detail pane and the history say which order a later one vacated, by which, and why."""

from __future__ import annotations

import subprocess

from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.orders.service import print_orders
from clerkapp.relief.certificate import print_certificate, verification_code, verify_code
from clerkapp.relief.lookup import standing_text
from clerkapp.review.service import decide
from clerkapp.store.order_records import NewOrder
from tests.orders.conftest import sign_all

REASON = "the first paper named the wrong department"


def _orders_of(store, cid):
    return [o.order_number for o in store.order_history(cid)]


def _superseded(relief_store, tmp_path):
    """CASE-A1's per-case order (X) superseded by a bulk order (Y) with the court's reason."""
    a1 = relief_store.book.by_case["CASE-A1"]
    (first,) = [o for o in relief_store.order_history(a1[0])]
    bulk = print_orders(relief_store, tmp_path / "again", bulk=True, conviction_ids=a1,
                        supersede=REASON, operator="Clerk Test")
    sign_all(relief_store)
    return a1, first, bulk.orders[0]


def test_store_names_the_order_in_force_and_what_it_vacated(relief_store, tmp_path):
    a1, x, y = _superseded(relief_store, tmp_path)
    in_force = relief_store.order_of_conviction(a1[0])
    assert in_force.order_id == y.order_id and in_force.supersedes == (x.order_number,)
    assert relief_store.order_numbers_of(a1) == {a1[0]: y.order_number, a1[1]: y.order_number}
    (v, _second) = relief_store.vacated_orders([a1[0], a1[1]])
    assert (v.order_id, v.by_order_id, v.reason) == (x.order_id, y.order_id, REASON)
    assert [w.conviction_id for w in relief_store.vacated_orders(order_id=x.order_id)] == a1
    assert relief_store.vacated_counts([x.order_id, y.order_id]) == {x.order_id: 2}
    detail = relief_store.closeout_record(a1[0])
    assert detail["order"]["number"] == y.order_number
    assert detail["vacated"] == [f"{x.order_number} by {y.order_number} of {v.by_date}"
                                 f" ({REASON})"]


def test_a_withdrawn_relief_has_no_order_in_force(relief_store):
    b2 = relief_store.book.by_case["CASE-B2"][0]
    assert relief_store.order_of_conviction(b2) is not None
    decide(relief_store, [b2], "denied", clerk="Clerk Test", note="the plea was to another count")
    assert relief_store.order_of_conviction(b2) is None
    assert b2 not in relief_store.order_numbers_of()
    assert len(_orders_of(relief_store, b2)) == 1  # the paper stays in the history


def test_the_first_order_stays_in_force_over_a_later_unsuperseded_paper(relief_store, tmp_path):
    # a store from before "ordered once" may hold two papers for one conviction: the first
    # printed since the approval is the order in force, not the latest
    g7 = relief_store.book.by_case["CASE-G7"][0]
    first = relief_store.order_of_conviction(g7)
    with relief_store.atomic():
        (later,) = relief_store.record_orders([NewOrder(
            "single", str(tmp_path / "later.pdf"), "0" * 64, "per-case-order v1", [g7])],
            created_by="Clerk Test")
    assert _orders_of(relief_store, g7)[0] == later.order_number  # the latest paper...
    assert relief_store.order_of_conviction(g7).order_id == first.order_id  # ...not in force
    assert relief_store.order_numbers_of([g7]) == {g7: first.order_number}


def test_the_confirmation_says_which_order_was_vacated(relief_store, tmp_path):
    a1, x, y = _superseded(relief_store, tmp_path)
    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    cert = print_certificate(relief_store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter",
                             issue_date="2026-03-04")
    text = " ".join(PdfReader(cert.path).pages[0].extract_text().split())
    assert f"Order No. {x.order_number} was vacated as to case CASE-A1 by Order No." \
           f" {y.order_number}" in text
    assert list(cert.codes) == [y.order_id]  # a code for the order in force only
    png = tmp_path / "cert"
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(cert.path), str(png)], check=True)
    assert (tmp_path / "cert-1.png").stat().st_size > 10_000

    # the code on a confirmation printed before: genuine, but its order was vacated since
    sha = relief_store.conn.execute("SELECT sha256 FROM orders WHERE id = ?",
                                    (x.order_id,)).fetchone()[0]
    result = verify_code(relief_store, verification_code(x.order_id, sha, alpha))
    assert result.valid
    assert "since vacated as to 2 of this person's 2 conviction(s)" in result.message
    assert f"Order No. {y.order_number}" in result.message and REASON in result.message
    assert result.vacated_by and REASON in result.vacated_by[0]
    fresh = verify_code(relief_store, cert.codes[y.order_id])
    assert fresh.valid and "vacated" not in fresh.message

    standing = next(s for s in relief_store.person_standings(alpha) if s.conviction_id == a1[0])
    assert f"order No. {y.order_number} (vacates order No. {x.order_number})" \
        in standing_text(standing)


def test_history_marks_an_order_vacated_in_part(relief_store, tmp_path, capsys):
    _a1, x, _y = _superseded(relief_store, tmp_path)
    assert main(["--db", str(relief_store.path), "orders", "--history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (line,) = [ln for ln in lines if ln.startswith(x.order_number + "\t")]
    assert "(vacated as to 2 by a later order)" in line
