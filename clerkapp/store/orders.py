"""Queries for court orders: the approved convictions an order covers, as the renderers read
them (rows, Exhibit A's tuples, counts). The record of the files written is
`store.order_records`; which order is in force, `store.order_once`.

Only approved decisions whose decided outcome grants relief become orders: a denied, deferred
or pending conviction, or an approved "not eligible", never reaches a renderer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from clerkapp.domain.outcomes import RELIEF_OUTCOMES
from clerkapp.store.base import COUNTED, StoreBase, ids_json
from clerkapp.store.sources import SOURCE_OF_CONVICTION

_RELIEF = tuple(sorted(o.value for o in RELIEF_OUTCOMES))

SORT_KEYS = {
    "case": "c.case_number COLLATE NOCASE, p.name COLLATE NOCASE, c.person_id, c.case_id,"
            " CAST(c.count_key AS INTEGER), c.count_key, c.id",
    "name": "p.name COLLATE NOCASE, c.person_id, c.case_number COLLATE NOCASE, c.count_key, c.id",
}


@dataclass(frozen=True)
class OrderRow:
    """One approved conviction as an order prints it."""

    conviction_id: int
    person_id: int
    case_key: str  # groups counts into one per-case order: person + case number
    case_numbers: tuple[str, ...]
    name: str
    aliases: tuple[str, ...]
    dob: str
    cii: str
    county: str
    court: str
    code_section: str
    section_number: str
    conviction_date: str
    level: str
    count_key: str
    outcome: str  # the decided outcome (an override when the clerk changed the engine's)
    engine_outcome: str
    overridden: bool
    remedy: str  # resentence | redesignate | ""
    authority: str  # the determination's citations, e.g. "PC 1385; HS 11361.9"
    printed_before: bool
    section_subs: str = ""  # "b" or "a,2": what the count becomes depends on it
    offense_date: str = ""
    attempted: bool = False
    conspiracy: bool = False
    disposition: str = ""
    source_kind: str = ""  # court | prosecutor | doj: the kind of list it came from
    supersedes: str = ""  # the order in force this printing replaces (--supersede), its number

    @property
    def case_number(self) -> str:
        return self.case_numbers[0] if self.case_numbers else ""


# the approved relief of the convictions counted (not the court's copy of a linked pair)
_FROM = f"""
FROM convictions c
JOIN people p ON p.id = c.person_id
JOIN reviews r ON r.id = c.review_id
LEFT JOIN cases cs ON cs.id = c.case_id
LEFT JOIN determinations d ON d.id = coalesce(r.determination_id, c.determination_id)
WHERE c.review_status = 'approved'
  AND coalesce(r.decided_outcome, d.outcome, c.outcome) IN ({",".join("?" * len(_RELIEF))})
  AND {COUNTED}
"""
# "not printed yet": no order since the approval in force (an approval given again after a
# denial needs its order printed again; a conviction is ordered once per approval)
_UNPRINTED = (" AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders uo ON uo.id = oi.order_id"
              " WHERE oi.conviction_id = c.id AND uo.created_at >= r.decided_at)")

# a conviction of a DOJ list (or a court or prosecutor list) that no reconciliation linked,
# while a list of the other side is in the store (clerkapp.store.reconcile's presets)
_OTHER_SIDE = ("EXISTS (SELECT 1 FROM imports oi WHERE oi.preset = '{0}'"
               " AND oi.status = 'complete' AND oi.withdrawn_at IS NULL)")
_NEVER_RECONCILED = (
    "NOT EXISTS (SELECT 1 FROM reconcile_links l WHERE l.doj_id = c.id)"
    " AND NOT EXISTS (SELECT 1 FROM reconcile_links l WHERE l.court_id = c.id)"
    " AND EXISTS (SELECT 1 FROM imports ci WHERE ci.id = c.import_id AND"
    f" ((ci.preset = 'doj' AND {_OTHER_SIDE.format('generic')})"
    f" OR (ci.preset = 'generic' AND {_OTHER_SIDE.format('doj')})))")

_SELECT = """
SELECT c.id, c.person_id, c.case_id, c.case_number, c.county, c.court, c.code_section,
       c.section_number, c.level, c.conviction_date, c.count_key, c.section_subs,
       c.offense_date, c.attempted, c.conspiracy, c.disposition,
       p.name, p.aliases, p.dob, p.cii, cs.case_numbers,
       coalesce(r.decided_outcome, d.outcome, c.outcome) AS decided,
       coalesce(d.outcome, c.outcome) AS engine, r.overridden,
       coalesce(d.remedy, c.remedy) AS remedy, d.authority,
       EXISTS (SELECT 1 FROM order_items oi WHERE oi.conviction_id = c.id) AS printed,
       """ + SOURCE_OF_CONVICTION + """ AS source_kind
""" + _FROM

# Exhibit A's rows as plain tuples (see `iter_exhibit_rows`): no per-row object to build.
_SELECT_EXHIBIT = """
SELECT c.id, coalesce(nullif(c.case_number, ''), json_extract(cs.case_numbers, '$[0]'), ''),
       coalesce(p.name, ''), coalesce(p.dob, ''), coalesce(p.cii, ''),
       coalesce(c.code_section, ''), coalesce(c.conviction_date, ''), coalesce(c.level, ''),
       coalesce(r.decided_outcome, d.outcome, c.outcome), coalesce(d.remedy, c.remedy, ''),
       coalesce(c.section_number, ''), c.person_id,
       EXISTS (SELECT 1 FROM order_items oi WHERE oi.conviction_id = c.id),
       coalesce(c.count_key, ''), coalesce(c.section_subs, ''), coalesce(c.offense_date, ''),
       c.attempted, c.conspiracy
""" + _FROM

_SELECT_COUNTS = """
SELECT coalesce(r.decided_outcome, d.outcome, c.outcome), coalesce(d.remedy, c.remedy, ''),
       coalesce(c.section_number, ''), count(*)
""" + _FROM


@dataclass(frozen=True)
class OrderCounts:
    """What the text of a bulk order states, counted in SQL rather than row by row."""

    groups: list[tuple[str, str, str, int]]  # (outcome, remedy, section number, convictions)
    people: int
    cases: int


def _row(r) -> OrderRow:
    numbers: list[str] = []
    if r["case_numbers"] and r["case_numbers"] != "[]":
        numbers = [str(n) for n in json.loads(r["case_numbers"]) if str(n).strip()]
    first = r["case_number"] or ""
    if first and first not in numbers:
        numbers.insert(0, first)
    elif first:
        numbers.remove(first)
        numbers.insert(0, first)
    raw_aliases = r["aliases"]
    aliases: tuple[str, ...] = ()
    if raw_aliases and raw_aliases != "[]":
        aliases = tuple(str(a) for a in json.loads(raw_aliases) if str(a).strip())
    # one per-case order per person and case number; without a number, per case record
    if first:
        case_key = f"{r['person_id']}:{first.upper()}"
    else:
        case_key = f"{r['person_id']}:case{r['case_id'] if r['case_id'] is not None else r['id']}"
    return OrderRow(
        conviction_id=r["id"], person_id=r["person_id"], case_key=case_key,
        case_numbers=tuple(numbers), name=r["name"] or "", aliases=aliases, dob=r["dob"] or "",
        cii=r["cii"] or "", county=r["county"] or "", court=r["court"] or "",
        code_section=r["code_section"] or "", section_number=r["section_number"] or "",
        conviction_date=r["conviction_date"] or "", level=r["level"] or "",
        count_key=r["count_key"] or "", outcome=r["decided"], engine_outcome=r["engine"] or "",
        overridden=bool(r["overridden"]), remedy=r["remedy"] or "",
        authority=r["authority"] or "", printed_before=bool(r["printed"]),
        section_subs=r["section_subs"] or "", offense_date=r["offense_date"] or "",
        attempted=bool(r["attempted"]), conspiracy=bool(r["conspiracy"]),
        disposition=r["disposition"] or "", source_kind=r["source_kind"] or "",
    )


class OrderStore(StoreBase):
    def _id_filter(self, conviction_ids: Iterable[int] | None,
                   other_counties: bool = False) -> tuple[str, tuple]:
        """SQL and parameters restricting to the wanted ids (one JSON array, read by
        json_each, so 100k ids need no IN list and no temp table) and to the convictions of
        the court's county when the profile names one: a court orders relief only for its
        own convictions (a decision made under an earlier, all-county evaluation stays, but
        is not printed here). `other_counties`: exactly those left out instead."""
        where, params = "", ()
        if conviction_ids is not None:
            where, params = " AND c.id IN (SELECT value FROM json_each(?))", (
                ids_json(conviction_ids),)
        for term in self.withdrawn_terms():  # a withdrawn import's convictions are not printed
            where += f" AND {term}"
        # nothing is printed for a person the record does not name (review/corrections.py)
        where += " AND nullif(trim(p.name), '') IS NOT NULL"
        county = (self.get_setting("court.county") or "").strip()
        if county:
            mine = "trim(coalesce(c.county, '')) = ? COLLATE NOCASE"
            where += f" AND NOT ({mine})" if other_counties else f" AND {mine}"
            params += (county,)
        elif other_counties:
            where += " AND 1 = 0"  # no county set: no other county either
        return where, params

    def count_other_county_relief(self, conviction_ids: Iterable[int] | None = None, *,
                                  only_unprinted: bool = False) -> int:
        """Approved convictions with relief that are not the court's county's: not printed."""
        where, params = self._id_filter(conviction_ids, other_counties=True)
        sql = "SELECT count(*)" + _FROM + where + (_UNPRINTED if only_unprinted else "")
        return int(self.conn.execute(sql, (*_RELIEF, *params)).fetchone()[0])

    def count_order_rows(
        self, conviction_ids: Iterable[int] | None = None, *, only_unprinted: bool = False
    ) -> tuple[int, int]:
        """(approved convictions with relief, how many of them were printed before)."""
        where, params = self._id_filter(conviction_ids)
        row = self.conn.execute(
            f"SELECT count(*), coalesce(sum(CASE WHEN printed THEN 1 ELSE 0 END), 0)"
            f" FROM ({_SELECT}{where}{_UNPRINTED if only_unprinted else ''})",
            (*_RELIEF, *params),
        ).fetchone()
        total, printed = int(row[0]), int(row[1])
        return (total, printed)

    def iter_order_rows(
        self,
        conviction_ids: Iterable[int] | None = None,
        *,
        only_unprinted: bool = False,
        sort: str = "case",
    ) -> Iterator[OrderRow]:
        """Stream the approved convictions to print, sorted by case number or name.

        A generator over one cursor, so a 66,000-row exhibit never sits in memory whole.
        """
        if sort not in SORT_KEYS:
            raise ValueError(f"unknown sort {sort!r}")
        where, params = self._id_filter(conviction_ids)
        sql = _SELECT + where
        if only_unprinted:
            sql += _UNPRINTED
        sql += f" ORDER BY {SORT_KEYS[sort]}"
        cursor = self.conn.execute(sql, (*_RELIEF, *params))
        while batch := cursor.fetchmany(2000):
            for r in batch:
                yield _row(r)

    def iter_exhibit_rows(
        self,
        conviction_ids: Iterable[int] | None = None,
        *,
        only_unprinted: bool = False,
        sort: str = "case",
    ) -> Iterator[tuple]:
        """Exhibit A's rows as tuples: (conviction id, case number, name, dob, cii, code
        section, conviction date, level, outcome, remedy, section number, person id,
        printed before, count key, section subs, offense date, attempted, conspiracy),
        streamed in `sort` order."""
        if sort not in SORT_KEYS:
            raise ValueError(f"unknown sort {sort!r}")
        where, params = self._id_filter(conviction_ids)
        sql = _SELECT_EXHIBIT + where + (_UNPRINTED if only_unprinted else "")
        cursor = self.conn.cursor()
        cursor.row_factory = None  # plain tuples: a third of the cost of sqlite3.Row
        cursor.execute(sql + f" ORDER BY {SORT_KEYS[sort]}", (*_RELIEF, *params))
        while batch := cursor.fetchmany(5000):
            yield from batch

    def relief_ids(self, conviction_ids: Iterable[int] | None = None, *,
                   only_unprinted: bool = False) -> list[int]:
        """The ids of the approved convictions with relief to print (the court's county)."""
        where, params = self._id_filter(conviction_ids)
        sql = "SELECT c.id" + _FROM + where + (_UNPRINTED if only_unprinted else "")
        return [int(r[0]) for r in self.conn.execute(sql, (*_RELIEF, *params))]

    def count_unreconciled_relief(self, conviction_ids: Iterable[int] | None = None, *,
                                  only_unprinted: bool = False) -> int:
        """How many of the convictions to print no reconciliation has compared, though the
        store holds a list of the other side (a DOJ list and a court or prosecutor list): one
        conviction on both would be ordered twice (`clerkapp.orders.reconciled`)."""
        where, params = self._id_filter(conviction_ids)
        sql = ("SELECT count(*)" + _FROM + where + (_UNPRINTED if only_unprinted else "")
               + f" AND {_NEVER_RECONCILED}")
        return int(self.conn.execute(sql, (*_RELIEF, *params)).fetchone()[0])

    def court_texts(self) -> tuple[list[str], list[str]]:
        """Every distinct court and disposition text of the convictions: few, so the orders
        service matches its juvenile-court words on these, not on every row."""
        pairs = self.conn.execute("SELECT DISTINCT court, disposition FROM convictions")
        courts, dispositions = set(), set()
        for court, disposition in pairs:
            courts.add(court)
            dispositions.add(disposition)
        courts.discard(None)
        dispositions.discard(None)
        return sorted(courts), sorted(dispositions)

    def convictions_by_court_text(self, courts: Sequence[str], dispositions: Sequence[str],
                                  conviction_ids: Iterable[int] | None = None, *,
                                  only_unprinted: bool = False) -> list[tuple]:
        """Approved convictions with relief whose court or disposition is one of those given:
        (id, court, disposition, dob, offense date, conviction date)."""
        if not courts and not dispositions:
            return []
        where, params = self._id_filter(conviction_ids)
        sql = ("SELECT c.id, coalesce(c.court, ''), coalesce(c.disposition, ''),"
               " coalesce(p.dob, ''), coalesce(c.offense_date, ''),"
               " coalesce(c.conviction_date, '')" + _FROM + where
               + (_UNPRINTED if only_unprinted else "")
               + " AND (c.court IN (SELECT value FROM json_each(?))"
                 " OR c.disposition IN (SELECT value FROM json_each(?)))")
        return [tuple(r) for r in self.conn.execute(
            sql, (*_RELIEF, *params, json.dumps(list(courts)), json.dumps(list(dispositions))))]

    def count_relief(
        self, conviction_ids: Iterable[int] | None = None, *, only_unprinted: bool = False
    ) -> int:
        """How many approved convictions with relief there are (no printed-before count)."""
        where, params = self._id_filter(conviction_ids)
        sql = "SELECT count(*)" + _FROM + where + (_UNPRINTED if only_unprinted else "")
        return int(self.conn.execute(sql, (*_RELIEF, *params)).fetchone()[0])

    def order_counts(
        self, conviction_ids: Iterable[int] | None = None, *, only_unprinted: bool = False
    ) -> OrderCounts:
        where, params = self._id_filter(conviction_ids)
        tail = where + (_UNPRINTED if only_unprinted else "")
        args = (*_RELIEF, *params)
        groups = [tuple(r) for r in self.conn.execute(_SELECT_COUNTS + tail + " GROUP BY 1, 2, 3", args)]
        people, cases = self.conn.execute(
            "SELECT count(DISTINCT c.person_id),"
            " count(DISTINCT c.person_id || ':' || upper(coalesce(c.case_number, '')))" + _FROM + tail,
            args,
        ).fetchone()
        return OrderCounts(groups, int(people), int(cases))  # type: ignore[arg-type]
