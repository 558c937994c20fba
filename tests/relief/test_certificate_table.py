"""The confirmation's table stays inside the page: the Order No. column (and every other) is
as wide as its longest word needs, the room taken where cells have it to spare; a word no
column can hold is broken, never drawn past the table's edge."""

from __future__ import annotations

import re
import subprocess

from reportlab.pdfbase.pdfmetrics import stringWidth

from clerkapp.orders.fonts import SERIF, register_fonts
from clerkapp.orders.service import print_orders
from clerkapp.relief.certificate import print_certificate
from clerkapp.relief.letter_pdf import cell_lines, fit_widths
from tests.orders.conftest import sign_all

RIGHT_EDGE = 612 - 0.8 * 72  # letter width less the template's margin (forms/certificate.toml)


def _words(pdf) -> list[tuple[str, float]]:
    """(word, right edge in points) of every word on page 1, as poppler reads them."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [(m.group(2), float(m.group(1))) for m in re.finditer(
        r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', html)]


def test_a_long_order_number_stays_inside_the_table(relief_store, tmp_path):
    with relief_store.atomic():
        relief_store.set_setting("orders.number_pattern", "{year}-PROP64-RELIEF-{seq:05d}")
    a1 = relief_store.book.by_case["CASE-A1"]
    again = print_orders(relief_store, tmp_path / "again", conviction_ids=a1,
                         supersede="numbered again")
    sign_all(relief_store)
    number = again.orders[0].order_number
    alpha = relief_store.book.people["ALPHA,ANNA MARIE"]
    cert = print_certificate(relief_store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter")
    words = _words(cert.path)
    # whole, on one line: in both rows, the vacated line and the verification line
    assert [w for w, _ in words].count(number) == 4
    assert "Misdemeanor" in [w for w, _ in words]
    assert max(right for _, right in words) <= RIGHT_EDGE + 0.5
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(cert.path),
                    str(tmp_path / "page")], check=True)


def test_columns_fit_their_words_and_a_word_too_long_is_broken():
    register_fonts()
    columns = ["Case number", "Code section", "Order No."]
    rows = [["CASE-A1", "HS 11357(a)", "2026-P64-00004"]]
    widths = fit_widths(columns, rows, (0.5, 0.4, 0.1), 300, 9)
    assert abs(sum(widths) - 300) < 0.01
    assert widths[2] >= stringWidth("2026-P64-00004", SERIF, 9) + 6  # widened from 30 pt
    lines = cell_lines("2026-PROP64-RELIEF-ORDER-00001", SERIF, 9, 40)
    assert "".join(lines) == "2026-PROP64-RELIEF-ORDER-00001" and len(lines) > 1
    assert all(stringWidth(line, SERIF, 9) <= 40 for line in lines)
    assert lines[0].endswith("-")  # broken after a hyphen where it has one
