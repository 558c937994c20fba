"""The figures of the impact report (and of `clerkapp stats` under "impact"): cannabis
convictions and the people who have them, by outcome, relief, section, level, decade of
conviction, race/ethnicity and gender as the records give them; how many people are left with
no felony, or no conviction at all, once the relief is ordered (the figures BEAR's summary gave
counties); and progress by month (approved, ordered, reported to the DOJ).

Counts only: nothing here reads a name, a date of birth or an identifier. Relief, order and
report follow close-out's rules (`store.closeout`), so these figures agree with the tracker.
The convictions counted are the court's county's (`store.county_scope`; the DOJ file is
statewide): the others are counted apart, as left out. A person's whole record (no felony
left) still spans every county.
"""

from __future__ import annotations

from typing import Any

from clerkapp.store.base import COUNTED, StoreBase, resolved_outcome
from clerkapp.store.closeout_sql import (
    ACTIVE,
    APPROVED_AT,
    DECIDED,
    FIRST_ORDER,
    ORDER_DATE,
    done_sql,
)
from clerkapp.store.county_scope import CountyScope, court_county

CANNABIS = "c.section_number IN ('11357', '11358', '11359', '11360')"
NOT_RECORDED = "not recorded"

# dimension -> SQL over convictions c / people p (`{outcome}`: the outcome in force, resolved)
DIMENSIONS: dict[str, str] = {
    "outcome": "coalesce({outcome}, 'not_evaluated')",
    "relief": f"CASE WHEN {ACTIVE} THEN {DECIDED} ELSE 'none' END",
    "section": "coalesce(c.code_section, '')",
    "level": "coalesce(nullif(c.level, ''), 'unknown')",
    "decade": "coalesce(substr(c.conviction_date, 1, 3) || '0s', 'unknown')",
    "race": f"coalesce(nullif(trim(p.race), ''), '{NOT_RECORDED}')",
    "gender": f"coalesce(nullif(trim(p.gender), ''), '{NOT_RECORDED}')",
}
ORDERED = f"({ACTIVE} AND {FIRST_ORDER} IS NOT NULL)"


class ImpactStore(StoreBase):
    def impact_figures(self) -> dict[str, Any]:
        """Every figure the impact report prints, as `stats` reports it under "impact": the
        court's county's cannabis convictions (of imports in force), and how many of other
        counties, or with no county recorded, were left out."""
        outcome = resolved_outcome("c.outcome_in_force", self.latest_scope()[1])
        scope = court_county(self)
        counted = " AND ".join([CANNABIS, COUNTED, *self.withdrawn_terms()])
        base = (" FROM convictions c JOIN people p ON p.id = c.person_id"
                f" WHERE {counted} AND {scope.term()}")
        totals = self.conn.execute(
            f"SELECT count(*), count(DISTINCT c.person_id){base}").fetchone()
        figures: dict[str, Any] = {"county": scope.county, "convictions": int(totals[0]),
                                   "people": int(totals[1]),
                                   "left_out": self._left_out(scope, counted)}
        for name, expression in DIMENSIONS.items():
            sql = expression.format(outcome=outcome)
            rows = self.conn.execute(
                f"SELECT {sql} AS k, count(*), count(DISTINCT c.person_id){base}"
                " GROUP BY k ORDER BY k").fetchall()
            figures[f"by_{name}"] = {
                "convictions": {str(k): int(n) for k, n, _ in rows},
                "people": {str(k): int(m) for k, _, m in rows},
            }
        figures["relief_ordered"] = self._relief_ordered(base)
        figures["people_after_relief"] = self._people_after_relief(scope)
        figures["progress_by_month"] = self._progress(base)
        return figures

    def _left_out(self, scope: CountyScope, counted: str) -> dict[str, int]:
        """Cannabis convictions not the county's: of other counties, with none recorded."""
        row = self.conn.execute(
            f"SELECT coalesce(sum(CASE WHEN {scope.other_term()} THEN 1 ELSE 0 END), 0),"
            f" coalesce(sum(CASE WHEN {scope.unrecorded_term()} THEN 1 ELSE 0 END), 0)"
            f" FROM convictions c WHERE {counted} AND NOT ({scope.term()})").fetchone()
        return {"other_counties": int(row[0]), "county_not_recorded": int(row[1])}

    def _relief_ordered(self, base: str) -> dict[str, Any]:
        """Convictions whose relief was ordered, and reported to the DOJ, by relief."""
        out: dict[str, Any] = {}
        for key, where in (("ordered", ORDERED), ("reported", f"{ORDERED} AND {done_sql('doj')}")):
            rows = self.conn.execute(
                f"SELECT {DECIDED} AS k, count(*), count(DISTINCT c.person_id){base}"
                f" AND {where} GROUP BY k ORDER BY k").fetchall()
            out[key] = {"convictions": {str(k): int(n) for k, n, _ in rows},
                        "people": int(self.conn.execute(
                            f"SELECT count(DISTINCT c.person_id){base} AND {where}").fetchone()[0])}
        return out

    def _people_after_relief(self, scope: CountyScope) -> dict[str, int]:
        """People with relief ordered (in the county), and how many of them are left, across
        their whole record (every conviction the records hold, cannabis or not, of any
        county), with no felony (every felony dismissed or redesignated) and with no
        conviction at all (every conviction dismissed)."""
        counted = " AND ".join([COUNTED, *self.withdrawn_terms()])
        row = self.conn.execute(f"""
            WITH ordered AS (SELECT c.id, c.person_id, {DECIDED} AS relief FROM convictions c
                             WHERE {CANNABIS} AND {counted} AND {scope.term()} AND {ORDERED}),
                 relieved AS (SELECT DISTINCT person_id FROM ordered)
            SELECT count(*),
                   coalesce(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM convictions c
                       WHERE c.person_id = relieved.person_id AND {counted} AND c.level = 'F'
                       AND c.id NOT IN (SELECT id FROM ordered)) THEN 1 ELSE 0 END), 0),
                   coalesce(sum(CASE WHEN NOT EXISTS (SELECT 1 FROM convictions c
                       WHERE c.person_id = relieved.person_id AND {counted}
                       AND c.id NOT IN (SELECT id FROM ordered
                                        WHERE relief = 'dismiss_and_seal')) THEN 1 ELSE 0 END),
                            0),
                   coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM convictions c
                       WHERE c.person_id = relieved.person_id AND {counted}
                       AND c.level = 'F') THEN 1 ELSE 0 END), 0)
            FROM relieved""").fetchone()
        return {"with_relief_ordered": int(row[0]), "had_a_felony": int(row[3]),
                "no_felony_left": int(row[1]), "no_conviction_left": int(row[2])}

    def _progress(self, base: str) -> dict[str, dict[str, int]]:
        """Convictions by month (YYYY-MM): relief approved (the approval in force), ordered
        (the order's date), reported to the DOJ (the first DOJ update file holding it)."""
        reported_at = ("(SELECT min(uf.created_at) FROM update_items ui JOIN update_files uf"
                       " ON uf.id = ui.file_id WHERE ui.conviction_id = c.id AND uf.kind = 'doj'"
                       f" AND ui.outcome = {DECIDED})")
        months: dict[str, dict[str, int]] = {}
        for key, when, where in (
                ("approved", APPROVED_AT, ACTIVE),
                ("ordered", ORDER_DATE, ORDERED),
                ("reported", reported_at, f"{ORDERED} AND {done_sql('doj')}")):
            for month, n in self.conn.execute(
                    f"SELECT substr({when}, 1, 7) AS m, count(*){base} AND {where}"
                    " GROUP BY m ORDER BY m"):
                if month:
                    months.setdefault(str(month), {"approved": 0, "ordered": 0, "reported": 0})
                    months[str(month)][key] = int(n)
        return dict(sorted(months.items()))

    def input_files(self) -> list[dict[str, Any]]:
        """The files the figures come from: name, sha256, rows (imports still in force)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT file_name, sha256, row_count AS rows FROM imports"
            " WHERE status = 'complete' ORDER BY id")]
