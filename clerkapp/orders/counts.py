"""What an order says about each count: the case's own count number, and the offense and
level the count becomes ("HS 11359(b), misdemeanor").

The resulting offense comes from the law, kept as data with citations in
`resources/law/resulting_offenses.json`; where the record does not settle the subsection (age
unknown where it decides, amount not shown) the order names the section and level only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from clerkapp.domain.outcomes import LEVEL_AFTER
from clerkapp.paths import RESOURCES_DIR

RESULTING_FILE = RESOURCES_DIR / "law" / "resulting_offenses.json"
LEVEL_OF_OUTCOME = LEVEL_AFTER  # the level each redesignation gives (domain.outcomes)
LEVEL_WORDS = {"M": "misdemeanor", "I": "infraction"}
UNDER_18, AGE_18_20, AGE_21_PLUS = "under 18", "18 to 20", "21 or older"


def count_number(count_key: str | None) -> str:
    """The count's number in its case, where the record has one: a DOJ `CNT_ORDER`
    (`CCCSSSNNN000`: cycle, step, count) gives NNN; a court sheet's own count ("2", "3A")
    is shown as given. "" when there is none (never a made-up row number)."""
    key = (count_key or "").strip()
    if len(key) == 12 and key.isdigit():
        number = int(key[6:9])
        return str(number) if number else ""
    if key.isdigit() and len(key) <= 4:
        return str(int(key))
    if 0 < len(key) <= 6 and key[0].isdigit():
        return key
    return ""


def age_band(dob: str | None, on: str | None) -> str | None:
    """The age band on a date, or None when a full date of birth or the date is missing."""
    born, at = _iso(dob), _iso(on)
    if born is None or at is None:
        return None
    age = at.year - born.year - ((at.month, at.day) < (born.month, born.day))
    return UNDER_18 if age < 18 else AGE_18_20 if age < 21 else AGE_21_PLUS


def _iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10]) if text and len(text) >= 10 else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Entry:
    section: str
    subs: frozenset[str] | None  # first subsection letters; None = any
    level: str
    age: str | None
    result: str
    citation: str

    def matches(self, section: str, first_sub: str, level: str, band: str | None) -> bool:
        return (self.section == section and self.level == level
                and (self.subs is None or first_sub in self.subs)
                and (self.age is None or self.age == band))


@dataclass(frozen=True)
class Resulting:
    """The offense a count becomes: `text` as printed, `citation` from the data file."""

    text: str
    citation: str = ""


class ResultingOffenses:
    """Looks up what a count becomes; the same few answers repeat over 66,000 rows, so each
    distinct question is answered once."""

    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries
        self.age_matters = {(e.section, e.level) for e in entries if e.age is not None}
        self._cache: dict[tuple, Resulting] = {}

    def needs_age(self, outcome: str, section_number: str) -> bool:
        """Whether the answer for this outcome and section depends on the age at the offense."""
        return (section_number, LEVEL_OF_OUTCOME.get(outcome)) in self.age_matters

    def of(self, outcome: str, section_number: str, section_subs: str, *, dob: str = "",
           offense_date: str = "", conviction_date: str = "", attempted: bool = False,
           conspiracy: bool = False) -> Resulting:
        level = LEVEL_OF_OUTCOME.get(outcome)
        if level is None:  # dismissed: nothing remains
            return Resulting("")
        first = (section_subs or "").split(",")[0].strip().lower()
        band = None
        if (section_number, level) in self.age_matters:
            band = age_band(dob, offense_date or conviction_date)
        key = (level, section_number, first, band, attempted, conspiracy)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._lookup(*key)
        return found

    def _lookup(self, level: str, section: str, first: str, band: str | None,
                attempted: bool, conspiracy: bool) -> Resulting:
        entry = next((e for e in self.entries if e.matches(section, first, level, band)), None)
        offense = entry.result if entry else f"HS {section}"
        prefix = "PC 664/" if attempted else ""
        prefix += "PC 182/" if conspiracy else ""
        return Resulting(f"{prefix}{offense}, {LEVEL_WORDS[level]}",
                         entry.citation if entry else "")


@lru_cache(maxsize=4)
def load_resulting(path: Path = RESULTING_FILE) -> ResultingOffenses:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = tuple(
        Entry(section=str(e["section"]),
              subs=frozenset(str(s).lower() for s in e["from"]) if "from" in e else None,
              level=str(e["level"]), age=e.get("age"), result=str(e["result"]),
              citation=str(e.get("citation", "")))
        for e in data["entries"])
    return ResultingOffenses(entries)
