"""Step 5: the exceptions that keep an 11358-11360 felony of an adult a felony."""

from __future__ import annotations

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.rules.policies import load_policy

from .helpers import conv, decide, person, reg, texts

MISD, NE, REV = Outcome.REDESIGNATE_MISDEMEANOR, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW
# the cannabis felony under test: offense 2005-06-15 (age 25)
WEED = dict(section="HS 11359", level="F", offense="2005-06-15", convicted="2005-09-01")


def weed(**kw):
    return conv(1, **{**WEED, **kw})


def test_super_strike_before_this_offense():
    strike = conv(2, "PC 187(a)", "F", offense="1999-01-10", convicted="1999-04-15")
    d = decide(person(weed(), strike))
    assert d.outcome is NE
    assert "Prior conviction for PC 187(a) on 1999-04-15 is a super strike" in d.summary
    assert "HS 11359(c)(1)" in d.authority and "PC 667(e)(2)(C)(iv)" in d.authority


def test_super_strike_after_this_offense_does_not_count():
    strike = conv(2, "PC 187(a)", "F", offense="2006-01-10", convicted="2006-04-15")
    assert decide(person(weed(), strike)).outcome is MISD


def test_super_strike_in_the_same_case_does_not_count():
    strike = conv(2, "PC 187", "F", offense="2005-06-15", convicted="2005-01-01", case_id=1)
    assert decide(person(weed(), strike)).outcome is MISD


def test_super_strike_committed_under_18_goes_to_review():
    strike = conv(2, "PC 187", "F", offense="1996-01-10", convicted="1996-04-15")
    d = decide(person(weed(), strike))
    assert d.outcome is REV and "PC 667(d)(3)" in d.authority


def test_attempted_murder_is_a_super_strike():
    strike = conv(2, "PC 187", "F", offense="1999-01-10", convicted="1999-04-15", attempted=True)
    assert decide(person(weed(), strike)).outcome is NE


@pytest.mark.parametrize(("section", "expected"), [
    ("PC 245", REV),           # only 245(d)(3) is: the subsection decides
        ("PC 245(a)(1)", MISD),
        ("PC 288", NE),            # every PC 288 requires registration (PC 290(c))
    ("PC 288(c)(1)", NE),      # not a super strike, but a PC 290(c) offense
    ("PC 192(a)", MISD),       # voluntary manslaughter is not a super strike
    ("PC 246", REV),           # only with the gang enhancement
    ("PC 190.2", NE),
])
def test_super_strike_list_matching(section, expected):
    prior = conv(2, section, "F", offense="1999-01-10", convicted="1999-04-15")
    assert decide(person(weed(), prior)).outcome is expected


def test_super_strike_does_not_touch_11357():
    strike = conv(2, "PC 187", "F", offense="1999-01-10", convicted="1999-04-15")
    assert decide(person(weed(section="HS 11357(a)"), strike)).outcome is MISD


def test_pc290_offense_before_this_offense():
    prior = conv(2, "PC 261(a)(2)", "F", offense="2000-01-10", convicted="2000-04-15")
    d = decide(person(weed(), prior))
    assert d.outcome is NE and "requires sex-offender registration" in d.summary
    assert "PC 290(c)" in d.authority


def test_registration_before_this_offense():
    d = decide(person(weed(), events=[reg("2003-02-01")]))
    assert d.outcome is NE
    assert "Registered as a sex offender (PC 290) on 2003-02-01, before this offense" in d.summary


def test_registration_after_this_offense_without_the_conviction_goes_to_review():
    d = decide(person(weed(), events=[reg("2008-02-01")]))
    assert d.outcome is REV
    assert "date of the underlying conviction is not in the record" in d.summary


def test_registration_after_this_offense_explained_by_a_later_conviction():
    later = conv(2, "PC 288(a)", "F", offense="2007-01-10", convicted="2007-04-15")
    assert decide(person(weed(), later, events=[reg("2008-02-01")])).outcome is MISD


@pytest.mark.parametrize("section", ["HS 11590", "PC 186.30", "PC 457.1"])
def test_other_registrations_are_not_pc290(section):
    assert decide(person(weed(), events=[reg("2003-02-01", section)])).outcome is MISD


def _prior(id, cycle, offense, convicted, **kw):
    return conv(id, "HS 11359", "F", offense=offense, convicted=convicted, cycle_key=cycle,
                case_id=id, **kw)


def test_two_priors_in_one_cycle_count_once():
    p = person(weed(), _prior(2, "c1", "2001-01-01", "2001-02-01"),
               _prior(3, "c1", "2001-01-01", "2001-02-01"))
    assert decide(p).outcome is MISD
    per_count = decide(p, policy=_policy_with('priors_counting = "per_count"'))
    assert per_count.outcome is NE and "counted per conviction" in per_count.summary


def test_two_priors_in_two_cycles():
    p = person(weed(), _prior(2, "c1", "2001-01-01", "2001-02-01"),
               _prior(3, "c2", "2002-01-01", "2002-02-01"))
    d = decide(p)
    assert d.outcome is NE, texts(d)
    assert "2 prior convictions of HS 11359(b) at 18 or older" in d.summary
    assert "HS 11359(c)(2)" in d.authority


def test_priors_before_the_age_of_18_do_not_count():
    p = person(weed(), _prior(2, "c1", "1997-01-01", "1997-02-01"),
               _prior(3, "c2", "2002-01-01", "2002-02-01"))
    assert decide(p).outcome is MISD


def test_priors_in_another_county_count():
    p = person(weed(), _prior(2, "c1", "2001-01-01", "2001-02-01", county="YOLO"),
               _prior(3, "c2", "2002-01-01", "2002-02-01", county="YOLO"))
    assert decide(p, county="SACRAMENTO").outcome is NE


def test_priors_of_another_section_or_same_case_do_not_count():
    p = person(weed(), conv(2, "HS 11360(a)", "F", offense="2001-01-01", convicted="2001-02-01"),
               _prior(3, "c1", "2002-01-01", "2002-02-01"))
    assert decide(p).outcome is MISD
    same_case = _prior(4, "c9", "2005-06-15", "2005-06-20")
    same_case = conv(4, "HS 11359", "F", offense="2005-06-15", convicted="2005-06-01", case_id=1)
    p = person(weed(), same_case, _prior(3, "c1", "2002-01-01", "2002-02-01"))
    assert decide(p).outcome is MISD


def test_11360b_priors_never_count_against_11360():
    sale = weed(section="HS 11360(a)")
    p = person(sale, conv(2, "HS 11360(b)", "M", offense="2001-01-01", convicted="2001-02-01"),
               conv(3, "HS 11360(b)", "M", offense="2002-01-01", convicted="2002-02-01"))
    assert decide(p).outcome is MISD
    p = person(sale, conv(2, "HS 11360(a)", "M", offense="2001-01-01", convicted="2001-02-01"),
               conv(3, "HS 11360", "M", offense="2002-01-01", convicted="2002-02-01"))
    assert decide(p).outcome is NE


def test_priors_with_undecidable_dates_go_to_review():
    p = person(weed(), _prior(2, "c1", "2001-01-01", "2001-02-01"),
               _prior(3, "c2", "2005", "2005"))
    d = decide(p)
    assert d.outcome is REV and "Possibly two or more" in d.summary


def test_priors_before_cutoff_option():
    p = person(weed(), _prior(2, "c1", "2001-01-01", "2001-02-01"),
               _prior(3, "c2", "2002-01-01", "2002-02-01"))
    assert decide(p, policy=_policy_with("priors_before_cutoff_count = false")).outcome is MISD


def test_subsections_that_remain_felonies():
    d = decide(person(weed(section="HS 11359(d)")))
    assert d.outcome is NE and "remains a felony" in d.summary


def test_environmental_violation_in_the_same_case():
    grow = weed(section="HS 11358")
    fish = conv(2, "FG 5650(a)", "M", offense="2005-06-15", convicted="2005-09-01", case_id=1)
    d = decide(person(grow, fish))
    assert d.outcome is REV and "environmental" in d.summary and "HS 11358(d)(3)" in d.authority


def test_plea_bargain_flag():
    accessory = conv(2, "PC 32", "F", case_id=1)
    d = decide(person(weed(), accessory), 2)
    assert d.outcome is REV and "plea bargain" in d.summary
    assert decide(person(accessory), 2).outcome is Outcome.NOT_APPLICABLE


def test_dismiss_all_ignores_exceptions_unless_switched_on(tmp_path):
    strike = conv(2, "PC 187(a)", "F", offense="1999-01-10", convicted="1999-04-15")
    p = person(weed(), strike)
    d = decide(p, policy="dismiss-all")
    assert d.outcome is Outcome.DISMISS_AND_SEAL and d.authority == "PC 1385; HS 11361.9"
    path = tmp_path / "la.toml"
    text = (load_policy("dismiss-all").text).replace("super_strike = false", "super_strike = true")
    path.write_text(text)
    assert decide(p, policy=load_policy(path)).outcome is NE


def test_dismiss_all_any_level_and_subsection_but_not_after_cutoff():
    assert decide(person(weed(section="HS 11357(c)", level="M")), policy="dismiss-all").outcome \
        is Outcome.DISMISS_AND_SEAL
    assert decide(person(weed(level=None)), policy="dismiss-all").outcome is Outcome.DISMISS_AND_SEAL
    late = weed(offense="2017-01-01", convicted="2017-02-01")
    assert decide(person(late), policy="dismiss-all").outcome is NE


_counter = iter(range(10_000))


def _policy_with(line: str):
    import tempfile
    from pathlib import Path
    folder = Path(tempfile.mkdtemp())
    path = folder / f"p{next(_counter)}.toml"
    path.write_text(f"[options]\n{line}\n")
    return load_policy(path)
