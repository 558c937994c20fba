"""Several clerks on one store, each with a store connection of their own: claims for "Next
pending", a decision that would replace another clerk's is refused and names them, undo
never takes back another clerk's later decision, and the change marker moves."""

from __future__ import annotations

import pytest

from bench.testdata import fill_queue
from clerkapp.errors import BadInput, DecidedElsewhere
from clerkapp.review.claims import ClaimSession, claim_note
from clerkapp.review.service import decide, undo
from clerkapp.store import Store


@pytest.fixture
def desks(db_target):
    """Two clerks' stores on one file, with a queue to work."""
    first = Store(db_target)
    fill_queue(first, 40, seed=5)
    second = Store(db_target)
    yield first, second
    second.close()
    first.close()


def _by(store, clerk, action):
    """How a refusal names the other clerk: the name given, or (once decisions are recorded
    under it) the PostgreSQL login."""
    import re

    names = {clerk, store.actor(clerk)}
    found = [f"{action} by {n} at " for n in names]
    return "|".join(re.escape(f) for f in found)


def _relief(store, n):
    ids = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE outcome = 'dismiss_and_seal'"
        " AND review_status = 'pending' ORDER BY id")]
    assert len(ids) >= n
    return ids[:n]


def test_next_pending_never_hands_two_clerks_the_same_conviction(desks):
    a, b = (ClaimSession(s, name) for s, name in zip(desks, ("A. Clerk", "B. Clerk"),
                                                      strict=True))
    first = a.claim_next()
    second = b.claim_next()
    assert first is not None and second is not None and first != second
    held = b.held_by_others()
    a_clerk = desks[0].actor("A. Clerk")  # on PostgreSQL: the database login
    assert list(held) == [first] and held[first].clerk == a_clerk
    assert f"{a_clerk} has this conviction open" in claim_note(held[first])
    # B asking for A's conviction by id is refused; A's next claim lets the first one go
    assert b.claim_first([first]) is None
    third = a.claim_next(first)
    assert third not in (first, second)
    assert b.claim_first([first]) == first


def test_a_decision_releases_the_claim_and_a_claim_never_lands_on_a_decided_one(desks):
    one, two = desks
    a = ClaimSession(one, "A")
    b = ClaimSession(two, "B")
    cid = a.claim_first(_relief(one, 1))
    decide(one, [cid], "approved", clerk="A")
    assert one.claim_of(cid) is None
    assert not a.renew()  # nothing held any more
    result = two.claim_conviction(cid, b.holder, "B", "2026-01-01T00:00:00+00:00",
                                  "2026-01-01T00:05:00+00:00")
    assert result.decided and not result.claimed


def test_an_expired_claim_is_taken_over(desks):
    one, two = desks
    cid = _relief(one, 1)[0]
    taken = one.claim_conviction(cid, "old-window", "A", "2026-01-01T00:00:00+00:00",
                                 "2026-01-01T00:05:00+00:00")
    assert taken.claimed
    b = ClaimSession(two, "B")
    assert b.claim_first([cid]) == cid  # A's claim expired long ago
    assert two.claim_of(cid).clerk == two.actor("B")
    b.release()
    assert two.claim_of(cid) is None


def test_deciding_what_another_clerk_decided_since_is_refused_naming_them(desks):
    one, two = desks
    cid = _relief(one, 1)[0]
    seen = two.current_review_ids([cid])  # B looks at the row: still undecided
    assert seen == {cid: None}
    decide(one, [cid], "approved", clerk="A. Clerk")
    reviews_before = one.table_counts()["reviews"]
    with pytest.raises(DecidedElsewhere) as refused:
        decide(two, [cid], "denied", clerk="B. Clerk", note="no", expected_review_ids=seen)
    message = str(refused.value)
    import re

    assert re.search(_by(one, "A. Clerk", "approved"), message) and "nothing" in message
    assert refused.value.conflicts[0].conviction_id == cid
    assert one.table_counts()["reviews"] == reviews_before
    status = one.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                              (cid,)).fetchone()[0]
    assert status == "approved"
    assert one.verify_audit_chain() is None


def test_bulk_approval_is_all_or_none_and_lists_every_conflict(desks):
    one, two = desks
    ids = _relief(one, 6)
    seen = two.current_review_ids(ids)
    decide(one, ids[1:3], "deferred", clerk="A")
    counts = two.table_counts()
    with pytest.raises(DecidedElsewhere) as refused:
        decide(two, ids, "approved", clerk="B", expected_review_ids=seen)
    assert sorted(c.conviction_id for c in refused.value.conflicts) == sorted(ids[1:3])
    assert "(and 1 more)" in str(refused.value) and "of the 6" in str(refused.value)
    assert two.table_counts() == counts
    # with what is there now, the same act goes through
    decide(two, ids, "approved", clerk="B", expected_review_ids=two.current_review_ids(ids))


def test_undo_never_takes_back_another_clerks_later_decision(desks):
    one, two = desks
    cid = _relief(one, 1)[0]
    mine = decide(one, [cid], "deferred", clerk="A. Clerk")
    decide(two, [cid], "approved", clerk="B. Clerk")
    if one.actor("A. Clerk") == two.actor("B. Clerk"):
        # a shared store knows a clerk by login: one login is one clerk, its own later act
        with pytest.raises(BadInput, match="decided again"):
            undo(one, mine, clerk="A. Clerk")
    else:
        with pytest.raises(DecidedElsewhere, match=_by(two, "B. Clerk", "approved")) as refused:
            undo(one, mine, clerk="A. Clerk")
        assert "nothing was undone" in str(refused.value)
    status = one.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                              (cid,)).fetchone()[0]
    assert status == "approved"
    # the clerk's own later decision keeps the plain message
    again = decide(one, [cid], "denied", clerk="A. Clerk", note="n")
    with pytest.raises(BadInput, match="decided again"):
        undo(one, mine, clerk="A. Clerk")
    assert undo(one, again, clerk="A. Clerk") == 1


def test_an_undo_racing_a_decision_is_checked_under_the_write_lock(desks, monkeypatch):
    """Another clerk decides between the undo's first look and its write: refused."""
    one, two = desks
    cid = _relief(one, 1)[0]
    mine = decide(one, [cid], "approved", clerk="A")
    real = one.batch_reviews

    def look_then_other_clerk_decides(batch_id):
        items = real(batch_id)
        decide(two, [cid], "denied", clerk="B", note="wrong county")
        return items

    monkeypatch.setattr(one, "batch_reviews", look_then_other_clerk_decides)
    with pytest.raises(DecidedElsewhere, match=_by(two, "B", "denied")):
        undo(one, mine, clerk="A")
    assert one.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                            (cid,)).fetchone()[0] == "denied"
    assert one.verify_audit_chain() is None


def test_the_change_marker_moves_with_another_clerks_decision(desks):
    one, two = desks
    before = two.change_marker()
    assert before == one.change_marker()
    decide(one, _relief(one, 1), "approved", clerk="A")
    assert two.change_marker() > before
