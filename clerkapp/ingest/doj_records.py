"""Turning one person's DOJ rows into records: the person, one conviction per convicted count
(doj_convictions.py), and the history the rules need (PC 290 registrations, deaths, dismissed
counts, later court steps).

Rows come as lists indexed by column position (no per-row dicts: this runs for every row of
files with millions of them). Section, date, sentence and level texts repeat endlessly, so
each distinct text (or pair of texts) is read once and cached (doj_cells.py, doj_readings.py).
"""

from __future__ import annotations

from clerkapp.domain.records import ParsedBatch, PersonEvent, PersonRecord, RowError, Section
from clerkapp.ingest.court_steps import Step, merge_later_steps, reads_as_later_step
from clerkapp.ingest.doj_cells import row_cases
from clerkapp.ingest.doj_columns import (
    CII_NUMBER,
    CNT_ORDER,
    COMMENT_TEXT,
    CYC_ORDER,
    DISP_DESCR,
    GENDER,
    OFFENSE_DESCR,
    PRI_DOB,
    PRI_NAME,
    RACE_DESCR,
    STP_EVENT_DATE,
    STP_ORI_CNTY_NAME,
    STP_TYPE_DESCR,
    SUBJECT_ID,
    Row,
)
from clerkapp.ingest.doj_convictions import ConvictionBuilder
from clerkapp.ingest.doj_readings import charge_text

ROUTINE_STEPS = frozenset({"COURT ACTION", "ARREST/DETAINED/CITED"})


class RecordBuilder(ConvictionBuilder):
    """Builds the records of one person at a time into a `ParsedBatch`.

    `bear` is the pair of column positions (determination, reason) of a BEAR result file,
    or None for a plain DOJ file.
    """

    def __init__(self, bear: tuple[int | None, int | None] | None = None) -> None:
        super().__init__(bear)
        # a count that ended otherwise: whether its disposition is a later step, and the
        # (section, text) of its event by (disposition, offense, comment)
        self._later: dict[str, bool] = {}
        self._dismissals: dict[tuple[str, str, str], tuple[Section | None, str]] = {}

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
                text=f"{disp}: {charge}" if charge else disp, case_numbers=row_cases(row),
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
