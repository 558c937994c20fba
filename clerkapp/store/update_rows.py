"""What an update file lists and what the store records of one: the granted, ordered counts
(`UpdateRow`) with the SQL that selects and orders them, and the update files written
(`NewUpdateFile`, `UpdateFile`). Used by the close-out queries (closeout.py), the corrections
and withdrawals (update_corrections.py) and the order queries (closeout_orders.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.closeout_sql import (
    ACTIVE,
    CASE_NUMBER,
    FIRST_ORDER,
    ORDER_DATE_OF_O,
    ORDER_NUMBER,
    SIGNED_ON,
    done_sql,
)


@dataclass(frozen=True)
class UpdateRow:
    """One granted, ordered count as an update file or a report lists it."""

    conviction_id: int
    case_number: str
    case_numbers: tuple[str, ...]
    count: str
    name: str
    dob: str
    cii: str
    county: str
    court: str
    code_section: str
    level: str
    conviction_date: str
    outcome: str
    remedy: str
    order_id: int
    order_number: str
    order_date: str
    judge: str
    reason: str
    source_row_ids: tuple[int, ...]
    section_number: str = ""
    section_subs: str = ""
    offense_date: str = ""
    attempted: bool = False
    conspiracy: bool = False
    # report | correction (an earlier file reported another relief or order) | withdrawal
    # (the relief reported no longer stands); the earlier report a row corrects
    action: str = "report"
    previous_order_id: int | None = None
    previous_order_number: str = ""
    previous_outcome: str = ""

    @property
    def recorded_outcome(self) -> str:
        """What `update_items.outcome` holds: the relief reported, or "withdrawn"."""
        return "withdrawn" if self.action == "withdrawal" else self.outcome


@dataclass(frozen=True)
class NewUpdateFile:
    kind: str  # doj | cms | judge_review | judge_final
    path: str
    sha256: str
    layout: str  # layout name and version
    rows: Sequence[UpdateRow]
    since: str | None = None
    include_all: bool = False
    order_id: int | None = None  # a judge's report: the order it is about (no rows recorded)
    row_count: int | None = None  # a judge's report: the convictions it lists


@dataclass(frozen=True)
class UpdateFile:
    file_id: int
    kind: str
    path: str
    sha256: str
    layout: str
    row_count: int
    created_by: str
    created_at: str
    voided_at: str | None = None  # the file was never taken: its counts are to report again
    voided_by: str | None = None
    void_reason: str | None = None


def update_file_of(r) -> UpdateFile:
    return UpdateFile(r["id"], r["kind"], r["path"], r["sha256"], r["layout"], r["row_count"],
                      r["created_by"], r["created_at"], r["voided_at"], r["voided_by"],
                      r["void_reason"])


def row_columns(outcome: str) -> str:
    """The columns `update_row` reads, with `outcome` the SQL of the relief the row states
    (the approval in force; for a withdrawal, the relief reported)."""
    return f"""
SELECT c.id, {CASE_NUMBER}, cs.case_numbers, coalesce(c.count_key, ''),
       coalesce(p.name, ''), coalesce(p.dob, ''), coalesce(p.cii, ''), coalesce(c.county, ''),
       coalesce(c.court, ''), coalesce(c.code_section, ''), coalesce(c.level, ''),
       coalesce(c.conviction_date, ''), {outcome}, coalesce(d.remedy, c.remedy, ''),
       o.id, {ORDER_NUMBER}, {ORDER_DATE_OF_O},
       coalesce((SELECT s.judge FROM order_signatures s WHERE s.order_id = o.id
                 ORDER BY s.id DESC LIMIT 1), ''),
       coalesce(c.reason_summary, ''), c.source_row_ids, coalesce(c.section_number, ''),
       coalesce(c.section_subs, ''), coalesce(c.offense_date, ''), c.attempted, c.conspiracy
"""


ROWS_FROM = f"""FROM convictions c
JOIN people p ON p.id = c.person_id
JOIN reviews r ON r.id = c.review_id
JOIN orders o ON o.id = {FIRST_ORDER}
LEFT JOIN cases cs ON cs.id = c.case_id
LEFT JOIN determinations d ON d.id = coalesce(r.determination_id, c.determination_id)
WHERE c.review_status = 'approved' AND {ACTIVE}
"""
ROWS = row_columns("r.decided_outcome") + ROWS_FROM
ROW_ORDER = (f" ORDER BY {CASE_NUMBER} COLLATE NOCASE, p.name COLLATE NOCASE, c.person_id,"
              " CAST(c.count_key AS INTEGER), c.count_key, c.id")


def update_filter(kind: str, since: str | None, include_all: bool,
                   order_id: int | None, signed: bool | None = True) -> tuple[str, list]:
    """`signed`: True, only counts whose order in force is recorded as signed (what an update
    reports: the court's order, on the day the judge signed it); False, only those whose
    order awaits the signature; None, both."""
    sql, params = ROWS, []
    if signed is not None:
        sql += f" AND {SIGNED_ON} IS {'NOT ' if signed else ''}NULL"
    if not include_all:
        sql += f" AND NOT {done_sql(kind, 'o.id')}"  # `o`: the order in force, joined once
    if since:
        sql += f" AND {ORDER_DATE_OF_O} >= ?"
        params.append(since)
    if order_id is not None:
        sql += " AND o.id = ?"
        params.append(order_id)
    return sql, params


def update_row(r: tuple) -> UpdateRow:
    numbers = [str(n) for n in json.loads(r[2] or "[]") if str(n).strip()]
    if r[1] and r[1] not in numbers:
        numbers.insert(0, r[1])
    return UpdateRow(
        conviction_id=r[0], case_number=r[1] or (numbers[0] if numbers else ""),
        case_numbers=tuple(numbers), count=r[3], name=r[4], dob=r[5], cii=r[6], county=r[7],
        court=r[8], code_section=r[9], level=r[10], conviction_date=r[11], outcome=r[12],
        remedy=r[13], order_id=r[14], order_number=r[15], order_date=r[16], judge=r[17],
        reason=r[18], source_row_ids=tuple(int(i) for i in json.loads(r[19] or "[]")),
        section_number=r[20], section_subs=r[21], offense_date=r[22], attempted=bool(r[23]),
        conspiracy=bool(r[24]),
    )
