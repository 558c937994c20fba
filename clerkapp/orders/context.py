"""The values a template's placeholders are filled with: court profile, counts, conditions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clerkapp.orders.templates import Template
from clerkapp.store.orders import OrderCounts, OrderRow

# "Dept. 100", "DEPT 3B", "Department 7": the clerk typed the word already
_DEPARTMENT_WORD = re.compile(r"(dept|department)(?![a-z])", re.IGNORECASE)


def department_title(department: str, word: str) -> str:
    """The department as printed: as typed when it already starts with "Dept"/"Department",
    else the template's word before it ("12" -> "Department 12"); empty when not set."""
    if not department or _DEPARTMENT_WORD.match(department):
        return department
    return f"{word} {department}".strip()


def court_values(profile: Mapping[str, Any], template: Template, order_date: str) -> dict[str, str]:
    """Placeholders every order shares, from `store.settings_group("Court profile")`."""
    def get(key: str) -> str:
        return str(profile.get(key) or "").strip()

    county = get("court.county")
    name = get("court.name")
    return {
        "court.name": name,
        "court.name_upper": name.upper(),
        "court.county": county,
        "court.county_upper": county.upper(),
        "court.address": get("court.address"),
        "court.department": get("court.department"),
        "court.department_title": department_title(
            get("court.department"), str(template.get("caption.department_word", "Department"))),
        "court.judge": get("court.judge"),
        "court.clerk": get("court.clerk"),
        "judge.name": get("court.judge"),
        "clerk.name": get("court.clerk"),
        "order.date": order_date,
        "order.number": "",  # the run gives each order its own (orders/numbering.py)
        "order.supersedes": "",  # the orders a printing with --supersede replaces
        # the audit chain's head when printed (`#id hash`): compare with `clerkapp verify`
        "audit.head": "",
        "template.name": template.name,
        "template.version": template.version,
        "template.title": template.title,
        "hs11590.authority": str(template.get("hs11590.authority", "") or "").strip(),
    }


def noun(n: int, one: str, many: str) -> str:
    """The noun after a count on an order: "1 conviction", "2 convictions"."""
    return one if n == 1 else many


@dataclass
class Tally:
    """Counts by relief, and which order paragraphs apply, accumulated row by row."""

    hs11590_sections: frozenset[str] = frozenset()
    hs11590_on: bool = False  # the court's switch in the template, off by default
    outcomes: Counter[str] = field(default_factory=Counter)
    resentenced: int = 0
    completed: int = 0  # sentence complete (HS 11361.8(e)-(f)): dismissed or redesignated
    redesignated: int = 0
    hs11590: int = 0
    people: int = 0
    cases: int = 0
    total: int = 0
    printed_before: int = 0
    sources: set[str] = field(default_factory=set)  # the kinds of list the lines came from
    superseding: bool = False  # the order replaces orders in force (printed with --supersede)
    _people: set[int] = field(default_factory=set)
    _cases: set[tuple[int, str]] = field(default_factory=set)

    def add_group(self, outcome: str, remedy: str, section_number: str, n: int = 1) -> None:
        self.total += n
        self.outcomes[outcome] += n
        if remedy == "resentence":
            self.resentenced += n
        else:
            self.completed += n
            if outcome != "dismiss_and_seal":
                self.redesignated += n
        if section_number in self.hs11590_sections:
            self.hs11590 += n

    def add_all(self, rows: Iterable[OrderRow]) -> Tally:
        people, cases = set(), set()
        for row in rows:
            self.sources.add(row.source_kind or "court")
            self.add_group(row.outcome, row.remedy, row.section_number)
            people.add(row.person_id)
            cases.add(row.case_key)
        self.people += len(people)
        self.cases += len(cases)
        return self

    def add_exhibit_row(self, row: tuple) -> None:
        """Count one `OrderStore.iter_exhibit_rows` tuple while the exhibit is drawn."""
        self.add_group(row[8], row[9], row[10])
        self._people.add(row[11])
        self._cases.add((row[11], row[1].upper()))
        self.printed_before += row[12]

    def finish_rows(self) -> Tally:
        self.people += len(self._people)
        self.cases += len(self._cases)
        self._people, self._cases = set(), set()
        return self

    def add_counts(self, counts: OrderCounts) -> Tally:
        for outcome, remedy, section_number, n in counts.groups:
            self.add_group(outcome, remedy, section_number, n)
        self.people += counts.people
        self.cases += counts.cases
        return self

    def values(self) -> dict[str, str]:
        return {
            "counts.total": f"{self.total:,}",
            "counts.dismissed": f"{self.outcomes['dismiss_and_seal']:,}",
            "counts.misdemeanor": f"{self.outcomes['redesignate_misdemeanor']:,}",
            "counts.infraction": f"{self.outcomes['redesignate_infraction']:,}",
            "counts.resentenced": f"{self.resentenced:,}",
            "counts.redesignated": f"{self.redesignated:,}",
            "counts.people": f"{self.people:,}",
            "counts.convictions_noun": noun(self.total, "conviction", "convictions"),
            "counts.people_noun": noun(self.people, "person", "people"),
            "counts.cases": f"{self.cases:,}",
        }

    def applies(self, when: str) -> bool:
        """Whether an order paragraph with this `when` belongs on the order."""
        if when.startswith("source_"):  # true of every conviction on the order, or not said
            return self.sources == {when.removeprefix("source_")}
        return {
            "always": True,
            "dismissed": self.outcomes["dismiss_and_seal"] > 0,
            "redesignated": self.redesignated > 0,
            "resentenced": self.resentenced > 0,
            "completed": self.completed > 0,
            "hs11590": self.hs11590_on and self.hs11590 > 0,
            "supersedes": self.superseding,
        }[when]


def tally_for(template: Template) -> Tally:
    sections = template.get("orders.hs11590_sections", ["11357", "11358", "11359", "11360"])
    return Tally(hs11590_sections=frozenset(str(s) for s in sections),
                 hs11590_on=template.get("hs11590.enabled", False) is True)
