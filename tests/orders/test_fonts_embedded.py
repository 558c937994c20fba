"""Fonts embedded once per process: every order still carries the glyphs and widths of the
text it prints (names with accents included), and orders that print the same letters embed
the very same font bytes."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from clerkapp.orders.fonts import SERIF, register_fonts


def one_page(text: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=0)
    canvas.setFont(SERIF, 11)
    canvas.drawString(72, 700, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def embedded(data: bytes) -> list[tuple[bytes, list]]:
    """(font program, widths) of each font the page uses."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    out = []
    for font in page["/Resources"]["/Font"].values():
        font = font.get_object()
        if "/FontDescriptor" not in font:  # the canvas's initial Helvetica, never used here
            continue
        program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        out.append((program, [float(w) for w in font["/Widths"]]))
    return out


def test_orders_with_the_same_letters_embed_the_same_font_bytes():
    first, second = one_page("ORDER FOR CASE LA123456"), one_page("Order for case BA99 of SMITH")
    assert embedded(first) == embedded(second)
    assert "LA123456" in PdfReader(io.BytesIO(first)).pages[0].extract_text()


def test_accented_names_keep_their_own_glyphs_and_widths():
    plain = one_page("PEREZ, JOSE")
    accented = one_page("PÉREZ, JOSÉ — NUÑEZ")
    assert "PÉREZ, JOSÉ — NUÑEZ" in PdfReader(io.BytesIO(accented)).pages[0].extract_text()
    (program, widths), = embedded(accented)
    (plain_program, plain_widths), = embedded(plain)
    assert program != plain_program  # É, Ñ and the dash are in this subset only
    assert widths != plain_widths
    # a second file with the same accented text embeds the same subset again, correctly
    again = one_page("PÉREZ, JOSÉ — NUÑEZ")
    assert embedded(again) == embedded(accented)
    assert "NUÑEZ" in PdfReader(io.BytesIO(again)).pages[0].extract_text()
