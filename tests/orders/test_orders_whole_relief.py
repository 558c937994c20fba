"""Orders state the whole relief (issue 12, point 7), read back from real PDFs with pypdf:
the resentencing track (HS 11361.8(b), (c); PC 1170.18(c)) against the completed-sentence
track (HS 11361.8(e)-(h)), the case's own count number and the offense each count becomes,
the HS 11590 switch, and the juvenile variant (HS 11361.8(m); WIC 602, 827)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from pypdf import PdfReader

from clerkapp.errors import BadInput, TemplateError
from clerkapp.orders.counts import age_band, count_number, load_resulting
from clerkapp.orders.juvenile import load_juvenile
from clerkapp.orders.service import print_orders
from clerkapp.orders.templates import load_template
from clerkapp.paths import FORMS_DIR


def text_of(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(path)).pages))


@dataclass
class Variant:
    """One per-case order: the counts it covers and what its text must and must not say."""

    name: str
    counts: list[dict]
    says: list[str]
    never: list[str] = field(default_factory=list)
    person: dict = field(default_factory=dict)


PUBLIC_SAFETY = ("would not pose an unreasonable risk of danger to public safety, as defined in"
                 " Penal Code section 1170.18(c) (Health and Safety Code section 11361.8(b))")
NO_HEARING = "no hearing was requested, and none is required (Health and Safety Code section 11361.8(g)"
FILL_IN = ["New sentence imposed: ______",
           "Credit for time already served: ______ days actual + ______ days conduct",
           "Supervision (Health and Safety Code section 11361.8(c)): □ released from supervision",
           "□ ____________________ supervision for ____________"]

VARIANTS = [
    # HS 11361.8(b)-(c): still serving; the court's public-safety finding, no "no hearing"
    # recital, and lines the judge completes for sentence, credit and supervision
    Variant("resentence", [dict(section="HS 11360(a)", level="F", count="001003002000",
                                outcome="redesignate_misdemeanor", remedy="resentence")],
            says=[PUBLIC_SAFETY, *FILL_IN,
                  "Count 2, HS 11360(a), resentenced as HS 11360(a)(2), misdemeanor:",
                  "2 HS 11360(a) 06/07/1991 Felony Recalled and resentenced as a misdemeanor"
                  " HS 11360(a)(2), misdemeanor HS 11361.8(b); HS 11361.9"],
            never=["No hearing was requested", "no hearing was requested", "as stated",
                   "for all purposes"]),
    # HS 11361.8(e)-(h): sentence complete; "no hearing" (11361.8(g)), no public-safety finding
    Variant("redesignate", [dict(section="HS 11359", level="F", count="2",
                                 outcome="redesignate_misdemeanor"),
                            dict(section="HS 11358", level="F", count="4",
                                 outcome="redesignate_misdemeanor")],
            says=[NO_HEARING, "2 HS 11359 06/07/1991 Felony Redesignated as a misdemeanor"
                  " HS 11359(b), misdemeanor", "4 HS 11358 06/07/1991 Felony Redesignated as a"
                  " misdemeanor HS 11358(c), misdemeanor", "for all purposes (Health and Safety"
                  " Code section 11361.8(f), (h))"],
            never=["unreasonable risk", "New sentence imposed", "Credit for time", "as stated"]),
    Variant("dismiss", [dict(section="HS 11357(b)", level="M", count="1")],
            says=[NO_HEARING, "1 HS 11357(b) 06/07/1991 Misdemeanor Dismissed as legally invalid"
                  " and sealed None (dismissed)", "record of conviction is ordered sealed"],
            never=["unreasonable risk", "New sentence imposed", "resulting offense stated"]),
    # still serving, but dismissed: the finding, and no sentence to fill in
    Variant("resentence-dismiss", [dict(section="HS 11357(b)", level="M", count="",
                                        remedy="resentence")],
            says=[PUBLIC_SAFETY, "— HS 11357(b) 06/07/1991 Misdemeanor Sentence recalled;"
                  " dismissed as legally invalid and sealed None (dismissed)"],
            never=["No hearing was requested", "no hearing was requested", "New sentence imposed"]),
    # both tracks in one case: both recitals, each for its own counts
    Variant("mixed", [dict(section="HS 11359", level="F", count="1",
                           outcome="redesignate_misdemeanor"),
                      dict(section="HS 11360(a)", level="F", count="2",
                           outcome="redesignate_misdemeanor", remedy="resentence")],
            says=[NO_HEARING, PUBLIC_SAFETY, "Count 2, HS 11360(a), resentenced as"
                  " HS 11360(a)(2), misdemeanor:"],
            never=["Count 1, HS 11359, resentenced"]),
    # under 18 at the offense, in juvenile court: "In the Matter of", adjudication
    Variant("juvenile", [dict(section="HS 11359", level="F", count="1",
                              outcome="redesignate_infraction", court="CASC ALAMEDA JUVENILE",
                              offense_date="1987-01-05", conviction_date="1987-03-01")],
            says=["In the Matter of JUVENILO, JAY, a person found to come within Welfare and"
                  " Institutions Code section 602", "JUVENILE ADJUDICATION",
                  "juvenile adjudication(s) listed below", "(Health and Safety Code section"
                  " 11361.8(m))", "1 HS 11359 03/01/1987 Felony Redesignated as an infraction"
                  " HS 11359(a), infraction", "Judge of the Juvenile Court",
                  "In re JUVENILO, JAY", "Welfare and Institutions Code section 827"],
            never=["PEOPLE OF THE STATE OF CALIFORNIA", "People v.", "conviction(s) listed"],
            person=dict(name="JUVENILO,JAY", dob="1970-02-03")),
    # under 18 but tried in the adult court: a conviction, "People v."
    Variant("minor-adult-court", [dict(section="HS 11359", level="F", count="1",
                                       outcome="redesignate_infraction", court="CASC ALAMEDA",
                                       offense_date="1987-01-05")],
            says=["PEOPLE OF THE STATE OF CALIFORNIA v. ADULTCT, AMY", "HS 11359(a), infraction"],
            never=["In the Matter of"], person=dict(name="ADULTCT,AMY", dob="1970-02-03")),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_per_case_order_states_the_whole_relief(variant, store, casebook, court_profile,
                                                tmp_path):
    court_profile(store)
    person = {"name": "CASEPERSON,PAT", **variant.person}
    for count in variant.counts:
        casebook.conviction("CASE-1", **person, **{"outcome": "dismiss_and_seal", **count})
    casebook.decide("CASE-1", "approved")
    summary = print_orders(store, tmp_path)
    (path,) = summary.files
    text = text_of(path)
    for expected in variant.says:
        assert expected in text, expected
    for absent in variant.never:
        assert absent not in text, absent
    assert "11590" not in text  # the court's switch, off by default
    template = "per-case-order-juvenile" if variant.name == "juvenile" else "per-case-order"
    assert summary.orders[0].template.startswith(template + " v")
    assert summary.juvenile == (variant.name == "juvenile")


@pytest.mark.parametrize(("key", "number"), [
    ("001002003000", "3"),  # DOJ CNT_ORDER: cycle 001, step 002, count 003
    ("002001012000", "12"),
    ("000000000000", ""),
    ("1", "1"), ("03", "3"), ("3A", "3A"),
    ("", ""), (None, ""), ("ABC123", ""), ("1234567", ""),
])
def test_count_number_is_the_records_own(key, number):
    assert count_number(key) == number


@pytest.mark.parametrize(("outcome", "section", "subs", "dob", "offense", "flags", "text"), [
    # HS 11357 (old numbering: (a) concentrate, (b) <= 28.5 g, (c) more, (d) school)
    ("redesignate_infraction", "11357", "b", "1980-01-01", "1995-01-01", {}, "HS 11357(a)(1), infraction"),
    ("redesignate_infraction", "11357", "b", "1980-01-01", "1999-01-01", {}, "HS 11357(a)(2), infraction"),
    ("redesignate_infraction", "11357", "c", "1980-01-01", "1995-01-01", {}, "HS 11357(b)(1), infraction"),
    ("redesignate_misdemeanor", "11357", "a", "1960-01-01", "1995-01-01", {}, "HS 11357(b)(2), misdemeanor"),
    ("redesignate_misdemeanor", "11357", "", "1960-01-01", "1995-01-01", {}, "HS 11357(b)(2), misdemeanor"),
    ("redesignate_misdemeanor", "11357", "d", "1960-01-01", "1995-01-01", {}, "HS 11357(c), misdemeanor"),
    ("redesignate_infraction", "11357", "a", "1980-01-01", "1995-01-01", {}, "HS 11357, infraction"),
    # HS 11358: (a) under 18, (b) 18 to 20, (c) misdemeanor
    ("redesignate_infraction", "11358", "", "1980-01-01", "1995-01-01", {}, "HS 11358(a), infraction"),
    ("redesignate_infraction", "11358", "", "1980-01-01", "2000-06-01", {}, "HS 11358(b), infraction"),
    ("redesignate_infraction", "11358", "", "", "2000-06-01", {}, "HS 11358, infraction"),  # age unknown
    ("redesignate_misdemeanor", "11358", "", "", "", {}, "HS 11358(c), misdemeanor"),
    # HS 11359: (a) under 18, (b) misdemeanor
    ("redesignate_infraction", "11359", "", "1980-01-01", "1995-01-01", {}, "HS 11359(a), infraction"),
    ("redesignate_misdemeanor", "11359", "", "", "", {}, "HS 11359(b), misdemeanor"),
    # HS 11360: (a)(1) under 18, (a)(2) misdemeanor, (b) 28.5 g or less
    ("redesignate_infraction", "11360", "a", "1980-01-01", "1995-01-01", {}, "HS 11360(a)(1), infraction"),
    ("redesignate_misdemeanor", "11360", "a", "", "", {}, "HS 11360(a)(2), misdemeanor"),
    ("redesignate_misdemeanor", "11360", "", "", "", {}, "HS 11360(a)(2), misdemeanor"),
    ("redesignate_infraction", "11360", "b", "1980-01-01", "1999-01-01", {}, "HS 11360(b), infraction"),
    # attempts and conspiracies keep their own section in front
    ("redesignate_misdemeanor", "11359", "", "", "", {"conspiracy": True}, "PC 182/HS 11359(b), misdemeanor"),
    ("redesignate_misdemeanor", "11360", "a", "", "", {"attempted": True}, "PC 664/HS 11360(a)(2), misdemeanor"),
    # a dismissal leaves nothing
    ("dismiss_and_seal", "11357", "b", "", "", {}, ""),
])
def test_resulting_offense_comes_from_the_law(outcome, section, subs, dob, offense, flags, text):
    found = load_resulting().of(outcome, section, subs, dob=dob, offense_date=offense, **flags)
    assert found.text == text
    if "(" in text.split(",")[0].split("/")[-1]:  # a subsection named: its citation too
        assert found.citation.startswith(text.split(",")[0].split("/")[-1])


@pytest.mark.parametrize(("dob", "on", "band"), [
    ("1980-06-15", "1998-06-14", "under 18"), ("1980-06-15", "1998-06-15", "18 to 20"),
    ("1980-06-15", "2001-06-15", "21 or older"), ("1980", "1998-06-14", None),
    ("", "1998-06-14", None), ("1980-06-15", "", None), ("1980-02-30", "1998-01-01", None),
])
def test_age_band(dob, on, band):
    assert age_band(dob, on) == band


@pytest.mark.parametrize(("court", "disposition", "dob", "offense", "juvenile"), [
    ("CASC LOS ANGELES JUVENILE", "", "1980-01-01", "1995-01-01", True),
    ("JUV CT EASTLAKE", "", "", "1995-01-01", True),  # no DOB: the court decides
    ("CASC SACRAMENTO", "CONVICTED-WARDSHIP", "1980-01-01", "1995-01-01", True),
    ("", "WIC 602 PETITION SUSTAINED", "1980-01-01", "1995-01-01", True),
    ("CASC LOS ANGELES JUVENILE", "", "1970-01-01", "1995-01-01", False),  # 25 at the offense
    ("CASC LOS ANGELES", "CONVICTED-JAIL", "1980-01-01", "1995-01-01", False),  # adult court
    ("CAMC JUVENTUS PLAZA", "", "1980-01-01", "1995-01-01", False),  # whole words only
])
def test_juvenile_adjudication_from_the_record(court, disposition, dob, offense, juvenile):
    assert load_juvenile().applies(court, disposition, dob, offense, "") is juvenile


def test_bulk_order_leaves_juvenile_adjudications_to_per_case_orders(store, casebook,
                                                                     court_profile, tmp_path,
                                                                     capsys):
    court_profile(store)
    casebook.conviction("ADULT-1", "ADULT,ANN", section="HS 11359", level="F",
                        outcome="redesignate_misdemeanor", count="001002001000")
    casebook.conviction("JUV-1", "JUNIOR,JO", dob="1980-01-01", section="HS 11359", level="F",
                        outcome="redesignate_infraction", court="CASC ALAMEDA JUVENILE",
                        offense_date="1995-01-01")
    for case in ("ADULT-1", "JUV-1"):
        casebook.decide(case, "approved")
    summary = print_orders(store, tmp_path, bulk=True)
    assert summary.juvenile_left_out == 1 and summary.convictions == 1
    text = text_of(summary.files[0])
    assert "ADULT-1" in text and "JUV-1" not in text and "JUNIOR" not in text
    assert "ADULT, ANN 02/03/1970 A12345678 1 HS 11359 06/07/1991 Felony Redesignated" \
           " misdemeanor HS 11359(b), misdemeanor" in text
    # the juvenile one alone cannot make a bulk order: it is printed per case
    with pytest.raises(BadInput, match=r"juvenile adjudications, which a bulk order never lists"):
        print_orders(store, tmp_path / "again", bulk=True, conviction_ids=casebook.by_case["JUV-1"])
    per_case = print_orders(store, tmp_path / "cases", conviction_ids=casebook.by_case["JUV-1"])
    assert "In the Matter of JUNIOR, JO" in text_of(per_case.files[0])


@pytest.mark.parametrize(("remedies", "says", "never"), [
    (("redesignate",), ["no hearing was requested"], ["unreasonable risk", "per-case order for that person"]),
    (("resentence",), ["would not pose an unreasonable risk of danger to public safety",
                       "Code section 1170.18(c)", "per-case order for that person"],
     ["no hearing was requested"]),
    (("redesignate", "resentence"), ["no hearing was requested", "unreasonable risk"], []),
])
def test_bulk_order_recitals_follow_the_track(remedies, says, never, store, casebook,
                                              court_profile, tmp_path):
    court_profile(store)
    for i, remedy in enumerate(remedies):
        casebook.conviction(f"C-{i}", f"PERSON{i},PAT", section="HS 11359", level="F",
                            outcome="redesignate_misdemeanor", remedy=remedy)
        casebook.decide(f"C-{i}", "approved")
    text = text_of(print_orders(store, tmp_path, bulk=True).files[0])
    for expected in says:
        assert expected in text, expected
    for absent in never:
        assert absent not in text, absent
    assert "as stated" not in text and "11590" not in text


def _with_hs11590(tmp_path, kind: str, block: str, paragraph_text: str | None = None) -> str:
    name = "per-case-order" if kind == "case" else "bulk-order"
    text = (FORMS_DIR / f"{name}.toml").read_text(encoding="utf-8")
    start = text.index("[hs11590]")
    end = text.index("\n[", start + 1)
    text = text[:start] + block + text[end:]
    if paragraph_text is not None:
        text = re.sub(r'\{ when = "hs11590", text = "[^"]*" \}',
                      f'{{ when = "hs11590", text = "{paragraph_text}" }}', text)
    path = tmp_path / f"{name}-court.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("block", "paragraph", "error"), [
    ('[hs11590]\nenabled = true\nauthority = ""\n', None,
     "key hs11590.authority: name the law or order relied on"),
    ('[hs11590]\nenabled = true\nauthority = "Stats. 2017, ch. 27"\n',
     "Relieved of registration.", "must contain the placeholder {hs11590.authority}"),
    ('[hs11590]\nenabled = "yes"\nauthority = "x"\n', None, "key hs11590.enabled: must be true or false"),
])
def test_hs11590_switch_needs_its_authority(block, paragraph, error, tmp_path):
    for kind in ("case", "bulk"):
        path = _with_hs11590(tmp_path, kind, block, paragraph)
        with pytest.raises(TemplateError, match=re.escape(error)):
            load_template(path, kind)


@pytest.mark.parametrize("kind", ["case", "bulk"])
def test_hs11590_paragraph_when_the_court_turns_it_on(kind, court_store, tmp_path):
    authority = "Order of the Presiding Judge No. 2026-17"
    path = _with_hs11590(tmp_path, kind, f'[hs11590]\nenabled = true\nauthority = "{authority}"\n')
    summary = print_orders(court_store, tmp_path / "out", bulk=kind == "bulk", template=path)
    texts = [text_of(p) for p in summary.files]
    assert any("section 11590" in t and f"({authority})" in t for t in texts)
    assert all(("11590" in t) == (f"({authority})" in t) for t in texts)
