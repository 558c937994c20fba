"""Drawing a letter (a notice, a confirmation of relief) on reportlab's canvas.

Built on the orders' page layout (`orders.layout.Pages`): laid out first, drawn second, so a
footer knows "Page X of Y" and many letters can share one combined file, each numbered on
its own.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import letter
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from clerkapp.errors import BadInput
from clerkapp.orders.fonts import SERIF, SERIF_BOLD, register_fonts
from clerkapp.orders.layout import Pages, clip, draw_pages, wrap
from clerkapp.orders.templates import fill, fill_line
from clerkapp.relief.templates import LetterTemplate

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def long_date(iso: str, template: LetterTemplate) -> str:
    """2026-03-02 -> "March 2, 2026" / "2 de marzo de 2026" (the template's language);
    a partial date (1991-06, 1991) is left as the record gives it."""
    m = _ISO.fullmatch((iso or "")[:10])
    if not m:
        return iso or ""
    year, month, day = (int(g) for g in m.groups())
    months = template.get("language.months") or [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"]
    pattern = template.get("language.date_format", "{month} {day}, {year}")
    return pattern.format(month=months[month - 1], day=day, year=year)


def level_word(level: str, template: LetterTemplate) -> str:
    return (template.get("language.levels") or {}).get((level or "").upper(), level or "")


@dataclass
class Letter:
    """One letter laid out: its pages and the values its footer is filled with."""

    pages: list[list[tuple]]
    values: dict[str, str]
    template: LetterTemplate


class LetterLayout:
    """A cursor over letter-size pages with the few things a letter is made of."""

    def __init__(self, template: LetterTemplate) -> None:
        register_fonts()
        self.template = template
        self.margin = template.get("layout.margin_inches", 0.9) * 72
        self.size = float(template.get("layout.font_size", 10.5))
        self.leading = self.size * float(template.get("layout.line_spacing", 1.3))
        self.width, self.height = letter
        self.inner = self.width - 2 * self.margin
        self.pages = Pages(self.width, self.height, top=self.height - self.margin,
                           bottom=self.margin + 24)

    def lines(self, lines: Sequence[str], *, bold: bool = False, size: float | None = None,
              x: float | None = None, width: float | None = None, align: str = "text",
              together: bool = False) -> None:
        """Lines set one under the other; `together` keeps them on one page (a signature)."""
        size = size or self.size
        font = SERIF_BOLD if bold else SERIF
        x = self.margin if x is None else x
        width = self.inner if width is None else width
        if together:
            self.pages.ensure(sum(len(wrap(line, font, size, width)) for line in lines)
                              * size * 1.3)
        for line in lines:
            for part in wrap(line, font, size, width):
                self.pages.ensure(size * 1.3)
                self.pages.y -= size * 1.3
                where = {"text": x, "right": x + width, "center": x + width / 2}[align]
                self.pages.text(where, self.pages.y, font, size, part, align=align)

    def paragraph(self, text: str, *, bold_lead: bool = False, after: float = 6) -> None:
        """A paragraph; with `bold_lead`, its first sentence is set in bold on its own line."""
        if bold_lead and ". " in text:
            lead, _, rest = text.partition(". ")
            self.pages.ensure(self.leading * 2)
            self.lines([lead + "."], bold=True)
            text = rest
        self.pages.paragraph(text, self.margin, self.inner, SERIF, self.size, self.leading,
                             after=after)

    def heading(self, text: str, *, keep: float = 0) -> None:
        """A heading kept with the start of what follows it: about three lines, or `keep`
        points when more must stay with it (the contacts block, which cannot break)."""
        self.pages.ensure(self.leading * 2 + max(keep, self.leading * 2))
        self.gap(4)
        self.lines([text], bold=True, size=self.size + 1)
        self.gap(3)

    def columns(self, blocks: Sequence[Sequence[str]]) -> None:
        """Blocks of lines side by side (contacts), each block's first line in bold; an
        empty block is left out."""
        blocks = [b for b in blocks if b]
        if not blocks:
            return
        width = self.inner / len(blocks)
        self.pages.ensure(self.columns_height(blocks))
        top = self.pages.y
        bottom = top
        for i, block in enumerate(blocks):
            self.pages.y = top
            x = self.margin + i * width
            self.lines(block[:1], bold=True, x=x, width=width - 12)
            self.lines(block[1:], x=x, width=width - 12)
            bottom = min(bottom, self.pages.y)
        self.pages.y = bottom

    def columns_height(self, blocks: Sequence[Sequence[str]]) -> float:
        """How tall `columns(blocks)` will be, so a heading can stay with it."""
        blocks = [b for b in blocks if b]
        if not blocks:
            return 0.0
        width = self.inner / len(blocks) - 12
        lines = max(sum(len(wrap(line, SERIF, self.size, width)) for line in b) for b in blocks)
        return lines * self.size * 1.3

    def gap(self, height: float) -> None:
        self.pages.y -= height

    def table(self, columns: Sequence[str], rows: Sequence[Sequence[str]],
              shares: Sequence[float]) -> None:
        size = self.size - 1
        lead = size * 1.3
        widths = fit_widths(columns, rows, shares, self.inner, size)
        xs = [self.margin + sum(widths[:i]) for i in range(len(widths))]
        pages = self.pages

        def header() -> None:
            labels = [cell_lines(c, SERIF_BOLD, size, w - CELL_PAD)
                      for c, w in zip(columns, widths, strict=True)]
            h = max(len(lines) for lines in labels) * lead + 4
            pages.ensure(h + lead * 2)
            pages.line(self.margin, pages.y, self.margin + self.inner, pages.y, 0.8)
            for cx, lines in zip(xs, labels, strict=True):
                for i, line in enumerate(lines):
                    pages.text(cx + 3, pages.y - (i + 1) * lead + 2, SERIF_BOLD, size, line)
            pages.y -= h
            pages.line(self.margin, pages.y, self.margin + self.inner, pages.y, 0.5)

        header()
        for row in rows:
            wrapped = [cell_lines(c, SERIF, size, w - CELL_PAD)
                       for c, w in zip(row, widths, strict=True)]
            h = max(len(w) for w in wrapped) * lead + 4
            if pages.ensure(h):
                header()
            top = pages.y
            for cx, lines in zip(xs, wrapped, strict=True):
                yy = top - 1
                for line in lines:
                    yy -= lead
                    pages.text(cx + 3, yy + 2, SERIF, size, line)
            pages.y = top - h
            pages.line(self.margin, pages.y, self.margin + self.inner, pages.y, 0.3)
        pages.y -= 8

    def filled(self, lines: Sequence[str], values: Mapping[str, str]) -> list[str]:
        """Template lines filled in, leaving off those whose placeholders are all empty."""
        return [t for t in (fill_line(line, values) for line in lines) if t is not None]

    def finish(self, values: dict[str, str]) -> Letter:
        return Letter(self.pages.pages, values, self.template)


CELL_PAD = 6.0  # a cell's text starts 3 pt in from its column's left edge, and stops 3 pt short


def _longest_word(text: str, font: str, size: float) -> float:
    return max((stringWidth(w, font, size) for w in str(text).split()), default=0.0)


def fit_widths(columns: Sequence[str], rows: Sequence[Sequence[str]], shares: Sequence[float],
               inner: float, size: float) -> list[float]:
    """Column widths for a table: each cell on one line where the page has room (the rest
    shared out by the template's shares), else every word whole (an order number, a case
    number, "Misdemeanor": the room taken where cells wrap), else the shares as given and
    `cell_lines` breaks the words. Headings wrap at their spaces."""
    pad = CELL_PAD + 1
    least = [max([_longest_word(c, SERIF_BOLD, size)]
                 + [_longest_word(r[i], SERIF, size) for r in rows]) + pad
             for i, c in enumerate(columns)]
    whole = [max([least[i]] + [stringWidth(str(r[i]), SERIF, size) + pad for r in rows])
             for i in range(len(columns))]
    if sum(whole) <= inner:
        rest = inner - sum(whole)
        return [w + rest * s / sum(shares) for w, s in zip(whole, shares, strict=True)]
    if sum(least) <= inner:
        rest, wanted = inner - sum(least), sum(whole) - sum(least)
        return [m + rest * (w - m) / wanted for m, w in zip(least, whole, strict=True)]
    return [inner * s for s in shares]


def cell_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` wrapped to `width`, a word still too wide broken where it fits (after a hyphen
    where it has one): nothing runs past its column."""
    out: list[str] = []
    for line in wrap(text, font, size, width):
        while stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and stringWidth(line[:cut], font, size) > width:
                cut -= 1
            hyphen = line.rfind("-", 0, cut)
            cut = hyphen + 1 if hyphen > 0 else cut
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def draw_letters(canvas: Canvas, letters: Sequence[Letter],
                 on_letter: Callable[[int], None] | None = None) -> None:
    """Draw letters one after another on one canvas, each with its own page numbers."""
    for n, item in enumerate(letters):
        tmpl = item.template
        margin = tmpl.get("layout.margin_inches", 0.9) * 72
        width = letter[0]

        def decorate(c: Canvas, page: int, total: int, item: Letter = item,
                     margin: float = margin, width: float = width) -> None:
            vals = {**item.values, "page.number": str(page), "page.total": str(total)}
            y = margin - 16
            c.setLineWidth(0.4)
            c.line(margin, y + 10, width - margin, y + 10)
            c.setFont(SERIF, 7.5)
            c.drawString(margin, y, clip(fill(item.template.get("footer.left", ""), vals),
                                         SERIF, 7.5, (width - 2 * margin) * 0.7))
            c.drawRightString(width - margin, y, fill(item.template.get("footer.right", ""), vals))

        draw_pages(canvas, item.pages, decorate)
        if on_letter is not None:
            on_letter(n)


def letters_pdf(letters: Sequence[Letter], title: str, author: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("clerkapp")
    draw_letters(canvas, letters)
    canvas.save()
    return buffer.getvalue()


def require_profile(store, required: Mapping[str, str], printing: str, example: str) -> None:
    """BadInput naming the court-profile settings (key -> label) a letter cannot do without,
    when empty, and where to fill them in."""
    missing = [label for key, label in required.items()
               if not str(store.get_setting(key) or "").strip()]
    if missing:
        raise BadInput(f"the court profile is incomplete: fill in {', '.join(missing)} before"
                       f" printing {printing} (Tools ▸ Court profile & settings, or `clerkapp"
                       f" settings {example}=...`)")


def court_letter_values(profile: Mapping[str, object], template: LetterTemplate) -> dict[str, str]:
    """Placeholders every letter shares, from the court profile."""
    def get(key: str) -> str:
        return str(profile.get(key) or "").strip()

    county = get("court.county")
    return {
        "court.name": get("court.name"), "court.county": county,
        "court.county_upper": county.upper(), "court.address": get("court.address"),
        "court.clerk": get("court.clerk"), "court.clerk_phone": get("court.clerk_phone"),
        "court.website": get("court.website"), "defender.office": get("defender.office"),
        "defender.address": get("defender.address"), "defender.phone": get("defender.phone"),
        "template.name": template.name, "template.version": template.version,
    }
