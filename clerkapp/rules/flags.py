"""The clerk's-eye points that send a conviction to review whatever the rule table says:
importer flags (set aside under PC 1203.4, a sentence reading "see comment"), an offense text
and comment that name different cannabis sections, and a possible plea bargain (PC 32,
HS 11364, HS 11366 in the same case as a cannabis charge). Kept apart from the engine's steps
so each list of reasons can be read on its own."""

from __future__ import annotations

import re

from clerkapp.domain.outcomes import Reason
from clerkapp.domain.sections import parse_section
from clerkapp.rules.history import CANNABIS_SECTIONS, Conviction, PersonHistory
from clerkapp.rules.law import Law, Match

# a subsection is parenthesized or glued to the number, never the start of a word ("11359 HS")
_CANNABIS_REF = re.compile(r"(1135[789]|11360)(?!\.\d)(?:\s*\(([A-Za-z0-9])|([A-Za-z0-9])(?![A-Za-z]))?")
PROP64 = "HS 11361.8(a), (e)"  # which conviction, and whether it is one the statute reaches
ORDER = "HS 11361.9"  # the order and the notice to DOJ name the person and the case
# importer flags (ingest/doj_readings.py, doj_convictions.py) -> the review reason they raise
_FLAG_REASONS = {
    "offense_comment_disagree": ("comment_disagrees", "The offense text and the comment name"
                                 " different charges", PROP64),
    "set_aside_1203_4": ("set_aside", "Conviction set aside under PC 1203.4; check the court"
                         " file before acting on it", "PC 1203.4"),
    "sentence_see_comment": ("sentence_see_comment", "The sentence reads 'see comment'; check"
                             " it in the source record", "HS 11361.8(a)-(b), (e)"),
}
_INFO_FLAGS = frozenset({"offense_from_comment"})
NOTE_PREFIX = "note: "  # an importer note (ingest/file_facts.py): shown, never a reason
# What an order must name and the record lacks: review under every policy, and approval only
# once the clerk has entered the fact as a correction (review/corrections.py)
MISSING_FACTS = {
    "no_name": ("name_missing", "The record names no one: enter the person's name as a"
                " correction before approving relief", ORDER),
    "no_case_number": ("case_number_missing", "The record gives no case number: enter it as a"
                       " correction before approving relief", ORDER),
}


def missing_facts(c: Conviction) -> list[Reason]:
    """Reasons for what an order needs and the record lacks (no name, no case number)."""
    return [Reason(*MISSING_FACTS[f]) for f in c.flags if f in MISSING_FACTS]


def clerk_flags(c: Conviction) -> list[Reason]:
    """The clerk's-eye points that send a conviction to review whatever the table says."""
    found = []
    for flag in c.flags:
        if flag in _INFO_FLAGS or flag in MISSING_FACTS or flag.startswith(NOTE_PREFIX):
            continue
        code, text, cite = _FLAG_REASONS.get(flag, ("importer_flag", f"Importer note: {flag}",
                                                    PROP64))
        if not any(r.code == code for r in found):
            found.append(Reason(code, text, cite))
    if c.raw_offense and c.comment_text and "SEE COMMENT" not in c.raw_offense.upper():
        a, b = _cannabis_ref(c.raw_offense), _cannabis_ref(c.comment_text)
        if a and b and a != b and not any(r.code == "comment_disagrees" for r in found):
            found.append(Reason("comment_disagrees", "The offense text and the comment name"
                                " different cannabis sections", PROP64))
    if c.sentence_text and "SEE COMMENT" in c.sentence_text.upper() and \
            not any(r.code == "sentence_see_comment" for r in found):
        found.append(Reason("sentence_see_comment", "The sentence reads 'see comment'; check"
                            " it in the source record", "HS 11361.8(a)-(b), (e)"))
    return found


def plea_bargain(c: Conviction, person: PersonHistory, law: Law) -> Reason | None:
    if law.plea_bargain.match(c.section) is not Match.YES:
        return None
    cannabis_case = any(p.id != c.id and p.is_cannabis and p.same_case(c)
                        for p in person.convictions) or any(
        e.section is not None and e.section.code == "HS" and e.section.number in
        ("11357", "11358", "11359", "11360") and c.cycle_key and e.cycle_key == c.cycle_key
        for e in person.events)
    if not cannabis_case:
        return None
    return Reason("plea_bargain", f"{c.section.text} in the same case as a cannabis charge:"
                  " possibly a plea bargain of it; check the court file", law.plea_bargain.citation)


def _cannabis_ref(text: str) -> tuple[str, str] | None:
    """The cannabis section a text names, as (number, first subsection or "")."""
    s = parse_section(text)
    if s is not None:
        if s.code == "HS" and s.number in CANNABIS_SECTIONS:
            return s.number, (s.subs[0] if s.subs else "").lower()
        return None
    m = _CANNABIS_REF.search(text)
    return (m.group(1), (m.group(2) or m.group(3) or "").lower()) if m else None
