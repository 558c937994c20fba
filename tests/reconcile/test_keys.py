"""Case numbers, dates of birth, sections and dates: what counts as the same."""

from __future__ import annotations

import pytest

from clerkapp.domain.casenumbers import case_core, case_keys, normalize_case_number
from clerkapp.reconcile.compare import (
    dates_close,
    disposition_class,
    dob_key,
    dob_relation,
    norm_id,
    norm_ssn,
    section_relation,
)


@pytest.mark.parametrize("text, want", [
    ("BA123456", "BA123456"),
    ("ba-0123456", "BA123456"),  # dashes, leading zeros, case
    ("BA123456-01", "BA123456"),  # count suffix
    ("BA 123456 CT 2", "BA123456"),
    ("Case No. BA123456", "BA123456"),  # label
    ("NULL", ""),
])
def test_case_number_normalized(text, want):
    assert normalize_case_number(text) == want


def test_court_prefix_meets_on_digit_core():
    assert case_core("LA BA0123456") == case_core("BA123456") == "123456"
    assert case_keys(["LA BA123456"]) & case_keys(["BA123456"]) == {"#123456"}
    assert case_core("F12") == ""  # too short to identify anything


def test_dob_relations():
    assert dob_relation("1980-03-04", "1980-03-04") == "same"
    assert dob_relation("1980-03-04", "1980-04-03") == "transposed"
    assert dob_key("1980-03-04") == dob_key("1980-04-03")
    assert dob_relation("1980", "1980-04-03") == "partial"
    assert dob_relation("1980-04", "1980-04-03") == "partial"
    assert dob_relation("1981-04-03", "1980-04-03") == "different"
    assert dob_relation(None, "1980-04-03") == "missing"


def test_sections_subsection_compatible():
    assert section_relation(("HS", "11357", "c"), ("HS", "11357", "c")) == "same"
    assert section_relation(("HS", "11357", ""), ("HS", "11357", "c")) == "compatible"
    assert section_relation(("HS", "11360", "a"), ("HS", "11360", "a,2")) == "compatible"
    assert section_relation(("HS", "11357", "b"), ("HS", "11357", "c")) == "different"
    assert section_relation(("HS", "11359", ""), ("HS", "11360", "")) == "different"


def test_conviction_dates_small_tolerance():
    assert dates_close("2001-05-01", "2001-05-20")
    assert not dates_close("2001-05-01", "2001-08-01")
    assert dates_close("2001-05", "2001-05-20")
    assert dates_close(None, "2001-05-20") is None


def test_identifiers_and_dispositions():
    assert norm_id(" 123-45 678 ") == "12345678"
    assert norm_id("NULL") == "" and norm_id("0000") == ""
    assert norm_ssn("912-34-5678") == "912345678"
    assert norm_ssn("000123456") == "" and norm_ssn("999999999") == ""
    assert disposition_class("CONVICTED-JAIL") == disposition_class("Guilty plea") == "convicted"
    assert disposition_class("DISMISSED/CHARGE DROPPED") == "dismissed"
