"""A store created new at a path where another store was anchored: told apart from one put
in its place.

The anchor outside the store (`anchor.py`) holds the id of the store it checked; a store at
that path with another id is a restored backup or another file put there, and the check on
open says so with an alarm. A clerk who deletes a store and starts a new one at the same path
(or court IT who drops and creates the shared database again) is in the same case, but this
clerkapp knows it: it has just created the store itself, from nothing (schema version 0). Only
then is the earlier anchor taken over: kept aside in `anchors/replaced/` (so the earlier store,
if its file turns up, can still be checked by hand), a new anchor written for the new store,
and the event recorded as the new store's first audit entry (`store.created`, naming the
store it replaced and how far its log had been checked). The clerk gets a calm note instead
of the alarm.

What a forger gains: nothing that could pass for the court's record. A store put in place of
another, however made, was not created by this clerkapp here, so it still raises the alarm; a
rolled-back copy keeps the store's id, so it still does too. What a forger (or a mistake) can
do is what deleting the file always did: lose the store. That is said at once, recorded in the
new store's audit log and the earlier anchor kept; the remedy is the backup.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clerkapp.store.anchor import Anchor, anchor_path, read_anchor, write_anchor
from clerkapp.store.audit import GENESIS
from clerkapp.store.base import StoreBase, now_iso
from clerkapp.store.engine import display_target

# Called with one line when a store was created where another was anchored (the CLI prints it
# on stderr; the window shows `NewStoreStore.replaced_note()` when it opens the store).
NEW_STORE_NOTICE: Callable[[str], None] | None = None
REPLACED_DIR = "replaced"


@dataclass(frozen=True)
class Replaced:
    """The store that was anchored at this path before the new one was created there."""

    previous: Anchor
    kept: Path | None  # where its anchor was kept; None when it could not be written


def keep_anchor(store_path: Path | str, previous: Anchor) -> Path | None:
    """Copy the earlier anchor into `anchors/replaced/` (readable by the user only); None
    when that cannot be written."""
    source = anchor_path(store_path)
    stamp = now_iso().replace(":", "").replace("-", "")
    uid = previous.store_uid[:8] or "unknown"
    kept = source.parent / REPLACED_DIR / f"{source.stem}-{uid}-{stamp}.json"
    try:
        kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(source.read_bytes())
    except OSError:
        return None
    return kept


class NewStoreStore(StoreBase):
    """Takes over the anchor of the store a newly created one replaces (see the module)."""

    replaced: Replaced | None = None

    def __init__(self, path: str | Path, *, take_over_anchor: bool = True) -> None:
        super().__init__(path)
        if take_over_anchor and self.created and str(self.path) != ":memory:":
            self._take_over_anchor()

    def _take_over_anchor(self) -> None:
        previous = read_anchor(self.path)
        uid = str(self.get_setting("store.uid") or "")  # type: ignore[attr-defined]
        if previous is None or previous.store_uid == uid or not uid:
            return
        kept = keep_anchor(self.path, previous)
        write_anchor(self.path, Anchor(0, GENESIS, uid, now_iso()))
        with self.atomic():
            self.audit(self.clerk_name(), "store.created", entity="store",  # type: ignore[attr-defined]
                       details={"in_place_of": {
                           "store_id": previous.store_uid, "audit_entry": previous.entry_id,
                           "hash": previous.hash, "checked_at": previous.at},
                           "earlier_anchor_kept": str(kept) if kept else None})
        self.replaced = Replaced(previous, kept)
        if NEW_STORE_NOTICE is not None:
            NEW_STORE_NOTICE(self.replaced_note())

    def replaced_note(self) -> str:
        """What the clerk is told: a new store here, which one it replaced, what to do if that
        was not meant; "" when this store replaced none."""
        if self.replaced is None:
            return ""
        before = self.replaced.previous
        uid = before.store_uid[:8] or "without an id"
        checked = (f"its audit log checked up to entry #{before.entry_id}" if before.entry_id
                   else "its audit log empty")
        when = f" on {before.at[:16].replace('T', ' ')} UTC" if before.at else ""
        kept = (f"; that store's check is kept in {self.replaced.kept}" if self.replaced.kept
                else "")
        return (f"{display_target(self.path)}: a new, empty store was created here, where store"
                f" {uid} was before ({checked}{when}){kept}. This is recorded in the new"
                " store's audit log. If that store was not meant to be replaced, find its file"
                " or restore its latest backup (clerkapp restore).")
