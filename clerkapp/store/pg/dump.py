"""Backing up and restoring a PostgreSQL store with PostgreSQL's own tools: `pg_dump -Fc`
(one custom-format archive, a consistent snapshot while clerks keep working) and `pg_restore`
(in one transaction: all or nothing).

An archive is checked by reading it back, not by trusting it: `pg_restore` writes its data as
text, and the audit chain is recomputed from the audit_log rows in the archive itself, with
the schema version and the work tables' row counts (`read_archive_facts`)."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from clerkapp.errors import BadInput, ClerkError
from clerkapp.store.audit import GENESIS, entry_matches
from clerkapp.store.backup import WORK_TABLES, StoreFacts
from clerkapp.store.engine import display_target
from clerkapp.store.migrations import MIGRATIONS

Step = Callable[[int, int], None]  # (tables done, tables in all); may raise to stop
_AUDIT_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "case_number",
                  "details", "prev_hash", "hash")


class ToolMissing(ClerkError):
    """pg_dump / pg_restore are not installed where clerkapp looks."""


def tool(name: str) -> Path:
    """PostgreSQL's `pg_dump` or `pg_restore`: $CLERKAPP_PG_BIN, Debian's newest
    /usr/lib/postgresql/N/bin, PATH, or (Windows) Program Files\\PostgreSQL\\N\\bin."""
    exe = f"{name}.exe" if sys.platform == "win32" else name
    folders = [os.environ.get("CLERKAPP_PG_BIN", "")]
    patterns = ["/usr/lib/postgresql/*/bin"]
    if sys.platform == "win32":
        patterns.append(os.path.join(os.environ.get("ProgramFiles", r"C:\Program Files"),
                                     "PostgreSQL", "*", "bin"))
    for pattern in patterns:
        folders += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    for folder in folders:
        if folder and (Path(folder) / exe).is_file():
            return Path(folder) / exe
    found = shutil.which(name)
    if found:
        return Path(found)
    raise ToolMissing(
        f"{name} is not installed: PostgreSQL's client programs back up and restore a shared"
        " store (Debian: apt-get install postgresql-client; Windows: the PostgreSQL installer's"
        " command line tools), or set CLERKAPP_PG_BIN to the folder that holds them")


def _version_key(folder: str) -> int:
    match = re.search(r"[\\/](\d+)[\\/]bin$", folder)
    return int(match.group(1)) if match else 0


def _connection(url: str) -> tuple[str, dict[str, str]]:
    """(the URL without its password, the environment with PGPASSWORD): a password never goes
    on a command line, where other users of the computer could read it."""
    from psycopg.conninfo import conninfo_to_dict

    from clerkapp.store.engine import without_password

    env = dict(os.environ)
    password = conninfo_to_dict(url).get("password")
    if password:
        env["PGPASSWORD"] = str(password)
    return without_password(url), env


def _run(command: list[str], env: dict[str, str], marker: str, total: int, step: Step | None,
         what: str) -> None:
    """Run a PostgreSQL tool with --verbose, counting its `marker` lines as progress; a step
    that raises (cancel) stops the tool. Its own error, in one line, when it fails."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, errors="replace")
    errors: list[str] = []
    done = 0
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if marker in line:
                done += 1
                if step is not None:
                    step(min(done, total), total)
            elif re.match(r"^\S+: (error|fatal|FATAL|ERROR): ", line):
                errors.append(line.strip())
        code = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if code != 0:
        reason = errors[0].split(": ", 2)[-1] if errors else f"exit code {code}"
        raise ClerkError(f"{what} failed: {reason}")


def table_count(raw) -> int:
    return int(raw.execute("SELECT count(*) FROM pg_catalog.pg_tables"
                           " WHERE schemaname = current_schema()").fetchone()[0])


def dump(url: str, out: Path, tables: int, step: Step | None = None) -> None:
    """`pg_dump -Fc` of the store at `url` into the new file `out` (removed if it fails)."""
    conninfo, env = _connection(url)
    command = [str(tool("pg_dump")), "--format=custom", "--verbose", f"--file={out}",
               f"--dbname={conninfo}"]
    try:
        _run(command, env, "dumping contents of table", tables, step,
             f"backing up {display_target(url)}")
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def restore(url: str, archive: Path, step: Step | None = None) -> None:
    """`pg_restore` of `archive` into the store at `url`, its objects replaced, in one
    transaction: a failure or a cancel leaves the store as it was. Objects are owned by the
    login restoring (court IT's owner role); the archive's grants come with it."""
    conninfo, env = _connection(url)
    tables = len(_listing(archive, "TABLE DATA"))
    command = [str(tool("pg_restore")), "--clean", "--if-exists", "--no-owner",
               "--single-transaction", "--verbose", f"--dbname={conninfo}", str(archive)]
    _run(command, env, "processing data for table", tables, step,
         f"restoring into {display_target(url)}")


def _listing(archive: Path, kind: str) -> list[str]:
    listed = subprocess.run([str(tool("pg_restore")), "--list", str(archive)],
                            capture_output=True, text=True, errors="replace")
    if listed.returncode != 0:
        raise BadInput("not a PostgreSQL backup of a clerkapp store (pg_restore cannot read"
                       " it)", file=str(archive))
    return [line for line in listed.stdout.splitlines() if f" {kind} " in line]


_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)")


def _field(text: str) -> str | None:
    """One field of COPY's text format: \\N is NULL, backslash escapes decoded."""
    if text == "\\N":
        return None
    if "\\" not in text:
        return text

    def one(m: re.Match) -> str:
        code = m.group(1)
        if code[0] == "x" and len(code) > 1:
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, text)


_DAMAGED = ("the backup is damaged or cut short (pg_restore cannot read all of its data): not"
            " restored")


def _copy_rows(archive: Path, tables: list[str]) -> Iterator[tuple[str, list[str], list]]:
    """(table, columns, row) for every data row of `tables` in the archive."""
    command = [str(tool("pg_restore")), "--data-only", "--file=-", str(archive)]
    command += [f"--table={t}" for t in tables]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, encoding="utf-8", errors="replace")
    assert process.stdout is not None
    code = 0
    table, columns = None, []
    header = re.compile(r'^COPY (?:\w+\.)?"?(\w+)"? \((.*)\) FROM stdin;$')
    try:
        for line in process.stdout:
            line = line.rstrip("\n")
            if table is None:
                m = header.match(line)
                if m:
                    table = m.group(1)
                    columns = [c.strip().strip('"') for c in m.group(2).split(",")]
                continue
            if line == "\\.":
                table = None
                continue
            fields = line.split("\t")
            if len(fields) != len(columns):  # a row cut short where the archive ends early
                raise BadInput(_DAMAGED, file=str(archive))
            yield table, columns, [_field(f) for f in fields]
    finally:
        process.stdout.close()
        code = process.wait()
    if code != 0:
        raise BadInput(_DAMAGED, file=str(archive))


def _entry(columns: list[str], row: list) -> tuple:
    entry = [row[columns.index(c)] for c in _AUDIT_COLUMNS]
    entry[0] = int(entry[0])
    entry[5] = int(entry[5]) if entry[5] is not None else None
    return tuple(entry)


class _Chain:
    """The audit chain recomputed entry by entry, in id order."""

    def __init__(self) -> None:
        self.prev, self.head_id, self.entries = GENESIS, 0, 0
        self.broken: int | None = None
        self.unordered = False

    def add(self, entry: tuple) -> None:
        if self.broken is not None or self.unordered:
            return
        if entry[0] <= self.head_id:
            self.unordered = True
        elif entry[8] != self.prev or not entry_matches(entry):
            self.broken = entry[0]
        else:
            self.prev, self.head_id = entry[9], entry[0]
            self.entries += 1


def read_archive_facts(archive: Path) -> StoreFacts:
    """Schema version, store id, row counts and the audit chain verified in full, read from
    a pg_dump archive; BadInput (naming the file) for anything that is not a whole clerkapp
    store with an unbroken chain, or one written by a newer clerkapp."""
    if not archive.is_file():
        raise BadInput("no such file", file=str(archive))
    listed = {line.split()[-2] for line in _listing(archive, "TABLE DATA")}
    if "audit_log" not in listed or "clerkapp_schema" not in listed:
        raise BadInput("not a clerkapp store (no schema, no audit log)", file=str(archive))
    version, uid = 0, ""
    counts = {t: 0 for t in WORK_TABLES if t in listed}
    chain = _Chain()
    wanted = ["clerkapp_schema", "settings", *counts]
    for table, columns, row in _copy_rows(archive, list(dict.fromkeys(wanted))):
        if table == "clerkapp_schema":
            version = max(version, int(row[columns.index("version")] or 0))
        elif table == "settings" and row[columns.index("key")] == "store.uid":
            uid = str(row[columns.index("value")] or "").strip('"')
        if table in counts:
            counts[table] += 1
        if table == "audit_log":
            chain.add(_entry(columns, row))
    if chain.unordered:  # not in id order in the archive: verified again, sorted
        chain = _Chain()
        rows = [_entry(c, r) for _t, c, r in _copy_rows(archive, ["audit_log"])]
        for entry in sorted(rows, key=lambda e: e[0]):
            chain.add(entry)
    broken, head_id, prev, entries = chain.broken, chain.head_id, chain.prev, chain.entries
    if version > len(MIGRATIONS):
        raise BadInput(f"written by a newer clerkapp (schema {version}; this one knows up"
                       f" to {len(MIGRATIONS)}): restore it with that version", file=str(archive))
    if broken is not None:
        raise BadInput(f"its audit log is broken at entry #{broken} (edited, inserted or"
                       " deleted): not restored", file=str(archive))
    return StoreFacts(archive, version, uid, head_id, prev, entries, counts)


# how long a restore waits for connections that are closing to be gone (see other_sessions)
CLOSING_S = 5.0


def other_sessions(raw, *, settle_s: float = 0.0) -> int:
    """Connections to this database other than ours (clerks' windows, tools). A connection
    closed just before (the window's own as its restore begins, a command's) stays listed
    until its server process has ended, a moment later: with `settle_s` the count is asked
    again until it is 0 or that long has passed (`raw` is in autocommit: each ask is a new
    snapshot of pg_stat_activity)."""
    deadline = time.monotonic() + settle_s
    while True:
        count = int(raw.execute(
            "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'").fetchone()[0])
        if not count or time.monotonic() >= deadline:
            return count
        time.sleep(0.05)
