"""Dates as the records give them: full ISO, or partial (`1970`, `1970-05`, `19700000`).

A partial date is a range of possible days. The engine decides only when every possible day
gives the same answer, so these helpers answer True, False or None (cannot tell).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_DATE = re.compile(r"^\s*(\d{4})(?:-?(\d{2}))?(?:-?(\d{2}))?\s*$")


@dataclass(frozen=True)
class DateRange:
    """Every day a recorded date could be: `first` to `last` inclusive."""

    first: date
    last: date
    text: str

    @property
    def exact(self) -> bool:
        return self.first == self.last


_PARSED: dict[str, DateRange | None] = {}


def parse_date(text: str | None) -> DateRange | None:
    """`2016-11-09` -> that day; `2016-11`/`201611` -> the month; `2016`/`20160000` -> the
    year; anything else (blank, garbage, impossible day) -> None.

    Cached: a million convictions hold only tens of thousands of distinct dates, and a
    DateRange is immutable, so one object serves them all."""
    if not text:
        return None
    try:
        return _PARSED[text]
    except KeyError:
        pass
    found = _parse(text)
    if len(_PARSED) < 65_536:
        _PARSED[text] = found
    return found


def _parse(text: str) -> DateRange | None:
    m = _DATE.match(text)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) and m.group(2) != "00" else None
    day = int(m.group(3)) if m.group(3) and m.group(3) != "00" else None
    try:
        if month is None:
            return DateRange(date(year, 1, 1), date(year, 12, 31), text.strip())
        if day is None:
            end = calendar.monthrange(year, month)[1]
            return DateRange(date(year, month, 1), date(year, month, end), text.strip())
        d = date(year, month, day)
    except ValueError:
        return None
    return DateRange(d, d, text.strip())


def before(a: DateRange, b: DateRange) -> bool | None:
    """Is `a` strictly before `b`? None when the ranges overlap so it cannot be told."""
    if a.last < b.first:
        return True
    if a.first >= b.last:
        return False
    return None


def before_day(a: DateRange, day: date) -> bool | None:
    """Is `a` strictly before `day`?"""
    if a.last < day:
        return True
    if a.first >= day:
        return False
    return None


def age_on(dob: date, day: date) -> int:
    """Completed years on `day` (a person born on 29 February turns a year older on 1 March
    in common years, as California counts it: the day after 28 February)."""
    years = day.year - dob.year
    if (day.month, day.day) < (dob.month, dob.day):
        years -= 1
    return years


def age_range(dob: DateRange, on: DateRange) -> tuple[int, int]:
    """The youngest and oldest the person could have been on the (possibly partial) day."""
    return age_on(dob.last, on.first), age_on(dob.first, on.last)


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
