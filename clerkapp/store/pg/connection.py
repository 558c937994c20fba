"""A psycopg 3 connection that looks like the sqlite3 connection the store was written for:
`execute`/`executemany`/`cursor()` taking the store's SQLite-dialect SQL (translated by
`translate`), rows readable by position and by name, `lastrowid`, `in_transaction`. The store
issues its own BEGIN/COMMIT, as it does on SQLite (autocommit connection, explicit
transactions)."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import pq
from psycopg.adapt import Dumper
from psycopg.types.numeric import NumericLoader

from clerkapp.errors import NotPermitted
from clerkapp.store.pg.translate import Translated, translate


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type:
    index = {}
    for i, name in enumerate(names):
        index.setdefault(name.lower(), i)

    class Row(tuple):
        """A result row: by position (`row[0]`) or by column name, any case (`row["id"]`)."""
        __slots__ = ()
        _names = names
        _index = index

        def __getitem__(self, key):  # type: ignore[override]
            if isinstance(key, str):
                return tuple.__getitem__(self, self._index[key.lower()])
            return tuple.__getitem__(self, key)

        def keys(self) -> list[str]:
            return list(self._names)

    return Row


def _row_factory(cursor: psycopg.Cursor):
    if cursor.description is None:
        return tuple
    cls = _row_class(tuple(c.name for c in cursor.description))
    return cls


class _NumberLoader(NumericLoader):
    """sum()/avg() come back as int or float, as on SQLite (never Decimal)."""

    def load(self, data):  # type: ignore[override]
        value = super().load(data)
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolAsInt(Dumper):
    """Python's True/False stored as 1/0, as SQLite stores them (the columns are integers)."""
    oid = psycopg.postgres.types["int8"].oid

    def dump(self, obj):  # type: ignore[override]
        return b"1" if obj else b"0"


# what SQLite's tuning pragmas read as here (they tune nothing on PostgreSQL)
_PRAGMA_READS = {"foreign_keys": 1, "journal_mode": "wal", "quick_check": "ok",
                 "user_version": 0}


class _Static:
    """A cursor over fixed rows (PRAGMA reads)."""

    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows
        self.rowcount = -1
        self.lastrowid = None
        self.description = None

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


def _pragma(sql: str) -> _Static | None:
    text = sql.strip()
    if not text[:6].upper() == "PRAGMA":
        return None
    if "=" in text:
        return _Static([])
    name = text[6:].strip().split("(")[0].strip().lower()
    return _Static([(_PRAGMA_READS.get(name, 0),)])


def as_sqlite_error(exc: psycopg.Error) -> Exception:
    """The same failure as the sqlite3 exception class the store and its callers already
    handle (a broken constraint or a trigger's refusal: IntegrityError; the rest:
    OperationalError), keeping PostgreSQL's message. A right the login lacks (court IT's
    roles) is NotPermitted: one line for the clerk, not a database error."""
    state = exc.sqlstate or ""
    if state == "42501":
        return NotPermitted(_first_line(exc))
    cls = (sqlite3.IntegrityError if state.startswith("23") or state == "P0001"
           else sqlite3.OperationalError)
    error = cls(_first_line(exc))
    error.sqlstate = state  # type: ignore[attr-defined]
    return error


class _PipelineEndEchoes(logging.Filter):
    """psycopg logs a refused `executemany` a second time as it ends its pipeline ("error
    ignored terminating..."); the error itself is raised and worded for the clerk already."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("error ignored terminating")


logging.getLogger("psycopg").addFilter(_PipelineEndEchoes())


def _first_line(exc: psycopg.Error) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


_DROP_TRIGGER = re.compile(r"\s*DROP\s+TRIGGER\s+(IF\s+EXISTS\s+)?(\w+)\s*;?\s*$", re.IGNORECASE)


def drop_trigger(raw: psycopg.Connection, sql: str) -> str:
    """SQLite's `DROP TRIGGER name` names no table; PostgreSQL's needs it: looked up."""
    m = _DROP_TRIGGER.match(sql)
    if not m:
        return sql
    row = raw.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
                      (m.group(2),)).fetchone()
    if row is None:
        if m.group(1):
            return "SELECT 1"
        raise sqlite3.OperationalError(f"no such trigger: {m.group(2)}")
    return f"DROP TRIGGER {m.group(1) or ''}{m.group(2)} ON {row[0]}"


def _args(t: Translated, params: Any) -> Any:
    if params is None:
        return ()
    if t.order is not None:
        return [params[i] for i in t.order]
    return params


class PgCursor:
    """The sqlite3 cursor's surface over a psycopg cursor."""

    def __init__(self, conn: PgConnection) -> None:
        self._conn = conn
        self._cur = conn.raw.cursor(row_factory=_row_factory)
        self.lastrowid: int | None = None
        self._static: _Static | None = None

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        self._static = _pragma(sql)
        if self._static is not None:
            return self
        sql = drop_trigger(self._conn.raw, sql)
        t = translate(sql, self._conn.id_tables)
        try:
            self._cur.execute(t.sql, _args(t, params))
        except psycopg.errors.LockNotAvailable:
            raise
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc
        if t.returns_id:
            row = self._cur.fetchone()
            self.lastrowid = int(row[0]) if row else None
        return self

    def executemany(self, sql: str, seq: Iterable[Any]) -> PgCursor:
        t = translate(sql, self._conn.id_tables)
        self._static = None
        # read the rows first: they may come from a generator that queries this connection
        # as it goes (SQLite allows it; psycopg holds the connection while it sends)
        rows = [_args(t, p) for p in seq]
        try:
            self._cur.executemany(t.sql, rows)
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc
        return self

    def fetchone(self):
        return self._static.fetchone() if self._static else self._cur.fetchone()

    def fetchall(self):
        return self._static.fetchall() if self._static else self._cur.fetchall()

    def fetchmany(self, size: int | None = None):
        return self._cur.fetchmany(size or self._cur.arraysize)

    def __iter__(self) -> Iterator:
        if self._static is not None:
            return iter(self._static)
        return iter(self._cur)

    @property
    def description(self):
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """What the store needs of a connection, on PostgreSQL."""

    def __init__(self, url: str, connect_timeout: int = 10) -> None:
        self.raw = psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout,
                                   application_name="clerkapp")
        self.raw.adapters.register_loader("numeric", _NumberLoader)
        self.raw.adapters.register_dumper(bool, _BoolAsInt)
        offset = datetime.now().astimezone().utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset else 0
        # the desk's own zone for date(…, 'localtime'), as SQLite reads it
        self.raw.execute(f"SET TIME ZONE INTERVAL '{minutes} minutes'")
        self.id_tables: frozenset[str] = frozenset()
        self.row_factory = None

    def refresh_id_tables(self) -> None:
        rows = self.raw.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
            " AND table_schema = current_schema()").fetchall()
        self.id_tables = frozenset(r[0].lower() for r in rows)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        return PgCursor(self).execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> PgCursor:
        return PgCursor(self).executemany(sql, seq)

    @contextmanager
    def pipeline(self) -> Iterator[None]:
        """The statements executed in the block go to the server together (their results,
        unread, arrive at its end); a failure among them as the sqlite3 class."""
        try:
            with self.raw.pipeline():
                yield
        except psycopg.Error as exc:
            raise as_sqlite_error(exc) from exc

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (pq.TransactionStatus.INTRANS,
                                                    pq.TransactionStatus.INERROR,
                                                    pq.TransactionStatus.ACTIVE)

    def interrupt(self) -> None:
        """Stop the statement running now (sqlite3's `interrupt`): it fails with an
        OperationalError and its transaction waits for the caller's ROLLBACK."""
        self.raw.cancel_safe()

    def close(self) -> None:
        self.raw.close()
