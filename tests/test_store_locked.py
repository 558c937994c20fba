"""A store another program holds: the command waits with a message, then exits 2 with what
to do, never a `database is locked` traceback."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import StoreLocked
from clerkapp.store import Store, base


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(base, "LOCK_WAIT_S", 1)
    monkeypatch.setattr(base, "FIRST_WAIT_MS", 200)


def _hold(path):
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


@pytest.mark.parametrize("command", [
    ["settings", "court.county=Alameda"],
    ["import", "FILE"],
])
def test_cli_waits_then_says_what_to_do(db_path, tmp_path, capsys, short_wait, command):
    Store(db_path).close()
    sample = tmp_path / "people.csv"
    sample.write_text("Name,DOB,Case Number,Code Section,Conviction Date\n"
                      "DOE JOHN,1970-01-01,A1,HS 11357,1990-01-01\n", encoding="utf-8")
    other = _hold(db_path)
    try:
        code = main(["--db", str(db_path), *[str(sample) if c == "FILE" else c
                                             for c in command]])
    finally:
        other.close()
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert "another program is using the store; waiting up to 1 s" in lines[0]
    assert lines[-1].startswith("clerkapp: ")
    assert "has held the store for over 1 s" in lines[-1] and "then try again" in lines[-1]
    assert "Traceback" not in err


def test_the_store_lands_when_released_in_time(db_path, short_wait):
    store = Store(db_path)
    other = _hold(db_path)
    other.execute("COMMIT")  # released before the wait runs out
    with store.atomic():
        store.set_setting("court.county", "Alameda")
    other.close()
    other = _hold(db_path)
    with pytest.raises(StoreLocked), store.atomic():
        store.set_setting("court.county", "Butte")
    other.close()
    assert store.get_setting("court.county") == "Alameda"
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_new_store_and_its_folder_are_the_users_alone(tmp_path):
    store = Store(tmp_path / "new" / "clerk.db")
    with store.atomic():
        store.set_setting("court.county", "Alameda")
    store.close()
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "clerk.db").stat().st_mode) == 0o600


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_the_command_line_creates_files_for_the_user_alone(tmp_path):
    db = tmp_path / "data" / "clerk.db"
    assert main(["--db", str(db), "export", str(tmp_path / "out" / "export.csv")]) == 0
    for path in (db, tmp_path / "out" / "export.csv"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700
