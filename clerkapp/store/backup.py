"""Copying a SQLite store whole, and reading what a copy holds, for `clerkapp backup/restore`.

Copies use SQLite's online backup API: a consistent snapshot of a store other clerkapp windows
may be writing (the copy restarts if they commit meanwhile), write-ahead log included. A copy
is left as one self-contained file (journal mode DELETE). The SQL of backup and restore lives
here; `clerkapp.backup` decides what to check and in which order.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clerkapp.errors import BadInput, StoreLocked
from clerkapp.store.audit import first_broken
from clerkapp.store.migrations import MIGRATIONS

PAGES_PER_STEP = 4096  # 16 MiB at SQLite's default page size: progress about every 0.1 s
# what a store with work in it holds: any of these rows makes it "not empty"
WORK_TABLES = ("imports", "convictions", "reviews", "orders", "audit_log")


@dataclass(frozen=True)
class StoreFacts:
    """What a store file holds, read without changing it."""

    path: Path
    schema_version: int
    uid: str
    head_id: int  # the last audit entry (0: none)
    head_hash: str
    entries: int  # audit entries verified
    counts: dict[str, int]

    def head(self) -> str:
        return f"#{self.head_id} {self.head_hash[:16]}"

    @property
    def empty(self) -> bool:
        return not any(self.counts.get(t, 0) for t in WORK_TABLES)


def _connect(path: Path, *, timeout: float = 5.0) -> sqlite3.Connection:
    return sqlite3.connect(str(path), isolation_level=None, timeout=timeout)


def copy_store(source: Path, dest: Path,
               step: Callable[[int, int], None] | None = None) -> None:
    """Copy the store at `source` to a new file `dest` with the online backup API, then make
    the copy one self-contained file. `step(done_pages, total_pages)` may raise to stop (the
    partial `dest` is removed)."""
    if not source.is_file():  # connecting would create an empty database there
        raise BadInput("no such file", file=str(source))
    src = _connect(source)
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        dst = _connect(dest)
        try:
            def progress(_status: int, remaining: int, total: int) -> None:
                if step is not None:
                    step(total - remaining, total)

            try:
                src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):  # locked, disk full: as is
                    raise
                raise BadInput(f"not a clerkapp store ({exc})", file=str(source)) from None
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    except BaseException:
        for leftover in (dest, Path(f"{dest}-journal"), Path(f"{dest}-wal"), Path(f"{dest}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    finally:
        src.close()


def read_facts(path: Path) -> StoreFacts:
    """Schema version, store id, row counts and the audit chain of a store file, verified in
    full from its first entry; BadInput (naming the file) for anything that is not a whole
    clerkapp store with an unbroken chain, or one written by a newer clerkapp."""
    if not path.is_file():
        raise BadInput("no such file", file=str(path))
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master"
                                                 " WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BadInput(f"not a clerkapp store ({exc})", file=str(path)) from None
        if check != "ok":
            raise BadInput(f"the file is damaged (SQLite: {check})", file=str(path))
        if version > len(MIGRATIONS):
            raise BadInput(f"written by a newer clerkapp (schema {version}; this one knows up"
                           f" to {len(MIGRATIONS)}): restore it with that version",
                           file=str(path))
        if version == 0 or "audit_log" not in tables:
            raise BadInput("not a clerkapp store (no schema, no audit log)", file=str(path))
        broken, head_id, head_hash, entries = first_broken(conn)
        if broken is not None:
            raise BadInput(f"its audit log is broken at entry #{broken} (edited, inserted or"
                           " deleted): not restored", file=str(path))
        row = conn.execute("SELECT value FROM settings WHERE key = 'store.uid'").fetchone() \
            if "settings" in tables else None
        counts = {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                  for t in WORK_TABLES if t in tables}
        uid = str(row[0]).strip('"') if row else ""
        return StoreFacts(path, version, uid, head_id, head_hash, entries, counts)
    finally:
        conn.close()


def refuse_if_in_use(path: Path) -> None:
    """StoreLocked when another program has the store open. SQLite lets a store leave WAL
    mode only when no other connection has it open, so trying (and going back) tells."""
    conn = _connect(path, timeout=0)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreLocked(f"{path}: the store is open in another clerkapp window or"
                                  " program: close it first") from None
            return  # not a database: nobody has it open as one
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            raise StoreLocked(f"{path}: the store is open in another clerkapp window or program:"
                              " close it first") from None
        conn.execute(f"PRAGMA journal_mode = {mode}")
    finally:
        conn.close()


def overwrite_store(source: Path, target: Path,
                    step: Callable[[int, int], None] | None = None) -> None:
    """Replace the content of the store at `target` by the store at `source`, in one step
    under SQLite's lock (the backup API writing into the target)."""
    src = _connect(source)
    dst = _connect(target, timeout=0)
    try:
        def progress(_status: int, remaining: int, total: int) -> None:
            if step is not None:
                step(total - remaining, total)

        src.backup(dst, pages=PAGES_PER_STEP, progress=progress)
        dst.execute("PRAGMA journal_mode = WAL")
    finally:
        dst.close()
        src.close()


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted (some tables have no rowid), for comparing a restored
    store with its backup."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
    finally:
        conn.close()
