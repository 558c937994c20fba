"""Backup and restore of a real SQLite store: restored and compared table by table, refusals
leave everything as it was, and the audit anchor follows what it describes."""

from __future__ import annotations

import os
import sqlite3

import pytest

from bench.testdata import fill_queue
from clerkapp.backup import backup_store, restore_store
from clerkapp.cli.main import main
from clerkapp.errors import BadInput, ClerkError, StoreLocked
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.anchor import read_anchor
from clerkapp.store.backup import table_rows
from clerkapp.store.migrations import MIGRATIONS
from clerkapp.store.queue import QueueFilter


def _work(path, approvals=3):
    """A store with convictions and decisions (audit entries), closed again."""
    with Store(path) as store:
        if not store.conviction_count():
            fill_queue(store, 40, seed=7)
        ids = [i for i in store.queue_ids(QueueFilter(outcome="dismiss_and_seal"))
               if store.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                                     (i,)).fetchone()[0] == "pending"][:approvals]
        assert ids, "the made-up queue holds no pending dismissals"
        decide(store, ids, "approved", clerk="A. Clerk")
        head = store.chain_head()
    return head


def _audit_actions(path):
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]


def _edit_log(path, sql):
    """What a database tool can do: drop the append-only trigger, then edit."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute(sql)


def _files(folder):
    return sorted(p.name for p in folder.iterdir())


def test_restore_gives_back_every_table_as_backed_up(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "backups" / "monday.db"
    out.parent.mkdir()
    summary = backup_store(db, out, operator="IT")
    assert summary.facts.entries == summary.facts.head_id > 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    # the backup is recorded in the store it was taken from, not in the copy
    assert _audit_actions(db)[-1] == "store.backed_up"
    assert "store.backed_up" not in _audit_actions(out)

    fresh = tmp_path / "elsewhere" / "clerk.db"
    restored = restore_store(out, fresh, operator="IT")
    assert restored.replaced is None
    before, after = table_rows(out), table_rows(fresh)
    assert set(before) == set(after)
    for table in before:
        if table != "audit_log":
            assert after[table] == before[table], table
    # the restored log is the backup's, plus the entry recording the restore
    assert after["audit_log"][:-1] == before["audit_log"]
    assert _audit_actions(fresh)[-1] == "store.restored"
    assert len(before["convictions"]) == 40 and len(before["reviews"]) == 3
    with Store(fresh) as store:
        assert store.check_chain(full=True).ok


def test_an_older_backup_restored_is_not_taken_for_tampering(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "older.db"
    backup_store(db, out)
    _work(db)  # more decisions after the backup: the anchor moves past the backup's head
    old_head = _work(db)
    anchor_before = read_anchor(db)
    assert anchor_before.entry_id == old_head[0]
    old_rows = table_rows(db)

    with pytest.raises(ClerkError, match="holds work"):
        restore_store(out, db)
    assert table_rows(db) == old_rows  # refused: nothing changed

    summary = restore_store(out, db, force=True)
    # the replaced store is kept, unchanged, and still verifies against its own anchor
    assert summary.replaced is not None and summary.replaced.parent == tmp_path
    assert summary.replaced.name.startswith("clerk.replaced-")
    assert table_rows(summary.replaced) == old_rows
    assert read_anchor(summary.replaced) == anchor_before
    with Store(summary.replaced) as kept:
        assert kept.check_chain(full=True).ok
    # the restored store is anchored at its own head: an open says nothing is wrong
    with Store(db) as store:
        status = store.check_chain()
        assert status.ok, status.problem
        assert status.head_id < old_head[0] + 1
        last = store.conn.execute("SELECT details FROM audit_log ORDER BY id DESC"
                                  " LIMIT 1").fetchone()[0]
    assert f"#{old_head[0]}" in last  # the entry names the anchor it replaced


def test_a_backup_copied_over_the_store_by_hand_is_still_reported(tmp_path):
    """What the restore command's re-anchoring prevents: the same older file put in place
    without it reads as deleted audit entries."""
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "older.db"
    backup_store(db, out)
    _work(db)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"clerk.db{suffix}").unlink(missing_ok=True)
    out.replace(db)
    with Store(db) as store:
        assert "deleted" in store.check_chain().problem


def test_restore_refuses_a_broken_or_newer_backup_and_changes_nothing(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    backup_store(db, out)
    rows = table_rows(db)

    edited = tmp_path / "edited.db"
    edited.write_bytes(out.read_bytes())
    _edit_log(edited, "UPDATE audit_log SET actor = 'someone else' WHERE id = 1")
    with pytest.raises(BadInput, match="audit log is broken at entry #1"):
        restore_store(edited, db, force=True)

    newer = tmp_path / "newer.db"
    newer.write_bytes(out.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(BadInput, match="newer clerkapp"):
        restore_store(newer, db, force=True)

    garbage = tmp_path / "notes.db"
    garbage.write_text("not a database at all\n" * 100)
    with pytest.raises(BadInput, match="not a clerkapp store"):
        restore_store(garbage, db, force=True)

    assert table_rows(db) == rows
    assert not [n for n in _files(tmp_path) if "replaced" in n or n.endswith(".tmp")]


def test_restore_refuses_a_store_open_elsewhere(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    backup_store(db, out)
    with Store(db):
        with pytest.raises(StoreLocked, match="open in another clerkapp window"):
            restore_store(out, db, force=True)
    assert not [n for n in _files(tmp_path) if "replaced" in n]


def test_backup_refuses_a_store_whose_log_was_edited(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    _edit_log(db, "UPDATE audit_log SET details = '{}' WHERE id = 2")
    out = tmp_path / "b.db"
    with pytest.raises(BadInput, match="broken at entry #2"):
        backup_store(db, out)
    assert not out.exists()
    assert not [n for n in _files(tmp_path) if n.endswith(".tmp")]


def test_cancel_leaves_no_backup_and_no_change(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        backup_store(db, out, cancel=token)
    assert not out.exists()
    backup_store(db, out)
    rows = table_rows(db)
    with pytest.raises(Cancelled):
        restore_store(out, db, force=True, cancel=token)
    assert table_rows(db) == rows
    assert _files(tmp_path) == ["b.db", "clerk.db", "clerk.db-shm", "clerk.db-wal"] or \
        _files(tmp_path) == ["b.db", "clerk.db"]


def test_command_line(tmp_path, capsys):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    assert main(["--db", str(db), "backup", str(out)]) == 0
    assert "audit log verified in the copy" in capsys.readouterr().out
    assert main(["--db", str(db), "backup", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["--db", str(db), "restore", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--db", str(db), "restore", str(out), "--force"]) == 0
    said = capsys.readouterr().out
    assert "kept as" in said and "anchored at the backup's head" in said
    assert main(["--db", str(db), "verify", "--no-files"]) == 0
    assert os.path.exists(db)


def test_a_restore_stopped_while_writing_leaves_the_store_and_no_copy(tmp_path, monkeypatch):
    from clerkapp.store import backup as store_backup

    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    backup_store(db, out)
    _work(db)
    rows, anchor = table_rows(db), read_anchor(db)
    monkeypatch.setattr(store_backup, "PAGES_PER_STEP", 1)  # many steps: stop in the middle
    token = CancelToken()

    def progress(done, total, message):
        if message == "Restoring" and done:
            token.cancel()

    with pytest.raises(Cancelled):
        restore_store(out, db, force=True, progress=progress, cancel=token)
    assert table_rows(db) == rows  # SQLite rolled the half-written restore back
    assert read_anchor(db) == anchor
    assert not [n for n in _files(tmp_path) if "replaced" in n or n.endswith(".tmp")]
    with Store(db) as store:
        assert store.check_chain().ok


def test_force_replaces_a_file_that_is_not_a_store_and_keeps_it(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    out = tmp_path / "b.db"
    backup_store(db, out)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"half a spreadsheet\n" * 300)
    with pytest.raises(BadInput, match="not a clerkapp store"):
        restore_store(out, junk)
    summary = restore_store(out, junk, force=True)
    assert summary.replaced.read_bytes() == b"half a spreadsheet\n" * 300
    assert table_rows(junk)["convictions"] == table_rows(out)["convictions"]
