"""Two clerks on one store: a window sees the other clerk's decisions within seconds, "Next
pending" skips what the other clerk has open, and a decision the other clerk beat is refused,
named and shown. The other clerk works through a Store of their own on the same file."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QSettings, Qt

from bench.testdata import fill_queue
from clerkapp.review.claims import ClaimSession
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.ui import sharing
from clerkapp.ui.models.queue_model import COLUMN_INDEX
from clerkapp.ui.sharing import COST_OF_LAST, POLL_MS, SLOW_MS, SLOW_POLL_MS
from clerkapp.ui.views import prompts

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def other(db_target):
    """The other clerk's connection to the same store."""
    mine = Store(db_target)
    fill_queue(mine, 120, seed=8)
    mine.close()
    theirs = Store(db_target)
    yield theirs
    theirs.close()


@pytest.fixture
def window(open_main_window, other, db_target, tmp_path):
    store = Store(db_target)
    w = open_main_window(store, QSettings(str(tmp_path / "desk.ini"),
                                          QSettings.Format.IniFormat))
    yield w
    w.close()
    store.close()


def _status_cell(window, row):
    return window.model.index(row, COLUMN_INDEX["status"]).data()


def _pending_rows(window, n):
    rows = [r for r in range(window.model.rowCount())
            if window.model.record(r).review_status == "pending"
            and window.model.record(r).outcome == "dismiss_and_seal"]
    assert len(rows) >= n
    return rows[:n]


def test_another_clerks_decision_shows_within_seconds(window, other, qtbot, monkeypatch):
    """The window's own timer asks every POLL_MS (2 s) while the marker is cheap to ask. What
    asking costs is measured in bench/bench_clerks.py: here each ask costs 0.1 ms on the
    desk's clock, so a busy machine cannot slow the pace (that is the next test's case)."""
    clock = itertools.count(step=0.0001)
    monkeypatch.setattr(sharing, "perf_counter", lambda: next(clock))
    row = _pending_rows(window, 2)[1]
    cid = window.model.conviction_id(row)
    assert _status_cell(window, row) == "Pending"
    refreshes = window.desk.refreshes
    decide(other, [cid], "approved", clerk="B. Clerk")
    qtbot.waitUntil(lambda: _status_cell(window, row) == "Approved", timeout=POLL_MS * 10)
    assert window.desk.refreshes > refreshes  # the timer's poll showed it, nothing else
    assert window.desk.poll_timer.isActive() and window.desk.poll_timer.interval() == POLL_MS


def test_a_slow_marker_is_asked_less_often_a_busy_moment_is_not(window, monkeypatch):
    desk = window.desk
    clock = [0.0]  # the desk's clock, moved by what each answer of the marker costs
    monkeypatch.setattr(sharing, "perf_counter", lambda: clock[0])
    marker = desk.store.change_marker

    def costing(ms):
        def answer():
            clock[0] += ms / 1000
            return marker()
        monkeypatch.setattr(desk.store, "change_marker", answer)

    costing(0.1)
    for _ in range(COST_OF_LAST):
        desk.poll()
    costing(SLOW_MS * 4)
    desk.poll()  # one slow answer: the computer was busy, the marker is not slow
    assert desk.last_poll_ms > SLOW_MS
    assert desk.poll_timer.interval() == POLL_MS
    for _ in range(COST_OF_LAST):  # slow every time: a distant server
        desk.poll()
    assert desk.poll_cost_ms > SLOW_MS
    assert desk.poll_timer.interval() == SLOW_POLL_MS
    costing(0.1)
    desk.poll()  # fast again: back to every POLL_MS
    assert desk.poll_cost_ms < SLOW_MS
    assert desk.poll_timer.interval() == POLL_MS


def test_the_detail_shows_the_other_clerks_decision_on_the_current_row(window, other, qtbot):
    cid = window.queue.current_id()
    decide(other, [cid], "deferred", clerk="B. Clerk")
    assert window.desk.poll()
    assert window.detail.detail.conviction["review_status"] == "deferred"
    assert not window.desk.poll()  # nothing new: nothing read again


def test_next_pending_skips_what_the_other_clerk_has_open(window, other, qtbot):
    rows = [r for r in range(window.model.rowCount())
            if window.model.record(r).review_status == "pending"]
    window.queue.select_row(rows[0])
    theirs = ClaimSession(other, "B. Clerk")
    assert theirs.claim_first([window.model.conviction_id(rows[1])])
    qtbot.keyClick(window.queue, Qt.Key.Key_N)
    assert window.queue.currentIndex().row() == rows[2]
    mine = window.model.conviction_id(rows[2])
    claim = other.claim_of(mine)
    assert claim is not None and claim.holder == window.desk.claims.holder
    # the other clerk cannot be handed it now; moving off it lets it go
    assert theirs.claim_first([mine]) is None
    window.queue.select_row(rows[0])
    assert other.claim_of(mine) is None
    # going to the other clerk's conviction by hand says who has it open
    window.queue.select_row(rows[1])
    assert "has this conviction open (claimed until" in window.status.currentMessage()


def test_deciding_a_row_the_other_clerk_just_decided_is_refused_and_shows_theirs(
        window, other, qtbot, warned):
    row = _pending_rows(window, 1)[0]
    window.queue.select_row(row)
    cid = window.queue.current_id()
    assert window.model.record(row).review_id is None  # what this clerk sees: undecided
    decide(other, [cid], "denied", clerk="B. Clerk", note="wrong county")
    reviews = other.table_counts()["reviews"]
    qtbot.keyClick(window.queue, Qt.Key.Key_A)  # before the poll showed it
    assert warned and any(f"denied by {n} at " in warned[0]
                          for n in ("B. Clerk", other.actor("B. Clerk")))
    assert "nothing was recorded" in warned[0]
    assert other.table_counts()["reviews"] == reviews
    assert _status_cell(window, row) == "Denied"  # the row shows their decision now
    assert window.detail.detail.conviction["review_status"] == "denied"


def test_bulk_approval_of_a_selection_is_refused_whole_when_one_row_was_decided(
        window, other, qtbot, warned, monkeypatch):
    monkeypatch.setattr(prompts, "confirm", lambda *a: True)
    rows = _pending_rows(window, 4)
    ids = [window.model.conviction_id(r) for r in rows]
    plan_seen = other.current_review_ids(ids)
    decide(other, [ids[2]], "deferred", clerk="B. Clerk")
    window.reviews.decide(ids, "approved", seen=plan_seen)
    assert warned and any(f"deferred by {n} at " in warned[0]
                          for n in ("B. Clerk", other.actor("B. Clerk")))
    assert "of the 4" in warned[0]
    assert [other.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                               (i,)).fetchone()[0] for i in ids] == \
        ["pending", "pending", "deferred", "pending"]
    assert _status_cell(window, rows[2]) == "Deferred"


def test_closing_the_window_lets_its_claim_go(window, other, qtbot):
    qtbot.keyClick(window.queue, Qt.Key.Key_N)
    mine = window.queue.current_id()
    assert other.claim_of(mine) is not None
    window.close()
    assert other.claim_of(mine) is None
