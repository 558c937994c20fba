"""The record of every order file written (`orders` + `order_items`, audited), so "was this
case's order printed, and when?" always has an answer, and the court's order numbers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from clerkapp.errors import DoneElsewhere
from clerkapp.store.base import StoreBase, ids_json, now_iso


@dataclass(frozen=True)
class PrintedOrder:
    """One order file as recorded: what, where, when, by whom."""

    order_id: int
    kind: str
    path: str
    sha256: str
    template: str
    conviction_count: int
    reprint: bool
    created_by: str
    created_at: str
    order_number: str = ""  # "" for an order printed before order numbers existed
    supersedes: tuple[str, ...] = ()  # the orders it replaced (printed with --supersede)


@dataclass(frozen=True)
class OrderNumber:
    """A number reserved for an order about to be written (see `domain.order_numbers`)."""

    number: str
    series: str
    seq: int


@dataclass(frozen=True)
class NewOrder:
    kind: str  # single | bulk
    path: str
    sha256: str
    template: str
    conviction_ids: Sequence[int]
    case_number: str | None = None  # for the audit entry of a per-case order
    printed_before: int | None = None  # covered convictions printed before, when known
    number: OrderNumber | None = None
    # conviction id -> the order in force it replaces (printed with --supersede), and why
    supersedes: Mapping[int, int] = field(default_factory=dict)
    supersede_reason: str | None = None


class OrderRecordStore(StoreBase):
    def record_orders(self, orders: Sequence[NewOrder], *, created_by: str) -> list[PrintedOrder]:
        """Record written order files with the convictions they cover, and audit each one.

        `reprint` is set when any covered conviction was in an earlier order (of either kind);
        the court paper does not say so, the record does. One transaction for all.
        """
        at = now_iso()
        created_by = self.actor(created_by)
        recorded: list[PrintedOrder] = []
        with self.atomic():
            for order in orders:
                ids = list(dict.fromkeys(int(i) for i in order.conviction_ids))
                before = (order.printed_before if order.printed_before is not None
                          else self._count_printed(ids))
                reprint = before > 0
                number = order.number
                try:
                    order_id = int(self.conn.execute(
                        "INSERT INTO orders (kind, path, sha256, template, conviction_count,"
                        " reprint, created_by, created_at, order_number, order_series, order_seq)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (order.kind, order.path, order.sha256, order.template, len(ids),
                         int(reprint), created_by, at, number and number.number,
                         number and number.series, number and number.seq),
                    ).lastrowid)
                except sqlite3.IntegrityError:  # the printing is made again with new numbers
                    raise DoneElsewhere(set(), "another printing", at, f"order number"
                                        f" {number and number.number}") from None
                self.conn.executemany(
                    "INSERT INTO order_items (order_id, conviction_id, supersedes_order_id)"
                    " VALUES (?, ?, ?)",
                    ((order_id, i, order.supersedes.get(i)) for i in ids),
                )
                replaced = self._order_numbers(set(order.supersedes.values()))
                self.audit(  # type: ignore[attr-defined]
                    created_by, f"order.printed.{order.kind}", entity="order", entity_id=order_id,
                    case_number=order.case_number,
                    # no file name here: it carries the person's name (orders.path has it)
                    details={"order_number": number.number if number else None,
                             "sha256": order.sha256, "template": order.template,
                             "convictions": len(ids), "reprint": reprint,
                             "previously_printed": before,
                             # the orders replaced, and for how many convictions each
                             **({"supersedes": {n: sum(1 for o in order.supersedes.values()
                                                       if o == i) for i, n in replaced.items()},
                                 "supersede_reason": order.supersede_reason}
                                if replaced else {})},
                )
                recorded.append(PrintedOrder(order_id, order.kind, order.path, order.sha256,
                                             order.template, len(ids), reprint, created_by, at,
                                             number.number if number else "",
                                             tuple(replaced.values())))
        return recorded

    def _order_numbers(self, order_ids: Iterable[int]) -> dict[int, str]:
        """{order id: its number as printed ("#12" without one)}."""
        wanted = sorted(order_ids)
        if not wanted:
            return {}
        rows = self.conn.execute("SELECT id, coalesce(order_number, '') FROM orders WHERE id IN"
                                 " (SELECT value FROM json_each(?))", (ids_json(wanted),))
        return {int(i): str(n) or f"#{i}" for i, n in rows}

    def _count_printed(self, ids: Sequence[int]) -> int:
        return int(self.conn.execute(
            "SELECT count(DISTINCT conviction_id) FROM order_items oi"
            " WHERE oi.conviction_id IN (SELECT value FROM json_each(?))", (ids_json(ids),),
        ).fetchone()[0])

    def order_history(self, conviction_id: int) -> list[PrintedOrder]:
        """Every order that covered this conviction, newest first: printed? when? by whom?"""
        rows = self.conn.execute(
            "SELECT o.* FROM orders o JOIN order_items oi ON oi.order_id = o.id"
            " WHERE oi.conviction_id = ? ORDER BY o.created_at DESC, o.id DESC",
            (conviction_id,),
        )
        return [_printed(r) for r in rows]

    def case_order_history(self, case_number: str) -> list[PrintedOrder]:
        """Every order that covered any conviction of this case number, newest first."""
        rows = self.conn.execute(
            "SELECT DISTINCT o.* FROM orders o JOIN order_items oi ON oi.order_id = o.id"
            " JOIN convictions c ON c.id = oi.conviction_id"
            " WHERE c.case_number = ? COLLATE NOCASE ORDER BY o.created_at DESC, o.id DESC",
            (case_number,),
        )
        return [_printed(r) for r in rows]

    def recent_orders(self, limit: int = 20) -> list[PrintedOrder]:
        rows = self.conn.execute("SELECT * FROM orders ORDER BY id DESC LIMIT ?", (limit,))
        return [_printed(r) for r in rows]

    def unsigned_orders(self, limit: int = 5000) -> list[PrintedOrder]:
        """Orders not recorded as signed yet, oldest first: what the judge has to sign."""
        rows = self.conn.execute(f"SELECT * FROM orders o WHERE NOT {_SIGNED} ORDER BY o.id"
                                 " LIMIT ?", (limit,))
        return [_printed(r) for r in rows]

    def unsigned_order_count(self) -> int:
        return int(self.conn.execute(
            f"SELECT count(*) FROM orders o WHERE NOT {_SIGNED}").fetchone()[0])

    def signed_dates(self, order_ids: Sequence[int]) -> dict[int, str]:
        """{order id: the day it was signed, as last recorded} for those recorded as signed."""
        if not order_ids:
            return {}
        rows = self.conn.execute(
            "SELECT s.order_id, s.signed_on FROM order_signatures s WHERE s.order_id IN"
            " (SELECT value FROM json_each(?)) ORDER BY s.id", (ids_json(order_ids),))
        return {int(i): str(d) for i, d in rows}  # the latest record wins

    # --- order numbers ---------------------------------------------------------------------

    def next_order_seq(self, series: str) -> int:
        """The next free sequence number of an order-number series ("2026-P64-{seq}")."""
        row = self.conn.execute(
            "SELECT coalesce(max(order_seq), 0) FROM orders WHERE order_series = ?", (series,),
        ).fetchone()
        return int(row[0]) + 1

    def order_number_taken(self, number: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM orders WHERE order_number = ?", (number,)).fetchone() is not None

    def order_by_number(self, order_number: str) -> PrintedOrder | None:
        """The order recorded under this number (as printed on it), or None."""
        row = self.conn.execute("SELECT * FROM orders WHERE order_number = ?",
                                (order_number.strip(),)).fetchone()
        return _printed(row) if row is not None else None

    def printed_order(self, order_id: int) -> PrintedOrder | None:
        """The order recorded under this id, or None."""
        row = self.conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        return _printed(row) if row is not None else None

    def order_conviction_ids(self, order_id: int) -> list[int]:
        """The convictions an order covers, in the order they were recorded."""
        return [int(r[0]) for r in self.conn.execute(
            "SELECT conviction_id FROM order_items WHERE order_id = ? ORDER BY rowid",
            (order_id,))]


_SIGNED = "EXISTS (SELECT 1 FROM order_signatures s WHERE s.order_id = o.id)"


def _printed(r) -> PrintedOrder:
    return PrintedOrder(
        order_id=r["id"], kind=r["kind"], path=r["path"], sha256=r["sha256"],
        template=r["template"] or "", conviction_count=r["conviction_count"],
        reprint=bool(r["reprint"]), created_by=r["created_by"], created_at=r["created_at"],
        order_number=r["order_number"] or "",
    )
