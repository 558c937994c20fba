"""Claims for "Next pending": several clerks working down one queue are never handed the same
conviction at the same time.

A `ClaimSession` is one window's (or one process's) hold on the queue: it claims the
conviction it is about to show, renews that claim while it stays shown, and lets go on a
decision (the decision's transaction drops it), on moving on, and on closing. A claim lasts
CLAIM_MINUTES unless renewed, so a crashed window holds nothing for long.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from clerkapp.store import Store
from clerkapp.store.base import now_iso
from clerkapp.store.claims import Claim

CLAIM_MINUTES = 5
RENEW_EVERY_S = 60  # a window renews its claim this often while the conviction is shown


def expiry(minutes: int = CLAIM_MINUTES) -> str:
    return (datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=minutes)).isoformat()


class ClaimSession:
    """One holder of claims. `clerk` is read at each claim (the window's setting may change)."""

    def __init__(self, store: Store, clerk: Callable[[], str] | str) -> None:
        self.store = store
        self.holder = uuid.uuid4().hex
        self._clerk = clerk
        self.current: int | None = None  # the conviction this session holds, if any

    @property
    def clerk(self) -> str:
        name = self._clerk() if callable(self._clerk) else self._clerk
        return name or "another clerk"

    def held_by_others(self) -> dict[int, Claim]:
        """The convictions other clerks hold now (a few): what "Next pending" skips."""
        return self.store.claims_held_by_others(self.holder, now_iso())

    def claim_first(self, candidates: Iterable[int]) -> int | None:
        """Claim the first of `candidates` (in their order) that is still pending and not
        held by another clerk; None when none is. Each refusal is final for this call, so a
        candidate another clerk took a moment ago is passed over, not fought for."""
        for cid in candidates:
            result = self.store.claim_conviction(int(cid), self.holder, self.clerk, now_iso(),
                                                 expiry())
            if result.claimed:
                self.current = int(cid)
                return self.current
        return None

    def claim_next(self, after_id: int = 0) -> int | None:
        """Claim the next pending conviction after `after_id` in id order, wrapping to the
        start (a clerk, or a script, working straight down the whole queue)."""
        found = self.store.claim_first_pending(self.holder, self.clerk, now_iso(), expiry(),
                                               after_id)
        self.current = found
        return found

    def renew(self) -> bool:
        """Keep the shown conviction's claim alive; False when it holds none any more."""
        if self.current is None:
            return False
        held = self.store.renew_claims(self.holder, expiry()) > 0
        if not held:
            self.current = None
        return held

    def release(self) -> None:
        """Let go of whatever this session holds (moving on, closing the window)."""
        if self.current is not None:
            self.store.release_claims(self.holder)
            self.current = None


def claim_note(claim: Claim) -> str:
    """How the window tells a clerk that a conviction is in another clerk's hands."""
    until = claim.expires_at.replace("T", " ").replace("+00:00", " UTC")
    return f"{claim.clerk} has this conviction open (claimed until {until})"
