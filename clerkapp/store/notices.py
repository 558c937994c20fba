"""Queries for notices to people relieved: which ordered convictions still need a notice in a
language, and the record of every notice printed (`notices` + `notice_items`, audited)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.base import StoreBase, now_iso
from clerkapp.store.closeout_sql import ACTIVE, DECIDED, FIRST_ORDER, ORDER_DATE


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
    order_id: int  # the order in force (close-out's)
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


# convictions whose relief was ordered: close-out's rules (relief standing, the order in force
# the first printed since the approval, a signed one first; its date the day it was signed)
_ORDERED = f"""
SELECT * FROM (
  SELECT c.id, c.person_id, coalesce(c.case_number, '') AS case_number,
         coalesce(c.code_section, ''), coalesce(c.level, ''), coalesce(c.conviction_date, ''),
         {DECIDED}, coalesce(c.remedy, ''), {FIRST_ORDER} AS order_id,
         {ORDER_DATE} AS order_date, c.conviction_date AS sort_date
  FROM convictions c WHERE {ACTIVE}
) x WHERE x.order_id IS NOT NULL
"""
# the order in force is recorded as signed: a notice tells the person of the court's order,
# and a printed order is a paper for the judge to sign until then (closeout/unsigned.py)
_SIGNED = "EXISTS (SELECT 1 FROM order_signatures s WHERE s.order_id = x.order_id)"


class NoticeStore(StoreBase):
    def notice_rows(self, *, language: str, since: str | None = None,
                    person_ids: Sequence[int] | None = None, again: bool = False,
                    signed: bool | None = True) -> list[NoticeRow]:
        """Ordered convictions to report, by person then date: first ordered on or after
        `since`, of `person_ids`, and (unless `again`) not yet in a notice in `language`;
        `signed`: True, only those whose order in force is recorded as signed (what a notice
        reports); False, only those whose order awaits the signature; None, both."""
        sql, params = self._notice_filter(language, since, person_ids, again, signed)
        sql += " ORDER BY x.person_id, x.sort_date, x.case_number, x.id"
        return [NoticeRow(*r[:10]) for r in self.conn.execute(sql, params).fetchall()]

    def unsigned_notice_rows(self, *, language: str, since: str | None = None,
                             person_ids: Sequence[int] | None = None,
                             again: bool = False) -> list[tuple[int, str]]:
        """(conviction id, order number) of the convictions a notice leaves out because their
        order in force is not recorded as signed yet, in the order the orders were printed."""
        sql, params = self._notice_filter(language, since, person_ids, again, False)
        return [(int(r[0]), str(r[1] or "") or f"#{r[2]}") for r in self.conn.execute(
            "SELECT u.id, o.order_number, o.id FROM (" + sql + ") u JOIN orders o"
            " ON o.id = u.order_id ORDER BY o.id, u.id", params)]

    def _notice_filter(self, language: str, since: str | None,
                       person_ids: Sequence[int] | None, again: bool,
                       signed: bool | None) -> tuple[str, list]:
        sql, params = _ORDERED, []
        if signed is not None:
            sql += f" AND {'' if signed else 'NOT '}{_SIGNED}"
        if since:
            sql += " AND x.order_date >= ?"
            params.append(since)
        if person_ids is not None:
            sql += " AND x.person_id IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(p) for p in person_ids]))
        if not again:
            sql += (" AND NOT EXISTS (SELECT 1 FROM notice_items ni JOIN notices n"
                    " ON n.id = ni.notice_id WHERE ni.conviction_id = x.id AND n.language = ?)")
            params.append(language)
        return sql, params

    def ordered_conviction_count(self, person_id: int, *, signed: bool | None = None) -> int:
        """Convictions of this person whose relief was ordered (noticed or not; `signed`:
        True, only those whose order in force is recorded as signed)."""
        sql = "SELECT count(*) FROM (" + _ORDERED + " AND x.person_id = ?"
        if signed is not None:
            sql += f" AND {'' if signed else 'NOT '}{_SIGNED}"
        return int(self.conn.execute(sql + ")", (person_id,)).fetchone()[0])

    def record_notices(self, notices: Sequence[NewNotice], *, created_by: str) -> list[int]:
        """Record printed notices and audit each (the person's id, never the name)."""
        at = now_iso()
        created_by = self.actor(created_by)
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
