"""Claims: which clerk's window is showing which conviction, so "Next pending" never hands two
clerks the same one at the same time.

A claim belongs to a holder (one window or one process: a random token) and names the clerk
for the others. It expires (the window renews it while the conviction is shown), so a window
that crashed or was left open over lunch holds nothing for long. A holder holds one claim at a
time: claiming the next conviction lets go of the last. Claims are not audited: they record
no decision, only who is looking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.base import StoreBase


@dataclass(frozen=True)
class Claim:
    conviction_id: int
    holder: str
    clerk: str
    claimed_at: str
    expires_at: str


@dataclass(frozen=True)
class ClaimResult:
    """What asking for a claim found: `claimed`, or why not (`decided`: the conviction is no
    longer pending; `held_by`: another holder's unexpired claim)."""

    conviction_id: int
    claimed: bool
    decided: bool = False
    held_by: Claim | None = None


class ClaimStore(StoreBase):
    def claims_held_by_others(self, holder: str, now: str) -> dict[int, Claim]:
        """Every unexpired claim of another holder: a handful (one per clerk at work)."""
        rows = self.conn.execute(
            "SELECT conviction_id, holder, clerk, claimed_at, expires_at FROM claims"
            " WHERE expires_at > ? AND holder <> ?", (now, holder))
        return {int(r[0]): Claim(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows}

    def claim_conviction(self, conviction_id: int, holder: str, clerk: str, now: str,
                         until: str) -> ClaimResult:
        """Claim one pending conviction for `holder` until `until`, letting go of the
        holder's other claims; refused (nothing written) when it is decided or another
        holder's claim on it has not expired. One write transaction: two windows asking for
        the same conviction at once get it once."""
        with self.atomic():
            row = self.conn.execute(  # the conviction and the claim on it in one read
                "SELECT c.review_status, k.conviction_id, k.holder, k.clerk, k.claimed_at,"
                " k.expires_at FROM convictions c LEFT JOIN claims k ON k.conviction_id = c.id"
                " WHERE c.id = ?", (conviction_id,)).fetchone()
            if row is None or row[0] != "pending":
                return ClaimResult(conviction_id, False, decided=True)
            held = None if row[1] is None else Claim(int(row[1]), row[2], row[3], row[4], row[5])
            if held is not None and held.holder != holder and held.expires_at > now:
                return ClaimResult(conviction_id, False, held_by=held)
            self._put_claim(conviction_id, holder, clerk, now, until)
        return ClaimResult(conviction_id, True)

    def claim_first_pending(self, holder: str, clerk: str, now: str, until: str,
                            after_id: int = 0) -> int | None:
        """Claim the first pending conviction after `after_id` (wrapping to the start) that no
        other holder has claimed: what a clerk working straight down the queue asks for.
        None when every pending conviction is decided or claimed."""
        with self.atomic():
            for low, high in ((after_id, 2**62), (0, after_id + 1)):
                row = self.conn.execute(
                    "SELECT c.id FROM convictions c WHERE c.review_status = 'pending'"
                    " AND c.id > ? AND c.id < ? AND NOT EXISTS (SELECT 1 FROM claims k"
                    " WHERE k.conviction_id = c.id AND k.expires_at > ? AND k.holder <> ?)"
                    " ORDER BY c.id LIMIT 1", (low, high, now, holder)).fetchone()
                if row is not None:
                    self._put_claim(int(row[0]), holder, clerk, now, until)
                    return int(row[0])
        return None

    def renew_claims(self, holder: str, until: str) -> int:
        """Move the holder's claims' expiry to `until`; how many it holds."""
        with self.atomic():
            return self.conn.execute("UPDATE claims SET expires_at = ? WHERE holder = ?",
                                     (until, holder)).rowcount

    def release_claims(self, holder: str) -> None:
        """Let go of everything the holder claimed (a window closing, a clerk moving on)."""
        with self.atomic():
            self.conn.execute("DELETE FROM claims WHERE holder = ?", (holder,))

    def release_decided(self, conviction_ids: Sequence[int]) -> None:
        """Drop the claims on convictions just decided (call inside the decision's
        transaction). Claims are few, so they are read whole rather than the ids looked up."""
        if len(conviction_ids) <= 100:  # a clerk's own decision: one statement, no read
            marks = ",".join("?" * len(conviction_ids))
            self.conn.execute(f"DELETE FROM claims WHERE conviction_id IN ({marks})",
                              [int(i) for i in conviction_ids])
            return
        wanted = {int(i) for i in conviction_ids}
        held = [(int(r[0]),) for r in self.conn.execute("SELECT conviction_id FROM claims")
                if int(r[0]) in wanted]
        if held:
            self.conn.executemany("DELETE FROM claims WHERE conviction_id = ?", held)

    def claim_of(self, conviction_id: int) -> Claim | None:
        return self._claim_on(conviction_id)

    def _claim_on(self, conviction_id: int) -> Claim | None:
        row = self.conn.execute(
            "SELECT conviction_id, holder, clerk, claimed_at, expires_at FROM claims"
            " WHERE conviction_id = ?", (conviction_id,)).fetchone()
        return Claim(int(row[0]), row[1], row[2], row[3], row[4]) if row else None

    def _put_claim(self, conviction_id: int, holder: str, clerk: str, now: str,
                   until: str) -> None:
        """Inside a write transaction: the holder's other claims go, expired ones of anybody
        are cleared, and this one is (re)written, under the clerk's name (on PostgreSQL the
        database login: `actor`)."""
        clerk = self.actor(clerk)
        self.conn.execute("DELETE FROM claims WHERE (holder = ? AND conviction_id <> ?)"
                          " OR expires_at <= ?", (holder, conviction_id, now))
        self.conn.execute(
            "INSERT INTO claims (conviction_id, holder, clerk, claimed_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (conviction_id) DO UPDATE SET"
            " holder = excluded.holder, clerk = excluded.clerk,"
            " claimed_at = excluded.claimed_at, expires_at = excluded.expires_at",
            (conviction_id, holder, clerk, now, until))
