"""Court case numbers written the many ways files write them, reduced to comparable keys.

The DOJ file's `OFN` reads `BA123456`, the court's export `BA-0123456-01` (a count suffix),
another system `LA BA123456` (a court prefix) or `CASE NO. 0123456`. `case_keys` gives the
exact keys under which two spellings of one case number meet; `case_numbers_agree` compares
the numbers of two records. Pure: no store, no files.
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"^\s*(?:CASE|DOCKET|COURT)?\s*(?:NO|NUM|NUMBER|NBR|#)?[.:#\s]*", re.IGNORECASE)
# a count or defendant suffix: `-01`, `-1`, ` CT 2`, `.02`, `/3`, `-A` after the main number
_SUFFIX = re.compile(r"(?:[-./\s]+(?:CT|CNT|COUNT|DEF|D)?\s*\d{1,2}|[-/]\s*[A-Z])\s*$",
                     re.IGNORECASE)
_GROUPS = re.compile(r"[A-Z]+|\d+")
_NULLS = frozenset({"", "NULL", "NONE", "N/A", "NA", "UNKNOWN", "UNK", "0"})
MIN_CORE_DIGITS = 4  # a shorter digit run is too common to identify a case on its own


def _groups(text: str | None) -> list[str]:
    """The number's letter and digit groups, label and count suffix dropped."""
    if text is None:
        return []
    s = str(text).strip().upper()
    if s in _NULLS:
        return []
    s = _LABEL.sub("", s, count=1)
    stripped = _SUFFIX.sub("", s)
    # only a suffix after a main number of its own (not `F 12` cut to `F`)
    if sum(map(str.isdigit, stripped)) >= MIN_CORE_DIGITS:
        s = stripped
    return _GROUPS.findall(s)


def normalize_case_number(text: str | None) -> str:
    """`ba-0123456-01` -> `BA123456`: upper case, label and count suffix dropped, separators
    removed, leading zeros of each digit group dropped. '' when nothing is left."""
    return "".join((g.lstrip("0") or "0") if g.isdigit() else g for g in _groups(text))


def case_core(text: str | None) -> str:
    """The case number's longest digit group without leading zeros (`LA BA0123456` ->
    `123456`, `CR-2015-001234` and `15CR001234` -> `1234`): what survives a court prefix or
    year one system adds and another drops. '' when shorter than MIN_CORE_DIGITS."""
    runs = [g for g in _groups(text) if g.isdigit()]
    if not runs:
        return ""
    core = max(runs, key=len).lstrip("0")
    return core if len(core) >= MIN_CORE_DIGITS else ""


# the common shape, `BA0123456`: letters then digits, nothing to strip but leading zeros
_PLAIN = re.compile(r"([A-Z]*)0*(\d+)")


def case_keys(numbers: list[str] | tuple[str, ...] | set[str]) -> frozenset[str]:
    """Every key of every number a record gives: the normalized number, and its digit core
    marked `#` (`#123456`)."""
    keys: set[str] = set()
    for number in numbers:
        plain = _PLAIN.fullmatch(number.strip().upper())
        if plain is not None:
            letters, digits = plain.groups()
            if letters or digits != "0":
                keys.add(letters + digits)
                if len(digits) >= MIN_CORE_DIGITS:
                    keys.add("#" + digits)
            continue
        full = normalize_case_number(number)
        if full:
            keys.add(full)
            core = case_core(number)
            if core:
                keys.add("#" + core)
    return frozenset(keys)


def strong_case_keys(keys: frozenset[str]) -> frozenset[str]:
    """The normalized numbers alone (no digit cores): what is safe to look a case up by
    across people, where a bare digit run could be anyone's."""
    return frozenset(k for k in keys if not k.startswith("#"))


def case_numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two records' case keys (`case_keys`) share a number."""
    return not a.isdisjoint(b)
