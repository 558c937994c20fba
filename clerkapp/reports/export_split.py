"""A county's csv export written by two processes, each a share of the convictions by id.

Writing the export is Python holding the GIL, one core per process; the machine has two.
The later share is written by a second process (`spawn`, as on Windows; the frozen build's
entry points call `multiprocessing.freeze_support`) into a temporary file named like the
export's own (`.clerkapp-<token>-N-2.part`: a crash leaves nothing a later run does not
clean), then appended to the first share. Both read the store on their own connection: if
anything committed a change while they read (SQLite's data_version moved), or the second
process failed, the whole export is written again here, so the file is always one state of
the store. Small exports, and stores without a data version (PostgreSQL), are written by
this process alone.
"""

from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from clerkapp.reports.export_cells import EXPORT_COLUMNS, export_columns
from clerkapp.reports.export_csv import write_csv_columns

# conviction ids spanned: with fewer, starting a process (about 0.6 s of a core: a new
# Python, the store opened) costs more than the second core saves
SPLIT_FROM = 150_000
FIRST_SHARE = 0.58  # the second process starts later, so it takes the smaller share


def write_export_csv(store, path: Path, *, status: str | None = None,
                     split_from: int = SPLIT_FROM) -> int:
    """Every conviction (or those of review `status`) as the export's csv at `path`;
    returns the number of rows."""
    low, high = store.conviction_id_span()
    marker = store.data_version()
    if marker is None or high - low < split_from:
        return _write_share(store, path, status)
    cut = low + int((high - low) * FIRST_SHARE)
    part = path.with_name(f"{path.stem}-2{path.suffix}")
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            later = pool.submit(_share_process, str(store.path), status, cut, str(part))
            count = _write_share(store, path, status, upto=cut)
            theirs = _result(later)
        if theirs is None or store.data_version() != marker:
            return _write_share(store, path, status)  # the whole export, from one state
        with path.open("ab") as out, part.open("rb") as share:
            shutil.copyfileobj(share, out, 1 << 20)
        return count + theirs
    finally:
        part.unlink(missing_ok=True)


def _result(later: Future) -> int | None:
    """The second process's row count; None when it failed or could not start."""
    try:
        return later.result()
    except Exception:  # noqa: BLE001 - a broken pool, a failed start: written here instead
        return None


def _write_share(store, path: Path, status: str | None, *, after: int | None = None,
                 upto: int | None = None) -> int:
    names, rows = store.export_tuples(status=status, after=after, upto=upto)
    return write_csv_columns(path, EXPORT_COLUMNS, export_columns(names, rows),
                             share=after is not None)


def _share_process(target: str, status: str | None, after: int, part: str) -> int | None:
    """The second process: the convictions after id `after` into `part`; None if it failed
    (the first process then writes them; no message is passed on, it could quote a record)."""
    from clerkapp.lifeline import exit_with_parent

    exit_with_parent()
    try:
        from clerkapp.store import Store

        store = Store(target)
        try:
            return _write_share(store, Path(part), status, after=after)
        finally:
            store.close()
    except Exception:  # noqa: BLE001 - any failure: the first process writes this share
        return None
