"""Queries for the rules part of the app. (Filled in by its issue.)"""

from __future__ import annotations

from clerkapp.store.base import StoreBase


class RulesStore(StoreBase):
    pass
