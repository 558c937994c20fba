"""A restore interrupted (a crash, a kill, a power cut) between putting the backup in place and
anchoring its audit chain, finished on the next open instead of raising the tampering alarm.

`clerkapp restore` writes the store's content from the backup in one transaction, then
anchors the restored chain and records `store.restored`. A crash between the two left the
backup's (shorter, or another store's) chain under the replaced store's anchor: every open
said "audit entries were deleted" and sent the clerk to court IT for what was the clerk's own
restore. So, before writing, the restore leaves an intent beside the anchor: the backup's
store id and chain head, and the dated copy it kept of the replaced store. The next chain
check reads it first:

- the store is still the one replaced (its id, and the entry that was its head, unchanged:
  the write never committed; SQLite and PostgreSQL's one-transaction pg_restore roll back): the dated copy, now a needless second
  copy of the store, is removed with the intent;
- the store is the backup (its id, and the backup's head entry, with any work done since):
  its chain is verified in full from its start, anchored at its head, and the restore
  recorded, saying it was finished on a later open.

Anything else (the chain does not verify) is left to the alarm, as before. A forger gains
nothing: the intent makes a store anchored only when it is exactly the backup whose head the
restore read and verified, which is what the restore was about to anchor anyway.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from clerkapp.store.anchor import Anchor, anchor_path, write_anchor
from clerkapp.store.audit import GENESIS, first_broken
from clerkapp.store.base import now_iso


@dataclass(frozen=True)
class RestoreIntent:
    file: str  # the backup's file name (recorded in store.restored)
    store_uid: str
    head_id: int
    head_hash: str
    schema: int
    replaced_copy: str | None  # the dated copy of the store being replaced, if one was kept
    replaced_uid: str
    replaced_head_id: int  # the replaced store's last entry (0: none, or no store)
    replaced_head_hash: str
    previous_anchor: str | None


def intent_path(store_path: Path | str) -> Path:
    anchor = anchor_path(store_path)
    return anchor.with_name(anchor.stem + ".restoring.json")


def write_intent(store_path: Path, intent: RestoreIntent) -> None:
    """Written (atomically, readable by the user only) before the restore writes the store; a
    failure to write it stops the restore: without it a crash would raise the alarm."""
    path = intent_path(store_path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(intent), handle)
    os.replace(temp, path)


def read_intent(store_path: Path | str) -> RestoreIntent | None:
    try:
        data = json.loads(intent_path(store_path).read_text(encoding="utf-8"))
        return RestoreIntent(**data)
    except (OSError, ValueError, TypeError):
        return None


def clear_intent(store_path: Path | str) -> None:
    intent_path(store_path).unlink(missing_ok=True)


def finish_interrupted_restore(store) -> str | None:
    """Settle a restore a crash interrupted (see the module); returns what was done in words,
    or None when there was none (or the store is left to the alarm)."""
    if str(store.path) == ":memory:":
        return None
    intent = read_intent(store.path)
    if intent is None:
        return None
    uid = str(store.get_setting("store.uid") or "")
    if intent.replaced_head_id and uid == intent.replaced_uid and _holds(
            store, intent.replaced_head_id, intent.replaced_head_hash):
        if intent.replaced_copy:  # the store was never replaced: its copy is not needed
            Path(intent.replaced_copy).unlink(missing_ok=True)
            anchor_path(intent.replaced_copy).unlink(missing_ok=True)
        clear_intent(store.path)
        return "an interrupted restore had not replaced the store: it is as it was"
    clear_intent(store.path)
    if uid != intent.store_uid or not _holds(store, intent.head_id, intent.head_hash):
        return None  # neither: the check that follows says what it is
    head_id, head_hash = store.chain_head()
    broken, last_id, last_hash, _checked = first_broken(store.conn, 0, GENESIS)
    if broken is not None or (last_id, last_hash) != (head_id, head_hash):
        return None
    write_anchor(store.path, Anchor(last_id, last_hash, uid, now_iso()))
    with store.atomic():
        store.audit(store.clerk_name(), "store.restored", entity="store",
                    details={"file": intent.file, "head": f"#{head_id} {head_hash[:16]}",
                             "schema": intent.schema, "replaced_copy": (
                                 Path(intent.replaced_copy).name if intent.replaced_copy
                                 else None),
                             "replaced_head": (
                                 f"#{intent.replaced_head_id} {intent.replaced_head_hash[:16]}"
                                 if intent.replaced_head_id else None),
                             "previous_anchor": intent.previous_anchor,
                             "finished_on_open": True})
    return (f"a restore of {intent.file} was interrupted after the store was written: its"
            " audit log verified in full, anchored, and the restore recorded")


def _holds(store, entry_id: int, digest: str) -> bool:
    """The store's audit log holds entry `entry_id` with this hash (id 0: an empty log)."""
    if not entry_id:
        return store.chain_head()[0] == 0
    row = store.conn.execute("SELECT hash FROM audit_log WHERE id = ?", (entry_id,)).fetchone()
    return row is not None and row[0] == digest
