"""Shared fixtures: every test gets a fresh store in its own temporary folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples every run (a new failure shows up on a developer's run, not as
# a submission that fails by chance); developers' runs keep exploring new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/pgcluster.py
GOGEN_DIR = REPO_ROOT.parent / "shared" / "peers" / "gogen"


def gogen_file(name: str) -> Path:
    """A file of gogen's golden case, read in place from `../shared`; the test skips, naming
    what is missing, on a plain clone of the project without `shared/` beside it."""
    path = GOGEN_DIR / name
    if not path.is_file():
        pytest.skip(f"needs {path} (gogen's files in ../shared/peers/gogen beside the checkout)")
    return path


@pytest.fixture(autouse=True)
def _anchors(tmp_path_factory, monkeypatch):
    """Each test's audit-chain anchors in a folder of its own, never the user's."""
    monkeypatch.setenv("CLERKAPP_ANCHORS", str(tmp_path_factory.mktemp("anchors")))


# the engines every store test runs on: both (`CLERKAPP_TEST_ENGINES=sqlite` for a quick run)
ENGINES = os.environ.get("CLERKAPP_TEST_ENGINES", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL cluster for the whole run (tests/pgcluster.py), with a migrated
    template database each test's store is copied from. Skips when PostgreSQL is not
    installed, except under CI, where both engines must run."""
    import pgcluster

    try:
        cluster = pgcluster.start_cluster()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs every store test on PostgreSQL too: {exc}")
        pytest.skip(str(exc))
    import psycopg

    from clerkapp.store import Store

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE clerkapp_template")
    Store(cluster.url("clerkapp_template")).close()
    yield cluster
    cluster.stop()


_pg_count = 0


def new_pg_database(cluster) -> str:
    """A fresh, migrated PostgreSQL store (a copy of the template): its URL."""
    import psycopg

    global _pg_count
    _pg_count += 1
    name = f"clerkapp_{os.getpid()}_{_pg_count}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE clerkapp_template")
    return cluster.url(name)


def drop_pg_database(cluster, url: str) -> None:
    """Drop a test's database once it is done (connections still open to it are ended): the
    cluster stays small (about 9 MB a store), so the run does not fill the disk and stopping
    the cluster at the end takes no time out of the last test."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url)["dbname"]
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=ENGINES)
def db_target(request, tmp_path) -> Iterator[str | Path]:
    """Where a test's store lives: a SQLite file, or a fresh PostgreSQL database (URL), dropped
    after the test. Tests using it run on both engines."""
    if request.param == "sqlite":
        yield tmp_path / "clerk.db"
        return
    cluster = request.getfixturevalue("pg_server")
    url = new_pg_database(cluster)
    yield url
    drop_pg_database(cluster, url)


@pytest.fixture
def store(db_target):
    from clerkapp.store import Store

    s = Store(db_target)
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "clerk.db"
