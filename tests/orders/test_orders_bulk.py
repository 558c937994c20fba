"""The bulk order: order text, slip page and Exhibit A, read back page by page."""

from __future__ import annotations

import hashlib
import re

import pytest
from pypdf import PdfReader

from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.orders.exhibit import Geometry
from clerkapp.orders.service import print_orders


def pages_text(path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(path)).pages]


def test_bulk_order_covers_exactly_the_approved_convictions(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path, bulk=True, operator="Clerk Test",
                           order_date="2026-03-01")
    assert [p.name for p in summary.files] == ["bulk-order_2026-03-01_5-convictions.pdf"]
    pages = pages_text(summary.files[0])
    text = " ".join(pages)
    for case in ("CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"):
        assert case in text
    for case in ("CASE-C3", "CASE-D4", "CASE-E5"):
        assert case not in text
    assert "SUPERIOR COURT OF THE STATE OF CALIFORNIA" in text and "COUNTY OF ALAMEDA" in text
    assert "Hon. Ada Q. Testjudge" in text
    # relief categories with counts, only those that apply
    assert "Each conviction listed in Exhibit A as dismissed (3 in all)" in text
    assert "for all purposes" in text
    assert "sentence on each conviction listed in Exhibit A as recalled (1 in all)" in text
    assert "notify the Department of Justice" in text
    # order text pages carry page X of Y; then the slip page; then the exhibit
    text_pages = [p for p in pages if "bulk-order v2026.4" in p and "Exhibit A —" not in p]
    assert all(f"Page {i} of {len(text_pages)}" in p for i, p in enumerate(text_pages, start=1))
    slip = pages[len(text_pages)]
    assert slip.startswith("EXHIBIT A")
    exhibit = pages[len(text_pages) + 1:]
    assert len(exhibit) == Geometry.letter_landscape().pages(5) == 1
    assert "Exhibit A — page 1 of 1" in exhibit[0]
    # the case's own count number; what each count becomes (a dismissal: nothing)
    row = re.search(r"2 CASE-A1 ALPHA, ANNA MARIE 02/03/1970 A12345678 2 HS 11360\(a\) 06/07/1991 Felony Dismissed and sealed —", exhibit[0])
    assert row, exhibit[0]
    assert ("BRAVO, BEN 05/06/1980 B22222222 1 HS 11359 06/07/1991 Felony Redesignated"
            " misdemeanor HS 11359(b), misdemeanor") in exhibit[0]
    # 21 or older at the offense: no subsection of today's 11358 fits an infraction, so
    # the section and the level only, never a guessed subsection
    assert "Resentenced as infraction HS 11358, infraction" in exhibit[0]
    assert "Total convictions 5" in exhibit[0] and "People 4" in exhibit[0]
    rows = court_store.conn.execute("SELECT * FROM orders").fetchall()
    assert len(rows) == 1 and rows[0]["kind"] == "bulk" and rows[0]["conviction_count"] == 5
    assert rows[0]["sha256"] == hashlib.sha256(summary.files[0].read_bytes()).hexdigest()
    assert court_store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0] == 5
    audit = court_store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'order.printed.bulk'").fetchone()[0]
    assert audit == 1


def test_exhibit_pages_headers_sort_and_clipping(store, casebook, court_profile, tmp_path):
    court_profile(store, **{"court.county": "Kern"})
    geo = Geometry.letter_landscape()
    n = geo.rows_per_page * 2 + 5
    for i in range(n):
        name = f"PERSON{(n - i):04d},FIRST" if i else "VERYLONGSURNAMETHATNEVERENDS-ANDGOESON-ANDON,FIRSTNAMEALSOLONG"
        casebook.conviction(f"K{i:05d}", name, cii=f"K{i:08d}", county="KERN")
    from clerkapp.review.service import decide
    decide(store, [c for ids in casebook.by_case.values() for c in ids], "approved", clerk="Clerk")
    summary = print_orders(store, tmp_path, bulk=True)
    pages = pages_text(summary.files[0])
    exhibit = [p for p in pages if "Exhibit A — page" in p]
    assert len(exhibit) == geo.pages(n) == 3
    for i, page in enumerate(exhibit, start=1):
        assert f"Exhibit A — page {i} of 3" in page
        assert ("# Case number Name DOB CII Count Code section Convicted Level Relief ordered"
                " Resulting offense") in page
    assert exhibit[0].index("K00000") < exhibit[0].index("K00001")  # by case number
    assert "VERYLONGSURNAMETHATNEVERE" in exhibit[0]  # squeezed, then cut
    assert "FIRSTNAMEALSOLONG" not in exhibit[0]
    assert "…" in exhibit[0]
    all_text = " ".join(exhibit)
    assert all(f"K{i:08d}" in all_text for i in range(n))
    # by name: PERSON0001 (the last case) comes first
    by_name = print_orders(store, tmp_path, bulk=True, sort="name", supersede="sorted by name")
    first = [p for p in pages_text(by_name.files[0]) if "Exhibit A — page 1" in p][0]
    assert first.index("PERSON0001") < first.index("PERSON0002")
    assert by_name.reprints == 1


def test_cancelled_bulk_order_leaves_no_file_and_no_record(court_store, tmp_path):
    token = CancelToken()

    def progress(done, total, message):
        if message == "Printing Exhibit A":
            token.cancel()  # checked before the next page, and again before saving

    with pytest.raises(Cancelled):
        print_orders(court_store, tmp_path / "out", bulk=True, progress=progress, cancel=token)
    assert list((tmp_path / "out").iterdir()) == []
    assert court_store.table_counts()["orders"] == 0
    assert court_store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0] == 0


def test_bulk_order_counts_read_as_words_and_the_slip_stays_on_the_page(court_store, tmp_path):
    """The caption's count and the slip page's subtitle: plural nouns that agree with their
    counts, and every line of the subtitle within the page (it was one centred line wider
    than the page, cut off at both edges)."""
    summary = print_orders(court_store, tmp_path, bulk=True, operator="Clerk Test",
                           order_date="2026-03-01")
    reader = PdfReader(str(summary.files[0]))
    text = " ".join(pages_text(summary.files[0]))
    assert "Exhibit A: 5 convictions of 4 people" in text
    slip_index = next(i for i, p in enumerate(reader.pages)
                      if p.extract_text().strip().startswith("EXHIBIT A"))
    slip = reader.pages[slip_index]
    page_width = float(slip.mediabox.width)
    starts: list[tuple[float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            starts.append((tm[4] * cm[0] + cm[4], text))

    slip.extract_text(visitor_text=visit)
    lines = [(x, t) for x, t in starts if "EXHIBIT A" not in t]
    assert len(lines) >= 2, starts  # the subtitle wraps on letter paper
    assert all(36 <= x < page_width / 2 for x, _ in lines), lines
    assert "5 convictions, sorted by" in re.sub(r"\s+", " ", slip.extract_text())


def test_count_nouns_agree_with_their_counts():
    from clerkapp.orders.context import Tally, noun

    assert (noun(1, "conviction", "convictions"), noun(0, "conviction", "convictions"),
            noun(2, "person", "people")) == ("conviction", "convictions", "people")
    tally = Tally()
    tally.people = 1
    values = tally.values()
    assert (values["counts.convictions_noun"], values["counts.people_noun"]) == (
        "convictions", "person")  # no conviction yet, one person
