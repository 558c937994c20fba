"""The append-only, hash-chained audit log: who did what, when, to which case."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from clerkapp.store.base import StoreBase, dumps, now_iso

GENESIS = "0" * 64


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


def _entry_hash(prev_hash: str, at: str, actor: str, action: str, entity: str | None,
                entity_id: int | None, case_number: str | None, details: str) -> str:
    payload = "\x1f".join(
        [prev_hash, at, actor, action, entity or "", str(entity_id or ""), case_number or "", details]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditStore(StoreBase):
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
        at = now_iso()
        text = dumps(details or {})
        digest = _entry_hash(prev, at, actor, action, entity, entity_id, case_number, text)
        cur = self.conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, case_number, details,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (at, actor, action, entity, entity_id, case_number, text, prev, digest),
        )
        return int(cur.lastrowid)

    def verify_audit_chain(self) -> int | None:
        """The id of the first entry whose hash does not match, or None when the chain holds."""
        prev = GENESIS
        for r in self.conn.execute("SELECT * FROM audit_log ORDER BY id"):
            expected = _entry_hash(prev, r["at"], r["actor"], r["action"], r["entity"],
                                   r["entity_id"], r["case_number"], r["details"])
            if r["prev_hash"] != prev or r["hash"] != expected:
                return int(r["id"])
            prev = r["hash"]
        return None
