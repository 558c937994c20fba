"""The eligibility engine: one person's history in, one determination per conviction out.

Pure: no SQL, no files beyond the law lists (loaded once). The steps follow
`prop64-rules.md`; the table lives in `table.py`, the exceptions in `exceptions.py`, BEAR's
flow in `bear.py`. Whatever the record cannot settle becomes `needs_review` with the missing
fact named, never a silent guess.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from clerkapp.domain.charges import WRAPPER_NUMBERS
from clerkapp.domain.dates import DateRange, age_range, before_day
from clerkapp.domain.outcomes import Outcome, Reason, Remedy
from clerkapp.rules import exceptions as ex
from clerkapp.rules.bear import bear_decide
from clerkapp.rules.bear_info import bear_info
from clerkapp.rules.charge_text import charge_text, looks_cannabis, target_named_in_text
from clerkapp.rules.facts import text_facts
from clerkapp.rules.flags import clerk_flags, missing_facts, plea_bargain
from clerkapp.rules.history import Conviction, PersonHistory
from clerkapp.rules.law import Law, Match, SectionRef, load_law
from clerkapp.rules.policies import Policy
from clerkapp.rules.related import with_related
from clerkapp.rules.remedy import remedy_for
from clerkapp.rules.table import ADULT, BANDS, UNDER_18, candidate_kinds, lookup

RULE_SET_VERSION = "prop64-rules/1"
CUTOFF = ex.CUTOFF
PROP64 = "HS 11361.8(a), (e)"
COURT = "HS 11361.8(a), (e)"  # relief is for the trial court that entered the judgment
_FACT_KINDS = {"remaining_felony": "felony", "environmental": "environmental"}  # switch -> facts
_OPTION_OUTCOME = {
    "dismiss_and_seal": Outcome.DISMISS_AND_SEAL,
    "redesignate_infraction": Outcome.REDESIGNATE_INFRACTION,
    "review": Outcome.NEEDS_REVIEW,
}


@dataclass(frozen=True)
class Determination:
    conviction_id: int
    outcome: Outcome
    remedy: Remedy | None
    reasons: tuple[Reason, ...]
    encoded: tuple[str, str, str] | None = field(default=None, compare=False, repr=False)

    @property
    def decisive(self) -> list[Reason]:
        return [r for r in self.reasons if r.kind == "decisive"]

    @property
    def summary(self) -> str:
        """The decisive reason texts, for the queue and the export."""
        return "; ".join(r.text for r in self.decisive)

    @property
    def authority(self) -> str:
        """The decisive citations, each once, in order."""
        return authority_of(r.citation for r in self.decisive)


def authority_of(citations: Iterable[str]) -> str:
    """Citations (each possibly several, `; `-separated) as one, each part once, in order."""
    seen: list[str] = []
    for citation in citations:
        for part in citation.split("; "):
            if part and part not in seen:
                seen.append(part)
    return "; ".join(seen)


@dataclass
class Context:
    policy: Policy
    as_of: date
    county: str = ""  # casefolded; empty: every county
    law: Law = field(default_factory=load_law)
    # not_applicable results depend only on the county or the section: computed once each
    memo: dict[tuple[str, str], Determination] = field(default_factory=dict)


def encode(reasons: tuple[Reason, ...] | list[Reason]) -> str:
    """The reasons as the store keeps them (JSON list of {code, text, citation, kind})."""
    return json.dumps([{"code": r.code, "text": r.text, "citation": r.citation, "kind": r.kind}
                       for r in reasons], ensure_ascii=False, separators=(",", ":"))


def _memo_key(c: Conviction, ctx: Context) -> tuple[str, str] | None:
    if ctx.county:
        if not c.county:
            return None
        if c.county.strip().casefold() != ctx.county:
            return ("county", c.county)
    s = c.section
    if s is not None and s.code == "PC" and s.number in WRAPPER_NUMBERS:
        return None  # a conspiracy or attempt: its target may be named in the text only
    if s is not None and not c.is_cannabis and (
            not ctx.policy.plea_bargain_review or ctx.law.plea_bargain.match(s) is Match.NO):
        return ("section", s.text)
    return None


_NOBODY = PersonHistory(0)


def fixed_determination(c: Conviction, ctx: Context) -> Determination | None:
    """The determination of `c` when it depends on nothing but its county and section (the
    memo's test), else None: a run writes these for many convictions at once, without
    building anyone's history. `c` needs only its county and section."""
    if _memo_key(c, ctx) is None:
        return None
    return evaluate_conviction(c, _NOBODY, ctx)


def evaluate_person(person: PersonHistory, ctx: Context) -> list[Determination]:
    return [evaluate_conviction(c, person, ctx) for c in person.convictions]


def evaluate_conviction(c: Conviction, person: PersonHistory, ctx: Context) -> Determination:
    key = _memo_key(c, ctx)
    if key is not None:
        known = ctx.memo.get(key)
        if known is None:
            outcome, reasons = _decide(c, person, ctx)
            known = Determination(0, outcome, None, tuple(reasons))
            known = replace(known, encoded=(encode(known.reasons), known.authority,
                                            known.summary))
            if len(ctx.memo) < 100_000:
                ctx.memo[key] = known
        return Determination(c.id, known.outcome, known.remedy, known.reasons, known.encoded)
    outcome, reasons = _decide(c, person, ctx)
    if c.flags and outcome is not Outcome.NOT_APPLICABLE and (missing := missing_facts(c)):
        if outcome is not Outcome.NEEDS_REVIEW:
            missing.append(Reason("otherwise", f"Once it is entered the rules give:"
                                  f" {outcome.label.lower()}", "", "info"))
            reasons = [_info(r) for r in reasons]
            outcome = Outcome.NEEDS_REVIEW
        reasons = [*missing, *reasons]
    remedy = None
    if outcome.grants_relief:
        remedy, why = remedy_for(c, ctx.as_of)
        reasons.append(why)
    return Determination(c.id, outcome, remedy, tuple(reasons))


def _decide(c: Conviction, person: PersonHistory, ctx: Context) -> tuple[Outcome, list[Reason]]:
    policy = ctx.policy
    if ctx.county and (c.county or "").strip().casefold() != ctx.county:
        if c.county:
            return Outcome.NOT_APPLICABLE, [Reason(
                "other_county", f"Conviction from {c.county} county; this court handles"
                f" {ctx.county.upper()} (it still counts in the person's history)", COURT)]
        if looks_cannabis(c):
            return Outcome.NEEDS_REVIEW, [Reason(
                "county_unknown", "County not recorded, so it cannot be told whether this"
                " court handles this cannabis conviction", COURT)]
        return Outcome.NOT_APPLICABLE, [Reason("county_unknown", "County not recorded", COURT)]
    if c.section is None:
        if looks_cannabis(c):
            return Outcome.NEEDS_REVIEW, [Reason(
                "section_unreadable", "The offense text could not be read as a code section,"
                " but it mentions cannabis", PROP64)]
        if not (c.raw_offense or "").strip() and not (c.comment_text or "").strip():
            # nothing to read at all: it may as well be a cannabis count (the rules' default
            # where the record is silent is review, never a guess)
            return Outcome.NEEDS_REVIEW, [Reason(
                "charge_missing", "The record names no charge, so it cannot be told whether"
                " this is a cannabis conviction", PROP64)]
        return Outcome.NOT_APPLICABLE, [Reason(
            "section_unreadable", "No readable code section in the record", PROP64)]
    if c.section.code == "PC" and c.section.number in WRAPPER_NUMBERS:
        c = target_named_in_text(c)
    if not c.is_cannabis:
        if policy.plea_bargain_review:
            found = plea_bargain(c, person, ctx.law)
            if found:
                return Outcome.NEEDS_REVIEW, [found]
        return Outcome.NOT_APPLICABLE, [Reason(
            "not_cannabis", f"{c.section.text} is not one of HS 11357-11360, the sections"
            " Prop 64 relief covers", PROP64)]
    target = c
    attempt_note: Reason | None = None
    s = c.section
    if s.attempted or s.conspiracy:
        form = ("Attempted conspiracy (PC 664, PC 182)" if s.attempted and s.conspiracy else
                "Attempt (PC 664)" if s.attempted else "Conspiracy (PC 182)")
        target = c.with_section(_completed(s))
        if policy.kind == "configurable" or policy.attempts_and_conspiracies == "as_target":
            attempt_note = Reason("attempt_as_target", f"{form} to commit HS {s.number} treated"
                                  " like the completed offense (policy)", "", "info")
        else:
            as_target, why = _decide(target, person, ctx)
            text = "; ".join(r.text for r in why if r.kind == "decisive")
            return Outcome.NEEDS_REVIEW, [Reason(
                "attempt_review", f"{form} to commit HS {s.number}: no authority settles"
                f" whether Prop 64 relief reaches it; as the completed offense it would be"
                f" '{as_target.label}' ({text})", PROP64)]
    if policy.kind == "configurable":
        outcome, reasons = bear_decide(target, person, policy.bear, ctx.as_of)
        reasons += bear_info(target, person, ctx.law)
    else:
        outcome, reasons = _statute_or_dismiss_all(target, person, ctx)
    if attempt_note:
        reasons.append(attempt_note)
    if person.deceased and policy.kind != "configurable":
        reasons.append(Reason("deceased", "The person is recorded as deceased", "", "info"))
    return with_related(outcome, reasons, target, person, ctx.law,
                        review=policy.related_charges_review)


_COMPLETED: dict[SectionRef, SectionRef] = {}


def _completed(s: SectionRef) -> SectionRef:
    """The completed offense an attempt or conspiracy `s` aims at (cached: few distinct)."""
    found = _COMPLETED.get(s)
    if found is None:
        found = replace(s, attempted=False, conspiracy=False)
        if len(_COMPLETED) < 10_000:
            _COMPLETED[s] = found
    return found


def _statute_or_dismiss_all(c: Conviction, person: PersonHistory,
                            ctx: Context) -> tuple[Outcome, list[Reason]]:
    policy = ctx.policy
    day, used = c.stand_in
    gate = _cutoff(c, day, used, policy)
    if gate is not None:
        return gate
    dated = Reason("before_prop64", f"Offense before 2016-11-09 ({used} {day.text})",
                   "" if policy.kind == "dismiss_all" else PROP64)
    flags = clerk_flags(c) if policy.clerk_flags_review else []
    if policy.kind == "dismiss_all":
        outcome, reasons = _dismiss_all(c, person, day, used, ctx)
    else:
        outcome, reasons = _statute(c, person, day, used, ctx)
    reasons = [dated, *reasons]
    if flags and outcome is not Outcome.NEEDS_REVIEW:
        other = Reason("otherwise", f"Without the points above the rules give:"
                       f" {outcome.label.lower()}", "", "info")
        return Outcome.NEEDS_REVIEW, [*flags, other, *[_info(r) for r in reasons]]
    return outcome, [*reasons, *flags]


def _cutoff(c: Conviction, day: DateRange | None, used: str,
            policy: Policy) -> tuple[Outcome, list[Reason]] | None:
    """Step 2: the offense must precede 2016-11-09. None when it does."""
    if day is None:
        return Outcome.NEEDS_REVIEW, [Reason(
            "no_date", "No offense, arrest or conviction date in the record", PROP64)]
    pre = before_day(day, CUTOFF)
    if pre is True:
        return None
    if pre is None:
        return Outcome.NEEDS_REVIEW, [Reason(
            "date_partial", f"The {used} ({day.text}) is partial and straddles 2016-11-09,"
            " when Prop 64 took effect", PROP64)]
    if used != "conviction date":
        return Outcome.NOT_ELIGIBLE, [Reason(
            "after_prop64", f"Offense on or after 2016-11-09, when Prop 64 took effect"
            f" ({used} {day.text})", PROP64)]
    if policy.unknown_offense_date == "review":
        return Outcome.NEEDS_REVIEW, [Reason(
            "offense_date_unknown", f"Only the conviction date ({day.text}) is known and it is"
            " on or after 2016-11-09; the offense date decides", PROP64)]
    return Outcome.NOT_ELIGIBLE, [Reason(
        "after_prop64_presumed", f"Only the conviction date ({day.text}) is known and it is on"
        " or after 2016-11-09; the offense is presumed to be after Prop 64 took effect (policy)",
        PROP64)]


def _age_bands(person: PersonHistory, day: DateRange) -> tuple[list[str], str]:
    """The age bands the person could have been in on `day`, and words for the reason."""
    if person.dob_day is None:
        return list(BANDS), "date of birth not recorded"
    low, high = age_range(person.dob_day, day)
    bands = [b for b, (lo, hi) in zip(BANDS, ((0, 17), (18, 20), (21, 999)), strict=True)
             if lo <= high and low <= hi]
    age = f"age {low}" if low == high else f"age {low} to {high}"
    return bands, age


def _statute(c: Conviction, person: PersonHistory, day: DateRange, used: str,
             ctx: Context) -> tuple[Outcome, list[Reason]]:
    policy = ctx.policy
    kinds, why_kinds = candidate_kinds(c.section, charge_text(c),
                                       c.conviction_day, CUTOFF)
    kind = kinds[0]
    if c.level is None and policy.unknown_level == "review":
        return Outcome.NEEDS_REVIEW, [Reason(
            "level_unknown", "Offense level (felony, misdemeanor or infraction) not recorded",
            PROP64)]
    levels = [c.level] if c.level else ["F", "M", "I"]
    bands, age = _age_bands(person, day)
    if not bands:  # born after the offense: the date of birth or the date is wrong
        return Outcome.NEEDS_REVIEW, [Reason(
            "dob_after_offense", f"The date of birth is after the offense ({used} {day.text}):"
            " one of the two is wrong in the record", PROP64)]
    rows, outcomes = [], set()
    for kind_ in kinds:
        for level in levels:
            for band in bands:
                row = lookup(kind_, level, band)
                rows.append(row)
                outcomes.add(None if row is None else
                             row.outcome or _OPTION_OUTCOME[getattr(policy, row.option)])
    if len(outcomes) > 1 and len(kinds) > 1:
        return Outcome.NEEDS_REVIEW, [Reason(
            "amount_unknown", f"{why_kinds} ({age} at the offense, {used} {day.text})",
            "HS 11357(b)-(c)")]
    if len(outcomes) > 1:
        fact = "the date of birth" if person.dob_day is None or len(bands) > 1 else "the level"
        return Outcome.NEEDS_REVIEW, [Reason(
            "age_unknown" if "date" in fact else "level_unknown",
            f"The outcome depends on {fact}, which the record does not settle ({age} at the"
            f" offense, {used} {day.text})", PROP64)]
    if rows[0] is None:
        return Outcome.NEEDS_REVIEW, [Reason(
            "not_covered", f"The rules do not settle HS {kind} at level {'/'.join(levels)}"
            f" ({age} at the offense, {used} {day.text})", PROP64)]
    outcome = outcomes.pop()
    row = rows[-1] if len(kinds) > 1 else rows[0]  # amount unknown: the row for any amount
    reasons = [
        Reason("age", f"Age at the offense: {age} ({used} {day.text})", ""),
        Reason("table", row.text, row.citation),
    ]
    if row.outcome is None:
        reasons.append(Reason("policy_option", f"Policy option {row.option}:"
                              f" {getattr(policy, row.option)}", "", "info"))
    if row.exceptions and outcome is Outcome.REDESIGNATE_MISDEMEANOR:
        findings = _exceptions(c, person, day, used, ctx)
        if any(f.severity == "exclude" for f in findings):
            return Outcome.NOT_ELIGIBLE, [
                f.reason for f in findings if f.severity == "exclude"] + [_info(r) for r in reasons]
        if findings:
            return Outcome.NEEDS_REVIEW, [f.reason for f in findings] + [_info(r) for r in reasons]
    return outcome, reasons


def _exceptions(c: Conviction, person: PersonHistory, day: DateRange, used: str,
                ctx: Context) -> list[ex.Finding]:
    on = ctx.policy.exceptions
    law = ctx.law
    found: list[ex.Finding] = []
    if "remaining_felony" in on:
        found += ex.remaining_felony(c, law)
    facts = on & _FACT_KINDS.keys()
    if facts:
        found += text_facts(c, person, law, kinds=frozenset(_FACT_KINDS[k] for k in facts))
    if "super_strike" in on:
        found += ex.super_strikes(c, person, day, used, law)
    if "pc290" in on:
        found += ex.pc290(c, person, day, used, law)
    if "two_priors" in on:
        found += ex.two_priors(c, person, day, per_cycle=ctx.policy.priors_counting == "per_cycle",
                               before_cutoff_count=ctx.policy.priors_before_cutoff_count)
    if "environmental" in on:
        found += ex.environmental(c, person, law)
    return found


def _dismiss_all(c: Conviction, person: PersonHistory, day: DateRange, used: str,
                 ctx: Context) -> tuple[Outcome, list[Reason]]:
    """Los Angeles 2020: every pre-Prop 64 conviction dismissed; exceptions only if switched on."""
    reasons = [Reason("dismiss_all", "Every HS 11357-11360 conviction for conduct before"
                      " 2016-11-09 is dismissed under this policy", ctx.policy.authority)]
    if ctx.policy.exceptions and c.section.number != "11357" and c.level in ("F", None):
        bands, _ = _age_bands(person, day)
        if bands != [UNDER_18]:
            findings = _exceptions(c, person, day, used, ctx)
            if not set(bands) <= ADULT:
                findings = [ex.Finding("review", f.reason) for f in findings]
            if c.level is None:
                findings = [ex.Finding("review", f.reason) for f in findings]
            if any(f.severity == "exclude" for f in findings):
                return Outcome.NOT_ELIGIBLE, [f.reason for f in findings if f.severity == "exclude"]
            if findings:
                return Outcome.NEEDS_REVIEW, [f.reason for f in findings]
    return Outcome.DISMISS_AND_SEAL, reasons


def _info(r: Reason) -> Reason:
    return replace(r, kind="info")
