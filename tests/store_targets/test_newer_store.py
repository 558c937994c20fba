"""A store written by a newer clerkapp is refused on open, untouched, with what to do."""

from __future__ import annotations

import sqlite3

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import StoreTooNew
from clerkapp.store import Store
from clerkapp.store.migrations import MIGRATIONS


def _newer(db_path) -> int:
    Store(db_path).close()
    newer = len(MIGRATIONS) + 3
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {newer}")
        conn.execute("INSERT INTO settings (key, value) VALUES ('newer.thing', '1')")
    return newer


def test_opening_a_newer_store_is_refused(db_path):
    newer = _newer(db_path)
    with pytest.raises(StoreTooNew) as refused:
        Store(db_path)
    assert str(refused.value) == (
        f"this store was written by a newer clerkapp (schema {newer}, this one knows"
        f" {len(MIGRATIONS)}): install the newer clerkapp")
    with sqlite3.connect(db_path) as conn:  # left as the newer clerkapp wrote it
        assert conn.execute("PRAGMA user_version").fetchone()[0] == newer


def test_the_cli_says_so_in_one_line_and_exits_2(db_path, capsys):
    newer = _newer(db_path)
    assert main(["--db", str(db_path), "stats"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"clerkapp: this store was written by a newer clerkapp (schema"
                            f" {newer}, this one knows {len(MIGRATIONS)}): install the newer"
                            " clerkapp\n")


def test_a_store_of_this_version_opens(db_path):
    Store(db_path).close()
    with Store(db_path) as store:
        assert store.schema_version == len(MIGRATIONS)
