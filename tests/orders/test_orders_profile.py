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
