"""The name search rebuilt without the names' lengths (SCHEMA_NAME_SEARCH): a store written
before finds the same people afterwards, and the ones added later too."""

from __future__ import annotations

import sqlite3

from clerkapp.store import Store
from clerkapp.store.migrations import MIGRATIONS, SCHEMA_NAME_SEARCH, statements_of


def found(conn, text: str) -> list[int]:
    return [r[0] for r in conn.execute(
        "SELECT rowid FROM people_fts WHERE people_fts MATCH ? ORDER BY rowid", (text,))]


def test_a_store_from_before_finds_the_same_people_and_keeps_no_lengths(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    number = MIGRATIONS.index(SCHEMA_NAME_SEARCH)
    for version, script in enumerate(MIGRATIONS[:number], start=1):
        for statement in statements_of(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    names = ["SMITH,JOHN", "SMYTHE,JOAN", "O'NEIL,PAT", "JOHNSON,MARY ANN"]
    for n, name in enumerate(names, start=1):
        conn.execute("INSERT INTO people (id, subject_key, name) VALUES (?, ?, ?)",
                     (n, f"doj:{n}", name))
    queries = ['"smi"*', '"jo"*', '"neil"*', '"mary"* "ann"*', '"pat"*']
    before = {q: found(conn, q) for q in queries}
    assert before['"jo"*'] == [1, 2, 4]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'people_fts_docsize'"
                        ).fetchone()[0] == 1
    conn.close()
    with Store(path) as store:
        conn = store.conn
        assert {q: found(conn, q) for q in queries} == before
        assert conn.execute("SELECT count(*) FROM sqlite_master"
                            " WHERE name = 'people_fts_docsize'").fetchone()[0] == 0
        # the triggers write into the new search: added, renamed, deleted
        conn.execute("INSERT INTO people (id, subject_key, name) VALUES (5, 'doj:5', 'JONES,AL')")
        conn.execute("UPDATE people SET name = 'BROWN,PAT' WHERE id = 3")
        conn.execute("DELETE FROM people WHERE id = 1")
        assert found(conn, '"jo"*') == [2, 4, 5]
        assert found(conn, '"brown"*') == [3] and found(conn, '"neil"*') == []
        conn.execute("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')")
