"""Which spreadsheet rows are not convictions: report footers ("Total records: 41") and counts
whose disposition ends without a conviction (dismissed, acquitted, not guilty, nolle,
diversion). The words live in `resources/dispositions.toml`, which a court can extend."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from clerkapp.paths import RESOURCES_DIR

DISPOSITIONS_FILE = RESOURCES_DIR / "dispositions.toml"

# the reasons a row is skipped, as the import summary words them
SKIP_BLANK = "blank row"
SKIP_HEADER = "repeated header row"
SKIP_FOOTER = "footer or total line"


def counted(reason: str, n: int) -> str:
    """`1 blank row`, `2 blank rows`."""
    return f"{n} {reason}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class RowKinds:
    not_conviction: tuple[tuple[re.Pattern[str], str, str], ...]  # (pattern, label, citation)
    conviction_despite: tuple[re.Pattern[str], ...]
    footer: tuple[re.Pattern[str], ...]

    def not_conviction_label(self, disposition: str) -> str | None:
        """What a disposition says the count ended in ("dismissed"), or None when it reads as
        a conviction (or says nothing either way)."""
        text = disposition.strip()
        if not text or any(p.search(text) for p in self.conviction_despite):
            return None
        for pattern, label, _citation in self.not_conviction:
            if pattern.search(text):
                return label
        return None

    def is_footer(self, texts: list[str]) -> bool:
        """A row whose filled cells, joined, read as a report's footer or total line."""
        filled = [t.strip() for t in texts if t.strip()]
        if not filled or len(filled) > 3:
            return False
        joined = " ".join(filled)
        return any(p.search(joined) for p in self.footer)


@cache
def row_kinds() -> RowKinds:
    data = tomllib.loads(DISPOSITIONS_FILE.read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    nc = data["not_conviction"]
    return RowKinds(
        not_conviction=tuple((re.compile(p["pattern"], flags), p["label"], p.get("citation", ""))
                             for p in nc["patterns"]),
        conviction_despite=tuple(re.compile(p, flags) for p in nc.get("conviction_despite", [])),
        footer=tuple(re.compile(p, flags) for p in data["footer"]["patterns"]),
    )


def reads_as_not_convicted(disposition: str) -> bool:
    """A disposition that says the count was not a conviction (`DISMISSED`, `NOT GUILTY`)."""
    return row_kinds().not_conviction_label(disposition) is not None
