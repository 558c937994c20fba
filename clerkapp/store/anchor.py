"""The audit chain's anchor: a small file outside the store recording the last entry verified
(id and hash). An edit that recomputes the chain changes that entry's hash; a truncation
removes it; either is found the next time the store is checked, however the store was edited.

One file per store, named by the store's resolved path, in `clerkapp.paths.anchor_dir()`.
It also remembers the store's id (`store.uid`), so a different store at the same path (a
restored backup) is told apart from a tampered one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from clerkapp.paths import anchor_dir
from clerkapp.store.engine import is_postgres, without_password


@dataclass(frozen=True)
class Anchor:
    entry_id: int  # the last audit entry verified (0: an empty chain)
    hash: str
    store_uid: str
    at: str
    reviews_checked: int = 0  # reviews and orders up to these ids were checked against
    orders_checked: int = 0  # their audit entries (clerkapp.integrity)

    def short(self) -> str:
        return f"#{self.entry_id} {self.hash[:16]}"


def _store_name(store_path: Path | str) -> str:
    # a shared store is the same store with or without a password in its URL
    return (without_password(str(store_path)) if is_postgres(store_path)
            else str(Path(store_path).resolve()))


def anchor_path(store_path: Path | str) -> Path:
    """The anchor file of a store: keyed by the file's full path, or a shared store's URL
    (without its password)."""
    key = hashlib.sha256(_store_name(store_path).encode("utf-8")).hexdigest()[:24]
    return anchor_dir() / f"{key}.json"


def read_anchor(store_path: Path) -> Anchor | None:
    """The anchor of the store at `store_path`, or None when this user never anchored it (a
    new store, another computer) or the file cannot be read."""
    try:
        data = json.loads(anchor_path(store_path).read_text(encoding="utf-8"))
        return Anchor(int(data["entry_id"]), str(data["hash"]), str(data.get("store_uid", "")),
                      str(data.get("at", "")), int(data.get("reviews_checked", 0)),
                      int(data.get("orders_checked", 0)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_anchor(store_path: Path, anchor: Anchor) -> None:
    """Write atomically (temporary file, then rename), readable by the user only. A failure to
    write is not fatal: the chain is still verified from the older anchor next time."""
    path = anchor_path(store_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"store": _store_name(store_path), "store_uid": anchor.store_uid,
                       "entry_id": anchor.entry_id, "hash": anchor.hash, "at": anchor.at,
                       "reviews_checked": anchor.reviews_checked,
                       "orders_checked": anchor.orders_checked},
                      handle)
        os.replace(temp, path)
    except OSError:
        pass
