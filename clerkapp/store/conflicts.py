"""Several clerks on one store: a decision never replaces one it did not see, and each window
learns cheaply that somebody else changed something.

A decision carries, for each conviction, the review the clerk saw (`convictions.review_id`
when the row was read). Inside the decision's write transaction the store reads them again;
any that moved means another clerk decided (or undid) in between, and the whole act is
refused with `DecidedElsewhere`, naming who and when. The write lock (SQLite's BEGIN
IMMEDIATE, PostgreSQL's advisory lock) makes the check and the write one step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from clerkapp.errors import Conflict, DecidedElsewhere
from clerkapp.store.base import StoreBase
from clerkapp.store.reviews import chunked

NAMED = 20  # conflicts named from the audit log (who, when); the rest from their review row


class ConflictStore(StoreBase):
    def current_review_ids(self, conviction_ids: Sequence[int]) -> dict[int, int | None]:
        """Each conviction's current review id (None: never decided, or undone back to
        pending): what a decision later expects to find unchanged."""
        found: dict[int, int | None] = {}
        for part in chunked(list(conviction_ids)):
            marks = ",".join("?" * len(part))
            for cid, rid in self.conn.execute(
                    f"SELECT id, review_id FROM convictions WHERE id IN ({marks})", tuple(part)):
                found[int(cid)] = None if rid is None else int(rid)
        return found

    def changed_since_seen(self, expected: Mapping[int, int | None]) -> list[Conflict]:
        """The convictions whose review is no longer the one expected, with who changed it
        and when (from the audit log for the first NAMED, else from the review now in force)."""
        conflicts: list[Conflict] = []
        for part in chunked(list(expected)):
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                "SELECT c.id, c.case_number, c.review_id, c.review_status, r.clerk,"
                " r.decided_at FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id"
                f" WHERE c.id IN ({marks}) ORDER BY c.id", tuple(part))
            for cid, case, rid, status, clerk, at in rows:
                if rid != expected[int(cid)]:
                    conflicts.append(Conflict(int(cid), case, clerk or "", at or "", status))
        return [self._named(c) if n < NAMED else c for n, c in enumerate(conflicts)]

    def require_unchanged(self, expected: Mapping[int, int | None], *,
                          undo: bool = False) -> None:
        """Raise DecidedElsewhere when any conviction's review moved since it was seen.
        Call inside the write transaction that records the decision (or the undo)."""
        conflicts = self.changed_since_seen(expected)
        if conflicts:
            raise DecidedElsewhere(conflicts, total=len(expected), undo=undo)

    def _named(self, conflict: Conflict) -> Conflict:
        """Who last decided or undid this conviction, and when, from its audit entries."""
        row = self.conn.execute(
            "SELECT actor, at, action FROM audit_log WHERE entity = 'conviction'"
            " AND entity_id = ? AND action LIKE 'review.%' ORDER BY id DESC LIMIT 1",
            (conflict.conviction_id,)).fetchone()
        if row is None:
            return conflict
        return Conflict(conflict.conviction_id, conflict.case_number, row[0], row[1],
                        str(row[2]).removeprefix("review."))

    def change_marker(self) -> int:
        """The audit log's last id: every change a clerk can see is audited, so when it has
        not moved nothing has changed. One index lookup (microseconds)."""
        row = self.conn.execute("SELECT max(id) FROM audit_log").fetchone()
        return int(row[0] or 0)
