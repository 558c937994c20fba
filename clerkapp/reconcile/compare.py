"""How two records of one conviction may differ and still be one: dates of birth, code
sections, conviction dates, levels, dispositions, identifiers. Pure functions over the
store's text values."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

CONVICTION_DATE_DAYS = 31  # a sentence date one file gives and a plea date another gives
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def norm_id(value: str | None) -> str:
    """A CII, SSN or driver's licence number as comparable text: upper case letters and
    digits only; '' when it holds no digit (`NULL`, `N/A`) or only zeros."""
    if not value:
        return ""
    if value.isdigit():
        return value if value.strip("0") else ""
    s = _NOT_ALNUM.sub("", str(value).upper())
    digits = [ch for ch in s if ch.isdigit()]
    if not digits or all(ch == "0" for ch in digits):
        return ""
    return s


def norm_ssn(value: str | None) -> str:
    """Nine digits, or '' for anything that cannot be a real SSN (placeholder 999999999, a
    run of one digit, area 000)."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) != 9 or len(set(digits)) == 1 or digits.startswith("000"):
        return ""
    return digits


@lru_cache(maxsize=131072)
def _parts(iso: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) with 0 for a part the text lacks; None for no date."""
    if not iso:
        return None
    bits = iso.split("-")
    try:
        year = int(bits[0])
        month = int(bits[1]) if len(bits) > 1 else 0
        day = int(bits[2]) if len(bits) > 2 else 0
    except ValueError:
        return None
    return year, month, day


@lru_cache(maxsize=131072)
def dob_key(iso: str | None) -> str:
    """The blocking key of a full date of birth: year, then the smaller and larger of month
    and day, so a day and month written the other way round give the same key. '' when the
    date is partial or missing."""
    p = _parts(iso)
    if not p or not p[1] or not p[2]:
        return ""
    low, high = sorted((p[1], p[2]))
    return f"{p[0]}:{low}:{high}"


@lru_cache(maxsize=131072)
def dob_year(iso: str | None) -> str:
    p = _parts(iso)
    return str(p[0]) if p else ""


@lru_cache(maxsize=131072)
def dob_relation(a: str | None, b: str | None) -> str:
    """`same`, `transposed` (day and month swapped), `partial` (one gives only the year or
    year and month, and they agree), `missing`, or `different`."""
    pa, pb = _parts(a), _parts(b)
    if not pa or not pb:
        return "missing"
    if pa == pb:
        return "same"
    if pa[0] == pb[0] and pa[1] == pb[2] and pa[2] == pb[1] and pa[1] and pa[2]:
        return "transposed"
    if pa[0] == pb[0] and (not pa[1] or not pb[1] or (pa[1] == pb[1] and (not pa[2] or not pb[2]))):
        return "partial"
    return "different"


@lru_cache(maxsize=131072)
def day_number(iso: str | None) -> int | None:
    """The date's ordinal for a full date; None for partial or missing."""
    p = _parts(iso)
    if not p or not p[1] or not p[2]:
        return None
    try:
        return date(*p).toordinal()
    except ValueError:
        return None


def dates_close(a: str | None, b: str | None, days: int = CONVICTION_DATE_DAYS) -> bool | None:
    """Conviction dates within `days` of each other; a partial date agrees with any date in
    its month or year. None when either is missing."""
    if not a or not b:
        return None
    if a == b:
        return True
    da, db = day_number(a), day_number(b)
    if da is not None and db is not None:
        return abs(da - db) <= days
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def section_relation(a: tuple[str, str, str], b: tuple[str, str, str]) -> str:
    """(code, number, subs as 'a,2') of two records: `same`, `compatible` (one names a
    subsection the other leaves open: HS 11357 and HS 11357(c)), `different` or `unknown`."""
    code_a, number_a, subs_a = a
    code_b, number_b, subs_b = b
    if not number_a or not number_b:
        return "unknown"
    if number_a != number_b or (code_a and code_b and code_a != code_b):
        return "different"
    if subs_a == subs_b:
        return "same"
    la = subs_a.split(",") if subs_a else []
    lb = subs_b.split(",") if subs_b else []
    shorter = min(len(la), len(lb))
    return "compatible" if la[:shorter] == lb[:shorter] else "different"


_DISPOSITION_CLASSES = (
    ("dismissed", ("DISMISS", "DROPPED", "NOLLE", "NOT PROSECUTED")),
    ("acquitted", ("ACQUIT", "NOT GUILTY")),
    ("convicted", ("CONVICT", "GUILTY", "PLEA", "NOLO", "SENTENCE", "PROBATION", "JAIL",
                   "PRISON", "FINE")),
)


@lru_cache(maxsize=4096)
def disposition_class(text: str | None) -> str:
    """`convicted`, `dismissed`, `acquitted` or '' (unknown): what two files' wordings of a
    disposition are compared by."""
    if not text:
        return ""
    upper = text.upper()
    for name, words in _DISPOSITION_CLASSES:
        if any(w in upper for w in words):
            return name
    return ""
