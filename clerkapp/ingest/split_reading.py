"""Reading a large DOJ text file with two processes at once, while this one writes.

Parsing and building the records is the slowest stage of an import of a large file: one
reading process keeps a core busy while the writer uses half of the other. So a large
comma-separated DOJ file is read by two processes, each taking every other byte range of it
(`clerkapp.ingest.doj_ranges`: every range begins where a person begins), and the importer
takes their batches range by range in file order: the rows, people, cases and row errors
come out exactly as from one process, with the same ids.

Each process sends through a thread and a short queue, so it reads on into its next range
while the importer takes the other's; the queue bounds the memory. Where a range cannot be
read apart (a quoted line break, a damaged row), its process says up to which row the
batches it sent reach, and the rest of the file is read by one process from the file's
start (`doj_ranges.rows_after`), which reports a damaged row exactly as it always has. Any
other file, and a file of the usual kind that is not a DOJ file, is read by the first
process alone (the second ends at once).
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from clerkapp.errors import BadInput
from clerkapp.ingest import doj, doj_ranges
from clerkapp.ingest.doj_ranges import (
    LineCount,
    NotSplittable,
    RangePlan,
    RangeRows,
    read_range,
    splittable,
)
from clerkapp.ingest.doj_records import RecordBuilder
from clerkapp.ingest.file_facts import FileFacts, apply_file_facts
from clerkapp.ingest.reading import (
    BAD_INPUT,
    BATCH,
    DONE,
    FAILED,
    HEADER,
    FileHeader,
    ReaderFailed,
    WorkerReader,
    _header,
    _where,
    encode_message,
    open_parsed_file,
    send_batches,
    worker_setup,
)
from clerkapp.jobs import CancelToken
from clerkapp.store.flatten import FlatBatch, flatten

# Files of at least this size are read by two processes (when they are DOJ text files):
# below it a second process costs about what it saves. Tests set it low.
SPLIT_MIN_BYTES = 16 << 20
SPLIT_SUFFIXES = frozenset({".csv", ".dat", ".txt"})
RANGE_BYTES = doj_ranges.RANGE_BYTES  # tests set it low, for many ranges in a small file
OUTBOX_MESSAGES = 6  # messages a process may have ready: about one range and a half
RANGE_END, FALLBACK = "range_end", "fallback"


def splits(path: Path) -> bool:
    """A text file large enough to be read by two processes, if it is a DOJ file."""
    return path.suffix.lower() in SPLIT_SUFFIXES and os.path.getsize(path) >= SPLIT_MIN_BYTES


class Outbox:
    """Messages to the importer, sent by a thread from a queue of at most `size`: the process
    reads on while the importer takes the other process's range."""

    def __init__(self, conn: Any, size: int) -> None:
        self._conn = conn
        self._queue: queue.Queue[bytes | None] = queue.Queue(size)
        self.broken = False
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if not self.broken:
                try:
                    self._conn.send_bytes(data)
                except OSError:  # the importer stopped listening (cancelled, or failed)
                    self.broken = True

    def send(self, kind: str, payload: object) -> None:
        if self.broken:
            raise BrokenPipeError
        self._queue.put(encode_message(kind, payload))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()


def _open_second(path: Path, preset: str) -> doj.DojFile | None:
    """The file as the second process opens it: a DOJ file without counting its lines."""
    try:
        if preset == "doj":
            return doj.open_doj(path, scan=False)
        return doj.open_if_doj(path, scan=False) if preset == "auto" else None
    except BadInput:
        return None  # the first process reports it


def read_split_in_worker(conn: Any, path: str, preset: str, mapping: dict[str, str] | None,
                         sheet: str | None, batch_size: int, facts: FileFacts | None,
                         role: int, range_bytes: int, min_bytes: int) -> None:
    """Reading process `role` (0 or 1). The first sends the header and whether the file is
    read in ranges; if not, it reads the whole file as `read_in_worker` does."""
    worker_setup()
    outbox = Outbox(conn, OUTBOX_MESSAGES)
    send = outbox.send
    try:
        try:
            parsed = (open_parsed_file(Path(path), preset=preset, mapping=mapping, sheet=sheet)
                      if role == 0 else _open_second(Path(path), preset))
            split = (parsed is not None and splittable(parsed)
                     and os.path.getsize(path) >= min_bytes)
            if role == 0:
                send(HEADER, (_header(parsed), split))
            if split:
                _send_ranges(send, parsed, role, batch_size, facts, range_bytes)
            elif role == 0:
                send_batches(send, parsed.batches(batch_size), facts)
                send(DONE, None)
        except BadInput as e:
            send(BAD_INPUT, (type(e).__name__, e.detail, e.file, e.row, e.column))
        except (BrokenPipeError, EOFError):
            return
        except Exception as e:  # noqa: BLE001 - a bug: reported to the importer, not lost
            send(FAILED, _where(e))
    except (BrokenPipeError, EOFError, OSError):
        return
    finally:
        outbox.close()
        conn.close()


def _send_ranges(send: Any, parsed: doj.DojFile, role: int, batch_size: int,
                 facts: FileFacts | None, range_bytes: int) -> None:
    """Ranges role, role + 2, ...: each one's batches, then RANGE_END; DONE past the end;
    FALLBACK with the last row sent where a range cannot be read apart."""
    plan = RangePlan(parsed, range_bytes)
    count = LineCount(parsed.path)
    # the first process looked at the whole file's bytes (`_scan`): when they are plain, so
    # is each range's; otherwise, and in the second process, each range is looked at
    plain = True if parsed.plain else None
    builder = RecordBuilder(parsed.bear_columns)  # one for all ranges: its caches fill once
    try:
        for k in itertools.count(role, 2):
            last: int | None = None
            try:
                start = plan.start(k)
                if start >= plan.size:
                    send(DONE, None)
                    return
                last = count.before(start)  # every line before it is one row
                end = plan.start(k + 1)
                rows = RangeRows(parsed, read_range(parsed.path, start, end), start, last + 1,
                                 plain)
                for batch in parsed.batches(batch_size, chunks=iter(rows), builder=builder):
                    send(BATCH, flatten(apply_file_facts(batch, facts)))
                    last = batch.rows[-1][0]
            except (NotSplittable, BadInput):
                send(FALLBACK, last)
                return
            count.passed(end, rows.breaks)
            send(RANGE_END, k)
    finally:
        plan.close()
        count.close()


# the function each of the two processes runs: tests point it at a wrapper
SPLIT_TARGET = read_split_in_worker


class SplitReader:
    """Reads the file in two worker processes started at once (`read_split_in_worker`);
    `header` and iterating wait for them, looking at the cancel token while they wait."""

    def __init__(self, path: Path, *, preset: str, mapping: Mapping[str, str] | None,
                 sheet: str | None, batch_size: int, cancel: CancelToken | None,
                 facts: FileFacts | None = None) -> None:
        self._path = path
        self._options: dict[str, Any] = {
            "preset": preset, "mapping": mapping, "sheet": sheet, "batch_size": batch_size,
            "cancel": cancel, "facts": facts}
        self._workers: list[WorkerReader] = []
        self._rest: WorkerReader | None = None
        self._header: FileHeader | None = None
        self._split = False
        try:
            for role in (0, 1):
                self._workers.append(WorkerReader(
                    path, **self._options, target=SPLIT_TARGET,
                    more=(role, RANGE_BYTES, SPLIT_MIN_BYTES)))
        except BaseException:
            self.close()
            raise

    @property
    def header(self) -> FileHeader:
        if self._header is None:
            first = self._workers[0]
            kind, payload = first._receive()
            if kind != HEADER:
                raise ReaderFailed(f"the reading process sent {kind!r} before the header")
            first._header, self._split = payload
            if not self._split:
                self._workers[1].close()
            self._header = first._header
        return self._header

    def __iter__(self) -> Iterator[FlatBatch]:
        self.header  # noqa: B018 - waits for it
        if not self._split:
            yield from self._workers[0]
            return
        k = 0
        while True:
            kind, payload = self._workers[k % 2]._receive()
            if kind == BATCH:
                yield payload
            elif kind == RANGE_END and payload == k:
                k += 1
            elif kind == DONE:
                for worker in self._workers:
                    worker._finished = True
                return
            elif kind == FALLBACK:
                yield from self._rest_of_file(payload)
                return
            else:
                raise ReaderFailed(f"a reading process sent {kind!r} out of turn")

    def _rest_of_file(self, last: int | None) -> Iterator[FlatBatch]:
        """The rows after row `last` read by one process, from the file's start."""
        if last is None:
            raise ReaderFailed("a reading process lost its place in the file")
        for worker in self._workers:
            worker.close()
        self._rest = WorkerReader(self._path, **self._options, more=(last,))
        self._rest.header  # noqa: B018 - the same header, sent first
        yield from self._rest

    def close(self) -> None:
        for worker in [*self._workers, *([self._rest] if self._rest else [])]:
            worker.close()
