"""Exhibit A of a bulk order: one row per approved conviction, 66,000 rows in seconds.

A reportlab table of that size takes minutes, so the exhibit is drawn on the raw canvas with a
fixed column layout. Rows per page are fixed, so the page count ("page X of Y") is known before
the first row is drawn. Each page's rows go into the content stream as one text block written
directly (`Tm`/`Td`/`Tj` operators), with the encoded text of repeated cells (sections, dates,
levels, relief) cached: that keeps the exhibit within about 1.5x of drawing the same rows as
plain lines. Fonts are embedded TTF subsets, so every cell stays selectable and searchable.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from clerkapp.jobs import CancelToken, Progress, check
from clerkapp.orders.context import Tally
from clerkapp.orders.counts import count_number, load_resulting
from clerkapp.orders.fonts import SANS, SANS_BOLD, SERIF, SERIF_BOLD
from clerkapp.orders.layout import clip, wrap
from clerkapp.orders.naming import display_date, display_level, display_name
from clerkapp.orders.pdftext import FontEncoder
from clerkapp.orders.templates import Template, fill

PAGE = landscape(letter)
MARGIN = 36.0
FONT_SIZE = 8.0
ROW_HEIGHT = 11.5
HEADER_TOP = 40.0  # running header above the column headings
# #, case number, name, DOB, CII, count, section, convicted, level, relief, resulting offense
COLUMN_SHARES = (0.045, 0.095, 0.15, 0.066, 0.066, 0.04, 0.09, 0.066, 0.076, 0.15, 0.156)
TOTALS_ROWS = 8  # row slots the totals block needs at the end
MIN_SCALE = 0.75  # narrowest horizontal squeeze of an overlong cell before it is cut


@dataclass(frozen=True)
class Geometry:
    xs: tuple[float, ...]
    widths: tuple[float, ...]
    first_row_y: float  # baseline of the first row on a page
    rows_per_page: int

    @classmethod
    def letter_landscape(cls) -> Geometry:
        width, height = PAGE
        inner = width - 2 * MARGIN
        widths = tuple(inner * s for s in COLUMN_SHARES)
        xs = tuple(MARGIN + sum(widths[:i]) for i in range(len(widths)))
        first = height - MARGIN - HEADER_TOP - ROW_HEIGHT
        rows = int((first - (MARGIN + 24)) // ROW_HEIGHT) + 1
        return cls(xs, widths, first, rows)

    def pages(self, rows: int) -> int:
        """Exhibit pages for `rows` rows plus the totals block (never split across pages)."""
        pages = max(1, math.ceil(rows / self.rows_per_page))
        if pages * self.rows_per_page - rows < TOTALS_ROWS:
            pages += 1
        return pages


class CellWriter:
    """Exhibit cells in one font and size, written as operators into the page's text block."""

    def __init__(self, canvas: Canvas, font_name: str, size: float) -> None:
        self.encoder = FontEncoder(canvas, font_name)
        self.size = size
        self.tf = fp_str(size)
        self.subset = -1
        self.page_heads: dict[bool, list[str]] = {}  # recorded page-head operators

    def width(self, text: str) -> float:
        return self.encoder.width(text, self.size)

    def ops(self, text: str, out: list[str]) -> None:
        for subset, op in self.encoder.chunks(text):
            if subset != self.subset:
                out.append(f"{self.encoder.subset_name(subset)} {self.tf} Tf")
                self.subset = subset
            out.append(op)


class RowFormatter:
    """Turns an exhibit tuple into the cells printed; dates, levels and relief words repeat
    across 66,000 rows, so each distinct value is formatted once."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.dates: dict[str, str] = {}
        self.levels: dict[str, str] = {}
        self.relief: dict[tuple[str, str], str] = {}
        self.counts: dict[str, str] = {}
        self.results: dict[tuple, str] = {}  # resulting offense, where the age does not decide
        self.resulting = load_resulting()
        self.dismissed = str(template.get("exhibit.dismissed_result", "—"))

    def date(self, iso: str) -> str:
        text = self.dates.get(iso)
        if text is None:
            text = self.dates[iso] = display_date(iso)
        return text

    def cells(self, n: int, row: tuple) -> list[str]:
        case, name, dob, cii, section, convicted, level, outcome, remedy, number = row[1:11]
        count_key, subs, offense_date, attempted, conspiracy = row[13:18]
        lvl = self.levels.get(level)
        if lvl is None:
            lvl = self.levels[level] = display_level(level)
        relief = self.relief.get((outcome, remedy))
        if relief is None:
            relief = self.relief[(outcome, remedy)] = self.template.relief[outcome].wording(remedy)
        count = self.counts.get(count_key)
        if count is None:
            count = self.counts[count_key] = count_number(count_key)
        key = (outcome, number, subs, attempted, conspiracy)
        result = self.results.get(key)
        if result is None:  # the age decides (an infraction of a minor), or a new question
            result = self.resulting.of(
                outcome, number, subs, dob=dob, offense_date=offense_date,
                conviction_date=convicted, attempted=bool(attempted),
                conspiracy=bool(conspiracy)).text or self.dismissed
            if not self.resulting.needs_age(outcome, number):
                self.results[key] = result
        return [f"{n:,}", case, display_name(name), self.date(dob), cii, count, section,
                self.date(convicted), lvl, relief, result]


def draw_exhibit(
    canvas: Canvas,
    template: Template,
    values: Mapping[str, str],
    rows: Iterable[tuple],
    total: int,
    tally: Tally,
    covered: list[int],
    progress: Progress,
    cancel: CancelToken | None,
    *,
    count_rows: bool = True,
) -> int:
    """Draw the slip page and every exhibit page; returns the number of exhibit pages.

    Each row's id goes into `covered`; with `count_rows` each row is also counted into
    `tally` (then complete for the totals block and the order text drawn after)."""
    geo = Geometry.letter_landscape()
    pages = geo.pages(total)
    canvas.setPageSize(PAGE)  # the order text is portrait; the exhibit landscape throughout
    _slip_page(canvas, template, values)
    writer = CellWriter(canvas, SANS, FONT_SIZE)
    fmt = RowFormatter(template)
    # case number, name, CII: measured per row; section, relief, resulting offense repeat,
    # so their widths are measured once. Any of them is squeezed or clipped when too wide.
    vary = frozenset((1, 2, 4))
    repeated = frozenset((6, 9, 10))
    widths: dict[str, float] = {}
    rooms = [w - 6 for w in geo.widths]
    steps = [fp_str(geo.xs[i] - geo.xs[i - 1], 0) + " Td" for i in range(1, len(geo.xs))]
    x0 = fp_str(geo.xs[0] + 2)
    cover = covered.append
    count = tally.add_exhibit_row if count_rows else None
    page = 0
    slot = geo.rows_per_page  # forces a new page on the first row
    out: list[str] = []
    bands_at = 0  # where the page's row bands go in the content stream, once its rows are known
    n = 0
    for row in rows:
        if slot == geo.rows_per_page:
            if page:
                canvas._code.insert(bands_at, _bands(geo, slot))
                _end_page(canvas, out, template, values, page, pages)
            page += 1
            slot = 0
            out = _begin_page(canvas, template, values, geo, writer)
            bands_at = len(canvas._code)
            check(cancel)
            progress(n, total, "Printing Exhibit A")
        n += 1
        cells = fmt.cells(n, row)
        y = geo.first_row_y - slot * ROW_HEIGHT
        out.append(f"1 0 0 1 {x0} {fp_str(y)} Tm")
        for i, text in enumerate(cells):
            if i:
                out.append(steps[i - 1])
            if i in repeated:
                wide = widths.get(text)
                if wide is None:
                    wide = widths[text] = writer.width(text)
            elif i in vary:
                wide = writer.width(text)
            else:
                wide = 0.0
            if wide > (room := rooms[i]):
                # squeeze the text up to MIN_SCALE before cutting it: a long name stays whole
                if wide * MIN_SCALE > room:
                    text = clip(text, SANS, FONT_SIZE, room / MIN_SCALE)
                    wide = writer.width(text)
                out.append(f"{fp_str(max(MIN_SCALE, room / wide) * 100)} Tz")
                writer.ops(text, out)
                out.append("100 Tz")
            elif text:
                writer.ops(text, out)
        slot += 1
        cover(row[0])
        if count is not None:
            count(row)
    if page == 0:
        out = _begin_page(canvas, template, values, geo, writer)
        bands_at = len(canvas._code)
        page = 1
    canvas._code.insert(bands_at, _bands(geo, slot))  # the last page's rows only, not below
    if geo.rows_per_page - slot < TOTALS_ROWS:
        _end_page(canvas, out, template, values, page, pages)
        page += 1
        out = _begin_page(canvas, template, values, geo, writer, headings=False)
        slot = 0
    out.append("ET")
    canvas._code.append(" ".join(out))
    if count is not None:
        tally.finish_rows()
    _totals(canvas, template, tally, geo, slot)
    _footer(canvas, template, values, page, pages)
    canvas.showPage()
    return pages


SLIP_MARGIN = 72  # an inch each side of the slip page's centred text

def _slip_page(canvas: Canvas, template: Template, values: Mapping[str, str]) -> None:
    width, height = PAGE
    canvas.setFont(SERIF_BOLD, 40)
    canvas.drawCentredString(width / 2, height / 2 + 10, fill(template.get("exhibit.slip_title"), values))
    subtitle = template.get("exhibit.slip_subtitle", "")
    if subtitle:  # wrapped within the page's margins: a court's longer text stays on the page
        canvas.setFont(SERIF, 12)
        for i, line in enumerate(wrap(fill(subtitle, values), SERIF, 12, width - 2 * SLIP_MARGIN)):
            canvas.drawCentredString(width / 2, height / 2 - 24 - 15 * i, line)
    canvas.showPage()


def _begin_page(canvas: Canvas, template: Template, values: Mapping[str, str], geo: Geometry,
                writer: CellWriter, headings: bool = True) -> list[str]:
    """Running header, column headings and row bands: the same on every page, so drawn
    once and then replayed from the recorded operators (a millisecond a page saved)."""
    cache: dict[bool, list[str]] = writer.page_heads
    if headings in cache:
        canvas._code.extend(cache[headings])
    else:
        start = len(canvas._code)
        _draw_head(canvas, template, values, geo, headings)
        cache[headings] = canvas._code[start:]
    writer.subset = -1  # each text block sets its font again
    return ["BT"]


def _draw_head(canvas: Canvas, template: Template, values: Mapping[str, str], geo: Geometry,
               headings: bool) -> None:
    width, height = PAGE
    top = height - MARGIN
    canvas.setFont(SERIF_BOLD, 9)
    canvas.drawString(MARGIN, top - 10, clip(fill(template.get("exhibit.running_header"), values),
                                              SERIF_BOLD, 9, width - 2 * MARGIN))
    if headings:
        y = geo.first_row_y + ROW_HEIGHT + 3
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, y + ROW_HEIGHT, width - MARGIN, y + ROW_HEIGHT)
        canvas.setFont(SANS_BOLD, FONT_SIZE)
        for x, label, w in zip(geo.xs, template.get("exhibit.columns"), geo.widths, strict=True):
            canvas.drawString(x + 2, y + 3, clip(fill(label, values), SANS_BOLD, FONT_SIZE, w - 4))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y, width - MARGIN, y)


@lru_cache(maxsize=8)
def _bands(geo: Geometry, rows: int) -> str:
    """Light bands on every other row of the `rows` drawn on a page (they help the eye along
    a 720-point line), as content-stream operators in their own graphics state; none below
    the last row, so the totals block and the rest of the last page stay white."""
    width, _ = PAGE
    rects = [
        f"{fp_str(MARGIN, geo.first_row_y - slot * ROW_HEIGHT - 3, width - 2 * MARGIN, ROW_HEIGHT)} re"
        for slot in range(1, rows, 2)
    ]
    return f"q 0.93 g {' '.join(rects)} f Q" if rects else ""


def _end_page(canvas: Canvas, out: list[str], template: Template, values: Mapping[str, str],
              page: int, pages: int) -> None:
    out.append("ET")
    canvas._code.append(" ".join(out))
    _footer(canvas, template, values, page, pages)
    canvas.showPage()


def _footer(canvas: Canvas, template: Template, values: Mapping[str, str], page: int,
            pages: int) -> None:
    width, _ = PAGE
    vals = {**values, "page.number": f"{page:,}", "page.total": f"{pages:,}"}
    y = MARGIN - 8
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
    canvas.setFont(SERIF, 7)
    canvas.drawString(MARGIN, y, f"{template.name} v{template.version}")
    canvas.setFont(SERIF_BOLD, 9)
    canvas.drawCentredString(width / 2, y, fill(template.get("exhibit.page_label"), vals))


def _totals(canvas: Canvas, template: Template, tally: Tally, geo: Geometry, slot: int) -> None:
    """The totals block below the last row: convictions by relief, people and cases."""
    y = geo.first_row_y - slot * ROW_HEIGHT - 6
    width, _ = PAGE
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y + ROW_HEIGHT - 2, width - MARGIN, y + ROW_HEIGHT - 2)
    canvas.setFont(SERIF_BOLD, 9)
    canvas.drawString(MARGIN + 2, y, template.get("exhibit.totals_heading"))
    lines = [(template.relief[o].label, tally.outcomes[o]) for o in
             ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")]
    lines.append((template.get("exhibit.totals_resentenced", "Of these, recalled and resentenced"),
                  tally.resentenced))
    lines.append((template.get("exhibit.totals_people", "People"), tally.people))
    lines.append((template.get("exhibit.totals_convictions", "Total convictions"), tally.total))
    canvas.setFont(SERIF, 9)
    for label, count in lines:
        y -= ROW_HEIGHT
        if label == lines[-1][0]:
            canvas.setFont(SERIF_BOLD, 9)
        canvas.drawString(MARGIN + 14, y, label)
        canvas.drawRightString(MARGIN + 330, y, f"{count:,}")
