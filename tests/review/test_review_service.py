"""Decisions and Undo on a real store: reviews rows, conviction state and the audit log."""

from __future__ import annotations

import json

import pytest

from bench.testdata import fill_queue
from clerkapp.errors import BadInput
from clerkapp.review.service import decide, undo
from clerkapp.store.queue import QueueFilter


@pytest.fixture
def filled(store):
    fill_queue(store, 40, seed=3)
    return store


def _ids_with(store, outcome, n=2, level=None):
    """`n` pending convictions with this outcome (and, for a redesignation to a lower level,
    at this level: HS 11361.8(b), (f))."""
    ids = list(store.queue_ids(QueueFilter(outcome=outcome)))
    if level is not None:
        levels = dict(store.conn.execute("SELECT id, level FROM convictions").fetchall())
        ids = [i for i in ids if levels[i] == level]
    assert len(ids) >= n, f"synthetic data holds fewer than {n} {outcome} {level or ''}"
    return ids[:n]


def _conv(store, cid):
    return dict(store.conn.execute("SELECT * FROM convictions WHERE id = ?", (cid,)).fetchone())


def _audit(store):
    return [dict(r) for r in store.conn.execute("SELECT * FROM audit_log ORDER BY id")]


def test_approve_writes_reviews_state_and_audit_in_one_act(filled):
    ids = _ids_with(filled, "dismiss_and_seal", 3)
    batch = decide(filled, ids, "approved", clerk="A. Clerk", note="looks right")
    rows = filled.conn.execute(
        "SELECT * FROM reviews WHERE batch_id = ? ORDER BY conviction_id", (batch,)
    ).fetchall()
    assert [r["conviction_id"] for r in rows] == sorted(ids)
    for r in rows:
        assert r["status"] == "approved"
        assert r["decided_outcome"] == "dismiss_and_seal"
        # the name given; on a shared store the login (tests/store_targets/test_roles.py)
        assert r["overridden"] == 0 and r["clerk"] == filled.actor("A. Clerk")
        assert r["note"] == "looks right"
        assert r["previous_review_id"] is None and r["decided_at"]
        conv = _conv(filled, r["conviction_id"])
        assert conv["review_status"] == "approved" and conv["review_id"] == r["id"]
        assert r["determination_id"] == conv["determination_id"]
    audit = _audit(filled)
    assert [a["action"] for a in audit] == ["review.approved"] * 3
    assert {a["entity_id"] for a in audit} == set(ids)
    for a in audit:
        assert a["case_number"] == _conv(filled, a["entity_id"])["case_number"]
        assert json.loads(a["details"])["batch"] == batch
    assert filled.verify_audit_chain() is None


def test_deny_needs_a_reason_and_writes_nothing_without_one(filled):
    ids = _ids_with(filled, "dismiss_and_seal")
    with pytest.raises(BadInput, match="denial needs a reason"):
        decide(filled, ids, "denied", clerk="A. Clerk", note="   ")
    assert filled.table_counts()["reviews"] == 0
    assert filled.table_counts()["audit_log"] == 0
    decide(filled, ids, "denied", clerk="A. Clerk", note="plea bargain")
    assert {_conv(filled, i)["review_status"] for i in ids} == {"denied"}


def test_override_needs_a_reason_and_records_the_new_outcome(filled):
    [cid] = _ids_with(filled, "needs_review", 1, level="F")
    with pytest.raises(BadInput, match="overriding"):
        decide(filled, [cid], "approved", clerk="B", outcome="redesignate_misdemeanor")
    decide(filled, [cid], "approved", clerk="B", outcome="redesignate_misdemeanor",
           note="comment confirms 11357(c)")
    review = filled.conn.execute("SELECT * FROM reviews WHERE conviction_id = ?", (cid,)).fetchone()
    assert review["decided_outcome"] == "redesignate_misdemeanor"
    assert review["overridden"] == 1
    details = json.loads(_audit(filled)[-1]["details"])
    assert details["engine_outcome"] == "needs_review" and details["overridden"] is True


def test_bad_values_are_refused_clearly(filled):
    ids = _ids_with(filled, "dismiss_and_seal", 1)
    with pytest.raises(BadInput, match="unknown decision 'maybe'"):
        decide(filled, ids, "maybe", clerk="A")
    with pytest.raises(BadInput, match="unknown outcome 'sealed'"):
        decide(filled, ids, "approved", clerk="A", outcome="sealed", note="x")
    with pytest.raises(BadInput, match="clerk's name"):
        decide(filled, ids, "approved", clerk=" ")
    with pytest.raises(BadInput, match="no conviction with id 999999"):
        decide(filled, [*ids, 999999], "approved", clerk="A")
    with pytest.raises(BadInput, match="no convictions"):
        decide(filled, [], "approved", clerk="A")
    assert filled.table_counts()["reviews"] == 0


def test_approving_an_unevaluated_conviction_is_refused(filled):
    [cid] = _ids_with(filled, "dismiss_and_seal", 1)
    filled.conn.execute("UPDATE convictions SET outcome = NULL WHERE id = ?", (cid,))
    case = filled.conn.execute("SELECT case_number FROM convictions WHERE id = ?",
                               (cid,)).fetchone()[0]
    with pytest.raises(BadInput, match="no determination yet") as refused:
        decide(filled, [cid], "approved", clerk="A")
    assert f"case {case}" in str(refused.value) and f"conviction {cid} " not in str(refused.value)


def test_undo_restores_the_previous_decision_then_pending(filled):
    [cid] = _ids_with(filled, "dismiss_and_seal", 1)
    first = decide(filled, [cid], "deferred", clerk="A")
    second = decide(filled, [cid], "approved", clerk="A")
    assert _conv(filled, cid)["review_status"] == "approved"
    with pytest.raises(BadInput, match="decided again"):
        undo(filled, first, clerk="A")
    assert undo(filled, second, clerk="A") == 1
    conv = _conv(filled, cid)
    first_review = filled.conn.execute(
        "SELECT id FROM reviews WHERE batch_id = ?", (first,)).fetchone()[0]
    assert conv["review_status"] == "deferred" and conv["review_id"] == first_review
    assert undo(filled, first, clerk="A") == 1
    conv = _conv(filled, cid)
    assert conv["review_status"] == "pending" and conv["review_id"] is None
    assert filled.conn.execute("SELECT count(*) FROM reviews WHERE undone = 1").fetchone()[0] == 2
    with pytest.raises(BadInput, match="already undone"):
        undo(filled, first, clerk="A")
    actions = [a["action"] for a in _audit(filled)]
    assert actions == ["review.deferred", "review.approved", "review.undone", "review.undone"]
    assert filled.verify_audit_chain() is None


def test_undo_of_a_bulk_act_restores_every_conviction(filled):
    ids = list(filled.queue_ids(QueueFilter(outcome="relief")))
    decide(filled, ids[:1], "denied", clerk="A", note="x")
    batch = decide(filled, ids, "approved", clerk="A")
    assert undo(filled, batch, clerk="B") == len(ids)
    states = {i: _conv(filled, i)["review_status"] for i in ids}
    assert states[ids[0]] == "denied"
    assert set(list(states.values())[1:]) == {"pending"}
    assert _audit(filled)[-1]["actor"] == filled.actor("B")


def test_undo_of_an_unknown_batch_is_refused(filled):
    with pytest.raises(BadInput, match="no decision act"):
        undo(filled, "nope", clerk="A")


def test_a_failure_mid_act_leaves_nothing(filled, monkeypatch):
    ids = _ids_with(filled, "dismiss_and_seal", 3)
    calls = {"n": 0}
    real = filled.audit

    def failing_audit(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(filled, "audit", failing_audit)
    with pytest.raises(RuntimeError):
        decide(filled, ids, "approved", clerk="A")
    counts = filled.table_counts()
    assert counts["reviews"] == 0 and counts["audit_log"] == 0
    assert {_conv(filled, i)["review_status"] for i in ids} == {"pending"}


def test_a_cancelled_bulk_act_leaves_nothing_and_progress_is_reported(filled):
    from clerkapp.jobs import Cancelled, CancelToken

    ids = list(filled.queue_ids(QueueFilter(outcome="relief")))
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append((done, total))
        token.cancel()

    with pytest.raises(Cancelled):
        decide(filled, ids, "approved", clerk="A", progress=progress, cancel=token)
    assert seen == [(0, len(ids))]
    assert filled.table_counts()["reviews"] == 0 and filled.table_counts()["audit_log"] == 0
    assert {_conv(filled, i)["review_status"] for i in ids} == {"pending"}


def test_an_override_is_the_outcome_in_force_in_queue_filter_and_history(filled, tmp_path):
    cid = _ids_with(filled, "dismiss_and_seal", 1, level="F")[0]
    decide(filled, [cid], "approved", clerk="A. Clerk", note="prior is a felony",
           outcome="redesignate_misdemeanor")
    row = filled.queue_rows([cid])[cid]
    assert row.outcome == "redesignate_misdemeanor" and row.engine_outcome == "dismiss_and_seal"
    assert row.overridden
    assert cid not in filled.queue_ids(QueueFilter(outcome="dismiss_and_seal"))
    assert cid in filled.queue_ids(QueueFilter(outcome="redesignate_misdemeanor"))
    assert cid in filled.queue_ids(QueueFilter(outcome="redesignate_misdemeanor", county=None,
                                               review_status="approved"))
    counts = filled.queue_counts(QueueFilter(outcome="redesignate_misdemeanor"))
    assert counts.get(("redesignate_misdemeanor", "approved"), 0) >= 1
    history = {h["id"]: h for h in filled.conviction_detail(cid).history}
    assert history[cid]["outcome_in_force"] == "redesignate_misdemeanor"
    assert history[cid]["outcome"] == "dismiss_and_seal"
    # a plain decision on top ends the override; undoing it brings the override back
    batch = decide(filled, [cid], "deferred", clerk="A. Clerk")
    assert filled.queue_rows([cid])[cid].outcome == "dismiss_and_seal"
    assert cid in filled.queue_ids(QueueFilter(outcome="dismiss_and_seal"))
    undo(filled, batch, clerk="A. Clerk")
    assert filled.queue_rows([cid])[cid].outcome == "redesignate_misdemeanor"


def test_an_override_out_of_relief_leaves_the_relief_filters(filled):
    cid = _ids_with(filled, "dismiss_and_seal", 1)[0]
    decide(filled, [cid], "denied", clerk="A. Clerk", note="not cannabis",
           outcome="not_applicable")
    assert cid not in filled.queue_ids(QueueFilter(outcome="relief"))
    assert cid not in filled.queue_ids(QueueFilter())
    assert cid in filled.queue_ids(QueueFilter(outcome="not_applicable"))


def test_the_override_stays_in_force_after_a_re_evaluation(filled):
    cid = _ids_with(filled, "dismiss_and_seal", 1, level="F")[0]
    decide(filled, [cid], "approved", clerk="A. Clerk", note="prior is a felony",
           outcome="redesignate_misdemeanor")
    # what an evaluation run does to the conviction: a new engine outcome, review untouched
    filled.conn.execute("UPDATE convictions SET outcome = 'needs_review' WHERE id = ?", (cid,))
    row = filled.queue_rows([cid])[cid]
    assert (row.outcome, row.engine_outcome) == ("redesignate_misdemeanor", "needs_review")
    assert cid in filled.queue_ids(QueueFilter(outcome="redesignate_misdemeanor"))


def test_needs_review_is_approved_only_with_the_outcome_the_clerk_decides(filled):
    [cid] = _ids_with(filled, "needs_review", 1, level="F")
    with pytest.raises(BadInput, match="needs review: approve it with the outcome you decide"):
        decide(filled, [cid], "approved", clerk="A")
    assert filled.table_counts()["reviews"] == 0
    decide(filled, [cid], "approved", clerk="A", outcome="redesignate_misdemeanor",
           note="amount in the court file: under 28.5 g")
    decide(filled, [cid], "deferred", clerk="A")  # deferring or denying needs no outcome
    assert filled.table_counts()["reviews"] == 2


def _pending_at_level(store, level):
    row = store.conn.execute(
        "SELECT id FROM convictions WHERE level = ? AND review_status = 'pending'"
        " AND outcome IS NOT NULL ORDER BY id LIMIT 1", (level,)).fetchone()
    assert row is not None, f"synthetic data holds no pending conviction at level {level}"
    return row[0]


def test_a_redesignation_that_would_not_lower_the_level_is_refused(filled):
    """HS 11361.8(b), (f): a felony becomes a misdemeanor or infraction, a misdemeanor an
    infraction. Approving a misdemeanor "redesignated as a misdemeanor" is refused, naming the
    case; nothing is written."""
    misdemeanor = _pending_at_level(filled, "M")
    before = filled.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    with pytest.raises(BadInput, match="already a misdemeanor: redesignate as misdemeanor would"
                                       " not lower it") as refused:
        decide(filled, [misdemeanor], "approved", clerk="B", outcome="redesignate_misdemeanor",
               note="clerk's reading")
    case = _conv(filled, misdemeanor)["case_number"]
    assert case and case in str(refused.value) and "11361.8" in str(refused.value)
    assert filled.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == before
    # the same misdemeanor may become an infraction, and a felony a misdemeanor
    decide(filled, [misdemeanor], "approved", clerk="B", outcome="redesignate_infraction",
           note="under 21 at the time")
    felony = _pending_at_level(filled, "F")
    decide(filled, [felony], "approved", clerk="B", outcome="redesignate_misdemeanor",
           note="comment confirms 11357(c)")
    assert _conv(filled, felony)["review_status"] == "approved"
