"""The step-5 exceptions that keep an 11358-11360 felony of an adult a felony (prop64-rules.md).

Each check returns findings: `exclude` (the felony stays: not_eligible) or `review` (a fact
the record lacks decides). "Prior" means before this offense (People v. Smit (2018)), judged
on the date standing in for the offense; a conviction in the same case never counts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from clerkapp.domain.dates import DateRange, age_range, before, before_day
from clerkapp.domain.outcomes import Reason
from clerkapp.rules.history import Conviction, PersonHistory
from clerkapp.rules.law import Law, Match

CUTOFF = date(2016, 11, 9)

# the subsection of each felony-with-priors rule
STRIKE_290_CITE = {"11358": "HS 11358(d)(1)", "11359": "HS 11359(c)(1)", "11360": "HS 11360(a)(3)(A)"}
PRIORS_CITE = {"11358": "HS 11358(d)(2)", "11359": "HS 11359(c)(2)", "11360": "HS 11360(a)(3)(B)"}
PRIOR_NAME = {"11358": "HS 11358(c)", "11359": "HS 11359(b)", "11360": "HS 11360(a)(2)"}


@dataclass(frozen=True)
class Finding:
    severity: str  # "exclude" | "review"
    reason: Reason


def _prior(p: Conviction, offense: DateRange) -> bool | None:
    """Was `p` a conviction before this offense? None when the dates cannot tell."""
    if p.conviction_day is None:
        return None
    return before(p.conviction_day, offense)


def _adult_at(person: PersonHistory, p: Conviction) -> bool | None:
    """Was the person 18 or older at p's offense (stand-in date)? None when unknown."""
    day, _ = p.stand_in
    if person.dob_day is None or day is None:
        return None
    low, high = age_range(person.dob_day, day)
    if low >= 18:
        return True
    if high < 18:
        return False
    return None


def _listed(person: PersonHistory, law: Law) -> tuple[tuple[Conviction, ...], ...]:
    """The person's convictions that may be super strikes, that may require or show PC 290
    registration, and whether one of the latter is dated: found once per person (a person
    with several cannabis counts is checked for each), in record order."""
    found = person.derived.get("listed")
    if found is None:
        strikes, registrable = [], []
        dated = False
        for p in person.convictions:
            if p.section is None:
                continue
            if law.super_strikes.match(p.section) is not Match.NO:
                strikes.append(p)
            as_290 = law.pc290.match(p.section) is not Match.NO
            if as_290 or law.registration.match(p.section) is Match.YES:
                registrable.append(p)
            dated = dated or (as_290 and p.conviction_day is not None)
        found = person.derived["listed"] = (tuple(strikes), tuple(registrable), dated)
    return found


def super_strikes(c: Conviction, person: PersonHistory, offense: DateRange, used: str,
                  law: Law) -> list[Finding]:
    base = f"{STRIKE_290_CITE[c.section.number]}; {law.super_strikes.citation}"
    found = []
    for p in _listed(person, law)[0]:
        cite = base
        if p.id == c.id or p.same_case(c):
            continue
        match = law.super_strikes.match(p.section)
        if match is Match.NO:
            continue
        prior = _prior(p, offense)
        if prior is False:
            continue
        entry = law.super_strikes.entry_for(p.section)
        if match is Match.MAYBE and entry is not None and entry.condition and \
                not (p.section.attempted or p.section.conspiracy):
            when = "" if prior else f"; it may be before this offense ({used} {offense.text})"
            found.append(Finding("review", Reason(
                "super_strike_conditional", f"Prior conviction for {p.label} is a super strike"
                f" {entry.condition}{when}",
                f"{STRIKE_290_CITE[c.section.number]}; {entry.citation or base}")))
            continue
        if entry is not None and entry.citation:
            cite = f"{STRIKE_290_CITE[c.section.number]}; {entry.citation}"
        if prior is None:
            found.append(Finding("review", Reason(
                "super_strike_date", f"Conviction for {p.label} is a super strike and may be"
                f" before this offense ({used} {offense.text}); the dates cannot tell", cite)))
            continue
        if match is Match.MAYBE and (p.section.attempted or p.section.conspiracy):
            found.append(Finding("review", _inchoate_strike(p, law, cite)))
            continue
        if match is Match.MAYBE:
            found.append(Finding("review", Reason(
                "super_strike_maybe", f"Prior conviction for {p.label} may be a super strike;"
                " the subsection or enhancement that decides is not in the record", cite)))
            continue
        adult = _adult_at(person, p)
        if adult is not True:
            found.append(Finding("review", Reason(
                "super_strike_juvenile", f"Prior conviction for {p.label} is a super strike"
                " that may have been committed under 18; it counts only if PC 667(d)(3) is met",
                f"{cite}; PC 667(d)(3)")))
            continue
        found.append(Finding("exclude", Reason(
            "super_strike", f"Prior conviction for {p.label} is a super strike", cite)))
    return found


def _inchoate_strike(p: Conviction, law: Law, cite: str) -> Reason:
    """An attempt or conspiracy of a listed offense: the list names attempts only of homicide
    offenses and no conspiracies, so whether it counts is a judgment (docs/rules.md)."""
    s = p.section
    target = replace(s, attempted=False, conspiracy=False)
    when = p.conviction_date or "an unknown date"
    if s.attempted:
        head = f"Prior attempt (PC 664) of {target.text} on {when}: the super-strike list"
        why = " includes attempts only of homicide offenses (PC 187-191.5)"
    else:
        head = f"Prior conspiracy (PC 182) to commit {target.text} on {when}: the super-strike"
        why = " list names no conspiracies"
    entry = law.super_strikes.entry_for(target)
    if law.super_strikes.match(target) is Match.MAYBE:
        why += f", and {target.text} is a super strike {entry.condition}" if entry and \
            entry.condition else ", and the subsection or enhancement that decides is not in" \
            " the record"
    return Reason("super_strike_inchoate", f"{head}{why}; whether this prior counts needs a"
                  " person's judgment", cite)


def _is_registration(section_text: str | None, law: Law, event_section) -> bool | None:
    if event_section is not None:
        return law.registration.match(event_section) is not Match.NO
    if section_text and section_text.strip().startswith("290"):
        return True
    return None


def pc290(c: Conviction, person: PersonHistory, offense: DateRange, used: str,
          law: Law) -> list[Finding]:
    cite = f"{STRIKE_290_CITE[c.section.number]}; {law.pc290.citation}"
    found = []
    _, registrable, dated_registrable = _listed(person, law)
    for p in registrable:
        if p.id == c.id:
            continue
        as_registration = law.registration.match(p.section) is Match.YES
        match = law.pc290.match(p.section)
        if (match is Match.NO and not as_registration) or p.same_case(c):
            continue
        prior = _prior(p, offense)
        if prior is False:
            if as_registration and not dated_registrable:
                found.append(Finding("review", Reason(
                    "pc290_registration_after", f"Conviction for {p.label} shows a duty to"
                    " register under PC 290; the date of the underlying conviction is not in"
                    " the record", cite)))
            continue
        what = "shows a duty to register under PC 290" if as_registration else \
            "requires sex-offender registration"
        if prior is None:
            found.append(Finding("review", Reason(
                "pc290_date", f"Conviction for {p.label} {what} and may be before this offense"
                f" ({used} {offense.text}); the dates cannot tell", cite)))
        elif match is Match.MAYBE and not as_registration:
            found.append(Finding("review", Reason(
                "pc290_maybe", f"Prior conviction for {p.label} may require sex-offender"
                " registration; the subsection that decides is not in the record", cite)))
        else:
            found.append(Finding("exclude", Reason(
                "pc290", f"Prior conviction for {p.label} {what}", cite)))
    for e in person.events:
        if e.kind != "registration":
            continue
        is_290 = _is_registration(e.text, law, e.section)
        if is_290 is False:
            continue  # HS 11590, PC 186.30, PC 457.1: not PC 290
        when = e.event_date or "an unknown date"
        if is_290 is None:
            found.append(Finding("review", Reason(
                "registration_kind", f"Registration on {when} of a kind the record does not"
                " name; a PC 290 registration would keep this a felony", cite)))
            continue
        prior = before(e.day, offense) if e.day else None
        if prior is True:
            found.append(Finding("exclude", Reason(
                "pc290_registration", f"Registered as a sex offender (PC 290) on {when},"
                f" before this offense ({used} {offense.text})", cite)))
        elif prior is None:
            found.append(Finding("review", Reason(
                "pc290_registration_date", f"Registered as a sex offender (PC 290) on {when},"
                f" which may be before this offense ({used} {offense.text}); the dates cannot"
                " tell", cite)))
        elif not dated_registrable:
            found.append(Finding("review", Reason(
                "pc290_registration_after", f"Registered as a sex offender on {when}; the date"
                " of the underlying conviction is not in the record", cite)))
    return found


def two_priors(c: Conviction, person: PersonHistory, offense: DateRange, *,
               per_cycle: bool, before_cutoff_count: bool) -> list[Finding]:
    """Two or more prior convictions of the same offense committed at 18 or older.

    HS 11361.5/11361.7: 11357 and 11360(b) records never count against a person."""
    number = c.section.number
    certain: dict[str, list[Conviction]] = {}
    maybe: dict[str, list[Conviction]] = {}
    for p in person.convictions:
        s = p.section
        if p.id == c.id or not p.is_cannabis or s.number != number or p.same_case(c):
            continue
        if s.attempted or s.conspiracy or (number == "11360" and s.subs[:1] == ("b",)):
            continue
        prior = _prior(p, offense)
        if prior is False:
            continue
        adult = _adult_at(person, p)
        if adult is False:
            continue
        if not before_cutoff_count:
            day, _ = p.stand_in
            pre = before_day(day, CUTOFF) if day else None
            if pre is True:
                continue
            if pre is None:
                prior = None
        key = p.cycle_key if per_cycle and p.cycle_key else \
            (f"case:{p.case_id}" if per_cycle and p.case_id is not None else f"id:{p.id}")
        (certain if prior and adult else maybe).setdefault(key, []).append(p)
    maybe = {k: v for k, v in maybe.items() if k not in certain}
    how = "counted once per arrest cycle" if per_cycle else "counted per conviction"
    cite = PRIORS_CITE[number]
    listed = "; ".join(p.label for group in certain.values() for p in group)
    if len(certain) >= 2:
        return [Finding("exclude", Reason(
            "two_priors", f"{len(certain)} prior convictions of {PRIOR_NAME[number]} at 18 or"
            f" older ({listed}), {how}", cite))]
    if len(certain) + len(maybe) >= 2:
        unsure = "; ".join(p.label for group in maybe.values() for p in group)
        return [Finding("review", Reason(
            "two_priors_maybe", f"Possibly two or more prior convictions of {PRIOR_NAME[number]}"
            f" at 18 or older ({how}); the dates or age cannot tell for: {unsure}", cite))]
    return []


def remaining_felony(c: Conviction, law: Law) -> list[Finding]:
    """A still-felony subsection excludes; a record that stops one level short of one (11359(c),
    11360(a)(3)) needs review. A bare 11359 or old 11360(a) is the old felony itself, not a
    short record, so it does not."""
    s = c.section
    if law.remaining_felony.match(s) is Match.YES:
        return [Finding("exclude", Reason(
            "remaining_felony", f"{s.text} remains a felony under Prop 64",
            law.remaining_felony.citation))]
    could = [e.ref.text for e in law.remaining_felony.entries
             if s.subs and len(s.subs) == len(e.ref.subs) - 1 and e.match(s) is Match.MAYBE]
    if could:
        return [Finding("review", Reason(
            "remaining_felony_maybe", f"{s.text} may be {' or '.join(could)}, which remains a"
            " felony under Prop 64; the subsection that decides is not in the record",
            law.remaining_felony.citation))]
    return []


def environmental(c: Conviction, person: PersonHistory, law: Law) -> list[Finding]:
    if c.section.number != "11358":
        return []
    found = []
    for p in person.convictions:
        if p.id != c.id and p.section and p.same_case(c) and \
                law.environmental.match(p.section) is not Match.NO:
            found.append(Finding("review", Reason(
                "environmental", f"The same case has a conviction for {p.label}, an"
                " environmental violation that can keep cultivation a felony",
                law.environmental.cite(p.section))))
    return found
