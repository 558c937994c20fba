"""The append-only, hash-chained audit log: who did what, when, to which case.

Each entry's hash covers the previous one's, so an edit breaks the chain. An edit that
recomputes every later hash, or a deleted tail, is found through the anchor
(`clerkapp.store.anchor`): the last verified entry's id and hash, kept outside the store and
moved forward, after verifying only the entries added since, whenever a transaction that added
entries commits. Opening a store of a million entries verifies only what is new.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from typing import Any

from clerkapp.store.anchor import Anchor, read_anchor, write_anchor
from clerkapp.store.base import StoreBase, dumps, now_iso

GENESIS = "0" * 64
_COLUMNS = "id, at, actor, action, entity, entity_id, case_number, details, prev_hash, hash"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    entity: str | None
    entity_id: int | None
    case_number: str | None
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainStatus:
    """What verifying the chain found. `problem` is None when it holds."""

    problem: str | None
    head_id: int
    head_hash: str
    checked: int  # entries whose hashes were recomputed
    anchored: Anchor | None  # the anchor the check started from (None: first check here)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def head(self) -> str:
        """`#<id> <first 16 hex of its hash>`: what orders print, to compare with the log."""
        return f"#{self.head_id} {self.head_hash[:16]}"


def _entry_hash(prev_hash: str, at: str, actor: str, action: str, entity: str | None,
                entity_id: int | None, case_number: str | None, details: str) -> str:
    payload = "\x1f".join(
        [prev_hash, at, actor, action, entity or "", str(entity_id or ""), case_number or "", details]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def entry_matches(row: tuple) -> bool:
    """A row (`_COLUMNS` order) whose hash is the hash of its own content."""
    return row[9] == _entry_hash(row[8], row[1], row[2], row[3], row[4], row[5], row[6], row[7])


def first_broken(conn: sqlite3.Connection, after_id: int = 0,
                 after_hash: str = GENESIS) -> tuple[int | None, int, str, int]:
    """Verify the entries after `after_id` (whose hash is `after_hash`): (first broken id
    or None, last id, last hash, entries checked). Any connection: a store's, or a backup's."""
    cursor = conn.cursor()
    cursor.row_factory = None
    cursor.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id", (after_id,))
    return _verify_rows(cursor, after_id, after_hash)


def _verify_rows(cursor, after_id: int, after_hash: str) -> tuple[int | None, int, str, int]:
    """`first_broken` over the entries a cursor reads (in id order, `_COLUMNS`)."""
    prev, last_id, checked = after_hash, after_id, 0
    while batch := cursor.fetchmany(5000):
        for row in batch:
            if row[8] != prev or not entry_matches(row):
                return int(row[0]), last_id, prev, checked
            prev, last_id = row[9], row[0]
            checked += 1
    return None, last_id, prev, checked


class AuditStore(StoreBase):
    _audit_appended = False
    _store_uid: str | None = None

    def audit(
        self,
        actor: str,
        action: str,
        *,
        entity: str | None = None,
        entity_id: int | None = None,
        case_number: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> int:
        """Append one entry; call it inside the same transaction as the change it records."""
        row = self.conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        prev = row[0] if row else GENESIS
        actor = self.actor(actor)  # the hash covers the actor stored: the login on PostgreSQL
        at = now_iso()
        text = dumps(details or {})
        digest = _entry_hash(prev, at, actor, action, entity, entity_id, case_number, text)
        cur = self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, case_number, details,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (at, actor, action, entity, entity_id, case_number, text, prev, digest),
        )
        self._audit_appended = True
        return int(cur.lastrowid)

    def verify_audit_chain(self) -> int | None:
        """The id of the first entry whose hash does not match, or None when the chain holds."""
        return self._first_broken(0, GENESIS)[0]

    def chain_head(self) -> tuple[int, str]:
        row = self.conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def _first_broken(self, after_id: int, after_hash: str) -> tuple[int | None, int, str, int]:
        return first_broken(self.conn, after_id, after_hash)

    def check_chain(self, *, full: bool = False) -> ChainStatus:
        """Verify the chain against this store's anchor: only the entries added since the
        anchored one (all of them when `full`, or on the first check on this computer), and
        that the anchored entry is still there with the hash anchored."""
        from clerkapp.store.restore_intent import finish_interrupted_restore

        finish_interrupted_restore(self)  # a restore a crash interrupted is settled first
        anchor = self._anchor()
        uid = str(self.get_setting("store.uid") or "")  # type: ignore[attr-defined]
        start_id, start_hash = 0, GENESIS
        if anchor is not None:
            if anchor.store_uid and uid and anchor.store_uid != uid:
                head_id, head_hash = self.chain_head()
                return ChainStatus(
                    f"this is not the store anchored at {self.path} (store id {uid[:8]}, anchored"
                    f" {anchor.store_uid[:8]}): a restored backup or another file put in its"
                    " place", head_id, head_hash, 0, anchor)
            row = self.conn.execute("SELECT hash FROM audit_log WHERE id = ?",
                                    (anchor.entry_id,)).fetchone() if anchor.entry_id else None
            head_id, head_hash = self.chain_head()
            if anchor.entry_id and row is None:
                return ChainStatus(
                    f"audit entries were deleted: the log ends at entry #{head_id}, but entry"
                    f" #{anchor.entry_id} was verified before (anchor {anchor.short()})",
                    head_id, head_hash, 0, anchor)
            if row is not None and row[0] != anchor.hash:
                return ChainStatus(
                    f"audit entry #{anchor.entry_id} is not the one verified before (hash"
                    f" {row[0][:16]} now, {anchor.hash[:16]} anchored): the log was rewritten",
                    head_id, head_hash, 0, anchor)
            if not full:
                start_id, start_hash = anchor.entry_id, anchor.hash
        broken, last_id, last_hash, checked = self._first_broken(start_id, start_hash)
        if broken is not None:
            head_id, head_hash = self.chain_head()
            return ChainStatus(f"audit entry #{broken} does not match its hash chain: it, or"
                               " the entry before it, was edited, inserted or deleted",
                               head_id, head_hash, checked, anchor)
        self._write_anchor(last_id, last_hash, uid)
        return ChainStatus(None, last_id, last_hash, checked, anchor)

    def accept_chain(self) -> ChainStatus:
        """Anchor the chain as it is now, after a full verification of its own hashes: for a
        store court IT confirms is genuine (a restored backup). Refused when the chain itself
        is broken."""
        broken, last_id, last_hash, checked = self._first_broken(0, GENESIS)
        if broken is not None:
            return ChainStatus(f"audit entry #{broken} does not match its hash chain",
                               *self.chain_head(), checked, self._anchor())
        previous = self._anchor()
        if str(self.path) != ":memory:":
            write_anchor(self.path, Anchor(last_id, last_hash,
                                           str(self.get_setting("store.uid") or ""),  # type: ignore[attr-defined]
                                           now_iso()))
        return ChainStatus(None, last_id, last_hash, checked, previous)

    def _anchor(self) -> Anchor | None:
        return None if str(self.path) == ":memory:" else read_anchor(self.path)

    def _write_anchor(self, entry_id: int, digest: str, uid: str) -> None:
        if str(self.path) == ":memory:":
            return
        current = read_anchor(self.path)
        checked = (0, 0)
        if current is not None and current.store_uid == uid:
            if current.entry_id > entry_id:
                return  # another process of this user anchored further already
            checked = (current.reviews_checked, current.orders_checked)
        write_anchor(self.path, Anchor(entry_id, digest, uid, now_iso(), *checked))

    def note_bindings_checked(self, reviews_id: int, orders_id: int) -> None:
        """Remember that reviews and orders up to these ids matched their audit entries."""
        if str(self.path) == ":memory:":
            return
        current = read_anchor(self.path)
        if current is not None:
            write_anchor(self.path, Anchor(current.entry_id, current.hash, current.store_uid,
                                           current.at, reviews_id, orders_id))

    def _after_commit(self) -> None:
        """Move the anchor forward over the entries this transaction added, once they (and
        anything added since the anchor) verify; a failure leaves the anchor where it was, for
        the next check to report."""
        if not self._audit_appended:
            return
        self._audit_appended = False
        if str(self.path) == ":memory:":
            return
        if self._store_uid is None:  # the store's own id: it never changes under a connection
            self._store_uid = str(self.get_setting("store.uid") or "")  # type: ignore[attr-defined]
        uid = self._store_uid
        anchor = read_anchor(self.path)
        if anchor is not None and anchor.store_uid != uid:
            return
        start_id, start_hash = (anchor.entry_id, anchor.hash) if anchor else (0, GENESIS)
        # one read (a round trip counts on a shared store): the anchored entry, which must
        # still be there with the hash anchored, and the entries after it
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(f"SELECT {_COLUMNS} FROM audit_log WHERE id >= ? ORDER BY id",
                       (start_id,))
        if start_id:
            row = cursor.fetchone()
            if row is None or row[0] != start_id or row[9] != start_hash:
                return
        broken, last_id, last_hash, _ = _verify_rows(cursor, start_id, start_hash)
        if broken is None:
            self._write_anchor(last_id, last_hash, uid)
