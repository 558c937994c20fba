"""The store's own floor: SQLite alone writing what `process` leaves in the store.

    .venv/bin/python bench/store_floor.py STORE.db [--keep-copy]

Copies the tables an import and an evaluation write (people with their name search, every
row verbatim, cases, convictions, history events, determinations) of an evaluated store into an empty file with one
`INSERT ... SELECT` each (no Python per row: SQLite's C code alone), builds their indexes and
commits, in write-ahead-log mode as the store runs. It prints each step's time. Whatever
clerkapp does to read, build and decide, writing the same store cannot take less than this;
`bench_vs_gogen.py` runs it on the store `process` left, in the same run as gogen.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

# what `process` writes: the import's tables, then the evaluation's determinations
JOB_TABLES = ("people", "source_rows", "cases", "convictions", "person_events",
              "determinations")


def job_schema(source: sqlite3.Connection) -> tuple[list[str], list[tuple[str, str]]]:
    """The CREATE statements of the job's tables (the name search and the triggers that fill
    it among them; other triggers guard tables this copy leaves out) and, apart, their
    indexes, read from the store itself."""
    tables, indexes = [], []
    names = ",".join(f"'{t}'" for t in JOB_TABLES)
    for name, kind, sql in source.execute(
        "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL AND"
        f" (tbl_name IN ({names}) OR name = 'people_fts') ORDER BY rowid"
    ):
        if kind == "index":
            indexes.append((name, sql))
        elif kind == "table" and not name.startswith("people_fts_"):
            tables.append(sql)
        elif kind == "trigger" and name.startswith("people_fts_"):  # the name search's own
            tables.append(sql)
    return tables, indexes


def store_floor(store: Path, target: Path) -> dict[str, float]:
    """Write the job's tables of `store` into a new file at `target`; seconds by step."""
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True) as source:
        tables, indexes = job_schema(source)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA cache_size = -65536")
    for sql in tables:
        conn.execute(sql)
    conn.execute("ATTACH ? AS source", (f"file:{store}?mode=ro",))
    times: dict[str, float] = {}
    start = time.perf_counter()
    conn.execute("BEGIN")
    for table in JOB_TABLES:
        began = time.perf_counter()
        columns = ", ".join(f'"{row[1]}"' for row in conn.execute(
            f"PRAGMA source.table_info({table})"))  # generated columns are not written
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM source.{table}")
        times[f"rows: {table}"] = time.perf_counter() - began
    began = time.perf_counter()
    for _name, sql in indexes:
        conn.execute(sql)
    times["indexes"] = time.perf_counter() - began
    began = time.perf_counter()
    conn.execute("COMMIT")
    times["commit"] = time.perf_counter() - began
    times["total"] = time.perf_counter() - start
    conn.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="store-floor-") as folder:
        cpu = time.process_time()
        times = store_floor(args.store, Path(folder) / "floor.db")
        cpu = time.process_time() - cpu
    for step, seconds in times.items():
        print(f"  {step:<24}{seconds:>7.2f} s")
    print(f"  {'cpu':<24}{cpu:>7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
