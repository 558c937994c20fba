"""Issue 12, point 3: a conspiracy (PC 182) or attempt (PC 664), or both, whose cannabis
target is named only in the description goes the way `182/11359` goes (prop64-rules.md step
1 and 7): review under the statute, the target under as_target; both flags kept; never
silently not_applicable. A store imported before the importer read such texts still holds
PC 182 itself: the engine reads the target from the text, and a run never shares such a
conviction's determination with other PC 182s."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.domain.records import PersonRecord
from clerkapp.rules.service import evaluate

from .helpers import conv, decide, person, texts
from .store_data import add_history, conviction, sec

REV, NA, MISD = Outcome.NEEDS_REVIEW, Outcome.NOT_APPLICABLE, Outcome.REDESIGNATE_MISDEMEANOR

# (section as stored, offense text, statute outcome, words, as_target outcome)
TARGETS = [
    ("PC 182(a)(1)", "182(A)(1) PC-CONSPIRACY 11359 HS", REV,
     "Conspiracy (PC 182) to commit HS 11359", MISD),
    ("PC 182", "664/182 PC-ATT CONSPIRACY 11360 HS", REV,
     "Attempted conspiracy (PC 664, PC 182) to commit HS 11360", MISD),
    ("PC 664", "664 PC-ATTEMPT 11359 HS", REV, "Attempt (PC 664) to commit HS 11359", MISD),
    ("PC 182", "182 PC-CONSPIRACY 459 PC", NA, "PC 459", NA),   # a target, not cannabis
    ("PC 182", "182 PC-CONSPIRACY", NA, "PC 182", NA),           # no target named
]


@pytest.mark.parametrize(("section", "raw", "expected", "words", "as_target"), TARGETS)
def test_a_target_named_only_in_the_description(section, raw, expected, words, as_target):
    p = person(conv(1, section, "F", raw_offense=raw))
    d = decide(p)
    assert d.outcome is expected, texts(d)
    assert words in d.summary
    assert d.authority  # HS 11361.8 or the rule that decided
    loose = decide(p, policy="dismiss-all")
    assert loose.outcome is (Outcome.DISMISS_AND_SEAL if expected is REV else NA), texts(loose)


def test_the_same_as_a_target_written_first():
    """`182(A)(1) PC-CONSPIRACY 11359 HS` and `182/11359` give the same determination."""
    described = conv(1, "PC 182(a)(1)", "F", raw_offense="182(A)(1) PC-CONSPIRACY 11359 HS")
    written = conv(1, "HS 11359", "F", conspiracy=True, raw_offense="182/11359 PC")
    a, b = decide(person(described)), decide(person(written))
    assert (a.outcome, a.summary, a.authority) == (b.outcome, b.summary, b.authority)


def test_a_run_decides_each_one_from_its_own_text(store):
    """Two PC 182(a)(1) convictions of one county: one names HS 11359 in its description,
    one names nothing. The shared (per-section) path would give both the same answer."""
    people = [PersonRecord("doj:1", dob="1970-01-01"), PersonRecord("doj:2", dob="1970-01-01")]
    c182 = sec("PC", "182", "a", "1")
    convictions = [
        replace(conviction("doj:1", 1, c182), raw_offense="182(A)(1) PC-CONSPIRACY 11359 HS"),
        replace(conviction("doj:2", 2, c182), raw_offense="182(A)(1) PC-CONSPIRACY"),
    ]
    add_history(store, people, convictions)
    evaluate(store, policy="statute", as_of="2020-01-01", county="SACRAMENTO", operator="t")
    outcomes = sorted(r[1] for r in store.current_results())
    assert outcomes == ["needs_review", "not_applicable"]
