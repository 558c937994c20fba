"""A list of conviction ids from PostgreSQL as one compact value (the review queue's id list).

A million ids as a million result rows cost a protocol message and a Python tuple each; as one
JSON text (what SQLite hands the queue) PostgreSQL spends longer building and sending the text
than finding the ids. Here the server packs each id as its 8 bytes (`int8send`) into one
`bytea`, sent in binary: no text, nothing to parse, `array('q')` reads it as it comes.

The order is guaranteed, not hoped for: an aggregate over an ordered subquery keeps that order
only "usually" (PostgreSQL's manual), so a sort key other than the id is the aggregate's own
`ORDER BY`, and the id order (the queue's default) is made here, by sorting the array: the
server then reads the ids in whatever order its index gives (already in order, so the sort is
one pass) instead of sorting them itself (PostgreSQL 15 sorts an ordered aggregate's input even
when the index already gives it in order, spilling a million ids to disk).
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Sequence

import psycopg

from clerkapp.store.pg.connection import PgConnection, _args, as_sqlite_error
from clerkapp.store.pg.translate import translate

_BY_ID = re.compile(r"\s*c\.id(\s+(ASC|DESC))?\s*", re.IGNORECASE)


def id_array(conn: PgConnection, source: str, params: Sequence[object],
             order: str | None) -> array:
    """The ids of `SELECT c.id {source}` (SQLite dialect, translated), in `order` (an ORDER
    BY list; None: any order)."""
    by_id = None if order is None else _BY_ID.fullmatch(order)
    packed = "int8send(c.id), CAST('' AS bytea)"
    if order is not None and by_id is None:
        packed += f" ORDER BY {order}"
    t = translate(f"SELECT string_agg({packed}) {source}", conn.id_tables)
    try:
        row = conn.raw.cursor(binary=True).execute(t.sql, _args(t, params)).fetchone()
    except psycopg.Error as exc:
        raise as_sqlite_error(exc) from exc
    ids = array("q")
    if row is not None and row[0] is not None:
        ids.frombytes(row[0])
        if sys.byteorder == "little":
            ids.byteswap()  # int8send writes the most significant byte first
    if by_id is not None:
        descending = (by_id.group(2) or "").upper() == "DESC"
        ids = array("q", sorted(ids, reverse=descending))
    return ids
