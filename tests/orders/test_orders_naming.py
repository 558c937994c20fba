from __future__ import annotations

from clerkapp.files.outputs import unique_path
from clerkapp.orders.naming import (
    bulk_file_name,
    case_file_name,
    display_date,
    display_name,
    safe_part,
)


def test_case_file_names_are_safe_and_sort_by_case():
    assert case_file_name("BA123456", "DOE,JOHN QUINCY") == "BA123456.pdf"  # no name by default
    named = "case-name"
    assert case_file_name("BA123456", "DOE,JOHN QUINCY", named) == "BA123456_DOE-JOHN.pdf"
    assert case_file_name('LA/99:12*34?"<>|', "O'NEIL-SMITH,MARÍA JOSÉ", named) == \
        "LA991234_O-NEIL-SMITH-MARIA.pdf"
    assert case_file_name("", "", named) == "NO-CASE-NUMBER_UNNAMED.pdf"
    assert case_file_name("", "DOE,JOHN") == "NO-CASE-NUMBER.pdf"
    assert case_file_name("con", "aux,prn", named) == "CON-_AUX-PRN.pdf"
    assert safe_part("CON") == "CON-"
    assert bulk_file_name("2026-03-01", 66000) == "bulk-order_2026-03-01_66000-convictions.pdf"


def test_unique_path_never_reuses_a_name(tmp_path):
    taken: set[str] = set()
    (tmp_path / "A_B.pdf").write_bytes(b"")
    assert unique_path(tmp_path, "A_B.pdf", taken).name == "A_B_2.pdf"
    assert unique_path(tmp_path, "A_B.pdf", taken).name == "A_B_3.pdf"
    assert unique_path(tmp_path, "C_D.pdf", taken).name == "C_D.pdf"
    assert unique_path(tmp_path, "c_d.pdf", taken).name == "c_d_2.pdf"  # Windows ignores case


def test_display_forms():
    assert display_name("DOE,JOHN Q") == "DOE, JOHN Q"
    assert display_date("1990-05-06") == "05/06/1990"
    assert display_date("1990-05") == "05/1990"
    assert display_date("1990") == "1990"
    assert display_date("") == ""
