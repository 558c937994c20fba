"""Shared fixtures: every test gets a fresh store in its own temporary folder."""

from __future__ import annotations

import os
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


@pytest.fixture
def store(tmp_path):
    from clerkapp.store import Store

    s = Store(tmp_path / "clerk.db")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "clerk.db"
