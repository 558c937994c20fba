"""The queue's "Not applicable" filter, read from the outcome index: exactly the convictions
whose outcome in force resolves to not_applicable (shared ones up to the latest run's last
conviction, those decided so after it never), in id order either way, pending ones alone
when asked."""

from __future__ import annotations

from bench.testdata import fill_queue_fast
from clerkapp.domain.records import PersonRecord
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import QueueFilter

from .store_data import add_history, conviction, sample, sec

NA = QueueFilter(outcome="not_applicable")


def resolved(store, status: str | None = None) -> list[int]:
    """The definition, by a scan: the outcome in force with the latest run's shared
    determinations filled in."""
    last = store.latest_scope()[1]
    extra = " AND review_status = ?" if status else ""
    return [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE coalesce(outcome_in_force, CASE WHEN id <= ?"
        f" THEN 'not_applicable' END) = 'not_applicable'{extra} ORDER BY id",
        (last, *([status] if status else [])))]


def test_shared_decided_and_later_convictions(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    # imported after the run: not evaluated, so not "not applicable"
    add_history(store, [PersonRecord(key="late", name="LATE,LEE", dob="1980-01-01")],
                [conviction("late", 900, sec("PC", "459"), county="YOLO")], name="late.csv")
    expected = resolved(store)
    assert len(expected) == 3
    assert list(store.queue_ids(NA)) == expected
    assert list(store.queue_ids(NA, descending=True)) == expected[::-1]
    decide(store, expected[:1], "denied", clerk="Clerk Test", note="not ours")
    pending = QueueFilter(outcome="not_applicable", review_status="pending")
    assert list(store.queue_ids(pending)) == resolved(store, "pending") == expected[1:]


def test_mostly_not_applicable_read_from_the_index(store, monkeypatch):
    """Three of five not applicable: still read from the outcome index, never a scan."""
    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    used: list[str] = []
    real = type(store)._not_applicable_ids
    monkeypatch.setattr(type(store), "_not_applicable_ids",
                        lambda self, *a: used.append("index") or real(self, *a))
    assert list(store.queue_ids(NA)) == resolved(store)
    assert used == ["index"]


def test_a_filled_queue_of_own_outcomes(store):
    fill_queue_fast(store, 5000)
    expected = resolved(store)
    assert 0 < len(expected) < 5000
    assert list(store.queue_ids(NA)) == expected
    narrowed = QueueFilter(outcome="not_applicable", county="KERN")
    assert list(store.queue_ids(narrowed)) == [
        i for i in expected
        if store.conn.execute("SELECT county FROM convictions WHERE id = ?", (i,)).fetchone()[0]
        .upper() == "KERN"]
