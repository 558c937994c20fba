"""Turning one person's DOJ rows into records: the person, one conviction per convicted count,
and the history the rules need (PC 290 registrations, deaths, dismissed counts).

Rows come as lists indexed by column position (no per-row dicts: this runs for every row of
files with millions of them). Section and date texts repeat endlessly, so each distinct text
is parsed once and cached.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from clerkapp.domain.charges import parse_charge
from clerkapp.domain.dates import parse_record_date
from clerkapp.domain.records import (
    ConvictionRecord,
    ParsedBatch,
    PersonEvent,
    PersonRecord,
    RowError,
    Section,
)
from clerkapp.ingest.court_steps import Step, merge_later_steps, reads_as_later_step
from clerkapp.ingest.doj_fields import BEAR_OUTCOMES, INDEX, LEVELS, NULL_VALUES, TOC_LEVELS

SUBJECT_ID = INDEX["SUBJECT_ID"]
CII_NUMBER = INDEX["CII_NUMBER"]
PRI_NAME = INDEX["PRI_NAME"]
GENDER = INDEX["GENDER"]
PRI_DOB = INDEX["PRI_DOB"]
RACE_DESCR = INDEX["RACE_DESCR"]
CYC_ORDER = INDEX["CYC_ORDER"]
CYC_DATE = INDEX["CYC_DATE"]
STP_EVENT_DATE = INDEX["STP_EVENT_DATE"]
STP_TYPE_DESCR = INDEX["STP_TYPE_DESCR"]
STP_ORI_DESCR = INDEX["STP_ORI_DESCR"]
STP_ORI_CNTY_NAME = INDEX["STP_ORI_CNTY_NAME"]
CNT_ORDER = INDEX["CNT_ORDER"]
OFN = INDEX["OFN"]
OFFENSE_DESCR = INDEX["OFFENSE_DESCR"]
OFFENSE_TOC = INDEX["OFFENSE_TOC"]
FE_NUM_DOCKET = INDEX["FE_NUM_DOCKET"]
FE_NUM_CRT_CASE = INDEX["FE_NUM_CRT_CASE"]
DISP_DESCR = INDEX["DISP_DESCR"]
CONV_STAT_DESCR = INDEX["CONV_STAT_DESCR"]
SENT_ORDER = INDEX["SENT_ORDER"]
SENT_LOC_DESCR = INDEX["SENT_LOC_DESCR"]
SENT_LENGTH = INDEX["SENT_LENGTH"]
SENT_TIME_CODE = INDEX["SENT_TIME_CODE"]
SENT_TIME_DESCR = INDEX["SENT_TIME_DESCR"]
COMMENT_TEXT = INDEX["COMMENT_TEXT"]

CANNABIS_NUMBERS = frozenset({"11357", "11358", "11359", "11360"})
SEE_COMMENT = "SEE COMMENT"
SET_ASIDE = re.compile(r"1203[.,]4(?!\d)")
NO_TIME_PARTS = frozenset({"FINE", "RESTITUTION", "FEE", "COSTS"})

# Flags the importer leaves on a conviction for the rules to look at (docs/doj-import.md).
FLAG_DISAGREE = "offense_comment_disagree"
FLAG_NO_NAME = "no_name"  # review/corrections.py: the name is entered before an approval
FLAG_FROM_COMMENT = "offense_from_comment"
FLAG_SET_ASIDE = "set_aside_1203_4"
FLAG_SENTENCE_SEE_COMMENT = "sentence_see_comment"

_BAD = object()  # a cached "does not parse"
_MISSING = object()
DATE_COLUMNS = (CYC_DATE, STP_EVENT_DATE)
FIELD_NAMES = {CYC_DATE: "CYC_DATE", STP_EVENT_DATE: "STP_EVENT_DATE"}
ROUTINE_STEPS = frozenset({"COURT ACTION", "ARREST/DETAINED/CITED"})

Row = tuple[int, list[str]]


class RecordBuilder:
    """Builds the records of one person at a time into a `ParsedBatch`.

    `bear` is the pair of column positions (determination, reason) of a BEAR result file,
    or None for a plain DOJ file.
    """

    def __init__(self, bear: tuple[int | None, int | None] | None = None) -> None:
        self._bear = bear
        self._dates: dict[str, object] = {}
        self._problems: dict[str, str] = {}  # why a date was refused, when not its form
        self._sections: dict[str, Section | None] = {}

    # -- cached parsers ---------------------------------------------------------------------

    def date(self, text: str) -> object:
        """ISO (or partial ISO) text, None for blank, `_BAD` for a value that is not a date."""
        cached = self._dates.get(text)
        if cached is None and text not in self._dates:
            stripped = text.strip()
            if not stripped:
                cached = None
            else:
                try:
                    cached = parse_record_date(stripped)
                except ValueError as exc:
                    cached = None
                    if str(exc).startswith("implausible"):
                        self._problems[text] = str(exc)
                if cached is None:
                    cached = _BAD
            self._dates[text] = cached
        return cached

    def section(self, text: str) -> Section | None:
        try:
            return self._sections[text]
        except KeyError:
            section = self._sections[text] = parse_charge(text)
            return section

    # -- one person -------------------------------------------------------------------------

    def add_person(self, rows: list[Row], batch: ParsedBatch) -> None:
        errors = batch.errors
        first_n, first = rows[0]
        subject = first[SUBJECT_ID].strip()
        cii = first[CII_NUMBER].strip() or None
        if subject:
            key = f"doj:{subject}"
        else:
            key = f"cii:{cii}" if cii else f"doj:row{first_n}"
            errors.append(RowError(first_n, "SUBJECT_ID", "", "no SUBJECT_ID: grouped by "
                                   + ("CII_NUMBER" if cii else "this row alone")))
        dob = self.date(first[PRI_DOB])
        if dob is _BAD:
            # The value is a date of birth: kept out of the error (it is in the source row).
            why = self._problems.get(first[PRI_DOB], "not a date")
            errors.append(RowError(first_n, "PRI_DOB", None,
                                   f"date of birth: {why} (value withheld: personal data)"))
            dob = None
        batch.people.append(PersonRecord(
            key=key, name=first[PRI_NAME].strip() or None, dob=dob, cii=cii,
            gender=first[GENDER].strip() or None, race=first[RACE_DESCR].strip() or None,
        ))

        convicted: dict[object, list[Row]] = {}
        dismissed_seen: set[str] = set()
        steps: list[Step] = []  # later court steps that are not convictions (PROB REVOKED)
        date = self.date
        dget = self._dates.get
        events = batch.events
        for item in rows:
            n, row = item
            cyc = row[CYC_ORDER]
            if cyc and not cyc.isdigit() and cyc.strip() and not cyc.strip().isdigit():
                errors.append(RowError(n, "CYC_ORDER", cyc, "not a cycle number"))
            for col in DATE_COLUMNS:
                value = row[col]
                if value:
                    parsed = dget(value, _MISSING)
                    if parsed is _MISSING:
                        parsed = date(value)
                    if parsed is _BAD:
                        errors.append(RowError(n, FIELD_NAMES[col], value, self._problems.get(
                            value, "not a date (expected YYYYMMDD)")))
            disp = row[DISP_DESCR]
            if disp:
                disp = disp.strip()
                if disp.startswith("CONVICTED"):
                    cnt = row[CNT_ORDER].strip()
                    group = convicted.get(cnt or n)
                    if group is None:
                        convicted[cnt or n] = [item]
                    else:
                        group.append(item)
            step = row[STP_TYPE_DESCR]
            if step in ROUTINE_STEPS:
                if disp and not disp.startswith("CONVICTED"):
                    self._dismissed(key, item, disp, dismissed_seen, events, steps)
                continue
            step = step.strip()
            if step == "REGISTRATION":
                text = row[OFFENSE_DESCR].strip()
                if text.startswith("290"):
                    events.append(self._event(key, "registration", n, row, text))
            elif step == "DECEASED":
                events.append(self._event(key, "deceased", n, row, None))
            elif disp and not disp.startswith("CONVICTED"):
                self._dismissed(key, item, disp, dismissed_seen, events, steps)

        built = [self._conviction(key, group, errors) for group in convicted.values()]
        batch.convictions.extend(merge_later_steps(key, built, steps, events))

    def _dismissed(self, key: str, item: Row, disp: str, seen: set[str],
                   events: list[PersonEvent], steps: list[Step]) -> None:
        """A count that ended without a conviction: history, once per CNT_ORDER. A later
        step on a convicted count (PROBATION REVOKED) is history of that conviction."""
        n, row = item
        if reads_as_later_step(disp):
            when = self.date(row[STP_EVENT_DATE])
            charge = self._charge(row)[0]
            steps.append(Step(
                row=n, cycle_key=_cycle(row), event_date=None if when is _BAD else when,
                section=self.section(charge) if charge else None,
                text=f"{disp}: {charge}" if charge else disp, case_numbers=_cases(row),
                county=row[STP_ORI_CNTY_NAME].strip() or None))
            return
        cnt = row[CNT_ORDER].strip() or str(n)
        if cnt in seen:
            return
        seen.add(cnt)
        charge = self._charge(row)[0]
        event = self._event(key, "dismissed", n, row, charge)
        event.text = f"{disp}: {charge}" if charge else disp
        events.append(event)

    def _event(self, key: str, kind: str, n: int, row: list[str], text: str | None) -> PersonEvent:
        when = self.date(row[STP_EVENT_DATE])
        return PersonEvent(
            person_key=key, kind=kind, source_row=n,
            event_date=None if when is _BAD else when,  # type: ignore[arg-type]
            section=self.section(text) if text else None, text=text,
            cycle_key=_cycle(row), county=row[STP_ORI_CNTY_NAME].strip() or None,
        )

    @staticmethod
    def _charge(row: list[str]) -> tuple[str, bool]:
        """The charge text, and whether it came from COMMENT_TEXT."""
        offense = row[OFFENSE_DESCR].strip()
        if not offense or offense.upper().startswith("SEE COMMENT FOR CHARGE"):
            return row[COMMENT_TEXT].strip(), True
        return offense, False

    def _conviction(self, key: str, group: list[Row], errors: list[RowError]) -> ConvictionRecord:
        n0, r0 = group[0]
        offense = r0[OFFENSE_DESCR].strip()
        comment = r0[COMMENT_TEXT].strip()
        charge, from_comment = self._charge(r0)
        flags: list[str] = []
        section = self.section(charge) if charge else None
        if from_comment:
            flags.append(FLAG_FROM_COMMENT)
        if not charge:
            errors.append(RowError(n0, "COMMENT_TEXT", comment,
                                   "no charge: OFFENSE_DESCR says see comment but the comment is empty"))
        elif section is None:
            errors.append(RowError(n0, "COMMENT_TEXT" if from_comment else "OFFENSE_DESCR", charge,
                                   "names no code section the app recognises"))
        if comment and not from_comment:
            other = self.section(comment)
            if (other is not None and other.number in CANNABIS_NUMBERS and other.code == "HS"
                    and (section is None or (section.code, section.number, section.subs)
                         != (other.code, other.number, other.subs))):
                flags.append(FLAG_DISAGREE)

        conviction_date = self.date(r0[STP_EVENT_DATE])
        if conviction_date is _BAD:
            conviction_date = None
        offense_date = self.date(r0[CYC_DATE])
        if offense_date is _BAD:
            offense_date = None

        case_numbers: list[str] = []
        parts: list[tuple[str, str, str]] = []
        seen_parts: set[tuple[str, ...]] = set()
        bear_outcome = bear_reason = None
        for _, row in group:
            case_numbers += [v for v in _cases(row) if v not in case_numbers]
            loc = row[SENT_LOC_DESCR].strip()
            length = row[SENT_LENGTH].strip()
            unit = row[SENT_TIME_CODE].strip().upper()
            order = row[SENT_ORDER].strip()
            if order:  # the same sentence part repeated on several rows counts once
                if (order, loc, length, unit) in seen_parts:
                    continue
                seen_parts.add((order, loc, length, unit))
            if loc or length or unit:
                parts.append((loc, length, unit))
            if SEE_COMMENT in loc or SEE_COMMENT in length or SEE_COMMENT in row[SENT_TIME_DESCR]:
                if FLAG_SENTENCE_SEE_COMMENT not in flags:
                    flags.append(FLAG_SENTENCE_SEE_COMMENT)
            if FLAG_SET_ASIDE not in flags and ("1203" in row[COMMENT_TEXT] or "1203" in
                                                row[DISP_DESCR]):
                if SET_ASIDE.search(row[DISP_DESCR]) or SET_ASIDE.search(row[COMMENT_TEXT]):
                    flags.append(FLAG_SET_ASIDE)
            if self._bear is not None and bear_outcome is None:
                bear_outcome, bear_reason = _bear_result(row, self._bear)

        days, end, text = _sentence(parts, conviction_date)
        if not r0[PRI_NAME].strip():  # nothing is granted for a person the record does not name
            flags.append(FLAG_NO_NAME)
        return ConvictionRecord(
            person_key=key,
            source_rows=[n for n, _ in group],
            count_key=r0[CNT_ORDER].strip() or None,
            cycle_key=_cycle(r0),
            case_numbers=case_numbers,
            county=r0[STP_ORI_CNTY_NAME].strip() or None,
            court=r0[STP_ORI_DESCR].strip() or None,
            raw_offense=offense or None,
            comment_text=comment or None,
            section=section,
            level=_level(r0),
            disposition=r0[DISP_DESCR].strip() or None,
            conviction_date=conviction_date,  # type: ignore[arg-type]
            offense_date=offense_date,  # type: ignore[arg-type]
            offense_date_source="arrest date" if offense_date else None,
            sentence_text=text,
            sentence_days=days,
            sentence_end=end,
            prosecutor_outcome=bear_outcome,
            prosecutor_reason=bear_reason,
            flags=flags,
        )


def _cases(row: list[str]) -> list[str]:
    found: list[str] = []
    for col in (OFN, FE_NUM_CRT_CASE, FE_NUM_DOCKET):
        value = row[col].strip()
        if value and value.upper() not in NULL_VALUES and value not in found:
            found.append(value)
    return found


def _cycle(row: list[str]) -> str | None:
    cyc = row[CYC_ORDER].strip()
    return cyc if cyc.isdigit() else None


def _level(row: list[str]) -> str | None:
    stat = row[CONV_STAT_DESCR].strip().upper()
    if stat:
        return LEVELS.get(stat)
    return TOC_LEVELS.get(row[OFFENSE_TOC].strip().upper())


def _bear_result(row: list[str], cols: tuple[int | None, int | None]) -> tuple[str | None, str | None]:
    det_col, reason_col = cols
    determination = row[det_col].strip() if det_col is not None and det_col < len(row) else ""
    if not determination:
        return None, None
    reason = row[reason_col].strip() if reason_col is not None and reason_col < len(row) else ""
    outcome = BEAR_OUTCOMES.get(determination.lower(), "needs_review")
    return outcome, reason or None


def _sentence(parts: list[tuple[str, str, str]], conviction_date: object
              ) -> tuple[int | None, str | None, str | None]:
    """(total days, end date, text) of the sentence parts; days/end None when unknown.

    Parts add up calendar-wise from the conviction date (years, then months, then days);
    without a full conviction date the days are approximate (365 / 30 per unit).
    """
    if not parts:
        return None, None, None
    text = "; ".join([" ".join(filter(None, part)) for part in parts])
    years = months = days = 0
    known = True
    for loc, length, unit in parts:
        if not length:
            if loc.upper() in NO_TIME_PARTS and not unit:
                continue
            known = False
            break
        if not length.isdigit():
            known = False
            break
        value = int(length)
        if unit == "D":
            days += value
        elif unit == "M":
            months += value
        elif unit == "Y":
            years += value
        else:
            known = False
            break
    if not known:
        return None, None, text
    start = _full_date(conviction_date)
    if start is None:
        return years * 365 + months * 30 + days, None, text
    end = _add(start, years, months, days)
    return (end - start).days, end.isoformat(), text


def _full_date(value: object) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _add(start: date, years: int, months: int, days: int) -> date:
    """`start` plus whole years and months (day clamped to the month's end), then days."""
    total_months = start.month - 1 + months + 12 * years
    year = start.year + total_months // 12
    if year > 9998:  # a life-like length: past any as-of date
        return date.max
    month = total_months % 12 + 1
    day = start.day
    if day > 28:
        day = min(day, calendar.monthrange(year, month)[1])
    try:
        return date(year, month, day) + timedelta(days=days)
    except OverflowError:
        return date.max
