"""The same convictions give the same queue on SQLite and on PostgreSQL: every filter, search
and sort lists the same ids in the same order, and counts the same."""

from __future__ import annotations

import uuid

import pytest

from bench.testdata import fill_queue
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.queue import EVERYTHING, SORT_SQL, QueueFilter


@pytest.fixture
def two_stores(tmp_path, pg_server):
    import psycopg

    name = f"same_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE clerkapp_template")
    stores = [Store(tmp_path / "clerk.db"), Store(pg_server.url(name))]
    for store in stores:
        fill_queue(store, 600, seed=23)
        with store.atomic():
            store.conn.execute("UPDATE convictions SET case_number = NULL WHERE id % 9 = 0")
            store.conn.execute("UPDATE people SET dob = NULL WHERE id % 5 = 0")
        decide(store, [3, 4, 5], "denied", clerk="Clerk Test", note="plea bargain")
    yield stores
    for store in stores:
        store.close()
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_every_filter_and_sort_lists_the_same_ids(two_stores):
    sqlite, pg = two_stores
    name = sqlite.queue_rows([10])[10].name
    case = sqlite.queue_rows([11])[11].case_number
    filters = [QueueFilter(), QueueFilter(outcome=EVERYTHING), QueueFilter(outcome="relief"),
               QueueFilter(outcome="not_applicable"), QueueFilter(outcome="needs_review"),
               QueueFilter(review_status="denied"), QueueFilter(review_status="pending"),
               QueueFilter(county="los angeles"), QueueFilter(code_section="11357"),
               QueueFilter(code_section="HS 11357(a)"), QueueFilter(disagree=True),
               QueueFilter(search=name.split(",")[0][:3]), QueueFilter(search=name[:2]),
               QueueFilter(search=" ".join(reversed(name.lower().split(",")))),
               QueueFilter(search=case[:5]), QueueFilter(outcome=EVERYTHING, search="zz")]
    for f in filters:
        assert sqlite.queue_counts(f) == pg.queue_counts(f), f
        for sort in sorted(SORT_SQL):
            for descending in (False, True):
                ids = list(sqlite.queue_ids(f, sort, descending))
                assert ids == list(pg.queue_ids(f, sort, descending)), (f, sort, descending)
    assert len(sqlite.queue_ids(filters[-4])) > 0  # the name searches find someone
