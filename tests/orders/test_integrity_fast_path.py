"""The check before printing decides genuine approvals in SQL (no JSON decoded per approval)
and still finds every field a database tool changed; an entry spelt another way is looked at
again by the full check, never reported for its spelling alone."""

from __future__ import annotations

import hashlib
import json

import pytest

from clerkapp.review.service import decide, undo
from clerkapp.store.integrity import REVIEW_FAST_SQL


def _doubtful(store) -> list[int]:
    """Reviews the SQL fast path does not accept on its own (the full check looks at them)."""
    out = []
    for rid, ok, payload, digest in store.conn.execute(REVIEW_FAST_SQL):
        if not ok or payload is None or hashlib.sha256(payload.encode()).hexdigest() != digest:
            out.append(rid)
    return out


def _rehash_entry(conn, entry_id: int) -> None:
    """The entry's own hash made to fit its edited content (the chain is not the point here)."""
    row = conn.execute("SELECT prev_hash, at, actor, action, entity, entity_id, case_number,"
                       " details FROM audit_log WHERE id = ?", (entry_id,)).fetchone()
    prev, at, actor, action, entity, eid, case, details = row
    payload = "\x1f".join([prev, at, actor, action, entity or "", str(eid or ""), case or "",
                           details])
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("UPDATE audit_log SET hash = ? WHERE id = ?",
                 (hashlib.sha256(payload.encode()).hexdigest(), entry_id))


@pytest.fixture
def decided(court_store, casebook):
    """The court's decisions plus a note of quotes, accents and a line break, and an undo."""
    decide(court_store, casebook.by_case["CASE-D4"], "approved", clerk="Clerk Test",
           note='the "plants" shown\nséance, 5 ½ oz')
    batch = decide(court_store, casebook.by_case["CASE-E5"], "denied", clerk="Clerk Test",
                   note="second look")
    undo(court_store, batch, clerk="Clerk Test")
    return court_store


def test_genuine_decisions_are_accepted_in_sql_without_the_full_check(decided):
    assert decided.conn.execute("SELECT count(*) FROM reviews WHERE undone != 0").fetchone()[0] == 1
    assert decided.conn.execute("SELECT count(*) FROM reviews WHERE overridden != 0").fetchone()[0]
    assert _doubtful(decided) == []
    assert decided.review_mismatches(approved=True) == []
    assert decided.review_mismatches() == []


TAMPER = {
    "clerk": ("UPDATE reviews SET clerk = 'Somebody' WHERE id = ?", "decided by 'Somebody'"),
    "outcome": ("UPDATE reviews SET decided_outcome = 'redesignate_infraction' WHERE id = ?",
                "outcome 'redesignate_infraction' here"),
    "override mark": ("UPDATE reviews SET overridden = 1 - overridden WHERE id = ?",
                      "the override mark differs"),
    "note": ("UPDATE reviews SET note = coalesce(note, '') || '!' WHERE id = ?",
             "the note differs"),
    "decision act": ("UPDATE reviews SET batch_id = 'forged' WHERE id = ?",
                     "the decision act differs"),
    "undone mark": ("UPDATE reviews SET undone = 1 WHERE id = ?",
                    "no audit entry records the undo"),
}


@pytest.mark.parametrize("field", list(TAMPER))
def test_each_field_changed_behind_the_apps_back_is_found(decided, field):
    sql, words = TAMPER[field]
    rid = decided.conn.execute("SELECT c.review_id FROM convictions c WHERE c.case_number ="
                               " 'CASE-B2'").fetchone()[0]
    decided.conn.execute(sql, (rid,))
    assert _doubtful(decided) == [rid]
    found = decided.review_mismatches(approved=True)
    # (an outcome changed on an override also leaves the conviction's outcome in force behind)
    assert [m.row_id for m in found if m.table == "reviews"] == [rid]
    assert words in found[0].what


def test_an_entry_spelt_another_way_is_checked_in_full_and_not_reported(decided):
    entry_id, details = decided.conn.execute(
        "SELECT id, details FROM audit_log WHERE action = 'review.approved' AND details LIKE"
        " '%plants%shown\\n%' ESCAPE '!'").fetchone()
    decided.conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    decided.conn.execute("UPDATE audit_log SET details = ? WHERE id = ?",
                         (json.dumps(json.loads(details), indent=1), entry_id))
    _rehash_entry(decided.conn, entry_id)
    # SQLite's fast path compares the entry's JSON text: the pretty-printed form is not the
    # canonical one, so the full check looks again; PostgreSQL's compares the values (jsonb)
    assert len(_doubtful(decided)) == (1 if decided.engine == "sqlite" else 0)
    assert decided.review_mismatches(approved=True) == []  # but it says the same


def test_an_entry_edited_without_its_hash_is_found(decided):
    entry_id = decided.conn.execute("SELECT max(id) FROM audit_log WHERE action ="
                                    " 'review.approved'").fetchone()[0]
    decided.conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    decided.conn.execute("UPDATE audit_log SET at = '2020-01-01T00:00:00+00:00' WHERE id = ?",
                         (entry_id,))
    found = decided.review_mismatches(approved=True)
    assert [m.what for m in found] == [f"its audit entry #{entry_id} was edited"]
