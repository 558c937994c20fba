"""Queries for the clerk's decisions: the `reviews` rows and the review state on `convictions`.

Every decision is a new `reviews` row pointing at the one it replaced (`previous_review_id`),
so Undo restores exactly what was there and nothing is ever overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from clerkapp.store.base import COUNTED, LATEST_LAST, StoreBase

_CHUNK = 500  # ids per IN (...) list, well under SQLite's parameter limit


def chunked(ids: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


@dataclass(frozen=True)
class ReviewState:
    """What a decision needs to know about one conviction before it is written."""

    conviction_id: int
    case_number: str | None
    outcome: str | None
    determination_id: int | None
    review_status: str
    review_id: int | None
    level: str | None = None  # F, M or I as the record gives it


@dataclass(frozen=True)
class NewReview:
    conviction_id: int
    determination_id: int | None
    status: str
    decided_outcome: str | None
    overridden: bool
    clerk: str
    decided_at: str
    note: str | None
    batch_id: str
    previous_review_id: int | None


@dataclass(frozen=True)
class BatchReview:
    """One review of a batch, with what Undo needs to put back."""

    review_id: int
    conviction_id: int
    case_number: str | None
    status: str
    undone: bool
    previous_review_id: int | None
    previous_status: str | None  # None when there was no earlier review: back to pending
    current_review_id: int | None  # the review the conviction points at now
    previous_override: str | None = None  # the earlier review's outcome if it overrode


class ReviewStore(StoreBase):
    def review_states(self, conviction_ids: Sequence[int]) -> dict[int, ReviewState]:
        """The current review state of each conviction that exists (unknown ids are left out)."""
        found: dict[int, ReviewState] = {}
        # the latest run's last conviction read in the same statement (a round trip fewer)
        outcome = (f"coalesce(c.outcome, CASE WHEN c.id <= {LATEST_LAST}"
                   " THEN 'not_applicable' END)")
        for part in chunked(list(conviction_ids)):
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT c.id, c.case_number, {outcome}, c.determination_id, c.review_status,"
                f" c.review_id, c.level FROM convictions c WHERE c.id IN ({marks})",
                tuple(part),
            )
            for r in rows:
                found[r[0]] = ReviewState(r[0], r[1], r[2], r[3], r[4], r[5], r[6])
        return found

    def insert_reviews(self, reviews: Iterable[NewReview]) -> list[int]:
        """Write the reviews and point each conviction at its new one. Call inside `atomic()`:
        the ids are handed out under the open write transaction's lock (`new_ids`). Three
        round trips to a shared store whatever the number: the ids, then both writes."""
        items = list(reviews)
        if not items:
            return []
        ids = self.new_ids("reviews", len(items))
        with self.batched():
            self._write_reviews(ids, items)
        return ids

    def _write_reviews(self, ids: list[int], items: list[NewReview]) -> None:
        self.conn.executemany(
            "INSERT INTO reviews (id, conviction_id, determination_id, status, decided_outcome,"
            " overridden, clerk, decided_at, note, batch_id, previous_review_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (rid, r.conviction_id, r.determination_id, r.status, r.decided_outcome,
                 int(r.overridden), self.actor(r.clerk), r.decided_at, r.note, r.batch_id,
                 r.previous_review_id)
                for rid, r in zip(ids, items, strict=True)
            ],
        )
        # the override column makes the clerk's outcome the one in force (queue, filter,
        # history); a plain decision on top of an override ends it
        self.conn.executemany(
            "UPDATE convictions SET review_status = ?, review_id = ?, override_outcome = ?"
            " WHERE id = ?",
            [(r.status, rid, r.decided_outcome if r.overridden else None, r.conviction_id)
             for rid, r in zip(ids, items, strict=True)],
        )

    def batch_reviews(self, batch_id: str) -> list[BatchReview]:
        rows = self.conn.execute(
            "SELECT r.id, r.conviction_id, c.case_number, r.status, r.undone,"
            " r.previous_review_id, p.status, c.review_id,"
            " CASE WHEN p.overridden != 0 THEN p.decided_outcome END"
            " FROM reviews r JOIN convictions c ON c.id = r.conviction_id"
            " LEFT JOIN reviews p ON p.id = r.previous_review_id"
            " WHERE r.batch_id = ? ORDER BY r.id",
            (batch_id,),
        )
        return [BatchReview(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8])
                for r in rows]

    def printed_since_approval(self, batch_id: str) -> list[str]:
        """Case numbers of the act's approvals that an order was printed for afterwards."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT coalesce(c.case_number, '') FROM reviews r"
            " JOIN convictions c ON c.id = r.conviction_id"
            " JOIN order_items oi ON oi.conviction_id = r.conviction_id"
            " JOIN orders o ON o.id = oi.order_id"
            " WHERE r.batch_id = ? AND r.status = 'approved' AND r.undone = 0"
            " AND o.created_at >= r.decided_at ORDER BY 1", (batch_id,))]

    def revert_reviews(self, items: Sequence[BatchReview]) -> None:
        """Mark the reviews undone and put each conviction back on its previous review
        (or pending when it had none). Call inside `atomic()`."""
        self.conn.executemany(
            "UPDATE reviews SET undone = 1 WHERE id = ?", [(b.review_id,) for b in items]
        )
        self.conn.executemany(
            "UPDATE convictions SET review_status = ?, review_id = ?, override_outcome = ?"
            " WHERE id = ?",
            [
                (b.previous_status or "pending", b.previous_review_id, b.previous_override,
                 b.conviction_id)
                for b in items
            ],
        )

    def latest_batch(self, clerk: str | None = None) -> str | None:
        """The newest decision act not yet undone (optionally by one clerk)."""
        sql = "SELECT batch_id FROM reviews WHERE undone = 0"
        params: tuple = ()
        if clerk is not None:
            sql += " AND clerk = ?"
            params = (self.actor(clerk),)
        row = self.conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return row[0] if row else None

    def review_history(self, conviction_id: int) -> list[dict]:
        """Every decision on one conviction, newest first, undone ones included."""
        rows = self.conn.execute(
            "SELECT id, status, decided_outcome, overridden, clerk, decided_at, note, batch_id,"
            " undone FROM reviews WHERE conviction_id = ? ORDER BY id DESC",
            (conviction_id,),
        )
        return [dict(r) for r in rows]

    def relief_pending_ids(self) -> list[int]:
        """Pending convictions whose outcome grants relief: what `--all-flagged` approves."""
        rows = self.conn.execute(
            "SELECT c.id FROM convictions c WHERE c.review_status = 'pending' AND c.outcome IN"
            " ('dismiss_and_seal', 'redesignate_misdemeanor', 'redesignate_infraction')"
            f" AND {' AND '.join([COUNTED, *self.withdrawn_terms()])} ORDER BY c.id"
        )
        return [r[0] for r in rows]

    def conviction_ids_for_cases(self, case_numbers: Sequence[str]) -> dict[str, list[int]]:
        """Case number -> its convictions' ids, matching any number a case lists, any letter case;
        a withdrawn import's convictions are out of review, as in the queue. The court's copy of
        a reconciled pair is the pair's other conviction, the one the queue shows and decides
        (one conviction: the court's case number finds it, and it is decided once)."""
        found: dict[str, list[int]] = {}
        live = "".join(f" AND {t}" for t in self.withdrawn_terms())
        counted = ("coalesce((SELECT CASE WHEN l.merged_id = l.court_id THEN l.doj_id"
                   " ELSE l.court_id END FROM reconcile_links l WHERE l.merged_id = c.id), c.id)")
        for number in case_numbers:
            rows = self.conn.execute(
                f"SELECT {counted} FROM convictions c WHERE (c.case_number = ?1 COLLATE NOCASE"
                " OR c.case_id IN (SELECT cases.id FROM cases, json_each(cases.case_numbers) j"
                f" WHERE j.value = ?1 COLLATE NOCASE)){live} ORDER BY c.id",
                (number.strip(),),
            )
            found[number] = list(dict.fromkeys(int(r[0]) for r in rows))
        return found
