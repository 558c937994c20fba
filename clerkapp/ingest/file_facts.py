"""Facts that hold for a whole file, given by the clerk at import: the county (a court's own
export rarely repeats it on every row), the court, and what kind of list the file is (the
court's own records, a prosecutor's list, the DOJ's), which decides an order's recitals.

A row's own county wins; where it names another county the row gets a note, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerkapp.domain.counties import california_county, not_a_county, same_county
from clerkapp.domain.records import ParsedBatch
from clerkapp.domain.sources import SOURCE_KINDS
from clerkapp.errors import BadInput

SOURCES = ("auto", *SOURCE_KINDS)
# what `auto` means for each parser's preset
AUTO_SOURCE = {"doj": "doj", "bear": "prosecutor", "generic": "court"}
NOTE_PREFIX = "note: "  # an importer flag that informs the clerk and sends nothing to review


@dataclass(frozen=True)
class FileFacts:
    county: str | None = None
    court: str | None = None
    source: str = "auto"  # auto | court | prosecutor | doj
    prosecutor: str | None = None  # the prosecuting agency of a prosecutor's list

    @property
    def empty(self) -> bool:
        return not (self.county or self.court)


def checked_facts(*, county: str | None = None, court: str | None = None,
                  source: str | None = None, prosecutor: str | None = None) -> FileFacts:
    """The facts as given, with the county spelled as California lists it; BadInput (nothing
    written yet) for a county that is not California's or an unknown source kind."""
    name = None
    if county is not None and county.strip():
        name = california_county(county)
        if name is None:
            raise BadInput(f"--county {not_a_county(county)}")
    kind = (source or "auto").strip().lower()
    if kind not in SOURCES:
        raise BadInput(f"--source {source!r}: expected one of {', '.join(SOURCES)}")
    return FileFacts(county=name, court=(court or "").strip() or None, source=kind,
                     prosecutor=(prosecutor or "").strip() or None)


def source_kind(facts: FileFacts | None, preset: str) -> str:
    """The kind of list an import is: the clerk's word, else what the layout says."""
    if facts is not None and facts.source != "auto":
        return facts.source
    return AUTO_SOURCE.get(preset, "court")


def apply_file_facts(batch: ParsedBatch, facts: FileFacts | None) -> ParsedBatch:
    """Fill in the file-wide county and court where a row gives none; note a row whose own
    county differs (the row's is kept: it is the record)."""
    if facts is None or facts.empty:
        return batch
    county, court = facts.county, facts.court
    for c in batch.convictions:
        if county:
            if not (c.county or "").strip():
                c.county = county
            elif not same_county(c.county, county):
                c.flags.append(f"{NOTE_PREFIX}the row's county ({c.county.strip()}) differs from"
                               f" the file's ({county}); the row's is used")
                batch.notes += 1
        if court and not (c.court or "").strip():
            c.court = court
    if county:
        for e in batch.events:
            if not (e.county or "").strip():
                e.county = county
    return batch
