"""Two clerks press print at the same time, each through a store connection of their own:
what the other clerk ordered (or reported) while a run was drawing its files is left out of
it, so no decision is ordered or reported twice, and no unrecorded file is left behind."""

from __future__ import annotations

import re

import pytest

from clerkapp.closeout.updates import write_update
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.store import Store
from tests.orders.conftest import sign_all


@pytest.fixture
def other_desk(court_store):
    theirs = Store(court_store.path)
    yield theirs
    theirs.close()


def _meanwhile(action, at: int = 1):
    """A progress callback that lets the other clerk act once, at its `at`-th call: after
    this run read what to write, while it draws."""
    calls = []

    def progress(*_args):
        calls.append(True)
        if len(calls) == at:
            action()
    return progress


def _names(store):
    """The other clerk as named: the name given, or the PostgreSQL login once writes are
    recorded under it."""
    return {"B. Clerk", store.actor("B. Clerk")}


def _times_ordered(store):
    return dict(store.conn.execute(
        "SELECT conviction_id, count(*) FROM order_items GROUP BY conviction_id").fetchall())


def _case_ids(store, case):
    return [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE case_number = ?", (case,))]


def test_per_case_orders_the_other_clerk_printed_meanwhile_are_left_out(
        court_store, other_desk, tmp_path):
    a1 = _case_ids(court_store, "CASE-A1")
    theirs = _meanwhile(lambda: print_orders(other_desk, tmp_path / "b", conviction_ids=a1,
                                             operator="B. Clerk"))
    summary = print_orders(court_store, tmp_path / "a", operator="A. Clerk", progress=theirs)
    assert summary.ordered_elsewhere == 2
    assert any(f"{n} recorded orders for 2 of these convictions" in summary.elsewhere
               for n in _names(court_store))
    counts = _times_ordered(court_store)
    assert set(counts.values()) == {1}  # nothing ordered twice
    assert {cid for o in summary.orders
            for cid in court_store.order_conviction_ids(o.order_id)}.isdisjoint(a1)
    # on disk: exactly the files recorded, none of the first attempt's temporary ones
    on_disk = sorted(p.name for p in (tmp_path / "a").iterdir() if not p.name.startswith(".clerkapp"))
    assert on_disk == sorted(f.name for f in summary.files)
    assert not [p for p in (tmp_path / "a").iterdir() if p.suffix == ".part"]
    assert court_store.verify_audit_chain() is None


def test_a_bulk_order_is_drawn_again_without_what_the_other_clerk_ordered(
        court_store, other_desk, tmp_path):
    a1 = _case_ids(court_store, "CASE-A1")
    theirs = _meanwhile(lambda: print_orders(other_desk, tmp_path / "b", conviction_ids=a1,
                                             operator="B. Clerk"))
    summary = print_orders(court_store, tmp_path / "a", bulk=True, operator="A. Clerk",
                           progress=theirs)
    [order] = summary.orders
    assert summary.ordered_elsewhere == 2
    assert set(court_store.order_conviction_ids(order.order_id)).isdisjoint(a1)
    assert set(_times_ordered(court_store).values()) == {1}


def test_when_the_other_clerk_ordered_everything_nothing_is_printed(
        court_store, other_desk, tmp_path):
    theirs = _meanwhile(lambda: print_orders(other_desk, tmp_path / "b", bulk=True,
                                             operator="B. Clerk"))
    by = "|".join(re.escape(n) for n in _names(court_store))
    with pytest.raises(BadInput, match=f"nothing was printed: ({by}) recorded orders for 5"):
        print_orders(court_store, tmp_path / "a", bulk=True, operator="A. Clerk",
                     progress=theirs)
    assert not [p for p in (tmp_path / "a").iterdir() if not p.name.startswith(".clerkapp")]
    assert set(_times_ordered(court_store).values()) == {1}


def test_update_counts_the_other_clerk_reported_meanwhile_are_not_reported_twice(
        court_store, other_desk, tmp_path):
    court_store.set_setting("court.code", "CA001013J")
    print_orders(court_store, tmp_path / "orders", bulk=True, operator="A. Clerk")
    sign_all(court_store)
    theirs = _meanwhile(lambda: write_update(other_desk, "doj", tmp_path / "b.csv",
                                             operator="B. Clerk"), at=2)
    summary = write_update(court_store, "doj", tmp_path / "a.csv", operator="A. Clerk",
                           progress=theirs)
    assert summary.path is None
    assert any(f"{n} recorded an update file" in summary.message for n in _names(court_store))
    assert not (tmp_path / "a.csv").exists() and (tmp_path / "b.csv").exists()
    reported = court_store.conn.execute(
        "SELECT conviction_id, count(*) FROM update_items GROUP BY conviction_id").fetchall()
    assert len(reported) == 5 and {n for _, n in reported} == {1}
