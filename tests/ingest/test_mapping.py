"""Header synonyms, header-row scoring, --map overrides and the cell-meaning helpers."""

from __future__ import annotations

import pytest

from clerkapp.errors import BadInput
from clerkapp.ingest.mapping import (
    FIELDS,
    REQUIRED_FIELDS,
    SYNONYMS,
    detect_field,
    detect_mapping,
    find_header_row,
    layout_key,
    missing_fields,
    name_key,
    normalize_header,
    normalize_level,
    resolve_mapping,
    sentence_parts,
    split_case_numbers,
    unique_headers,
)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Case No", "case_number"), ("Case No.", "case_number"), ("CASE_NO", "case_number"),
        ("case #", "case_number"), ("Case Number", "case_number"), ("Docket", "case_number"),
        ("COURTNO", "case_number"), ("Defendant", "name"), ("True Name", "name"),
        ("Last Name", "last_name"), ("LAST_NAME", "last_name"), ("First Name", "first_name"),
        ("DOB", "dob"), ("Date of Birth", "dob"), ("Defendant DOB", "dob"),
        ("Charge", "code_section"), ("Statute", "code_section"), ("Code Section", "code_section"),
        ("CURRENT_CHARGE", "code_section"), ("Statute Violated", "code_section"),
        ("Level", "level"), ("Class", "level"),
        ("CASE_CLAS", "level"), ("F/M", "level"), ("Disposition", "disposition"),
        ("DISPO", "disposition"), ("Conviction Date", "conviction_date"),
        ("Disposition Date", "conviction_date"), ("Sentence Date", "conviction_date"),
        ("Offense Date", "offense_date"), ("Arrest Date", "offense_date"),
        ("Violation Date", "offense_date"), ("County", "county"), ("Court", "court"),
        ("CII", "cii"), ("CII #", "cii"), ("Race", "race"), ("Sex", "gender"),
        ("Gender", "gender"), ("  sentence  ", "sentence"),
    ],
)
def test_headers_map_to_fields(header, field):
    assert detect_field(header) == field


@pytest.mark.parametrize("header", ["", "Notes", "Comments", "Superior Court of California",
                                    "Prop 64 list", "Column C", "Middle Name"])
def test_unrelated_headers_map_to_nothing(header):
    assert detect_field(header) is None


def test_every_field_has_synonyms_and_they_do_not_collide():
    assert set(SYNONYMS) == set(FIELDS)
    owner: dict[str, str] = {}
    for field, spellings in SYNONYMS.items():
        for s in spellings:
            key = normalize_header(s)
            assert owner.setdefault(key, field) == field, f"{s!r} claimed by two fields"
    assert set(REQUIRED_FIELDS) <= set(FIELDS)


def test_header_row_is_the_best_scoring_row_not_the_title():
    rows = [
        ["Superior Court of California, County of Fresno", "", ""],
        ["Case list", "", ""],
        ["", "", ""],
        ["Case Number", "Defendant", "Charge", "Conviction Date"],
        ["F123", "DOE, JOHN", "11357 HS", "01/02/1990"],
    ]
    assert find_header_row(rows) == 3


def test_no_header_row_when_nothing_names_two_fields():
    assert find_header_row([["Charge", "x"], ["DOE, JOHN", "11357"]]) is None


def test_first_column_wins_when_two_name_the_same_field():
    assert detect_mapping(["Docket", "Case Number", "Charge"]) == {
        "Docket": "case_number", "Charge": "code_section"}


def test_blank_and_repeated_headers_get_names():
    assert unique_headers(["Case", "", "Date", "date", ""], 5, first_column=1) == [
        "Case", "Column C", "Date", "date (2)", "Column F"]


def test_overrides_win_and_ignore_drops():
    headers = ["Case No", "Defendant", "Stat", "Charge", "Conv Date", "Notes"]
    mapping = resolve_mapping(headers, {"stat": "code_section", "Charge": "ignore",
                                        "Notes": ""})
    assert mapping == {"Case No": "case_number", "Defendant": "name",
                       "Stat": "code_section", "Conv Date": "conviction_date"}


def test_override_takes_the_field_from_the_detected_column():
    mapping = resolve_mapping(["Case No", "Docket"], {"Docket": "case_number"})
    assert mapping == {"Docket": "case_number"}


def test_override_errors_name_the_problem():
    with pytest.raises(BadInput, match="not in the file: 'Nope'.*headers: A, B"):
        resolve_mapping(["A", "B"], {"Nope": "dob"}, file="x.csv")
    with pytest.raises(BadInput, match="unknown field"):
        resolve_mapping(["A", "B"], {"A": "birthday"})
    with pytest.raises(BadInput) as info:
        resolve_mapping(["SMITH", "1970"], {"Nope": "dob"}, show_headers=False)
    assert "SMITH" not in str(info.value)


def test_last_name_stands_in_for_name():
    assert missing_fields({"a": "last_name", "b": "case_number"}) == [
        "code_section", "conviction_date"]
    assert missing_fields({}) == list(REQUIRED_FIELDS)


def test_layout_key_ignores_spelling_but_not_columns():
    assert layout_key(["Case No.", "DOB"]) == layout_key(["case no", "dob"])
    assert layout_key(["Case No", "DOB"]) != layout_key(["DOB", "Case No"])


@pytest.mark.parametrize(
    ("text", "level"),
    [("F", "F"), ("FEL", "F"), ("Felony", "F"), ("F - FELONY", "F"), ("m", "M"), ("MISD", "M"),
     ("Misdemeanor", "M"), ("I", "I"), ("INF", "I"), ("Infraction", "I"), ("W", None),
     ("WOBBLER", None), ("", None), ("17(b)", None)],
)
def test_levels(text, level):
    assert normalize_level(text) == level


@pytest.mark.parametrize(
    ("name", "last", "first", "key"),
    [
        ("SMITH, JOHN A", None, None, "SMITH,JOHN"),
        ("Smith,John", None, None, "SMITH,JOHN"),
        ("John A. Smith Jr.", None, None, "SMITH,JOHN"),
        ("O'BRIEN-LEE, MARY", None, None, "O'BRIEN-LEE,MARY"),
        (None, "Smith", "John Allen", "SMITH,JOHN"),
        ("MADONNA", None, None, "MADONNA,"),
    ],
)
def test_name_keys(name, last, first, key):
    assert name_key(name, last, first) == key


def test_case_numbers_split_and_nulls_drop():
    assert split_case_numbers("BA123; BA124,BA125") == ["BA123", "BA124", "BA125"]
    assert split_case_numbers("NULL") == []
    assert split_case_numbers("  ") == []


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("JAIL 90 D; PROBATION 3 Y", (3, 0, 90)),
        ("3 YRS PROBATION, 180 DAYS JAIL", (3, 0, 180)),
        ("PROB 36 MONTHS FINE $500", (0, 36, 0)),
        ("LIFE", None),
        ("16", None),
        ("FINE ONLY", None),
        ("2Y 6M", (2, 6, 0)),
    ],
)
def test_sentence_parts(text, parts):
    assert sentence_parts(text) == parts
