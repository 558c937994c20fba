"""The store: `Store` (clerkapp.store.db) opens one. It is loaded when first asked for, so a
process that needs only a module of the package (the import's reading processes need
`flatten`) does not load the database code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clerkapp.store.db import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from clerkapp.store.db import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
