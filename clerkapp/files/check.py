"""File-versus-record checks: every recorded file is on disk with the bytes recorded, and no
temporary file of a finished run is left. What `clerkapp verify`, the tests and
`bench/faults.py` ask after a crash."""

from __future__ import annotations

from pathlib import Path

from clerkapp.files.hashing import file_sha256
from clerkapp.files.outputs import CLERKS_OWN, TEMP_SUFFIX


def check_recorded_files(store, *, hash_files: bool = True) -> list[str]:
    """One line per problem: a recorded order or output file missing, empty, or changed
    since it was written; a temporary file left in a folder no run is writing to."""
    problems: list[str] = []
    seen: set[str] = set()
    rows = store.conn.execute("SELECT id, path, sha256 FROM orders ORDER BY id").fetchall()
    for order_id, path, digest in rows:
        seen.add(path)
        problems += _check_one(Path(path), digest, f"order {order_id}", hash_files)
    for f in store.complete_output_files():
        # an export, the copy of an order reprinted as printed (its original is checked
        # above), an impact report or a reconciliation's file is the clerk's to move, hand
        # over, delete or write again; orders, update files, notices and confirmations are not
        if f.path not in seen and f.kind not in CLERKS_OWN:
            seen.add(f.path)
            problems += _check_one(Path(f.path), f.sha256, f"{f.kind} file {f.id}", hash_files)
    running = {r.folder for r in store.unfinished_output_runs()}
    folders = {r[0] for r in store.conn.execute("SELECT DISTINCT folder FROM output_runs")}
    for folder in sorted(folders - running):
        leftovers = list(Path(folder).glob(".clerkapp-*" + TEMP_SUFFIX)) if Path(
            folder).is_dir() else []
        if leftovers:
            problems.append(f"{folder}: {len(leftovers)} temporary file(s) left by an"
                            " interrupted run")
    return problems


def _check_one(path: Path, digest: str, what: str, hash_files: bool) -> list[str]:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return [f"{what} is recorded but its file is missing: {path}"]
    except OSError as exc:
        return [f"{what}: cannot read its file ({exc.strerror}): {path}"]
    if size == 0:
        return [f"{what}: its file is empty: {path}"]
    if hash_files and file_sha256(path) != digest:
        return [f"{what}: its file was changed after it was written: {path}"]
    return []
