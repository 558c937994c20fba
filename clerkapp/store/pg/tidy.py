"""VACUUM (ANALYZE) after a large write to a shared store, so the queue's filters read their
indexes alone again at once, not once autovacuum gets round to it.

The queue's indexes carry each row's id and outcome (`queue_indexes.py`), but PostgreSQL
answers from an index alone only for pages its visibility map marks all-visible: a page an
import filled or an evaluation rewrote is read from the table until VACUUM marks it. ANALYZE
gives the planner the new row counts (a store not yet analyzed gets poor plans). Autovacuum
does both in its own time, a minute or more later and longer on a busy server; this does it
right after the step, on a connection of its own (VACUUM cannot run inside a transaction).

VACUUM and ANALYZE need the table's owner (court IT's clerkapp_admin), a superuser or, from
PostgreSQL 17, the MAINTAIN privilege (resources/sql/roles.sql grants it to clerkapp_clerk
there). A login without it is told so by the server as a warning and nothing is done: the
tables are left to autovacuum, as before; it is logged, never an error.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


def vacuum_analyze(url: str, tables: Sequence[str]) -> list[str]:
    """VACUUM (ANALYZE) each table on a new connection to `url`; the tables the login may not
    vacuum (the server's warnings), for the log."""
    skipped: list[str] = []

    def notice(diag: psycopg.errors.Diagnostic) -> None:
        if diag.severity_nonlocalized == "WARNING" and diag.message_primary:
            skipped.append(diag.message_primary)

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.add_notice_handler(notice)
        for table in tables:
            conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(table)))
    for message in skipped:
        log.info("after a large write, not vacuumed: %s (autovacuum will)", message)
    return skipped


def analyze_in_transaction(conn, tables: Sequence[str]) -> None:
    """ANALYZE each table inside the caller's open transaction (VACUUM cannot run there)."""
    for table in tables:
        conn.execute(f"ANALYZE {table}")
