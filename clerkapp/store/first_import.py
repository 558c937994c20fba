"""A large first import into an empty SQLite store, written once instead of twice.

In write-ahead-log mode every page an import writes goes to the log first and is copied into
the database file afterwards (the checkpoint): for a million-row DOJ file that is 800 MB
written twice, the log's frame headers and checksums, and a second pass over all of it (about
1.5 s of CPU in all). An empty store holds nothing another program could be reading, so the
import is written with SQLite's rollback journal instead: the new pages go straight into the
file, and the journal keeps only the few pages that existed before (the schema, settings),
with the file's old length.

The import's guarantees are SQLite's own in that mode: the whole import is one transaction;
a cancel or an error rolls it back; a crash leaves a hot journal that the next open rolls
back, so a file lands whole or not at all. `synchronous = FULL` for the import, as the
rollback journal needs it to survive a power cut (write-ahead mode is safe at NORMAL).

Locking: leaving write-ahead mode takes the store for this connection alone, so it is tried
only when no other connection has the store open (a window, a background job, another
program) and with no wait: when it cannot, the import writes through the log as before.
Another program opening the store during such an import waits for it (clerkapp says so, and
waits up to LOCK_WAIT_S) instead of reading the empty store. The store is back in
write-ahead mode before the import's block ends, whatever happened inside it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from clerkapp.errors import StoreLocked
from clerkapp.store import base
from clerkapp.store.base import StoreBase

log = logging.getLogger(__name__)

# Files at least this large, imported into an empty store, are written directly. A small
# file gains little (its log is small) and need not keep anyone waiting.
DIRECT_WRITE_BYTES = 16 * 1024 * 1024


def store_is_empty(conn: sqlite3.Connection, tables: tuple[str, ...]) -> bool:
    return not any(conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]
                   for table in tables)


@contextmanager
def direct_writes(store: StoreBase, size: int, tables: tuple[str, ...]) -> Iterator[bool]:
    """Around a large import's transaction (outside it): the rollback journal while it runs
    when the store is SQLite, empty (`tables` hold no row), alone with this connection and
    `size` (bytes to import) is at least DIRECT_WRITE_BYTES. Yields whether it is."""
    conn = store.conn
    if (store.engine != "sqlite" or str(store.path) == ":memory:" or conn.in_transaction
            or size < DIRECT_WRITE_BYTES or not store_is_empty(conn, tables)
            or not _leave_wal(conn)):
        yield False
        return
    (synchronous,) = conn.execute("PRAGMA synchronous").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    try:
        yield True
    finally:
        conn.execute(f"PRAGMA synchronous = {int(synchronous)}")
        _back_to_wal(store)


def _leave_wal(conn: sqlite3.Connection) -> bool:
    """Switch to the rollback journal without waiting: refused (False) while any other
    connection has the store open."""
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:  # "database is locked": someone else has it open
        log.debug("store in use, the import writes through the log: %s", exc)
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return str(mode).lower() == "delete"


def _back_to_wal(store: StoreBase) -> None:
    """Write-ahead mode again (waiting, as any step, for a program that opened the store
    meanwhile): the evaluation after an import reads in other connections while it writes."""
    conn = store.conn
    if conn.in_transaction:  # a failed rollback: the next open of the store sets it
        log.warning("the store stays in rollback-journal mode until it is opened again")
        return
    conn.execute(f"PRAGMA busy_timeout = {base.FIRST_WAIT_MS}")
    try:
        mode = store._locked_wait(
            lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
    finally:
        conn.execute(f"PRAGMA busy_timeout = {base.LOCK_WAIT_S * 1000}")
    if str(mode).lower() != "wal":
        raise StoreLocked(f"{store.path}: the store could not return to write-ahead mode"
                          f" after the import (journal mode {mode})")
