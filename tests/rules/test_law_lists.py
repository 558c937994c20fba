"""Issue 12, point 1: the law lists as the statutes read (resources/law/*.json).

HS 11358(d)(3) lists exactly (A)-(F); PC 667(e)(2)(C)(iv) makes PC 207 and 220 (other than
220(b)) super strikes only with intent to commit a listed sex offense (clause (I), by WIC
6600(b)), and PC 653f only in subdivision (b) (clause (V)); PC 209, 209.5 and 220(b) are
punishable by life (clause (VIII)). A condition the record does not show sends the
conviction to review, never to not_eligible.
"""

from __future__ import annotations

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.rules.law import Match, load_law

from .helpers import conv, decide, person, texts

MISD, NE, REV = Outcome.REDESIGNATE_MISDEMEANOR, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW


def _with_prior(section: str, **kw):
    prior = conv(2, section, "F", offense="1999-01-10", convicted="1999-04-15", **kw)
    return decide(person(conv(1, "HS 11359", "F"), prior))


# (prior conviction, outcome of an adult's felony HS 11359 of 2005, words, citation)
SUPER_STRIKES = [
    ("PC 207", REV, "only when committed with intent to commit PC 261", "WIC 6600(b)"),
    ("PC 207(a)", REV, "only when committed with intent", "PC 667(e)(2)(C)(iv)(I)"),
    ("PC 220", REV, "only when committed with intent", "WIC 6600(b)"),
    ("PC 220(a)(1)", REV, "assault with intent to commit mayhem is not", "WIC 6600(b)"),
    ("PC 220(b)", NE, "is a super strike", "PC 667(e)(2)(C)(iv)(VIII)"),
    ("PC 209", NE, "is a super strike", "PC 667(e)(2)(C)(iv)(VIII)"),
    ("PC 209(b)(1)", NE, "is a super strike", "PC 667(e)(2)(C)(iv)(VIII)"),
    ("PC 209.5", NE, "is a super strike", "PC 667(e)(2)(C)(iv)(VIII)"),
    ("PC 653f(b)", NE, "is a super strike", "PC 667(e)(2)(C)(iv)(V)"),
    ("PC 653f", REV, "may be a super strike", "HS 11359(c)(1)"),
    ("PC 653f(a)", MISD, "", ""),          # solicitation of robbery etc.: not a super strike
    ("PC 653f(d)", MISD, "", ""),          # solicitation of a drug offense
    ("PC 653f(c)", NE, "requires sex-offender registration", "PC 290(c)"),  # PC 290, not (iv)
    ("PC 187(a)", NE, "is a super strike", "PC 667(e)(2)(C)(iv)"),
]


@pytest.mark.parametrize(("section", "expected", "words", "cite"), SUPER_STRIKES)
def test_super_strikes_as_the_statute_lists_them(section, expected, words, cite):
    d = _with_prior(section)
    assert d.outcome is expected, texts(d)
    assert words in d.summary
    assert cite in d.authority


def test_no_conditional_super_strike_makes_a_conviction_not_eligible_by_itself():
    """Every entry the data marks conditional, as the only prior: review with its condition."""
    law = load_law()
    conditional = [e for e in law.super_strikes.entries if e.condition]
    assert {e.ref.text for e in conditional} == {"PC 207", "PC 220"}
    for entry in conditional:
        d = _with_prior(entry.ref.text)
        assert d.outcome is REV, entry.ref.text
        assert entry.condition in d.summary
        assert entry.citation in d.authority


def test_a_conditional_super_strike_beside_a_certain_one_still_excludes():
    kidnap = conv(2, "PC 207", "F", offense="1999-01-10", convicted="1999-04-15")
    murder = conv(3, "PC 187", "F", offense="1999-01-10", convicted="1999-04-15")
    assert decide(person(conv(1, "HS 11359", "F"), kidnap, murder)).outcome is NE


def test_bear_still_shows_pc_207_as_a_super_strike_on_record():
    kidnap = conv(2, "PC 207", "F", offense="1999-01-10", convicted="1999-04-15")
    d = decide(person(conv(1, "HS 11359", "F"), kidnap), policy="configurable")
    assert "Super strike on record: PC 207" in texts(d)


# HS 11358(d)(3): (A) WC 1052; (B) WC 13260, 13264, 13272, 13387; (C) FG 5650, 5652;
# (D) FG 1602(a); (E) PC 374.8. Nothing else.
ENVIRONMENTAL = [
    ("WC 1052", REV, "HS 11358(d)(3)(A)"),
    ("WC 13260", REV, "HS 11358(d)(3)(B)"),
    ("WC 13264(a)", REV, "HS 11358(d)(3)(B)"),
    ("WC 13272", REV, "HS 11358(d)(3)(B)"),
    ("WC 13387(a)(1)", REV, "HS 11358(d)(3)(B)"),
    ("FG 5650(a)(6)", REV, "HS 11358(d)(3)(C)"),
    ("FG 5652", REV, "HS 11358(d)(3)(C)"),
    ("FG 1602(a)", REV, "HS 11358(d)(3)(D)"),
    ("FG 1602", REV, "HS 11358(d)(3)(D)"),   # the subdivision that decides is not recorded
    ("PC 374.8", REV, "HS 11358(d)(3)(E)"),
    ("FG 1602(b)", MISD, ""),
    ("WC 13376", MISD, ""),                  # not in the list (corrected 2026-12-03)
    ("WC 13385", MISD, ""),
    ("VC 23112.5", MISD, ""),
]


@pytest.mark.parametrize(("section", "expected", "cite"), ENVIRONMENTAL)
def test_environmental_violations_of_11358_d_3(section, expected, cite):
    grow = conv(1, "HS 11358", "F")
    other = conv(2, section, "M", case_id=1)
    d = decide(person(grow, other))
    assert d.outcome is expected, texts(d)
    assert cite in d.authority


def test_the_environmental_list_is_exactly_a_to_e():
    law = load_law()
    listed = {e.ref.text: e.citation for e in law.environmental.entries}
    assert listed == {
        "WC 1052": "HS 11358(d)(3)(A)", "WC 13260": "HS 11358(d)(3)(B)",
        "WC 13264": "HS 11358(d)(3)(B)", "WC 13272": "HS 11358(d)(3)(B)",
        "WC 13387": "HS 11358(d)(3)(B)", "FG 5650": "HS 11358(d)(3)(C)",
        "FG 5652": "HS 11358(d)(3)(C)", "FG 1602(a)": "HS 11358(d)(3)(D)",
        "PC 374.8": "HS 11358(d)(3)(E)",
    }
    assert all(law.environmental.match(e.ref) is Match.YES for e in law.environmental.entries)
