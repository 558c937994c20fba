"""Queries about one person relieved: who they are, each cannabis conviction with where it
stands (in review, approved, ordered with the order's date and number), and the orders that
granted the relief. What the counter look-up, the confirmation of relief and the notices read.

A conviction on both lists is one conviction once a reconciliation linked the two records
(`reconcile_links.merged_id`: one copy stops counting, the other carries the decision and the
order). A person's copy that stopped counting is still theirs: it is listed with the record it
was reconciled with and where that record stands (`Linked`), not as a conviction in review of
its own, nor left out as if the person had none. A possible match the clerk has not decided
yet is named beside the conviction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.store.base import StoreBase
from clerkapp.store.closeout_sql import ACTIVE, DECIDED, FIRST_ORDER, ORDER_DATE, STAGE
from clerkapp.store.superseded import Vacated

_RELIEF = tuple(sorted(o.value for o in RELIEF_OUTCOMES))
# a conviction's other record on a reconciliation's link: `twin_id` when this copy was merged
# into it (it stopped counting: the pair is one conviction, decided there), else `maybe_id` for
# a possible match not decided yet; `*_side` is the list that other record is on
_OTHER = "CASE WHEN {l}.doj_id = c.id THEN {l}.court_id ELSE {l}.doj_id END"
_SIDE = "CASE WHEN {l}.doj_id = c.id THEN 'court' ELSE 'doj' END"
_MAYBE = ("FROM reconcile_links m WHERE m.status = 'possible_match' AND m.doj_id IS NOT NULL"
          " AND m.court_id IS NOT NULL AND (m.doj_id = c.id OR m.court_id = c.id)"
          " ORDER BY m.id LIMIT 1")
_TWIN = (f"(SELECT {_OTHER.format(l='t')} FROM reconcile_links t WHERE t.merged_id = c.id)"
         f" AS twin_id, (SELECT {_SIDE.format(l='t')} FROM reconcile_links t"
         " WHERE t.merged_id = c.id) AS twin_side,"
         f" (SELECT {_OTHER.format(l='m')} {_MAYBE}) AS maybe_id,"
         f" (SELECT {_SIDE.format(l='m')} {_MAYBE}) AS maybe_side,"
         f" (SELECT o.person_id FROM convictions o WHERE o.id = (SELECT {_OTHER.format(l='m')}"
         f" {_MAYBE})) AS maybe_person")
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
class Linked:
    """The same conviction on the other list, as a reconciliation found it."""

    conviction_id: int
    person_id: int  # the other record's person (a person on two lists is two records)
    side: str  # doj | court: the list the other record is on
    # where the other record stands: a linked pair's decision and order are there; None for
    # a possible match the clerk has not confirmed (each record still stands on its own)
    standing: ConvictionStanding | None


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
    # reconciled with a record on the other list (`standing` set: the decision lives there),
    # or a possible match to decide (`standing` None); None when neither
    linked: Linked | None = None

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
        its date the day the judge signed, else the day it was printed). A copy a
        reconciliation merged into another record's conviction comes with that record's
        standing (`linked`); merged into the person's own other copy, it is listed once."""
        rows = self._standing_rows(
            "c.person_id = ? AND (c.section_number IN (?, ?, ?, ?)"
            " OR (c.outcome_in_force IS NOT NULL AND c.outcome_in_force != 'not_applicable'))"
            # a withdrawn import's convictions are out, as in the queue (never ordered: a
            # withdrawal is refused once an order was printed)
            + "".join(f" AND {t}" for t in self.withdrawn_terms()),
            (person_id, *CANNABIS_SECTIONS))
        others = {int(r["twin_id"]) for r in rows if r["twin_id"] is not None}
        twins = {int(r["id"]): r for r in self._standing_rows(
            "c.id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(others)),))
            } if others else {}
        vacated: dict[int, list[Vacated]] = {}
        for v in self.vacated_orders([*(int(r["id"]) for r in rows), *twins]):  # type: ignore[attr-defined]
            vacated.setdefault(v.conviction_id, []).append(v)
        out = []
        for r in rows:
            linked = None
            if r["twin_id"] is not None:
                twin = twins.get(int(r["twin_id"]))
                if twin is None or int(twin["person_id"]) == person_id:
                    continue  # one person's two copies: listed once, where it counts
                linked = Linked(int(twin["id"]), int(twin["person_id"]), str(r["twin_side"]),
                                self._standing(twin, vacated))
            elif r["maybe_id"] is not None and int(r["maybe_person"]) != person_id:
                linked = Linked(int(r["maybe_id"]), int(r["maybe_person"]),
                                str(r["maybe_side"]), None)
            own = self._standing(r, vacated)
            if linked is not None and linked.standing is not None:
                # the pair is one conviction, ordered there: an order printed for this copy
                # too (before the reconciliation) is not one more relief of the person's
                own = replace(own, order=None)
            out.append(replace(own, linked=linked))
        return out

    def _standing_rows(self, where: str, params: Sequence) -> list:
        return self.conn.execute(
            "SELECT c.id, c.person_id, c.case_number, c.code_section, c.level,"
            " c.conviction_date, c.county, c.outcome_in_force, c.review_status,"
            " r.decided_outcome, r.decided_at,"
            f" coalesce(c.remedy, '') AS remedy, {STAGE} AS stage,"
            f" CASE WHEN {ACTIVE} THEN {FIRST_ORDER} END AS order_id, {ORDER_DATE} AS order_date,"
            " (SELECT min(uf.created_at) FROM update_items ui JOIN update_files uf"
            "   ON uf.id = ui.file_id WHERE ui.conviction_id = c.id AND uf.kind = 'doj'"
            f"   AND ui.outcome = {DECIDED}) AS reported_at, {_TWIN}"
            " FROM convictions c LEFT JOIN reviews r ON r.id = c.review_id"
            f" WHERE {where} ORDER BY c.conviction_date, c.case_number, c.id", params).fetchall()

    def _standing(self, r, vacated: dict[int, list[Vacated]]) -> ConvictionStanding:
        decided = r["decided_outcome"] or ""
        order = self.order_ref(int(r["order_id"])) if r["order_id"] is not None else None
        if order is not None and r["order_date"]:
            order = replace(order, date=str(r["order_date"]))
        return ConvictionStanding(
            conviction_id=int(r["id"]), case_number=r["case_number"] or "",
            code_section=r["code_section"] or "", level=r["level"] or "",
            conviction_date=r["conviction_date"] or "", county=r["county"] or "",
            outcome=r["outcome_in_force"] or "", review_status=r["review_status"],
            decided_outcome=decided if r["review_status"] == "approved" else "",
            remedy=r["remedy"], decided_at=r["decided_at"] or "", order=order,
            stage=r["stage"] or "", reported_at=r["reported_at"] or "",
            vacated=tuple(vacated.get(int(r["id"]), ())))

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
