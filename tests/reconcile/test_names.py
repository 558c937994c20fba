"""Name comparison: each way the same name is written scores high, other people low."""

from __future__ import annotations

import pytest

from clerkapp.domain.names import name_similarity, name_tokens, name_variants, parse_name


def sim(a: str, b: str) -> float:
    return name_similarity(name_variants(a), name_variants(b))


def test_parse_last_first_and_first_last():
    assert parse_name("GARCIA-LOPEZ,MARIA E") == parse_name("GARCIA-LOPEZ, Maria E")
    assert parse_name("Maria E Lopez").surnames == ("lopez",)
    assert parse_name("SMITH, JOHN JR").given == ("john",)
    assert not parse_name("  ,  ")


@pytest.mark.parametrize("doj, court", [
    ("SMITH,JOHN", "John Smith"),  # LAST,FIRST vs First Last
    ("SMITH,JOHN", "JOHN, SMITH"),  # transposed
    ("GARCIA-LOPEZ,MARIA", "Maria Garcia Lopez"),  # hyphenated vs double surname
    ("GARCIALOPEZ,MARIA", "Maria Garcia-Lopez"),  # written as one word
    ("GARCIA-LOPEZ,MARIA E", "GARCIA, MARIA E"),  # one half of a double surname
    ("SMITH,J", "John Smith"),  # initial
    ("NUNEZ,JOSE", "José Núñez"),  # accents
    ("OBRIEN,KEVIN", "Kevin O'Brien"),  # apostrophe
    ("SMITH,JOHN", "SMITH, JOHN PAUL"),  # middle name on one side
])
def test_same_name_written_differently(doj, court):
    assert sim(doj, court) >= 90


def test_typo_scores_high_but_below_exact():
    assert 85 <= sim("HERNANDEZ,ROSA", "Rosa Hernadnez") < 100
    assert 85 <= sim("MARTINEZ,CARLOS", "Carlos Martinex") < 100


def test_aka_and_aliases():
    assert sim("SMITH,ROBERT", "BOBBY SMITH AKA Robert Smith") == 100
    assert name_similarity(name_variants("SMITH,BOBBY", ["SMITH,ROBERT"]),
                           name_variants("Robert Smith")) == 100


def test_other_people_score_low():
    assert sim("SMITH,JOHN", "JONES,JOHN") < 65
    assert sim("SMITH,JOHN", "Maria Lopez") < 50
    assert sim("", "John Smith") == 0


def test_blocking_tokens_meet_across_spellings():
    a = name_tokens(parse_name("GARCIA-LOPEZ,MARIA E"))
    b = name_tokens(parse_name("Maria Garcia Lopez"))
    assert {"garcia", "lopez", "maria", "garcialopez"} <= a
    assert a & b >= {"garcia", "lopez", "maria"}
