"""Queries for the reviews part of the app. (Filled in by its issue.)"""

from __future__ import annotations

from clerkapp.store.base import StoreBase


class ReviewStore(StoreBase):
    pass
