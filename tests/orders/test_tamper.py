"""Edits made with a database tool, behind the app's back: each is found before anything is
printed or exported, and `clerkapp verify` names it and exits 3."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from clerkapp.cli.main import main
from clerkapp.integrity import IntegrityError, check_store
from clerkapp.orders.service import print_orders
from clerkapp.reports.export import export_rows
from clerkapp.store import Store
from clerkapp.store.anchor import anchor_path
from clerkapp.store.engine import is_postgres
from clerkapp.store.pg.connection import PgConnection


def _tool(path):
    """A database tool: no triggers in its way (SQL in SQLite's dialect on either engine; on
    PostgreSQL through the translating connection, which finds each trigger's table)."""
    if is_postgres(path):
        conn = PgConnection(path)
        conn.refresh_id_tables()
    else:
        conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    return conn


def _server(url: str, dbname: str = "postgres") -> str:
    """The same server's URL, another database."""
    return make_conninfo(url, dbname=dbname)


def _take_backup(store, tmp_path) -> Callable[[], None]:
    """A backup of the store as it is now (the store is closed); returns what puts the backup
    back in place of the store, as a restore with the engine's own tools does."""
    path = store.path
    if not is_postgres(path):
        backup = tmp_path / "backup.db"
        store.conn.execute(f"VACUUM INTO '{backup}'")
        store.close()

        def restore_file() -> None:
            backup.replace(path)
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        return restore_file
    store.close()
    name = conninfo_to_dict(path)["dbname"]
    with psycopg.connect(_server(path), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}_backup TEMPLATE {name}")

    def restore_database() -> None:
        with psycopg.connect(_server(path), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name}")
            admin.execute(f"ALTER DATABASE {name}_backup RENAME TO {name}")
    return restore_database


def _recompute_chain(conn):
    """What a careful forger does after editing an entry: every later hash made to fit."""
    prev = "0" * 64
    for row in conn.execute("SELECT id, at, actor, action, entity, entity_id, case_number,"
                            " details FROM audit_log ORDER BY id").fetchall():
        rid, at, actor, action, entity, eid, case, details = row
        payload = "\x1f".join([prev, at, actor, action, entity or "", str(eid or ""),
                               case or "", details])
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, rid))
        prev = digest


def _denied_case(conn):
    return conn.execute("SELECT c.id, r.id FROM convictions c JOIN reviews r ON r.id ="
                        " c.review_id WHERE c.case_number = 'CASE-C3'").fetchone()


def insert_approval(conn):
    cid, rid = _denied_case(conn)
    new = conn.execute(
        "INSERT INTO reviews (conviction_id, status, decided_outcome, clerk, decided_at,"
        " batch_id) VALUES (?, 'approved', 'dismiss_and_seal', 'Clerk Test',"
        " '2026-01-01T00:00:00+00:00', 'forged')", (cid,)).lastrowid
    conn.execute("UPDATE convictions SET review_status = 'approved', review_id = ? WHERE id = ?",
                 (new, cid))


def change_denial(conn):
    cid, rid = _denied_case(conn)
    conn.execute("UPDATE reviews SET status = 'approved', note = NULL WHERE id = ?", (rid,))
    conn.execute("UPDATE convictions SET review_status = 'approved' WHERE id = ?", (cid,))


def change_denial_and_its_entry(conn):
    """The review and its audit entry both edited, the chain recomputed to fit."""
    cid, rid = _denied_case(conn)
    change_denial(conn)
    entry_id, details = conn.execute(
        "SELECT id, details FROM audit_log WHERE entity = 'conviction' AND entity_id = ?"
        " AND action = 'review.denied'", (cid,)).fetchone()
    data = json.loads(details)
    data.pop("note", None)
    data["status"] = "approved"
    conn.execute("UPDATE audit_log SET action = 'review.approved', details = ? WHERE id = ?",
                 (json.dumps(data, separators=(",", ":")), entry_id))
    _recompute_chain(conn)


def flip_status_only(conn):
    cid, _ = _denied_case(conn)
    conn.execute("UPDATE convictions SET review_status = 'approved' WHERE id = ?", (cid,))


def change_override_outcome(conn):
    conn.execute("UPDATE reviews SET decided_outcome = 'dismiss_and_seal' WHERE conviction_id"
                 " IN (SELECT id FROM convictions WHERE case_number = 'CASE-B2')")


def delete_audit_tail(conn):
    last = conn.execute("SELECT max(id) FROM audit_log").fetchone()[0]
    conn.execute("DELETE FROM audit_log WHERE id > ?", (last - 2,))


def edit_entry_and_recompute(conn):
    conn.execute("UPDATE audit_log SET actor = 'Somebody Else' WHERE id = 1")
    _recompute_chain(conn)


def edit_entry_plainly(conn):
    conn.execute("UPDATE audit_log SET actor = 'Somebody Else' WHERE id = 1")


TAMPERING = {
    "review row inserted": (insert_approval, "no audit entry records this approved decision"),
    "review row changed": (change_denial, "no audit entry records this approved decision"),
    "review and audit entry changed, chain recomputed": (change_denial_and_its_entry,
                                                         "the log was rewritten"),
    "conviction's status flipped": (flip_status_only, "review status 'approved' here,"
                                                      " 'denied' in review"),
    "override outcome changed": (change_override_outcome, "outcome 'dismiss_and_seal' here,"
                                                          " 'redesignate_misdemeanor'"),
    "audit tail deleted": (delete_audit_tail, "audit entries were deleted"),
    "entry edited, chain recomputed": (edit_entry_and_recompute, "the log was rewritten"),
    "entry edited": (edit_entry_plainly, ("audit entry #1 was edited",  # printing
                                          "audit entry #1 does not match its hash chain")),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_tampering_stops_printing_and_export_and_fails_verify(court_store, tmp_path, capsys,
                                                              name):
    edit, expected = TAMPERING[name]
    expected = (expected,) if isinstance(expected, str) else expected
    path = court_store.path
    assert check_store(court_store, full=True).ok  # anchored, as the app leaves it
    court_store.close()
    conn = _tool(path)
    edit(conn)
    conn.close()
    with Store(path) as store:
        with pytest.raises(IntegrityError) as printing:
            print_orders(store, tmp_path / "orders")
        assert str(printing.value).startswith("printing stopped: the store does not match its"
                                              " audit log: ")
        assert any(e in str(printing.value) for e in expected)
        with pytest.raises(IntegrityError):
            export_rows(store, tmp_path / "export.csv")
        assert store.table_counts()["orders"] == 0
    assert not (tmp_path / "orders").exists() or not list((tmp_path / "orders").iterdir())
    assert not (tmp_path / "export.csv").exists()
    assert main(["--db", str(path), "verify"]) == 3
    out = capsys.readouterr().out
    assert "MISMATCH" in out and any(e in out for e in expected)
    assert main(["--db", str(path), "orders", str(tmp_path / "o")]) == 3


def test_an_untouched_store_verifies_and_prints_its_chain_head(court_store, tmp_path, capsys):
    summary = print_orders(court_store, tmp_path / "orders")
    head = court_store.chain_head()
    assert main(["--db", str(court_store.path), "verify"]) == 0
    out = capsys.readouterr().out
    assert "OK: the store matches its audit log" in out
    assert f"head #{head[0]} {head[1][:16]}" in out
    from pypdf import PdfReader

    text = PdfReader(summary.files[0]).pages[0].extract_text()
    # the head when printing began: the entries the print itself added follow it
    printed = court_store.conn.execute(
        "SELECT id, hash FROM audit_log WHERE id < (SELECT min(id) FROM audit_log WHERE action"
        " LIKE 'order.printed%') ORDER BY id DESC LIMIT 1").fetchone()
    assert f"Audit log #{printed[0]} {printed[1][:16]} when printed" in text


def test_new_stores_have_their_own_anchors(tmp_path):
    first, second = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    for store in (first, second):
        assert check_store(store).ok  # no anchor yet: no complaint, and one is written
        with store.atomic():
            store.audit("t", "x")
    assert anchor_path(first.path) != anchor_path(second.path)
    assert anchor_path(first.path).exists() and anchor_path(second.path).exists()
    assert check_store(first).ok and check_store(second).ok
    first.close()
    second.close()


def test_a_restored_backup_is_accepted_only_when_asked(court_store, tmp_path, capsys):
    path = court_store.path
    restore = _take_backup(court_store, tmp_path)
    with Store(path) as store, store.atomic():
        store.audit("Clerk Test", "later.work")  # the anchor moves past the backup
    restore()
    assert main(["--db", str(path), "verify"]) == 3
    assert "audit entries were deleted" in capsys.readouterr().out
    assert main(["--db", str(path), "verify", "--accept"]) == 0
    assert "anchored the audit chain at" in capsys.readouterr().out
    assert main(["--db", str(path), "verify"]) == 0
