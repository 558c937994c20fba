"""The kinds of list convictions come from. An order recites only what is true of its
convictions' source (`forms/*.toml`, `[sources.<kind>]`), so every import records its kind."""

from __future__ import annotations

SOURCE_KINDS = ("court", "prosecutor", "doj")
SOURCE_LABELS = {
    "court": "the court's own records",
    "prosecutor": "a prosecutor's list",
    "doj": "the DOJ's list",
}
