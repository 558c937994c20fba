"""Queries about one person relieved: who they are, each cannabis conviction with where it
stands (in review, approved, ordered with the order's date and number), and the orders that
granted the relief. What the counter look-up, the confirmation of relief and the notices read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.store.base import COUNTED, StoreBase
from clerkapp.store.closeout_sql import ACTIVE, DECIDED, FIRST_ORDER, ORDER_DATE, STAGE
from clerkapp.store.superseded import Vacated

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
    """An order that granted a conviction's relief: the order in force, for a standing."""

    order_id: int
    number: str  # the court's order number (UNNUMBERED for an order printed before numbers)
    date: str  # the day the judge signed it where recorded, else the day it was printed (ISO)
    sha256: str
    kind: str  # single | bulk
    path: str
    # the day the judge signed it, as recorded (`orders --mark-signed`, the print dialog's
    # Mark signed…); empty while it is a paper printed for the judge to sign
    signed_on: str = ""


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
    order: OrderRef | None  # the order in force (close-out's), None until one is printed
    stage: str  # close-out's stage: approved | ordered | reported | closed | withdrawn | ""
    reported_at: str  # when the DOJ update file that reported it was written; "" until then
    # the orders vacated as to it by a later order (the order in force among them, or not)
    vacated: tuple[Vacated, ...] = ()

    @property
    def state(self) -> str:
        """not_eligible | in_review | approved | ordered | reported | withdrawn."""
        if self.stage in ("reported", "closed"):
            return "reported"
        if self.stage in ("approved", "ordered", "withdrawn"):
            return self.stage
        if self.review_status in ("approved", "denied") or self.outcome == "not_eligible":
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
    def iter_person_names(self, person_ids: Iterable[int] | None = None
                          ) -> Iterator[tuple[int, str, str, str]]:
        """(person id, name, aliases JSON, dob) of everybody (or of `person_ids`): what a
        name index is built from."""
        cursor = self.conn.cursor()
        cursor.row_factory = None
        sql = "SELECT id, coalesce(name, ''), aliases, coalesce(dob, '') FROM people"
        if person_ids is not None:
            cursor.execute(sql + " WHERE id IN (SELECT value FROM json_each(?))",
                           (json.dumps([int(p) for p in person_ids]),))
        else:
            cursor.execute(sql)
        while batch := cursor.fetchmany(5000):
            yield from batch

    def people_born(self, dob: str) -> set[int]:
        """People whose recorded date of birth fits this full date (a partial record, 1970 or
        1970-02, fits every day in it)."""
        return {int(r[0]) for r in self.conn.execute(
            "SELECT id FROM people WHERE dob = ? OR (length(dob) IN (4, 7)"
            " AND substr(?, 1, length(dob)) = dob)", (dob, dob))}

    def people_names_signature(self) -> tuple:
        """Changes whenever a name, alias or date of birth is added or changed: when a kept
        name index must be built again."""
        return tuple(self.conn.execute(
            "SELECT count(*), max(id), total(length(name)), total(length(aliases)),"
            " total(length(dob)) FROM people").fetchone())

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
        applicable), oldest first, each with its review, its close-out stage and the order in
        force (close-out's rules: the first printed since the approval, a signed one first;
        its date the day the judge signed, else the day it was printed)."""
        rows = self.conn.execute(
            "SELECT c.id, c.case_number, c.code_section, c.level, c.conviction_date, c.county,"
            " c.outcome_in_force, c.review_status, r.decided_outcome, r.decided_at,"
            f" coalesce(c.remedy, '') AS remedy, {STAGE} AS stage,"
            f" CASE WHEN {ACTIVE} THEN {FIRST_ORDER} END AS order_id, {ORDER_DATE} AS order_date,"
            " (SELECT min(uf.created_at) FROM update_items ui JOIN update_files uf"
            "   ON uf.id = ui.file_id WHERE ui.conviction_id = c.id AND uf.kind = 'doj'"
            f"   AND ui.outcome = {DECIDED}) AS reported_at"
            " FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id"
            " WHERE c.person_id = ? AND (c.section_number IN (?, ?, ?, ?)"
            "   OR (c.outcome_in_force IS NOT NULL AND c.outcome_in_force != 'not_applicable'))"
            f" AND {COUNTED}"  # a conviction on both lists is listed once, where it counts
            # a withdrawn import's convictions are out, as in the queue (never ordered: a
            # withdrawal is refused once an order was printed)
            + "".join(f" AND {t}" for t in self.withdrawn_terms()) +
            " ORDER BY c.conviction_date, c.case_number, c.id",
            (person_id, *CANNABIS_SECTIONS)).fetchall()
        vacated: dict[int, list[Vacated]] = {}
        for v in self.vacated_orders([int(r["id"]) for r in rows]):  # type: ignore[attr-defined]
            vacated.setdefault(v.conviction_id, []).append(v)
        out = []
        for r in rows:
            decided = r["decided_outcome"] or ""
            order = self.order_ref(int(r["order_id"])) if r["order_id"] is not None else None
            if order is not None and r["order_date"]:
                order = replace(order, date=str(r["order_date"]))
            out.append(ConvictionStanding(
                conviction_id=int(r["id"]), case_number=r["case_number"] or "",
                code_section=r["code_section"] or "", level=r["level"] or "",
                conviction_date=r["conviction_date"] or "", county=r["county"] or "",
                outcome=r["outcome_in_force"] or "", review_status=r["review_status"],
                decided_outcome=decided if r["review_status"] == "approved" else "",
                remedy=r["remedy"], decided_at=r["decided_at"] or "", order=order,
                stage=r["stage"] or "", reported_at=r["reported_at"] or "",
                vacated=tuple(vacated.get(int(r["id"]), ()))))
        return out

    def order_ref(self, order_id: int) -> OrderRef | None:
        r = self.conn.execute(
            "SELECT id, order_number, created_at, sha256, kind, path, (SELECT s.signed_on FROM"
            " order_signatures s WHERE s.order_id = orders.id ORDER BY s.id DESC LIMIT 1)"
            " FROM orders WHERE id = ?", (order_id,)).fetchone()
        return _order_ref(r) if r is not None else None

    def order_people(self, order_id: int) -> dict[int, list[int]]:
        """person id -> the convictions of that person an order covers."""
        out: dict[int, list[int]] = {}
        for person, conviction in self.conn.execute(
                "SELECT c.person_id, c.id FROM order_items oi JOIN convictions c"
                " ON c.id = oi.conviction_id WHERE oi.order_id = ? ORDER BY c.id", (order_id,)):
            out.setdefault(int(person), []).append(int(conviction))
        return out


UNNUMBERED = "(unnumbered)"  # an order printed before the court's order numbers existed


def _order_ref(r) -> OrderRef:
    return OrderRef(int(r[0]), str(r[1]) if r[1] else UNNUMBERED, str(r[2])[:10], r[3], r[4],
                    r[5], str(r[6] or ""))


def _case_key(case_number: str) -> str:
    return "".join((case_number or "").upper().replace("-", "").split())
