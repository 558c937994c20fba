"""Turning one person's DOJ rows into records: the person, one conviction per convicted count,
and the history the rules need (PC 290 registrations, deaths, dismissed counts).

Rows come as lists indexed by column position (no per-row dicts: this runs for every row of
files with millions of them). Section, date, sentence and level texts repeat endlessly, so
each distinct text (or pair of texts) is read once and cached (doj_readings.py).
"""

from __future__ import annotations

import re

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

Row = tuple[int, list[str]]


class RecordBuilder:
    """Builds the records of one person at a time into a `ParsedBatch`.

    `bear` is the pair of column positions (determination, reason) of a BEAR result file,
    or None for a plain DOJ file.
    """

    def __init__(self, bear: tuple[int | None, int | None] | None = None) -> None:
        self._bear = bear
        self._iso: dict[str, str | None] = {"": None}  # date text -> ISO; None: blank or bad
        self._good: set[str] = {""}  # date texts that are blank or dates
        self._problems: dict[str, str] = {}  # why a date was refused, when not its form
        self._sections: dict[str, Section | None] = {}
        self._charges: dict[tuple[str, str], ChargeReading] = {}
        self._parts: dict[tuple[str, str, str, str], tuple[SentencePart | None, bool]] = {}
        self._totals: dict[tuple[SentencePart, ...], SentenceTotal] = {}
        self._levels: dict[tuple[str, str], str | None] = {}
        self._cycles: dict[str, str | None] = {}

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
        if stripped:
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
            first[GENDER].strip() or None, first[RACE_DESCR].strip() or None,
        ))

        convicted: dict[object, list[Row]] = {}
        dismissed_seen: set[str] = set()
        steps: list[Step] = []  # later court steps that are not convictions (PROB REVOKED)
        good = self._good
        events = batch.events
        for item in rows:
            n, row = item
            cyc = row[CYC_ORDER]
            if cyc and not cyc.isdigit() and cyc.strip() and not cyc.strip().isdigit():
                errors.append(RowError(n, "CYC_ORDER", cyc, "not a cycle number"))
            value = row[CYC_DATE]
            if value and value not in good and not self.is_date(value):
                errors.append(self._date_error(n, "CYC_DATE", value))
            value = row[STP_EVENT_DATE]
            if value and value not in good and not self.is_date(value):
                errors.append(self._date_error(n, "STP_EVENT_DATE", value))
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

    def _date_error(self, n: int, column: str, value: str) -> RowError:
        return RowError(n, column, value, self._problems.get(value, "not a date (expected YYYYMMDD)"))

    def _dismissed(self, key: str, item: Row, disp: str, seen: set[str],
                   events: list[PersonEvent], steps: list[Step]) -> None:
        """A count that ended without a conviction: history, once per CNT_ORDER. A later
        step on a convicted count (PROBATION REVOKED) is history of that conviction."""
        n, row = item
        if reads_as_later_step(disp):
            charge = charge_text(row[OFFENSE_DESCR], row[COMMENT_TEXT])[0]
            steps.append(Step(
                row=n, cycle_key=self.cycle(row), event_date=self.iso(row[STP_EVENT_DATE]),
                section=self.section(charge) if charge else None,
                text=f"{disp}: {charge}" if charge else disp, case_numbers=_cases(row),
                county=row[STP_ORI_CNTY_NAME].strip() or None))
            return
        cnt = row[CNT_ORDER].strip() or str(n)
        if cnt in seen:
            return
        seen.add(cnt)
        charge = charge_text(row[OFFENSE_DESCR], row[COMMENT_TEXT])[0]
        event = self._event(key, "dismissed", n, row, charge)
        event.text = f"{disp}: {charge}" if charge else disp
        events.append(event)

    def _event(self, key: str, kind: str, n: int, row: list[str], text: str | None) -> PersonEvent:
        return PersonEvent(  # (person_key, kind, source_row, event_date, section, text, cycle_key, county)
            key, kind, n, self.iso(row[STP_EVENT_DATE]), self.section(text) if text else None,
            text, self.cycle(row), row[STP_ORI_CNTY_NAME].strip() or None,
        )

    def _conviction(self, key: str, group: list[Row], errors: list[RowError]) -> ConvictionRecord:
        """One convicted count from its rows (most counts have one): the first row says
        what and when, every row adds its case numbers, sentence part and flags."""
        n0, r0 = group[0]
        pair = (r0[OFFENSE_DESCR], r0[COMMENT_TEXT])
        charge = self._charges.get(pair)
        if charge is None:
            charge = self._charges[pair] = read_charge(*pair)
        flags = list(charge.flags)
        if charge.problem is not None:
            errors.append(RowError(n0, *charge.problem))
        conviction_date = self.iso(r0[STP_EVENT_DATE])
        offense_date = self.iso(r0[CYC_DATE])

        bear_outcome = bear_reason = None
        if len(group) == 1:  # most counts: one row, nothing to add up or repeat
            case_numbers = _cases(r0)
            part, see_comment = self._part(r0)
            parts = [part] if part is not None else []
            self._row_flags(r0, see_comment, flags)
            if self._bear is not None:
                bear_outcome, bear_reason = _bear_result(r0, self._bear)
        else:
            case_numbers = []
            parts = []
            seen_parts: set[tuple[str, SentencePart | None]] = set()
            for _, row in group:
                case_numbers += [v for v in _cases(row) if v not in case_numbers]
                part, see_comment = self._part(row)
                order = row[SENT_ORDER].strip()
                if order:  # the same sentence part repeated on several rows counts once
                    if (order, part) in seen_parts:
                        continue
                    seen_parts.add((order, part))
                if part is not None:
                    parts.append(part)
                self._row_flags(row, see_comment, flags)
                if self._bear is not None and bear_outcome is None:
                    bear_outcome, bear_reason = _bear_result(row, self._bear)

        days = end = text = None
        if parts:
            whole = tuple(parts)
            total = self._totals.get(whole)
            if total is None:
                total = self._totals[whole] = total_of(whole)
            text = total.text
            days, end = sentence_span(total, conviction_date)
        if not r0[PRI_NAME].strip():  # nothing is granted for a person the record does not name
            flags.append(FLAG_NO_NAME)
        levels = (r0[CONV_STAT_DESCR], r0[OFFENSE_TOC])
        level = self._levels.get(levels, _UNREAD)
        if level is _UNREAD:
            level = self._levels[levels] = read_level(*levels)
        # Positional (in records.py's field order): a call with 21 keywords costs about
        # twice as much as the record's whole construction otherwise does.
        return ConvictionRecord(
            key,  # person_key
            [n for n, _ in group],  # source_rows
            r0[CNT_ORDER].strip() or None,  # count_key
            self._cycles.get(r0[CYC_ORDER]) or self.cycle(r0),  # cycle_key
            case_numbers,  # case_numbers
            r0[STP_ORI_CNTY_NAME].strip() or None,  # county
            r0[STP_ORI_DESCR].strip() or None,  # court
            charge.offense,  # raw_offense
            charge.comment,  # comment_text
            charge.section,  # section
            level,  # level
            r0[DISP_DESCR].strip() or None,  # disposition
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


    def _part(self, row: list[str]) -> tuple[SentencePart | None, bool]:
        texts = (row[SENT_LOC_DESCR], row[SENT_LENGTH], row[SENT_TIME_CODE], row[SENT_TIME_DESCR])
        reading = self._parts.get(texts)
        if reading is None:
            reading = self._parts[texts] = read_part(*texts)
        return reading

    @staticmethod
    def _row_flags(row: list[str], see_comment: bool, flags: list[str]) -> None:
        """The flags a conviction's row adds: its sentence says to see the comment, or its
        disposition or comment says the conviction was set aside (PC 1203.4)."""
        if see_comment and FLAG_SENTENCE_SEE_COMMENT not in flags:
            flags.append(FLAG_SENTENCE_SEE_COMMENT)
        if (FLAG_SET_ASIDE not in flags
                and ("1203" in row[COMMENT_TEXT] or "1203" in row[DISP_DESCR])
                and (SET_ASIDE.search(row[DISP_DESCR]) or SET_ASIDE.search(row[COMMENT_TEXT]))):
            flags.append(FLAG_SET_ASIDE)


def _cases(row: list[str]) -> list[str]:
    found: list[str] = []
    for col in CASE_COLUMNS:
        value = row[col]
        if value:
            value = value.strip()
            if value and value not in found and value.upper() not in NULL_VALUES:
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
