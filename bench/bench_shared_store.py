"""Benchmark moving a store into PostgreSQL and back, and a shared store's backup and restore,
each beside a floor measured in the same run.

    .venv/bin/python bench/bench_shared_store.py [--convictions 200000]

Starts a throwaway PostgreSQL cluster (tests/pgcluster.py). Figures:
- `clerkapp migrate-store` SQLite -> PostgreSQL and back (one transaction, COPY, counts and
  audit chain verified, anchored, bindings checked); floor: reading every row of the source;
- `clerkapp backup` of the shared store (pg_dump -Fc, the archive read back and its chain
  recomputed) beside a bare `pg_dump -Fc`;
- `clerkapp restore` into a fresh database (archive verified, pg_restore in one transaction,
  chain verified in the restored store) beside a bare `pg_restore`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import psycopg  # noqa: E402
from pgcluster import start_cluster  # noqa: E402

from bench.testdata import fill_queue_fast  # noqa: E402
from clerkapp.backup import backup_store, restore_store  # noqa: E402
from clerkapp.migrate_store import migrate_store  # noqa: E402
from clerkapp.store import Store  # noqa: E402
from clerkapp.store.pg.dump import tool  # noqa: E402
from clerkapp.store.transfer import copy_order  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def read_everything(path: Path) -> int:
    with Store(path) as store:
        rows = 0
        for table in copy_order(store):
            cursor = store.conn.execute(f'SELECT * FROM "{table}"')
            while batch := cursor.fetchmany(5000):
                rows += len(batch)
        return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--convictions", type=int, default=200_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-bench-shared-"))
    os.environ.setdefault("CLERKAPP_ANCHORS", str(folder / "anchors"))
    cluster = start_cluster()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            for name in ("shared", "fresh", "bare"):
                conn.execute(f"CREATE DATABASE {name}")
        db = folder / "clerk.db"
        with Store(db) as store:
            fill_queue_fast(store, args.convictions)
        floor, rows = timed(lambda: read_everything(db))
        into, summary = timed(lambda: migrate_store(db, cluster.url("shared")))
        back, _ = timed(lambda: migrate_store(cluster.url("shared"), folder / "back.db"))
        dump = folder / "bare.dump"
        bare_dump, _ = timed(lambda: subprocess.run(
            [str(tool("pg_dump")), "-Fc", "-f", str(dump), cluster.url("shared")], check=True))
        backup, _ = timed(lambda: backup_store(cluster.url("shared"), folder / "shared.dump"))
        bare_restore, _ = timed(lambda: subprocess.run(
            [str(tool("pg_restore")), "--no-owner", "--single-transaction", "-d",
             cluster.url("bare"), str(dump)], check=True))
        restore, _ = timed(lambda: restore_store(folder / "shared.dump", cluster.url("fresh")))
        print(f"{args.convictions:,} convictions: {rows:,} rows in {len(summary.tables)} tables,"
              f" store file {db.stat().st_size / 1e6:,.0f} MB")
        print(f"  floor: read every row of the file               {floor:7.2f} s")
        print(f"  migrate-store file -> PostgreSQL                {into:7.2f} s"
              f"  ({into / floor:.1f}x the floor, {rows / into:,.0f} rows/s)")
        print(f"  migrate-store PostgreSQL -> file                {back:7.2f} s"
              f"  ({back / floor:.1f}x the floor, {rows / back:,.0f} rows/s)")
        print(f"  floor: bare pg_dump -Fc                         {bare_dump:7.2f} s")
        print(f"  clerkapp backup (archive read back, verified)   {backup:7.2f} s"
              f"  ({backup / bare_dump:.1f}x the floor)")
        print(f"  floor: bare pg_restore --single-transaction     {bare_restore:7.2f} s")
        print(f"  clerkapp restore into a fresh database          {restore:7.2f} s"
              f"  ({restore / bare_restore:.1f}x the floor)")
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
