"""Decisions from the window: calls the review service, keeps the Undo stack, and runs large
acts (bulk approvals) in the background. No SQL and no widgets beyond the progress dialog."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clerkapp.errors import ClerkError, DecidedElsewhere
from clerkapp.review.service import decide, undo
from clerkapp.store import Store
from clerkapp.store.queue import CANNABIS, EVERYTHING, RELIEF, RELIEF_ONLY, QueueFilter
from clerkapp.store.reviews import chunked

BACKGROUND_AT = 2000  # acts larger than this run in a worker with a progress dialog


@dataclass(frozen=True)
class Act:
    batch_id: str
    ids: list[int]
    status: str


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk approval would do: the pending relief convictions and their outcomes."""

    ids: list[int]
    by_outcome: dict[str, int]
    skipped: int  # in the filter or selection, but not pending or not a relief outcome
    seen: dict[int, int | None] | None = None  # each one's review when planned


def bulk_plan_for_filter(store: Store, f: QueueFilter) -> BulkPlan:
    total = sum(store.queue_counts(f).values())
    if f.review_status not in (None, "pending") or (
        f.outcome not in (CANNABIS, EVERYTHING, RELIEF_ONLY) and f.outcome not in RELIEF
    ):
        return BulkPlan([], {}, total)
    narrowed = replace(f, review_status="pending",
                       outcome=f.outcome if f.outcome in RELIEF else RELIEF_ONLY)
    ids = list(store.queue_ids(narrowed))
    counts: dict[str, int] = {}
    for (outcome, _status), n in store.queue_counts(narrowed).items():
        counts[outcome] = counts.get(outcome, 0) + n
    return BulkPlan(ids, counts, total - len(ids), store.current_review_ids(ids))


def bulk_plan_for_ids(store: Store, ids: Sequence[int]) -> BulkPlan:
    chosen: list[int] = []
    counts: dict[str, int] = {}
    seen: dict[int, int | None] = {}
    for part in chunked(list(ids)):
        rows = store.queue_rows(part)
        for cid in part:
            row = rows.get(cid)
            if row and row.review_status == "pending" and row.outcome in RELIEF:
                chosen.append(cid)
                seen[cid] = row.review_id
                counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return BulkPlan(chosen, counts, len(ids) - len(chosen), seen)


def _decide_job(store: Store, ids: list[int], status: str, *, clerk: str, note: str | None,
                outcome: str | None, seen: Mapping[int, int | None] | None,
                progress, cancel) -> str:
    return decide(store, ids, status, clerk=clerk, note=note, outcome=outcome,
                  expected_review_ids=seen, progress=progress, cancel=cancel)


class ReviewController(QObject):
    decided = Signal(object)  # Act
    undone = Signal(object)  # Act
    failed = Signal(str)
    conflicted = Signal(object)  # ids another clerk decided meanwhile: show theirs
    busy_changed = Signal(bool)

    def __init__(self, store: Store, clerk: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.clerk = clerk
        self.undo_stack: list[Act] = []
        self.job = None
        self._widget = parent
        # the review each row showed when the clerk decided (set by the window's SharedDesk)
        self.seen: Callable[[Sequence[int]], dict[int, int | None]] | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def decide(self, ids: Sequence[int], status: str, *, note: str | None = None,
               outcome: str | None = None,
               seen: Mapping[int, int | None] | None = None) -> bool:
        """Record one act; large ones go to the background. True when started or done.
        `seen`: the review each conviction showed (else the window's rows tell)."""
        ids = list(ids)
        if not ids or self.busy:
            return False
        if seen is None and self.seen is not None:
            seen = self.seen(ids)
        if len(ids) > BACKGROUND_AT:
            return self._decide_in_background(ids, status, note, outcome, seen)
        try:
            batch = decide(self.store, ids, status, clerk=self.clerk(), note=note,
                           outcome=outcome, expected_review_ids=seen)
        except DecidedElsewhere as error:
            self.conflicted.emit([c.conviction_id for c in error.conflicts])
            self.failed.emit(str(error))
            return False
        except ClerkError as error:
            self.failed.emit(str(error))
            return False
        self._record(Act(batch, ids, status))
        return True

    def undo_last(self) -> Act | None:
        if not self.undo_stack or self.busy:
            return None
        act = self.undo_stack[-1]
        try:
            undo(self.store, act.batch_id, clerk=self.clerk())
        except DecidedElsewhere as error:
            self.undo_stack.pop()  # another clerk's decision stands on top of it
            self.conflicted.emit([c.conviction_id for c in error.conflicts])
            self.failed.emit(str(error))
            return None
        except ClerkError as error:
            self.undo_stack.pop()  # it cannot be undone from here any more
            self.failed.emit(str(error))
            return None
        self.undo_stack.pop()
        self.undone.emit(act)
        return act

    def _record(self, act: Act) -> None:
        self.undo_stack.append(act)
        self.decided.emit(act)

    def _decide_in_background(self, ids: list[int], status: str, note: str | None,
                              outcome: str | None,
                              seen: Mapping[int, int | None] | None) -> bool:
        from clerkapp.ui.workers import run_with_progress

        self.busy_changed.emit(True)

        def on_success(batch: object) -> None:
            self.job = None
            self.busy_changed.emit(False)
            self._record(Act(str(batch), ids, status))

        def on_failure(message: str) -> None:
            self.job = None
            self.busy_changed.emit(False)
            if "after you looked at it" in message:  # DecidedElsewhere, across the thread
                self.conflicted.emit(ids)
            self.failed.emit(message)

        def on_cancel() -> None:
            self.job = None
            self.busy_changed.emit(False)

        self.job = run_with_progress(
            self._widget, f"Recording {len(ids):,} decisions", self.store.path, _decide_job,
            ids, status, clerk=self.clerk(), note=note, outcome=outcome, seen=seen,
            on_success=on_success, on_failure=on_failure, on_cancel=on_cancel,
            unit="decisions",
        )
        return True
