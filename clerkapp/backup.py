"""Backing up and restoring a store (SQLite), for the command line and the window alike.

A backup is a consistent copy taken while clerks may be working (SQLite's online backup API),
its audit chain verified in the copy before it is put in place. A restore verifies the backup
first (a whole clerkapp store, a schema this clerkapp knows, an unbroken audit chain), keeps the
store it replaces as a dated copy beside it, and records itself in the restored store's audit
log.

The audit chain's anchor (`clerkapp.store.anchor`, kept outside the store) goes with what it
describes: the replaced store's anchor moves to its dated copy, and the restored store is
anchored afresh at its own head after the full verification. Without that, an older backup
put in place would read as deleted audit entries (tampering). The `store.restored` entry says
which anchor was replaced, so the jump back in time is explained in the log itself.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from clerkapp.errors import BadInput, ClerkError
from clerkapp.files.hashing import file_sha256
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.store import Store
from clerkapp.store.anchor import anchor_path, read_anchor, write_anchor
from clerkapp.store.backup import (
    StoreFacts,
    copy_store,
    overwrite_store,
    read_facts,
    refuse_if_in_use,
)
from clerkapp.store.engine import is_postgres
from clerkapp.store.restore_intent import RestoreIntent, clear_intent, write_intent

__all__ = ["BackupSummary", "RestoreSummary", "backup_store", "replaced_copy_path",
           "restore_store"]


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    facts: StoreFacts
    sha256: str
    bytes: int


@dataclass(frozen=True)
class RestoreSummary:
    target: Path
    backup: StoreFacts
    replaced: Path | None  # the dated copy of the store that was replaced, if it held work
    replaced_facts: StoreFacts | None
    migrated_to: int  # schema version after opening (the backup's, or newer when migrated)


def _stepper(progress: Progress, cancel: CancelToken | None, what: str):
    def step(done: int, total: int) -> None:
        check(cancel)
        progress(done, total, what)
    return step


def _unlink_quietly(path: Path) -> None:
    """Remove a working copy if it is there; a folder that cannot be written (read-only, or
    gone) has none to remove, and the error that matters is raised by the write itself."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _remove_stale_copies(path: Path, tag: str, ours: Path) -> None:
    """The working copies a backup or restore killed midway left beside `path` (a kill runs
    no clean-up): whole copies of the store's data that nothing records. The next backup or
    restore of the same file removes them (one running at the same moment into the same file
    would lose its copy and say it cannot write)."""
    try:
        found = list(path.parent.glob(f".{glob.escape(path.name)}.{tag}-*.tmp"))
    except OSError:
        return
    for stale in found + [ours]:
        _unlink_quietly(stale)


def _is_locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc) or "busy" in str(exc))


def _why(exc: BaseException) -> str:
    """An OS or SQLite error in the clerk's words, without a trace."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc)
    return "the disk is full" if "full" in text else text


def _temp_beside(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}.{tag}-{os.getpid()}.tmp")


def backup_store(db_path: Path, out: Path, *, force: bool = False, operator: str | None = None,
                 progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> BackupSummary:
    """Copy the store at `db_path` to `out` (online: others may keep working), verify the
    copy's audit chain in full and against the store's anchor, then put it in place and record
    the backup in the store's audit log. A shared PostgreSQL store: `backup_pg.backup_pg`."""
    if is_postgres(db_path):
        from clerkapp.backup_pg import backup_pg

        return backup_pg(str(db_path), Path(out), force=force, operator=operator,
                         progress=progress, cancel=cancel)
    db_path, out = Path(db_path), Path(out)
    if not db_path.is_file():
        raise BadInput("no store there", file=str(db_path))
    if out.exists() and not force:
        raise BadInput("the file exists: choose another name, or --force to replace it",
                       file=str(out))
    if out.resolve() == db_path.resolve():
        raise BadInput("a backup cannot replace the store itself", file=str(out))
    temp = _temp_beside(out, "backup")
    _remove_stale_copies(out, "backup", temp)
    try:
        copy_store(db_path, temp, _stepper(progress, cancel, "Copying the store"))
        progress(0, None, "Verifying the copy's audit log")
        facts = read_facts(temp)
        anchor = read_anchor(db_path)
        if anchor is not None and anchor.store_uid == facts.uid and anchor.entry_id and (
                anchor.entry_id > facts.head_id):
            raise ClerkError(f"the store's audit log ends at {facts.head()} but entry"
                             f" #{anchor.entry_id} was verified before: run `clerkapp verify`"
                             " and call court IT; no backup written")
        check(cancel)
        digest = file_sha256(temp)
        os.replace(temp, out)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only or missing folder
        if _is_locked(exc):
            raise
        raise BadInput(f"cannot write the backup: {_why(exc)}; no backup written",
                       file=str(out)) from None
    finally:
        _unlink_quietly(temp)
    with Store(db_path) as store, store.atomic():
        store.audit(operator or store.clerk_name(), "store.backed_up", entity="store",
                    details={"file": out.name, "head": facts.head(), "sha256": digest,
                             "schema": facts.schema_version})
    return BackupSummary(out, facts, digest, out.stat().st_size)


def replaced_copy_path(target: Path, when: datetime | None = None) -> Path:
    """Where the store a restore replaces is kept: `clerk.db` -> `clerk.replaced-YYYYMMDD-HHMMSS.db`."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return target.with_name(f"{target.stem}.replaced-{stamp}{target.suffix or '.db'}")


def restore_store(backup: Path, target: Path, *, force: bool = False,
                  operator: str | None = None, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> RestoreSummary:
    """Put the backup `backup` in place of the store at `target`.

    Refused (nothing changed) when the backup is not a whole clerkapp store with an unbroken
    audit chain or comes from a newer clerkapp, when the store is open in another window or
    program, and, without `force`, when the store holds work. The store replaced is kept as a
    dated copy beside it, with its anchor. A shared PostgreSQL store: `backup_pg.restore_pg`."""
    if is_postgres(target):
        from clerkapp.backup_pg import restore_pg

        return restore_pg(Path(backup), str(target), force=force, operator=operator,
                          progress=progress, cancel=cancel)
    try:
        return _restore_file(Path(backup), Path(target), force=force, operator=operator,
                             progress=progress, cancel=cancel)
    except (OSError, sqlite3.Error) as exc:  # a full disk, a read-only folder
        if _is_locked(exc):
            raise
        raise BadInput(f"cannot restore: {_why(exc)}; nothing was restored",
                       file=str(target)) from None


def _restore_file(backup: Path, target: Path, *, force: bool, operator: str | None,
                  progress: Progress, cancel: CancelToken | None) -> RestoreSummary:
    """`restore_store` for a SQLite store file."""
    if backup.resolve() == target.resolve():
        raise BadInput("this is the store itself, not a backup of it", file=str(backup))
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    staged = _temp_beside(target, "restore")
    _remove_stale_copies(target, "restore", staged)
    replaced: Path | None = None
    truncated = False
    try:
        # a private copy first: the checks and the restore read the same bytes, and the
        # backup file itself is never opened for writing
        copy_store(backup, staged, _stepper(progress, cancel, "Reading the backup"))
        progress(0, None, "Verifying the backup's audit log")
        facts = read_facts(staged)
        facts = replace(facts, path=backup)
        current: StoreFacts | None = None
        if target.is_file() and target.stat().st_size:
            refuse_if_in_use(target)
            try:
                current = read_facts(target)
            except BadInput:
                if not force:
                    raise
            if (current is None or not current.empty) and not force:
                raise ClerkError(
                    f"{target}: the store holds work ({_work(current)}): restoring replaces it;"
                    " use --force to go ahead (it is kept as a dated copy beside it)")
            if current is None or not current.empty:
                check(cancel)
                replaced = replaced_copy_path(target)
                _write_intent(target, backup, facts, current, replaced)
                _keep(target, replaced, current is not None,
                      _stepper(progress, cancel, "Keeping the store being replaced"))
        check(cancel)
        if replaced is not None and current is None:
            os.truncate(target, 0)  # not a database (kept above): start from an empty one
            truncated = True
        if not target.exists():  # a new store: readable by the user only, as Store makes it
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        previous = read_anchor(target)
        if replaced is None:
            _write_intent(target, backup, facts, current, None)
        overwrite_store(staged, target, _stepper(progress, cancel, "Restoring"))
    except BaseException:
        clear_intent(target)
        if replaced is not None:  # the store is unchanged: its copy is not needed
            if truncated:
                shutil.copyfile(replaced, target)
            replaced.unlink(missing_ok=True)
            anchor_path(replaced).unlink(missing_ok=True)
        raise
    finally:
        _unlink_quietly(staged)
    with Store(target) as store:
        status = store.accept_chain()  # verified in full again, then anchored at its head
        if not status.ok:
            raise ClerkError(f"{target}: restored, but its audit log does not verify:"
                             f" {status.problem}")
        with store.atomic():
            store.audit(operator or store.clerk_name(), "store.restored", entity="store",
                        details={"file": backup.name, "head": facts.head(),
                                 "schema": facts.schema_version,
                                 "replaced_copy": replaced.name if replaced else None,
                                 "replaced_head": current.head() if current else None,
                                 "previous_anchor": previous.short() if previous else None})
        clear_intent(target)
        version = store.schema_version
    return RestoreSummary(target, facts, replaced, current, version)


def _write_intent(target: Path, backup: Path, facts: StoreFacts, current: StoreFacts | None,
                  replaced: Path | None) -> None:
    """Before the dated copy is made and the store written: a crash from here until the
    restore is recorded is finished or undone on the next open, instead of raising the
    tampering alarm (`store.restore_intent`)."""
    previous = read_anchor(target)
    write_intent(target, RestoreIntent(
        backup.name, facts.uid, facts.head_id, facts.head_hash, facts.schema_version,
        str(replaced) if replaced else None, current.uid if current else "",
        current.head_id if current else 0, current.head_hash if current else "",
        previous.short() if previous else None))


def _keep(target: Path, copy: Path, is_store: bool, step) -> None:
    """The dated copy of the store a restore replaces, with its anchor (a file that is not a
    store, replaced with --force, is kept byte for byte)."""
    if is_store:
        copy_store(target, copy, step)
    else:
        shutil.copyfile(target, copy)
        os.chmod(copy, 0o600)
    old_anchor = read_anchor(target)
    if old_anchor is not None:
        write_anchor(copy, old_anchor)


def _work(facts: StoreFacts | None) -> str:
    if facts is None:
        return "not readable as a clerkapp store"
    parts = [f"{facts.counts.get(t, 0):,} {t.replace('_', ' ')}"
             for t in ("convictions", "reviews", "orders") if facts.counts.get(t)]
    return ", ".join(parts) or f"{facts.entries:,} audit entries"
