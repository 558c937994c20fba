"""What a DOJ row's texts say about a conviction, read once per distinct text.

A million-row file holds a few hundred distinct offense/comment pairs and sentence parts, so
the builder (doj_convictions.py) asks these caches instead of stripping, parsing and comparing
the same words on every row. Each reading is plain data (tuples), so a cached one is shared
safely: the builder copies what it changes (a conviction's flags list).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from clerkapp.domain.charges import parse_charge
from clerkapp.domain.records import Section
from clerkapp.ingest.doj_fields import LEVELS, TOC_LEVELS

CANNABIS_NUMBERS = frozenset({"11357", "11358", "11359", "11360"})
SEE_COMMENT = "SEE COMMENT"
NO_TIME_PARTS = frozenset({"FINE", "RESTITUTION", "FEE", "COSTS"})
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Flags the importer leaves on a conviction for the rules to look at (docs/doj-import.md).
FLAG_DISAGREE = "offense_comment_disagree"
FLAG_NO_NAME = "no_name"  # review/corrections.py: the name is entered before an approval
FLAG_FROM_COMMENT = "offense_from_comment"
FLAG_SET_ASIDE = "set_aside_1203_4"
FLAG_SENTENCE_SEE_COMMENT = "sentence_see_comment"


class ChargeReading(NamedTuple):
    """What a conviction's OFFENSE_DESCR and COMMENT_TEXT say, together."""

    offense: str | None  # OFFENSE_DESCR, stripped
    comment: str | None  # COMMENT_TEXT, stripped
    charge: str  # the text the charge is read from ("" when there is none)
    section: Section | None
    flags: tuple[str, ...]  # FLAG_FROM_COMMENT and FLAG_DISAGREE, in that order
    problem: tuple[str, str, str] | None  # (column, value, message) of a row error


def charge_text(offense_text: str, comment_text: str) -> tuple[str, bool]:
    """The charge text, and whether it came from COMMENT_TEXT (OFFENSE_DESCR empty or
    saying to see the comment)."""
    offense = offense_text.strip()
    if not offense or offense.upper().startswith("SEE COMMENT FOR CHARGE"):
        return comment_text.strip(), True
    return offense, False


def read_charge(offense_text: str, comment_text: str) -> ChargeReading:
    """The charge of a conviction row, with the flags and the error its two texts call for."""
    offense = offense_text.strip()
    comment = comment_text.strip()
    charge, from_comment = charge_text(offense_text, comment_text)
    section = parse_charge(charge) if charge else None
    flags: list[str] = [FLAG_FROM_COMMENT] if from_comment else []
    problem = None
    if not charge:
        problem = ("COMMENT_TEXT", comment,
                   "no charge: OFFENSE_DESCR says see comment but the comment is empty")
    elif section is None:
        problem = ("COMMENT_TEXT" if from_comment else "OFFENSE_DESCR", charge,
                   "names no code section the app recognises")
    if comment and not from_comment:
        other = parse_charge(comment)
        if (other is not None and other.number in CANNABIS_NUMBERS and other.code == "HS"
                and (section is None or (section.code, section.number, section.subs)
                     != (other.code, other.number, other.subs))):
            flags.append(FLAG_DISAGREE)
    return ChargeReading(offense or None, comment or None, charge, section, tuple(flags), problem)


class SentencePart(NamedTuple):
    """One row's sentence part: (location, length, unit) stripped, the unit upper-cased."""

    loc: str
    length: str
    unit: str


def read_part(loc_text: str, length_text: str, unit_text: str, time_text: str
              ) -> tuple[SentencePart | None, bool]:
    """A row's sentence part (None when the row gives none), and whether its texts say to
    see the comment (FLAG_SENTENCE_SEE_COMMENT)."""
    loc, length, unit = loc_text.strip(), length_text.strip(), unit_text.strip().upper()
    part = SentencePart(loc, length, unit) if loc or length or unit else None
    return part, SEE_COMMENT in loc or SEE_COMMENT in length or SEE_COMMENT in time_text


class SentenceTotal(NamedTuple):
    """The parts of one conviction's sentence, added up as far as they can be."""

    text: str  # "JAIL 90 D; PROBATION 3 Y"
    known: bool  # False when a part's length is not a whole number of D/M/Y
    years: int
    months: int
    days: int


def total_of(parts: tuple[SentencePart, ...]) -> SentenceTotal:
    text = "; ".join([" ".join(filter(None, part)) for part in parts])
    years = months = days = 0
    for loc, length, unit in parts:
        if not length:
            if loc.upper() in NO_TIME_PARTS and not unit:
                continue
            return SentenceTotal(text, False, 0, 0, 0)
        if not length.isdigit():
            return SentenceTotal(text, False, 0, 0, 0)
        value = int(length)
        if unit == "D":
            days += value
        elif unit == "M":
            months += value
        elif unit == "Y":
            years += value
        else:
            return SentenceTotal(text, False, 0, 0, 0)
    return SentenceTotal(text, True, years, months, days)


def sentence_span(total: SentenceTotal, conviction_date: str | None
                  ) -> tuple[int | None, str | None]:
    """(total days, end date) of a sentence; both None when unknown.

    Parts add up calendar-wise from the conviction date (years, then months, then days);
    without a full conviction date the days are approximate (365 / 30 per unit) and there
    is no end date.
    """
    if not total.known:
        return None, None
    start = _full_date(conviction_date)
    if start is None:
        return total.years * 365 + total.months * 30 + total.days, None
    end = _add(start, total.years, total.months, total.days)
    return (end - start).days, end.isoformat()


# the last day of each month as DOJ writes it (February: the 29th takes the long way)
_LAST_DAY = {f"{m:02d}": f"{d}" for m, d in zip(range(1, 13), _MONTH_DAYS, strict=True)}


def plain_day(text: str, today: str) -> str | None:
    """The ISO date of a DOJ date that is a plain past day (`YYYYMMDD`, year from 1900, before
    `today`, ISO), else None: `clerkapp.domain.dates.parse_record_date` reads the rest (a
    partial date, another form, a date it refuses). Most dates of a file are such days, and
    this reads them in a fraction of the time, giving the same text."""
    if len(text) == 8 and text.isdigit() and text.isascii():
        year, month, day = text[:4], text[4:6], text[6:]
        last = _LAST_DAY.get(month)
        if last is not None and year >= "1900" and "01" <= day <= last:
            iso = f"{year}-{month}-{day}"
            if iso < today:
                return iso
    return None


def read_level(stat_text: str, toc_text: str) -> str | None:
    """F, M or I from CONV_STAT_DESCR, else from OFFENSE_TOC; None when neither says."""
    stat = stat_text.strip().upper()
    if stat:
        return LEVELS.get(stat)
    return TOC_LEVELS.get(toc_text.strip().upper())


@lru_cache(maxsize=65536)  # a few thousand distinct conviction days per million rows
def _full_date(value: str | None) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


_DELTAS: dict[int, timedelta] = {}  # a sentence's days: a few hundred distinct lengths


def _delta(days: int) -> timedelta:
    delta = _DELTAS.get(days)
    if delta is None:
        delta = _DELTAS[days] = timedelta(days=days)
    return delta


def _add(start: date, years: int, months: int, days: int) -> date:
    """`start` plus whole years and months (day clamped to the month's end), then days."""
    if not years and not months and start.year <= 9998:  # a jail term in days, most often
        try:
            return start + _delta(days)
        except OverflowError:
            return date.max
    total_months = start.month - 1 + months + 12 * years
    year = start.year + total_months // 12
    if year > 9998:  # a life-like length: past any as-of date
        return date.max
    month = total_months % 12 + 1
    day = start.day
    if day > 28:
        day = min(day, 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1])
    try:
        end = date(year, month, day)
        return end + _delta(days) if days else end
    except OverflowError:
        return date.max
