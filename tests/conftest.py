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


@pytest.fixture
def store(tmp_path):
    from clerkapp.store import Store

    s = Store(tmp_path / "clerk.db")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "clerk.db"
