"""Building an import's secondary indexes once at its end instead of row by row.

A conviction's county, section, case number and date, and a person's name and CII, arrive in
no order: each row inserted into those indexes lands on a random page. While a large file
writes, the pages of the verbatim rows stream through SQLite's page cache and push the index
pages out, so each insert reads its page back: the import slows as the store grows (a
million-row file took 13 times what a tenth of it took). Dropping those indexes for the
import and creating them again from the finished tables (one sort each) keeps it linear.

Both happen inside the import's transaction: a failure or a cancel rolls the drop back with
everything else, and nobody else sees the store without its indexes (other connections read
the last commit). The indexes are recreated from their own `CREATE` statements as
`sqlite_master` holds them, so the schema after an import is exactly the schema before.

Only worth it when the import is large beside what the store already holds: recreating an
index reads the whole table.

Triggers go the same way: the name search's (one statement for all the new people instead of
one FTS insert each) and the close-out stage's on a new conviction, whose WHEN no imported
conviction meets (an import writes each one pending and without a review) but every one paid
to evaluate (a tenth of writing the convictions).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field

# Tables whose secondary indexes an import defers. The verbatim rows' indexes are not among
# them: their keys arrive in order (import, row number, person), so inserting is cheap, and
# recreating them would read every stored row again.
DEFERRED_TABLES = ("convictions", "people")
# The trigger that copies each new person's name into the name search (FTS5): one FTS insert
# per person, done instead as one statement for all of the import's new people.
NAME_SEARCH_TRIGGER = "people_fts_insert"
# Triggers an import's rows never fire, though each row pays to ask: the close-out stage of a
# new conviction that is decided already (review_status not pending, or a review), while an
# import writes neither column (imports.CONVICTION_COLUMNS), so each is pending, unreviewed.
SILENT_TRIGGERS = ("closeout_stage_conviction_new",)


# While the indexes are built: SQLite sorts each index's keys in runs the size of the page
# cache, each run in a helper thread when it may start one, while this thread reads on (the
# reading process has ended by then: its core is free). Runs of 8 MB use the second core for
# about a third of the work; with the import's 64 MB cache, one run held a whole index.
BUILD_CACHE_KIB = 8192
BUILD_THREADS = min(2, max(0, (os.cpu_count() or 1) - 1))


@dataclass
class DeferredSchema:
    """What was dropped (to create again), and the first person id the import handed out."""

    statements: list[str] = field(default_factory=list)
    first_person_id: int = 0
    name_search: bool = False


def defer_indexes(conn: sqlite3.Connection, first_person_id: int) -> DeferredSchema:
    """Drop the deferred tables' secondary indexes, the name-search trigger and the silent
    ones, inside the caller's transaction. Indexes that back a UNIQUE constraint (no `sql`)
    stay."""
    if not conn.in_transaction:
        raise RuntimeError("indexes are deferred only inside the import's transaction")
    marks = ",".join("?" * len(DEFERRED_TABLES))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({marks}) ORDER BY rowid", DEFERRED_TABLES).fetchall()
    names = (NAME_SEARCH_TRIGGER, *SILENT_TRIGGERS)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        f" AND name IN ({','.join('?' * len(names))}) ORDER BY rowid", names).fetchall()
    deferred = DeferredSchema(first_person_id=first_person_id)
    for name, sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
        deferred.statements.append(sql)
    for name, sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
        deferred.statements.append(sql)
        deferred.name_search = deferred.name_search or name == NAME_SEARCH_TRIGGER
    return deferred


def restore_indexes(conn: sqlite3.Connection, deferred: DeferredSchema) -> None:
    """Create the indexes and the triggers again, and put the import's new people into the
    name search as its trigger would have, one by one."""
    if deferred.name_search:
        conn.execute(
            "INSERT INTO people_fts (rowid, name) SELECT id, name FROM people WHERE id >= ?"
            " ORDER BY id", (deferred.first_person_id,))
    (cache,) = conn.execute("PRAGMA cache_size").fetchone()
    (threads,) = conn.execute("PRAGMA threads").fetchone()
    conn.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
    conn.execute(f"PRAGMA threads = {BUILD_THREADS}")
    try:
        for sql in deferred.statements:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        conn.execute(f"PRAGMA threads = {int(threads)}")
    deferred.statements.clear()
    deferred.name_search = False


def worth_deferring(conn: sqlite3.Connection, file_bytes: int, store_was_empty: bool) -> bool:
    """Deferring pays when the import is large beside the store: recreating reads the whole
    tables, inserting one by one reads pages the cache has lost. A store of about twice the
    file's size on disk is about as large as what the file adds."""
    if not isinstance(conn, sqlite3.Connection):
        return False  # SQLite's schema table and page counts; PostgreSQL keeps its indexes
    if store_was_empty:
        return True
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    return file_bytes * 2 >= pages * page_size
