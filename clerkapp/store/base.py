"""The connection, transactions and small helpers every part of the Store shares."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from clerkapp.store.migrations import migrate

log = logging.getLogger(__name__)


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second, as every timestamp in the store."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# What a shared determination (migrations.SCHEMA_2) depends on: a conviction's county and
# section; `conviction_combos` lists the distinct values
COMBO_COLUMNS = ("county", "section_code", "section_number", "section_subs", "attempted",
                 "conspiracy")


def combo_match(alias: str) -> str:
    """SQL: the row `alias` has the same county and section as conviction `c` (NULLs equal)."""
    return " AND ".join(f"{alias}.{column} IS c.{column}" for column in COMBO_COLUMNS)


# a shared determination `s` standing for conviction `c`
SHARED_MATCH = combo_match("s")


# The convictions the queue, counts, exports and orders count: not the court's copy of a
# conviction a reconciliation linked to the DOJ's (reconcile_links.merged_id). One predicate
# over `c`, so everything that counts convictions leaves out the same ones.
COUNTED = ("c.id NOT IN (SELECT merged_id FROM reconcile_links"
           " WHERE merged_id IS NOT NULL)")


def resolved_outcome(column: str, last_conviction_id: int) -> str:
    """SQL for a conviction's outcome with the latest run's shared ones filled in: a conviction
    that run saw (id up to `last_conviction_id`, an int) with no outcome of its own was outside
    its scope, so not_applicable; a later one is not evaluated (NULL)."""
    return (f"coalesce({column}, CASE WHEN c.id <= {int(last_conviction_id)}"
            " THEN 'not_applicable' END)")


class StoreBase:
    """Owns one SQLite connection. A connection belongs to the thread that opened it, so a
    background job opens its own Store on the same path."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=30
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        self.schema_version = migrate(self.conn)
        self.db = sqlite_utils.Database(self.conn)
        self._depth = 0
        self._savepoint_seq = 0
        self.checkpointing: threading.Thread | None = None

    def close(self) -> None:
        if self.checkpointing is not None:
            self.checkpointing.join()
        self.conn.close()

    def checkpoint_in_background(self) -> None:
        """Copy the write-ahead log into the database file from a thread on a connection of
        its own (SQLite's PASSIVE checkpoint: readers and writers carry on). A long write
        (an evaluation run) turns its automatic checkpoint off and calls this once it has
        committed, so the clerk sees the results while the file catches up."""
        if str(self.path) == ":memory:":
            return

        def work() -> None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=30)
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    conn.close()
            except sqlite3.Error as e:  # the next commit's automatic checkpoint catches up
                log.warning("background checkpoint did not run: %s", e)

        if self.checkpointing is not None:
            self.checkpointing.join()
        self.checkpointing = threading.Thread(target=work, name="clerkapp-checkpoint",
                                              daemon=True)
        self.checkpointing.start()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction; nested calls become savepoints. Any exception rolls back all of
        the block's writes, so an import or a decision lands whole or not at all."""
        if self._depth == 0:
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            self.conn.execute("COMMIT")
            self._after_commit()
        else:
            self._savepoint_seq += 1
            name = f"sp{self._savepoint_seq}"
            self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self.conn.execute(f"ROLLBACK TO {name}")
                self.conn.execute(f"RELEASE {name}")
                raise
            self._depth -= 1
            self.conn.execute(f"RELEASE {name}")

    def _after_commit(self) -> None:
        """Called after each outermost commit (the audit log moves its anchor forward)."""

    def latest_scope(self, before: int | None = None) -> tuple[int, int]:
        """(id, last conviction id) of the latest finished run (with `before`, the latest
        before that run), (0, 0) when there is none: what `resolved_outcome` and the
        shared-determination lookups need."""
        row = self.conn.execute(
            "SELECT id, coalesce(last_conviction_id, 0) FROM eval_runs"
            " WHERE finished_at IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1",
            (before if before is not None else 2**62,)).fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def table_counts(self) -> dict[str, int]:
        """Row counts of the main tables: what `stats` and the tests compare."""
        tables = [
            "imports", "source_rows", "import_errors", "people", "person_events", "cases",
            "convictions", "eval_runs", "determinations", "reviews", "audit_log", "orders",
        ]
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
