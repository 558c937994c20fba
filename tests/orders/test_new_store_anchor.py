"""A store deleted and a new one created at its path (a file, or the shared database dropped
and created again) is told apart from a store put in its place: the new one gets a calm note,
a new anchor and an audit entry naming the store it replaced; a store made anywhere else and
put there still raises the alarm."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from clerkapp.cli.main import main
from clerkapp.integrity import check_store
from clerkapp.store import Store
from clerkapp.store.anchor import anchor_path, read_anchor
from clerkapp.store.engine import is_postgres


def _worked_on(target) -> tuple[str, int]:
    """A store with some work in its log, checked and anchored: (its id, its head entry)."""
    with Store(target) as store:
        with store.atomic():
            store.audit("Clerk Test", "review.approved", entity="conviction", entity_id=1)
            store.audit("Clerk Test", "review.approved", entity="conviction", entity_id=2)
        assert check_store(store).ok
        return str(store.get_setting("store.uid")), store.chain_head()[0]


def _delete(target) -> None:
    """The store gone: its file deleted, or its database dropped and created again empty."""
    if not is_postgres(target):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        return
    name = conninfo_to_dict(target)["dbname"]
    with psycopg.connect(make_conninfo(target, dbname="postgres"), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                      " TEMPLATE template0")


def test_a_new_store_where_one_was_deleted_opens_calmly_and_records_it(db_target):
    old_uid, old_head = _worked_on(db_target)
    _delete(db_target)
    with Store(db_target) as store:
        assert store.created and store.replaced is not None
        report = check_store(store, full=True)
        assert report.ok, report.first_problem()
        uid = str(store.get_setting("store.uid"))
        assert uid != old_uid and read_anchor(db_target).store_uid == uid
        note = store.replaced_note()
        assert "a new, empty store was created here, where store" in note
        assert (f"store {old_uid[:8]} was before (its audit log checked up to entry"
                f" #{old_head} on ") in note
        assert "recorded in the new store's audit log" in note and "clerkapp restore" in note
        entry = store.conn.execute(
            "SELECT id, action, details FROM audit_log ORDER BY id").fetchall()
        assert [(e[0], e[1]) for e in entry] == [(1, "store.created")]
        details = json.loads(entry[0][2])
        assert details["in_place_of"]["store_id"] == old_uid
        assert details["in_place_of"]["audit_entry"] == old_head
        kept = Path(details["earlier_anchor_kept"])
        assert kept.parent == anchor_path(db_target).parent / "replaced"
        assert json.loads(kept.read_text())["store_uid"] == old_uid
        with store.atomic():  # work goes on, and the anchor follows it
            store.audit("Clerk Test", "review.approved", entity="conviction", entity_id=3)
    with Store(db_target) as again:
        assert again.replaced is None and again.replaced_note() == ""
        assert check_store(again).ok and read_anchor(db_target).entry_id == 2


def test_the_command_line_says_it_in_one_line_and_goes_on(db_target, capsys, tmp_path):
    _worked_on(db_target)
    _delete(db_target)
    assert main(["--db", str(db_target), "stats"]) == 0  # any command creating the store
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1 and "a new, empty store was created here" in lines[0]
    assert main(["--db", str(db_target), "verify"]) == 0
    captured = capsys.readouterr()
    assert "OK: the store matches its audit log" in captured.out and not captured.err


def test_a_store_made_elsewhere_and_put_in_place_is_still_the_alarm(tmp_path, monkeypatch):
    """A forger's store (even an empty one) is not created by this clerkapp here: the alarm."""
    path = tmp_path / "clerk.db"
    _worked_on(path)
    anchors = anchor_path(path).parent
    monkeypatch.setenv("CLERKAPP_ANCHORS", str(tmp_path / "forger-anchors"))
    with Store(tmp_path / "forged.db") as forged:  # made on another desk, nothing in it
        forged.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    monkeypatch.setenv("CLERKAPP_ANCHORS", str(anchors))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(tmp_path / "forged.db", path)
    with Store(path) as store:
        assert not store.created and store.replaced is None
        report = check_store(store)
        assert not report.ok
        assert "a restored backup or another file put in its place" in report.first_problem()
