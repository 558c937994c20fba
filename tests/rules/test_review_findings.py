"""Cases an independent review of the engine against prop64-rules.md found decided wrongly,
one table per finding (each row failed before its fix)."""

from __future__ import annotations

import pytest

from clerkapp.domain.outcomes import Outcome

from .helpers import conv, decide, person, texts

DIS, MISD, INF = Outcome.DISMISS_AND_SEAL, Outcome.REDESIGNATE_MISDEMEANOR, Outcome.REDESIGNATE_INFRACTION
NE, REV = Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW
AGE36, AGE25, AGE16 = "2016-10-01", "2005-06-15", "1996-06-15"

# 11357: new numbering (b)(1)/(b)(2) is more than 28.5 g; a bare (b) convicted after Prop 64
# may be either numbering, and then the amount decides.
NUMBERING = [
    ("HS 11357(b)(2)", "M", AGE36, "2017-03-01", "11357B2 HS-POSS MARIJ OVER 28.5 GRAMS", REV, "more than 28.5 g"),
    ("HS 11357(b)(2)", "M", AGE25, "2005-09-01", None, REV, "more than 28.5 g"),
    ("HS 11357(b)(2)", "F", AGE36, "2017-03-01", None, REV, "more than 28.5 g"),
    ("HS 11357(b)(1)", "M", AGE16, "1996-09-01", None, INF, "under 18"),
    ("HS 11357(b)(2)", "M", AGE25, "2005-09-01", "11357 HS POSS MARIJ LESS THAN 1 OZ", REV, "reads 28.5 g or less"),
    ("HS 11357(b)", "M", AGE36, "2017-03-01", None, REV, "may use the new numbering"),
    ("HS 11357(b)", "M", AGE36, "2017-03-01", "11357(B) HS POSS MARIJ LESS THAN 1 OZ", DIS, "lawful today"),
    ("HS 11357(b)", "M", AGE36, "2017-03-01", "11357(B) HS POSS MARIJ OVER 1 OZ", REV, "more than 28.5 g"),
    ("HS 11357(b)", "M", AGE16, "2017-03-01", None, INF, "under 18"),
    ("HS 11357(b)", "M", AGE25, "2005-09-01", None, DIS, "lawful today"),
]


@pytest.mark.parametrize(("section", "level", "offense", "convicted", "raw", "expected", "words"),
                         NUMBERING)
def test_11357_numbering(section, level, offense, convicted, raw, expected, words):
    d = decide(person(conv(1, section, level, offense=offense, convicted=convicted,
                           raw_offense=raw)))
    assert d.outcome is expected, texts(d)
    assert words in texts(d)


# A PC 290 registration that may fall before the offense (HS 11359 F, arrest 2005-06-15) is
# never ignored, even when a later registrable conviction is on record.
REGISTRATION = [
    ("2005", True, REV, "may be before this offense"),
    ("2005-06", True, REV, "may be before this offense"),
    (None, True, REV, "may be before this offense"),
    ("2005-06", False, REV, "may be before this offense"),
    ("2004", True, NE, "before this offense"),
    ("2005-06-14", True, NE, "before this offense"),
    ("2005-07", True, MISD, "misdemeanor today"),
]


@pytest.mark.parametrize(("when", "later_261", "expected", "words"), REGISTRATION)
def test_registration_date_partial_or_missing(when, later_261, expected, words):
    from .helpers import reg
    later = [conv(2, "PC 261", "F", offense="2005-10-01", convicted="2006-01-01")] if later_261 else []
    d = decide(person(conv(1), *later, events=[reg(when)]))
    assert d.outcome is expected, texts(d)
    assert words in texts(d)


# A record one level short of a still-felony subsection names the subsection it lacks.
STILL_FELONY = [
    ("HS 11359(c)", REV, "may be HS 11359(c)(3)"),
    ("HS 11360(a)(3)", REV, "may be HS 11360(a)(3)(c) or HS 11360(a)(3)(d)"),
    ("HS 11359(c)(3)", NE, "remains a felony"),
    ("HS 11360(a)(3)(d)", NE, "remains a felony"),
    ("HS 11360(a)(3)(b)", MISD, "misdemeanor today"),
    ("HS 11359", MISD, "misdemeanor today"),
    ("HS 11360(a)", MISD, "misdemeanor today"),
    ("HS 11360", MISD, "misdemeanor today"),
]


@pytest.mark.parametrize(("section", "expected", "words"), STILL_FELONY)
def test_still_felony_subsection_incomplete(section, expected, words):
    d = decide(person(conv(1, section, "F", offense="2016-10-01", convicted="2017-02-01")))
    assert d.outcome is expected, texts(d)
    assert words in texts(d)


# The amount words are read from the text that carries the charge (HS 11357 F, age 32).
CHARGE_TEXT = [
    ("SEE COMMENT FOR CHARGE", "11357 HS-POSS MARIJ LESS THAN 1 OZ", ("offense_from_comment",), DIS),
    ("SEE COMMENT FOR CHARGE", "11357 HS-POSS MARIJ LESS THAN 1 OZ", (), DIS),
    ("SEE COMMENT FOR CHARGE", "11357 HS POSS MARIJUANA 28.5 GRAMS OR LESS", (), DIS),
    ("SEE COMMENT FOR CHARGE", "11357 HS-POSS MARIJ", ("offense_from_comment",), MISD),
    ("11357 HS-POSS MARIJUANA 28.5 GRAMS OR LESS", None, (), DIS),
    ("11357 HS-POSS MARIJUANA 1 OZ OR LESS", None, (), DIS),
    ("11357 HS-POSS MARIJ NOT MORE THAN 28.5 GRAMS", None, (), DIS),
    ("11357 HS-POSS MARIJ OVER 28.5 GRAMS", None, (), REV),
]


@pytest.mark.parametrize(("raw", "comment", "flags", "expected"), CHARGE_TEXT)
def test_amount_read_from_the_charge_text(raw, comment, flags, expected):
    c = conv(1, "HS 11357", "F", offense="1972-03-01", convicted="1972-05-01", raw_offense=raw,
             comment_text=comment, flags=flags)
    d = decide(person(c, dob="1940-01-01"))
    assert d.outcome is expected, texts(d)


# Offense text and comment are compared as parsed sections (HS 11359 F, age 25).
COMMENT_COMPARE = [
    ("HS 11359", "11359 HS POSS FOR SALE", MISD),
    ("11359 HS", "11359 HS POSS FOR SALE", MISD),
    ("11359HS-INTENT SELL", "11359 HS POSS FOR SALE", MISD),
    ("HS 11359", "11360 HS TRANSPORT MARIJ", REV),
    ("HS 11359", "ORIG CHG 11360(A) HS", REV),
]


@pytest.mark.parametrize(("raw", "comment", "expected"), COMMENT_COMPARE)
def test_offense_text_and_comment_compared_as_sections(raw, comment, expected):
    d = decide(person(conv(1, "HS 11359", "F", raw_offense=raw, comment_text=comment)))
    assert d.outcome is expected, texts(d)
    assert ("different cannabis sections" in texts(d)) is (expected is REV)


# An attempted or conspiracy prior of a listed non-homicide offense stays review, and the
# reason says why truly (HS 11359 F of 2005, prior convicted 1999 as an adult).
INCHOATE_STRIKE = [
    ("PC 207", dict(attempted=True), REV, "includes attempts only of homicide offenses"),
    ("PC 220", dict(attempted=True), REV, "Prior attempt (PC 664) of PC 220 on 1999-06-01"),
    ("PC 187", dict(conspiracy=True), REV, "Prior conspiracy (PC 182) to commit PC 187"),
    ("PC 187", dict(attempted=True), NE, "is a super strike"),
    ("PC 220", {}, REV, "is a super strike only when committed with intent to commit"),
    ("PC 220(b)", {}, NE, "is a super strike"),
]


@pytest.mark.parametrize(("section", "form", "expected", "words"), INCHOATE_STRIKE)
def test_attempted_non_homicide_super_strike_reason(section, form, expected, words):
    prior = conv(2, section, "F", offense="1999-01-01", convicted="1999-06-01", **form)
    d = decide(person(conv(1, "HS 11359", "F"), prior))
    assert d.outcome is expected, texts(d)
    assert words in texts(d)
    assert "subsection or enhancement that decides" not in texts(d)


@pytest.mark.parametrize("raw, comment, expected, code", [
    (None, None, Outcome.NEEDS_REVIEW, "charge_missing"),       # no charge at all: may be cannabis
    ("   ", "", Outcome.NEEDS_REVIEW, "charge_missing"),
    ("LOCAL ORD 12-3", None, Outcome.NOT_APPLICABLE, "section_unreadable"),  # read, not cannabis
    ("POSS MARIJUANA", None, Outcome.NEEDS_REVIEW, "section_unreadable"),
])
def test_a_count_without_a_readable_section(raw, comment, expected, code):
    d = decide(person(conv(1, None, raw_offense=raw, comment_text=comment)))
    assert (d.outcome, d.reasons[0].code) == (expected, code)
