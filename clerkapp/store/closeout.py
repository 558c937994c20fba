"""Queries for closing the record: which granted convictions are ordered, reported to the DOJ,
updated in the court's case system; the update files written; the judge's signature on orders.

A conviction's stage is derived (`closeout_sql.STAGE`) from the approval in force (`reviews`),
the orders printed after it (`orders`/`order_items`), the signatures recorded
(`order_signatures`) and the update files written (`update_files`/`update_items`); the filters
and counts read it from `closeout_stage`, which triggers recompute with that same SQL whenever
one of those changes (`closeout_state`). So an undo, a denial, a withdrawn import or a reprint
can never leave a stale stage behind.

Rules the SQL below encodes:
- the relief stands while the conviction is approved with a relief outcome and its import is
  not withdrawn; a conviction ordered once whose relief no longer stands is "withdrawn";
- the order in force is the first order printed at or after the approval in force (a reprint
  changes nothing; an approval given again after a denial needs its order printed again);
- the order date is the date the judge signed that order when recorded, else the day it was
  printed; the DOJ report is due `closeout.doj_days` (default 30) days after it;
- a count is reported (or updated) when an update file of that kind holds it with the outcome
  approved now: reporting a relief that was changed since does not count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from clerkapp.domain.closeout import DEFAULT_DOJ_DAYS, Progress, Stage
from clerkapp.store.base import StoreBase, now_iso
from clerkapp.store.closeout_sql import (  # noqa: F401 - the rules, used here and by others
    ACTIVE,
    APPROVED_AT,
    CASE_NUMBER,
    DAYS,
    DAYS_KEY,
    DECIDED,
    EVER_ORDERED,
    FIRST_ORDER,
    IMPORT_WITHDRAWN,
    ORDER_DATE,
    ORDER_DATE_OF_O,
    ORDER_NUMBER,
    ORDERED_IN_FORCE,
    RELIEF_SQL,
    SIGNED_ON,
    STAGE,
    TODAY,
    UPDATE_KINDS,
    done_sql,
    last_update_action,
)


def _staged(where: str) -> str:
    """SQL: conviction `c` has a kept close-out stage (`closeout_stage` s) meeting `where`."""
    return f"c.id IN (SELECT s.conviction_id FROM closeout_stage s WHERE {where})"


# what the latest DOJ update file holding a kept stage's conviction did for it
_WITHDRAWAL_TOLD = last_update_action("doj", "s.conviction_id")

# queue filter value -> (label, SQL over convictions c); labels are what the filter bar offers.
# Each reads the stage kept by `closeout_state`'s triggers: the same as deriving it (ACTIVE,
# ORDERED_IN_FORCE, done_sql), without deriving it for every approved conviction.
CLOSEOUT_FILTERS: dict[str, tuple[str, str]] = {
    "approved_not_ordered": ("Approved, not ordered", _staged("s.stage = 'approved'")),
    "ordered_not_reported": ("Ordered, not reported", _staged("s.stage = 'ordered'")),
    "overdue": ("Overdue", _staged(f"s.stage = 'ordered' AND date(s.order_date, '+' || {DAYS}"
                                   f" || ' days') < {TODAY}")),
    "not_in_case_system": ("Ordered, case system not updated",
                           _staged("s.stage = 'reported' OR (s.stage = 'ordered' AND NOT s.cms)")),
    "closed": ("Closed", _staged("s.stage = 'closed'")),
    "withdrawn": ("Withdrawn after order", _staged("s.stage = 'withdrawn'")),
    # the DOJ's side of a withdrawal (docs/closing.md, "Corrections"): told in a withdrawal
    # row, still to be told (a file reported the relief and none withdrew it), or never
    # reported, so there is nothing to tell
    "withdrawn_doj_told": ("Withdrawn, DOJ told", _staged(
        f"s.stage = 'withdrawn' AND {_WITHDRAWAL_TOLD} = 'withdrawal'")),
    "withdrawn_doj_not_told": ("Withdrawn, DOJ not yet told", _staged(
        f"s.stage = 'withdrawn' AND {_WITHDRAWAL_TOLD} IN ('report', 'correction')")),
    "withdrawn_never_reported": ("Withdrawn, never reported to the DOJ", _staged(
        f"s.stage = 'withdrawn' AND {_WITHDRAWAL_TOLD} IS NULL")),
}
# the withdrawn filters' counts, one pass over the withdrawn convictions
_WITHDRAWN_COUNTS = (f"SELECT CASE {_WITHDRAWAL_TOLD} WHEN 'withdrawal' THEN"
                     " 'withdrawn_doj_told' WHEN 'report' THEN 'withdrawn_doj_not_told'"
                     " WHEN 'correction' THEN 'withdrawn_doj_not_told'"
                     " ELSE 'withdrawn_never_reported' END, count(*) FROM closeout_stage s"
                     " WHERE s.stage = 'withdrawn' GROUP BY 1")


def closeout_clause(kind: str) -> str:
    """The WHERE term of a close-out queue filter (no parameters: days and today are read
    in SQL, from the court profile and the clock)."""
    try:
        sql = CLOSEOUT_FILTERS[kind][1]
    except KeyError:
        raise ValueError(f"unknown close-out filter {kind!r}") from None
    return sql


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


def _update_file(r) -> UpdateFile:
    return UpdateFile(r["id"], r["kind"], r["path"], r["sha256"], r["layout"], r["row_count"],
                      r["created_by"], r["created_at"], r["voided_at"], r["voided_by"],
                      r["void_reason"])


@dataclass(frozen=True)
class OrderSignature:
    order_id: int
    signed_on: str
    judge: str
    recorded_by: str
    recorded_at: str


def row_columns(outcome: str) -> str:
    """The columns `_update_row` reads, with `outcome` the SQL of the relief the row states
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


_ROWS_FROM = f"""FROM convictions c
JOIN people p ON p.id = c.person_id
JOIN reviews r ON r.id = c.review_id
JOIN orders o ON o.id = {FIRST_ORDER}
LEFT JOIN cases cs ON cs.id = c.case_id
LEFT JOIN determinations d ON d.id = coalesce(r.determination_id, c.determination_id)
WHERE c.review_status = 'approved' AND {ACTIVE}
"""
_ROWS = row_columns("r.decided_outcome") + _ROWS_FROM
_ROW_ORDER = (f" ORDER BY {CASE_NUMBER} COLLATE NOCASE, p.name COLLATE NOCASE, c.person_id,"
              " CAST(c.count_key AS INTEGER), c.count_key, c.id")


def _update_filter(kind: str, since: str | None, include_all: bool,
                   order_id: int | None, signed: bool | None = True) -> tuple[str, list]:
    """`signed`: True, only counts whose order in force is recorded as signed (what an update
    reports: the court's order, on the day the judge signed it); False, only those whose
    order awaits the signature; None, both."""
    sql, params = _ROWS, []
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


def _update_row(r: tuple) -> UpdateRow:
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


class CloseoutStore(StoreBase):
    def doj_days(self) -> int:
        value = self.get_setting(DAYS_KEY)  # type: ignore[attr-defined]
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_DOJ_DAYS

    # --- stages --------------------------------------------------------------------------
    def closeout_progress(self, conviction_ids: Sequence[int]) -> dict[int, Progress]:
        """The close-out stage of each of these convictions that has one (granted, or
        ordered once): a queue window's worth at a time."""
        if not conviction_ids:
            return {}
        marks = ",".join("?" * len(conviction_ids))
        sql = (f"SELECT c.id, {STAGE}, {ORDER_DATE}, {done_sql('cms')} FROM convictions c"
               f" WHERE c.id IN ({marks}) AND (c.review_status = 'approved' OR {EVER_ORDERED})")
        out: dict[int, Progress] = {}
        for cid, stage, order_date, cms in self.conn.execute(sql, tuple(conviction_ids)):
            if stage:
                out[cid] = Progress(Stage(stage), order_date, bool(cms))
        return out

    def closeout_record(self, conviction_id: int) -> dict | None:
        """One conviction's close-out for the detail pane: its progress, the order in force
        (number, date, whether signed) and every update file that held it; None when it has
        no close-out (never granted, never ordered)."""
        progress = self.closeout_progress([conviction_id]).get(conviction_id)
        if progress is None:
            return None
        order = self.conn.execute(
            f"SELECT {ORDER_NUMBER}, {ORDER_DATE_OF_O}, {SIGNED_ON} IS NOT NULL, o.id"
            f" FROM convictions c JOIN orders o ON o.id = {FIRST_ORDER} WHERE c.id = ?",
            (conviction_id,)).fetchone()
        files = [dict(r) for r in self.conn.execute(
            "SELECT uf.kind, uf.created_at, uf.created_by, ui.outcome FROM update_items ui"
            " JOIN update_files uf ON uf.id = ui.file_id WHERE ui.conviction_id = ?"
            " AND uf.voided_at IS NULL ORDER BY uf.id", (conviction_id,))]
        vacated = self.vacated_orders([conviction_id])  # type: ignore[attr-defined]
        return {"progress": progress, "days": self.doj_days(), "files": files,
                "order": None if order is None else {
                    "number": order[0] or f"#{order[3]}", "date": order[1],
                    "signed": bool(order[2])},
                # the orders later ones vacated as to it: "A by B of D (reason)"
                "vacated": [f"{v.number} by {v.by_number} of {v.by_date}"
                            + (f" ({v.reason})" if v.reason else "") for v in vacated]}

    def closeout_counts(self) -> dict[str, int]:
        """How many convictions each close-out filter holds (the status bar, `stats`): one
        pass over the approved and once-ordered convictions, grouped by stage, order date
        and case-system flag, instead of one query per filter."""
        counts = dict.fromkeys(CLOSEOUT_FILTERS, 0)
        today = self.conn.execute(f"SELECT {TODAY}").fetchone()[0]
        days = self.doj_days()
        sql = ("SELECT stage, order_date, cms, count(*) FROM closeout_stage"
               " GROUP BY 1, 2, 3")
        for stage, order_date, cms, n in self.conn.execute(sql):
            if stage == Stage.APPROVED:
                counts["approved_not_ordered"] += n
            elif stage == Stage.ORDERED:
                counts["ordered_not_reported"] += n
                if order_date and Progress(Stage.ORDERED, order_date).overdue(
                        date.fromisoformat(today), days):
                    counts["overdue"] += n
            elif stage == Stage.CLOSED:
                counts["closed"] += n
            elif stage == Stage.WITHDRAWN:
                counts["withdrawn"] += n
            if stage == Stage.REPORTED or (stage == Stage.ORDERED and not cms):
                counts["not_in_case_system"] += n
        for kind, n in self.conn.execute(_WITHDRAWN_COUNTS):
            counts[kind] += n
        return counts

    def any_order_printed(self) -> bool:
        return self.conn.execute("SELECT 1 FROM orders LIMIT 1").fetchone() is not None

    # --- update files --------------------------------------------------------------------
    def iter_update_rows(self, kind: str, *, since: str | None = None,
                         include_all: bool = False, order_id: int | None = None,
                         signed: bool | None = True) -> Iterator[UpdateRow]:
        """Granted, ordered counts not yet in an update file of `kind` (every one with
        `include_all`) whose order in force is recorded as signed (`signed`: see
        `_update_filter`), optionally only those whose order date is `since` or later, or
        those of one order. Sorted by case number and count."""
        sql, params = _update_filter(kind, since, include_all, order_id, signed)
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql + _ROW_ORDER, params)
        while batch := cursor.fetchmany(2000):
            for r in batch:
                yield _update_row(r)

    def count_update_rows(self, kind: str, *, since: str | None = None,
                          include_all: bool = False) -> int:
        """How many rows `iter_update_rows` would give (the update dialog's preview)."""
        sql, params = _update_filter(kind, since, include_all, None)
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def unsigned_update_rows(self, kind: str, *, since: str | None = None,
                             include_all: bool = False) -> tuple[int, list[str]]:
        """The counts an update leaves out because their order in force is not recorded as
        signed yet, and those orders' numbers (at most 6, in order)."""
        sql, params = _update_filter(kind, since, include_all, None, signed=False)
        by_order = self.conn.execute(
            f"SELECT o.id, {ORDER_NUMBER}, count(*) " + sql[len(_ROWS) - len(_ROWS_FROM):]
            + " GROUP BY o.id ORDER BY o.id", params).fetchall()
        numbers = [str(r[1]) or f"#{r[0]}" for r in by_order]
        return sum(int(r[2]) for r in by_order), numbers[:6]

    def source_identifiers(self, row_ids: Sequence[int]) -> list[tuple[list[str], list[str]]]:
        """(headers, values) of these source rows: where SSN, CDL and FBI numbers live, read
        only when an update layout names them."""
        if not row_ids:
            return []
        marks = ",".join("?" * len(row_ids))
        return [(json.loads(r[0] or "[]"), json.loads(r[1] or "[]")) for r in self.conn.execute(
            'SELECT i.headers, s."values" FROM source_rows s JOIN imports i ON i.id = s.import_id'
            f" WHERE s.id IN ({marks}) ORDER BY s.id", tuple(row_ids))]

    def record_update_file(self, new: NewUpdateFile, *, created_by: str) -> UpdateFile:
        """Record an update file and every count in it, with one audit entry. Call inside
        `atomic()` together with moving the file into place."""
        at = now_iso()
        created_by = self.actor(created_by)
        count = len(new.rows) if new.row_count is None else new.row_count
        file_id = int(self.conn.execute(
            "INSERT INTO update_files (kind, path, sha256, layout, row_count, since,"
            " include_all, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.kind, new.path, new.sha256, new.layout, count, new.since,
             int(new.include_all), created_by, at)).lastrowid)
        self.conn.executemany(
            "INSERT OR IGNORE INTO update_items (file_id, conviction_id, order_id, outcome,"
            " action, previous_order_id) VALUES (?, ?, ?, ?, ?, ?)",
            [(file_id, r.conviction_id, r.order_id, r.recorded_outcome, r.action,
              r.previous_order_id) for r in new.rows])
        actions = {a: sum(1 for r in new.rows if r.action == a)
                   for a in ("correction", "withdrawal")}
        repeated = 0
        if new.include_all:
            repeated = int(self.conn.execute(
                "SELECT count(*) FROM update_items ui JOIN update_files uf ON uf.id = ui.file_id"
                " WHERE uf.kind = ? AND uf.id < ? AND ui.conviction_id IN"
                " (SELECT conviction_id FROM update_items WHERE file_id = ?)",
                (new.kind, file_id, file_id)).fetchone()[0])
        self.audit(  # type: ignore[attr-defined]
            created_by, f"closeout.{new.kind}_" + ("update" if new.kind in UPDATE_KINDS
                                                    else "report"),
            entity="update_file", entity_id=file_id,
            # no file name: the clerk chose it and it may carry anything
            details={"rows": count, "sha256": new.sha256, "layout": new.layout,
                     "since": new.since, "all": new.include_all, "reported_before": repeated,
                     # rows correcting an earlier report, and reliefs withdrawn since reported
                     "corrections": actions["correction"], "withdrawals": actions["withdrawal"],
                     "replaces_orders": sorted({r.previous_order_id for r in new.rows
                                                if r.previous_order_id is not None
                                                and r.action != "report"}),
                     "orders": sorted({r.order_id for r in new.rows}
                                      | ({new.order_id} if new.order_id else set()))})
        return UpdateFile(file_id, new.kind, new.path, new.sha256, new.layout, count,
                          created_by, at)

    def update_files(self, kind: str | None = None, limit: int = 50) -> list[UpdateFile]:
        sql = "SELECT * FROM update_files" + (" WHERE kind = ?" if kind else "")
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?",
                                 (kind, limit) if kind else (limit,))
        return [_update_file(r) for r in rows]

    def update_file(self, file_id: int) -> UpdateFile | None:
        row = self.conn.execute("SELECT * FROM update_files WHERE id = ?", (file_id,)).fetchone()
        return _update_file(row) if row else None

    def void_update_file(self, file_id: int, reason: str, *, voided_by: str) -> UpdateFile:
        """Record that an update file was never taken (rejected, lost): its counts count as
        not reported again. The record and its rows stay; audited. Call through
        `closeout.updates.void_update`, which checks the request."""
        at = now_iso()
        voided_by = self.actor(voided_by)
        with self.atomic():
            self.conn.execute(
                "UPDATE update_files SET voided_at = ?, voided_by = ?, void_reason = ?"
                " WHERE id = ? AND voided_at IS NULL", (at, voided_by, reason, file_id))
            found = self.update_file(file_id)
            self.audit(  # type: ignore[attr-defined]
                voided_by, "closeout.update_voided", entity="update_file", entity_id=file_id,
                details={"kind": found.kind if found else None, "reason": reason,
                         "rows": found.row_count if found else None})
        return found  # type: ignore[return-value]

    # --- orders: numbers, signatures, what a batch holds ---------------------------------
    def find_order(self, order_number: str) -> int | None:
        """The order id for the number a clerk types (as printed on it), or None; an order
        printed before numbers existed is named by its record id, `#12`."""
        text = str(order_number).strip()
        row = self.conn.execute("SELECT id FROM orders WHERE order_number = ? COLLATE NOCASE",
                                (text,)).fetchone()
        if row is None and text.startswith("#") and text[1:].isdigit():
            row = self.conn.execute("SELECT id FROM orders WHERE id = ?",
                                    (int(text[1:]),)).fetchone()
        return int(row[0]) if row else None

    def order_number(self, order_id: int) -> str:
        row = self.conn.execute(f"SELECT {ORDER_NUMBER} FROM orders o WHERE o.id = ?",
                                (order_id,)).fetchone()
        return str(row[0]) if row else ""

    def record_signature(self, order_id: int, signed_on: str, judge: str, *,
                         recorded_by: str) -> OrderSignature:
        """Record that the judge signed this order on `signed_on`; a later record corrects an
        earlier one (both stay, the latest is in force). Audited."""
        at = now_iso()
        recorded_by = self.actor(recorded_by)
        with self.atomic():
            before = self.order_signature(order_id)
            self.conn.execute(
                "INSERT INTO order_signatures (order_id, signed_on, judge, recorded_by,"
                " recorded_at) VALUES (?, ?, ?, ?, ?)",
                (order_id, signed_on, judge, recorded_by, at))
            self.audit(  # type: ignore[attr-defined]
                recorded_by, "order.signed", entity="order", entity_id=order_id,
                details={"signed_on": signed_on, "judge": judge,
                         "corrects": before.signed_on if before else None})
        return OrderSignature(order_id, signed_on, judge, recorded_by, at)

    def order_signature(self, order_id: int) -> OrderSignature | None:
        row = self.conn.execute(
            "SELECT order_id, signed_on, judge, recorded_by, recorded_at FROM order_signatures"
            " WHERE order_id = ? ORDER BY id DESC LIMIT 1", (order_id,)).fetchone()
        return OrderSignature(*row) if row else None

    def order_batch(self, order_id: int) -> list[dict]:
        """Every conviction an order covered, with what became of it since: its review status,
        decided outcome, stage and reason, in case and count order (the judge's reports)."""
        sql = (
            f"SELECT c.id, {CASE_NUMBER} AS case_number,"
            " coalesce(c.count_key, '') AS count, coalesce(p.name, '') AS name,"
            " coalesce(c.code_section, '') AS code_section, coalesce(c.level, '') AS level,"
            " coalesce(c.conviction_date, '') AS conviction_date, c.review_status,"
            f" {DECIDED} AS outcome, coalesce(c.remedy, '') AS remedy,"
            " coalesce(c.reason_summary, '') AS reason,"
            f" {IMPORT_WITHDRAWN} AS import_withdrawn, {STAGE} AS stage,"
            f" {ORDER_DATE} AS order_date, {done_sql('cms')} AS cms"
            " FROM order_items oi JOIN convictions c ON c.id = oi.conviction_id"
            " JOIN people p ON p.id = c.person_id LEFT JOIN cases cs ON cs.id = c.case_id"
            " WHERE oi.order_id = ?" + _ROW_ORDER)
        return [dict(r) for r in self.conn.execute(sql, (order_id,))]

    def order_record(self, order_id: int) -> dict | None:
        row = self.conn.execute(
            f"SELECT o.*, {ORDER_NUMBER} AS number FROM orders o WHERE o.id = ?", (order_id,)
        ).fetchone()
        return dict(row) if row else None

    def order_update_files(self, order_id: int) -> list[UpdateFile]:
        """The update files that reported any count of this order."""
        rows = self.conn.execute(
            "SELECT DISTINCT uf.* FROM update_files uf JOIN update_items ui ON ui.file_id = uf.id"
            " WHERE ui.order_id = ? AND uf.voided_at IS NULL ORDER BY uf.id", (order_id,))
        return [_update_file(r) for r in rows]
