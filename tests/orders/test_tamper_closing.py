"""Edits behind the app's back to what closes a conviction's file: the judge's signatures, the
DOJ and case-system update files, withdrawals, corrections, and printed orders or decisions
deleted. Each was found by nothing before (fault run 8): a forged signature put an unsigned
order in the DOJ update, a deleted update file reported its counts twice, a deleted order
printed its convictions again. Now each stops printing and the update files, and `clerkapp
verify` names it and exits 3 — on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from clerkapp.cli.main import main
from clerkapp.closeout.updates import write_update
from clerkapp.ingest.withdraw import withdraw_import
from clerkapp.integrity import IntegrityError, check_store
from clerkapp.orders.service import print_orders
from clerkapp.relief.notices import print_notices
from clerkapp.review.corrections import correct
from clerkapp.store import Store
from clerkapp.store.base import now_iso
from tests.orders.conftest import sign_all
from tests.orders.test_tamper import _tool

TODAY = date.today().isoformat()


@pytest.fixture
def closed_store(court_store, tmp_path):
    """The court's orders printed, the first two signed and reported to the DOJ and the case
    system; a second import withdrawn; notices printed for the signed orders; a case number
    entered for CASE-D4 (still pending)."""
    store = court_store
    store.set_setting("court.code", "CA001013J")
    store.set_setting("court.ori", "CA0010000")
    print_orders(store, tmp_path / "orders")
    first_two = [int(r[0]) for r in store.conn.execute("SELECT id FROM orders ORDER BY id"
                                                       " LIMIT 2")]
    for order_id in first_two:
        store.record_signature(order_id, TODAY, "Hon. Ada Q. Testjudge",
                               recorded_by="Clerk Test")
    for kind in ("doj", "cms"):
        assert write_update(store, kind, tmp_path / f"{kind}.csv").path is not None
    with store.atomic():
        spare = int(store.conn.execute(
            "INSERT INTO imports (file_name, sha256, size, preset, started_at) VALUES"
            " ('spare.csv', 'y', 0, 'generic', ?)", (now_iso(),)).lastrowid)
    withdraw_import(store, spare, reason="test extract", by="Clerk Test")
    store.set_setting("court.address", "1225 Fallon Street, Oakland, CA 94612")
    store.set_setting("court.clerk_phone", "(510) 555-0100")
    assert print_notices(store, tmp_path / "notices").files
    delta = store.conn.execute("SELECT id FROM convictions WHERE case_number = 'CASE-D4'"
                               ).fetchone()[0]
    correct(store, delta, "case_number", "CASE-D4-X", reason="court file", clerk="Clerk Test")
    assert check_store(store, full=True).ok  # anchored, as the app leaves it
    return store


def _unsigned_order(conn) -> int:
    return conn.execute("SELECT max(id) FROM orders").fetchone()[0]


def forge_signature(conn):
    conn.execute("INSERT INTO order_signatures (order_id, signed_on, judge, recorded_by,"
                 " recorded_at) VALUES (?, ?, 'Hon. Ada Q. Testjudge', 'Clerk Test', ?)",
                 (_unsigned_order(conn), TODAY, now_iso()))


def change_signing_date(conn):
    conn.execute("UPDATE order_signatures SET signed_on = '2026-01-02'")


def delete_signature(conn):
    conn.execute("DELETE FROM order_signatures WHERE id = (SELECT min(id) FROM"
                 " order_signatures)")


def delete_update_file(conn):
    conn.execute("DELETE FROM update_items WHERE file_id = (SELECT min(id) FROM update_files)")
    conn.execute("DELETE FROM update_files WHERE id = (SELECT min(id) FROM update_files)")


def delete_an_update_item(conn):
    conn.execute("DELETE FROM update_items WHERE file_id = (SELECT min(id) FROM update_files)"
                 " AND conviction_id = (SELECT min(conviction_id) FROM update_items)")


def forge_update_file(conn):
    """The unsigned order's counts recorded as reported, so they never would be."""
    conn.execute(
        "INSERT INTO update_files (kind, path, sha256, layout, row_count, created_by,"
        " created_at) SELECT 'doj', path, sha256, layout, 1, created_by, created_at FROM"
        " update_files WHERE kind = 'doj'")
    file_id = conn.execute("SELECT max(id) FROM update_files").fetchone()[0]
    conn.execute("INSERT INTO update_items (file_id, conviction_id, order_id, outcome)"
                 " SELECT ?, conviction_id, order_id, 'dismiss_and_seal' FROM order_items"
                 " WHERE order_id = ?", (file_id, _unsigned_order(conn)))


def void_update_file(conn):
    conn.execute("UPDATE update_files SET voided_at = '2026-01-02T00:00:00+00:00',"
                 " voided_by = 'x', void_reason = 'x'")


def forge_withdrawal(conn):
    conn.execute("UPDATE imports SET status = 'withdrawn', withdrawn_at = ?, withdrawn_by ="
                 " 'x', withdraw_reason = 'x' WHERE file_name = 'test.csv'", (now_iso(),))


def take_back_withdrawal(conn):
    conn.execute("UPDATE imports SET status = 'complete', withdrawn_at = NULL WHERE"
                 " file_name = 'spare.csv'")


def forge_correction(conn):
    conn.execute("INSERT INTO corrections (conviction_id, field, value, reason, clerk, made_at)"
                 " SELECT id, 'name', 'SOMEONE,ELSE', 'x', 'Clerk Test', ? FROM convictions"
                 " WHERE case_number = 'CASE-A1'", (now_iso(),))


def change_corrected_case_number(conn):
    conn.execute("UPDATE corrections SET value = 'CASE-Z9'")


def delete_order(conn):
    order_id = _unsigned_order(conn)
    conn.execute("DELETE FROM order_items WHERE order_id = ?", (order_id,))
    conn.execute("DELETE FROM orders WHERE id = ?", (order_id,))


def delete_decision(conn):
    cid, rid = conn.execute("SELECT c.id, r.id FROM convictions c JOIN reviews r ON r.id ="
                            " c.review_id WHERE c.case_number = 'CASE-C3'").fetchone()
    conn.execute("UPDATE convictions SET review_status = 'pending', review_id = NULL WHERE"
                 " id = ?", (cid,))
    conn.execute("DELETE FROM reviews WHERE id = ?", (rid,))


def forge_notice(conn):
    """A person recorded as noticed, so the letter is never printed."""
    conn.execute("INSERT INTO notices (person_id, language, path, sha256, template,"
                 " created_by, created_at) SELECT person_id, 'es', path, sha256, template,"
                 " created_by, created_at FROM notices WHERE id = (SELECT min(id) FROM notices)")


def delete_notice(conn):
    conn.execute("DELETE FROM notice_items WHERE notice_id = (SELECT min(id) FROM notices)")
    conn.execute("DELETE FROM notices WHERE id = (SELECT min(id) FROM notices)")


def delete_a_noticed_conviction(conn):
    conn.execute("DELETE FROM notice_items WHERE conviction_id = (SELECT min(conviction_id)"
                 " FROM notice_items)")


# edit -> (what the mismatch says, whether the DOJ update is stopped: a deleted denial is
# found by `verify` alone, as nothing printed or reported rests on it)
TAMPERING = {
    "signature forged": (forge_signature, "but no audit entry records that signing", True),
    "signing date changed": (change_signing_date, "signed on 2026-01-02 here", True),
    "signature deleted": (delete_signature, "which the store no longer holds", True),
    "update file deleted": (delete_update_file, "its counts would be reported again", True),
    "update file's count deleted": (delete_an_update_item, "audit entry", True),
    "update file forged": (forge_update_file, "no audit entry records it being written", True),
    "update file voided": (void_update_file, "no audit entry records the voiding", True),
    "withdrawal forged": (forge_withdrawal, "no audit entry records the withdrawal", True),
    "withdrawal taken back": (take_back_withdrawal, "no longer marks it withdrawn", True),
    "correction forged": (forge_correction, "no audit entry records it", True),
    "corrected case number changed": (change_corrected_case_number,
                                      "the case number entered differs", True),
    "printed order deleted": (delete_order, "its convictions would be printed again", True),
    "notice forged": (forge_notice, "no audit entry records it printed", True),
    "notice deleted": (delete_notice, "its convictions would be noticed again", True),
    "noticed conviction deleted": (delete_a_noticed_conviction, "audit entry", True),
    "decision deleted": (delete_decision, "which the store no longer holds", False),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampering_with_closing_records_is_found(closed_store, tmp_path, capsys, name):
    edit, expected, stops_updates = TAMPERING[name]
    path = closed_store.path
    closed_store.close()
    conn = _tool(path)
    edit(conn)
    conn.close()
    if stops_updates:
        with Store(path) as store:
            for kind in ("doj", "cms"):
                with pytest.raises(IntegrityError) as stopped:
                    write_update(store, kind, tmp_path / f"{kind}-2.csv", include_all=True)
                assert "does not match its audit log" in str(stopped.value)
                assert expected in str(stopped.value)
                assert not (tmp_path / f"{kind}-2.csv").exists()
            with pytest.raises(IntegrityError):
                print_orders(store, tmp_path / "again", supersede="tampering test")
    assert main(["--db", str(path), "verify", "--no-files"]) == 3
    out = capsys.readouterr().out
    assert "MISMATCH" in out and expected in out


def test_the_closed_store_untouched_verifies_and_reports(closed_store, tmp_path, capsys):
    """The same records, written by the app: no mismatch, and the updates go on."""
    sign_all(closed_store)
    assert write_update(closed_store, "doj", tmp_path / "doj-2.csv").path is not None
    assert main(["--db", str(closed_store.path), "verify"]) == 0
    assert "OK: the store matches its audit log" in capsys.readouterr().out
