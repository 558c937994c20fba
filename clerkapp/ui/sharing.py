"""The window's part in several clerks working one store at once.

- "Next pending" skips what other clerks have open and claims what it shows (review.claims);
  the claim is renewed while the conviction stays shown and let go when the clerk moves on,
  decides or closes the window.
- A decision carries the review each row had when the clerk saw it, so one that another clerk
  changed meanwhile is refused (DecidedElsewhere) instead of replacing theirs.
- Every POLL_MS the window asks the store's change marker (the audit log's last id, one index
  lookup) and, when it moved, re-reads the rows on screen, the counts and the detail: others'
  decisions show within seconds. A marker that costs more than SLOW_MS (a distant shared
  server) is asked less often, so the window never stutters. Its cost is the least of the
  last few polls: a busy moment of the computer or the server is not a slow marker.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence
from time import perf_counter
from typing import Any

from PySide6.QtCore import QObject, QTimer

from clerkapp.errors import NotPermitted
from clerkapp.review.claims import RENEW_EVERY_S, ClaimSession, claim_note
from clerkapp.store.base import now_iso

log = logging.getLogger(__name__)

POLL_MS = 2000
SLOW_POLL_MS = 10_000  # when the marker itself is slow to ask
SLOW_MS = 5.0
COST_OF_LAST = 3  # polls the marker's cost is judged on
CLAIM_TRIES = 25  # candidates tried before "Next pending" gives up for now


class SharedDesk(QObject):
    """Claims, what each decision expects, and the poll, for one main window."""

    def __init__(self, window: Any) -> None:  # the main window (not imported: no cycle)
        super().__init__(window)
        self.window = window
        self.store = window.store
        self.claims = ClaimSession(window.store, window.clerk_name)
        self.looks_only = False  # set when the store refuses this login a claim (a reader)
        self.marker = self._read_marker()
        self.polls = 0
        self.refreshes = 0
        self.last_poll_ms = 0.0
        self.recent_ms: deque[float] = deque(maxlen=COST_OF_LAST)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self.poll_timer.start()
        self.renew_timer = QTimer(self)
        self.renew_timer.setInterval(RENEW_EVERY_S * 1000)
        self.renew_timer.timeout.connect(self._on_renew_timer_timeout)
        self.renew_timer.start()
        window.reviews.seen = self.seen_reviews
        window.reviews.conflicted.connect(self._on_reviews_conflicted)

    # --- next pending ------------------------------------------------------------------------
    def next_pending(self, row: int, scan: int) -> int | None:
        """The row of the next pending conviction after `row` that no other clerk has open,
        claimed for this window; None when there is none now."""
        model = self.window.model
        try:
            skip = set(self.claims.held_by_others())
        except Exception:  # noqa: BLE001 - a claim is a courtesy: never block the clerk
            log.exception("other clerks' claims could not be read")
            return model.next_pending_row(row, scan)
        start = row
        for _ in range(CLAIM_TRIES):
            found = model.next_pending_row(start, scan, skip=skip)
            if found is None:
                return None
            cid = model.conviction_id(found)
            if cid is None:
                return None
            if self.looks_only:
                return found
            try:
                claimed = self.claims.claim_first([cid]) is not None
            except NotPermitted:  # a look-up-only login: it browses, it claims nothing
                self.looks_only = True
                log.info("this login may not claim convictions; Next pending only shows them")
                return found
            except Exception:  # noqa: BLE001
                log.exception("a conviction could not be claimed")
                return found
            if claimed:
                return found
            skip.add(cid)  # decided or taken a moment ago: show what it is now, go on
            model.refresh([cid])
            start = found
        return None

    def on_current_changed(self, conviction_id: int | None) -> None:
        """Moving off the claimed conviction lets it go (another clerk may take it); landing
        on one another clerk has open says so in the status bar (deciding it stays allowed:
        whoever decides second is told)."""
        if self.claims.current is not None and conviction_id != self.claims.current:
            self._safely(self.claims.release)
        if conviction_id is None or conviction_id == self.claims.current:
            return
        try:
            claim = self.store.claim_of(conviction_id)
        except Exception:  # noqa: BLE001 - a courtesy: never block the clerk
            log.exception("a claim could not be read")
            return
        if claim is not None and claim.holder != self.claims.holder \
                and claim.expires_at > now_iso():
            self.window.status.showMessage(claim_note(claim), 8000)

    def _on_renew_timer_timeout(self) -> None:
        if getattr(self.window, "job", None) is None:
            self._safely(self.claims.renew)

    def release(self) -> None:
        self._safely(self.claims.release)

    # --- what a decision expects -------------------------------------------------------------
    def seen_reviews(self, ids: Sequence[int]) -> dict[int, int | None]:
        """The review each of these rows showed (rows in the queue's cache only; a decision
        reads the others itself)."""
        model = self.window.model
        hint = self.window.queue.currentIndex().row()
        seen: dict[int, int | None] = {}
        for cid in ids[:5000]:
            row = model.row_of(cid, max(hint, 0))
            record = model.record(row) if row >= 0 else None
            if record is not None:
                seen[cid] = record.review_id
        return seen

    # --- others' changes -----------------------------------------------------------------------
    def poll(self) -> bool:
        """Ask the change marker; when it moved, show what changed. True when it refreshed.
        Not while the window runs a job (a restore closes the store; a bulk act refreshes
        when it lands)."""
        if getattr(self.window, "job", None) is not None or self.window.reviews.busy:
            return False
        self.polls += 1
        began = perf_counter()
        marker = self._read_marker()
        self.last_poll_ms = (perf_counter() - began) * 1000
        self.recent_ms.append(self.last_poll_ms)
        wanted = SLOW_POLL_MS if self.poll_cost_ms > SLOW_MS else POLL_MS
        if self.poll_timer.interval() != wanted:
            log.info("change marker takes %.1f ms: asking every %d s", self.poll_cost_ms,
                     wanted // 1000)
            self.poll_timer.setInterval(wanted)
        if marker is None or marker == self.marker:
            return False
        self.marker = marker
        self.refreshes += 1
        self.show_changes()
        return True

    @property
    def poll_cost_ms(self) -> float:
        """What asking the marker costs: the least of the last COST_OF_LAST polls (0 until
        there were that many: a new connection's first answers are slower)."""
        return min(self.recent_ms) if len(self.recent_ms) == COST_OF_LAST else 0.0

    def show_changes(self) -> None:
        """Re-read what the clerk sees: the rows on screen (the cache goes; only visible rows
        are read again), the counts, and the detail when its row changed."""
        window = self.window
        row = window.queue.currentIndex().row()
        before = window.model.record(row) if row >= 0 else None
        window.model.refresh_rows()
        window.counts.request(window.model.queue_filter)
        window.closeout_counts.request()
        if row >= 0 and window.model.record(row) != before:
            window.show_current_detail()

    def _on_reviews_conflicted(self, ids: list[int]) -> None:
        """Another clerk decided first: the rows show their decision now."""
        self.window.model.refresh(ids)
        self.window.counts.request(self.window.model.queue_filter)
        self.window.show_current_detail()

    def _read_marker(self) -> int | None:
        try:
            return self.store.change_marker()
        except Exception:  # noqa: BLE001 - a store busy or gone: the next poll tries again
            log.exception("the store's change marker could not be read")
            return None

    def stop(self) -> None:
        self.poll_timer.stop()
        self.renew_timer.stop()
        self.release()

    @staticmethod
    def _safely(step) -> None:
        try:
            step()
        except NotPermitted:  # a look-up-only login holds no claims to renew or let go
            pass
        except Exception:  # noqa: BLE001 - a claim is a courtesy: never block the clerk
            log.exception("a claim could not be renewed or released")
