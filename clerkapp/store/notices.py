"""Queries for notices to people relieved: which ordered convictions still need a notice in a
language, and the record of every notice printed (`notices` + `notice_items`, audited)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.store.base import StoreBase, now_iso

_RELIEF = tuple(sorted(o.value for o in RELIEF_OUTCOMES))


@dataclass(frozen=True)
class NoticeRow:
    """One ordered conviction a notice reports."""

    conviction_id: int
    person_id: int
    case_number: str
    code_section: str
    level: str
    conviction_date: str
    outcome: str  # the relief ordered (the decided outcome)
    remedy: str
    order_id: int  # the latest order that covered it (a reprint supersedes the paper)
    order_date: str


@dataclass(frozen=True)
class NewNotice:
    person_id: int
    language: str
    path: str
    sha256: str
    template: str
    conviction_ids: Sequence[int]
    mailed: bool
    combined: bool
    again: bool


@dataclass(frozen=True)
class PrintedNotice:
    notice_id: int
    person_id: int
    language: str
    path: str
    created_by: str
    created_at: str
    conviction_count: int


_ORDERED = f"""
SELECT c.id, c.person_id, coalesce(c.case_number, ''), coalesce(c.code_section, ''),
       coalesce(c.level, ''), coalesce(c.conviction_date, ''),
       coalesce(r.decided_outcome, c.outcome_in_force), coalesce(c.remedy, ''),
       fo.order_id, substr(fo.created_at, 1, 10)
FROM convictions c
JOIN reviews r ON r.id = c.review_id
JOIN (SELECT oi.conviction_id, max(o.id) AS order_id, max(o.created_at) AS created_at
      FROM order_items oi JOIN orders o ON o.id = oi.order_id GROUP BY oi.conviction_id) fo
  ON fo.conviction_id = c.id
WHERE c.review_status = 'approved'
  AND coalesce(r.decided_outcome, c.outcome_in_force) IN ({",".join("?" * len(_RELIEF))})
"""


class NoticeStore(StoreBase):
    def notice_rows(self, *, language: str, since: str | None = None,
                    person_ids: Sequence[int] | None = None,
                    again: bool = False) -> list[NoticeRow]:
        """Ordered convictions to report, by person then date: first ordered on or after
        `since`, of `person_ids`, and (unless `again`) not yet in a notice in `language`."""
        sql, params = _ORDERED, list(_RELIEF)
        if since:
            sql += " AND fo.created_at >= ?"
            params.append(since)
        if person_ids is not None:
            sql += " AND c.person_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(p) for p in person_ids]))
        if not again:
            sql += (" AND NOT EXISTS (SELECT 1 FROM notice_items ni JOIN notices n"
                    " ON n.id = ni.notice_id WHERE ni.conviction_id = c.id AND n.language = ?)")
            params.append(language)
        sql += " ORDER BY c.person_id, c.conviction_date, c.case_number, c.id"
        return [NoticeRow(*r) for r in self.conn.execute(sql, params).fetchall()]

    def ordered_conviction_count(self, person_id: int) -> int:
        """Convictions of this person whose relief was ordered (noticed or not)."""
        sql = "SELECT count(*) FROM (" + _ORDERED + " AND c.person_id = ?)"
        return int(self.conn.execute(sql, (*_RELIEF, person_id)).fetchone()[0])

    def record_notices(self, notices: Sequence[NewNotice], *, created_by: str) -> list[int]:
        """Record printed notices and audit each (the person's id, never the name)."""
        at = now_iso()
        ids: list[int] = []
        with self.atomic():
            for n in notices:
                notice_id = int(self.conn.execute(
                    "INSERT INTO notices (person_id, language, path, sha256, template, mailed,"
                    " combined, again, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (n.person_id, n.language, n.path, n.sha256, n.template, int(n.mailed),
                     int(n.combined), int(n.again), created_by, at)).lastrowid)
                self.conn.executemany(
                    "INSERT INTO notice_items (notice_id, conviction_id) VALUES (?, ?)",
                    [(notice_id, int(c)) for c in dict.fromkeys(n.conviction_ids)])
                self.audit(  # type: ignore[attr-defined]
                    created_by, "notice.printed", entity="person", entity_id=n.person_id,
                    details={"notice": notice_id, "language": n.language,
                             "convictions": sorted(int(c) for c in n.conviction_ids),
                             "mailed": n.mailed, "combined": n.combined, "again": n.again,
                             "sha256": n.sha256, "template": n.template})
                ids.append(notice_id)
        return ids

    def person_notices(self, person_id: int) -> list[PrintedNotice]:
        rows = self.conn.execute(
            "SELECT n.id, n.person_id, n.language, n.path, n.created_by, n.created_at,"
            " (SELECT count(*) FROM notice_items ni WHERE ni.notice_id = n.id)"
            " FROM notices n WHERE n.person_id = ? ORDER BY n.id DESC", (person_id,))
        return [PrintedNotice(*r) for r in rows]
