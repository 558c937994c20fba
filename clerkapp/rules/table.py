"""The statute's decision table (prop64-rules.md, step 4) as data: section kind, level and age
band pick the outcome. The engine looks rows up; it holds no `if` per offense.

Section kinds read old (pre-2016) numbering, since only offenses before 2016-11-09 get here:
old 11357(a) concentrate, (b) 28.5 g or less, (c) more than 28.5 g, (d)/(e) school grounds.
A conviction entered after Prop 64 may carry the new numbering, where 11357(b) is more than
28.5 g ((b)(1) under 18, (b)(2) 18 or older): old (b) never had paragraphs, so (b)(1)/(b)(2)
is new numbering; a bare (b) convicted on or after 2016-11-09 could be either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from clerkapp.domain.dates import DateRange
from clerkapp.domain.outcomes import Outcome
from clerkapp.rules.law import SectionRef

UNDER_18, AGE_18_20, AGE_21_PLUS = "under 18", "18 to 20", "21 or older"
BANDS = (UNDER_18, AGE_18_20, AGE_21_PLUS)
ADULT = frozenset({AGE_18_20, AGE_21_PLUS})
MINOR_OR_YOUNG = frozenset({UNDER_18, AGE_18_20})
ANY_LEVEL = frozenset({"F", "M", "I"})

K57_SMALL, K57_CONC, K57_OVER, K57_SCHOOL, K57_NONE, K57_OTHER = (
    "11357 28.5 g or less", "11357 concentrate", "11357 more than 28.5 g",
    "11357 school grounds", "11357 no subsection", "11357 other subsection",
)
K58, K59, K60A, K60B, K60_NONE, K60_OTHER = (
    "11358", "11359", "11360(a)", "11360(b)", "11360 no subsection", "11360 other subsection",
)
K57_ALL = frozenset({K57_SMALL, K57_CONC, K57_OVER, K57_SCHOOL, K57_NONE, K57_OTHER})


@dataclass(frozen=True)
class Row:
    kinds: frozenset[str]
    levels: frozenset[str]
    bands: frozenset[str]
    outcome: Outcome | None  # None: the policy option named in `option` decides
    text: str
    citation: str
    exceptions: bool = False  # the step-5 exceptions can make it not_eligible
    option: str | None = None


def _row(kinds, levels, bands, outcome, text, citation, **kw) -> Row:
    return Row(frozenset(kinds), frozenset(levels), frozenset(bands), outcome, text, citation, **kw)


TABLE: tuple[Row, ...] = (
    _row({K57_SMALL}, ANY_LEVEL, {AGE_21_PLUS}, Outcome.DISMISS_AND_SEAL,
         "Possession of 28.5 g or less by a person 21 or older is lawful today",
         "HS 11361.8(e); HS 11362.1"),
    _row({K57_SMALL}, {"F", "M"}, MINOR_OR_YOUNG, Outcome.REDESIGNATE_INFRACTION,
         "Possession of 28.5 g or less under 21 is an infraction today",
         "HS 11361.8(e); HS 11357(a)(1)-(2)"),
    _row({K57_SMALL}, {"I"}, MINOR_OR_YOUNG, Outcome.NOT_ELIGIBLE,
         "Possession of 28.5 g or less under 21 is still an infraction", "HS 11357(a)(1)-(2)"),
    _row({K57_CONC, K57_NONE}, {"F"}, ADULT, Outcome.REDESIGNATE_MISDEMEANOR,
         "Felony possession by a person 18 or older is at most a misdemeanor today",
         "HS 11361.8(e); HS 11357(b)(2)"),
    _row(K57_ALL, {"F", "M"}, {UNDER_18}, Outcome.REDESIGNATE_INFRACTION,
         "Possession under 18 is an infraction today", "HS 11361.8(e); HS 11357(a)(1)"),
    _row({K57_OVER, K57_SCHOOL}, {"M"}, ADULT, Outcome.NEEDS_REVIEW,
         "Possession of more than 28.5 g or on school grounds at 18 or older is still a"
         " misdemeanor unless the facts show less", "HS 11357(b)(2), (c)"),
    _row({K57_NONE}, {"M", "I"}, {AGE_21_PLUS}, None,
         "Possession with no subsection recorded, by a person 21 or older",
         "HS 11361.8(e); HS 11362.1", option="unspecified_11357"),
    _row({K58}, {"F"}, ADULT, Outcome.REDESIGNATE_MISDEMEANOR,
         "Felony cultivation by a person 18 or older is a misdemeanor today",
         "HS 11361.8(e); HS 11358(c)", exceptions=True),
    _row({K58}, {"F", "M"}, {UNDER_18}, Outcome.REDESIGNATE_INFRACTION,
         "Cultivation under 18 is an infraction today", "HS 11361.8(e); HS 11358(a)"),
    _row({K58}, {"M"}, ADULT, Outcome.NOT_ELIGIBLE,
         "A misdemeanor cultivation at 18 or older is the same level today (old HS 11358 was"
         " a straight felony, so a misdemeanor level here is unusual)", "HS 11358(c)"),
    _row({K59}, {"F"}, ADULT, Outcome.REDESIGNATE_MISDEMEANOR,
         "Felony possession for sale by a person 18 or older is a misdemeanor today",
         "HS 11361.8(e); HS 11359(b)", exceptions=True),
    _row({K60A, K60_NONE}, {"F"}, ADULT, Outcome.REDESIGNATE_MISDEMEANOR,
         "Felony sale or transport by a person 18 or older is a misdemeanor today",
         "HS 11361.8(e); HS 11360(a)(2)", exceptions=True),
    _row({K59}, {"F", "M"}, {UNDER_18}, Outcome.REDESIGNATE_INFRACTION,
         "Possession for sale under 18 is an infraction today", "HS 11361.8(e); HS 11359(a)"),
    _row({K60A}, {"F", "M"}, {UNDER_18}, Outcome.REDESIGNATE_INFRACTION,
         "Sale or transport under 18 is an infraction today", "HS 11361.8(e); HS 11360(a)(1)"),
    _row({K59}, {"M"}, ADULT, Outcome.NOT_ELIGIBLE,
         "A misdemeanor possession for sale at 18 or older is the same level today",
         "HS 11359(b)"),
    _row({K60A}, {"M"}, ADULT, Outcome.NOT_ELIGIBLE,
         "A misdemeanor sale or transport at 18 or older is the same level today",
         "HS 11360(a)(2)"),
    _row({K60B}, ANY_LEVEL, {AGE_21_PLUS}, Outcome.DISMISS_AND_SEAL,
         "Giving away or transporting 28.5 g or less by a person 21 or older is lawful today",
         "HS 11361.8(e); HS 11362.1"),
    _row({K60B}, {"F", "M"}, MINOR_OR_YOUNG, Outcome.REDESIGNATE_INFRACTION,
         "Giving away or transporting 28.5 g or less under 21 is an infraction today",
         "HS 11361.8(e); HS 11360(b)"),
)

_SMALL_TEXT = re.compile(
    r"(LESS\s+THAN|UNDER|NOT\s+OVER|NOT\s+MORE\s+THAN|<|LT)\s*(1\s*OZ|28\.5)"
    r"|(1\s*OZ|28\.5\s*(G|GM|GMS|GRAMS?)?)\.?\s*(OR\s+LESS|OR\s+UNDER|&\s*UNDER)", re.I)
_OVER_TEXT = re.compile(r"(OVER|MORE\s+THAN|>|GT)\s*(1\s*OZ|28\.5)", re.I)


def section_kind(s: SectionRef, text: str | None) -> str:
    """Which table kind a cannabis section is; the offense text can show the amount."""
    first = s.subs[0] if s.subs else None
    if s.number == "11357":
        if first is None:
            return _amount_shown(text) or K57_NONE
        if first == "b" and len(s.subs) > 1:
            return K57_OVER  # (b)(1), (b)(2): new numbering, more than 28.5 g
        return {"a": K57_CONC, "b": K57_SMALL, "c": K57_OVER, "d": K57_SCHOOL,
                "e": K57_SCHOOL}.get(first, K57_OTHER)
    if s.number == "11358":
        return K58
    if s.number == "11359":
        return K59
    if first is None:
        return K60_NONE
    return {"a": K60A, "b": K60B}.get(first, K60_OTHER)


def candidate_kinds(s: SectionRef, text: str | None, convicted: DateRange | None,
                    cutoff: date) -> tuple[tuple[str, ...], str]:
    """The kinds the section may be, and why when more than one: a bare 11357(b) convicted on
    or after `cutoff` may use either numbering unless the offense text shows the amount."""
    kind = section_kind(s, text)
    if s.number != "11357" or s.subs[:1] != ("b",):
        return (kind,), ""
    shown = _amount_shown(text)
    if len(s.subs) > 1 and shown == K57_SMALL:
        return (K57_SMALL, K57_OVER), (
            f"HS {s.number}({')('.join(s.subs)}) is more than 28.5 g in the new numbering, but"
            " the offense text reads 28.5 g or less")
    if len(s.subs) == 1 and convicted is not None and convicted.last >= cutoff:
        if shown:
            return (shown,), ""
        return (K57_SMALL, K57_OVER), (
            f"HS 11357(b) convicted on or after {cutoff.isoformat()} ({convicted.text}) may use"
            " the new numbering (more than 28.5 g) or the old (28.5 g or less); the amount"
            " decides and the record does not show it")
    return (kind,), ""


def _amount_shown(text: str | None) -> str | None:
    if text and _SMALL_TEXT.search(text):
        return K57_SMALL
    if text and _OVER_TEXT.search(text):
        return K57_OVER
    return None


def lookup(kind: str, level: str, band: str) -> Row | None:
    """The first row that covers the case, or None (the engine sends it to review)."""
    for row in TABLE:
        if kind in row.kinds and level in row.levels and band in row.bands:
            return row
    return None
