"""Which store a command opens: `--db` (a path, or a PostgreSQL URL passed through untouched),
then `$CLERKAPP_DB`, then the store the installer was pointed at, then clerk.db."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from clerkapp.cli.main import build_parser
from clerkapp.paths import default_db_path, installed_db_target, user_data_dir

URL = "postgresql://clerk1@db.court.example:5433/clerkapp?sslmode=require"


@pytest.mark.parametrize("given", [URL, "postgres://clerk1@/clerkapp?host=/run/pg",
                                   "POSTGRESQL://clerk1@h/db"])
def test_a_url_on_db_passes_through_untouched(given):
    args = build_parser().parse_args(["--db", given, "stats"])
    assert args.db == given and isinstance(args.db, str)


@pytest.mark.parametrize("given", [URL, "postgres://a@b/c", "Postgresql://a@b/c", "/srv/x.db",
                                   "postgresql:/x.db", "pg://a@b/c", "C:\\Users\\x.db"])
def test_store_target_and_the_engine_agree(given):
    from clerkapp.paths import store_target
    from clerkapp.store.engine import is_postgres

    assert isinstance(store_target(given), str) == is_postgres(given)


def test_a_path_on_db_is_a_path(tmp_path):
    args = build_parser().parse_args(["--db", str(tmp_path / "x.db"), "stats"])
    assert args.db == tmp_path / "x.db"
    args = build_parser().parse_args(["--db", "relative/postgresql.db", "stats"])
    assert isinstance(args.db, Path)


def test_clerkapp_db_names_a_shared_store(monkeypatch):
    monkeypatch.setenv("CLERKAPP_DB", URL)
    assert default_db_path() == URL
    monkeypatch.setenv("CLERKAPP_DB", "/srv/clerk.db")
    assert default_db_path() == Path("/srv/clerk.db")


def _installed(monkeypatch, folder: Path, ini_text: str | None) -> None:
    exe = folder / "clerkapp.exe"
    exe.write_bytes(b"")
    if ini_text is not None:
        (folder / "clerkapp.ini").write_text(ini_text, encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("CLERKAPP_DB", raising=False)


def test_the_installers_store_is_the_default(monkeypatch, tmp_path):
    _installed(monkeypatch, tmp_path, f"[store]\ndb = {URL}\n")
    assert installed_db_target() == URL
    assert default_db_path() == URL
    monkeypatch.setenv("CLERKAPP_DB", "/srv/clerk.db")  # the environment still wins
    assert default_db_path() == Path("/srv/clerk.db")


@pytest.mark.parametrize("ini_text", [None, "", "[store]\ndb =\n", "not an ini file\n"])
def test_without_the_installers_choice_clerk_db_in_the_data_folder(monkeypatch, tmp_path,
                                                                     ini_text):
    _installed(monkeypatch, tmp_path, ini_text)
    assert installed_db_target() is None
    assert default_db_path() == user_data_dir() / "clerk.db"


def test_a_checkout_reads_no_installer_settings(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert installed_db_target() is None


@pytest.mark.parametrize("url, plain", [
    ("postgresql://jdoe:s%40cret@db/clerkapp", "postgresql://jdoe@db/clerkapp"),
    ("postgresql://jdoe@/clerkapp?host=/run/pg&password=x", "postgresql://jdoe@/clerkapp?host=/run/pg"),
    ("postgresql://db/clerkapp?password=x&sslmode=require", "postgresql://db/clerkapp?sslmode=require"),
    ("postgresql://jdoe@db:5433/clerkapp", "postgresql://jdoe@db:5433/clerkapp"),
])
def test_a_shared_store_is_the_same_store_with_or_without_its_password(url, plain):
    from clerkapp.store.anchor import anchor_path
    from clerkapp.store.engine import without_password

    assert without_password(url) == plain
    assert anchor_path(url) == anchor_path(plain)
