"""Every row of the statute's decision table (prop64-rules.md step 4), and steps 1-3 and 6."""

from __future__ import annotations

import pytest

from clerkapp.domain.outcomes import Outcome, Remedy
from clerkapp.rules.table import TABLE

from .helpers import conv, decide, person, texts

DIS, MISD, INF = Outcome.DISMISS_AND_SEAL, Outcome.REDESIGNATE_MISDEMEANOR, Outcome.REDESIGNATE_INFRACTION
NE, REV, NA = Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW, Outcome.NOT_APPLICABLE
AGE25, AGE19, AGE16 = "2005-06-15", "1999-06-15", "1996-06-15"

TABLE_CASES = [
    # section, level, offense date (age), expected
    ("HS 11357(b)", "M", AGE25, DIS),
    ("HS 11357(b)", "I", AGE25, DIS),
    ("HS 11357(b)", "F", AGE25, DIS),
    ("HS 11357(b)", "M", AGE19, INF),
    ("HS 11357(b)", "F", AGE16, INF),
    ("HS 11357(b)", "I", AGE19, NE),
    ("HS 11357(b)", "I", AGE16, NE),
    ("HS 11357(a)", "F", AGE19, MISD),
    ("HS 11357(a)", "F", AGE25, MISD),
    ("HS 11357", "F", AGE25, MISD),
    ("HS 11357(c)", "F", AGE16, INF),
    ("HS 11357(a)", "M", AGE16, INF),
    ("HS 11357(c)", "M", AGE25, REV),
    ("HS 11357(d)", "M", AGE19, REV),
    ("HS 11357", "M", AGE25, DIS),
    ("HS 11357", "I", AGE25, DIS),
    ("HS 11358", "F", AGE25, MISD),
    ("HS 11358", "F", AGE19, MISD),
    ("HS 11358", "F", AGE16, INF),
    ("HS 11358", "M", AGE16, INF),
    ("HS 11358", "M", AGE25, NE),
    ("HS 11359", "F", AGE25, MISD),
    ("HS 11360(a)", "F", AGE25, MISD),
    ("HS 11360", "F", AGE19, MISD),
    ("HS 11359", "F", AGE16, INF),
    ("HS 11359", "M", AGE16, INF),
    ("HS 11360(a)", "F", AGE16, INF),
    ("HS 11359", "M", AGE25, NE),
    ("HS 11360(a)", "M", AGE25, NE),
    ("HS 11360(b)", "M", AGE25, DIS),
    ("HS 11360(b)", "F", AGE25, DIS),
    ("HS 11360(b)", "F", AGE19, INF),
    ("HS 11360(b)", "M", AGE16, INF),
    # not in the table -> review, naming the fact
    ("HS 11358", "I", AGE25, REV),
    ("HS 11357", "M", AGE19, REV),
    ("HS 11357(c)", "F", AGE25, REV),
    ("HS 11360", "M", AGE25, REV),
    ("HS 11357(f)", "M", AGE25, REV),
]


@pytest.mark.parametrize(("section", "level", "offense", "expected"), TABLE_CASES)
def test_table_rows(section, level, offense, expected):
    d = decide(person(conv(1, section, level, offense=offense, convicted=offense)))
    assert d.outcome is expected, texts(d)
    assert d.reasons and all(r.text for r in d.reasons)


def test_every_table_row_is_walked_by_a_case():
    from clerkapp.rules.law import parse_ref
    from clerkapp.rules.table import AGE_18_20, AGE_21_PLUS, UNDER_18, lookup, section_kind
    band = {AGE25: AGE_21_PLUS, AGE19: AGE_18_20, AGE16: UNDER_18}
    walked = {id(lookup(section_kind(parse_ref(s), None), lvl, band[off]))
              for s, lvl, off, _ in TABLE_CASES}
    assert all(id(row) in walked for row in TABLE)


def test_amount_in_the_text_decides_11357_without_subsection():
    c = conv(1, "HS 11357", "M", offense=AGE25, raw_offense="11357 HS-POSS MARIJ LESS THAN 1 OZ")
    assert decide(person(c)).outcome is DIS
    c = conv(1, "HS 11357", "M", offense=AGE19, raw_offense="11357 HS-POSS MARIJ LESS THAN 1 OZ")
    assert decide(person(c)).outcome is INF
    c = conv(1, "HS 11357", "M", offense=AGE25, raw_offense="11357 HS-POSS MARIJ OVER 1 OZ")
    assert decide(person(c)).outcome is REV


def test_relief_reasons_name_the_age_and_the_date_used():
    d = decide(person(conv(1, "HS 11359", "F", offense="2005-06-15")))
    assert d.outcome is MISD
    assert "Age at the offense: age 25 (arrest date 2005-06-15)" in d.summary
    assert "Offense before 2016-11-09 (arrest date 2005-06-15)" in d.summary
    assert "HS 11359(b)" in d.authority and "HS 11361.8(e)" in d.authority


@pytest.mark.parametrize(("offense", "expected"), [("1998-06-14", INF), ("1998-06-15", MISD)])
def test_18th_birthday(offense, expected):
    assert decide(person(conv(1, "HS 11359", "F", offense=offense))).outcome is expected


@pytest.mark.parametrize(("offense", "expected"), [("2001-06-14", INF), ("2001-06-15", DIS)])
def test_21st_birthday(offense, expected):
    assert decide(person(conv(1, "HS 11357(b)", "M", offense=offense))).outcome is expected


@pytest.mark.parametrize(("offense", "convicted", "expected"), [
    ("2016-11-08", "2016-11-08", MISD),
    ("2016-11-09", "2016-11-09", NE),
    ("2016-11-08", "2017-03-01", MISD),  # arrest before, conviction after: eligible
])
def test_cutoff_on_the_offense_date(offense, convicted, expected):
    d = decide(person(conv(1, "HS 11359", "F", offense=offense, convicted=convicted)))
    assert d.outcome is expected, texts(d)
    if expected is NE:
        assert "on or after 2016-11-09" in d.summary and "arrest date 2016-11-09" in d.summary


def test_only_the_conviction_date_stands_in():
    before = decide(person(conv(1, "HS 11359", "F", offense=None, convicted="2016-11-08")))
    assert before.outcome is MISD and "conviction date 2016-11-08" in before.summary
    after = decide(person(conv(1, "HS 11359", "F", offense=None, convicted="2016-11-09")))
    assert after.outcome is NE and "presumed" in after.summary


def test_unknown_offense_date_review_option(tmp_path):
    from clerkapp.rules.policies import load_policy
    path = tmp_path / "county.toml"
    path.write_text('[policy]\nname = "county"\n[options]\nunknown_offense_date = "review"\n')
    d = decide(person(conv(1, "HS 11359", "F", offense=None, convicted="2017-01-05")),
               policy=load_policy(path))
    assert d.outcome is REV and "offense date decides" in d.summary


def test_no_date_at_all_and_partial_dates():
    assert decide(person(conv(1, offense=None, convicted=None))).outcome is REV
    d = decide(person(conv(1, offense="2016-11", convicted=None)))
    assert d.outcome is REV and "partial" in d.summary
    assert decide(person(conv(1, offense="2016-10", convicted=None))).outcome is MISD


def test_level_unknown_goes_to_review():
    d = decide(person(conv(1, "HS 11359", None)))
    assert d.outcome is REV and "level" in d.summary.lower()


def test_partial_dob_decides_only_when_every_day_agrees():
    # born some day in 1980: on 2000-06-01 the person was 19 or 20 -> one band
    assert decide(person(conv(1, "HS 11357(b)", "M", offense="2000-06-01"), dob="1980")).outcome is INF
    # on 2001-06-01 the person was 20 or 21 -> two bands with different outcomes
    d = decide(person(conv(1, "HS 11357(b)", "M", offense="2001-06-01"), dob="1980"))
    assert d.outcome is REV and "date of birth" in d.summary and "age 20 to 21" in d.summary
    # but for a felony 11359 both bands give the same outcome
    assert decide(person(conv(1, "HS 11359", "F", offense="2001-06-01"), dob="1980")).outcome is MISD
    assert decide(person(conv(1, "HS 11359", "F"), dob="19800000")).outcome is MISD


def test_no_dob_where_age_decides():
    d = decide(person(conv(1, "HS 11359", "F"), dob=None))
    assert d.outcome is REV and "date of birth" in d.summary


@pytest.mark.parametrize("section", ["HS 11357.5", "HS 11359.5", "PC 487", "VC 23152(a)"])
def test_not_cannabis_is_not_applicable(section):
    d = decide(person(conv(1, section, "F")))
    assert d.outcome is NA and "not one of HS 11357-11360" in d.summary and d.remedy is None


def test_unreadable_section():
    assert decide(person(conv(1, None, "F", raw_offense="POSS MARIJ"))).outcome is REV
    assert decide(person(conv(1, None, "F", raw_offense="TRESPASS"))).outcome is NA


@pytest.mark.parametrize(("attempted", "conspiracy", "form"), [
    (True, False, "Attempt (PC 664)"), (False, True, "Conspiracy (PC 182)")])
def test_attempts_and_conspiracies(attempted, conspiracy, form):
    c = conv(1, "HS 11359", "F", attempted=attempted, conspiracy=conspiracy)
    d = decide(person(c))
    assert d.outcome is REV
    assert form in d.summary and "HS 11359" in d.summary
    assert "Redesignate as misdemeanor" in d.summary
    assert decide(person(c), policy="dismiss-all").outcome is DIS


def test_attempts_as_target_option(tmp_path):
    from clerkapp.rules.policies import load_policy
    path = tmp_path / "p.toml"
    path.write_text('[options]\nattempts_and_conspiracies = "as_target"\n')
    d = decide(person(conv(1, "HS 11359", "F", attempted=True)), policy=load_policy(path))
    assert d.outcome is MISD and any(r.code == "attempt_as_target" for r in d.reasons)


@pytest.mark.parametrize(("flags", "kw", "expected"), [
    (("offense_comment_disagree",), {}, REV),
    (("set_aside_1203_4",), {}, REV),
    (("sentence_see_comment",), {}, REV),
    (("offense_from_comment",), {}, MISD),
    ((), {"raw_offense": "11359 HS-POSS FOR SALE", "comment_text": "11360(A) HS"}, REV),
    ((), {"raw_offense": "SEE COMMENT FOR CHARGE", "comment_text": "11359 HS"}, MISD),
])
def test_clerks_eye_flags(flags, kw, expected):
    d = decide(person(conv(1, "HS 11359", "F", flags=flags, **kw)))
    assert d.outcome is expected, texts(d)
    if expected is REV:
        assert any(r.code == "otherwise" for r in d.reasons)


def test_comment_charge_case_is_decided_on_the_comment_section():
    c = conv(1, "HS 11358", "F", raw_offense="SEE COMMENT FOR CHARGE",
             comment_text="11358 HS-CULTIVATE", flags=("offense_from_comment",))
    assert decide(person(c)).outcome is MISD


@pytest.mark.parametrize(("end", "remedy", "code"), [
    ("2021-03-01", Remedy.RESENTENCE, "sentence_running"),
    ("2019-12-31", Remedy.REDESIGNATE, "sentence_complete"),
    ("2020-01-01", Remedy.REDESIGNATE, "sentence_complete"),
    (None, Remedy.REDESIGNATE, "sentence_unknown"),
])
def test_remedy(end, remedy, code):
    d = decide(person(conv(1, "HS 11359", "F", sentence_end=end)), as_of="2020-01-01")
    assert d.remedy is remedy and any(r.code == code for r in d.reasons)


def test_no_remedy_without_relief():
    assert decide(person(conv(1, "HS 11359", "M"))).remedy is None


def test_county_scope():
    here = conv(1, "HS 11359", "F", county="Sacramento")
    there = conv(2, "HS 11359", "F", county="YOLO")
    p = person(here, there)
    assert decide(p, 1, county="SACRAMENTO").outcome is MISD
    d = decide(p, 2, county="sacramento")
    assert d.outcome is NA and "YOLO" in d.summary
    assert decide(p, 2, county="").outcome is MISD


def test_memoized_not_applicable_results_keep_their_own_reasons():
    from datetime import date

    from clerkapp.rules.engine import Context, evaluate_person
    from clerkapp.rules.policies import load_policy
    p = person(conv(1, "PC 459", "F", county=None), conv(2, "PC 459", "F"),
               conv(3, "PC 459", "F", county="YOLO"), conv(4, "PC 459", "F", county="YOLO"))
    ctx = Context(load_policy("statute"), date(2020, 1, 1), "sacramento")
    got = {d.conviction_id: (d.outcome, d.summary) for d in evaluate_person(p, ctx)}
    assert got[1] == (NA, "County not recorded")
    assert "not one of HS 11357-11360" in got[2][1]
    assert got[3] == got[4] and "YOLO" in got[3][1]
