"""One convicted count from its DOJ rows (most counts have one): what and when from the first
row, case numbers, sentence parts and flags from every row. A count's texts (offense, comment,
level, disposition, and a one-row count's sentence) repeat endlessly, so each distinct set is
read once and cached (doj_readings.py).
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any, NamedTuple

from clerkapp.domain.records import ConvictionRecord, RowError
from clerkapp.ingest.doj_cells import CellReader, row_cases
from clerkapp.ingest.doj_columns import (
    CNT_ORDER,
    COMMENT_TEXT,
    CONV_STAT_DESCR,
    CYC_DATE,
    CYC_ORDER,
    DISP_DESCR,
    OFFENSE_DESCR,
    OFFENSE_TOC,
    PRI_NAME,
    SENT_LENGTH,
    SENT_LOC_DESCR,
    SENT_ORDER,
    SENT_TIME_CODE,
    SENT_TIME_DESCR,
    STP_EVENT_DATE,
    STP_ORI_CNTY_NAME,
    STP_ORI_DESCR,
    Row,
)
from clerkapp.ingest.doj_fields import BEAR_OUTCOMES
from clerkapp.ingest.doj_readings import (
    FLAG_NO_NAME,
    FLAG_SENTENCE_SEE_COMMENT,
    FLAG_SET_ASIDE,
    ChargeReading,
    SentencePart,
    SentenceTotal,
    read_charge,
    read_level,
    read_part,
    sentence_span,
    total_of,
)

SET_ASIDE = re.compile(r"1203[.,]4(?!\d)")
_UNREAD = object()  # a cache's "not read yet" where None is a reading
_COUNT_TEXTS = itemgetter(OFFENSE_DESCR, COMMENT_TEXT, CONV_STAT_DESCR, OFFENSE_TOC, DISP_DESCR)
_SENTENCE_TEXTS = itemgetter(SENT_LOC_DESCR, SENT_LENGTH, SENT_TIME_CODE, SENT_TIME_DESCR)
_ONE_ROW_TEXTS = itemgetter(OFFENSE_DESCR, COMMENT_TEXT, CONV_STAT_DESCR, OFFENSE_TOC, DISP_DESCR,
                            SENT_LOC_DESCR, SENT_LENGTH, SENT_TIME_CODE, SENT_TIME_DESCR)


class CountReading(NamedTuple):
    """What a convicted row's offense, comment, level and disposition texts say together."""

    charge: ChargeReading
    level: str | None
    disposition: str | None  # DISP_DESCR, stripped
    set_aside: bool  # the disposition or the comment says PC 1203.4 (FLAG_SET_ASIDE)


class ConvictionBuilder(CellReader):
    """Builds a person's convicted counts, caching what each distinct set of texts says.

    `bear` is the pair of column positions (determination, reason) of a BEAR result file,
    or None for a plain DOJ file.
    """

    def __init__(self, bear: tuple[int | None, int | None] | None = None) -> None:
        super().__init__()
        self._bear = bear
        self._charges: dict[tuple[str, str], ChargeReading] = {}
        self._parts: dict[tuple[str, str, str, str], tuple[SentencePart | None, bool]] = {}
        self._totals: dict[tuple[SentencePart, ...], SentenceTotal] = {}
        self._levels: dict[tuple[str, str], str | None] = {}
        # what a count's (offense, comment, level, disposition) texts say, and what a one-row
        # count's say with its sentence texts: most counts have one row (`_conviction`)
        self._counts: dict[tuple[str, ...], CountReading] = {}
        self._one_rows: dict[tuple[str, ...], tuple[Any, ...]] = {}

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
            case_numbers = row_cases(r0)
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
                case_numbers += [v for v in row_cases(row) if v not in case_numbers]
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


def _bear_result(row: list[str], cols: tuple[int | None, int | None]) -> tuple[str | None, str | None]:
    det_col, reason_col = cols
    determination = row[det_col].strip() if det_col is not None and det_col < len(row) else ""
    if not determination:
        return None, None
    reason = row[reason_col].strip() if reason_col is not None and reason_col < len(row) else ""
    outcome = BEAR_OUTCOMES.get(determination.lower(), "needs_review")
    return outcome, reason or None
