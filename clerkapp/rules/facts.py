"""Facts the offense or comment text states that keep an 11358-11360 felony a possible felony
(HS 11358(d)(3)(F), 11359(c)(3), 11359(d), 11360(a)(3)(C)-(D)), read with the patterns of
`resources/law/felony_facts.json`. The records seldom name those subsections; when the text
states the fact ("FURNISH MARIJ TO MINOR") the conviction goes to review with the text
quoted: a person decides, the engine never redesignates it silently."""

from __future__ import annotations

from clerkapp.domain.outcomes import Reason
from clerkapp.rules.exceptions import Finding
from clerkapp.rules.history import Conviction, PersonHistory
from clerkapp.rules.law import FactRule, Law

QUOTE_MAX = 120


def text_facts(c: Conviction, person: PersonHistory, law: Law, *,
               kinds: frozenset[str]) -> list[Finding]:
    """Review findings for each fact of `kinds` ("felony" for 11359/11360, "environmental"
    for 11358) that the texts state."""
    found = []
    for rule in _by_number(law.felony_facts).get(c.section.number, ()):
        if not rule.concerns(c.section) or _kind(rule) not in kinds:
            continue
        where = _stated(rule, c, person)
        if where is not None:
            place, text = where
            found.append(Finding("review", Reason(
                "text_fact", f'{place} reads "{_quote(text)}": it may state {rule.fact},'
                f" which keeps {rule.citation} a possible felony; check the court file",
                rule.citation)))
    return found


_BY_NUMBER: dict[int, dict[str, tuple[FactRule, ...]]] = {}


def _by_number(rules: tuple[FactRule, ...]) -> dict[str, tuple[FactRule, ...]]:
    """The rules by the section number they concern, worked out once per law (by identity:
    hashing the rules on every call would cost more than reading them)."""
    known = _BY_NUMBER.get(id(rules))
    if known is None:
        found: dict[str, list[FactRule]] = {}
        for rule in rules:
            for number in {s.number for s in rule.sections}:
                found.setdefault(number, []).append(rule)
        known = _BY_NUMBER[id(rules)] = {n: tuple(r) for n, r in found.items()}
    return known


def _kind(rule: FactRule) -> str:
    return "environmental" if rule.citation.startswith("HS 11358") else "felony"


def _stated(rule: FactRule, c: Conviction, person: PersonHistory) -> tuple[str, str] | None:
    for place, text in (("The offense text", c.raw_offense), ("The comment", c.comment_text)):
        if rule.find(text):
            return place, text
    if rule.same_case:
        for p in person.convictions:
            if p.id != c.id and p.same_case(c):
                for text in (p.raw_offense, p.comment_text):
                    if rule.find(text):
                        return f"The same case's conviction {p.label}", text
    return None


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX - 1] + "…"
