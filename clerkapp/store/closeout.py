"""Queries for closing the record: which granted convictions are ordered, reported to the DOJ,
updated in the court's case system; the update files written (their rows: update_rows.py).
An order's number, signature and batch: closeout_orders.py.

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
from datetime import date

from clerkapp.domain.closeout import DEFAULT_DOJ_DAYS, Progress, Stage
from clerkapp.store.base import StoreBase, now_iso
from clerkapp.store.closeout_sql import (
    DAYS,
    DAYS_KEY,
    EVER_ORDERED,
    FIRST_ORDER,
    ORDER_DATE,
    ORDER_DATE_OF_O,
    ORDER_NUMBER,
    SIGNED_ON,
    STAGE,
    TODAY,
    UPDATE_KINDS,
    done_sql,
    last_update_action,
)
from clerkapp.store.row_text import row_cells
from clerkapp.store.update_rows import (
    ROW_ORDER,
    ROWS,
    ROWS_FROM,
    NewUpdateFile,
    UpdateFile,
    UpdateRow,
    update_file_of,
    update_filter,
    update_row,
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
# the counts leave out the court's copy of a reconciled pair, as the queue's filters do
# (base.COUNTED): the pair is one conviction, counted and ordered as the DOJ's
_COUNTED_STAGE = ("s.conviction_id NOT IN (SELECT merged_id FROM reconcile_links"
                  " WHERE merged_id IS NOT NULL)")
# the withdrawn filters' counts, one pass over the withdrawn convictions
_WITHDRAWN_COUNTS = (f"SELECT CASE {_WITHDRAWAL_TOLD} WHEN 'withdrawal' THEN"
                     " 'withdrawn_doj_told' WHEN 'report' THEN 'withdrawn_doj_not_told'"
                     " WHEN 'correction' THEN 'withdrawn_doj_not_told'"
                     " ELSE 'withdrawn_never_reported' END, count(*) FROM closeout_stage s"
                     f" WHERE s.stage = 'withdrawn' AND {_COUNTED_STAGE} GROUP BY 1")


def closeout_clause(kind: str) -> str:
    """The WHERE term of a close-out queue filter (no parameters: days and today are read
    in SQL, from the court profile and the clock)."""
    try:
        sql = CLOSEOUT_FILTERS[kind][1]
    except KeyError:
        raise ValueError(f"unknown close-out filter {kind!r}") from None
    return sql


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
        sql = ("SELECT stage, order_date, cms, count(*) FROM closeout_stage s"
               f" WHERE {_COUNTED_STAGE} GROUP BY 1, 2, 3")
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
        `update_filter`), optionally only those whose order date is `since` or later, or
        those of one order. Sorted by case number and count."""
        sql, params = update_filter(kind, since, include_all, order_id, signed)
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute(sql + ROW_ORDER, params)
        while batch := cursor.fetchmany(2000):
            for r in batch:
                yield update_row(r)

    def count_update_rows(self, kind: str, *, since: str | None = None,
                          include_all: bool = False) -> int:
        """How many rows `iter_update_rows` would give (the update dialog's preview)."""
        sql, params = update_filter(kind, since, include_all, None)
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def unsigned_update_rows(self, kind: str, *, since: str | None = None,
                             include_all: bool = False) -> tuple[int, list[str]]:
        """The counts an update leaves out because their order in force is not recorded as
        signed yet, and those orders' numbers (at most 6, in order)."""
        sql, params = update_filter(kind, since, include_all, None, signed=False)
        by_order = self.conn.execute(
            f"SELECT o.id, {ORDER_NUMBER}, count(*) " + sql[len(ROWS) - len(ROWS_FROM):]
            + " GROUP BY o.id ORDER BY o.id", params).fetchall()
        numbers = [str(r[1]) or f"#{r[0]}" for r in by_order]
        return sum(int(r[2]) for r in by_order), numbers[:6]

    def source_identifiers(self, row_ids: Sequence[int]) -> list[tuple[list[str], list[str]]]:
        """(headers, values) of these source rows: where SSN, CDL and FBI numbers live, read
        only when an update layout names them."""
        if not row_ids:
            return []
        marks = ",".join("?" * len(row_ids))
        return [(json.loads(r[0] or "[]"), row_cells(r[1])) for r in self.conn.execute(
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
        return [update_file_of(r) for r in rows]

    def update_file(self, file_id: int) -> UpdateFile | None:
        row = self.conn.execute("SELECT * FROM update_files WHERE id = ?", (file_id,)).fetchone()
        return update_file_of(row) if row else None

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
