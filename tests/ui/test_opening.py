"""The window's side of opening a store: a store another program holds (message with Retry),
and a store that does not match its audit log (said at once)."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QMessageBox

from clerkapp.store import Store, base
from clerkapp.ui import opening


def _not_yet_wal(path):
    """A store in the rollback-journal mode (as a copy made by another tool may be): opening
    switches it to WAL, which needs the lock another program holds."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


def _held(db_path, monkeypatch):
    """A store opening must write to, held by another program; a 1 s wait."""
    Store(db_path).close()
    monkeypatch.setattr(base, "LOCK_WAIT_S", 1)
    monkeypatch.setattr(base, "FIRST_WAIT_MS", 100)
    _not_yet_wal(db_path)
    other = sqlite3.connect(str(db_path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_held_store_offers_retry_then_opens(db_path, qtbot, monkeypatch):
    other = _held(db_path, monkeypatch)
    asked = []

    def answer(parent, title, text, buttons, default):
        asked.append(text)
        other.execute("ROLLBACK")  # the other program lets go while the clerk reads
        return QMessageBox.StandardButton.Retry

    monkeypatch.setattr(QMessageBox, "warning", answer)
    store = opening.open_store(db_path)
    other.close()
    assert store is not None and len(asked) == 1
    assert "another program has held the store for over 1 s" in asked[0]
    store.close()


def test_a_held_store_can_be_given_up(db_path, qtbot, monkeypatch):
    other = _held(db_path, monkeypatch)
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda *a: QMessageBox.StandardButton.Cancel)
    assert opening.open_store(db_path) is None
    other.close()


def test_a_tampered_store_is_said_on_open(store, tmp_path):
    assert opening.integrity_message(store) is None
    with store.atomic():
        store.audit("Clerk", "review.approved", entity="conviction", entity_id=1)
        store.audit("Clerk", "review.approved", entity="conviction", entity_id=2)
    assert opening.integrity_message(store) is None
    store.conn.execute("DROP TRIGGER audit_log_no_delete")
    store.conn.execute("DELETE FROM audit_log WHERE id = 2")
    message = opening.integrity_message(store)
    assert message.startswith("The store does not match its audit log: audit entries were"
                              " deleted")
    assert "Printing orders, exports and update files are stopped" in message


def test_a_new_store_where_one_was_deleted_is_a_calm_note_not_the_alarm(db_path, no_popups):
    with Store(db_path) as store, store.atomic():
        store.audit("Clerk", "review.approved", entity="conviction", entity_id=1)
    with Store(db_path) as store:
        opening.check_on_open(None, store)  # anchored
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    with Store(db_path) as store:
        opening.check_on_open(None, store)
    assert [(kind, title) for kind, title, _ in no_popups] == [("information", "A new store")]
    assert "a new, empty store was created here" in no_popups[0][2]
