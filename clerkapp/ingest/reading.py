"""Reading a file for an import as flat batches, in this process or in a worker process.

Parsing a file and flattening its batches (`clerkapp.store.flatten`) is about half the work
of an import and needs no database, so a large file is read in a worker process while this
one writes: the two use two cores (threads would share one, under Python's GIL). The worker
is started with `spawn`, as a frozen Windows build must (the entry points call
`multiprocessing.freeze_support()`), and sends its batches through a pipe that holds little:
it waits while the writer catches up, so memory stays flat however large the file. A small
file is read here, through the same code, since starting a process would cost more than it
saves.

What can go wrong in the worker reaches the caller as it would have here: a `BadInput`
is rebuilt from its fields (same message, file, row and column); anything else, or the
worker dying, becomes `ReaderFailed` naming only the exception's type and where it was
raised (never its message, which could hold a name or a date of birth). A cancel, or any
failure in the writer, ends the worker.
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from clerkapp import errors
from clerkapp.domain.records import ParsedBatch
from clerkapp.errors import BadInput
from clerkapp.ingest.base import ParsedFile
from clerkapp.ingest.file_facts import FileFacts, apply_file_facts
from clerkapp.ingest.pipe_bytes import receive_bytes
from clerkapp.ingest.textfile import check_file
from clerkapp.jobs import BULK_GC_THRESHOLD, CancelToken, check
from clerkapp.store.flatten import FlatBatch, flatten

if TYPE_CHECKING:
    from clerkapp.ingest.split_reading import SplitReader

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".dat", ".txt"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
# Files of at least this size are read in a worker process; smaller ones here (starting the
# worker takes 0.1-0.4 s). Tests set it to 0 or to a huge value to force a path.
WORKER_MIN_BYTES = 4 << 20
# A workbook counts double: zipped, it holds two to three times the rows of a text file of its
# size, and reading one is slower, so the worker pays off from about 2 MB (measured).
WORKBOOK_WEIGHT = 2
POLL_SECONDS = 0.1  # how often a wait for the worker looks at the cancel token
JOIN_SECONDS = 5.0  # how long a stopped worker may take to end before it is killed

# messages from the worker: (kind, payload)
HEADER, BATCH, DONE, BAD_INPUT, FAILED = "header", "batch", "done", "bad_input", "failed"


class ReaderFailed(RuntimeError):
    """Reading the file failed in the worker process other than with BadInput: a bug, or the
    process was ended from outside. Nothing of the file was imported."""


class FileHeader(NamedTuple):
    """What the import records about the file before its rows."""

    preset: str
    headers: list[str]
    mapping: dict[str, str]
    sheet: str | None
    total_rows: int | None


def check_readable(path: Path) -> None:
    """One clear line for a file that cannot be imported as it is, before anything reads its
    rows or hashes it (clerkapp.ingest.textfile.check_file)."""
    check_file(path)
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise BadInput(
            f"unsupported file type {path.suffix or '(none)'}: expected .csv, .dat or .xlsx",
            file=str(path),
        )


def open_parsed_file(
    path: Path, *, preset: str = "auto", mapping: Mapping[str, str] | None = None,
    sheet: str | None = None, scan: bool = True,
) -> ParsedFile:
    """Open a file with the parser its layout calls for (`auto` detects DOJ/BEAR files).
    `scan=False`: a DOJ file's lines are not counted (`clerkapp.ingest.doj.open_doj`)."""
    from clerkapp.ingest import doj, sheets

    path = Path(path)
    check_readable(path)
    if preset not in {"auto", "doj", "generic"}:
        raise BadInput(f"unknown preset {preset!r}: use auto, doj or generic", file=str(path))
    # a research file re-saved in Excel is still a DOJ file: the header decides, not the suffix
    if preset == "doj":
        return doj.open_doj(path, scan=scan)
    if preset == "auto" and (opened := doj.open_if_doj(path, scan=scan)) is not None:
        return opened
    return sheets.open_sheet(path, mapping=mapping, sheet=sheet)


def _header(parsed: ParsedFile) -> FileHeader:
    return FileHeader(parsed.preset, list(parsed.headers), dict(parsed.mapping), parsed.sheet,
                      parsed.total_rows)


# -- reading here ------------------------------------------------------------------------------

class LocalReader:
    """Reads and flattens the file in this process."""

    def __init__(self, path: Path, *, preset: str, mapping: Mapping[str, str] | None,
                 sheet: str | None, batch_size: int, facts: FileFacts | None = None) -> None:
        self._parsed = open_parsed_file(path, preset=preset, mapping=mapping, sheet=sheet)
        self.header = _header(self._parsed)
        self._batch_size = batch_size
        self._facts = facts

    def __iter__(self) -> Iterator[FlatBatch]:
        for batch in self._parsed.batches(self._batch_size):
            yield flatten(apply_file_facts(batch, self._facts))

    def close(self) -> None:
        pass


# -- reading in a worker process ---------------------------------------------------------------

def _where(exc: BaseException) -> str:
    """The exception's type and the innermost place it was raised: no message, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = frames[-1]
    return f"{type(exc).__name__} in {Path(last.filename).name}, line {last.lineno}"


def encode_message(kind: str, payload: object) -> bytes:
    """A message to the importer as bytes. A batch goes as `marshal` data (plain tuples,
    lists and texts: a third faster both ways than pickle; the two processes run the same
    Python), prefixed with one byte saying so; anything else, or a batch holding a value
    marshal cannot write, is pickled."""
    if kind == BATCH:
        try:
            return b"M" + marshal.dumps(tuple(payload))  # type: ignore[arg-type]
        except ValueError:
            pass
    return b"P" + pickle.dumps((kind, payload), pickle.HIGHEST_PROTOCOL)


def decode_message(data: bytes) -> tuple[str, Any]:
    if data[:1] == b"M":
        return BATCH, FlatBatch(*marshal.loads(memoryview(data)[1:]))
    return pickle.loads(memoryview(data)[1:])


def worker_setup() -> None:
    """What every reading process does first."""
    gc.set_threshold(*BULK_GC_THRESHOLD)
    # Ctrl-C in a terminal reaches the whole process group: the importer handles it (and ends
    # this process), so the worker does not print a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def send_batches(send: Any, batches: Iterator[ParsedBatch], facts: FileFacts | None) -> None:
    for batch in batches:
        send(BATCH, flatten(apply_file_facts(batch, facts)))


def read_in_worker(conn: Any, path: str, preset: str, mapping: dict[str, str] | None,
                   sheet: str | None, batch_size: int, facts: FileFacts | None = None,
                   skip_rows: int = 0) -> None:
    """The worker process: open, parse and flatten the file, sending each batch as it goes.
    `skip_rows`: the rows up to that row number were read already (by the two processes
    of `clerkapp.ingest.split_reading`, which then found they could not go on)."""
    worker_setup()

    def send(kind: str, payload: object) -> None:
        conn.send_bytes(encode_message(kind, payload))

    try:
        try:
            parsed = open_parsed_file(Path(path), preset=preset, mapping=mapping, sheet=sheet)
            send(HEADER, _header(parsed))
            if skip_rows:
                from clerkapp.ingest.doj_ranges import rows_after

                batches = parsed.batches(batch_size, chunks=rows_after(parsed, skip_rows))
            else:
                batches = parsed.batches(batch_size)
            send_batches(send, batches, facts)
        except BadInput as e:
            send(BAD_INPUT, (type(e).__name__, e.detail, e.file, e.row, e.column))
        except (BrokenPipeError, EOFError):
            return  # the importer stopped listening (cancelled, or failed writing)
        except Exception as e:  # noqa: BLE001 - a bug: reported to the importer, not lost
            send(FAILED, _where(e))
        else:
            send(DONE, None)
    except (BrokenPipeError, EOFError, OSError):
        return
    finally:
        conn.close()


# the function the worker runs: tests point it at a wrapper that fails on purpose
WORKER_TARGET = read_in_worker


def _bad_input(name: str, detail: str, file: str | None, row: int | None,
               column: str | None) -> BadInput:
    cls = getattr(errors, name, BadInput)
    if not (isinstance(cls, type) and issubclass(cls, BadInput)):
        cls = BadInput
    return cls(detail, file=file, row=row, column=column)


class WorkerReader:
    """Reads and flattens the file in a worker process, started at once; `header` and
    iterating wait for it (looking at the cancel token while they wait)."""

    def __init__(self, path: Path, *, preset: str, mapping: Mapping[str, str] | None,
                 sheet: str | None, batch_size: int, cancel: CancelToken | None,
                 facts: FileFacts | None = None, target: Any = None,
                 more: tuple[Any, ...] = ()) -> None:
        """`target` and `more`: another function for the worker to run (WORKER_TARGET), and
        the arguments it takes after the usual ones."""
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe(duplex=False)
        self._cancel = cancel
        self._process = ctx.Process(
            target=target or WORKER_TARGET, name="clerkapp-import-reader", daemon=True,
            args=(child, str(path), preset, dict(mapping) if mapping else None, sheet,
                  batch_size, facts, *more),
        )
        try:
            self._process.start()
        finally:
            child.close()  # the worker holds the only writing end: its end is our EOF
        self._header: FileHeader | None = None
        self._finished = False

    def _receive(self) -> tuple[str, Any]:
        """The worker's next message; Cancelled, BadInput or ReaderFailed instead when so."""
        while True:
            check(self._cancel)
            try:
                if self._conn.poll(POLL_SECONDS):
                    data = receive_bytes(self._conn)
                    break
            except (EOFError, OSError):
                self._process.join(JOIN_SECONDS)
                raise ReaderFailed(
                    "the process reading the file ended unexpectedly (exit code "
                    f"{self._process.exitcode}); nothing was imported") from None
            if not self._process.is_alive() and not self._conn.poll(0):
                raise ReaderFailed(
                    "the process reading the file ended unexpectedly (exit code "
                    f"{self._process.exitcode}); nothing was imported")
        kind, payload = decode_message(data)
        if kind == BAD_INPUT:
            self._finished = True
            raise _bad_input(*payload)
        if kind == FAILED:
            self._finished = True
            raise ReaderFailed(f"reading the file failed ({payload}); nothing was imported")
        return kind, payload

    @property
    def header(self) -> FileHeader:
        if self._header is None:
            kind, payload = self._receive()
            if kind != HEADER:
                raise ReaderFailed(f"the reading process sent {kind!r} before the header")
            self._header = payload
        return self._header

    def __iter__(self) -> Iterator[FlatBatch]:
        self.header  # noqa: B018 - waits for it
        while True:
            kind, payload = self._receive()
            if kind == DONE:
                self._finished = True
                return
            yield payload

    def close(self) -> None:
        """End the worker: it ends by itself once it has sent everything; otherwise (cancel,
        a failure in the writer) it is stopped."""
        process = self._process
        if process.pid is not None:
            if not self._finished:
                process.terminate()
            process.join(JOIN_SECONDS)
            if process.is_alive():
                process.kill()
                process.join(JOIN_SECONDS)
        self._conn.close()


def reads_in_worker(path: Path) -> bool:
    """A file of at least WORKER_MIN_BYTES (a workbook: half that) is read in a worker."""
    weight = WORKBOOK_WEIGHT if path.suffix.lower() in WORKBOOK_SUFFIXES else 1
    return os.path.getsize(path) * weight >= WORKER_MIN_BYTES


@contextmanager
def open_reader(path: Path, *, preset: str, mapping: Mapping[str, str] | None,
                sheet: str | None, batch_size: int, cancel: CancelToken | None = None,
                facts: FileFacts | None = None
                ) -> Iterator[LocalReader | WorkerReader | SplitReader]:
    """A reader of the file's header and flat batches: in two worker processes for a large
    text file (`clerkapp.ingest.split_reading`), in one for another large file
    (`reads_in_worker`), here for a smaller one. Leaving the block ends the workers."""
    from clerkapp.ingest.split_reading import SplitReader, splits

    path = Path(path)
    check_readable(path)
    reader: LocalReader | WorkerReader | SplitReader
    if splits(path):
        reader = SplitReader(path, preset=preset, mapping=mapping, sheet=sheet,
                             batch_size=batch_size, cancel=cancel, facts=facts)
    elif reads_in_worker(path):
        reader = WorkerReader(path, preset=preset, mapping=mapping, sheet=sheet,
                              batch_size=batch_size, cancel=cancel, facts=facts)
    else:
        reader = LocalReader(path, preset=preset, mapping=mapping, sheet=sheet,
                             batch_size=batch_size, facts=facts)
    try:
        yield reader
    finally:
        reader.close()
