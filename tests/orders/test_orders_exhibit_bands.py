"""Exhibit A's grey row bands stop at the last row: none below the totals block."""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ContentStream

from clerkapp.orders.exhibit import ROW_HEIGHT, Geometry
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide


def filled_rects(page, reader) -> list[float]:
    """Bottom y of every filled rectangle drawn on the page (the row bands)."""
    ops = ContentStream(page.get_contents(), reader).operations
    out, pending = [], []
    for operands, op in ops:
        if op == b"re":
            pending.append(float(operands[1]))
        elif op in (b"f", b"F", b"f*"):
            out += pending
            pending = []
        elif op in (b"S", b"n", b"B", b"b"):
            pending = []
    return out


def exhibit_pages(path):
    reader = PdfReader(str(path))
    pages = [p for p in reader.pages if "Exhibit A — page" in p.extract_text()]
    return reader, pages


def test_bands_cover_only_the_rows_drawn(store, casebook, court_profile, tmp_path):
    court_profile(store)
    geo = Geometry.letter_landscape()
    n = geo.rows_per_page + 5  # a full page, then 5 rows and the totals
    for i in range(n):
        casebook.conviction(f"K{i:05d}", f"PERSON{i:04d},FIRST", cii=f"K{i:08d}")
    decide(store, [c for ids in casebook.by_case.values() for c in ids], "approved", clerk="C")
    summary = print_orders(store, tmp_path, bulk=True)
    reader, pages = exhibit_pages(summary.files[0])
    assert len(pages) == 2
    full, last = (filled_rects(p, reader) for p in pages)
    assert len(full) == geo.rows_per_page // 2  # every other row of a full page
    assert len(last) == 2  # rows 2 and 4 of the five
    last_row_bottom = geo.first_row_y - 4 * ROW_HEIGHT - 3
    assert min(last) >= last_row_bottom


def test_no_bands_on_a_page_holding_only_the_totals(store, casebook, court_profile, tmp_path):
    court_profile(store)
    geo = Geometry.letter_landscape()
    n = geo.rows_per_page - 2  # too few slots left for the totals: they go on a page of their own
    for i in range(n):
        casebook.conviction(f"K{i:05d}", f"PERSON{i:04d},FIRST", cii=f"K{i:08d}")
    decide(store, [c for ids in casebook.by_case.values() for c in ids], "approved", clerk="C")
    summary = print_orders(store, tmp_path, bulk=True)
    reader, pages = exhibit_pages(summary.files[0])
    assert len(pages) == 2
    assert len(filled_rects(pages[0], reader)) == len(range(1, n, 2))
    assert filled_rects(pages[1], reader) == []
