"""The DOJ builder's quick reading of a plain day (`doj_readings.plain_day`) gives exactly what
`parse_record_date` gives, or leaves the text to it: every 8-digit text of the years around
1900 and today, months 00-13 and days 00-32, and texts of other shapes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clerkapp.domain.dates import parse_record_date
from clerkapp.ingest.doj_readings import plain_day


def _parsed(text: str) -> str | None:
    try:
        return parse_record_date(text)
    except ValueError:
        return None


def test_a_plain_day_reads_as_parse_record_date_reads_it_or_is_left_to_it():
    today = date.today()
    years = [*range(1848, 1903), *range(today.year - 3, today.year + 3), 2099, 2100]
    read = 0
    for year in years:
        for month in range(14):
            for day in range(33):
                text = f"{year:04d}{month:02d}{day:02d}"
                quick = plain_day(text, today.isoformat())
                if quick is not None:
                    read += 1
                    assert quick == _parsed(text), text
    assert read > 2_000  # most days of the years from 1900 take the quick way


@pytest.mark.parametrize("days", [-2, -1, 0, 1, 2])
def test_days_near_today_are_read_only_before_it(days):
    day = date.today() + timedelta(days=days)
    quick = plain_day(day.strftime("%Y%m%d"), date.today().isoformat())
    assert quick == (day.isoformat() if days < 0 else None)


@pytest.mark.parametrize("text", ["2015011", "201501180", "2015-01-18", "01182015", "２０１５０１１８",
                                  "20150229", "20160229", "2015 118", "+2015011", "19000000",
                                  "19000100", "20151301", "20150132", "20150431"])
def test_other_shapes_are_left_to_parse_record_date(text):
    quick = plain_day(text, date.today().isoformat())
    assert quick is None or quick == _parsed(text)
    if text in {"20160229", "2015-01-18", "01182015", "20150229"}:
        assert quick is None
