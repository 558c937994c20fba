"""rows.histories builds the engine's records from the store's rows without their
constructors (the frozen ones set each field the slow way): what it builds must be exactly
what the constructors build, field for field."""

from __future__ import annotations

from dataclasses import fields

from clerkapp.rules.history import Conviction, Event, PersonHistory
from clerkapp.rules.law import parse_ref
from clerkapp.rules.rows import _FROZEN, histories, section_ref
from clerkapp.store.rules import CONVICTION_COLUMNS, HistoryChunk

# CONVICTION_COLUMNS
CONVICTIONS = [
    (10, 1, "HS", "11359", None, 0, 0, "F", "2010-05-01", "2010-02-01", "offense date", "C1",
     7, "BA123", "LOS ANGELES", "2012-01-01", "3 YEARS PRISON", "11359 HS-POSS FOR SALE", None,
     '["plea"]'),
    (11, 1, "PC", "459", None, 0, 0, "M", "2011-05-01", None, None, "C2", None, None,
     "YOLO", None, None, "459 PC-BURGLARY", "HS 11359", "[]"),
    (12, 2, "HS", "11357", "c", 1, 0, None, "2014", None, None, None, 9, "X9", "LOS ANGELES",
     None, None, "664/11357(C)", None, '["plea"]'),
]
EVENTS = [
    (1, "arrest", "2009-12-31", "HS 11360(a)", "ARREST 11360(A) HS", "C1"),
    (1, "registration", None, None, None, None),
    (3, "death", "2019-01-01", "", "DECEASED", None),
]
PEOPLE = [(1, "1980-02-03", 0), (2, None, 1), (3, "1975", 0)]


def test_histories_builds_what_the_constructors_build():
    assert {len(r) for r in CONVICTIONS} == {len(CONVICTION_COLUMNS)}
    got = list(histories(HistoryChunk(PEOPLE, CONVICTIONS, EVENTS)))
    want = []
    for person_id, dob, deceased in PEOPLE:
        convictions = tuple(
            Conviction(r[0], section_ref(*r[2:7]), *r[7:19],
                       ("plea",) if r[19] == '["plea"]' else ())
            for r in CONVICTIONS if r[1] == person_id)
        events = tuple(Event(kind, day, parse_ref(code) if code else None, text, cycle)
                       for pid, kind, day, code, text, cycle in EVENTS if pid == person_id)
        want.append(PersonHistory(person_id, dob, bool(deceased), convictions, events))
    assert [type(p) for p in got] == [PersonHistory] * 3
    for g, w in zip(got, want, strict=True):
        # every field but the convictions, which compare by identity (checked below)
        assert (g.person_id, g.dob, g.deceased, g.events) == \
               (w.person_id, w.dob, w.deceased, w.events)
        assert vars(g).keys() == vars(w).keys()
        assert g.derived == {} and g.derived is not w.derived
        assert g.dob_day == w.dob_day
        for ge, we in zip(g.events, w.events, strict=True):
            assert type(ge) is Event and ge == we and hash(ge) == hash(we)
            assert vars(ge) == vars(we) and ge.day == we.day
        assert [vars(c) for c in g.convictions] == [vars(c) for c in w.convictions]
    assert got[0].deceased is False and got[1].deceased is True
    # each person gets a dictionary of their own for what the exception checks work out
    got[0].derived["x"] = 1
    assert got[1].derived == {}


def test_histories_sets_every_field_of_the_frozen_records():
    """A field added to Event or PersonHistory must be added where histories sets them."""
    assert _FROZEN[Event] == tuple(f.name for f in fields(Event))
    assert _FROZEN[PersonHistory] == tuple(f.name for f in fields(PersonHistory))
