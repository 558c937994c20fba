"""The code-section parser against the spellings real records use, and property checks."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clerkapp.domain.records import Section
from clerkapp.domain.sections import _fast, _scan, infer_code, parse_section, section_matches

ATT = "attempt"
CONSP = "conspiracy"

# (text as read, normalized text or None, flag)
TABLE = [
    ("11357 HS", "HS 11357", None),
    ("HS 11357(a)", "HS 11357(a)", None),
    ("H&S 11357(A)", "HS 11357(a)", None),
    ("11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM", "HS 11357(c)", None),
    ("11357A", "HS 11357(a)", None),
    ("11357B2 HS", "HS 11357(b)(2)", None),
    ("11359HS-INTENT SELL", "HS 11359", None),
    ("11360(a)(2) HS", "HS 11360(a)(2)", None),
    ("664/11357(c) HS", "HS 11357(c)", ATT),
    ("664.11357(c) HS", "HS 11357(c)", ATT),
    ("66411357(c) HS", "HS 11357(c)", ATT),
    ("664-11357(c) HS", "HS 11357(c)", ATT),
    ("11359/664", "HS 11359", ATT),
    ("182/11359 PC", "HS 11359", CONSP),
    ("496,3(A)(2)", "PC 496.3(a)(2)", None),
    ("11357.5", "HS 11357.5", None),
    ("11357.5 HS-SYNTH CANNABINOID", "HS 11357.5", None),
    ("187", "PC 187", None),
    ("11357", "HS 11357", None),
    ("SEE COMMENT FOR CHARGE", None, None),
    ("", None, None),
    ("   ", None, None),
    ("POSS MARIJUANA", None, None),
    ("664/187 PC", "PC 187", ATT),
    ("PC 664/187", "PC 187", ATT),
    ("664 187", "PC 187", ATT),
    ("182.5 PC", "PC 182.5", None),
    ("182(A)(1)/11359 HS", "HS 11359", CONSP),
    ("664/HS 11360(a)", "HS 11360(a)", ATT),
    ("POSS MARIJ FOR SALE HS 11359", "HS 11359", None),
    ("H + S 11358", "HS 11358", None),
    ("H.S. 11358(c)", "HS 11358(c)", None),
    ("HSC 11360", "HS 11360", None),
    ("hs 11357(b)", "HS 11357(b)", None),
    ("11357(b) hs", "HS 11357(b)", None),
    ("11357 (B) H&S", "HS 11357(b)", None),
    ("HS-11357", "HS 11357", None),
    ("HS11357C", "HS 11357(c)", None),
    ("P.C. 288(B)(1)", "PC 288(b)(1)", None),
    ("288(a) PC", "PC 288(a)", None),
    ("PC 261(a)(2)", "PC 261(a)(2)", None),
    ("B&P 4060", "BP 4060", None),
    ("BP 25662(a)", "BP 25662(a)", None),
    ("W&I 602", "WI 602", None),
    ("WIC 707(b)", "WI 707(b)", None),
    ("VC 23152(a)", "VC 23152(a)", None),
    ("23152(B) VC-DUI ALC/.08 PERCENT", "VC 23152(b)", None),
    ("CVC 14601.1(a)", "VC 14601.1(a)", None),
    ("12022.53 PC", "PC 12022.53", None),
    ("11350(A)HS-POSS NARC CONTROL SUBSTANCE", "HS 11350(a)", None),
    ("11377(A) H&S", "HS 11377(a)", None),
    ("11418(a)(1)", "PC 11418(a)(1)", None),
    ("664/11418(a)(1) PC", "PC 11418(a)(1)", ATT),
    ("273.5(A) PC-INFLICT CORPORAL INJ", "PC 273.5(a)", None),
    ("1203.4 PC", "PC 1203.4", None),
    ("11359 HS/664 PC", "HS 11359", ATT),
    ("11360A HS", "HS 11360(a)", None),
    ("'11357 HS", "HS 11357", None),
    ("*11358 HS", "HS 11358", None),
    ("11357(A)(1)HS", "HS 11357(a)(1)", None),
    ("11360(A)(3)(D) HS", "HS 11360(a)(3)(d)", None),
    ("288.5 PC", "PC 288.5", None),
    ("653F(B) PC", "PC 653f(b)", None),
    ("PC 653f(b)", "PC 653f(b)", None),
    ("273AB PC-ASSAULT CHILD W/FORCE GBI/DEATH", "PC 273ab", None),
    ("288A(B)(1) PC-ORAL COPULATION", "PC 288a(b)(1)", None),
    ("266H(B) PC", "PC 266h(b)", None),
    ("647A PC", "PC 647a", None),
    ("647(A) PC", "PC 647(a)", None),
    ("1203.4A PC", "PC 1203.4a", None),
    ("245A1 PC", "PC 245(a)(1)", None),
    ("23152A VC", "VC 23152(a)", None),
    ("11360(A1) HS", "HS 11360(a)(1)", None),
    ("11357.0", "HS 11357", None),
    ("664187", "PC 187", ATT),
    ("20191231", None, None),
    ("NULL", None, None),
    ("182(A)(1) PC/11359 HS", "HS 11359", CONSP),
    ("664 PC/187", "PC 187", ATT),
    ("HEALTH & SAFETY CODE 11357", "HS 11357", None),
    ("HEALTH AND SAFETY CODE SECTION 11359(b)", "HS 11359(b)", None),
    ("PENAL CODE 187", "PC 187", None),
    ("H&S CODE 11357", "HS 11357", None),
    ("HS§11357", "HS 11357", None),
    ("11357, 11358 HS", "HS 11357", None),
    ("11413", "PC 11413", None),
    ("FG 5650", "FG 5650", None),
    ("WC 13376", "WC 13376", None),
    ("MV 1672(A)", "MV 1672(a)", None),
]


@pytest.mark.parametrize(("text", "expected", "flag"), TABLE)
def test_real_spellings(text, expected, flag):
    section = parse_section(text)
    if expected is None:
        assert section is None
        return
    assert section is not None
    assert section.text == expected
    assert section.attempted == (flag == ATT)
    assert section.conspiracy == (flag == CONSP)


def test_table_is_big_enough():
    assert len(TABLE) >= 40


def test_11357_5_is_not_11357():
    assert not section_matches(parse_section("11357.5 HS"), "HS 11357")
    assert section_matches(parse_section("11357(c) HS"), "HS 11357")


def test_infer_code():
    assert infer_code("11357") == "HS"
    assert infer_code("11651") == "HS"
    assert infer_code("11652") == "PC"
    assert infer_code("11418") == "PC"
    assert infer_code("187") == "PC"
    assert infer_code("10999") == "PC"


@pytest.mark.parametrize(
    ("text", "entry", "expected"),
    [
        ("PC 288(a)", "PC 288", True),
        ("PC 288(a)", "PC 288(a)", True),
        ("PC 288(b)(1)", "PC 288(b)", True),
        ("PC 288(b)", "PC 288(b)(1)", False),
        ("PC 288(a)", "PC 288(b)", False),
        ("PC 288.5", "PC 288", False),
        ("HS 288", "PC 288", False),
        ("664/187", "PC 187", False),
        ("664/187", "664/187 PC", True),
        ("187", "664/187 PC", False),
    ],
)
def test_section_matches(text, entry, expected):
    assert section_matches(parse_section(text), entry) is expected


def test_section_matches_inchoate_and_none():
    assert section_matches(parse_section("664/187"), "PC 187", inchoate=True)
    assert not section_matches(None, "PC 187")
    assert not section_matches(parse_section("PC 187"), "SEE COMMENT")
    assert section_matches(parse_section("PC 187"), Section("PC", "187"))


# --- properties -----------------------------------------------------------------------------

CODE_SPELLINGS = {
    "HS": ["HS", "H&S", "H+S", "HSC", "H & S"],
    "PC": ["PC", "P.C."],
    "VC": ["VC"],
    "BP": ["BP", "B&P"],
    "WI": ["WI", "W&I", "WIC"],
}


@st.composite
def sections(draw):
    code = draw(st.sampled_from(sorted(CODE_SPELLINGS)))
    whole = draw(st.integers(min_value=10, max_value=99999))
    if str(whole)[:3] in {"664", "182"}:
        whole += 1000 if whole < 99000 else -1000  # a number that reads as a wrapper prefix
    if code == "PC" and infer_code(str(whole)) == "HS":
        whole += 20000  # PC sections in the HS range are ambiguous beside 664/182
    number = str(whole)
    if draw(st.booleans()):
        number += "." + str(draw(st.integers(min_value=1, max_value=99)))
    if code == "PC" and whole < 10000 and draw(st.booleans()):
        number += draw(st.sampled_from(["a", "ab", "f", "h"]))  # lettered: PC 273ab
    n_subs = draw(st.integers(min_value=0, max_value=3))
    subs = []
    for i in range(n_subs):
        if i % 2 == 0:
            subs.append(draw(st.sampled_from("abcdefg")))
        else:
            subs.append(str(draw(st.integers(min_value=1, max_value=12))))
    wrap = draw(st.sampled_from([None, "attempted", "conspiracy"]))
    return Section(code, number, tuple(subs), wrap == "attempted", wrap == "conspiracy")


def render(section: Section, form: int, spelling: str, upper: bool) -> str:
    parens = "".join(f"({s})" for s in section.subs)
    if upper:
        parens = parens.upper()
    glued = "".join(section.subs).upper()
    core_paren = (section.number.upper() if upper else section.number) + parens
    wrapper = "664" if section.attempted else "182" if section.conspiracy else ""
    if form == 0:
        body = f"{spelling} {core_paren}"
        return f"{spelling} {wrapper}/{core_paren}" if wrapper else body
    if form == 1:
        text = f"{core_paren} {spelling}"
        return f"{wrapper}/{text}" if wrapper else text
    lettered = not section.number[-1].isdigit()
    if form == 2 and (lettered or (section.code == "PC" and len(section.subs) == 1)):
        form = 1  # `10B PC` reads as the lettered section PC 10b, so glue only unambiguous subs
    if form == 2:  # glued subsections
        text = f"{section.number}{glued} {spelling}"
        return f"{wrapper}-{text}" if wrapper else text
    if form == 3:  # description glued after the code
        gap = " " if lettered and not section.subs else ""  # `10ABPC`: 10a B&P or 10ab PC?
        text = f"{core_paren}{gap}{spelling}-POSS CONTROLLED SUBST/28.5 GRAM"
        sep = "." if sum(ch.isdigit() for ch in section.number.split(".")[0]) >= 3 else "/"  # `664.37` is a section
        return f"{wrapper}{sep}{text}" if wrapper else text
    text = f"{core_paren} {spelling}"  # trailing wrapper
    return f"{section.number}{parens}/{wrapper} {spelling}" if wrapper else text


@settings(max_examples=400, deadline=None)
@given(sections(), st.integers(min_value=0, max_value=4), st.data(), st.booleans())
def test_rendered_forms_parse_back(section, form, data, upper):
    spelling = data.draw(st.sampled_from(CODE_SPELLINGS[section.code]))
    text = render(section, form, spelling, upper)
    assert parse_section(text) == section, text


@settings(max_examples=400, deadline=None)
@given(sections(), st.integers(min_value=0, max_value=4), st.data(), st.booleans(),
       st.sampled_from(["", "-POSS", " POSS", "/664", " HS", "-664 PC", "A", " (B)"]))
def test_fast_path_agrees_with_the_scanner(section, form, data, upper, tail):
    spelling = data.draw(st.sampled_from(CODE_SPELLINGS[section.code]))
    text = (render(section, form, spelling, upper) + tail).upper()
    fast = _fast(text)
    if fast is not None:
        assert fast == _scan(text), text


@pytest.mark.parametrize("text", [row[0].upper() for row in TABLE])
def test_fast_path_agrees_on_the_table(text):
    fast = _fast(text)
    assert fast is None or fast == _scan(text)


@settings(max_examples=1000, deadline=None)
@given(st.text())
@example("1A²")  # a superscript two is a digit to str.isdigit() but not to the regex \d
def test_never_raises_on_arbitrary_text(text):
    result = parse_section(text)
    assert result is None or isinstance(result, Section)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789()/.,-& HSPCABhs", max_size=30))
def test_never_raises_on_section_like_text(text):
    result = parse_section(text)
    if result is not None:
        assert result.number and result.code
        assert all(s == s.lower() for s in result.subs)


@pytest.mark.parametrize("shape", ["{n}(C)HS-POSS MARIJUANA {i}", "{n}(A)(2) HS", "HS {n}(B)",
                                   "H&S {n}(A)", "{n}"])
def test_the_common_spellings_take_the_fast_path(shape):
    """What keeps an uncached parse cheap (its speed is measured in bench/bench_sections.py):
    the spellings most records use are read by the fast path's one match, not by the full
    scanner, and give the scanner's answer, every text distinct."""
    for i in range(600):
        n = 11000 + i
        text = shape.format(n=n, i=i)
        fast = _fast(text)
        assert fast is not None and fast.number == str(n), text
        assert fast == _scan(text) == parse_section(text), text
