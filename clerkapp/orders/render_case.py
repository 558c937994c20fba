"""The per-case order (modelled on CR-403): one PDF for one case's approved counts.

Drawn on the raw canvas through `layout.Pages`: a boxed caption, the findings, one table row
per count with the relief and its authority, the order paragraphs that apply, the signature
block, and a footer with the template's name and version and "Page X of Y".
Two fonts only (serif and its bold): each embedded font subset costs about a millisecond.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from clerkapp.orders.context import tally_for
from clerkapp.orders.counts import count_number, load_resulting
from clerkapp.orders.fonts import SERIF, SERIF_BOLD, register_fonts
from clerkapp.orders.identity import case_identity, case_reference
from clerkapp.orders.layout import (
    Pages,
    attestation_height,
    clip,
    draw_attestation,
    draw_pages,
    wrap,
)
from clerkapp.orders.naming import display_date, display_level, display_name
from clerkapp.orders.templates import Template, fill, fill_line
from clerkapp.store.orders import OrderRow

SIGNATURE_HEIGHT = 96
# Uncompressed: 3.3 ms instead of 5.6 ms an order (zlib on the embedded font subsets), at
# about 70 KB a file instead of 45 KB. 1,000 orders in under 5 s matters more than 25 MB.
COMPRESS = 0
# what the case box says where the record gives no case number (the template may reword it)
NO_CASE_NUMBER = "None in the record"
IDENTITY_LINE = "Identified by: {case.identity}"
# count, section, date, level, relief, resulting offense, authority
_COL_SHARES = (0.07, 0.13, 0.13, 0.14, 0.18, 0.18, 0.17)


def case_values(rows: Sequence[OrderRow], no_number: str = NO_CASE_NUMBER) -> dict[str, str]:
    """The case's placeholders; without a case number, `case.numbers` says so (`no_number`)
    and `case.identity` names the conviction by what the record holds (orders/identity.py)."""
    first = rows[0]
    aliases = [display_name(a) for a in first.aliases]
    return {
        "defendant.name": display_name(first.name),
        "defendant.aka": "; ".join(aliases),
        "defendant.dob": display_date(first.dob),
        "defendant.cii": first.cii,
        "case.number": first.case_number,
        "case.numbers": ", ".join(first.case_numbers) or no_number,
        "case.identity": case_identity(rows),
        "case.reference": case_reference(rows),
        # the orders this one replaces (a printing with --supersede), as printed on them
        "order.supersedes": ", ".join(dict.fromkeys(r.supersedes for r in rows if r.supersedes)),
    }


def render_case_order(template: Template, court: Mapping[str, str],
                      rows: Sequence[OrderRow]) -> bytes:
    """The PDF bytes of one case's order; `rows` are that case's approved counts."""
    register_fonts()
    tally = tally_for(template).add_all(rows)
    no_number = str(template.get("caption.no_case_number", NO_CASE_NUMBER))
    values = {**court, **tally.values(), **case_values(rows, no_number)}
    tally.superseding = bool(values["order.supersedes"])
    margin = template.layout("margin_inches", 0.75) * 72
    size = template.layout("font_size", 10)
    leading = size * template.layout("line_spacing", 1.3)
    width, height = letter
    inner = width - 2 * margin
    pages = Pages(width, height, top=height - margin, bottom=margin + 24)
    _caption(pages, template, values, margin, inner, size)

    for text in template.paragraphs("findings"):
        if not tally.applies(text.when):
            continue
        pages.paragraph(fill(text.text, values), margin, inner, SERIF, size, leading, after=5)
    results = [_resulting(template, row) for row in rows]
    _counts_table(pages, template, rows, results, margin, inner, size)
    paras = [p for p in template.paragraphs("orders") if tally.applies(p.when)]
    attest = template.block("attestation", values)
    signed = SIGNATURE_HEIGHT + attestation_height(attest, size)
    for number, para in enumerate(paras, start=1):
        text = f"{number}.  " + fill(para.text, values)
        if number == len(paras):  # the last paragraph stays on the page the judge signs
            pages.ensure(len(wrap(text, SERIF, size, inner)) * leading + signed)
        pages.paragraph(text, margin, inner, SERIF, size, leading, after=4)
        if para.when == "resentenced":
            _resentencing(pages, template, values, rows, results, margin, inner, size, leading)
    pages.ensure(signed)
    _signature(pages, template, values, margin, inner, size)
    draw_attestation(pages, attest, margin, inner, size)

    footer = {k: template.get(f"footer.{k}", "") for k in ("left", "center", "right", "note")}
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, pageCompression=COMPRESS)
    canvas.setTitle(f"{template.title} — {values['case.reference']}")
    canvas.setAuthor(values.get("court.name", ""))
    canvas.setCreator(f"clerkapp {template.label}")

    def decorate(c: Canvas, page: int, total: int) -> None:
        vals = {**values, "page.number": str(page), "page.total": str(total)}
        y = margin - 14
        c.setLineWidth(0.4)
        c.line(margin, y + 10, width - margin, y + 10)
        c.setFont(SERIF, 7)
        c.drawString(margin, y, clip(fill(footer["left"], vals), SERIF, 7, inner * 0.32))
        c.drawCentredString(width / 2, y, clip(fill(footer["center"], vals), SERIF, 7, inner * 0.34))
        c.drawRightString(width - margin, y, fill(footer["right"], vals))
        if footer["note"]:  # a second, smaller line: the audit chain's head
            c.setFont(SERIF, 6)
            c.drawString(margin, y - 8, clip(fill(footer["note"], vals), SERIF, 6, inner))

    draw_pages(canvas, pages.pages, decorate)
    canvas.save()
    return buffer.getvalue()


def _caption(pages: Pages, template: Template, values: Mapping[str, str], x: float,
             inner: float, size: float) -> None:
    """Court block and clerk's box, the parties box, then the title and case-number row."""
    box_w = 2.2 * 72
    left_w = inner - box_w - 12
    top = pages.y
    y = top
    for key, font, fsize in (("court_line", SERIF_BOLD, size + 1), ("address_line", SERIF, size),
                             ("department_line", SERIF, size)):
        line = fill_line(template.get(f"caption.{key}", ""), values)
        if line is None:
            continue
        for part in wrap(line, font, fsize, left_w):
            y -= fsize * 1.35
            pages.text(x, y, font, fsize, part)
    box_h = 66
    pages.rect(x + inner - box_w, top - box_h, box_w, box_h)
    pages.text(x + inner - box_w / 2, top - 10, SERIF, 6.5,
               fill(template.get("caption.clerk_box", ""), values), align="center")
    y = min(y, top - box_h) - 10

    # parties
    lines = []
    people = fill(template.get("caption.people_line"), values)
    lines += [(SERIF_BOLD, size + 0.5, part) for part in wrap(people, SERIF_BOLD, size + 0.5, inner - 12)]
    aka = fill_line(template.get("caption.aka_line", ""), values)
    if aka is not None:
        lines += [(SERIF, size, part) for part in wrap(aka, SERIF, size, inner - 12)]
    items = [fill_line(t, values) for t in template.get("caption.identity_items", [])]
    identity = [i for i in items if i is not None]
    if identity:
        lines.append((SERIF, size, identity))
    h = sum(f * 1.4 for _, f, _ in lines) + 8
    pages.rect(x, y - h, inner, h)
    yy = y - 4
    for font, fsize, text in lines:
        yy -= fsize * 1.4
        if isinstance(text, list):  # identity items side by side, a third of the width each
            for i, item in enumerate(text):
                pages.text(x + 6 + i * inner / 3, yy + 3, font, fsize, item)
        else:
            pages.text(x + 6, yy + 3, font, fsize, text)
    y -= h

    # title | case number(s)
    title = wrap(template.title, SERIF_BOLD, size, inner - box_w - 12)
    cases = wrap(fill(template.get("caption.case_line"), values), SERIF_BOLD, size, box_w - 12)
    # no case number: what the record holds instead (left off when there is a number)
    found = fill_line(template.get("caption.case_identity_line", IDENTITY_LINE), values)
    identified = wrap(found, SERIF, size - 1.5, box_w - 12) if found else []
    number = fill_line(template.get("caption.order_number_line", ""), values)
    numbered = wrap(number, SERIF, size - 1, box_w - 12) if number else []
    h = max(len(title) * size * 1.3,
            (len(cases) + len(numbered)) * size * 1.3 + len(identified) * size * 1.1
            + 12) + 12
    pages.rect(x, y - h, inner - box_w, h)
    pages.rect(x + inner - box_w, y - h, box_w, h)
    yy = y - 6
    for part in title:
        yy -= size * 1.3
        pages.text(x + 6, yy + 2, SERIF_BOLD, size, part)
    pages.text(x + inner - box_w + 6, y - 11, SERIF, 6.5, template.get("caption.case_label", ""))
    yy = y - 12
    for part in cases:
        yy -= size * 1.3
        pages.text(x + inner - box_w + 6, yy + 2, SERIF_BOLD, size, part)
    for part in identified:
        yy -= size * 1.1
        pages.text(x + inner - box_w + 6, yy + 2, SERIF, size - 1.5, part)
    for part in numbered:
        yy -= size * 1.3
        pages.text(x + inner - box_w + 6, yy + 2, SERIF, size - 1, part)
    pages.y = y - h - 14


def _resulting(template: Template, row: OrderRow) -> str:
    """What the count becomes ("HS 11359(b), misdemeanor"); for a dismissal the template's
    words ("None (dismissed)")."""
    text = load_resulting().of(
        row.outcome, row.section_number, row.section_subs, dob=row.dob,
        offense_date=row.offense_date, conviction_date=row.conviction_date,
        attempted=row.attempted, conspiracy=row.conspiracy).text
    return text or str(template.get("counts_table.dismissed_result", "—"))


def count_label(row: OrderRow) -> str:
    """"Count 3, HS 11360(a)", or the section alone when the record has no count number."""
    number = count_number(row.count_key)
    return f"Count {number}, {row.code_section}" if number else row.code_section


def _resentencing(pages: Pages, template: Template, values: Mapping[str, str],
                  rows: Sequence[OrderRow], results: Sequence[str], x: float, inner: float,
                  size: float, leading: float) -> None:
    """The lines the judge completes for each count resentenced (HS 11361.8(c)): the new
    sentence, the credit for time served, the supervision term. A dismissal needs none."""
    heading = template.get("resentencing.heading", "")
    lines = list(template.get("resentencing.lines", []))
    for row, result in zip(rows, results, strict=True):
        if row.remedy != "resentence" or row.outcome == "dismiss_and_seal":
            continue
        vals = {**values, "count.label": count_label(row), "count.resulting": result}
        block = [fill(heading, vals)] if heading else []
        block += [fill(line, vals) for line in lines]
        need = sum(len(wrap(t, SERIF, size, inner - 18)) for t in block) * leading * 1.5
        pages.ensure(need)
        for i, text in enumerate(block):
            font = SERIF_BOLD if heading and i == 0 else SERIF
            for part in wrap(text, font, size, inner - 18):
                pages.y -= leading * (1.5 if i else 1.2)
                pages.text(x + 18, pages.y, font, size, part)
        pages.y -= 6


def _counts_table(pages: Pages, template: Template, rows: Sequence[OrderRow],
                  results: Sequence[str], x: float, inner: float, size: float) -> None:
    fsize = size - 1
    lead = fsize * 1.3
    widths = [inner * s for s in _COL_SHARES]
    xs = [x + sum(widths[:i]) for i in range(len(widths))]
    headings = template.get("counts_table.columns")

    def header() -> None:
        labels = [wrap(label, SERIF_BOLD, fsize, w - 6) for label, w in zip(headings, widths, strict=True)]
        h = max(len(lines) for lines in labels) * lead + 3
        pages.ensure(h + lead * 2)
        pages.y -= 2
        pages.line(x, pages.y, x + inner, pages.y, 0.8)
        for cx, lines in zip(xs, labels, strict=True):
            for i, line in enumerate(lines):
                pages.text(cx + 3, pages.y - (i + 1) * lead + 3, SERIF_BOLD, fsize, line)
        pages.y -= h
        pages.line(x, pages.y, x + inner, pages.y, 0.5)

    heading = template.get("counts_table.heading", "")
    if heading:
        pages.ensure(lead * 4)
        pages.y -= 4
        pages.text(x, pages.y - lead + 3, SERIF_BOLD, size, heading)
        pages.y -= lead
    header()
    for row, result in zip(rows, results, strict=True):
        relief = template.relief[row.outcome]
        cells = [count_number(row.count_key) or "—", row.code_section,
                 display_date(row.conviction_date), display_level(row.level),
                 relief.wording(row.remedy), result, relief.cites(row.remedy, row.authority)]
        wrapped = [wrap(c, SERIF, fsize, w - 6) for c, w in zip(cells, widths, strict=True)]
        h = max(len(w) for w in wrapped) * lead + 4
        if pages.ensure(h + lead):
            header()
        top = pages.y
        for cx, lines in zip(xs, wrapped, strict=True):
            yy = top - 2
            for line in lines:
                yy -= lead
                pages.text(cx + 3, yy + 3, SERIF, fsize, line)
        pages.y = top - h
        pages.line(x, pages.y, x + inner, pages.y, 0.3)
    pages.y -= 10


def _signature(pages: Pages, template: Template, values: Mapping[str, str], x: float,
               inner: float, size: float) -> None:
    pages.ensure(SIGNATURE_HEIGHT)
    half = x + inner / 2
    pages.y -= 18
    pages.text(half, pages.y, SERIF, size, fill(template.get("signature.date_line"), values))
    pages.y -= 44
    pages.line(half, pages.y, x + inner, pages.y, 0.6)
    name = fill_line(template.get("signature.judge_name"), values)
    pages.y -= size * 1.3
    if name:
        pages.text(half, pages.y, SERIF_BOLD, size, name)
        pages.y -= size * 1.3
    pages.text(half, pages.y, SERIF, size, fill(template.get("signature.judge_title"), values))
    pages.y -= size
