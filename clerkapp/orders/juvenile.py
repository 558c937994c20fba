"""Juvenile adjudications: an offense under 18 decided in juvenile court (HS 11361.8(m)).

They print on the juvenile variant of the per-case order ("In re ..."; adjudication, not
conviction) and never in the bulk order's Exhibit A (juvenile records are confidential, WIC
827). The words that show a juvenile court in the record live with their sources in
`resources/law/juvenile_court.json`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clerkapp.orders.counts import UNDER_18, age_band
from clerkapp.paths import RESOURCES_DIR
from clerkapp.store import Store

JUVENILE_FILE = RESOURCES_DIR / "law" / "juvenile_court.json"


@dataclass(frozen=True)
class JuvenileRule:
    court: re.Pattern[str]
    disposition: re.Pattern[str]

    def applies(self, court: str, disposition: str, dob: str, offense_date: str,
                conviction_date: str) -> bool:
        """A juvenile court or wardship is named, and the person was not shown to be 18 or
        older at the offense (the arrest date stands in for it, else the conviction date)."""
        if not (self.court.search(court.upper()) or self.disposition.search(disposition.upper())):
            return False
        band = age_band(dob, offense_date or conviction_date)
        return band is None or band == UNDER_18


def _words(markers: Iterable[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(m.upper()) for m in sorted(markers, key=len, reverse=True))
    return re.compile(rf"(?<![A-Z0-9])(?:{alternatives})(?![A-Z0-9])") if alternatives else re.compile(r"(?!)")


@lru_cache(maxsize=4)
def load_juvenile(path: Path = JUVENILE_FILE) -> JuvenileRule:
    data = json.loads(path.read_text(encoding="utf-8"))
    court = [str(m) for m in data.get("court_markers", [])]
    disposition = [str(m) for m in data.get("disposition_markers", [])]
    return JuvenileRule(_words(court), _words(disposition))


def juvenile_ids(store: Store, conviction_ids: Iterable[int] | None = None, *,
                 only_unprinted: bool = False, rule: JuvenileRule | None = None) -> set[int]:
    """The approved convictions with relief (in scope) that are juvenile adjudications."""
    rule = rule or load_juvenile()
    # the distinct court and disposition texts are few: the words are matched on those, and
    # rows are read only when one names a juvenile court (66,000 rows: milliseconds, not 0.2 s)
    courts, dispositions = store.court_texts()
    courts = [c for c in courts if rule.court.search(c.upper())]
    dispositions = [d for d in dispositions if rule.disposition.search(d.upper())]
    rows = store.convictions_by_court_text(courts, dispositions, conviction_ids,
                                           only_unprinted=only_unprinted)
    return {int(r[0]) for r in rows if rule.applies(*r[1:])}


def is_juvenile(row, rule: JuvenileRule | None = None) -> bool:
    """For one `OrderRow`."""
    rule = rule or load_juvenile()
    return rule.applies(row.court, row.disposition, row.dob, row.offense_date,
                        row.conviction_date)
