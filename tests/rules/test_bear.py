"""BEAR's flow (configurable policy), exactly as gogen applies the options."""

from __future__ import annotations

import json

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.rules.policies import load_policy

from .helpers import conv, decide, person, reg

DIS, RED = Outcome.DISMISS_AND_SEAL, Outcome.REDESIGNATE_MISDEMEANOR
BIRTH = "1978-04-10"
AS_OF = "2020-07-01"


def bear(tmp_path, dismiss=("11357",), reduce=("11358", "11359", "11360"), **relief):
    path = tmp_path / f"o{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps({"baselineEligibility": {"dismiss": list(dismiss),
                                                        "reduce": list(reduce)},
                                "additionalRelief": relief}))
    return load_policy(path)


def run(tmp_path, p, cid=1, **opts):
    d = decide(p, cid, policy=bear(tmp_path, **opts), as_of=AS_OF)
    return d.outcome, d.summary


def test_misdemeanors_dismissed_felonies_by_section(tmp_path):
    p = person(conv(1, "HS 11357(a)", "M", convicted="1999-05-04"),
               conv(2, "HS 11357(d)", "F", convicted="1999-05-04"),
               conv(3, "HS 11358", "F", convicted="2009-05-04"),
               conv(4, "HS 11360", "F", convicted="2011-05-12"), dob=BIRTH)
    opts = dict(dismiss=("11357", "11358", "11359"), reduce=("11360",))
    assert run(tmp_path, p, 1, **opts) == (DIS, "Misdemeanor or Infraction")
    assert run(tmp_path, p, 2, **opts) == (DIS, "Dismiss all HS 11357 convictions")
    assert run(tmp_path, p, 3, **opts) == (DIS, "Dismiss all HS 11358 convictions")
    assert run(tmp_path, p, 4, **opts) == (RED, "Reduce all HS 11360 convictions")


def test_attempts_match_their_section(tmp_path):
    p = person(conv(1, "HS 11357(a)", "F", attempted=True, convicted="1999-05-04"), dob=BIRTH)
    outcome, summary = run(tmp_path, p)
    assert (outcome, summary) == (DIS, "Dismiss all HS 11357 convictions")


@pytest.mark.parametrize(("on", "expected"), [(True, (DIS, "21 years or younger")),
                                              (False, (RED, "Reduce all HS 11359 convictions"))])
def test_under_21_at_conviction(tmp_path, on, expected):
    p = person(conv(1, "HS 11359", "F", convicted="1994-04-10"), dob=BIRTH)  # 16
    assert run(tmp_path, p, subjectUnder21AtConviction=on) == expected


def test_under_21_boundary(tmp_path):
    p = person(conv(1, "HS 11359", "F", convicted="1999-04-10"), dob=BIRTH)  # 21st birthday
    assert run(tmp_path, p, subjectUnder21AtConviction=True)[0] is RED
    p = person(conv(1, "HS 11359", "F", convicted="1999-04-09"), dob=BIRTH)
    assert run(tmp_path, p, subjectUnder21AtConviction=True)[0] is DIS


@pytest.mark.parametrize(("dob", "expected"), [("1970-07-01", DIS), ("1970-07-02", RED)])
def test_age_threshold_on_the_as_of_date(tmp_path, dob, expected):
    p = person(conv(1, "HS 11359", "F", convicted="2015-01-01"), dob=dob)
    outcome, summary = run(tmp_path, p, subjectAgeThreshold=50)
    assert outcome is expected
    if expected is DIS:
        assert summary == "50 years or older"


@pytest.mark.parametrize(("convicted", "expected"), [("2007-07-01", DIS), ("2007-07-02", RED)])
def test_years_since_conviction(tmp_path, convicted, expected):
    p = person(conv(1, "HS 11359", "F", convicted=convicted), dob=BIRTH)
    outcome, summary = run(tmp_path, p, yearsSinceConvictionThreshold=13)
    assert outcome is expected
    if expected is DIS:
        assert summary == "Conviction occurred 13 or more years ago"


def test_years_crime_free(tmp_path):
    old = conv(1, "HS 11359", "F", convicted="2010-07-01")
    p = person(old, conv(2, "PC 1234", "F", convicted="2013-06-30"), dob=BIRTH)
    assert run(tmp_path, p, yearsCrimeFreeThreshold=6) == (DIS, "No convictions in the past 6 years")
    p = person(old, conv(2, "PC 1234", "F", convicted="2015-07-01"), dob=BIRTH)
    assert run(tmp_path, p, yearsCrimeFreeThreshold=6)[0] is RED


def test_only_prop64_charges_and_deceased(tmp_path):
    weed = [conv(1, "HS 11357(a)", "F", convicted="2008-05-04"),
            conv(2, "HS 11359", "F", convicted="2008-05-04"),
            conv(3, "HS 11360", "F", convicted="2009-05-04")]
    p = person(*weed, dob=BIRTH)
    assert run(tmp_path, p, 2, reduce=(), subjectHasOnlyProp64Charges=True) == \
        (DIS, "Only has 11357-60 charges")
    p = person(*weed, conv(4, "HS 5555", "F", convicted="2008-05-04"), dob=BIRTH)
    assert run(tmp_path, p, 2, subjectHasOnlyProp64Charges=True)[0] is RED
    p = person(*weed, conv(4, "HS 57675", "F", convicted="2009-05-04"), dob=BIRTH, deceased=True)
    assert run(tmp_path, p, 3, reduce=(), subjectIsDeceased=True) == (DIS, "Individual is deceased")
    assert run(tmp_path, p, 3)[0] is RED


def test_order_of_the_switches(tmp_path):
    """Under 21 comes first even when every later switch also holds."""
    p = person(conv(1, "HS 11359", "F", convicted="1994-04-10"), dob=BIRTH, deceased=True)
    outcome, summary = run(tmp_path, p, subjectUnder21AtConviction=True, subjectAgeThreshold=40,
                           yearsSinceConvictionThreshold=1, subjectHasOnlyProp64Charges=True,
                           subjectIsDeceased=True)
    assert summary == "21 years or younger"


def test_strikes_pc290_and_late_convictions_are_notes_not_exclusions(tmp_path):
    p = person(conv(1, "HS 11358", "F", offense="2017-01-01", convicted="2017-02-14"),
               conv(2, "PC 187", "F", convicted="1991-04-11"), dob=BIRTH,
               events=[reg("1990-01-01")])
    d = decide(p, 1, policy=bear(tmp_path, dismiss=("11358",), reduce=()), as_of=AS_OF)
    assert d.outcome is DIS and d.summary == "Dismiss all HS 11358 convictions"
    info = {r.code for r in d.reasons if r.kind == "info"}
    assert {"after_prop64_info", "super_strike_info", "pc290_registration_info"} <= info


def test_only_the_county_is_determined(tmp_path):
    p = person(conv(1, "HS 11359", "F", county="YOLO"), dob=BIRTH)
    d = decide(p, policy=bear(tmp_path), county="SACRAMENTO")
    assert d.outcome is Outcome.NOT_APPLICABLE


def test_felony_of_a_section_in_neither_list(tmp_path):
    p = person(conv(1, "HS 11360", "F", convicted="2015-01-01"), dob=BIRTH)
    assert run(tmp_path, p, reduce=("11359",))[0] is Outcome.NOT_ELIGIBLE


def test_configurable_toml_matches_bear_json():
    from .tests_rules_paths import gogen
    toml, js = load_policy("configurable"), load_policy(gogen("eligibility_options.json"))
    assert toml.bear == js.bear
