"""`clerkapp migrate-store FROM TO`: move a court's store from a SQLite file into its shared
PostgreSQL store (or back), verified before anything is committed.

The whole copy is one transaction on the target: cancelled or interrupted (Ctrl+C), the
target is left as it was. It commits only when every table's row count matches the source's
and the target's audit chain, recomputed entry by entry, ends at the source's head. Then the
target's chain is anchored as verified, its decisions and orders are checked against their
audit entries, and the copy is recorded in the target's own audit log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from clerkapp.errors import BadInput, ClerkError
from clerkapp.integrity import IntegrityError, check_store
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.store import Store
from clerkapp.store.audit import first_broken
from clerkapp.store.engine import display_target, is_postgres
from clerkapp.store.transfer import (
    TableCopy,
    clear_target,
    copy_order,
    copy_tables,
    reading,
    work_counts,
)


@dataclass(frozen=True)
class MigrateSummary:
    source: str  # masked
    target: str  # masked
    tables: list[TableCopy]
    head_id: int
    head_hash: str
    replaced: dict[str, int] | None  # what the target held before, when asked to replace it
    seconds: float

    @property
    def rows(self) -> int:
        return sum(t.target_rows for t in self.tables)


def _same(a: str | Path, b: str | Path) -> bool:
    if is_postgres(a) or is_postgres(b):
        return str(a) == str(b)
    return Path(a).resolve() == Path(b).resolve()


def migrate_store(source: str | Path, target: str | Path, *, replace: bool = False,
                  operator: str | None = None, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> MigrateSummary:
    """Copy the store at `source` into the store at `target` (created when missing; refused
    when it holds work, unless `replace`)."""
    started = time.monotonic()
    shown_from, shown_to = display_target(source), display_target(target)
    if _same(source, target):
        raise BadInput("the store cannot be copied onto itself", file=shown_to)
    if not is_postgres(source) and not Path(source).is_file():
        raise BadInput("no store there", file=shown_from)
    created = not is_postgres(target) and not Path(target).exists()
    try:
        # the copy anchors the target itself, once verified (a new target's creation is
        # not an event of its own: its log must end up the source's, entry for entry)
        with Store(source) as src, Store(target, take_over_anchor=False) as dst:
            summary = _copy(src, dst, replace=replace, operator=operator, progress=progress,
                            cancel=cancel)
    except BaseException:
        if created:  # nothing of a half-made store left on disk
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return MigrateSummary(shown_from, shown_to, summary[0], summary[1], summary[2], summary[3],
                          time.monotonic() - started)


def _copy(src: Store, dst: Store, *, replace: bool, operator: str | None, progress: Progress,
          cancel: CancelToken | None):
    shown_from, shown_to = display_target(src.path), display_target(dst.path)
    tables = copy_order(dst)
    missing = sorted(set(tables) - set(copy_order(src)))
    if missing:
        raise BadInput(f"not a whole clerkapp store (no table {', '.join(missing)})",
                       file=shown_from)

    def step(done: int, total: int, table: str) -> None:
        check(cancel)
        progress(done, total, f"Copying {table}")

    replaced = None
    with reading(src):
        progress(0, None, "Verifying the source's audit log")
        broken, head_id, head_hash, _entries = first_broken(src.conn)
        if broken is not None:
            raise BadInput(f"its audit log is broken at entry #{broken}: not copied (run"
                           " `clerkapp verify` on it and call court IT)", file=shown_from)
        source_counts = work_counts(src, tables)
        with dst.atomic():
            held = {t: n for t, n in work_counts(dst, tables).items() if n}
            if held and not replace:
                raise BadInput(
                    f"the target holds a store already ({held.get('convictions', 0):,}"
                    f" convictions, {held.get('audit_log', 0):,} audit entries): choose an empty"
                    " one, or --replace to overwrite it", file=shown_to)
            if held:
                clear_target(dst, tables)
                replaced = held
            copies = copy_tables(src, dst, tables, source_counts, step)
            wrong = [c for c in copies if c.source_rows != c.target_rows]
            if wrong:
                raise ClerkError("the copy does not match its source: " + "; ".join(
                    f"{c.name} {c.target_rows:,} rows, source {c.source_rows:,}" for c in wrong)
                    + f"; nothing was written to {shown_to}")
            progress(0, None, "Verifying the copied audit log")
            check(cancel)
            copied_broken, copied_id, copied_hash, _n = first_broken(dst.conn)
            if copied_broken is not None or (copied_id, copied_hash) != (head_id, head_hash):
                raise ClerkError(f"the copied audit log does not end at the source's head"
                                 f" (#{head_id}); nothing was written to {shown_to}")
    # committed: anchor the target's chain as verified, then check decisions and orders
    status = dst.accept_chain()
    report = check_store(dst, full=True)
    if not status.ok or not report.ok:
        raise IntegrityError(f"{shown_to}: the copy was written but does not match its audit"
                             f" log: {status.problem or report.first_problem()}; run"
                             " `clerkapp verify` and call court IT")
    with dst.atomic():
        dst.audit(dst.actor(operator or dst.clerk_name()), "store.copied_in", entity="store",
                  details={"from": shown_from, "head": f"#{head_id} {head_hash[:16]}",
                           "rows": sum(c.target_rows for c in copies),
                           "replaced": replaced or {}})
    return copies, head_id, head_hash, replaced
