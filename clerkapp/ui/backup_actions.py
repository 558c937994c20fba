"""File ▸ Back up… and File ▸ Restore…: `clerkapp.backup` in the background, with progress and
Cancel (docs/backup.md).

A backup runs beside the clerk's work. A restore replaces the file under the window, so the
window lets go of its store while it runs (the progress dialog is window-modal: nothing reads
the store meanwhile) and opens it again afterwards, on the restored content."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool

from clerkapp.backup import RestoreSummary, backup_store, restore_store
from clerkapp.store import Store
from clerkapp.store.engine import display_target, is_postgres
from clerkapp.ui.files import SafeFileDialog, ask_save_path
from clerkapp.ui.launch import Window
from clerkapp.ui.views import prompts
from clerkapp.ui.workers import Job, ServiceWorker

BACKUP_KIND = ("clerkapp backup", ".db")
PG_BACKUP_KIND = ("clerkapp backup of a shared store (pg_dump)", ".dump")


def _backup_kind(target) -> tuple[str, str]:
    return PG_BACKUP_KIND if is_postgres(target) else BACKUP_KIND


def _store_name(target) -> str:
    """What a backup file is named after: the store file's name, or the shared database's."""
    if is_postgres(target):
        from clerkapp.store.probe import endpoint_of

        return endpoint_of(str(target)).database
    return Path(target).stem


class _PathWorker(ServiceWorker):
    """Opens no Store: a restore must be the only one holding the file."""

    opens_store = False


def _backup_job(store: Store, out: Path, *, progress, cancel) -> Any:
    return backup_store(store.path, out, force=True, operator=store.clerk_name(),
                        progress=progress, cancel=cancel)


def back_up(window: Window, out: Path | None = None) -> Job | None:
    """Ask where (the file dialog asks before replacing a file), then copy in the background."""
    from clerkapp.ui.workers import run_with_progress

    kind = _backup_kind(window.store.path)
    name = f"{_store_name(window.store.path)}-backup-{date.today().isoformat()}{kind[1]}"
    out = out or ask_save_path(window, "Back up the store", name, (kind,))
    if out is None:
        return None

    def done(summary: Any) -> None:
        window.job = None
        window.status.showMessage(
            f"Backed up to {summary.path} ({summary.bytes:,} bytes); audit log verified in the"
            f" copy ({summary.facts.entries:,} entries)", 10000)

    def failed(message: str) -> None:
        window.job = None
        prompts.warn(window, "Backup failed", message)

    window.job = run_with_progress(window, "Backing up the store", window.store.path,
                                   _backup_job, out, on_success=done, on_failure=failed,
                                   on_cancel=lambda: setattr(window, "job", None), unit="pages")
    return window.job


def backup_written(backup: Path) -> str:
    """`\n(written 2026-12-03 22:40)`: when the file chosen was last written, so a clerk sees
    an old or a wrong backup before replacing the store with it ("" when it cannot be read)."""
    try:
        written = datetime.fromtimestamp(backup.stat().st_mtime)
    except OSError:
        return ""
    return f"\n(written {written:%Y-%m-%d %H:%M})"


def restore(window: Window, backup: Path | None = None) -> Job | None:
    """Ask for the backup, say what is replaced and where it is kept, then restore with the
    window's store closed, and open it again whatever happened."""
    store = window.store
    kind = _backup_kind(store.path)
    if backup is None:
        path, _ = SafeFileDialog.getOpenFileName(window, "Restore a backup", str(Path.home()),
                                                 f"{kind[0]} (*{kind[1]});;All files (*)")
        if not path:
            return None
        backup = Path(path)
    shared = is_postgres(store.path)
    target = store.path if shared else Path(store.path)
    counts = store.table_counts()
    kept = ("as a dated backup beside the one restored (…replaced-DATE.dump); every other"
            " clerk's window must be closed first" if shared
            else "beside it as a dated copy (…replaced-DATE.db)")
    if not prompts.confirm(
            window, "Restore a backup",
            f"Replace the store {display_target(target)}\n({counts['convictions']:,}"
            f" convictions, {counts['reviews']:,} decisions, {counts['orders']:,} orders)\n"
            f"with the backup {backup}{backup_written(backup)}?\n\nThe backup is checked"
            f" first. The store it replaces"
            f" is kept {kept}. Work done since the backup was taken stays in that copy only."):
        return None
    operator = store.clerk_name()
    empty_page = getattr(window, "empty", None)
    stack = getattr(window, "stack", None)
    if stack is not None and empty_page is not None:
        stack.setCurrentWidget(empty_page)  # nothing on screen reads the store meanwhile
    # no count read may start meanwhile (a request made just before, after the backup or a
    # decision, fires 120 ms later on a connection of its own), nor be running: the restore
    # refuses a store any connection has open
    counters = [c for c in (getattr(window, "counts", None),
                            getattr(window, "closeout_counts", None)) if c is not None]
    for counter in counters:
        counter.hold()
    store.close()
    QThreadPool.globalInstance().waitForDone(10000)

    def reopen() -> None:
        window.job = None
        store.reopen()
        for counter in counters:
            counter.release()
        window.refresh_all()

    def done(summary: RestoreSummary) -> None:
        reopen()
        kept = f" The replaced store is kept as {summary.replaced}." if summary.replaced else ""
        prompts.inform(window, "Backup restored",
                       f"Restored {backup.name} (audit log #{summary.backup.head_id},"
                       f" verified).{kept}")

    def failed(message: str) -> None:
        reopen()
        prompts.warn(window, "Not restored", f"{message}\n\nThe store is as it was.")

    job = Job(window, "Restoring a backup",
              _PathWorker(target, restore_store, backup, target, force=True, operator=operator),
              unit="pages", delay_ms=0)
    job.succeeded.connect(done)
    job.failed.connect(failed)
    job.cancelled.connect(reopen)
    window.job = job.start()
    return job
