"""These tests are about the two engines themselves (opening, copying, backing up a store on
each), so they always run on both, whatever `CLERKAPP_TEST_ENGINES` says for the rest."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def both_targets(request, tmp_path):
    """A new store's target on each engine: a SQLite file, or an empty migrated PostgreSQL
    database (URL)."""
    if request.param == "sqlite":
        return tmp_path / "clerk.db"
    import psycopg

    from clerkapp.store import Store

    cluster = request.getfixturevalue("pg_server")
    name = f"targets_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = cluster.url(name)
    Store(url).close()
    return url
