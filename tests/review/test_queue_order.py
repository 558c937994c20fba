"""The queue's id list in exactly the order the clerk asked for, on each engine: every sort
column, both directions, missing values first going up (SQLite's order, on PostgreSQL too),
ties by id; and the name search finds the names with a word starting with what was typed."""

from __future__ import annotations

import pytest

from bench.testdata import fill_queue
from clerkapp.store.queue import EVERYTHING, SORT_SQL, QueueFilter

# the queue's columns as a plain query reads them, keyed as SORT_SQL names them
_COLUMNS = {"id": "c.id", "status": "c.review_status", "outcome": "c.outcome_in_force",
            "name": "p.name", "dob": "p.dob", "case_number": "c.case_number",
            "code_section": "c.code_section", "level": "c.level",
            "conviction_date": "c.conviction_date", "county": "c.county",
            "reasons": "c.reason_summary", "closeout": "NULL"}
_NOCASE = {"name", "case_number", "county"}


@pytest.fixture
def filled(store):
    fill_queue(store, 400, seed=5)
    with store.atomic():  # some values missing, as real records have them
        for column, every in (("case_number", 7), ("county", 11), ("level", 5),
                              ("conviction_date", 13), ("reason_summary", 3)):
            store.conn.execute(f"UPDATE convictions SET {column} = NULL WHERE id % ? = 0",
                               (every,))
        store.conn.execute("UPDATE people SET dob = NULL WHERE id % 4 = 0")
        store.conn.execute("UPDATE people SET name = lower(name) WHERE id % 6 = 0")
    return store


def expected(store, sort: str, descending: bool) -> list[int]:
    """Every conviction with its sort value, ordered here in Python."""
    rows = store.conn.execute(
        f"SELECT c.id, {_COLUMNS[sort]} FROM convictions c JOIN people p ON p.id = c.person_id"
    ).fetchall()

    def key(row):
        value = row[1]
        if isinstance(value, str) and sort in _NOCASE:
            value = value.lower()
        return (value is not None, value if value is not None else 0, row[0])

    ordered = [r[0] for r in sorted(rows, key=key)]
    return ordered[::-1] if descending else ordered


@pytest.mark.parametrize("sort", sorted(SORT_SQL))
def test_every_sort_in_both_directions(filled, sort):
    everything = QueueFilter(outcome=EVERYTHING)
    for descending in (False, True):
        assert list(filled.queue_ids(everything, sort, descending)) == \
            expected(filled, sort, descending), (sort, descending)


def test_filters_in_id_order_both_directions(filled):
    for f in (QueueFilter(), QueueFilter(outcome="relief"), QueueFilter(outcome="needs_review"),
              QueueFilter(county="LOS ANGELES"), QueueFilter(code_section="11357"),
              QueueFilter(outcome=EVERYTHING, disagree=True)):
        ids = list(filled.queue_ids(f))
        assert ids and ids == sorted(ids)
        assert list(filled.queue_ids(f, descending=True)) == ids[::-1]


def test_an_empty_filter_is_an_empty_list(filled):
    assert list(filled.queue_ids(QueueFilter(search="QQQQQQ"))) == []
    assert list(filled.queue_ids(QueueFilter(search="QQQQQQ"), "name")) == []


def test_name_search_matches_words_starting_with_the_text(store):
    from clerkapp.domain.records import PersonRecord
    from tests.rules.store_data import add_history, conviction, sec

    people = [PersonRecord(key=str(i), name=name, dob="1980-01-01") for i, name in enumerate(
        ["MORVAN,ALPHA", "VANMOR,BRAVO", "DE VANCE,CEDAR", "O'VANE,DELTA", "SAVANT,ECHO",
         "KELVAN,VANYA"])]
    add_history(store, people, [conviction(str(i), 10 + i, sec("HS", "11357"), county="KERN")
                                for i in range(len(people))])
    names = {r.id: r.name for r in store.queue_rows(
        list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))).values()}

    def found(text: str) -> set[str]:
        return {names[i] for i in store.queue_ids(QueueFilter(outcome=EVERYTHING, search=text))}

    assert found("van") == {"VANMOR,BRAVO", "DE VANCE,CEDAR", "O'VANE,DELTA", "KELVAN,VANYA"}
    assert found("Van kel") == {"KELVAN,VANYA"}
    assert found("vanm") == {"VANMOR,BRAVO"}
    assert found("mor") == {"MORVAN,ALPHA"}
    assert found("avant") == set()
