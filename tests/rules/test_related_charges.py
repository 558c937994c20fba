"""Issue 12, point 5: charges of the same case or arrest cycle that suggest a plea bargain
(PC 32, HS 11364, HS 11366, HS 11366.5: related_offenses.json, "HS 11361.8; county practice";
or a count whose comment alone names a cannabis section) are an info reason on the cannabis
conviction and the export's `related_charges` column; `related_charges_review = true` sends
such a conviction to review."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from clerkapp.domain.outcomes import Outcome
from clerkapp.domain.records import PersonRecord
from clerkapp.rules.policies import load_policy
from clerkapp.rules.service import evaluate

from .helpers import conv, decide, person, texts
from .store_data import add_history, conviction, sec

MISD, REV = Outcome.REDESIGNATE_MISDEMEANOR, Outcome.NEEDS_REVIEW

# (the other conviction, same case?, comment, listed as related)
RELATED = [
    ("PC 32", True, None, "PC 32 on 2005-09-01"),
    ("HS 11364", True, None, "HS 11364 on 2005-09-01"),
    ("HS 11366", True, None, "HS 11366 on 2005-09-01"),
    ("HS 11366.5", True, None, "HS 11366.5 on 2005-09-01"),
    ("VC 23222(b)", True, "ORIG CHG 11357 HS", "VC 23222(b) on 2005-09-01 (its comment names HS 11357)"),
    ("PC 32", False, None, None),       # another case and cycle: nothing to do with it
    ("PC 459", True, None, None),       # not a sign of a plea bargain
    ("VC 23222(b)", True, "MARIJ IN VEHICLE", None),  # no cannabis section named
]


def _case(other: str, same: bool, comment: str | None):
    weed = conv(1, "HS 11359", "F")
    kw = dict(case_id=1, cycle_key="cycle1") if same else {}
    return person(weed, conv(2, other, "M", comment_text=comment, **kw))


@pytest.mark.parametrize(("other", "same", "comment", "listed"), RELATED)
def test_related_charges_are_shown(other, same, comment, listed):
    d = decide(_case(other, same, comment))
    assert d.outcome is MISD, texts(d)  # shown, never deciding, by default
    info = [r for r in d.reasons if r.code == "related_charges"]
    if listed is None:
        assert info == []
        return
    (r,) = info
    assert r.kind == "info" and r.text.endswith(listed)
    assert r.citation == "HS 11361.8; county practice"


@pytest.mark.parametrize(("other", "same", "comment", "listed"), RELATED)
def test_the_policy_option_sends_them_to_review(tmp_path, other, same, comment, listed):
    path = tmp_path / "p.toml"
    path.write_text(load_policy("statute").text.replace("related_charges_review = false",
                                                        "related_charges_review = true"))
    d = decide(_case(other, same, comment), policy=load_policy(path))
    if listed is None:
        assert d.outcome is MISD
        return
    assert d.outcome is REV, texts(d)
    assert d.decisive[0].code == "related_charges" and listed in d.summary
    assert d.authority == "HS 11361.8; county practice"
    assert "Without the related charges the rules give: redesignate as misdemeanor" in texts(d)


@pytest.mark.parametrize("policy", ["dismiss-all", "configurable"])
def test_other_policies_show_them_without_changing_the_outcome(policy):
    plain = decide(person(conv(1, "HS 11359", "F")), policy=policy)
    d = decide(_case("PC 32", True, None), policy=policy)
    assert (d.outcome, d.summary) == (plain.outcome, plain.summary)
    assert any(r.code == "related_charges" for r in d.reasons)


def test_the_export_has_a_related_charges_column(store, tmp_path):
    from clerkapp.reports.export import EXPORT_COLUMNS, export_rows
    assert EXPORT_COLUMNS[-1] == "related_charges"  # appended after the older columns
    people = [PersonRecord("doj:1", dob="1970-01-01"), PersonRecord("doj:2", dob="1970-01-01")]
    add_history(store, people, [
        conviction("doj:1", 1, sec("HS", "11359"), cycle="c1", case="A1"),
        conviction("doj:1", 2, sec("HS", "11364"), "M", cycle="c1", case="A1"),
        replace(conviction("doj:1", 3, sec("PC", "32"), "M", cycle="c1", case="A1"),
                raw_offense="32 PC-ACCESSORY"),
        conviction("doj:2", 4, sec("HS", "11359"), cycle="c2", case="B2"),
    ])
    evaluate(store, policy="statute", as_of="2020-01-01", county="SACRAMENTO", operator="t")
    out = tmp_path / "e.csv"
    export_rows(store, out)
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_row = {r["source_row"]: r["related_charges"] for r in rows}
    assert by_row["1"] == "HS 11364 on 2005-09-01; PC 32 on 2005-09-01"
    assert by_row["4"] == "" and by_row["2"] == ""
