"""Decisions and orders checked against their audit entries: a `reviews` or `orders` row
written or changed with a database tool, without the audit entry the app writes beside it,
is found here. SQL only; `clerkapp.integrity` words the findings and decides what they stop.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from clerkapp.store.audit import _COLUMNS, entry_matches
from clerkapp.store.base import StoreBase


@dataclass(frozen=True)
class Mismatch:
    """One record that does not match the audit log."""

    table: str  # reviews | convictions | orders
    row_id: int
    case_number: str
    what: str  # what does not match, in words

    def line(self) -> str:
        case = f" (case {self.case_number})" if self.case_number else ""
        return f"{self.table} row {self.row_id}{case}: {self.what}"


# a review row and the audit entry written with it (review.<status>, same conviction, same
# review id), its columns as they are (its hash is recomputed) and the details compared read
# in SQL; undone reviews also need their review.undone entry
_ENTRY = ", ".join("a." + col.strip() for col in _COLUMNS.split(","))
_REVIEW_SQL = f"""
SELECT r.id, r.conviction_id, coalesce(c.case_number, ''), r.status, r.decided_outcome,
       r.overridden, r.clerk, r.note, r.batch_id,
       CASE WHEN r.undone != 0 THEN (SELECT count(*) FROM audit_log u WHERE u.entity = 'conviction'
            AND u.entity_id = r.conviction_id AND u.action = 'review.undone'
            AND CAST(json_extract(u.details, '$.review_id') AS INTEGER) = r.id) ELSE 1 END,
       json_extract(a.details, '$.outcome'), json_extract(a.details, '$.overridden'),
       json_extract(a.details, '$.note'), json_extract(a.details, '$.batch'), {_ENTRY}
FROM reviews r LEFT JOIN convictions c ON c.id = r.conviction_id
LEFT JOIN audit_log a ON a.id = (
    SELECT e.id FROM audit_log e WHERE e.entity = 'conviction' AND e.entity_id = r.conviction_id
      AND e.action = 'review.' || r.status AND CAST(json_extract(e.details, '$.review_id') AS INTEGER) = r.id
    ORDER BY e.id LIMIT 1)
"""

# The same check, decided in SQL for the common case, so that the approvals a bulk order prints
# (tens of thousands) cost no JSON decoding in Python: `ok` holds only when every field agrees
# in its canonical JSON form (stricter than `_review_problem`: any other spelling is looked at
# again by it), and `payload` is what the entry's own hash covers (`audit._entry_hash`), so
# Python only hashes it. A row not ok, or whose hash differs, is checked by `_REVIEW_SQL`.
_SEP = " || char(31) || "
_PAYLOAD = _SEP.join([
    "a.prev_hash", "a.at", "a.actor", "a.action", "coalesce(a.entity, '')",
    "CASE WHEN coalesce(a.entity_id, 0) != 0 THEN CAST(a.entity_id AS TEXT) ELSE '' END",
    "coalesce(a.case_number, '')", "a.details"])
REVIEW_FAST_SQL = f"""
SELECT r.id, a.id IS NOT NULL AND a.actor = r.clerk
       AND coalesce(a.details -> '$.outcome', 'null') = json_quote(r.decided_outcome)
       AND ((r.overridden = 1 AND a.details -> '$.overridden' = 'true')
            OR (r.overridden = 0 AND coalesce(a.details -> '$.overridden', 'null')
                IN ('false', 'null')))
       AND ((coalesce(r.note, '') = '' AND coalesce(a.details -> '$.note', 'null')
             IN ('null', '""')) OR a.details -> '$.note' = json_quote(r.note))
       AND coalesce(a.details -> '$.batch', 'null') = json_quote(r.batch_id)
       AND (r.undone = 0 OR EXISTS (SELECT 1 FROM audit_log u WHERE u.entity = 'conviction'
            AND u.entity_id = r.conviction_id AND u.action = 'review.undone'
            AND CAST(json_extract(u.details, '$.review_id') AS INTEGER) = r.id)),
       {_PAYLOAD}, a.hash
FROM reviews r
LEFT JOIN audit_log a ON a.id = (
    SELECT e.id FROM audit_log e WHERE e.entity = 'conviction' AND e.entity_id = r.conviction_id
      AND e.action = 'review.' || r.status AND CAST(json_extract(e.details, '$.review_id') AS INTEGER) = r.id
    ORDER BY e.id LIMIT 1)
"""

# a conviction's pointer to the review in force agrees with that review
_POINTER_SQL = """
SELECT c.id, coalesce(c.case_number, ''), c.review_status, c.review_id, c.override_outcome,
       r.conviction_id, r.status, r.undone, r.overridden, r.decided_outcome
FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id
"""

_ORDER_SQL = f"""
SELECT o.id, o.kind, o.sha256, o.conviction_count, o.order_number,
       (SELECT count(*) FROM order_items oi WHERE oi.order_id = o.id),
       (SELECT json_array({", ".join("a." + col.strip() for col in _COLUMNS.split(","))})
        FROM audit_log a WHERE a.entity = 'order' AND a.entity_id = o.id
          AND a.action = 'order.printed.' || o.kind ORDER BY a.id LIMIT 1)
FROM orders o
"""


def _ids(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


class IntegrityStore(StoreBase):
    def review_mismatches(self, conviction_ids: Iterable[int] | None = None, *,
                          after_review_id: int = 0, approved: bool = False,
                          limit: int = 50) -> list[Mismatch]:
        """Reviews (of these convictions, or of every approved one, or all after
        `after_review_id`) that disagree with their audit entry, and convictions whose review
        in force disagrees with it."""
        where, params = " WHERE r.id > ?", [after_review_id]
        # every conviction's pointer on a full check; on an incremental one, those of the
        # convictions the new reviews decided
        pwhere = " WHERE (c.review_id IS NOT NULL OR c.review_status != 'pending')"
        pparams: list = []
        if after_review_id:
            pwhere += " AND c.id IN (SELECT conviction_id FROM reviews WHERE id > ?)"
            pparams = [after_review_id]
        if approved:  # what orders print: the approved convictions and their reviews
            where += (" AND r.conviction_id IN (SELECT id FROM convictions"
                      " WHERE review_status = 'approved')")
            pwhere += " AND c.review_status = 'approved'"
        if conviction_ids is not None:
            where += " AND r.conviction_id IN (SELECT value FROM json_each(?))"
            params.append(_ids(conviction_ids))
            pwhere = " WHERE c.id IN (SELECT value FROM json_each(?))"
            pparams = [params[-1]]
        found: list[Mismatch] = []
        cursor = self.conn.cursor()
        cursor.row_factory = None
        doubtful = [rid for rid, ok, payload, digest in cursor.execute(
            REVIEW_FAST_SQL + where + " ORDER BY r.id", params)
            if not ok or payload is None
            or hashlib.sha256(payload.encode("utf-8")).hexdigest() != digest]
        for start in range(0, len(doubtful), 500):  # each worded by the full check
            chunk = doubtful[start:start + 500]
            for row in cursor.execute(
                    _REVIEW_SQL + " WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id",
                    (_ids(chunk),)):
                what = _review_problem(row)
                if what:
                    found.append(Mismatch("reviews", row[0], row[2], what))
                    if len(found) >= limit:
                        return found
        for row in cursor.execute(_POINTER_SQL + pwhere + " ORDER BY c.id", pparams):
            what = _pointer_problem(row)
            if what:
                found.append(Mismatch("convictions", row[0], row[1], what))
                if len(found) >= limit:
                    break
        return found

    def order_mismatches(self, *, after_order_id: int = 0, limit: int = 50) -> list[Mismatch]:
        found: list[Mismatch] = []
        cursor = self.conn.cursor()
        cursor.row_factory = None
        for row in cursor.execute(_ORDER_SQL + " WHERE o.id > ? ORDER BY o.id",
                                  (after_order_id,)):
            order_id, _kind, digest, count, number, items, entry = row
            what = ""
            if entry is None:
                what = "no audit entry records this order"
            else:
                e = json.loads(entry)
                details = json.loads(e[7])
                if not entry_matches(tuple(e)):
                    what = f"its audit entry #{e[0]} was edited"
                elif details.get("sha256") != digest:
                    what = "its file's sha256 differs from the one audited"
                elif details.get("convictions") != count or items != count:
                    what = (f"it covers {items} conviction(s); the audit entry says"
                            f" {details.get('convictions')}")
                elif details.get("order_number", number) != number:
                    what = "its order number differs from the one audited"
            if what:
                found.append(Mismatch("orders", order_id, "", what))
                if len(found) >= limit:
                    break
        return found

    def last_ids(self) -> tuple[int, int]:
        """(last review id, last order id): where an incremental check resumes."""
        r = self.conn.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0]
        o = self.conn.execute("SELECT coalesce(max(id), 0) FROM orders").fetchone()[0]
        return int(r), int(o)


def _json_true(value: object) -> bool:
    """A JSON boolean as read in SQL: 1/0 from SQLite's json_extract, 'true'/'false' text
    from PostgreSQL's."""
    return value not in (None, 0, False, "0", "false", "")


def _review_problem(row: tuple) -> str:
    (_rid, _cid, _case, status, outcome, overridden, clerk, note, batch, undo_entries,
     a_outcome, a_overridden, a_note, a_batch) = row[:14]
    entry = row[14:]
    if entry[0] is None:
        return f"no audit entry records this {status} decision"
    if not entry_matches(entry):
        return f"its audit entry #{entry[0]} was edited"
    if entry[2] != clerk:
        return f"decided by {clerk!r} here, by {entry[2]!r} in audit entry #{entry[0]}"
    if a_outcome != outcome:
        return f"outcome {outcome!r} here, {a_outcome!r} in audit entry #{entry[0]}"
    if _json_true(a_overridden) != bool(overridden):
        return f"the override mark differs from audit entry #{entry[0]}"
    if (a_note or "") != (note or ""):
        return f"the note differs from audit entry #{entry[0]}"
    if a_batch != batch:
        return f"the decision act differs from audit entry #{entry[0]}"
    if not undo_entries:
        return "marked undone, but no audit entry records the undo"
    return ""


def _pointer_problem(row: tuple) -> str:
    (_cid, _case, status, review_id, override, r_conviction, r_status, r_undone, r_overridden,
     r_outcome) = row
    if review_id is None:
        return "" if status == "pending" and override is None else (
            f"review status {status!r} without a decision")
    if r_conviction is None:
        return f"points at review {review_id}, which does not exist"
    if r_conviction != _cid:
        return f"points at review {review_id} of another conviction"
    if r_undone:
        return f"points at review {review_id}, which was undone"
    if r_status != status:
        return f"review status {status!r} here, {r_status!r} in review {review_id}"
    if override != (r_outcome if r_overridden else None):
        return f"the outcome in force differs from review {review_id}"
    return ""
