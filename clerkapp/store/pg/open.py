"""Opening a PostgreSQL store and starting a write on it.

A write takes the store's write lock (a transaction-level advisory lock) first: one writer at a
time, as SQLite's `BEGIN IMMEDIATE`, so the audit log stays one chain in commit order and bulk
approvals, undo and evaluation runs stay atomic whoever else is deciding. Readers never wait.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg

from clerkapp.errors import StoreLocked, StoreTooNew, StoreUnreadable
from clerkapp.store.engine import display_target
from clerkapp.store.pg.connection import PgConnection
from clerkapp.store.pg.schema import migrate_from

WRITE_LOCK = 0x636C6B02  # pg_advisory_xact_lock key every write transaction takes


def _why(exc: psycopg.Error) -> str:
    """The server's reason in one line, without the connection string."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def open_postgres(url: str) -> tuple[PgConnection, int, str, bool]:
    """(connection, schema version, login, created now) for a store URL; StoreUnreadable,
    naming the store (password hidden) and the reason, when it cannot be opened."""
    where = display_target(url)
    try:
        conn = PgConnection(url)
    except psycopg.Error as exc:
        raise StoreUnreadable(f"cannot connect to the shared store: {_why(exc)}",
                              file=where) from None
    try:
        found, version = migrate_from(conn.raw)
        login = conn.raw.execute("SELECT session_user").fetchone()[0]
        conn.refresh_id_tables()
    except StoreTooNew as exc:
        conn.close()
        raise StoreTooNew(exc.version, exc.known, file=where) from None
    except psycopg.errors.InsufficientPrivilege as exc:
        conn.close()
        raise StoreUnreadable(
            f"this login may not set up or upgrade the shared store ({_why(exc)}): court IT"
            " runs the first opening of a new clerkapp as the store's owner", file=where) from None
    except psycopg.Error as exc:
        conn.close()
        raise StoreUnreadable(f"not a clerkapp store ({_why(exc)})", file=where) from None
    return conn, version, login, found == 0


def begin_writing(conn: PgConnection, url: str, wait_s: int, first_wait_ms: int,
                  notice: Callable[[str], None] | None,
                  locked_message: Callable[[str], str]) -> None:
    """BEGIN and take the write lock: at once when free (one round trip: a clerk's decision
    is a handful of them, each a network's delay); else wait, first silently, then telling
    `notice`, up to `wait_s` in all, then StoreLocked."""
    raw = conn.raw
    try:
        cursor = raw.execute(f"BEGIN; SELECT pg_try_advisory_xact_lock({WRITE_LOCK})")
        cursor.nextset()
        if cursor.fetchone()[0]:
            return
        raw.execute(f"SET LOCAL lock_timeout = '{int(first_wait_ms)}ms'")
        raw.execute("SAVEPOINT clerkapp_lock")
        try:
            raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            raw.execute("RELEASE SAVEPOINT clerkapp_lock")
        except psycopg.errors.LockNotAvailable:
            raw.execute("ROLLBACK TO SAVEPOINT clerkapp_lock")
            if notice is not None:
                notice(f"{display_target(url)}: another clerk is writing to the store;"
                       f" waiting up to {wait_s} s")
            raw.execute(f"SET LOCAL lock_timeout = '{int(wait_s * 1000 - first_wait_ms)}ms'")
            try:
                raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            except psycopg.errors.LockNotAvailable:
                raise StoreLocked(locked_message(display_target(url))) from None
        raw.execute("SET LOCAL lock_timeout = 0")
    except BaseException:
        if conn.in_transaction:
            raw.execute("ROLLBACK")
        raise
