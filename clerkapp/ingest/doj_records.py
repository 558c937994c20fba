"""Turning one person's DOJ rows into records: the person, one conviction per convicted count,
and the history the rules need (PC 290 registrations, deaths, dismissed counts).

Rows come as lists indexed by column position (no per-row dicts: this runs for every row of
files with millions of them). Section, date, sentence and level texts repeat endlessly, so
each distinct text (or pair of texts) is read once and cached (doj_readings.py).
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

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
from clerkapp.ingest.doj_fields import BEAR_OUTCOMES, INDEX, NULL_VALUES
from clerkapp.ingest.doj_readings import (
    FLAG_NO_NAME,
    FLAG_SENTENCE_SEE_COMMENT,
    FLAG_SET_ASIDE,
    ChargeReading,
    SentencePart,
    SentenceTotal,
    charge_text,
    plain_day,
    read_charge,
    read_level,
    read_part,
    sentence_span,
    total_of,
)

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

SET_ASIDE = re.compile(r"1203[.,]4(?!\d)")
ROUTINE_STEPS = frozenset({"COURT ACTION", "ARREST/DETAINED/CITED"})
CASE_COLUMNS = (OFN, FE_NUM_CRT_CASE, FE_NUM_DOCKET)
_UNREAD = object()  # a cache's "not read yet" where None is a reading
_COUNT_TEXTS = itemgetter(OFFENSE_DESCR, COMMENT_TEXT, CONV_STAT_DESCR, OFFENSE_TOC, DISP_DESCR)
_SENTENCE_TEXTS = itemgetter(SENT_LOC_DESCR, SENT_LENGTH, SENT_TIME_CODE, SENT_TIME_DESCR)
_ONE_ROW_TEXTS = itemgetter(OFFENSE_DESCR, COMMENT_TEXT, CONV_STAT_DESCR, OFFENSE_TOC, DISP_DESCR,
                            SENT_LOC_DESCR, SENT_LENGTH, SENT_TIME_CODE, SENT_TIME_DESCR)
_CASE_TEXTS = itemgetter(*CASE_COLUMNS)
_CELLS = itemgetter(1)  # of a (row number, cells) item
_CYCLE_TEXT = itemgetter(CYC_ORDER)
_CYCLE_DATE_TEXT = itemgetter(CYC_DATE)
_EVENT_DATE_TEXT = itemgetter(STP_EVENT_DATE)
_NULL_LENGTH = max(map(len, NULL_VALUES))  # a longer case number is never a null word

Row = tuple[int, list[str]]


class CountReading(NamedTuple):
    """What a convicted row's offense, comment, level and disposition texts say together."""

    charge: ChargeReading
    level: str | None
    disposition: str | None  # DISP_DESCR, stripped
    set_aside: bool  # the disposition or the comment says PC 1203.4 (FLAG_SET_ASIDE)


class _Words(dict):
    """A cell's text stripped (None when blank), one object per distinct text: the county,
    court, count and the like repeat a few values, and a shared text crosses to the writer
    as a reference (marshal) instead of a new string to make and free on both sides."""

    def __missing__(self, text: str) -> str | None:
        value = self[text] = text.strip() or None
        return value


class RecordBuilder:
    """Builds the records of one person at a time into a `ParsedBatch`.

    `bear` is the pair of column positions (determination, reason) of a BEAR result file,
    or None for a plain DOJ file.
    """

    def __init__(self, bear: tuple[int | None, int | None] | None = None) -> None:
        self._bear = bear
        self._iso: dict[str, str | None] = {"": None}  # date text -> ISO; None: blank or bad
        self._today = date.today().isoformat()  # a day before it is a plausible record date
        self._good: set[str] = {""}  # date texts that are blank or dates
        self._problems: dict[str, str] = {}  # why a date was refused, when not its form
        self._sections: dict[str, Section | None] = {}
        self._charges: dict[tuple[str, str], ChargeReading] = {}
        self._parts: dict[tuple[str, str, str, str], tuple[SentencePart | None, bool]] = {}
        self._totals: dict[tuple[SentencePart, ...], SentenceTotal] = {}
        self._levels: dict[tuple[str, str], str | None] = {}
        self._cycles: dict[str, str | None] = {}
        # what a count's (offense, comment, level, disposition) texts say, and what a one-row
        # count's say with its sentence texts: most counts have one row (`_conviction`)
        self._counts: dict[tuple[str, ...], CountReading] = {}
        self._one_rows: dict[tuple[str, ...], tuple[Any, ...]] = {}
        # a count that ended otherwise: whether its disposition is a later step, and the
        # (section, text) of its event by (disposition, offense, comment)
        self._later: dict[str, bool] = {}
        self._dismissals: dict[tuple[str, str, str], tuple[Section | None, str]] = {}
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
        dob = self.iso(first[PRI_DOB])
        if not self.is_date(first[PRI_DOB]):
            # The value is a date of birth: kept out of the error (it is in the source row).
            why = self._problems.get(first[PRI_DOB], "not a date")
            errors.append(RowError(first_n, "PRI_DOB", None,
                                   f"date of birth: {why} (value withheld: personal data)"))
        batch.people.append(PersonRecord(  # (key, name, dob, cii, gender, race)
            key, first[PRI_NAME].strip() or None, dob, cii,
            self._words[first[GENDER]], self._words[first[RACE_DESCR]],
        ))

        convicted: dict[object, list[Row]] = {}
        dismissed_seen: set[str] = set()
        steps: list[Step] = []  # later court steps that are not convictions (PROB REVOKED)
        events = batch.events
        last = rows[-1][0]
        flagged = self._flagged
        if last > self._checked_through or (flagged and flagged[0] <= last):
            self._check_rows(rows, errors)
            while flagged and flagged[0] <= last:
                flagged.popleft()
        for item in rows:
            n, row = item
            disp = row[DISP_DESCR]
            ended = False  # a disposition other than a conviction (dismissed, PROB REVOKED)
            if disp:
                disp = disp.strip()
                if disp.startswith("CONVICTED"):
                    cnt = row[CNT_ORDER].strip() or n
                    group = convicted.get(cnt)
                    if group is None:
                        convicted[cnt] = [item]
                    else:
                        group.append(item)
                else:
                    ended = bool(disp)
            step = row[STP_TYPE_DESCR]
            if step in ROUTINE_STEPS:
                if ended:
                    self._dismissed(key, item, disp, dismissed_seen, events, steps)
                continue
            step = step.strip()
            if step == "REGISTRATION":
                text = row[OFFENSE_DESCR].strip()
                if text.startswith("290"):
                    events.append(self._event(key, "registration", n, row, text))
            elif step == "DECEASED":
                events.append(self._event(key, "deceased", n, row, None))
            elif ended:
                self._dismissed(key, item, disp, dismissed_seen, events, steps)

        conviction = self._conviction
        built = [conviction(key, group, errors) for group in convicted.values()]
        batch.convictions.extend(merge_later_steps(key, built, steps, events))

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

    def _dismissed(self, key: str, item: Row, disp: str, seen: set[str],
                   events: list[PersonEvent], steps: list[Step]) -> None:
        """A count that ended without a conviction: history, once per CNT_ORDER. A later
        step on a convicted count (PROBATION REVOKED) is history of that conviction."""
        n, row = item
        later = self._later.get(disp)
        if later is None:
            later = self._later[disp] = reads_as_later_step(disp)
        if later:
            charge = charge_text(row[OFFENSE_DESCR], row[COMMENT_TEXT])[0]
            steps.append(Step(
                row=n, cycle_key=self.cycle(row), event_date=self.iso(row[STP_EVENT_DATE]),
                section=self.section(charge) if charge else None,
                text=f"{disp}: {charge}" if charge else disp, case_numbers=_cases(row),
                county=self._words[row[STP_ORI_CNTY_NAME]]))
            return
        cnt = row[CNT_ORDER].strip() or str(n)
        if cnt in seen:
            return
        seen.add(cnt)
        texts = (disp, row[OFFENSE_DESCR], row[COMMENT_TEXT])
        found = self._dismissals.get(texts)
        if found is None:
            charge = charge_text(texts[1], texts[2])[0]
            found = self._dismissals[texts] = (self.section(charge) if charge else None,
                                               f"{disp}: {charge}" if charge else disp)
        section, text = found
        events.append(PersonEvent(  # (person_key, kind, source_row, event_date, section, text, cycle_key, county)
            key, "dismissed", n, self.iso(row[STP_EVENT_DATE]), section, text,
            self._cycles.get(row[CYC_ORDER]) or self.cycle(row),
            self._words[row[STP_ORI_CNTY_NAME]]))

    def _event(self, key: str, kind: str, n: int, row: list[str], text: str | None) -> PersonEvent:
        return PersonEvent(  # (person_key, kind, source_row, event_date, section, text, cycle_key, county)
            key, kind, n, self.iso(row[STP_EVENT_DATE]), self.section(text) if text else None,
            text, self.cycle(row), self._words[row[STP_ORI_CNTY_NAME]],
        )

    def _conviction(self, key: str, group: list[Row], errors: list[RowError]) -> ConvictionRecord:
        """One convicted count from its rows (most counts have one): the first row says
        what and when, every row adds its case numbers, sentence part and flags."""
        n0, r0 = group[0]
        bear_outcome = bear_reason = None
        if len(group) == 1:  # most counts: one row, nothing to add up or repeat
            texts = _ONE_ROW_TEXTS(r0)
            found = self._one_rows.get(texts)
            if found is None:
                found = self._one_rows[texts] = self._read_one_row(texts)
            reading, total, one_flags, problem = found
            if problem is not None:
                errors.append(RowError(n0, *problem))
            flags = list(one_flags)
            case_numbers = _cases(r0)
            if self._bear is not None:
                bear_outcome, bear_reason = _bear_result(r0, self._bear)
            rows = [n0]
        else:
            texts = _COUNT_TEXTS(r0)
            reading = self._counts.get(texts)
            if reading is None:
                reading = self._counts[texts] = self._read_count(texts)
            flags = list(reading.charge.flags)
            if reading.charge.problem is not None:
                errors.append(RowError(n0, *reading.charge.problem))
            case_numbers = []
            parts = []
            seen_parts: set[tuple[str, SentencePart | None]] = set()
            for _, row in group:
                case_numbers += [v for v in _cases(row) if v not in case_numbers]
                part, see_comment = self._part_of(_SENTENCE_TEXTS(row))
                order = row[SENT_ORDER].strip()
                if order:  # the same sentence part repeated on several rows counts once
                    if (order, part) in seen_parts:
                        continue
                    seen_parts.add((order, part))
                if part is not None:
                    parts.append(part)
                if see_comment and FLAG_SENTENCE_SEE_COMMENT not in flags:
                    flags.append(FLAG_SENTENCE_SEE_COMMENT)
                if FLAG_SET_ASIDE not in flags and _sets_aside(row[DISP_DESCR], row[COMMENT_TEXT]):
                    flags.append(FLAG_SET_ASIDE)
                if self._bear is not None and bear_outcome is None:
                    bear_outcome, bear_reason = _bear_result(row, self._bear)
            total = self._total_of(tuple(parts)) if parts else None
            rows = [n for n, _ in group]

        iso = self._iso
        conviction_date = iso.get(r0[STP_EVENT_DATE], _UNREAD)
        if conviction_date is _UNREAD:
            conviction_date = self.iso(r0[STP_EVENT_DATE])
        offense_date = iso.get(r0[CYC_DATE], _UNREAD)
        if offense_date is _UNREAD:
            offense_date = self.iso(r0[CYC_DATE])
        days = end = text = None
        if total is not None:
            text = total.text
            days, end = sentence_span(total, conviction_date)
        name = r0[PRI_NAME]
        if not name or name.isspace():  # nothing is granted for a person the record does not name
            flags.append(FLAG_NO_NAME)
        charge, level, disposition, _ = reading
        offense, comment, _, section, _, _ = charge
        words = self._words
        # Positional (in records.py's field order): a call with 21 keywords costs about
        # twice as much as the record's whole construction otherwise does.
        return ConvictionRecord(
            key,  # person_key
            rows,  # source_rows
            words[r0[CNT_ORDER]],  # count_key
            self._cycles.get(r0[CYC_ORDER]) or self.cycle(r0),  # cycle_key
            case_numbers,  # case_numbers
            words[r0[STP_ORI_CNTY_NAME]],  # county
            words[r0[STP_ORI_DESCR]],  # court
            offense,  # raw_offense
            comment,  # comment_text
            section,  # section
            level,  # level
            disposition,  # disposition
            conviction_date,  # conviction_date
            offense_date,  # offense_date
            "arrest date" if offense_date else None,  # offense_date_source
            text,  # sentence_text
            days,  # sentence_days
            end,  # sentence_end
            bear_outcome,  # prosecutor_outcome
            bear_reason,  # prosecutor_reason
            flags,  # flags
        )

    def _read_count(self, texts: tuple[str, ...]) -> CountReading:
        offense, comment, stat, toc, disp = texts
        pair = (offense, comment)
        charge = self._charges.get(pair)
        if charge is None:
            charge = self._charges[pair] = read_charge(*pair)
        levels = (stat, toc)
        level = self._levels.get(levels, _UNREAD)
        if level is _UNREAD:
            level = self._levels[levels] = read_level(*levels)
        return CountReading(charge, level, disp.strip() or None, _sets_aside(disp, comment))

    def _read_one_row(self, texts: tuple[str, ...]) -> tuple[
            CountReading, SentenceTotal | None, tuple[str, ...], tuple[str, str, str] | None]:
        """What a one-row count's texts say: its reading, its sentence added up, its flags in
        their order (the charge's, see the comment, set aside), and its row error's fields."""
        count = texts[:5]
        reading = self._counts.get(count)
        if reading is None:
            reading = self._counts[count] = self._read_count(count)
        part, see_comment = self._part_of(texts[5:])
        total = self._total_of((part,)) if part is not None else None
        flags = (*reading.charge.flags, *([FLAG_SENTENCE_SEE_COMMENT] if see_comment else []),
                 *([FLAG_SET_ASIDE] if reading.set_aside else []))
        return reading, total, flags, reading.charge.problem

    def _total_of(self, parts: tuple[SentencePart, ...]) -> SentenceTotal:
        total = self._totals.get(parts)
        if total is None:
            total = self._totals[parts] = total_of(parts)
        return total

    def _part_of(self, texts: tuple[str, ...]) -> tuple[SentencePart | None, bool]:
        reading = self._parts.get(texts)
        if reading is None:
            reading = self._parts[texts] = read_part(*texts)
        return reading


def _sets_aside(disposition: str, comment: str) -> bool:
    """Whether a conviction's disposition or comment says it was set aside (PC 1203.4)."""
    return (("1203" in comment or "1203" in disposition)
            and bool(SET_ASIDE.search(disposition) or SET_ASIDE.search(comment)))


def _cases(row: list[str]) -> list[str]:
    found: list[str] = []
    for value in _CASE_TEXTS(row):
        if value:
            value = value.strip()
            if value and value not in found and (len(value) > _NULL_LENGTH
                                                 or value.upper() not in NULL_VALUES):
                found.append(value)
    return found


def _bear_result(row: list[str], cols: tuple[int | None, int | None]) -> tuple[str | None, str | None]:
    det_col, reason_col = cols
    determination = row[det_col].strip() if det_col is not None and det_col < len(row) else ""
    if not determination:
        return None, None
    reason = row[reason_col].strip() if reason_col is not None and reason_col < len(row) else ""
    outcome = BEAR_OUTCOMES.get(determination.lower(), "needs_review")
    return outcome, reason or None
