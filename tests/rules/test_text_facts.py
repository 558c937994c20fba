"""Issue 12, point 2: facts in the offense or comment text that keep a felony.

HS 11359(c)(3) (knowing sale or attempted sale to a person under 18), 11359(d) (a person 21+
hiring, employing or using a person 20 or younger), 11360(a)(3)(C) (selling, furnishing,
administering or giving away to a person under 18), 11360(a)(3)(D) (importing into the state,
or transporting for sale out of it), 11358(d)(3)(F) (substantial environmental harm to public
lands or resources): stated in the text, the conviction goes to review with the text quoted,
never to a silent redesignation. The patterns are data (resources/law/felony_facts.json).
"""

from __future__ import annotations

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.rules.law import load_law

from .helpers import conv, decide, person, texts

MISD, NE, REV = Outcome.REDESIGNATE_MISDEMEANOR, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW

# (section, offense text, comment, outcome for an adult felony of 2005, citation)
FACTS = [
    ("HS 11359", "11359 HS-POSS MARIJ FOR SALE TO MINOR", None, REV, "HS 11359(c)(3)"),
    ("HS 11359", "11359 HS", "ATTEMPTED SALE OF MARIJUANA TO A JUVENILE", REV, "HS 11359(c)(3)"),
    ("HS 11359", "11359 HS-POSS FOR SALE", "DEF SOLD TO PERSON UNDER 18", REV, "HS 11359(c)(3)"),
    ("HS 11359", "11359 HS-EMPLOY MINOR TO SELL MARIJ", None, REV, "HS 11359(d)"),
    ("HS 11359", "11359 HS", "USED MINOR TO TRANSPORT", REV, "HS 11359(d)"),
    ("HS 11359", "11359 HS", "HIRED PERSON 20 YRS TO SELL", REV, "HS 11359(d)"),
    ("HS 11360(a)", "11360(A) HS-FURNISH MARIJ TO MINOR", None, REV, "HS 11360(a)(3)(C)"),
    ("HS 11360", "11360 HS-GIVE AWAY MARIJUANA TO MINOR", None, REV, "HS 11360(a)(3)(C)"),
    ("HS 11360(a)", "11360(A) HS-IMPORT MARIJ INTO STATE", None, REV, "HS 11360(a)(3)(D)"),
    ("HS 11360(a)", "11360(A) HS", "TRANSPORT FOR SALE OUT OF STATE", REV, "HS 11360(a)(3)(D)"),
    ("HS 11358", "11358 HS-CULTIVATE MARIJUANA", "GROW ON PUBLIC LANDS", REV, "HS 11358(d)(3)(F)"),
    # the usual descriptions state none of these facts
    ("HS 11359", "11359 HS-POSS MARIJUANA FOR SALE", None, MISD, "HS 11359(b)"),
    ("HS 11360(a)", "11360(A) HS-SELL/TRANSPORT/IMPORT/ETC MARIJ", None, MISD, "HS 11360(a)(2)"),
    ("HS 11360(a)", "11360(A) HS-TRANSPORT/SELL MARIJUANA", None, MISD, "HS 11360(a)(2)"),
    ("HS 11358", "11358 HS-CULTIVATE MARIJUANA", None, MISD, "HS 11358(c)"),
    # a fact of another section does not count: furnishing is 11360's, import too
    ("HS 11359", "11359 HS-IMPORT MARIJ INTO STATE", None, MISD, "HS 11359(b)"),
]


@pytest.mark.parametrize(("section", "raw", "comment", "expected", "cite"), FACTS)
def test_facts_stated_in_the_text(section, raw, comment, expected, cite):
    d = decide(person(conv(1, section, "F", raw_offense=raw, comment_text=comment)))
    assert d.outcome is expected, texts(d)
    assert cite in d.authority
    if expected is REV:
        quoted = raw if comment is None else comment
        assert f'"{quoted}"' in d.summary  # the text is quoted for the clerk
        assert "check the court file" in d.summary


def test_a_same_case_count_can_state_the_environmental_harm():
    grow = conv(1, "HS 11358", "F", raw_offense="11358 HS-CULTIVATE MARIJUANA")
    other = conv(2, "PC 602", "M", raw_offense="602 PC-TRESPASS, ENVIRONMENTAL HARM", case_id=1)
    d = decide(person(grow, other))
    assert d.outcome is REV and "HS 11358(d)(3)(F)" in d.authority
    assert "The same case's conviction PC 602" in d.summary


def test_a_fact_stated_for_a_person_under_18_changes_nothing():
    # HS 11359(c) and (d) concern persons 18 and 21 or older; under 18 it is an infraction
    young = conv(1, "HS 11359", "F", raw_offense="11359 HS-SALE TO MINOR")
    d = decide(person(young, dob="1990-01-01"))
    assert d.outcome is Outcome.REDESIGNATE_INFRACTION, texts(d)


def test_switching_remaining_felony_off_switches_the_text_facts_off(tmp_path):
    from clerkapp.rules.policies import load_policy
    path = tmp_path / "p.toml"
    path.write_text(load_policy("statute").text.replace("remaining_felony = true",
                                                        "remaining_felony = false"))
    c = conv(1, "HS 11360(a)", "F", raw_offense="11360(A) HS-FURNISH MARIJ TO MINOR")
    assert decide(person(c), policy=load_policy(path)).outcome is MISD


def test_every_fact_rule_cites_its_paragraph_and_has_patterns():
    rules = load_law().felony_facts
    assert {r.citation for r in rules} == {
        "HS 11359(c)(3)", "HS 11359(d)", "HS 11360(a)(3)(C)", "HS 11360(a)(3)(D)",
        "HS 11358(d)(3)(F)"}
    assert all(r.patterns and r.fact and r.sections for r in rules)
