"""Issue 12, point 6: every determination names its authority, `needs_review` and
`not_applicable` included, under every policy: a grid of convictions and histories that
reaches every outcome; a review question and a reason for not applying carry their citation
each."""

from __future__ import annotations

import itertools

import pytest

from clerkapp.domain.outcomes import Outcome

from .helpers import DOB, conv, decide, person

SECTIONS = ["HS 11357", "HS 11357(b)", "HS 11357(c)", "HS 11358", "HS 11359", "HS 11359(d)",
            "HS 11360(a)", "HS 11360(b)", "HS 11357.5", "PC 32", "PC 182", None]
LEVELS = ["F", "M", "I", None]
DATES = [("2005-06-15", "2005-09-01"), ("2017-01-01", "2017-03-01"), (None, "2017-03-01"),
         (None, None), ("2016", "2016")]
DOBS = [DOB, "1990-01-01", "1970", "2010-01-01", None]  # 2010: born after the offense
COUNTIES = ["SACRAMENTO", "YOLO", None]
TEXTS = [  # (raw offense, comment, flags)
    (None, None, ()),
    ("SEE COMMENT FOR CHARGE", "11359 HS-POSS FOR SALE TO MINOR", ("offense_from_comment",)),
    ("11359 HS", "11360 HS TRANSPORT", ()),
    ("11359 HS", None, ("set_aside_1203_4",)),
    ("11359 HS", None, ("no_name", "no_case_number")),
    ("POSS MARIJUANA", None, ()),
    ("182(A)(1) PC-CONSPIRACY 11359 HS", None, ()),
    ("LOCAL ORD 12-3", None, ("sentence_see_comment",)),
]
PRIORS = [
    (),
    (("PC 187", "1999-01-10", "1999-04-15"),),
    (("PC 207", "1999-01-10", "1999-04-15"),),
    (("PC 245", None, "1999-04-15"),),
    (("HS 11359", "2000-01-01", "2000-02-01"), ("HS 11359", "2001-01-01", "2001-02-01")),
]


def _cases():
    grid = itertools.product(SECTIONS, LEVELS, DATES, DOBS, COUNTIES, TEXTS, PRIORS)
    for i, (section, level, (offense, convicted), dob, county, (raw, comment, flags), priors) \
            in enumerate(grid):
        if i % 47:  # a part of the grid, spread over every dimension
            continue
        if section is None and raw and raw.startswith("182"):
            section = "PC 182(a)(1)"
        c = conv(1, section, level, offense=offense, convicted=convicted, county=county,
                 raw_offense=raw, comment_text=comment, flags=flags)
        others = [conv(10 + k, s, "F", offense=o, convicted=d) for k, (s, o, d) in enumerate(priors)]
        if section == "PC 32":
            others.append(conv(9, "HS 11359", "F", case_id=1))
        yield person(c, *others, dob=dob)


@pytest.mark.parametrize("policy", ["statute", "dismiss-all", "configurable"])
def test_every_determination_names_its_authority(policy):
    seen: dict[Outcome, int] = {}
    for p in _cases():
        d = decide(p, policy=policy, county="sacramento")
        seen[d.outcome] = seen.get(d.outcome, 0) + 1
        assert d.authority, (d.outcome, [(r.code, r.text) for r in d.reasons])
        if d.outcome in (Outcome.NEEDS_REVIEW, Outcome.NOT_APPLICABLE):
            # the question or the reason it is out of reach, each with the law behind it (the
            # age found is a fact the table row beside it cites)
            assert all(r.citation or r.code == "age" for r in d.decisive), \
                [r.code for r in d.decisive if not r.citation]
    expected = {
        "statute": set(Outcome),
        "dismiss-all": {Outcome.DISMISS_AND_SEAL, Outcome.NOT_ELIGIBLE, Outcome.NEEDS_REVIEW,
                        Outcome.NOT_APPLICABLE},
        "configurable": {Outcome.DISMISS_AND_SEAL, Outcome.REDESIGNATE_MISDEMEANOR,
                         Outcome.NEEDS_REVIEW, Outcome.NOT_APPLICABLE},
    }[policy]
    assert expected <= set(seen), seen


def test_a_date_of_birth_after_the_offense_goes_to_review():
    d = decide(person(conv(1, "HS 11359", "F", offense="2005-06-15"), dob="2010-01-01"))
    assert d.outcome is Outcome.NEEDS_REVIEW and d.reasons[-1].code == "dob_after_offense"
    assert d.authority == "HS 11361.8(a), (e)"
