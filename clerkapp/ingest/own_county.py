"""The county a court's own records are from, when the clerk gives none: the court profile's.

A court's case-management export, or its prosecutor's list, rarely repeats the county on every
row, yet every row is the court's own county. Left empty, each of its convictions went to
review as "County not recorded" although the court profile names the county. A DOJ or BEAR
file is statewide and keeps each row's own county (or none)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from clerkapp.domain.counties import california_county
from clerkapp.ingest.file_facts import FileFacts, source_kind

OWN_KINDS = frozenset({"court", "prosecutor"})


def detected_preset(path: Path | str) -> str:
    """`doj` for a DOJ research or BEAR result file, else `generic` (cheap: the first line)."""
    from clerkapp.ingest import doj

    return "doj" if doj.looks_like_doj(path) else "generic"


def profile_county_for(store: Any, presets: Iterable[str], facts: FileFacts) -> str | None:
    """The court profile's county for files that are all the court's own records or a
    prosecutor's list (by the clerk's word, else by their layout) when no county was given;
    None otherwise (a county given, any DOJ file, no profile county)."""
    if facts.county or facts.source == "doj":
        return None
    county = california_county(store.get_setting("court.county"))
    if county is None:
        return None  # asked first: the files are looked at only when a county could be given
    kinds = [source_kind(facts, preset) for preset in presets]
    return county if kinds and all(kind in OWN_KINDS for kind in kinds) else None
