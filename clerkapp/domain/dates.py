"""Dates as records spell them, turned into ISO text, and the date arithmetic the rules need.

Results are ISO `YYYY-MM-DD`, or partial `YYYY` / `YYYY-MM` when the source gave no day or
month (DOJ writes `19700000`): a missing day or month is never invented. Where a partial date
matters (age at the offense) the rules work with its bounds, `date_bounds`.

Accepted inputs: `date`/`datetime` objects; Excel serial numbers (1900 system; Excel counts a
29 February 1900 that never was, so serials above 59 are one day early and are corrected;
serial 60 itself is refused) between 1900 and 2099; text `MM/DD/YYYY`, `M/D/YYYY`, `MM/DD/YY`,
`MM-DD-YYYY`, `YYYY-MM-DD` (a time after it is ignored), `YYYYMMDD` (with `00` for an unknown
month or day), `MMDDYY`, `YYYY-MM`, `YYYY`; numbers that read as `YYYYMMDD`.

Two-digit years: the latest year that is not after the current year (in 2026, `25` is 2025 and
`27` is 1927). Records are about the past, so a date in the future is never the right reading.
Error messages never repeat the value (it may be a date of birth); the caller names the cell.

The rules read a stored date (full or partial) as a `DateRange` of every day it could be
(`date_range`); the engine decides only when every possible day gives the same answer, so
`before`, `before_day` answer True, False or None (cannot tell).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

__all__ = ["DateRange", "add_sentence", "add_years", "age_on", "age_range", "before",
           "before_day", "date_bounds", "date_range", "implausible", "option_date", "parse_date",
           "parse_record_date", "two_digit_year", "typed_date"]

_MIN_YEAR = 1850
_MAX_YEAR = 2099
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 61 -> 1900-03-01 once the phantom leap day is skipped
_MAX_SERIAL = (date(_MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days
_EXPECTED = "expected MM/DD/YYYY, YYYY-MM-DD, YYYYMMDD, MMDDYY or an Excel date"

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?",
                 re.IGNORECASE)
_DIGITS8 = re.compile(r"\d{8}")
_DIGITS6 = re.compile(r"\d{6}")
_YEAR = re.compile(r"\d{4}")
_NUMBER_TEXT = re.compile(r"\d+\.0+")


def two_digit_year(yy: int, today: date | None = None) -> int:
    """The latest year ending in `yy` that is not after `today`'s year."""
    this_year = (today or date.today()).year
    year = this_year - (this_year - yy) % 100
    return year


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _full(year: int, month: int, day: int) -> str:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"year out of range ({_MIN_YEAR}-{_MAX_YEAR})")
    if not 1 <= month <= 12:
        raise ValueError("month out of range (1-12)")
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    if not 1 <= day <= last:
        raise ValueError(f"day out of range for the month (1-{last})")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _yyyymmdd(digits: str) -> str:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValueError(f"year out of range ({_MIN_YEAR}-{_MAX_YEAR})")
    if month == 0:
        return f"{year:04d}"  # month unknown: a day without its month says nothing
    if not 1 <= month <= 12:
        raise ValueError("month out of range (1-12)")
    if day == 0:
        return f"{year:04d}-{month:02d}"
    return _full(year, month, day)


def _from_serial(serial: float) -> str:
    # NaN or outside 1900-2099 (a time of day on 2099-12-31 is still that day)
    if serial != serial or serial < 1 or serial >= _MAX_SERIAL + 1:
        raise ValueError("Excel date serial out of range")
    whole = int(serial)
    if whole == 60:
        raise ValueError("Excel date serial 60 is 29 February 1900, which does not exist")
    base = _EXCEL_EPOCH if whole > 60 else _EXCEL_EPOCH + timedelta(days=1)
    return (base + timedelta(days=whole)).isoformat()


def _from_number(value: float) -> str:
    if 10_000_000 <= value <= 99_999_999 and float(value).is_integer():
        return _yyyymmdd(str(int(value)))  # 19890415 typed into a numeric cell
    return _from_serial(value)


def _digits8(text: str) -> str:
    if _MIN_YEAR <= int(text[:4]) <= _MAX_YEAR:
        return _yyyymmdd(text)
    return _full(int(text[4:]), int(text[:2]), int(text[2:4]))  # MMDDYYYY


def _from_text(text: str) -> str:
    if len(text) == 8 and text.isascii() and text.isdigit():  # DOJ's YYYYMMDD: most dates
        return _digits8(text)
    if m := _ISO.fullmatch(text):
        return _full(int(m[1]), int(m[2]), int(m[3]))
    if m := _US.fullmatch(text):
        year = int(m[3]) if len(m[3]) == 4 else two_digit_year(int(m[3]))
        return _full(year, int(m[1]), int(m[2]))
    if _DIGITS8.fullmatch(text):
        return _digits8(text)
    if _DIGITS6.fullmatch(text):
        return _full(two_digit_year(int(text[4:])), int(text[:2]), int(text[2:4]))
    if m := _ISO_MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        _full(year, month, 1)
        return f"{year:04d}-{month:02d}"
    if _YEAR.fullmatch(text):
        year = int(text)
        _full(year, 1, 1)
        return text
    if _NUMBER_TEXT.fullmatch(text):  # "19890415.0" from a csv written by a spreadsheet
        return _from_number(float(text))
    raise ValueError(f"not a recognised date ({_EXPECTED})")


def parse_date(value: object) -> str | None:
    """ISO text (full or partial) for a cell value; None for an empty cell.

    Raises ValueError with a message that says what was expected (never the value itself).
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not _MIN_YEAR <= value.year <= _MAX_YEAR:
            raise ValueError(f"year out of range ({_MIN_YEAR}-{_MAX_YEAR})")
        return value.isoformat()
    if isinstance(value, bool):
        raise ValueError(f"not a date ({_EXPECTED})")
    if isinstance(value, int | float):
        return _from_number(value)
    text = str(value).strip()
    if not text:
        return None
    return _from_text(text)


def implausible(iso: str, today: date | None = None) -> str | None:
    """Why a date of a record (birth, arrest, conviction) cannot be right, else None: before
    1900 (Excel's empty date reads 1899-12-30) or after today (a typo, or a two-digit year
    read the wrong way)."""
    if iso[:4] < "1900":
        return "before 1900 (an empty date in Excel reads 1899-12-30)"
    now = (today or date.today()).isoformat()
    if iso > now[:len(iso)]:
        return "after today"
    return None


def parse_record_date(value: object) -> str | None:
    """`parse_date`, refusing implausible dates: a record's date is in the past, after 1900."""
    iso = parse_date(value)
    if iso is not None and (why := implausible(iso)):
        raise ValueError(f"implausible date: {why}")
    return iso


def date_bounds(iso: str) -> tuple[date, date]:
    """The earliest and latest day a full or partial ISO date can be."""
    parts = iso.split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ValueError("not an ISO date") from None
    if len(parts) == 3:
        d = date(*numbers)
        return d, d
    if len(parts) == 2:
        year, month = numbers
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if len(parts) == 1 and len(parts[0]) == 4:
        return date(numbers[0], 1, 1), date(numbers[0], 12, 31)
    raise ValueError("not an ISO date")


def add_sentence(iso_date: str, days: int) -> str:
    """The day a sentence of `days` days starting on `iso_date` ends (ISO).

    A partial start date is refused: the end would be a guess, and the rules treat an unknown
    end as unknown rather than invent one.
    """
    start, latest = date_bounds(iso_date)
    if start != latest:
        raise ValueError("a sentence end needs a full start date")
    return (start + timedelta(days=days)).isoformat()


def _age(born: date, on: date) -> int:
    # Someone born on 29 February turns a year older on 1 March in common years.
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_on(dob: str | date, on_date: str | date) -> tuple[int, int]:
    """The youngest and oldest a person can be on `on_date`, given a full or partial DOB.

    Equal when both dates are full; a partial `on_date` widens the range the same way.
    """
    dob_first, dob_last = (dob, dob) if isinstance(dob, date) else date_bounds(dob)
    on_first, on_last = (on_date, on_date) if isinstance(on_date, date) else date_bounds(on_date)
    return _age(dob_last, on_first), _age(dob_first, on_last)


def option_date(text: str | None, option: str) -> str | None:
    """A date given as a command option (`--since`, `--dob`, `--date`), as ISO; None when
    empty. A value that is not YYYY-MM-DD is refused in one line naming the option."""
    if not text or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        from clerkapp.errors import BadInput

        raise BadInput(f"{option} {text!r}: expected a date as YYYY-MM-DD") from None


def check_iso_day(value: object) -> None:
    """ValueError unless `value` is empty or a day written YYYY-MM-DD: a setting that holds a
    date (the as-of date) is refused when typed, not at every run that reads it."""
    text = str(value or "").strip()
    if text:
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text!r}: expected a date as YYYY-MM-DD") from None


TYPED_FORMS = "MM/DD/YYYY (04/07/1985) or YYYY-MM-DD"


def typed_date(text: str, today: date | None = None) -> str:
    """A whole day in the past as a clerk types it (`04/07/1985`, `4/7/1985`, `04-07-1985`,
    `1985-04-07`, `04/07/85`, `19850407`, `040785`), as ISO: `parse_date`'s forms, month
    first. ValueError, never repeating the value (a date of birth), for text that is not a
    date, a day that does not exist, a partial date, a day after `today`, and a two-digit
    year both of whose centuries are past days after 1900 (`04/07/15`: 1915 or 2015)."""
    text = str(text).strip()
    today = today or date.today()
    try:
        iso = parse_date(text)
    except ValueError as exc:
        if str(exc).startswith(("not a recognised date", "Excel")):
            raise ValueError(f"not a date: type it as {TYPED_FORMS}") from None
        raise ValueError(f"no such day ({exc}); dates are month first: MM/DD/YYYY") from None
    if iso is None or len(iso) != 10:
        raise ValueError(f"a whole date is needed, day, month and year: {TYPED_FORMS}")
    if iso > today.isoformat():
        raise ValueError("that day is after today")
    short = (m := _US.fullmatch(text)) and len(m[3]) == 2 or _DIGITS6.fullmatch(text)
    if short and int(iso[:4]) - 100 >= 1900:
        raise ValueError("a two-digit year could be 19.. or 20..: type all four digits")
    return iso


# Partial dates as ranges of possible days, for the rules

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


_RANGES: dict[str, DateRange | None] = {}


def date_range(text: str | None) -> DateRange | None:
    """`2016-11-09` -> that day; `2016-11`/`201611` -> the month; `2016`/`20160000` -> the
    year; anything else (blank, garbage, impossible day) -> None.

    Cached: a million convictions hold only tens of thousands of distinct dates, and a
    DateRange is immutable, so one object serves them all."""
    if not text:
        return None
    try:
        return _RANGES[text]
    except KeyError:
        pass
    found = _range(text)
    if len(_RANGES) < 65_536:
        _RANGES[text] = found
    return found


def _range(text: str) -> DateRange | None:
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


def age_range(dob: DateRange, on: DateRange) -> tuple[int, int]:
    """The youngest and oldest the person could have been on the (possibly partial) day."""
    return _age(dob.last, on.first), _age(dob.first, on.last)


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February falls back to 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
