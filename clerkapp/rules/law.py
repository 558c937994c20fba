"""The law's lists (super strikes, PC 290(c) offenses, related offenses, facts in the text that
keep a felony) loaded from data files.

The lists change with the law, so they live in `resources/law/*.json` with their citations;
this module only reads them and matches a normalized section against them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from clerkapp.paths import RESOURCES_DIR

LAW_DIR = RESOURCES_DIR / "law"

_ENTRY = re.compile(r"^\s*([A-Z]{1,3})\s+([0-9][0-9A-Za-z.*]*)((?:\([0-9A-Za-z]+\))*)\s*$")


class Match(Enum):
    NO = 0
    MAYBE = 1  # the record lacks the subsection (or enhancement) that decides
    YES = 2


@dataclass(frozen=True)
class SectionRef:
    """A section as the engine compares it: code, number, lowercase subsections."""

    code: str
    number: str
    subs: tuple[str, ...] = ()
    attempted: bool = False
    conspiracy: bool = False

    @property
    def text(self) -> str:
        prefix = ("attempted conspiracy to commit " if self.attempted and self.conspiracy else
                  "attempted " if self.attempted else
                  "conspiracy to commit " if self.conspiracy else "")
        return prefix + f"{self.code} {self.number}" + "".join(f"({s})" for s in self.subs)


def parse_ref(text: str) -> SectionRef:
    """Parse a normalized section text (`PC 288(b)(1)`) as the law files and the store hold it."""
    m = _ENTRY.match(text)
    if not m:
        raise ValueError(f"not a normalized section: {text!r}")
    subs = tuple(s.lower() for s in re.findall(r"\(([0-9A-Za-z]+)\)", m.group(3)))
    return SectionRef(m.group(1).upper(), m.group(2).lower(), subs)


@dataclass(frozen=True)
class ListEntry:
    ref: SectionRef
    attempts: bool = False
    needs_enhancement: bool = False
    # a fact the statute adds that records rarely show (PC 207: "with intent to commit a listed
    # sex offense"): a match is only MAYBE, and the reason states the condition
    condition: str = ""
    citation: str = ""  # this entry's own paragraph, when the list's citation is wider

    def match(self, s: SectionRef) -> Match:
        """YES when `s` is this entry or one of its subsections; MAYBE when the record stops
        short of the subsection that decides (PC 288 against PC 288(a))."""
        if s.code != self.ref.code:
            return Match.NO
        number = self.ref.number
        if number.endswith("*"):
            if not s.number.startswith(number[:-1]):
                return Match.NO
        elif s.number != number:
            return Match.NO
        if s.conspiracy or (s.attempted and not self.attempts):
            return Match.MAYBE
        want = self.ref.subs
        have = s.subs
        if have[: len(want)] == want:
            return Match.MAYBE if self.needs_enhancement or self.condition else Match.YES
        if len(have) < len(want) and want[: len(have)] == have:
            return Match.MAYBE
        return Match.NO


@dataclass(frozen=True)
class LawList:
    name: str
    citation: str
    source: str
    entries: tuple[ListEntry, ...]

    def __post_init__(self) -> None:
        # entries by (code, number), wildcards apart, and a memo: a million convictions hold
        # only a few thousand distinct sections
        exact: dict[tuple[str, str], list[ListEntry]] = {}
        wild: list[ListEntry] = []
        for e in self.entries:
            if e.ref.number.endswith("*"):
                wild.append(e)
            else:
                exact.setdefault((e.ref.code, e.ref.number), []).append(e)
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_wild", tuple(wild))
        object.__setattr__(self, "_memo", {})

    def match(self, s: SectionRef) -> Match:
        memo = self._memo
        found = memo.get(s)
        if found is not None:
            return found
        best = Match.NO
        for entry in (*self._exact.get((s.code, s.number), ()), *self._wild):
            m = entry.match(s)
            if m is Match.YES:
                best = m
                break
            if m is Match.MAYBE:
                best = m
        if len(memo) < 50_000:
            memo[s] = best
        return best

    def entry_for(self, s: SectionRef) -> ListEntry | None:
        """The entry behind `match(s)` (the first YES, else a MAYBE, one with a condition
        first), for the words
        and the paragraph a reason cites; None when nothing matches."""
        maybe = None
        for entry in (*self._exact.get((s.code, s.number), ()), *self._wild):
            m = entry.match(s)
            if m is Match.YES:
                return entry
            if m is Match.MAYBE and (maybe is None or (entry.condition and not maybe.condition)):
                maybe = entry  # a stated condition says more than "a subsection is missing"
        return maybe

    def cite(self, s: SectionRef) -> str:
        """The citation for a match of `s`: its entry's own paragraph, else the list's."""
        entry = self.entry_for(s)
        return entry.citation if entry is not None and entry.citation else self.citation


def _load(path: Path, *, key: str | None = None) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data[key] if key else data


def _law_list(data: dict, name: str) -> LawList:
    attempts_all = bool(data.get("attempts", False))
    entries = []
    for raw in data["entries"]:
        if isinstance(raw, str):
            raw = {"section": raw}
        entries.append(ListEntry(
            parse_ref(raw["section"]),
            attempts=bool(raw.get("attempts", attempts_all)),
            needs_enhancement=bool(raw.get("needs_enhancement", False)),
            condition=str(raw.get("condition", "")),
            citation=str(raw.get("citation", "")),
        ))
    return LawList(data.get("name", name), data["citation"], data["source"], tuple(entries))


@dataclass(frozen=True)
class FactRule:
    """A fact the charge text may state that keeps a section a possible felony
    (`felony_facts.json`): the sections it concerns, the paragraph, the words that show it."""

    id: str
    sections: tuple[SectionRef, ...]
    citation: str
    fact: str
    patterns: tuple[re.Pattern[str], ...]
    same_case: bool = False

    def concerns(self, s: SectionRef) -> bool:
        return any(s.code == r.code and s.number == r.number and s.subs[:len(r.subs)] == r.subs
                   for r in self.sections)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_memo", {})  # texts repeat across a county's convictions

    def find(self, text: str | None) -> bool:
        if not text:
            return False
        memo = self._memo
        found = memo.get(text)
        if found is None:
            found = any(p.search(text) for p in self.patterns)
            if len(memo) < 50_000:
                memo[text] = found
        return found


def _fact_rules(data: dict) -> tuple[FactRule, ...]:
    return tuple(FactRule(
        id=raw["id"], sections=tuple(parse_ref(x) for x in raw["sections"]),
        citation=raw["citation"], fact=raw["fact"],
        patterns=tuple(re.compile(p, re.I) for p in raw["patterns"]),
        same_case=bool(raw.get("same_case", False)),
    ) for raw in data["facts"])


@dataclass(frozen=True)
class Law:
    super_strikes: LawList
    pc290: LawList
    registration: LawList  # the sections whose registration is PC 290 registration
    environmental: LawList
    plea_bargain: LawList
    remaining_felony: LawList
    felony_facts: tuple[FactRule, ...] = ()


@lru_cache(maxsize=4)
def load_law(law_dir: Path = LAW_DIR) -> Law:
    """Read the law files once per process."""
    strikes = _load(law_dir / "super_strikes.json")
    pc290 = _load(law_dir / "pc290.json")
    related = _load(law_dir / "related_offenses.json")
    registration = {
        "citation": pc290["citation"], "source": pc290["source"],
        "entries": pc290["registration_sections"],
    }
    return Law(
        super_strikes=_law_list(strikes, "Super strikes"),
        pc290=_law_list(pc290, "PC 290(c)"),
        registration=_law_list(registration, "PC 290 registration"),
        environmental=_law_list(related["environmental"], "Environmental violations"),
        plea_bargain=_law_list(related["plea_bargain"], "Possible plea bargains"),
        remaining_felony=_law_list(related["remaining_felony"], "Subsections still felonies"),
        felony_facts=_fact_rules(_load(law_dir / "felony_facts.json")),
    )
