"""One conviction, never two: a linked pair counts once in the queue, its counts, the
export, the statistics and the orders, and its source pane shows both files' rows."""

from __future__ import annotations

from clerkapp.ingest.service import import_files
from clerkapp.orders.service import print_orders
from clerkapp.reconcile.service import reconcile
from clerkapp.reports import stats
from clerkapp.reports.export import export_rows
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import EVERYTHING, QueueFilter
from tests.orders.conftest import set_profile
from tests.reconcile.files import scenario_files


def _setup(store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    evaluate(store, as_of="2024-01-01")
    before = len(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    reconcile(store)
    return before


def _merged(store) -> list[tuple[int, int, int]]:
    return [tuple(r) for r in store.conn.execute(
        "SELECT doj_id, court_id, merged_id FROM reconcile_links WHERE merged_id IS NOT NULL")]


def test_linked_pairs_count_once_everywhere(store, tmp_path):
    before = _setup(store, tmp_path)
    merged = _merged(store)
    assert len(merged) == 6  # 5 matched + 1 conflict; the possible match is not merged
    assert all(m == court for _d, court, m in merged)
    ids = set(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    assert len(ids) == before - 6
    assert not ids & {m for *_x, m in merged}
    assert {d for d, *_x in merged} <= ids
    counts = store.queue_counts(QueueFilter(outcome=EVERYTHING))
    assert sum(counts.values()) == before - 6
    out = tmp_path / "export.csv"
    assert export_rows(store, out) == before - 6
    assert stats.collect(store)["cannabis_convictions"] == before - 6


def test_source_pane_shows_both_rows(store, tmp_path):
    _setup(store, tmp_path)
    doj_id, court_id, _m = _merged(store)[0]
    detail = store.conviction_detail(doj_id)
    files = sorted({s.file_name for s in detail.sources})
    assert files == ["court.csv", "doj.csv"]


def test_orders_print_a_linked_conviction_once(store, tmp_path):
    _setup(store, tmp_path)
    set_profile(store, **{"court.county": "Los Angeles"})
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    relief = [i for i, r in store.queue_rows(ids).items()
              if r.outcome in ("dismiss_and_seal", "redesignate_misdemeanor")]
    local = [i for i, r in store.queue_rows(relief).items() if r.county == "LOS ANGELES"]
    merged = [m for *_x, m in _merged(store)]
    decide(store, relief, "approved", clerk="tester")
    # the merged copies were never in the queue, and a bulk approval by ids skips nothing
    summary = print_orders(store, tmp_path / "orders", bulk=True)
    printed = {r[0] for r in store.conn.execute("SELECT conviction_id FROM order_items")}
    assert summary.convictions == len(local) >= 6
    assert not printed & set(merged)


def test_not_on_the_doj_list_filter(store, tmp_path):
    _setup(store, tmp_path)
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING, not_on_doj=True)))
    rows = store.queue_rows(ids)
    assert [r.case_number for r in rows.values()] == ["BA100009"]


def test_decided_court_copy_keeps_its_decision(store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    evaluate(store, as_of="2024-01-01")
    court_id = store.conn.execute(
        "SELECT c.id FROM convictions c JOIN imports i ON i.id = c.import_id"
        " WHERE i.preset = 'generic' AND c.case_number = 'BA100002'").fetchone()[0]
    decide(store, [court_id], "deferred", clerk="tester")
    reconcile(store)
    row = store.conn.execute("SELECT doj_id, merged_id FROM reconcile_links"
                             " WHERE court_id = ?", (court_id,)).fetchone()
    assert row["merged_id"] == row["doj_id"]  # the DOJ copy stops counting instead
    assert court_id in set(store.queue_ids(QueueFilter(outcome=EVERYTHING)))


def test_counter_look_up_lists_a_linked_conviction_once(store, tmp_path):
    _setup(store, tmp_path)
    doj_id, court_id, _m = _merged(store)[0]
    person = {cid: pid for cid, pid in store.conn.execute(
        "SELECT id, person_id FROM convictions WHERE id IN (?, ?)", (doj_id, court_id))}
    standings = [s for pid in set(person.values()) for s in store.person_standings(pid)]
    # listed once as a conviction of its own; the court's copy, on the court's record, only
    # as reconciled with the DOJ's, whose standing it shows (docs/relief.md)
    own = [s.conviction_id for s in standings if s.linked is None]
    assert doj_id in own and court_id not in own
    copies = [s for s in standings if s.conviction_id == court_id]
    assert all(s.linked.conviction_id == doj_id and s.linked.standing is not None
               and s.order is None for s in copies)
    assert len(copies) == (person[court_id] != person[doj_id])

def test_close_out_counts_a_linked_pair_once(store, tmp_path):
    """Approved before reconciling (the window lets a clerk do it in that order), each side of a
    pair held an approval; once linked and ordered, the court's copy still counted as
    'Approved, not ordered' in the status bar and `stats`, while the queue's filter, which
    leaves it out, showed none."""
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    evaluate(store, as_of="2024-01-01")
    set_profile(store, **{"court.county": "Los Angeles"})
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    relief = [i for i, r in store.queue_rows(ids).items()
              if r.outcome in ("dismiss_and_seal", "redesignate_misdemeanor")]
    decide(store, relief, "approved", clerk="tester")
    reconcile(store)
    merged = {m for *_x, m in _merged(store)}
    assert merged & set(relief)  # the court's copies of pairs were approved too
    print_orders(store, tmp_path / "orders", bulk=True)
    counts = store.closeout_counts()
    for kind in ("approved_not_ordered", "ordered_not_reported"):
        shown = store.queue_ids(QueueFilter(outcome=EVERYTHING, closeout=kind))
        assert counts[kind] == len(shown), kind
    assert counts["ordered_not_reported"] > 0


def test_review_by_case_decides_a_linked_conviction_once(store, tmp_path):
    """`clerkapp review --deny --case N` on a case both lists hold denied the court's copy the
    queue leaves out too ('3 convictions denied' for one cannabis conviction); the court's own
    number for the case finds the pair's conviction the queue shows."""
    _setup(store, tmp_path)
    merged = _merged(store)
    numbers = {cid: number for cid, number in store.conn.execute(
        "SELECT id, case_number FROM convictions WHERE id IN (SELECT merged_id FROM"
        " reconcile_links WHERE merged_id IS NOT NULL)")}
    found = store.conviction_ids_for_cases(sorted(set(numbers.values())))
    chosen = {i for ids in found.values() for i in ids}
    assert all(found.values())  # each case still found, by the conviction that counts
    assert not chosen & {m for *_x, m in merged}
    assert chosen <= set(store.queue_ids(QueueFilter(outcome=EVERYTHING)))


def test_the_case_system_update_names_a_pair_by_the_court_s_own_number(store, tmp_path):
    """The case-system update is a bulk update of the court's own system; for a reconciled
    pair it gave the DOJ's writing of the case number (BA100001), which the court's system
    knows as BA-0100001-01. The DOJ update keeps the DOJ's."""
    import csv

    from clerkapp.closeout.updates import write_update
    from tests.orders.conftest import sign_all

    _setup(store, tmp_path)
    set_profile(store, **{"court.county": "Los Angeles", "court.code": "CA019"})
    ids = list(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    relief = [i for i, r in store.queue_rows(ids).items()
              if r.outcome in ("dismiss_and_seal", "redesignate_misdemeanor")]
    decide(store, relief, "approved", clerk="tester")
    print_orders(store, tmp_path / "orders")
    sign_all(store)
    for kind in ("cms", "doj"):
        assert write_update(store, kind, tmp_path / f"{kind}-update.csv").rows > 0

    def numbers(kind: str, column: str) -> set[str]:
        with open(tmp_path / f"{kind}-update.csv", encoding="utf-8-sig", newline="") as handle:
            return {row[column] for row in csv.DictReader(handle)}

    cms, doj = numbers("cms", "Case Number"), numbers("doj", "CASE_NUMBER")
    assert {"BA-0100001-01", "LA BA100004"} <= cms and not {"BA100001", "BA100004"} & cms
    assert {"BA100001", "BA100004"} <= doj and not {"BA-0100001-01", "LA BA100004"} & doj
