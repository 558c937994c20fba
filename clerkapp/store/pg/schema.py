"""The numbered migrations on PostgreSQL: the same list as SQLite's (`migrations.MIGRATIONS`),
each statement translated, with PostgreSQL's own forms where SQLite's DDL has no equivalent:
triggers become plpgsql functions, the FTS5 name index a pg_trgm index, and the version lives
in `clerkapp_schema` instead of `PRAGMA user_version`. Migrations run under an advisory lock,
so two clerks opening an old store at once do not both upgrade it."""

from __future__ import annotations

import re

from clerkapp.store.migrations import MIGRATIONS, refuse_newer, statements_of
from clerkapp.store.pg.queue_indexes import QUEUE_INDEXES
from clerkapp.store.pg.roles import ONLY_POSTGRES
from clerkapp.store.pg.translate import translate

MIGRATE_LOCK = 0x636C6B01  # pg_advisory_lock key held while migrating
STORE_UID_SQL = ("INSERT INTO settings (key, value) VALUES ('store.uid', '\"' ||"
                 " md5(random()::text || clock_timestamp()::text) || '\"') ON CONFLICT DO NOTHING")

_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(.+?)\s+ON\s+(\w+)(?:\s+WHEN\s+(.+?))?\s+BEGIN\b"
    r"(.*)\bEND\s*;?\s*$", re.IGNORECASE | re.DOTALL)


def _body_statements(body: str) -> list[str]:
    return [s.strip() for s in body.split(";") if s.strip()]


def trigger(sql: str) -> list[str]:
    """A SQLite trigger → a plpgsql function and a row trigger calling it (a WHEN with a
    subquery goes into the body: PostgreSQL's WHEN cannot hold one)."""
    m = _TRIGGER.match(sql.strip())
    if not m:
        raise ValueError(f"cannot translate trigger: {sql[:80]}")
    name, timing, event, table, when, body = m.groups()
    lines = []
    for statement in _body_statements(body):
        raise_ = re.fullmatch(r"SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*('(?:[^']|'')*')\s*\)",
                              statement, re.IGNORECASE)
        if raise_:
            lines.append(f"RAISE EXCEPTION {raise_.group(1)};")
        else:
            lines.append(translate(statement, with_params=False).sql + ";")
    code = "\n    ".join(lines)
    condition = translate('SELECT ' + when, with_params=False).sql[7:] if when else None
    # a WHEN without a subquery stays the trigger's own: a row it leaves out costs no call
    # and no queued event (an import's every conviction, for a trigger on decided ones)
    row_when = f" WHEN ({condition})" if condition and "SELECT" not in condition.upper() else ""
    if condition and not row_when:
        code = f"IF {condition} THEN\n    {code}\n  END IF;"
    result = ("IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"
              if timing.upper() == "BEFORE" else "RETURN NULL;")
    function = (f"CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
                f"BEGIN\n  {code}\n  {result}\nEND $fn$")
    return [function, f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{row_when}"
            f" EXECUTE FUNCTION {name}_fn()"]


# migrations only PostgreSQL needs, by the name SQLite's script gives (`SELECT 'postgresql:…'`)
_ONLY = {**ONLY_POSTGRES, "queue_indexes": QUEUE_INDEXES}
_ONLY_POSTGRES = re.compile(r"SELECT\s+'postgresql:(\w+)'\s*;?", re.IGNORECASE)
_DROP_TRIGGER = re.compile(r"DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s*;?", re.IGNORECASE)


def drop_trigger(name: str) -> str:
    """SQLite's `DROP TRIGGER name`: PostgreSQL names a trigger with its table, looked up."""
    return ("DO $drop$ DECLARE t text; BEGIN SELECT c.relname INTO t FROM pg_trigger g JOIN"
            " pg_class c ON c.oid = g.tgrelid WHERE g.tgname = '" + name + "' AND NOT"
            " g.tgisinternal AND pg_table_is_visible(c.oid) LIMIT 1; IF t IS NOT NULL THEN"
            " EXECUTE format('DROP TRIGGER %I ON %I', '" + name + "', t); END IF; END $drop$")


def _statement(sql: str) -> list[str]:
    text = sql.strip()
    upper = text.upper()
    only = _ONLY_POSTGRES.fullmatch(text)
    if only:  # a migration SQLite has nothing to do for
        return list(_ONLY[only.group(1)])
    if upper.startswith("CREATE VIRTUAL TABLE PEOPLE_FTS"):
        # the queue's name search: trigram index instead of SQLite's FTS5
        # (IF NOT EXISTS: the search is made again, without the names' lengths, SCHEMA_NAME_SEARCH)
        return ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX IF NOT EXISTS people_name_trgm ON people USING gin"
                " (name gin_trgm_ops)"]
    if upper.startswith(("CREATE TRIGGER PEOPLE_FTS", "INSERT INTO PEOPLE_FTS")):
        return []  # SQLite's FTS5 index filled
    if upper.startswith("CREATE TRIGGER"):
        return trigger(text)
    if dropped := _DROP_TRIGGER.fullmatch(text):
        return [drop_trigger(dropped.group(1))]
    if upper.startswith("ALTER TABLE") and " ADD COLUMN " in upper:
        # a migration run again (court IT's first opening after a half-done upgrade) adds nothing
        text = re.sub(r"\bADD\s+COLUMN\s+(?!IF\s)", "ADD COLUMN IF NOT EXISTS ", text,
                      count=1, flags=re.IGNORECASE)
    if "RANDOMBLOB" in upper:
        return [STORE_UID_SQL]
    if upper.startswith("CREATE TABLE CLOSEOUT_STAGE"):
        # EXISTS(…) is a boolean here: the flags are booleans
        text = re.sub(r"\b(doj|cms) INTEGER NOT NULL DEFAULT 0", r"\1 BOOLEAN NOT NULL DEFAULT false",
                      text)
    return [translate(text, with_params=False).sql]


_REFERENCE = re.compile(r"(\n\s*(\"?\w+\"?)\s[^,\n]*?)\s+REFERENCES\s+(\w+)\((\w+)\)"
                        r"(\s+ON\s+DELETE\s+CASCADE)?", re.IGNORECASE)


def _foreign_keys_after(statement: str) -> tuple[str, list[str]]:
    """SQLite lets a table name one created later; PostgreSQL's foreign keys are added once the
    script's tables all exist."""
    table = re.match(r"\s*CREATE\s+TABLE\s+(\w+)", statement, re.IGNORECASE)
    if not table:
        return statement, []
    keys: list[str] = []

    def strip(m: re.Match) -> str:
        keys.append(f"ALTER TABLE {table.group(1)} ADD FOREIGN KEY ({m.group(2)})"
                    f" REFERENCES {m.group(3)}({m.group(4)}){m.group(5) or ''}")
        return m.group(1)

    return _REFERENCE.sub(strip, statement), keys


def pg_statements(script: str) -> list[str]:
    """One SQLite migration script as PostgreSQL statements."""
    out: list[str] = []
    keys: list[str] = []
    for statement in statements_of(script):
        statement = re.sub(r"^(\s*--[^\n]*\n)+", "", statement)
        statement, more = _foreign_keys_after(statement)
        keys.extend(more)
        out.extend(_statement(statement))
    return out + keys


def migrate(raw) -> int:
    """Bring a PostgreSQL store up to date (psycopg connection, autocommit); returns the
    schema version in force. Refuses a store written by a newer clerkapp."""
    return migrate_from(raw)[1]


def migrate_from(raw) -> tuple[int, int]:
    """`migrate`, returning (the version found under the migration lock, the version now):
    0 found is a store created now in an empty database."""
    raw.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        if raw.execute("SELECT to_regclass('clerkapp_schema')").fetchone()[0] is None:
            # (a clerk's login may not create tables: only asked on a new store)
            raw.execute("CREATE TABLE IF NOT EXISTS clerkapp_schema (version integer NOT NULL)")
        row = raw.execute("SELECT max(version) FROM clerkapp_schema").fetchone()
        version = int(row[0] or 0)
        refuse_newer(version)
        for number, script in enumerate(MIGRATIONS, start=1):
            if number <= version:
                continue
            with raw.transaction():
                for statement in pg_statements(script):
                    raw.execute(statement)
                raw.execute("DELETE FROM clerkapp_schema")
                raw.execute("INSERT INTO clerkapp_schema (version) VALUES (%s)", (number,))
        return version, len(MIGRATIONS)
    finally:
        raw.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))
