"""What the court profile puts on both orders, read back from the PDFs with pypdf."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from clerkapp.orders.service import print_orders


def order_text(path) -> str:
    """The text of the order itself: the per-case order, or the bulk order's text pages."""
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(path)).pages]
    text_pages = [p for p in pages if not p.startswith(("EXHIBIT A", "Exhibit A"))
                  and "Exhibit A — page" not in p]
    return " ".join(text_pages)


@pytest.mark.parametrize("bulk", [False, True], ids=["per-case", "bulk"])
@pytest.mark.parametrize("typed,printed", [
    ("Dept. 100", "Dept. 100"),
    ("Department 7", "Department 7"),
    ("DEPT 3B", "DEPT 3B"),
    ("12", "Department 12"),
])
def test_department_prints_as_typed_without_a_doubled_word(court_store, tmp_path, bulk, typed,
                                                            printed):
    court_store.set_setting("court.department", typed)
    summary = print_orders(court_store, tmp_path, bulk=bulk, operator="Clerk Test")
    text = order_text(summary.files[0])
    assert printed in text
    assert not re.search(r"Department (Dept|Department)", text, re.I)


def last_text_page(path) -> str:
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(path)).pages]
    return [p for p in pages if "Judge of the Superior Court" in p][-1]


@pytest.mark.parametrize("bulk", [False, True], ids=["per-case", "bulk"])
def test_clerk_of_the_court_attests_below_the_signature(court_store, tmp_path, bulk):
    court_store.set_setting("court.clerk", "Jo Q. Clerkperson")
    summary = print_orders(court_store, tmp_path, bulk=bulk, operator="Clerk Test")
    for path in summary.files:
        signed = last_text_page(path)  # on the page the judge signs, after the signature
        assert "Jo Q. Clerkperson, Clerk of the Court" in signed
        assert re.search(r"By _{6,}, Deputy", signed)
        assert signed.index("Judge of the Superior Court") < signed.index("Jo Q. Clerkperson")


@pytest.mark.parametrize("bulk", [False, True], ids=["per-case", "bulk"])
def test_no_clerk_block_when_the_clerk_is_not_set(court_store, tmp_path, bulk):
    court_store.set_setting("court.clerk", "  ")
    summary = print_orders(court_store, tmp_path, bulk=bulk, operator="Clerk Test")
    for path in summary.files:
        text = order_text(path)
        assert "Clerk of the Court" not in text and "Deputy" not in text
