"""Date parsing and the date arithmetic the rules use."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerkapp.domain.dates import add_sentence, age_on, date_bounds, parse_date, two_digit_year

EXCEL_EPOCH = date(1899, 12, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        (date(1989, 4, 15), "1989-04-15"),
        (datetime(1989, 4, 15, 13, 45), "1989-04-15"),
        ("04/15/1989", "1989-04-15"),
        ("4/5/1989", "1989-04-05"),
        ("04-15-1989", "1989-04-15"),
        ("4/15/1989 12:00:00 AM", "1989-04-15"),
        ("1989-04-15", "1989-04-15"),
        ("1989-04-15 00:00:00", "1989-04-15"),
        ("1989-04-15T10:30", "1989-04-15"),
        ("19890415", "1989-04-15"),
        ("19700000", "1970"),
        ("19700400", "1970-04"),
        ("19700015", "1970"),
        ("04151989", "1989-04-15"),
        ("041589", "1989-04-15"),
        ("04/15/89", "1989-04-15"),
        ("1970-04", "1970-04"),
        ("1970", "1970"),
        (32613, "1989-04-15"),
        (32613.75, "1989-04-15"),
        (19890415, "1989-04-15"),
        (19890415.0, "1989-04-15"),
        ("19890415.0", "1989-04-15"),
        (61, "1900-03-01"),
        (59, "1900-02-28"),
        (1, "1900-01-01"),
        ("02/29/2016", "2016-02-29"),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["not a date", "13/01/1989", "02/30/2016", "1989-13-01", "19891301", "20160230", "0",
     "1/2", "15.04.1989", 60, 0, -5, 10**9, float("nan"), True, "02/29/2015", "130589",
     date(1700, 1, 1), "1700-01-01", "12345"],
)
def test_parse_date_refuses(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_error_message_does_not_repeat_the_value():
    with pytest.raises(ValueError) as info:
        parse_date("04/31/1961")
    assert "1961" not in str(info.value)
    assert "day" in str(info.value)
    with pytest.raises(ValueError) as info:
        parse_date("garbage")
    assert "garbage" not in str(info.value)
    assert "MM/DD/YYYY" in str(info.value)


def test_two_digit_year_pivot():
    today = date(2026, 6, 1)
    assert two_digit_year(26, today) == 2026
    assert two_digit_year(25, today) == 2025
    assert two_digit_year(27, today) == 1927
    assert two_digit_year(0, today) == 2000
    assert two_digit_year(99, today) == 1999
    this_year = date.today().year
    assert parse_date(f"01/01/{this_year % 100:02d}") == f"{this_year}-01-01"
    assert parse_date(f"01/01/{(this_year + 1) % 100:02d}") == f"{this_year - 99}-01-01"


dates_1900_2099 = st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(dates_1900_2099)
def test_round_trips(d):
    iso = d.isoformat()
    assert parse_date(d) == iso
    assert parse_date(datetime(d.year, d.month, d.day, 8, 30)) == iso
    assert parse_date(iso) == iso
    assert parse_date(d.strftime("%m/%d/%Y")) == iso
    assert parse_date(f"{d.month}/{d.day}/{d.year}") == iso
    assert parse_date(d.strftime("%Y%m%d")) == iso
    assert parse_date((d - EXCEL_EPOCH).days) == iso  # what Excel stores for a date cell
    assert parse_date(float((d - EXCEL_EPOCH).days) + 0.5) == iso


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1927, 1, 1), max_value=date(2026, 1, 1)))
def test_two_digit_round_trip(d):
    iso = d.isoformat()
    expected_year = two_digit_year(d.year % 100)
    if expected_year == d.year:
        assert parse_date(d.strftime("%m/%d/%y")) == iso
        assert parse_date(d.strftime("%m%d%y")) == iso


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.integers(), st.floats()))
def test_parse_date_only_raises_value_error(value):
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert result is None or date_bounds(result)


def test_date_bounds():
    assert date_bounds("1970") == (date(1970, 1, 1), date(1970, 12, 31))
    assert date_bounds("1970-02") == (date(1970, 2, 1), date(1970, 2, 28))
    assert date_bounds("1972-02") == (date(1972, 2, 1), date(1972, 2, 29))
    assert date_bounds("1970-02-10") == (date(1970, 2, 10), date(1970, 2, 10))
    for bad in ["", "70", "1970-xx", "1970-13", "1970-02-30"]:
        with pytest.raises(ValueError):
            date_bounds(bad)


def test_add_sentence():
    assert add_sentence("2015-01-01", 90) == "2015-04-01"
    assert add_sentence("2016-02-28", 1) == "2016-02-29"
    assert add_sentence("2015-01-01", 0) == "2015-01-01"
    with pytest.raises(ValueError):
        add_sentence("2015-01", 30)


@settings(max_examples=200, deadline=None)
@given(dates_1900_2099, st.integers(min_value=0, max_value=20000))
def test_add_sentence_matches_timedelta(d, days):
    end = d + timedelta(days=days)
    if end.year <= 9999:
        assert add_sentence(d.isoformat(), days) == end.isoformat()


def test_age_on_full_and_partial():
    assert age_on("1990-06-15", date(2011, 6, 14)) == (20, 20)
    assert age_on("1990-06-15", date(2011, 6, 15)) == (21, 21)
    assert age_on("1990-06-15", "2011-06-15") == (21, 21)
    # A partial DOB: anywhere in 1990, so on 2011-06-15 the person is 20 or 21.
    assert age_on("1990", date(2011, 6, 15)) == (20, 21)
    assert age_on("1990", date(2011, 12, 31)) == (21, 21)
    assert age_on("1990-06", date(2011, 6, 15)) == (20, 21)
    assert age_on("1990-06", date(2011, 7, 1)) == (21, 21)
    # Born on 29 February: a year older on 1 March in common years.
    assert age_on("2000-02-29", date(2018, 2, 28)) == (17, 17)
    assert age_on("2000-02-29", date(2018, 3, 1)) == (18, 18)
    # A partial date of the event widens the range too.
    assert age_on("1990-06-15", "2011") == (20, 21)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 12, 31)),
       st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from([4, 7]))
def test_age_range_contains_the_true_age(dob, on, precision):
    partial = dob.isoformat()[:precision]
    low, high = age_on(partial, on)
    true_age = age_on(dob.isoformat(), on)[0]
    assert low <= true_age <= high
    assert high - low <= 1


TODAY = date(2026, 12, 3)


@pytest.mark.parametrize("typed, expected", [
    ("04/07/1985", "1985-04-07"), ("4/7/1985", "1985-04-07"), ("04-07-1985", "1985-04-07"),
    ("1985-04-07", "1985-04-07"), (" 04/07/85 ", "1985-04-07"), ("19850407", "1985-04-07"),
    ("040785", "1985-04-07"), ("02/29/1984", "1984-02-29"), ("12/03/2026", "2026-12-03"),
    ("01/02/27", "1927-01-02"),  # 2027 is to come: only 1927 can be meant
])
def test_typed_date_takes_the_forms_clerks_type(typed, expected):
    from clerkapp.domain.dates import typed_date

    assert typed_date(typed, TODAY) == expected


@pytest.mark.parametrize("typed, says", [
    ("04/07/15", "a two-digit year could be 19.. or 20..: type all four digits"),
    ("070415", "a two-digit year could be 19.. or 20.."),
    ("02/30/1985", "no such day (day out of range for the month (1-28)); dates are month first"),
    ("13/04/1985", "no such day (month out of range (1-12)); dates are month first: MM/DD/YYYY"),
    ("1979", "a whole date is needed, day, month and year"),
    ("1979-04", "a whole date is needed"),
    ("12/04/2026", "that day is after today"),
    ("April 7", "not a date: type it as MM/DD/YYYY (04/07/1985) or YYYY-MM-DD"),
    ("31000", "not a date"),
])
def test_typed_date_refuses_ambiguous_and_impossible_days(typed, says):
    from clerkapp.domain.dates import typed_date

    with pytest.raises(ValueError) as raised:
        typed_date(typed, TODAY)
    assert str(raised.value).startswith(says)
    assert typed.strip() not in str(raised.value)
