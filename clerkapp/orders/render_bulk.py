"""The bulk order: order text on pleading paper, then Exhibit A, in one PDF.

The exhibit is drawn first, with its own "page X of Y" (rows per page are fixed, so the count
of rows gives the pages), counting the rows by relief as they stream past: one pass over the
store, never holding the rows. The order text (recitals, orders per relief with those counts,
signature) is drawn after it and its pages moved to the front of the document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import BinaryIO

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.context import Tally, noun, tally_for
from clerkapp.orders.exhibit import Geometry, draw_exhibit
from clerkapp.orders.fonts import SERIF, SERIF_BOLD, register_fonts
from clerkapp.orders.layout import (
    Pages,
    attestation_height,
    clip,
    draw_attestation,
    draw_pages,
    wrap,
)
from clerkapp.orders.templates import Template, fill, fill_line
from clerkapp.store.orders import OrderCounts

# Pleading paper (CRC 2.108): 28 numbered lines, 24 points apart, rules at the left and right.
LINE_1_Y = 720.0
LINE_GAP = 24.0
LINES = 28
TEXT_LEFT = 86.0
TEXT_RIGHT = 548.0
SORT_LABELS = {"case": "case number", "name": "name"}
SIGNATURE_HEIGHT = 110


class _HashingFile:
    """Passes writes through to a file while hashing them: the sha256 without re-reading."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def render_bulk_order(
    out: BinaryIO,
    template: Template,
    court: Mapping[str, str],
    rows: Iterable[tuple],
    total: int,
    *,
    counts: OrderCounts | None = None,
    sort: str = "case",
    covered: list[int] | None = None,
    sources: frozenset[str] = frozenset(),
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[str, Tally]:
    """Write the bulk order to `out`; returns its sha256 and the counts it states.

    `rows` are `OrderStore.iter_exhibit_rows` tuples in the order listed, `total` how many.
    The exhibit is drawn first, counting the rows as they pass (one pass over the store),
    then the order text, whose pages are moved to the front of the document. With `counts`
    (a preview of a few rows) the text states those counts instead.
    """
    register_fonts()
    tally = tally_for(template)
    tally.sources = set(sources)  # the kinds of list Exhibit A's lines came from
    tally.superseding = bool(court.get("order.supersedes"))
    if counts is not None:
        tally.add_counts(counts)
        total = tally.total
    exhibit_pages = Geometry.letter_landscape().pages(total)
    values = {**court, "counts.total": f"{total:,}",
              "counts.convictions_noun": noun(total, "conviction", "convictions"),
              "exhibit.pages": f"{exhibit_pages:,}",
              "exhibit.sort": SORT_LABELS.get(sort, sort)}

    target = _HashingFile(out)
    canvas = Canvas(target, pagesize=letter, pageCompression=1)
    canvas.setTitle(template.title)
    canvas.setAuthor(values.get("court.name", ""))
    canvas.setCreator(f"clerkapp {template.label}")
    sink = covered if covered is not None else []
    draw_exhibit(canvas, template, values, rows, total, tally, sink, progress, cancel,
                 count_rows=counts is None)
    check(cancel)
    values.update(tally.values())
    pages = order_text_pages(template, values, tally)
    canvas.setPageSize(letter)
    draw_pages(canvas, pages.pages, lambda c, page, n: _pleading(c, template, values, page, n))
    # the order text comes first: reportlab keeps the page list until save
    kids = canvas._doc.Pages.pages
    text = len(pages.pages)
    kids[:] = kids[-text:] + kids[:-text]
    progress(total, total, "Saving the bulk order")
    canvas.save()
    return target.digest.hexdigest(), tally


def order_text_pages(template: Template, values: Mapping[str, str], tally: Tally) -> Pages:
    """Lay out the order text on pleading lines; the caption follows CRC 2.111 roughly."""
    size = template.layout("font_size", 12)
    leading = LINE_GAP * template.layout("line_spacing", 1.5) / 2
    width, height = letter
    inner = TEXT_RIGHT - TEXT_LEFT
    pages = Pages(width, height, top=LINE_1_Y + LINE_GAP * 0.7, bottom=LINE_1_Y - LINE_GAP * (LINES - 1) - 6)
    # court title on line 8
    pages.y = LINE_1_Y - 7 * LINE_GAP + 14
    for line in template.get("caption.court_lines"):
        text = fill_line(line, values)
        if text is not None:
            pages.y -= 14
            pages.text(width / 2 + (TEXT_LEFT - 72) / 2, pages.y, SERIF_BOLD, size, text, align="center")
    pages.y -= 22
    _caption_box(pages, template, values, size)
    pages.y -= 8
    _section(pages, fill(template.get("recitals.heading"), values), size, leading)
    recitals = [p for p in template.paragraphs("recitals") if tally.applies(p.when)]
    for n, para in enumerate(recitals, start=1):
        pages.paragraph(f"{n}.  " + fill(para.text, values), TEXT_LEFT, inner, SERIF, size,
                        leading, after=4, indent=36)
    _section(pages, fill(template.get("orders.heading"), values), size, leading)
    paras = [p for p in template.paragraphs("orders") if tally.applies(p.when)]
    attest = template.block("attestation", values)
    signed = SIGNATURE_HEIGHT + attestation_height(attest, size)
    for n, para in enumerate(paras, start=1):
        text = f"{n}.  " + fill(para.text, values)
        if n == len(paras):
            pages.ensure(len(wrap(text, SERIF, size, inner - 36)) * leading + signed)
        pages.paragraph(text, TEXT_LEFT, inner, SERIF, size, leading, after=4, indent=36)
    pages.ensure(signed)
    _signature(pages, template, values, size)
    draw_attestation(pages, attest, TEXT_LEFT, inner, size)
    return pages


def _section(pages: Pages, heading: str, size: float, leading: float) -> None:
    pages.ensure(leading * 3)
    pages.y -= leading + 2
    pages.text(TEXT_LEFT, pages.y + 4, SERIF_BOLD, size, heading)


def _caption_box(pages: Pages, template: Template, values: Mapping[str, str], size: float) -> None:
    """Case title at left closed by a rule, the counts and the document title at right."""
    mid = TEXT_LEFT + (TEXT_RIGHT - TEXT_LEFT) * 0.52
    top = pages.y
    y = top
    for line in wrap(fill(template.get("caption.case_title"), values), SERIF, size, mid - TEXT_LEFT - 10):
        y -= size * 1.25
        pages.text(TEXT_LEFT, y, SERIF, size, line)
    left_bottom = y - 10
    y = top
    for raw in template.get("caption.right_lines", []):
        text = fill_line(raw, values)
        if text is None:
            continue
        for line in wrap(text, SERIF, size - 1, TEXT_RIGHT - mid - 10):
            y -= size * 1.2
            pages.text(mid + 10, y, SERIF, size - 1, line)
    y -= 8
    for line in wrap(template.title, SERIF_BOLD, size - 1, TEXT_RIGHT - mid - 10):
        y -= size * 1.2
        pages.text(mid + 10, y, SERIF_BOLD, size - 1, line)
    bottom = min(left_bottom, y - 8)
    pages.line(mid, top + 4, mid, bottom, 0.7)
    pages.line(TEXT_LEFT, bottom, mid, bottom, 0.7)
    pages.y = bottom - 10


def _signature(pages: Pages, template: Template, values: Mapping[str, str], size: float) -> None:
    mid = TEXT_LEFT + (TEXT_RIGHT - TEXT_LEFT) * 0.5
    pages.y -= 24
    pages.text(TEXT_LEFT, pages.y, SERIF, size, fill(template.get("signature.date_line"), values))
    pages.y -= 40
    pages.line(mid, pages.y, TEXT_RIGHT, pages.y, 0.6)
    name = fill_line(template.get("signature.judge_name"), values)
    if name:
        pages.y -= size * 1.3
        pages.text(mid, pages.y, SERIF_BOLD, size, name)
    pages.y -= size * 1.3
    pages.text(mid, pages.y, SERIF, size, fill(template.get("signature.judge_title"), values))


def _pleading(canvas: Canvas, template: Template, values: Mapping[str, str], page: int,
              total: int) -> None:
    """Line numbers and rules of pleading paper, and the footer with the short title."""
    width, height = letter
    canvas.setFont(SERIF, 10)
    for n in range(1, LINES + 1):
        canvas.drawRightString(60, LINE_1_Y - (n - 1) * LINE_GAP, str(n))
    canvas.setLineWidth(0.6)
    canvas.line(68, height, 68, 0)
    canvas.line(71, height, 71, 0)
    canvas.line(TEXT_RIGHT + 12, height, TEXT_RIGHT + 12, 0)
    vals = {**values, "page.number": str(page), "page.total": str(total)}
    y = 44
    canvas.line(TEXT_LEFT, y + 12, TEXT_RIGHT, y + 12)
    canvas.setFont(SERIF, 7)
    canvas.drawString(TEXT_LEFT, y, fill(template.get("footer.left"), vals))
    canvas.drawRightString(TEXT_RIGHT, y, fill(template.get("footer.right"), vals))
    short = fill(template.get("caption.short_title", template.title), vals)
    canvas.setFont(SERIF, 8)
    canvas.drawCentredString((TEXT_LEFT + TEXT_RIGHT) / 2, y - 12,
                             clip(short, SERIF, 8, TEXT_RIGHT - TEXT_LEFT))
