"""Whose convictions a court counts: its own county's.

The DOJ research file is statewide, but a court acts for its own county. The evaluation
already leaves every other county's conviction not applicable (`rules.engine`: other_county);
the impact report and the reconciliation count and list only the county's convictions too,
and say how many of the others they left out. The county is the one the latest evaluation
ran for, else the court profile's; with neither (a store not set up yet) every county counts.
A conviction is the county's when its county, trimmed and in any case, is that county's name:
the engine's own comparison, so the queue, the report and the reconciliation agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clerkapp.domain.counties import california_county


@dataclass(frozen=True)
class CountyScope:
    county: str  # the court's county as the profile spells it ("Los Angeles"); "" for every county
    source: str = ""  # "evaluation" | "court profile" | "" (none set)

    @property
    def label(self) -> str:
        """`Los Angeles County`, or `every county` when no county is set."""
        return f"{self.county} County" if self.county else "every county"

    def term(self, alias: str = "c") -> str:
        """SQL: conviction `alias` is the county's (always true with no county set)."""
        if not self.county:
            return "1 = 1"
        return f"{county_of(alias)} = {_literal(self.county.strip().lower())}"

    def other_term(self, alias: str = "c") -> str:
        """SQL: conviction `alias` names another county (false with no county set)."""
        if not self.county:
            return "1 = 0"
        return f"{county_of(alias)} NOT IN ('', {_literal(self.county.strip().lower())})"

    def unrecorded_term(self, alias: str = "c") -> str:
        """SQL: conviction `alias` has no county recorded (false with no county set: it
        counts then, like every other)."""
        return f"{county_of(alias)} = ''" if self.county else "1 = 0"


def county_of(alias: str = "c") -> str:
    """SQL: the conviction's county in lower case, '' when not recorded."""
    return f"coalesce(lower(trim({alias}.county)), '')"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def court_county(store: Any) -> CountyScope:
    """The county the court acts for: the latest finished evaluation's, else the court
    profile's (spelt as California lists it when it is one)."""
    row = store.conn.execute(
        "SELECT county FROM eval_runs WHERE finished_at IS NOT NULL ORDER BY id DESC"
        " LIMIT 1").fetchone()
    for name, source in ((row[0] if row else "", "evaluation"),
                         (store.get_setting("court.county"), "court profile")):
        name = str(name or "").strip()
        if name:
            return CountyScope(california_county(name) or name, source)
    return CountyScope("")
