"""A clerk's single decision is one write transaction on either engine, of a few statements on
a shared store, where each statement is a round trip over the network: their number is what a
clerk waits for (SQLite has no round trips; its count is not asked)."""

from __future__ import annotations

import pytest

from bench.testdata import fill_queue
from clerkapp.review.claims import ClaimSession
from clerkapp.review.service import decide, undo
from clerkapp.store.queue import QueueFilter


@pytest.fixture
def sent(store, monkeypatch):
    """Every statement the store sends to its database, in order."""
    statements: list[str] = []
    if store.engine == "postgresql":
        import psycopg

        for name in ("execute", "executemany"):
            real = getattr(psycopg.Cursor, name)

            def spy(self, query, *args, _real=real, **kw):
                statements.append(str(query))
                return _real(self, query, *args, **kw)

            monkeypatch.setattr(psycopg.Cursor, name, spy)
    else:
        store.conn.set_trace_callback(statements.append)
    return statements


def test_one_decision_and_its_undo_are_one_transaction_each(store, sent):
    fill_queue(store, 50, seed=2)
    first, cid = store.queue_ids(QueueFilter(outcome="relief"))[:2]
    undo(store, decide(store, [first], "deferred", clerk="Clerk Test"), clerk="Clerk Test")
    session = ClaimSession(store, "Clerk Test")
    session.claim_first([cid])  # the window holds what it shows: the decision lets it go
    seen = store.queue_rows([cid])[cid].review_id
    sent.clear()
    batch = decide(store, [cid], "approved", clerk="Clerk Test", expected_review_ids={cid: seen})
    begins = [s for s in sent if s.lstrip().upper().startswith("BEGIN")]
    commits = [s for s in sent if s.strip().upper() == "COMMIT"]
    assert len(begins) == len(commits) == 1
    assert store.engine == "sqlite" or len(sent) <= 12, "\n".join(sent)
    assert store.claim_of(cid) is None
    assert store.queue_rows([cid])[cid].review_status == "approved"
    sent.clear()
    undo(store, batch, clerk="Clerk Test")
    assert store.engine == "sqlite" or len(sent) <= 11, sent
    assert store.queue_rows([cid])[cid].review_status == "pending"
    sent.clear()
    assert session.claim_first([cid]) == cid
    assert store.engine == "sqlite" or len(sent) <= 5, sent
