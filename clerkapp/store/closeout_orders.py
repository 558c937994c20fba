"""Queries about an order's close-out: the order a clerk names by its printed number, the
judge's signature recorded on it (the order date the DOJ's deadline counts from), and what
became of the convictions it covered (the judge's reports) and the update files that reported
them. The stages themselves are derived in closeout.py / closeout_sql.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerkapp.store.base import StoreBase, now_iso
from clerkapp.store.closeout_sql import (
    CASE_NUMBER,
    DECIDED,
    IMPORT_WITHDRAWN,
    ORDER_DATE,
    ORDER_NUMBER,
    STAGE,
    done_sql,
)
from clerkapp.store.update_rows import ROW_ORDER, UpdateFile, update_file_of


@dataclass(frozen=True)
class OrderSignature:
    order_id: int
    signed_on: str
    judge: str
    recorded_by: str
    recorded_at: str


class CloseoutOrderStore(StoreBase):
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

    def update_files_of_order(self, order_id: int) -> list[tuple[int, str, str, str]]:
        """(id, kind, written at, path) of the update files not voided that reported counts
        of this order: what told the DOJ or the case system its date and judge."""
        return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in self.conn.execute(
            "SELECT f.id, f.kind, f.created_at, f.path FROM update_files f WHERE f.voided_at"
            " IS NULL AND f.id IN (SELECT file_id FROM update_items WHERE order_id = ?)"
            " ORDER BY f.id", (order_id,))]

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
            " WHERE oi.order_id = ?" + ROW_ORDER)
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
        return [update_file_of(r) for r in rows]
