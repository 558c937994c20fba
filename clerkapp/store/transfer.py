"""Copying a whole store into another engine's store (SQLite into PostgreSQL, and back):
every table, row for row with its own ids, in one transaction on the target, so an
interruption leaves the target as it was.

Tables go in schema order, parents before the tables that point at them (SQLite lets a table
name one created later). Into PostgreSQL the rows go by `COPY` and the id sequences are moved
past the ids copied; the target's own triggers stay out of the way meanwhile (what they would
derive, `closeout_stage`, is copied as the source has it). The target keeps its own store id,
so its audit anchor is its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from clerkapp.store.base import StoreBase
from clerkapp.store.migrations import MIGRATIONS

BATCH = 5000  # rows read and written at a time (progress and cancel between batches)
OWN_SETTINGS = ("store.uid",)  # rows a store writes for itself: kept, never copied over
DERIVED = ("closeout_stage",)  # filled by triggers from other tables: copied as the source has it

Step = Callable[[int, int, str], None]  # (rows done, rows in all, table), may raise Cancelled


@dataclass(frozen=True)
class TableCopy:
    name: str
    source_rows: int
    target_rows: int


def schema_order() -> list[str]:
    """The store's tables in the order the migrations create them."""
    names: list[str] = []
    for script in MIGRATIONS:
        for name in re.findall(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", script,
                               re.IGNORECASE):
            if name not in names:
                names.append(name)
    return names


def tables_of(store: StoreBase) -> list[str]:
    """The store's own tables (not SQLite's internal or full-text shadow tables)."""
    if store.engine == "postgresql":
        return [str(r[0]) for r in store.conn.raw.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'clerkapp_schema'")]
    return [str(r[0]) for r in store.conn.execute(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'"
        " AND name NOT LIKE 'sqlite_%'")]


def references(store: StoreBase) -> dict[str, set[str]]:
    """table -> the other tables its foreign keys point at."""
    if store.engine == "postgresql":
        rows = store.conn.raw.execute(
            "SELECT c.conrelid::regclass::text, c.confrelid::regclass::text"
            " FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_namespace n"
            " ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()")
    else:
        rows = store.conn.execute(
            "SELECT m.name, f.\"table\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f"
            " WHERE m.type = 'table'")
    out: dict[str, set[str]] = {}
    for child, parent in rows:
        if child != parent:
            out.setdefault(str(child).strip('"'), set()).add(str(parent).strip('"'))
    return out


def copy_order(store: StoreBase) -> list[str]:
    """The tables to copy: schema order, each after the tables it references."""
    present = set(tables_of(store))
    order = [t for t in schema_order() if t in present and t not in DERIVED]
    refs = references(store)
    done: list[str] = []
    while len(done) < len(order):
        ready = next(t for t in order if t not in done
                     and refs.get(t, set()) & set(order) <= set(done))
        done.append(ready)
    return done + [t for t in DERIVED if t in present]  # after all they derive from


def columns_of(store: StoreBase, table: str) -> list[str]:
    if store.engine == "postgresql":
        return [str(r[0]) for r in store.conn.raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s ORDER BY ordinal_position", (table,))]
    return [str(r[1]) for r in store.conn.execute(f'PRAGMA table_info("{table}")')]


def _count(store: StoreBase, table: str) -> int:
    return int(store.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def work_counts(store: StoreBase, tables: list[str]) -> dict[str, int]:
    """Rows per table, leaving out what every new store writes for itself."""
    counts = {t: _count(store, t) for t in tables}
    if "settings" in counts:
        marks = ",".join("?" for _ in OWN_SETTINGS)
        counts["settings"] = int(store.conn.execute(
            f"SELECT count(*) FROM settings WHERE key NOT IN ({marks})", OWN_SETTINGS
        ).fetchone()[0])
    return counts


@contextmanager
def reading(store: StoreBase) -> Iterator[None]:
    """One consistent snapshot of the source while it is copied (others may keep working)."""
    conn = store.conn.raw if store.engine == "postgresql" else store.conn
    if store.engine == "postgresql":
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    else:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts
    try:
        yield
    finally:
        conn.execute("ROLLBACK")


def _rows(store: StoreBase, table: str, columns: list[str]) -> Iterator[list[tuple]]:
    names = ", ".join(f'"{c}"' for c in columns)
    where = (f" WHERE key NOT IN ({', '.join(repr(k) for k in OWN_SETTINGS)})"
             if table == "settings" else "")
    order = " ORDER BY id" if "id" in columns else ""
    sql = f'SELECT {names} FROM "{table}"{where}{order}'
    if store.engine == "postgresql":
        with store.conn.raw.cursor(name=f"clerkapp_copy_{table}") as cursor:
            cursor.itersize = BATCH
            cursor.execute(sql)
            while batch := cursor.fetchmany(BATCH):
                yield [tuple(r) for r in batch]
        return
    cursor = store.conn.cursor()
    cursor.row_factory = None
    cursor.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        yield batch


def _write(target: StoreBase, table: str, columns: list[str], rows: list[tuple]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    if target.engine == "postgresql":
        with target.conn.raw.cursor() as cursor:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    target.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def _set_triggers(target: StoreBase, tables: list[str], enabled: bool) -> None:
    """PostgreSQL: the target's own triggers off while rows are copied in (foreign keys stay
    checked); back on before the transaction commits (ALTER TABLE is transactional)."""
    if target.engine != "postgresql":
        return
    word = "ENABLE" if enabled else "DISABLE"
    for table in tables:
        target.conn.raw.execute(f'ALTER TABLE "{table}" {word} TRIGGER USER')


def clear_target(target: StoreBase, tables: list[str]) -> None:
    """Empty the target's tables (children first), its own settings kept. Only when asked:
    the target held a store of its own (its append-only audit log goes too)."""
    _set_triggers(target, tables, enabled=False)
    triggers: list = []
    if target.engine == "sqlite":
        target.conn.execute("PRAGMA defer_foreign_keys = ON")
        triggers = target.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name = 'audit_log'").fetchall()
        for name, _sql in triggers:
            target.conn.execute(f'DROP TRIGGER "{name}"')
    for table in reversed(tables):
        if table == "settings":
            marks = ",".join("?" for _ in OWN_SETTINGS)
            target.conn.execute(f"DELETE FROM settings WHERE key NOT IN ({marks})", OWN_SETTINGS)
        else:
            target.conn.execute(f'DELETE FROM "{table}"')
    if target.engine == "sqlite":
        for _name, sql in triggers:
            target.conn.execute(sql)


def copy_tables(source: StoreBase, target: StoreBase, tables: list[str],
                source_counts: dict[str, int], step: Step) -> list[TableCopy]:
    """Copy `tables` from the source (inside `reading`) into the target (inside its
    `atomic()`): rows, then sequences; returns each table's counts on both sides, read in
    the same transactions."""
    total = sum(source_counts.values())
    done = 0
    _set_triggers(target, tables, enabled=False)
    for table in tables:
        columns = [c for c in columns_of(target, table) if c in set(columns_of(source, table))]
        if table in DERIVED:
            target.conn.execute(f'DELETE FROM "{table}"')  # what the triggers derived meanwhile
        step(done, total, table)
        for batch in _rows(source, table, columns):
            _write(target, table, columns, batch)
            done += len(batch)
            step(done, total, table)
        if "id" in columns:
            target.ids_taken(table)
    _set_triggers(target, tables, enabled=True)
    target_counts = work_counts(target, tables)
    return [TableCopy(t, source_counts[t], target_counts[t]) for t in tables]
