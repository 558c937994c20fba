"""A full disk, a read-only or missing folder (fault run 8): `clerkapp backup` and `restore`
ended in a traceback (the working copy's clean-up raised on a read-only folder; SQLite's
"database or disk is full" went through), a command whose transaction a full disk refused
printed SQLite's traceback, and a refused COMMIT left the connection inside its transaction,
so a window could not write again. Now each is one line, exit 2, and nothing half-written."""

from __future__ import annotations

import sqlite3

import pytest

from clerkapp import backup as backup_module
from clerkapp.backup import backup_store, restore_store
from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.store import Store
from tests.test_backup import _work


def _disk_full(*_args, **_kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def test_backup_into_a_missing_or_unwritable_folder_is_one_line(tmp_path, capsys):
    db = tmp_path / "clerk.db"
    _work(db)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (tmp_path / "no" / "such" / "b.db", blocker / "b.db"):
        assert main(["--db", str(db), "backup", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"clerkapp: {out}: cannot write the backup: ")
        assert "no backup written" in err and "Traceback" not in err
    assert not list(tmp_path.glob(".*.tmp"))


def test_backup_and_restore_on_a_full_disk_leave_nothing(tmp_path, monkeypatch):
    db = tmp_path / "clerk.db"
    head = _work(db)
    good = tmp_path / "good.db"
    backup_store(db, good)
    monkeypatch.setattr(backup_module, "copy_store", _disk_full)
    with pytest.raises(BadInput, match="cannot write the backup: the disk is full"):
        backup_store(db, tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()
    with pytest.raises(BadInput, match="cannot restore: the disk is full; nothing was"
                                       " restored"):
        restore_store(good, db, force=True)
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob("*.replaced-*"))
    with Store(db) as store:
        assert store.chain_head()[0] > head[0]  # the store as it was (and the backup recorded)


def test_a_command_refused_by_a_full_disk_is_one_line(tmp_path, capsys, monkeypatch):
    db = tmp_path / "clerk.db"
    _work(db)
    from clerkapp.cli import stats_cmd

    monkeypatch.setattr(stats_cmd, "run", _disk_full)
    assert main(["--db", str(db), "stats"]) == 2
    err = capsys.readouterr().err
    assert err == (f"clerkapp: {db}: the disk is full: nothing of this command was saved;"
                   " free some space and run it again\n")


def test_a_refused_commit_leaves_the_connection_able_to_write(tmp_path):
    """A COMMIT SQLite refuses (here a deferred constraint, as a full disk does) ends the
    transaction: the next write of the same connection (a window's) goes through."""
    with Store(tmp_path / "clerk.db") as store:
        store.conn.execute("CREATE TEMP TABLE parent (id INTEGER PRIMARY KEY)")
        store.conn.execute("CREATE TEMP TABLE child (pid INTEGER REFERENCES parent(id)"
                           " DEFERRABLE INITIALLY DEFERRED)")
        with pytest.raises(sqlite3.IntegrityError):
            with store.atomic():
                store.conn.execute("INSERT INTO child VALUES (5)")
        assert not store.conn.in_transaction
        with store.atomic():
            store.audit("Clerk Test", "still.writing")
        assert store.conn.execute("SELECT count(*) FROM child").fetchone()[0] == 0
