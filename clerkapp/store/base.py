"""The connection, transactions and small helpers every part of the Store shares."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from clerkapp.errors import StoreLocked, StoreUnreadable
from clerkapp.store.engine import is_postgres
from clerkapp.store.migrations import migrate_from

log = logging.getLogger(__name__)


# How long a write waits for another program that holds the store (another clerkapp, a
# backup, a database tool) before giving up with StoreLocked; the first second silently.
LOCK_WAIT_S = 30
FIRST_WAIT_MS = 1000
# A new store's page size: 16 KiB instead of SQLite's 4 KiB. A verbatim DOJ row (about half
# a KiB of JSON) fills a small page by itself and the file is mostly such rows: on larger
# pages a million-row import writes 6% fewer bytes and a sixth less system CPU. An existing
# store keeps the size it was made with (SQLite changes it only by rewriting the file).
NEW_STORE_PAGE_BYTES = 16384
RETRY_S = 0.05  # between tries of a step refused without a wait (_locked_wait)
# Called with one line when a write starts waiting (the CLI prints it on stderr).
WAIT_NOTICE: Callable[[str], None] | None = None


def locked_message(path: Path) -> str:
    return (f"{path}: another program has held the store for over {LOCK_WAIT_S} s (another"
            " clerkapp window or command, a backup, or a database tool): close it or let it"
            " finish, then try again")


def _create_private(path: Path) -> None:
    """A new store and its folder readable by the user only (0600/0700 on Linux; on Windows
    the user's profile folder already is)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)  # an empty file is an empty SQLite database
    except FileExistsError:
        pass
    except OSError as exc:
        raise StoreUnreadable(f"cannot create the store: {exc.strerror}", file=str(path)) from None


def escape_like(text: str) -> str:
    """`text` matched literally by `LIKE … ESCAPE '\\'`."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second, as every timestamp in the store."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def ids_json(ids: Iterable[int]) -> str:
    """Ids as one JSON array for json_each: no IN list, no temp table."""
    return json.dumps([int(i) for i in ids])


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


# the latest finished run's last conviction id (0 when none), as `latest_scope` reads it, for a
# statement that reads it itself (a round trip fewer to a shared store)
LATEST_LAST = ("coalesce((SELECT coalesce(last_conviction_id, 0) FROM eval_runs"
               " WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1), 0)")


def resolved_outcome(column: str, last_conviction_id: int) -> str:
    """SQL for a conviction's outcome with the latest run's shared ones filled in: a conviction
    that run saw (id up to `last_conviction_id`, an int) with no outcome of its own was outside
    its scope, so not_applicable; a later one is not evaluated (NULL)."""
    return (f"coalesce({column}, CASE WHEN c.id <= {int(last_conviction_id)}"
            " THEN 'not_applicable' END)")


class StoreBase:
    """Owns one connection: a SQLite file, or a shared PostgreSQL store (`postgresql://` URL,
    see `clerkapp.store.pg`). A connection belongs to the thread that opened it, so a
    background job opens its own Store on the same target (`store.path`)."""

    engine = "sqlite"
    login: str | None = None  # the database login on PostgreSQL: who did it
    created = False  # this opening created the store (an empty file or database, migrated)

    def __init__(self, path: str | Path) -> None:
        if is_postgres(path):
            self._open_postgres(str(path))
            return
        self.path = Path(path)
        if str(path) != ":memory:":
            _create_private(self.path)
        try:
            self.conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False, timeout=LOCK_WAIT_S
            )
            self.conn.row_factory = sqlite3.Row
            if str(path) == ":memory:" or os.path.getsize(self.path) == 0:
                # before the first page is written, so it takes (a no-op once it exists)
                self.conn.execute(f"PRAGMA page_size = {NEW_STORE_PAGE_BYTES}")
            self.conn.execute(f"PRAGMA busy_timeout = {FIRST_WAIT_MS}")
            self._locked_wait(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            found, self.schema_version = self._locked_wait(lambda: migrate_from(self.conn))
            self.created = found == 0
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" not in str(exc):
                raise StoreUnreadable(f"cannot open the store: {exc}", file=str(path)) from None
            if not isinstance(exc, sqlite3.OperationalError):  # not a database at all
                raise StoreUnreadable(f"not a clerkapp store ({exc})", file=str(path)) from None
            raise
        self.conn.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_S * 1000}")
        self._depth = 0
        self._savepoint_seq = 0
        self.checkpointing: threading.Thread | None = None

    def _open_postgres(self, url: str) -> None:
        from clerkapp.store.pg.open import open_postgres

        self.engine = "postgresql"
        self.path = url  # type: ignore[assignment]  # a URL: workers open the same target
        self.conn, self.schema_version, self.login, self.created = open_postgres(url)
        self._depth = 0
        self._savepoint_seq = 0
        self.checkpointing = None

    @overload
    def actor(self, given: str) -> str: ...

    @overload
    def actor(self, given: None) -> str | None: ...

    def actor(self, given: str | None) -> str | None:
        """Who a write is recorded as: the database login on PostgreSQL (the court's roles say
        who each clerk is, whatever name was typed), the name the clerk gave on SQLite. Every
        column naming a person (audit actor, review clerk, created_by, operator...) is written
        through this."""
        return self.login or given

    def ids_taken(self, table: str) -> None:
        """After rows were written with ids of our own: the next id the database gives must
        follow them (PostgreSQL's sequences do not look; SQLite's rowids do)."""
        if self.engine == "postgresql":
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")

    def new_ids(self, table: str, count: int) -> list[int]:
        """`count` new ids for rows this write transaction will insert with ids of its own, in
        one round trip: past the table's largest on SQLite (the write lock holds it), from the
        id sequence on PostgreSQL (so nothing need be reset afterwards)."""
        if self.engine == "postgresql":
            return sorted(int(r[0]) for r in self.conn.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                " FROM generate_series(1, ?)", (count,)))
        start = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0] + 1
        return list(range(start, start + count))

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Writes whose results nobody reads, sent together: one round trip to a PostgreSQL
        server for all of them (psycopg's pipeline) instead of one each; SQLite has no
        round trips. A failure is raised at the end of the block at the latest."""
        if self.engine == "postgresql":
            with self.conn.pipeline():
                yield
        else:
            yield

    def read_together(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> list[list[Any]]:
        """The rows of each of these independent reads: one round trip to a PostgreSQL server
        for them all (sent in one pipeline, read back in order), one after another on SQLite."""
        if self.engine == "postgresql":
            with self.conn.pipeline():
                cursors = [self.conn.execute(sql, params) for sql, params in queries]
                return [cursor.fetchall() for cursor in cursors]
        return [self.conn.execute(sql, params).fetchall() for sql, params in queries]

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Iterable[Sequence[Any]]) -> None:
        """Many rows into one table, inside the caller's transaction: one `executemany` on
        SQLite, one `COPY` on PostgreSQL (an INSERT per row there costs a round of the
        server's parser and executor each; COPY streams them)."""
        if self.engine == "postgresql":
            from clerkapp.store.pg.copy import copy_rows

            copy_rows(self.conn, table, columns, rows)
            return
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def index_names(self, table: str) -> set[str]:
        """The names of a table's indexes (the queue checks which of its hints exist)."""
        if self.engine == "postgresql":
            sql = "SELECT indexname FROM pg_indexes WHERE tablename = ?"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
        return {r[0] for r in self.conn.execute(sql, (table,))}

    def id_array(self, source: str, params: Sequence[object] = (),
                 order: str | None = None) -> array:
        """The ids of `SELECT c.id {source}` (`source`: FROM … WHERE …) as a compact array, in
        `order` (an ORDER BY list ending in the id; None: any order). SQLite builds one JSON
        text from its ordered subquery (an aggregate never flattens an ordered one: the order
        is kept), parsed in C, about twice as fast as a row tuple per id; PostgreSQL one
        binary value (`pg/ids.py`)."""
        if self.engine == "postgresql":
            from clerkapp.store.pg.ids import id_array

            return id_array(self.conn, source, params, order)
        sql = f"SELECT c.id {source}" + (f" ORDER BY {order}" if order else "")
        text = self.conn.execute(f"SELECT json_group_array(id) FROM ({sql})",
                                 params).fetchone()[0]
        return array("q", json.loads(text) if text else ())

    def name_search_clause(self, tokens: list[str]) -> tuple[str, list[str]]:
        """SQL (over conviction `c`) and parameters: the person's name holds a word starting
        with each token (`tokens`: letters, digits, underscores). SQLite answers from its FTS5
        index; PostgreSQL from a trigram index, the same words: a token at the start of the
        name or after a character that is not a letter or digit (FTS5's word breaks). (As a
        join, not `= ANY (ARRAY(…))`: on a store not yet analyzed that array is searched
        once per conviction, 13 s for 9,683 of 331,727 in bench_pg.)"""
        if self.engine == "postgresql":
            terms = " AND ".join("p.name ~* ?" for _ in tokens)
            return (f"c.person_id IN (SELECT p.id FROM people p WHERE {terms})",
                    [f"(^|[^[:alnum:]]){t}" for t in tokens])
        return ("c.person_id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ?)",
                [" ".join(f'"{t}"*' for t in tokens)])

    def close(self) -> None:
        if self.checkpointing is not None:
            self.checkpointing.join()
        self.conn.close()

    def reopen(self) -> None:
        """Close and open the same path again, keeping this object (the window holds it):
        after the file was replaced by a restore, nothing read from the old file stays."""
        path = self.path
        self.close()
        self.__dict__.clear()
        StoreBase.__init__(self, path)

    def checkpoint_in_background(self) -> None:
        """Copy the write-ahead log into the database file from a thread on a connection of
        its own (SQLite's PASSIVE checkpoint: readers and writers carry on). A long write
        (an evaluation run) turns its automatic checkpoint off and calls this once it has
        committed, so the clerk sees the results while the file catches up."""
        if str(self.path) == ":memory:" or self.engine != "sqlite":
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
            self._begin()
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                # a COMMIT refused (a full disk, a deferred constraint) leaves the transaction
                # open: end it, so this connection (a window's) can write again
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
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

    def _begin(self) -> None:
        """BEGIN IMMEDIATE: at once when the store is free; else say that another program
        holds it, wait up to LOCK_WAIT_S, then StoreLocked (one line, what to do)."""
        if self.engine == "postgresql":
            from clerkapp.store.pg.open import begin_writing

            begin_writing(self.conn, self.path, LOCK_WAIT_S, FIRST_WAIT_MS, WAIT_NOTICE,
                          locked_message)
            return
        self.conn.execute(f"PRAGMA busy_timeout = {FIRST_WAIT_MS}")
        try:
            self._locked_wait(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_S * 1000}")

    def _locked_wait(self, step):
        """Run `step` (with a short busy timeout set); when the store is locked, tell
        `WAIT_NOTICE` and try again with the rest of LOCK_WAIT_S."""
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if WAIT_NOTICE is not None:
            WAIT_NOTICE(f"{self.path}: another program is using the store; waiting up to"
                        f" {LOCK_WAIT_S} s for it")
        # SQLite waits for a lock itself (busy timeout), except where waiting could never end
        # well: switching to write-ahead mode while an import writes with the rollback journal
        # (store/first_import.py) is refused at once. Such a step is tried again meanwhile.
        deadline = time.monotonic() + LOCK_WAIT_S - FIRST_WAIT_MS / 1000
        while (left := deadline - time.monotonic()) > 0:
            self.conn.execute(f"PRAGMA busy_timeout = {max(1, int(left * 1000))}")
            try:
                return step()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            time.sleep(min(RETRY_S, max(0.0, deadline - time.monotonic())))
        raise StoreLocked(locked_message(self.path)) from None

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

    def withdrawn_terms(self, alias: str = "c") -> list[str]:
        """SQL terms leaving out the convictions of withdrawn imports ([] when none is: the
        usual case costs nothing). Queue, counts, exports and orders all apply them."""
        ids = [int(r[0]) for r in self.conn.execute(
            "SELECT id FROM imports WHERE status = 'withdrawn'")]
        return [f"{alias}.import_id NOT IN ({','.join(map(str, ids))})"] if ids else []

    def table_counts(self) -> dict[str, int]:
        """Row counts of the main tables: what `stats` and the tests compare."""
        tables = [
            "imports", "source_rows", "import_errors", "people", "person_events", "cases",
            "convictions", "eval_runs", "determinations", "reviews", "audit_log", "orders",
        ]
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
