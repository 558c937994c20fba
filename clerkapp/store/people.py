"""Queries about one person relieved: who they are, each cannabis conviction with where it
stands (in review, approved, ordered with the order's date and number), and the orders that
granted the relief. What the counter look-up, the confirmation of relief and the notices read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.store.base import StoreBase

_RELIEF = tuple(sorted(o.value for o in RELIEF_OUTCOMES))
CANNABIS_SECTIONS = ("11357", "11358", "11359", "11360")


@dataclass(frozen=True)
class PersonCard:
    """Who a person is, as the records give it."""

    person_id: int
    name: str
    dob: str
    cii: str
    address: str  # mailing address lines joined by "\n"; "" when the record has none
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class OrderRef:
    """The order that granted a conviction's relief (its latest printing)."""

    order_id: int
    number: str  # the court's order number (UNNUMBERED for an order printed before numbers)
    date: str  # the day it was printed (ISO)
    sha256: str
    kind: str  # single | bulk
    path: str


@dataclass(frozen=True)
class ConvictionStanding:
    """One cannabis conviction and where it stands."""

    conviction_id: int
    case_number: str
    code_section: str
    level: str
    conviction_date: str
    county: str
    outcome: str  # the outcome in force (the clerk's override, else the engine's); "" if none yet
    review_status: str
    decided_outcome: str  # what was approved; "" until then
    remedy: str
    decided_at: str
    order: OrderRef | None
    reported_at: str  # when the DOJ was told, where the store records it; "" otherwise

    @property
    def state(self) -> str:
        """not_eligible | in_review | approved | ordered | reported."""
        if self.reported_at and self.order is not None:
            return "reported"
        if self.order is not None:
            return "ordered"
        if self.review_status == "approved":
            return "approved" if self.decided_outcome in _RELIEF else "not_eligible"
        if self.review_status == "denied" or self.outcome == "not_eligible":
            return "not_eligible"
        return "in_review"

    @property
    def relief(self) -> str:
        """The relief granted or approved: the decided outcome (a relief outcome) or ""."""
        return self.decided_outcome if self.decided_outcome in _RELIEF else ""


def _card(r) -> PersonCard:
    aliases = tuple(str(a) for a in json.loads(r["aliases"] or "[]") if str(a).strip())
    return PersonCard(int(r["id"]), r["name"] or "", r["dob"] or "", r["cii"] or "",
                      r["address"] or "", aliases)


class PeopleStore(StoreBase):
    def iter_person_names(self) -> Iterator[tuple[int, str, str, str]]:
        """(person id, name, aliases JSON, dob) of everybody: what a name index is built from."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        cursor.execute("SELECT id, coalesce(name, ''), aliases, coalesce(dob, '') FROM people")
        while batch := cursor.fetchmany(5000):
            yield from batch

    def people_with_case_number(self, case_number: str) -> set[int]:
        """People with a case of this number (any of its numbers; case, spaces and dashes aside)."""
        wanted = _case_key(case_number)
        if not wanted:
            return set()
        rows = self.conn.execute(
            "SELECT DISTINCT c.person_id FROM cases c, json_each(c.case_numbers) j"
            " WHERE upper(replace(replace(j.value, '-', ''), ' ', '')) = ?"
            " UNION SELECT DISTINCT person_id FROM convictions"
            " WHERE upper(replace(replace(case_number, '-', ''), ' ', '')) = ?",
            (wanted, wanted))
        return {int(r[0]) for r in rows}

    def person_card(self, person_id: int) -> PersonCard | None:
        row = self.conn.execute(
            "SELECT id, name, dob, cii, address, aliases FROM people WHERE id = ?",
            (person_id,)).fetchone()
        return _card(row) if row else None

    def person_cards(self, person_ids: Sequence[int]) -> dict[int, PersonCard]:
        rows = self.conn.execute(
            "SELECT id, name, dob, cii, address, aliases FROM people"
            " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(person_ids)),))
        return {int(r["id"]): _card(r) for r in rows}

    def person_standings(self, person_id: int) -> list[ConvictionStanding]:
        """The person's cannabis convictions (a cannabis section, or any outcome other than not
        applicable), oldest first, each with its review and the order that granted relief."""
        rows = self.conn.execute(
            "SELECT c.id, c.case_number, c.code_section, c.level, c.conviction_date, c.county,"
            " c.outcome_in_force, c.review_status, r.decided_outcome, r.decided_at,"
            " coalesce(c.remedy, '') AS remedy, r.status AS review_row_status"
            " FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id"
            " WHERE c.person_id = ? AND (c.section_number IN (?, ?, ?, ?)"
            "   OR (c.outcome_in_force IS NOT NULL AND c.outcome_in_force != 'not_applicable'))"
            " ORDER BY c.conviction_date, c.case_number, c.id",
            (person_id, *CANNABIS_SECTIONS)).fetchall()
        orders = self.relief_orders([int(r["id"]) for r in rows])
        reported = self.reported_dates([int(r["id"]) for r in rows])
        out = []
        for r in rows:
            decided = r["decided_outcome"] or ""
            if r["review_status"] == "approved" and not decided:
                decided = r["outcome_in_force"] or ""
            out.append(ConvictionStanding(
                conviction_id=int(r["id"]), case_number=r["case_number"] or "",
                code_section=r["code_section"] or "", level=r["level"] or "",
                conviction_date=r["conviction_date"] or "", county=r["county"] or "",
                outcome=r["outcome_in_force"] or "", review_status=r["review_status"],
                decided_outcome=decided if r["review_status"] == "approved" else "",
                remedy=r["remedy"], decided_at=r["decided_at"] or "",
                order=orders.get(int(r["id"])), reported_at=reported.get(int(r["id"]), "")))
        return out

    def relief_orders(self, conviction_ids: Sequence[int]) -> dict[int, OrderRef]:
        """For each conviction that was in an order, the latest such order (a reprint
        supersedes the earlier paper, as `OrderStore.order_of_conviction` has it)."""
        rows = self.conn.execute(
            "SELECT oi.conviction_id, o.id, o.order_number, o.created_at, o.sha256, o.kind,"
            " o.path FROM order_items oi JOIN orders o ON o.id = oi.order_id"
            " WHERE oi.conviction_id IN (SELECT value FROM json_each(?)) ORDER BY o.id",
            (json.dumps(list(conviction_ids)),))
        return {int(r[0]): _order_ref(r[1:]) for r in rows}  # the last one per conviction wins

    def order_ref(self, order_id: int) -> OrderRef | None:
        r = self.conn.execute(
            "SELECT id, order_number, created_at, sha256, kind, path FROM orders WHERE id = ?",
            (order_id,)).fetchone()
        return _order_ref(r) if r is not None else None

    def order_people(self, order_id: int) -> dict[int, list[int]]:
        """person id -> the convictions of that person an order covers."""
        out: dict[int, list[int]] = {}
        for person, conviction in self.conn.execute(
                "SELECT c.person_id, c.id FROM order_items oi JOIN convictions c"
                " ON c.id = oi.conviction_id WHERE oi.order_id = ? ORDER BY c.id", (order_id,)):
            out.setdefault(int(person), []).append(int(conviction))
        return out

    def reported_dates(self, conviction_ids: Sequence[int]) -> dict[int, str]:
        """When the DOJ was told of each conviction's relief, where the store records it."""
        columns = {r[1] for r in self.conn.execute("PRAGMA table_info(convictions)")}
        column = next((c for c in ("reported_at", "doj_reported_at") if c in columns), None)
        if column is None:
            return {}
        rows = self.conn.execute(
            f"SELECT id, {column} FROM convictions WHERE id IN (SELECT value FROM json_each(?))"
            f" AND {column} IS NOT NULL", (json.dumps(list(conviction_ids)),))
        return {int(r[0]): str(r[1]) for r in rows}


UNNUMBERED = "(unnumbered)"  # an order printed before the court's order numbers existed


def _order_ref(r) -> OrderRef:
    return OrderRef(int(r[0]), str(r[1]) if r[1] else UNNUMBERED, str(r[2])[:10], r[3], r[4],
                    r[5])


def _case_key(case_number: str) -> str:
    return "".join((case_number or "").upper().replace("-", "").split())
