"""The clerk's confirmations and rejections, their undo and audit, and the incremental rerun
that keeps them."""

from __future__ import annotations

import json

import pytest

from clerkapp.errors import BadInput
from clerkapp.ingest.service import import_files
from clerkapp.reconcile import decisions
from clerkapp.reconcile.service import reconcile
from clerkapp.store.queue import EVERYTHING, QueueFilter
from tests.reconcile.files import (
    SALE,
    court_row,
    doj_person,
    scenario_files,
    write_court,
    write_doj,
)


@pytest.fixture
def possible(store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    reconcile(store)
    link = store.conn.execute(
        "SELECT * FROM reconcile_links WHERE status = 'possible_match'").fetchone()
    return store, dict(link)


def _rows_of(store, link):
    return [dict(r) for r in store.conn.execute(
        "SELECT status, doj_id, court_id, merged_id, note FROM reconcile_links"
        " WHERE doj_id = ? OR court_id = ? ORDER BY status",
        (link["doj_id"], link["court_id"]))]


def _actions(store):
    return [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]


def test_confirm_merges_and_undo_restores(possible):
    store, link = possible
    queue_before = len(store.queue_ids(QueueFilter(outcome=EVERYTHING)))
    decision = decisions.confirm(store, link["id"], clerk="J. Clerk", note="same person")
    rows = _rows_of(store, link)
    assert [(r["status"], r["merged_id"]) for r in rows] == [("matched", link["court_id"])]
    assert f"confirmed by {store.actor('J. Clerk')}" in rows[0]["note"]
    assert len(store.queue_ids(QueueFilter(outcome=EVERYTHING))) == queue_before - 1
    assert _actions(store)[-1] == "reconcile_confirm"
    entry = store.conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert entry["actor"] == store.actor("J. Clerk")
    assert json.loads(entry["details"])["decision_id"] == decision
    with pytest.raises(BadInput, match="already matched"):
        decisions.confirm(store, rows[0]["id"] if "id" in rows[0] else link["id"], clerk="x")

    assert decisions.undo(store, clerk="J. Clerk") == decision
    rows = _rows_of(store, link)
    assert [(r["status"], r["merged_id"]) for r in rows] == [("possible_match", None)]
    assert len(store.queue_ids(QueueFilter(outcome=EVERYTHING))) == queue_before
    assert _actions(store)[-1] == "reconcile_undo"
    with pytest.raises(BadInput, match="nothing to undo"):
        decisions.undo(store, clerk="J. Clerk")
    assert store.verify_audit_chain() is None


def test_reject_splits_and_undo_restores(possible):
    store, link = possible
    decisions.reject(store, link["id"], clerk="J. Clerk")
    rows = _rows_of(store, link)
    assert sorted(r["status"] for r in rows) == ["court_only", "doj_only"]
    assert all("rejected" in r["note"] for r in rows)
    not_on_doj = store.queue_ids(QueueFilter(outcome=EVERYTHING, not_on_doj=True))
    assert link["court_id"] in set(not_on_doj)
    decisions.undo(store, clerk="J. Clerk")
    assert [r["status"] for r in _rows_of(store, link)] == ["possible_match"]


def test_only_pairs_are_decided(possible):
    store, _link = possible
    alone = store.conn.execute(
        "SELECT id FROM reconcile_links WHERE status = 'doj_only'").fetchone()[0]
    with pytest.raises(BadInput, match="only a pair"):
        decisions.confirm(store, alone, clerk="J. Clerk")
    if store.login is None:  # on a shared store the login is the clerk: no name to forget
        with pytest.raises(BadInput, match="clerk's name"):
            decisions.confirm(store, _link["id"], clerk=" ")


def test_rerun_keeps_decisions_and_only_adds_what_is_new(possible, tmp_path):
    store, link = possible
    decisions.confirm(store, link["id"], clerk="J. Clerk")
    other = store.conn.execute("SELECT * FROM reconcile_links WHERE status = 'conflict'"
                               ).fetchone()
    decisions.reject(store, other["id"], clerk="J. Clerk")
    before = {(r[0], r[1], r[2]) for r in store.conn.execute(
        "SELECT doj_id, court_id, status FROM reconcile_links")}

    again = reconcile(store)
    assert again.added == 0 and again.changed == 0 and again.removed == 0
    after = {(r[0], r[1], r[2]) for r in store.conn.execute(
        "SELECT doj_id, court_id, status FROM reconcile_links")}
    assert after == before  # the confirmation and the rejection hold

    # a new court file: its conviction of a DOJ-only case links, nothing else is rewritten
    more = write_court(tmp_path / "court2.csv", [
        court_row("BA100007", "Raj Patel", "01/01/1990", charge="HS 11357(c)",
                  level="Misdemeanor")])
    import_files(store, [more])
    third = reconcile(store)
    # the DOJ-only conviction's row became the pair: one row changed, none new or gone
    assert (third.added, third.changed, third.removed) == (0, 1, 0)
    pair = store.conn.execute(
        "SELECT l.status, l.match_key FROM reconcile_links l JOIN convictions k"
        " ON k.id = l.court_id WHERE k.import_id = 3").fetchone()
    assert tuple(pair) == ("matched", "name_dob")
    assert third.unchanged == len(before) - 1


def test_rerun_after_a_new_doj_file(store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    reconcile(store)
    court_only = store.reconcile_counts()["court_only"]
    extra = write_doj(tmp_path / "doj2.csv", [doj_person(
        "99", "BELL,KEISHA", "19880202", "99999999",
        [{"case": "BA100009", "offense": SALE, "date": "20050315"}])])
    import_files(store, [extra])
    summary = reconcile(store)
    assert summary.counts["court_only"] == court_only - 1
    assert (summary.added, summary.changed, summary.removed) == (0, 1, 0)
