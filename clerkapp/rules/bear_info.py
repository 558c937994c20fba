"""What BEAR shows beside its determination (the configurable policy): facts on record that
did not decide it, in BEAR's words."""

from __future__ import annotations

from clerkapp.domain.outcomes import Reason
from clerkapp.rules.exceptions import CUTOFF
from clerkapp.rules.history import Conviction, PersonHistory
from clerkapp.rules.law import Law, Match, SectionRef

PROP64 = "HS 11361.8(a), (e)"


def bear_info(c: Conviction, person: PersonHistory, law: Law) -> list[Reason]:
    """What BEAR shows beside its determination: facts that did not decide it."""
    conv = c.conviction_day
    if conv and conv.last > CUTOFF:
        return [Reason("after_prop64_info", f"Occurred after 11/9/2016 (conviction date"
                       f" {conv.text})", PROP64, "info"), *_on_record(person, law)]
    return list(_on_record(person, law))


def _on_record(person: PersonHistory, law: Law) -> tuple[Reason, ...]:
    """The info reasons that depend on the person alone (their record, not the count being
    decided): worked out once per person, however many counts of theirs are decided."""
    found = person.derived.get("bear_info")
    if found is not None:
        return found
    info = []
    marks = _section_marks(law)
    strikes, sex = [], []
    for p in person.convictions:
        if p.section is None:
            continue
        mark = marks.get(p.section)
        if mark is None:
            mark = marks[p.section] = (_bear_strike(p, law),
                                       law.pc290.match(p.section) is Match.YES)
        if mark[0]:
            strikes.append(p.label)
        if mark[1]:
            sex.append(p.label)
    if strikes:
        info.append(Reason("super_strike_info", "Super strike on record: " + "; ".join(strikes),
                           law.super_strikes.citation, "info"))
    if sex:
        info.append(Reason("pc290_info", "PC 290 offense on record: " + "; ".join(sex),
                           law.pc290.citation, "info"))
    if any(e.kind == "registration" and (e.section is None or law.registration.match(
            e.section) is not Match.NO) for e in person.events):
        info.append(Reason("pc290_registration_info", "PC 290 registration on record",
                           law.pc290.citation, "info"))
    if person.deceased:
        info.append(Reason("deceased", "The person is recorded as deceased", "", "info"))
    found = person.derived["bear_info"] = tuple(info)
    return found


def _section_marks(law: Law) -> dict[SectionRef, tuple[bool, bool]]:
    """Per section, whether BEAR shows it as a super strike and as a PC 290 offense: kept on
    the law (its lists decide), one look-up per conviction instead of three."""
    marks = law.__dict__.get("_bear_marks")
    if marks is None:
        marks = {}
        object.__setattr__(law, "_bear_marks", marks)  # a memo, not a field of the law
    return marks


def _bear_strike(p: Conviction, law: Law) -> bool:
    """BEAR lists PC 207 and 220 as super strikes outright; the statute's condition on them
    (WIC 6600(b)) only changes the statute's outcome, so BEAR's info still shows them."""
    match = law.super_strikes.match(p.section)
    if match is Match.YES:
        return True
    entry = law.super_strikes.entry_for(p.section) if match is Match.MAYBE else None
    return entry is not None and bool(entry.condition)
