"""BEAR's eligibility options (the statewide county tool, gogen) and how BEAR applies them.

BEAR's order, kept exactly: misdemeanors and infractions of 11357-11360 are dismissed; a felony
of a `dismiss` section is dismissed; then the additional-relief switches are tried in order and
the first that holds dismisses; else a felony of a `reduce` section is reduced to a
misdemeanor. Super strikes, PC 290 and later convictions are shown, never excluding.
The reason texts are BEAR's own, so a county can compare results line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from clerkapp.domain.dates import add_years
from clerkapp.domain.outcomes import Outcome, Reason
from clerkapp.errors import PolicyError
from clerkapp.rules.history import CANNABIS_SECTIONS, Conviction, PersonHistory

AGE_RANGE = (40, 65)  # BEAR's limits; 0 switches the option off
YEARS_RANGE = (1, 15)
PROP64_EFFECTIVE = date(2016, 11, 9)
CITATION = "HS 11361.9; county policy (BEAR options)"

# JSON key (BEAR) -> TOML key (ours)
_RELIEF_KEYS = {
    "subjectUnder21AtConviction": "subject_under_21_at_conviction",
    "subjectAgeThreshold": "subject_age_threshold",
    "yearsSinceConvictionThreshold": "years_since_conviction_threshold",
    "yearsCrimeFreeThreshold": "years_crime_free_threshold",
    "subjectHasOnlyProp64Charges": "subject_has_only_prop64_charges",
    "subjectIsDeceased": "subject_is_deceased",
}


@dataclass(frozen=True)
class BearOptions:
    dismiss: frozenset[str] = frozenset()
    reduce: frozenset[str] = frozenset()
    under_21_at_conviction: bool = False
    age_threshold: int = 0
    years_since_conviction: int = 0
    years_crime_free: int = 0
    only_prop64: bool = False
    deceased: bool = False


def parse_bear_json(data: dict[str, Any], where: str) -> BearOptions:
    """BEAR's `eligibility_options.json` as BEAR reads it, with BEAR's limits checked."""
    for key in set(data) - {"baselineEligibility", "additionalRelief"}:
        raise PolicyError(f"unknown key {key}", file=where)
    base = _dict(data, "baselineEligibility", where)
    for key in set(base) - {"dismiss", "reduce"}:
        raise PolicyError(f"unknown key baselineEligibility.{key}", file=where)
    relief = _dict(data, "additionalRelief", where)
    converted = {}
    for key, value in relief.items():
        if key not in _RELIEF_KEYS:
            raise PolicyError(f"unknown key additionalRelief.{key}", file=where)
        converted[_RELIEF_KEYS[key]] = (value, f"additionalRelief.{key}")
    return _build(base, "baselineEligibility", converted, where)


def parse_bear_toml(base: dict[str, Any], relief: dict[str, Any], where: str) -> BearOptions:
    """The same options written in our TOML (`[baseline]`, `[additional_relief]`)."""
    for key in set(base) - {"dismiss", "reduce"}:
        raise PolicyError(f"unknown key baseline.{key}", file=where)
    converted = {}
    known = set(_RELIEF_KEYS.values())
    for key, value in relief.items():
        if key not in known:
            raise PolicyError(f"unknown key additional_relief.{key}", file=where)
        converted[key] = (value, f"additional_relief.{key}")
    return _build(base, "baseline", converted, where)


def _build(base: dict[str, Any], base_name: str, relief: dict[str, tuple[Any, str]],
           where: str) -> BearOptions:
    lists = {}
    for key in ("dismiss", "reduce"):
        value = base.get(key, [])
        if not isinstance(value, list) or any(str(v) not in CANNABIS_SECTIONS for v in value):
            raise PolicyError(
                f"{base_name}.{key} must list sections among 11357, 11358, 11359, 11360;"
                f" got {value!r}", file=where,
            )
        lists[key] = frozenset(str(v) for v in value)
    both = lists["dismiss"] & lists["reduce"]
    if both:
        raise PolicyError(f"{base_name}: HS {sorted(both)[0]} is under both dismiss and reduce",
                          file=where)

    def flag(key: str) -> bool:
        value, name = relief.get(key, (False, key))
        if not isinstance(value, bool):
            raise PolicyError(f"{name} must be true or false, not {value!r}", file=where)
        return value

    def number(key: str, limits: tuple[int, int]) -> int:
        value, name = relief.get(key, (0, key))
        if isinstance(value, bool) or not isinstance(value, int) or \
                (value != 0 and not limits[0] <= value <= limits[1]):
            raise PolicyError(
                f"{name} must be 0 (off) or a whole number from {limits[0]} to {limits[1]},"
                f" not {value!r}", file=where,
            )
        return value

    return BearOptions(
        dismiss=lists["dismiss"], reduce=lists["reduce"],
        under_21_at_conviction=flag("subject_under_21_at_conviction"),
        age_threshold=number("subject_age_threshold", AGE_RANGE),
        years_since_conviction=number("years_since_conviction_threshold", YEARS_RANGE),
        years_crime_free=number("years_crime_free_threshold", YEARS_RANGE),
        only_prop64=flag("subject_has_only_prop64_charges"),
        deceased=flag("subject_is_deceased"),
    )


def _dict(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise PolicyError(f"{key} must be an object", file=where)
    return value


def _prop64_like(c: Conviction) -> bool:
    """BEAR's matcher: any conviction naming 11357-11360 (attempts included)."""
    return c.section is not None and c.section.number in CANNABIS_SECTIONS


def bear_decide(
    c: Conviction, person: PersonHistory, options: BearOptions, as_of: date
) -> tuple[Outcome, list[Reason]]:
    """BEAR's flow for one 11357-11360 conviction already in the county's scope."""
    number = c.section.number if c.section else ""
    reasons: list[Reason] = []
    if c.level != "F":
        if c.level is None:
            reasons.append(Reason("level_unknown_bear", "Offense level not recorded; BEAR"
                                  " treats a count that is not marked felony as a misdemeanor",
                                  "", "info"))
        return Outcome.DISMISS_AND_SEAL, [
            Reason("bear_misdemeanor", "Misdemeanor or Infraction", CITATION), *reasons]
    if number in options.dismiss:
        return Outcome.DISMISS_AND_SEAL, [
            Reason("bear_dismiss_section", f"Dismiss all HS {number} convictions", CITATION)]
    held = _additional_relief(c, person, options, as_of)
    if held:
        return Outcome.DISMISS_AND_SEAL, [Reason(held[0], held[1], CITATION)]
    if number in options.reduce:
        return Outcome.REDESIGNATE_MISDEMEANOR, [
            Reason("bear_reduce_section", f"Reduce all HS {number} convictions", CITATION)]
    return Outcome.NOT_ELIGIBLE, [Reason(
        "bear_no_relief", f"HS {number} felonies are neither dismissed nor reduced by this"
        " policy and no additional relief applies", CITATION)]


def _additional_relief(
    c: Conviction, person: PersonHistory, o: BearOptions, as_of: date
) -> tuple[str, str] | None:
    dob = person.dob_day
    conv = c.conviction_day
    if o.under_21_at_conviction and dob and conv:
        # BEAR: DOB + 21 years is after the conviction date
        if conv.last < add_years(dob.first, 21):
            return "bear_under_21", "21 years or younger"
    if o.age_threshold and dob and add_years(dob.last, o.age_threshold) <= as_of:
        return "bear_age", f"{o.age_threshold} years or older"
    if o.years_since_conviction and conv and \
            conv.last <= add_years(as_of, -o.years_since_conviction):
        return "bear_years_since", f"Conviction occurred {o.years_since_conviction} or more years ago"
    if o.years_crime_free:
        limit = add_years(as_of, -o.years_crime_free)
        days = [x.conviction_day for x in person.convictions if x.conviction_day]
        if all(d.last <= limit for d in days):
            return "bear_crime_free", f"No convictions in the past {o.years_crime_free} years"
    if o.only_prop64 and all(_prop64_like(x) for x in person.convictions):
        return "bear_only_prop64", "Only has 11357-60 charges"
    if o.deceased and person.deceased:
        return "bear_deceased", "Individual is deceased"
    return None
