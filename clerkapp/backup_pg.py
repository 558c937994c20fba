"""Backing up and restoring a shared PostgreSQL store (`clerkapp backup/restore` with a
`postgresql://` store): PostgreSQL's own `pg_dump -Fc` and `pg_restore`, with the same
promises as a store file's backup (docs/backup.md):

- a backup is checked before it gets its name: the archive read back, its audit chain
  recomputed in full from its own rows; the backup is recorded in the store's audit log;
- a restore checks the archive first, refuses while other connections (clerks' windows) are
  open on the store, replaces a store that holds work only when forced (keeping it as a
  dated archive beside the backup), restores in one transaction, then verifies the chain in
  the restored store, anchors it and records the restore.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from clerkapp.errors import BadInput, ClerkError
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.store import Store
from clerkapp.store.anchor import read_anchor
from clerkapp.store.engine import display_target
from clerkapp.store.pg import dump as pg
from clerkapp.store.probe import endpoint_of
from clerkapp.store.restore_intent import RestoreIntent, clear_intent, write_intent


def _stepper(progress: Progress, cancel: CancelToken | None, what: str):
    def step(done: int, total: int) -> None:
        check(cancel)
        progress(done, total, what)
    return step


def _facts_of_store(store: Store):
    """What the store holds now (work counts, the chain's head) for the messages."""
    from clerkapp.store.backup import WORK_TABLES, StoreFacts

    head_id, head_hash = store.chain_head()
    counts = {t: int(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
              for t in WORK_TABLES}
    uid = str(store.get_setting("store.uid") or "")
    return StoreFacts(Path(display_target(store.path)), store.schema_version, uid, head_id,
                      head_hash, counts.get("audit_log", 0), counts)


def backup_pg(url: str, out: Path, *, force: bool = False, operator: str | None = None,
              progress: Progress = no_progress, cancel: CancelToken | None = None):
    from clerkapp.backup import BackupSummary
    from clerkapp.files.hashing import file_sha256

    out = Path(out)
    if out.exists() and not force:
        raise BadInput("the file exists: choose another name, or --force to replace it",
                       file=str(out))
    for name in ("pg_dump", "pg_restore"):  # both found before anything is written
        pg.tool(name)
    temp = out.with_name(f".{out.name}.backup-{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    with Store(url) as store:
        tables = pg.table_count(store.conn.raw)
        anchor = read_anchor(store.path)
        try:
            pg.dump(url, temp, tables, _stepper(progress, cancel, "Backing up the store"))
            check(cancel)
            progress(0, None, "Verifying the backup's audit log")
            facts = pg.read_archive_facts(temp)
            if anchor is not None and anchor.store_uid == facts.uid and anchor.entry_id > (
                    facts.head_id):
                raise ClerkError(f"the store's audit log ends at {facts.head()} but entry"
                                 f" #{anchor.entry_id} was verified before: run `clerkapp"
                                 " verify` and call court IT; no backup written")
            check(cancel)
            os.chmod(temp, 0o600)
            digest = file_sha256(temp)
            os.replace(temp, out)
        finally:
            temp.unlink(missing_ok=True)
        facts = replace(facts, path=out)
        with store.atomic():
            store.audit(store.actor(operator or store.clerk_name()), "store.backed_up",
                        entity="store", details={"file": out.name, "head": facts.head(),
                                                 "sha256": digest,
                                                 "schema": facts.schema_version})
    return BackupSummary(out, facts, digest, out.stat().st_size)


def replaced_archive_path(url: str, beside: Path, when: datetime | None = None) -> Path:
    """Where a restore keeps the store it replaces: `<database>.replaced-YYYYMMDD-HHMMSS.dump`
    beside the backup restored."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return beside.parent / f"{endpoint_of(url).database}.replaced-{stamp}.dump"


def restore_pg(backup: Path, url: str, *, force: bool = False, operator: str | None = None,
               progress: Progress = no_progress, cancel: CancelToken | None = None):
    from clerkapp.backup import RestoreSummary, _work

    backup = Path(backup)
    shown = display_target(url)
    progress(0, None, "Verifying the backup's audit log")
    facts = pg.read_archive_facts(backup)
    check(cancel)
    with Store(url) as store:
        others = pg.other_sessions(store.conn.raw, settle_s=pg.CLOSING_S)
        if others:
            raise ClerkError(f"{shown}: {others} other connection(s) to the store are open"
                             " (clerks' windows, commands or tools): close them first; a"
                             " window left open on a store replaced under it would lose work")
        current = _facts_of_store(store)
        tables = pg.table_count(store.conn.raw)
    replaced: Path | None = None
    previous = read_anchor(url)
    if not current.empty:
        if not force:
            raise ClerkError(f"{shown}: the store holds work ({_work(current)}): restoring"
                             " replaces it; use --force to go ahead (it is kept as a dated"
                             " backup beside the one restored)")
        replaced = replaced_archive_path(url, backup)
    # a crash from here until the restore is recorded is settled on the next open instead of
    # raising the tampering alarm (store.restore_intent)
    write_intent(url, RestoreIntent(
        backup.name, facts.uid, facts.head_id, facts.head_hash, facts.schema_version,
        str(replaced) if replaced else None, current.uid, current.head_id, current.head_hash,
        previous.short() if previous else None))
    try:
        if replaced is not None:
            pg.dump(url, replaced, tables, _stepper(progress, cancel, "Keeping the store"
                                                                      " being replaced"))
        check(cancel)
        pg.restore(url, backup, _stepper(progress, cancel, "Restoring"))
    except BaseException:
        clear_intent(url)
        if replaced is not None:  # the store is unchanged: its copy is not needed
            replaced.unlink(missing_ok=True)
        raise
    with Store(url) as store:
        status = store.accept_chain()  # verified in full in the restored store, anchored
        if not status.ok:
            raise ClerkError(f"{shown}: restored, but its audit log does not verify:"
                             f" {status.problem}")
        if (status.head_id, status.head_hash) != (facts.head_id, facts.head_hash):
            raise ClerkError(f"{shown}: restored, but its audit log ends at"
                             f" #{status.head_id}, not at the backup's {facts.head()}")
        with store.atomic():
            store.audit(store.actor(operator or store.clerk_name()), "store.restored",
                        entity="store",
                        details={"file": backup.name, "head": facts.head(),
                                 "schema": facts.schema_version,
                                 "replaced_copy": replaced.name if replaced else None,
                                 "replaced_head": current.head() if not current.empty
                                 else None,
                                 "previous_anchor": previous.short() if previous else None})
        clear_intent(url)
        version = store.schema_version
    return RestoreSummary(Path(shown), facts, replaced, current if replaced else None, version)
