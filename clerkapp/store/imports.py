"""Queries for the imports part of the app. (Filled in by its issue.)"""

from __future__ import annotations

from clerkapp.store.base import StoreBase


class ImportStore(StoreBase):
    pass
