"""The writing side of an import alone: a file's flat batches, read once and kept as the
bytes the reading process sends, written into a fresh store as `import_files` writes them,
with the CPU and wall seconds of each phase (receiving, writing the batches, the tail after
the last batch statement by statement, the commit, the checkpoint). The floor beside it:
the same rows' cells, as the store keeps them, inserted into one SQLite table with
`executemany` in one transaction.

    python bench/bench_import_write.py FILE [--cache DIR] [--engine sqlite|URL]

The batches are read once per file and kept in DIR (default: a folder in the temporary
directory keyed by the file's name, size and the code that flattens them). Columns: CPU
seconds of the process (all its threads), of the writing thread alone (what the next step
waits for when the machine has a core free), and wall seconds (the machine is shared: compare
CPU). `BENCH_JOURNAL=truncate` tries another journal mode.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import struct
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from clerkapp.ingest.reading import (  # noqa: E402
    BATCH,
    HEADER,
    LocalReader,
    decode_message,
    encode_message,
)
from clerkapp.jobs import bulk_gc  # noqa: E402

BATCH_SIZE = 5000


def _code_stamp() -> str:
    """What the cached batches depend on: the code that parses and flattens them."""
    digest = hashlib.sha256()
    for module in ("ingest/doj.py", "ingest/doj_records.py", "ingest/doj_convictions.py",
                   "ingest/doj_cells.py", "ingest/doj_columns.py", "ingest/doj_readings.py",
                   "store/flatten.py", "ingest/reading.py"):
        path = HERE.parent / "clerkapp" / module
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cached_batches(path: Path, cache: Path) -> Path:
    """The file's messages (header, then batches), each length-prefixed, in one file."""
    stat = path.stat()
    out = cache / f"{path.stem}-{stat.st_size}-{_code_stamp()}.msgs"
    if out.exists():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    reader = LocalReader(path, preset="doj", mapping=None, sheet=None, batch_size=BATCH_SIZE)
    part = out.with_suffix(".part")
    with part.open("wb") as handle, bulk_gc():
        for data in [encode_message(HEADER, reader.header)]:
            handle.write(struct.pack("<Q", len(data)) + data)
        for flat in reader:
            data = encode_message(BATCH, flat)
            handle.write(struct.pack("<Q", len(data)) + data)
    part.rename(out)
    print(f"read and flattened {path.name} once in {time.perf_counter() - start:.1f} s"
          f" -> {out}", flush=True)
    return out


def load_messages(msgs: Path) -> list[bytes]:
    data = msgs.read_bytes()
    out, at = [], 0
    while at < len(data):
        (n,) = struct.unpack_from("<Q", data, at)
        out.append(data[at + 8:at + 8 + n])
        at += 8 + n
    return out


class Clock:
    """CPU and wall seconds per phase."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.main: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.order: list[str] = []
        self._mark = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float]:
        """CPU of the whole process (SQLite's sorting threads, the background checkpoint),
        CPU of this thread alone (what the next step waits for when a core is free), wall."""
        mine = resource.getrusage(resource.RUSAGE_THREAD)
        return time.process_time(), mine.ru_utime + mine.ru_stime, time.perf_counter()

    def lap(self, phase: str) -> None:
        now = self._now()
        if phase not in self.cpu:
            self.order.append(phase)
        self.cpu[phase] += now[0] - self._mark[0]
        self.main[phase] += now[1] - self._mark[1]
        self.wall[phase] += now[2] - self._mark[2]
        self._mark = now

    def print(self, title: str) -> None:
        print(f"{title:<44}{'cpu s':>8}{'thread':>8}{'wall s':>8}")
        for phase in self.order:
            print(f"  {phase:<42}{self.cpu[phase]:>8.2f}{self.main[phase]:>8.2f}"
                  f"{self.wall[phase]:>8.2f}")
        print(f"  {'total':<42}{sum(self.cpu.values()):>8.2f}{sum(self.main.values()):>8.2f}"
              f"{sum(self.wall.values()):>8.2f}")


def tail_tracer(clock: Clock):
    """A trace callback timing each statement SQLite starts (a trigger's statements too):
    the time up to the next one is charged to it."""
    def trace(sql: str) -> None:
        clock.lap(current[0])
        current[0] = " ".join(sql.split())[:40]
    current = ["(python)"]
    return trace, current


def write(messages: list[bytes], target: str, path: Path) -> None:
    from clerkapp.store import Store

    store = Store(target)
    if os.environ.get("BENCH_JOURNAL"):
        store.conn.execute(f"PRAGMA journal_mode = {os.environ['BENCH_JOURNAL']}")
    clock = Clock()
    header = decode_message(messages[0])[1]
    sha = hashlib.sha256(str(time.time()).encode()).hexdigest()
    clock.lap("open the store")
    with bulk_gc(), store.bulk_import(path.stat().st_size), store.atomic(), store.bulk_writing():
        writer = store.begin_import(
            file_name=path.name, file_path=str(path), sha256=sha, size=path.stat().st_size,
            preset=header.preset, headers=header.headers, mapping=header.mapping,
            sheet=header.sheet, operator="bench", forced=False, source_kind="doj")
        clock.lap("begin_import")
        for data in messages[1:]:
            flat = decode_message(data)[1]
            clock.lap("receive (decode batches)")
            store.write_flat(writer, flat)
            clock.lap("write_flat")
        traced = store.engine == "sqlite"
        if traced:
            tail = Clock()
            trace, _ = tail_tracer(tail)
            store.conn.set_trace_callback(trace)
        store.finish_import(writer)
        clock.lap("finish_import")
        repeated = store.count_repeated_convictions(writer)
        store.audit("bench", "import", entity="import", entity_id=writer.import_id,
                    details={"rows": writer.rows, "repeated_convictions": repeated})
        clock.lap("count repeated + audit")
    clock.lap("commit (+ restore pragmas)")
    if traced:
        store.conn.set_trace_callback(None)
        tail.lap("(python)")
    checkpoint = store.checkpointing
    if checkpoint is not None:
        checkpoint.join()
    clock.lap("background checkpoint (joined)")
    store.close()
    clock.lap("close")
    print(f"{writer.rows} rows, {writer.convictions} convictions,"
          f" {len(writer.people_touched)} people")
    clock.print("writing phases")
    if traced:
        tail.print("the tail, statement by statement")


def floor(messages: list[bytes], folder: Path) -> None:
    import sqlite3

    rows = []
    for data in messages[1:]:
        flat = decode_message(data)[1]
        rows.extend(zip(flat.row_numbers, flat.row_values, strict=True))
    conn = sqlite3.connect(folder / "floor.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (row_number INTEGER, \"values\" TEXT)")
    cpu, wall = time.process_time(), time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    conn.execute("COMMIT")
    print(f"floor: executemany of the {len(rows)} rows' cells into one table:"
          f" {time.process_time() - cpu:.2f} cpu s, {time.perf_counter() - wall:.2f} wall s")
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "clerkapp-bench-write")
    parser.add_argument("--engine", default="sqlite",
                        help="sqlite (a fresh file), or a postgresql:// URL of an empty store")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--keep", type=Path, help="write the store here (kept) instead")
    args = parser.parse_args(argv)
    messages = load_messages(cached_batches(args.file, args.cache))
    print(f"clerkapp import writing benchmark: {args.file.name}, {len(messages) - 1} batches"
          f" (load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_floor:
            floor(messages, Path(tmp))
        folder = args.keep or Path(tmp)
        target = str(folder / "clerk.db") if args.engine == "sqlite" else args.engine
        write(messages, target, args.file)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
