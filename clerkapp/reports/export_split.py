"""A county's csv export written by two processes, each a share of the convictions by id.

Writing the export is Python holding the GIL, one core per process; the machine has two.
The later share is written by a second process (`spawn`, as on Windows; the frozen build's
entry points call `multiprocessing.freeze_support`) into a temporary file named like the
export's own (`.clerkapp-<token>-N-2.part`: a crash leaves nothing a later run does not
clean), then appended to the first share, the file hashed as it is written (its record's
sha256: not read back after). The second process runs the store's own statement for its
share on a read-only connection to the store file, without opening the Store (a quicker
start); each reads on its own connection: if
anything committed a change while they read (SQLite's data_version moved), or the second
process failed, the whole export is written again here, so the file is always one state of
the store. Small exports, and stores without a data version (PostgreSQL), are written by
this process alone.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from clerkapp.files.hashing import HashingFile
from clerkapp.jobs import BULK_GC_THRESHOLD
from clerkapp.reports.export_cells import EXPORT_COLUMNS, export_columns
from clerkapp.reports.export_csv import write_csv_to

# conviction ids spanned: with fewer, starting a process (a new Python, the store file
# opened) costs more than the second core saves
SPLIT_FROM = 150_000
# the second process starts later (a new Python, the store file opened), so it takes
# the smaller share; measured: with 0.58 it ended a sixth before this one, which then also
# appends its share
FIRST_SHARE = 0.55


@dataclass(frozen=True)
class WrittenExport:
    """What was written: the rows, and the file's sha256 and size (hashed as written)."""

    rows: int
    sha256: str
    size: int


def write_export_csv(store, path: Path, *, status: str | None = None,
                     split_from: int = SPLIT_FROM) -> WrittenExport:
    """Every conviction (or those of review `status`) as the export's csv at `path`."""
    low, high = store.conviction_id_span()
    marker = store.data_version()
    if marker is None or high - low < split_from:
        return _write_whole(store, path, status)
    cut = low + int((high - low) * FIRST_SHARE)
    part = path.with_name(f"{path.stem}-2{path.suffix}")
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            sql, params = store.export_sql(status=status, after=cut, packed=True)
            later = pool.submit(_share_process, str(store.path), sql, params, str(part))
            with HashingFile(path) as out:
                count = _write_share(store, out, status, upto=cut)
                theirs = _result(later)
                if theirs is not None and store.data_version() == marker:
                    with part.open("rb") as share:
                        while chunk := share.read(1 << 20):
                            out.write(chunk)
                    return WrittenExport(count + theirs, out.sha256, out.size)
        return _write_whole(store, path, status)  # the whole export, from one state
    finally:
        part.unlink(missing_ok=True)


def _write_whole(store, path: Path, status: str | None) -> WrittenExport:
    with HashingFile(path) as out:
        count = _write_share(store, out, status)
    return WrittenExport(count, out.sha256, out.size)


def _result(later: Future) -> int | None:
    """The second process's row count; None when it failed or could not start."""
    try:
        return later.result()
    except Exception:  # noqa: BLE001 - a broken pool, a failed start: written here instead
        return None


def _write_share(store, out: BinaryIO | HashingFile, status: str | None, *,
                 upto: int | None = None) -> int:
    names, rows = store.export_tuples(status=status, upto=upto, packed=True)
    return write_csv_to(out, EXPORT_COLUMNS, export_columns(names, rows, as_text=False))


def _share_process(target: str, sql: str, params: dict[str, Any], part: str) -> int | None:
    """The second process: the rows of the store's `sql` (the convictions after the first
    share) into `part`; None if it failed (the first process then writes them; no message
    is passed on, it could quote a record)."""
    from clerkapp.lifeline import exit_with_parent

    exit_with_parent()
    gc.set_threshold(*BULK_GC_THRESHOLD)  # as the first share's process (`export_rows`)
    try:
        from clerkapp.store.export_reader import read_only_rows

        with read_only_rows(target, sql, params) as (names, rows), Path(part).open("wb") as out:
            return write_csv_to(out, EXPORT_COLUMNS, export_columns(names, rows, as_text=False),
                                share=True)
    except Exception:  # noqa: BLE001 - any failure: the first process writes this share
        return None
