"""Between the store's plain tuples and the engine's records, both ways: histories built
from a chunk of rows, determinations turned into rows to write, and the fixed rows of a run
(one determination per distinct county and section, when nothing else can change it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from json.encoder import encode_basestring
from typing import Any

from clerkapp.domain.outcomes import Outcome, Reason
from clerkapp.rules.engine import (
    Context,
    Determination,
    authority_of,
    encode,
    fixed_determination,
)
from clerkapp.rules.history import Conviction, Event, PersonHistory
from clerkapp.rules.law import SectionRef, parse_ref

_REF_CACHE: dict[tuple, SectionRef | None] = {}
# the Conviction fields that columns 7-18 of a history row fill, in order (a test holds the
# store's CONVICTION_COLUMNS to it)
ROW_FIELDS = ("level", "conviction_date", "offense_date", "offense_date_source", "cycle_key",
              "case_id", "case_number", "county", "sentence_end", "sentence_text",
              "raw_offense", "comment_text")


def section_ref(code: str | None, number: str | None, subs: str | None, attempted: int,
                conspiracy: int) -> SectionRef | None:
    """The engine's SectionRef for the store's section columns (None when unreadable)."""
    key = (code, number, subs, attempted, conspiracy)
    ref = _REF_CACHE.get(key, False)
    if ref is False:
        ref = None
        if code and number:
            ref = SectionRef(code.upper(), number.lower(),
                             tuple(s.strip().lower() for s in subs.split(",") if s.strip())
                             if subs else (), bool(attempted), bool(conspiracy))
        if len(_REF_CACHE) < 100_000:
            _REF_CACHE[key] = ref
    return ref


_EVENT_REFS: dict[str, SectionRef | None] = {}


def _event_ref(text: str | None) -> SectionRef | None:
    """An event's section (None when it names none); cached like `section_ref`, since a
    county's events name a few thousand distinct sections."""
    if not text:
        return None
    ref = _EVENT_REFS.get(text, False)
    if ref is False:
        try:
            ref = parse_ref(text)
        except ValueError:
            ref = None
        if len(_EVENT_REFS) < 100_000:
            _EVENT_REFS[text] = ref
    return ref


_FLAGS: dict[str, tuple[str, ...]] = {}


def _flags(text: str) -> tuple[str, ...]:
    """A conviction's flags (the store's JSON list) as a tuple; cached like `section_ref`,
    since a file's convictions carry a handful of distinct flag lists."""
    found = _FLAGS.get(text)
    if found is None:
        found = tuple(json.loads(text))
        if len(_FLAGS) < 10_000:
            _FLAGS[text] = found
    return found


# Event and PersonHistory are frozen dataclasses, whose constructor sets each field through
# object.__setattr__: three times the cost of setting the instance's fields directly, for
# tens of thousands of each per run. `histories` sets them directly; a test holds the records
# it builds equal to the constructors' (the fields below are all of theirs, in order).
_FROZEN = {Event: ("kind", "event_date", "section", "text", "cycle_key"),
           PersonHistory: ("person_id", "dob", "deceased", "convictions", "events", "derived")}


def histories(chunk: Any) -> Iterator[PersonHistory]:
    """Build PersonHistory records from one chunk of store rows (both ordered by person)."""
    convictions = chunk.convictions
    events = chunk.events
    ci = ei = 0
    nc, ne = len(convictions), len(events)
    refs = _REF_CACHE
    new = object.__new__
    for person_id, dob, deceased in chunk.people:
        mine = []
        while ci < nc and convictions[ci][1] < person_id:
            ci += 1
        while ci < nc and convictions[ci][1] == person_id:
            r = convictions[ci]
            ci += 1
            flags = r[19]
            section = refs.get(r[2:7], False)
            if section is False:
                section = section_ref(r[2], r[3], r[4], r[5], r[6])
            # level ... comment_text: the store's columns in the record's field order
            # (ROW_FIELDS), passed by position: a few hundred thousand records a run
            mine.append(Conviction(r[0], section, *r[7:19],
                                   _flags(flags) if flags and flags != "[]" else ()))
        mine_events = []
        while ei < ne and events[ei][0] < person_id:
            ei += 1
        while ei < ne and events[ei][0] == person_id:
            _, kind, event_date, code_section, text, cycle_key = events[ei]
            ei += 1
            # Event(kind, event_date, section, text, cycle_key), its fields set directly
            # (see `_FROZEN`)
            event = new(Event)
            fields = event.__dict__
            fields["kind"] = kind
            fields["event_date"] = event_date
            fields["section"] = _event_ref(code_section)
            fields["text"] = text
            fields["cycle_key"] = cycle_key
            mine_events.append(event)
        # PersonHistory(person_id, dob, bool(deceased), convictions, events), likewise
        person = new(PersonHistory)
        fields = person.__dict__
        fields["person_id"] = person_id
        fields["dob"] = dob
        fields["deceased"] = bool(deceased)
        fields["convictions"] = tuple(mine)
        fields["events"] = tuple(mine_events)
        fields["derived"] = {}
        yield person


def fixed_rows(combos: list[tuple[Any, ...]], ctx: Context) -> list[tuple[Any, ...]]:
    """For each (county, code, number, subs, attempted, conspiracy) the store found, the
    determination every conviction with it gets, when that depends on nothing else and is
    not_applicable (the only outcome a run may share, see the store's
    `write_fixed_determinations`): rows for that method."""
    rows = []
    for county, code, number, subs, attempted, conspiracy in combos:
        c = Conviction(id=0, section=section_ref(code, number, subs, attempted, conspiracy),
                       county=county)
        d = fixed_determination(c, ctx)
        if d is not None and d.outcome is Outcome.NOT_APPLICABLE:
            reasons, authority, summary = d.encoded or (encode(d.reasons), d.authority,
                                                        d.summary)
            rows.append((county, code, number, subs, attempted, conspiracy, d.outcome.value,
                         d.remedy.value if d.remedy else None, reasons, authority, summary))
    return rows


class Encoder:
    """Determination -> store row, the reasons' JSON exactly `engine.encode`'s (json.dumps,
    ensure_ascii=False, compact) and the summary and authority exactly the Determination's,
    but each distinct reason encoded once and each set of decisive citations joined once:
    the rule-table and citation texts repeat across thousands of convictions (reasons naming
    a date or an age do not, so the caches are small and bounded)."""

    CACHE = 20_000

    def __init__(self) -> None:
        self.reasons: dict[tuple[str, str, str, str], str] = {}
        self.authorities: dict[tuple[str, ...], str] = {}

    def row(self, d: Determination) -> tuple[Any, ...]:
        remedy = d.remedy
        # the members' values read directly: StrEnum's `value` is a property in Python
        head = (d.conviction_id, d.outcome._value_, remedy._value_ if remedy else None)
        if d.encoded is not None:
            return (*head, *d.encoded)
        # the reasons' JSON, and the decisive ones' citations and texts, in one pass
        parts, citations, texts = [], [], []
        cache = self.reasons
        for r in d.reasons:
            # by its fields: a tuple hashes and compares without the dataclass's Python calls
            key = (r.code, r.text, r.citation, r.kind)
            part = cache.get(key)
            if part is None:
                part = self._part(key)
            parts.append(part)
            if key[3] == "decisive":
                citations.append(key[2])
                texts.append(key[1])
        cited = tuple(citations)
        authority = self.authorities.get(cited)
        if authority is None:
            authority = authority_of(cited)
            if len(self.authorities) >= self.CACHE:
                self.authorities.clear()
            self.authorities[cited] = authority
        return (*head, "[" + ",".join(parts) + "]", authority, "; ".join(texts))

    def encode(self, reasons: tuple[Reason, ...]) -> str:
        cache = self.reasons
        parts = []
        for r in reasons:
            key = (r.code, r.text, r.citation, r.kind)
            parts.append(cache.get(key) or self._part(key))
        return "[" + ",".join(parts) + "]"

    def _part(self, key: tuple[str, str, str, str]) -> str:
        """One reason's JSON object (`key`: its code, text, citation and kind), cached."""
        code, text, citation, kind = key
        part = (f'{{"code":{encode_basestring(code)},"text":{encode_basestring(text)},'
                f'"citation":{encode_basestring(citation)},"kind":{encode_basestring(kind)}}}')
        if len(self.reasons) >= self.CACHE:
            self.reasons.clear()
        self.reasons[key] = part
        return part
