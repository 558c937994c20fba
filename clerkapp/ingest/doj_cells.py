"""Reading and checking a DOJ row's cells, each distinct text once: dates, sections, cycle
numbers and few-valued words repeat endlessly in files of millions of rows, so every reading
is cached by its text. The base of the record builder (doj_records.py).
"""

from __future__ import annotations

from collections import deque
from datetime import date
from operator import itemgetter

from clerkapp.domain.charges import parse_charge
from clerkapp.domain.dates import parse_record_date
from clerkapp.domain.records import RowError, Section
from clerkapp.ingest.doj_columns import (
    CYC_DATE,
    CYC_ORDER,
    FE_NUM_CRT_CASE,
    FE_NUM_DOCKET,
    OFN,
    STP_EVENT_DATE,
    Row,
)
from clerkapp.ingest.doj_fields import NULL_VALUES
from clerkapp.ingest.doj_readings import plain_day

CASE_COLUMNS = (OFN, FE_NUM_CRT_CASE, FE_NUM_DOCKET)
_CASE_TEXTS = itemgetter(*CASE_COLUMNS)
_CELLS = itemgetter(1)  # of a (row number, cells) item
_CYCLE_TEXT = itemgetter(CYC_ORDER)
_CYCLE_DATE_TEXT = itemgetter(CYC_DATE)
_EVENT_DATE_TEXT = itemgetter(STP_EVENT_DATE)
_NULL_LENGTH = max(map(len, NULL_VALUES))  # a longer case number is never a null word


class _Words(dict):
    """A cell's text stripped (None when blank), one object per distinct text: the county,
    court, count and the like repeat a few values, and a shared text crosses to the writer
    as a reference (marshal) instead of a new string to make and free on both sides."""

    def __missing__(self, text: str) -> str | None:
        value = self[text] = text.strip() or None
        return value


class CellReader:
    """Cached readers of a row's cells, and the checks of a chunk's cycle numbers and dates."""

    def __init__(self) -> None:
        self._iso: dict[str, str | None] = {"": None}  # date text -> ISO; None: blank or bad
        self._today = date.today().isoformat()  # a day before it is a plausible record date
        self._good: set[str] = {""}  # date texts that are blank or dates
        self._problems: dict[str, str] = {}  # why a date was refused, when not its form
        self._sections: dict[str, Section | None] = {}
        self._cycles: dict[str, str | None] = {}
        # rows checked a chunk at a time (`check_chunk`): the last row seen, and the rows
        # holding a bad cycle number or date, in order, until their person is built
        self._checked_through = 0
        self._flagged: deque[int] = deque()
        self._good_cycles: set[str] = {""}  # CYC_ORDER texts that are blank or digits
        self._words = _Words()  # few-valued cells (county, court, count, gender, race)

    # -- cached readers ---------------------------------------------------------------------

    def iso(self, text: str) -> str | None:
        """ISO (or partial ISO) text of a date cell; None for blank or a value that is not a
        date (`is_date` tells which)."""
        try:
            return self._iso[text]
        except KeyError:
            pass
        value = None
        stripped = text.strip()
        if stripped and (value := plain_day(stripped, self._today)) is None:
            try:
                value = parse_record_date(stripped)
            except ValueError as exc:
                if str(exc).startswith("implausible"):
                    self._problems[text] = str(exc)
        if value is not None or not stripped:
            self._good.add(text)
        self._iso[text] = value
        return value

    def is_date(self, text: str) -> bool:
        """Whether a date cell is blank or a date (not garbage, not implausible)."""
        if text in self._good:
            return True
        self.iso(text)
        return text in self._good

    def section(self, text: str) -> Section | None:
        try:
            return self._sections[text]
        except KeyError:
            section = self._sections[text] = parse_charge(text)
            return section

    def cycle(self, row: list[str]) -> str | None:
        """CYC_ORDER when it is a cycle number."""
        text = row[CYC_ORDER]
        try:
            return self._cycles[text]
        except KeyError:
            cyc = text.strip()
            found = self._cycles[text] = cyc if cyc.isdigit() else None
            return found

    # -- a chunk's checks -------------------------------------------------------------------

    def check_chunk(self, items: list[Row]) -> None:
        """Check a chunk's cycle numbers and event dates before its people are built: each
        distinct CYC_ORDER, CYC_DATE and STP_EVENT_DATE text once, not every row's. The rows
        holding a bad one are noted, and `add_person` names them in row order (`_check_rows`);
        a person with a row this did not see is checked row by row."""
        if not items:
            return
        cells = list(map(_CELLS, items))
        bad_cycles = {text for text in set(map(_CYCLE_TEXT, cells)) - self._good_cycles
                      if not self._cycle_text_ok(text)}
        dates = set(map(_CYCLE_DATE_TEXT, cells))
        dates.update(map(_EVENT_DATE_TEXT, cells))
        dates -= self._good
        bad_dates = {text for text in dates if not self.is_date(text)}
        if bad_cycles or bad_dates:
            self._flagged.extend(
                n for n, row in items
                if row[CYC_ORDER] in bad_cycles or row[CYC_DATE] in bad_dates
                or row[STP_EVENT_DATE] in bad_dates)
        self._checked_through = items[-1][0]

    def _cycle_text_ok(self, text: str) -> bool:
        """Whether a CYC_ORDER text is blank or a cycle number (remembered when it is)."""
        if text.strip() and not text.strip().isdigit():
            return False
        self._good_cycles.add(text)
        return True

    def _check_rows(self, rows: list[Row], errors: list[RowError]) -> None:
        """A row error for each cycle number or event date that is not one, in row order."""
        good = self._good
        for n, row in rows:
            cyc = row[CYC_ORDER]
            if cyc and not cyc.isdigit() and cyc.strip() and not cyc.strip().isdigit():
                errors.append(RowError(n, "CYC_ORDER", cyc, "not a cycle number"))
            value = row[CYC_DATE]
            if value and value not in good and not self.is_date(value):
                errors.append(self._date_error(n, "CYC_DATE", value))
            value = row[STP_EVENT_DATE]
            if value and value not in good and not self.is_date(value):
                errors.append(self._date_error(n, "STP_EVENT_DATE", value))

    def _date_error(self, n: int, column: str, value: str) -> RowError:
        return RowError(n, column, value, self._problems.get(value, "not a date (expected YYYYMMDD)"))


def row_cases(row: list[str]) -> list[str]:
    """A row's case numbers (OFN, court case, docket), stripped, once each, null words left out."""
    found: list[str] = []
    for value in _CASE_TEXTS(row):
        if value:
            value = value.strip()
            if value and value not in found and (len(value) > _NULL_LENGTH
                                                 or value.upper() not in NULL_VALUES):
                found.append(value)
    return found

