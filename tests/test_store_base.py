import sqlite3

import pytest

from clerkapp.store import Store


def test_new_store_has_schema_wal_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "a.db")
    assert store.schema_version >= 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == store.schema_version
    store.close()
    # reopening does not run the migrations again
    again = Store(tmp_path / "a.db")
    assert again.table_counts()["imports"] == 0


def test_new_store_has_large_pages_and_an_old_store_keeps_its_own(tmp_path):
    from clerkapp.store.base import NEW_STORE_PAGE_BYTES

    store = Store(tmp_path / "new.db")
    assert store.conn.execute("PRAGMA page_size").fetchone()[0] == NEW_STORE_PAGE_BYTES
    store.close()
    # a store made before (SQLite's 4 KiB pages) opens as it is, and is written as it is
    old = sqlite3.connect(tmp_path / "old.db")
    old.execute("PRAGMA page_size = 4096")
    old.execute("CREATE TABLE before_clerkapp (x)")
    old.close()
    store = Store(tmp_path / "old.db")
    store.set_setting("court.county", "Yolo")
    assert store.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    store.close()
    again = Store(tmp_path / "old.db")
    assert again.get_setting("court.county") == "Yolo"
    assert again.conn.execute("PRAGMA page_size").fetchone()[0] == 4096
    again.close()


def test_atomic_rolls_back_everything_on_error(store):
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.set_setting("court.county", "Yolo")
            with store.atomic():
                store.set_setting("court.judge", "Hon. A")
            raise RuntimeError("boom")
    assert store.get_setting("court.county") == ""
    assert store.get_setting("court.judge") == ""


def test_audit_log_is_hash_chained_and_append_only(store):
    with store.atomic():
        first = store.audit("clerk1", "approve", entity="conviction", entity_id=1)
        store.audit("clerk1", "deny", entity="conviction", entity_id=2, details={"note": "x"})
    assert store.verify_audit_chain() is None
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = ?", (first,))
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM audit_log")
    # tampering below the triggers (as someone with the file could) breaks the chain
    store.conn.execute("DROP TRIGGER audit_log_no_update")
    store.conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE id = ?", (first,))
    assert store.verify_audit_chain() == first
