"""A large first import into an empty store is written with SQLite's rollback journal
(store/first_import.py): the same store as through the write-ahead log, whole or nothing
(a failure, a crash), write-ahead mode again afterwards, and never while anyone else has the
store open."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clerkapp.ingest.service import import_files
from clerkapp.store import Store, first_import
from tests.ingest.test_import_service import doj_rows, fail_on_batch, write_doj

# SQLite's journal modes; PostgreSQL has none to choose
sqlite_only = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
REPO = Path(__file__).resolve().parents[2]
TABLES = ("source_rows", "people", "person_events", "cases", "convictions", "import_errors")


@pytest.fixture
def direct(monkeypatch) -> None:
    """Any file is large enough (the tests' files are a few kB)."""
    monkeypatch.setattr(first_import, "DIRECT_WRITE_BYTES", 0)


def modes_while_writing(monkeypatch, store) -> list[str]:
    """The journal mode each batch is written in."""
    real_write = type(store).write_flat
    seen: list[str] = []

    def write(self, writer, batch):
        seen.append(self.conn.execute("PRAGMA journal_mode").fetchone()[0])
        real_write(self, writer, batch)

    monkeypatch.setattr(type(store), "write_flat", write)
    return seen


def contents(store) -> str:
    digest = hashlib.sha256()
    for table in TABLES:
        for row in store.conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def settled(store) -> tuple[str, int, int]:
    return (store.conn.execute("PRAGMA journal_mode").fetchone()[0],
            store.conn.execute("PRAGMA synchronous").fetchone()[0],
            store.conn.execute("PRAGMA busy_timeout").fetchone()[0])


@sqlite_only
def test_a_first_import_skips_the_log_and_writes_the_same_store(tmp_path, store, direct,
                                                                monkeypatch):
    path = write_doj(tmp_path / "d.csv", doj_rows(30))
    before = settled(store)
    seen = modes_while_writing(monkeypatch, store)
    import_files(store, [path])
    assert seen and set(seen) == {"delete"}
    assert settled(store) == before == ("wal", 1, 30000)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not Path(f"{store.path}-journal").exists()
    with Store(tmp_path / "through-the-log.db") as other:
        other_seen = modes_while_writing(monkeypatch, other)
        monkeypatch.setattr(first_import, "DIRECT_WRITE_BYTES", 1 << 40)
        import_files(other, [path])
        assert set(other_seen) == {"wal"}
        assert contents(other) == contents(store)


@sqlite_only
def test_a_second_import_writes_through_the_log(tmp_path, store, direct, monkeypatch):
    import_files(store, [write_doj(tmp_path / "a.csv", doj_rows(3))])
    seen = modes_while_writing(monkeypatch, store)
    import_files(store, [write_doj(tmp_path / "b.csv", doj_rows(20)[6:])])
    assert seen and set(seen) == {"wal"}


@sqlite_only
def test_a_store_someone_else_has_open_is_written_through_the_log(tmp_path, store, direct,
                                                                   monkeypatch):
    """A window, a background job or another program reading the store: the import neither
    waits for them nor shuts them out."""
    with Store(store.path) as window:
        assert window.table_counts()["people"] == 0
        seen = modes_while_writing(monkeypatch, store)
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(10))])
        assert seen and set(seen) == {"wal"}
        assert window.table_counts()["people"] == 10


@sqlite_only
def test_a_failed_first_import_leaves_the_empty_store_in_write_ahead_mode(
        tmp_path, store, direct, monkeypatch):
    before = settled(store)
    calls = fail_on_batch(monkeypatch, store, 3)
    with pytest.raises(OSError):
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(10))])
    assert len(calls) == 3
    assert settled(store) == before
    counts = store.table_counts()
    assert counts["people"] == counts["source_rows"] == counts["convictions"] == 0
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not Path(f"{store.path}-journal").exists()


CRASH = """
import os, sys
from clerkapp.ingest import service
from clerkapp.ingest.service import import_files
from clerkapp.store import Store, first_import, imports
first_import.DIRECT_WRITE_BYTES = 0
service.BATCH_SIZE = 4
imports.IMPORT_CACHE_KIB = 16  # a tiny cache: the batches reach the file before the crash
store = Store(sys.argv[1])
real_write = imports.ImportStore.write_flat
calls = []
def write(self, writer, batch):
    calls.append(1)
    if len(calls) == 40:
        os._exit(9)  # the power cut: no rollback, no cleanup
    real_write(self, writer, batch)
imports.ImportStore.write_flat = write
import_files(store, [sys.argv[2]])
"""


def test_a_crash_mid_import_leaves_nothing_once_the_store_opens_again(tmp_path):
    db = tmp_path / "clerk.db"
    Store(db).close()
    path = write_doj(tmp_path / "d.csv", doj_rows(200))
    done = subprocess.run([sys.executable, "-c", CRASH, str(db), str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    assert Path(f"{db}-journal").exists()  # a hot journal: the import was cut off mid-way
    assert db.stat().st_size > 100_000  # and its pages had reached the file
    with Store(db) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = store.table_counts()
        assert counts["people"] == 0 and counts["source_rows"] == 0
        assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
        import_files(store, [path])  # and the file imports whole afterwards
        assert store.table_counts()["people"] == 200
    assert not Path(f"{db}-journal").exists()


@sqlite_only
def test_a_program_opening_the_store_meanwhile_waits_and_sees_the_whole_import(
        tmp_path, store, direct, monkeypatch):
    """Instead of the empty store it would read through the log, another program sees the
    import once it has landed, and the store is in write-ahead mode for both."""
    seen = modes_while_writing(monkeypatch, store)
    opened: list[tuple[int, str]] = []
    started = threading.Event()

    def other_program() -> None:
        started.set()
        with Store(store.path) as other:
            opened.append((other.table_counts()["people"],
                           other.conn.execute("PRAGMA journal_mode").fetchone()[0]))

    real_write = type(store).write_flat
    thread = threading.Thread(target=other_program)

    def write(self, writer, batch):
        real_write(self, writer, batch)
        if len(seen) == 2:
            thread.start()
            started.wait()

    monkeypatch.setattr(type(store), "write_flat", write)
    monkeypatch.setattr("clerkapp.ingest.service.BATCH_SIZE", 4)
    import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(30))])
    thread.join(60)
    assert set(seen) == {"delete"}
    assert opened == [(30, "wal")]
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
