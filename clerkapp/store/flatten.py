"""A parsed batch as plain tuples and strings, ready for the store's `executemany` calls.

Flattening needs no database: people, rows and records are keyed by the person's key and by
a row's place in the batch, and the store turns those into ids as it writes. So it can run
in the process that reads the file, and what crosses to the writing process is tuples of
text and numbers (which pickle about ten times faster than the record dataclasses), with
each verbatim row already encoded as the text the store keeps (`clerkapp.store.row_text`).
"""

from __future__ import annotations

import json
import json.encoder
from operator import itemgetter
from typing import Any, NamedTuple

from clerkapp.domain.records import ParsedBatch, Section
from clerkapp.store.row_text import joined_rows

_quote = json.encoder.encode_basestring  # C speedup: a JSON string literal, non-ASCII kept
_number, _cells = itemgetter(0), itemgetter(1)  # of a batch's (row number, cells)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_texts(values: list[str]) -> str:
    """A row's cells as a JSON list of strings, exactly as json.dumps writes it (non-ASCII
    kept), several times faster. Most rows have nothing a JSON string escapes (a quote, a
    backslash, a control character), so their cells are joined between quotes in one go;
    `isprintable` is False for every control character (and for a few other characters,
    which simply take the slower way)."""
    try:
        joined = '","'.join(values)
        if (joined.isprintable() and "\\" not in joined
                and joined.count('"') == 2 * len(values) - 2):
            return '["' + joined + '"]'
        return "[" + ",".join(map(_quote, values)) + "]"
    except TypeError:  # a cell that is not text (a parser's slip): still stored, as JSON
        return _dumps(values)


class FlatBatch(NamedTuple):
    """One batch, flattened. `row` fields below are places among the rows (0-based), not
    row numbers: the store gives the batch's rows consecutive ids, so a place becomes an id."""

    # (key, name, dob, cii, gender, race, aliases JSON)
    people: list[tuple[Any, ...]]
    # the rows, as three lists side by side (a list of texts pickles and unpickles in half
    # the time a list of tuples of them takes): row numbers, each row's person key (or
    # None), each row's cell texts as the store keeps them (row_text)
    row_numbers: list[int]
    row_keys: list[str | None]
    row_values: list[str]
    # (person key, rows, case key, case columns, conviction columns from count_key on);
    # case key: (cycle key, case numbers when there is no cycle); case columns: (cycle_key,
    # case_numbers JSON, county, court, arrest_date)
    convictions: list[tuple[Any, ...]]
    # (person key, row or None, kind, event_date, code_section, section_number, text,
    # cycle_key, county)
    events: list[tuple[Any, ...]]
    # (row number, column, value, message)
    errors: list[tuple[Any, ...]]
    # rows left out by reason, and notes left on records (ParsedBatch)
    skipped: dict[str, int] | None = None
    notes: int = 0


def _row_keys(batch: ParsedBatch) -> list[str | None]:
    """The person key of each row: from the parser where it says (DOJ: every row), else from
    the records built from the row."""
    keys = batch.row_person_keys
    if len(keys) == len(batch.rows) and None not in keys:
        return keys
    row_key: dict[int, str] = {}
    for c in batch.convictions:
        key = c.person_key
        for n in c.source_rows:
            row_key[n] = key
    for e in batch.events:
        row_key[e.source_row] = e.person_key
    if len(keys) == len(batch.rows):
        for (n, _), key in zip(batch.rows, keys, strict=True):
            if key is not None:
                row_key[n] = key
    return [row_key.get(n) for n, _ in batch.rows]


def _section_columns(s: Section | None) -> tuple[Any, ...]:
    """code_section, section_code, section_number, section_subs, attempted, conspiracy"""
    if s is None:
        return (None, None, None, None, 0, 0)
    return (s.text, s.code, s.number, ",".join(s.subs), int(s.attempted), int(s.conspiracy))


def flatten(batch: ParsedBatch) -> FlatBatch:
    """The batch as plain tuples; which person each row belongs to is settled here."""
    numbers = list(map(_number, batch.rows))
    cells = list(map(_cells, batch.rows))
    texts = (batch.plain and joined_rows(cells)) or list(map(encode_texts, cells))
    keys = _row_keys(batch)
    place = dict(zip(numbers, range(len(numbers)), strict=True))

    sections: dict[int, tuple[Any, ...]] = {}  # by id: a parser hands out one object per text
    flag_texts: dict[tuple[str, ...], str] = {(): "[]"}  # a few distinct lists of flags
    convictions = []
    for c in batch.convictions:
        s = c.section
        section = sections.get(id(s))
        if section is None:
            section = sections[id(s)] = _section_columns(s)
        flags = tuple(c.flags)
        flags_text = flag_texts.get(flags)
        if flags_text is None:
            flags_text = flag_texts[flags] = _dumps(c.flags)
        rows = c.source_rows
        places = ((place[rows[0]],) if len(rows) == 1 and rows[0] in place
                  else tuple([place[n] for n in rows if n in place]))
        case_numbers = c.case_numbers
        cycle_key = c.cycle_key
        if (len(case_numbers) == 1 and (one := case_numbers[0]).__class__ is str
                and one.isprintable() and '"' not in one and "\\" not in one):
            cases_json = '["' + one + '"]'  # most convictions: encode_texts' quick way, inline
        else:
            cases_json = encode_texts(case_numbers)
        convictions.append((
            c.person_key,
            places,
            (cycle_key, tuple(case_numbers) if not cycle_key else ()),
            (cycle_key, cases_json, c.county, c.court,
             c.offense_date if c.offense_date_source == "arrest date" else None),
            (c.count_key, cycle_key, case_numbers[0] if case_numbers else None,
             c.county, c.court, c.raw_offense, c.comment_text, *section,
             c.level, c.disposition, c.conviction_date, c.offense_date,
             c.offense_date_source, c.sentence_text, c.sentence_days, c.sentence_end,
             flags_text, c.prosecutor_outcome, c.prosecutor_reason),
        ))
    events = []
    add_event = events.append
    for e in batch.events:
        s = e.section
        if s is None:
            code_section = number = None
        else:
            section = sections.get(id(s))
            if section is None:
                section = sections[id(s)] = _section_columns(s)
            code_section, number = section[0], section[2]
        add_event((e.person_key, place.get(e.source_row), e.kind, e.event_date, code_section,
                   number, e.text, e.cycle_key, e.county))
    people = [(p.key, p.name, p.dob, p.cii, p.gender, p.race,
               _dumps(p.aliases) if p.aliases else "[]", p.address)
              for p in batch.people]
    errors = [(e.row_number, e.column, e.value, e.message) for e in batch.errors]
    return FlatBatch(people, numbers, keys, texts, convictions, events, errors,
                     dict(batch.skipped) or None, batch.notes)
