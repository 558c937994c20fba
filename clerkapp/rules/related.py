"""Related charges shown on a cannabis conviction: other convictions of the same case or
arrest cycle that suggest a plea bargain (PC 32, HS 11364, HS 11366, ... from
`related_offenses.json`, or a count whose comment alone names a cannabis section). They are
an information reason (`related_charges`) and the export's `related_charges` column; the
policy option `related_charges_review` sends such convictions to review instead."""

from __future__ import annotations

from dataclasses import replace

from clerkapp.domain.charges import parse_charge
from clerkapp.domain.outcomes import Outcome, Reason
from clerkapp.rules.history import CANNABIS_SECTIONS, Conviction, PersonHistory
from clerkapp.rules.law import Law, Match

CODE = "related_charges"
HEAD = "Related charges in the same case or arrest cycle (possibly a plea bargain): "


def related_charges(c: Conviction, person: PersonHistory, law: Law) -> Reason | None:
    """The info reason naming `c`'s related charges, or None when it has none."""
    found = [text for p, text in _candidates(person, law) if p.id != c.id and p.same_case(c)]
    if not found:
        return None
    return Reason(CODE, HEAD + "; ".join(found), law.plea_bargain.citation, "info")


def _candidates(person: PersonHistory, law: Law) -> tuple[tuple[Conviction, str], ...]:
    """The person's convictions that would be a related charge of a count in their case, each
    with the words naming it, in record order: worked out once per person (only the case and
    the count itself differ from one of their counts to the next)."""
    found = person.derived.get(CODE)
    if found is not None:
        return found
    out = []
    numbers = _numbers(law)
    for p in person.convictions:
        s = p.section
        if s is None or p.is_cannabis or \
                (numbers is not None and s.number not in numbers and not p.comment_text):
            continue
        listed = (numbers is None or s.number in numbers) and \
            law.plea_bargain.match(s) is Match.YES
        named = None if listed else names_cannabis(p.comment_text)
        if listed or named:
            out.append((p, p.label if listed else f"{p.label} (its comment names {named})"))
    found = person.derived[CODE] = tuple(out)
    return found


_NUMBERS: dict[int, frozenset[str] | None] = {}


def _numbers(law: Law) -> frozenset[str] | None:
    """The section numbers the plea-bargain list names: most convictions are ruled out by
    their number alone, before a list match (worked out once per law); None when the list
    has a wildcard entry and every number must be matched."""
    key = id(law.plea_bargain)
    if key not in _NUMBERS:
        numbers = [e.ref.number for e in law.plea_bargain.entries]
        _NUMBERS[key] = None if any(n.endswith("*") for n in numbers) else frozenset(numbers)
    return _NUMBERS[key]


def with_related(outcome: Outcome, reasons: list[Reason], c: Conviction,
                 person: PersonHistory, law: Law, *,
                 review: bool) -> tuple[Outcome, list[Reason]]:
    """`c`'s determination with its related charges shown, or sent to review when the policy
    says so (`related_charges_review`)."""
    found = related_charges(c, person, law)
    if found is None:
        return outcome, reasons
    if review and outcome not in (Outcome.NEEDS_REVIEW, Outcome.NOT_APPLICABLE):
        other = Reason("otherwise", f"Without the related charges the rules give:"
                       f" {outcome.label.lower()}", "", "info")
        return Outcome.NEEDS_REVIEW, [replace(found, kind="decisive"), other,
                                      *[replace(r, kind="info") for r in reasons]]
    return outcome, [*reasons, found]


def names_cannabis(text: str | None) -> str | None:
    """The cannabis section a comment names, as text (`HS 11359`), or None."""
    s = parse_charge(text) if text else None
    if s is not None and s.code == "HS" and s.number in CANNABIS_SECTIONS:
        return s.text
    return None
