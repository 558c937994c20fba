"""Court-profile values an update layout prints but the profile lacks, told before writing.

Writing an update file records its counts as reported: a column left empty by a missing court
code (ORI) is then only put right by voiding the file and writing it again. So the dialog and
`clerkapp doj-update` say it before anything is written, and the clerk chooses to fill in the
profile first or to write the file as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from clerkapp.closeout.layout import DEFAULT_LAYOUTS, UpdateLayout, load_layout
from clerkapp.store import Store

# layout field -> the court-profile setting it comes from, and that setting's label
PROFILE_FIELDS = {"court_code": ("court.code", "Court code for DOJ reports (ORI)"),
                  "court_name": ("court.name", "Court name"),
                  "judicial_officer": ("court.judge", "Judge")}
# the CLI option that writes the file with the columns empty
ALLOW_OPTION = "--allow-empty-columns"


@dataclass(frozen=True)
class ProfileGap:
    column: str  # the header the layout writes
    setting: str  # court.code
    label: str  # its label in Tools ▸ Court profile & settings


def profile_gaps(spec: UpdateLayout, court: Mapping[str, object],
                 judges: Iterable[str] | None = None) -> list[ProfileGap]:
    """The columns of `spec` the court profile would leave empty. The judicial officer is the
    signing judge recorded for the order, else the profile's: a gap only when the profile has
    none and some row lacks one (`judges`: each row's recorded judge; None, before the rows
    are read: assume one lacks it)."""
    gaps = []
    for column in spec.columns:
        found = PROFILE_FIELDS.get(column.field)
        if found is None or str(court.get(found[0]) or "").strip():
            continue
        if column.field == "judicial_officer" and judges is not None \
                and all(j for j in judges):
            continue
        gaps.append(ProfileGap(column.name, *found))
    return gaps


def gaps_before_writing(store: Store, kind: str, layout: str | Path | None = None, *,
                        since: str | None = None,
                        include_all: bool = False) -> list[ProfileGap]:
    """What the next update file of `kind` would leave empty (nothing when it would hold no
    count: nothing is written then)."""
    if not store.any_order_printed() or not (
            store.count_update_rows(kind, since=since, include_all=include_all)
            or store.count_withdrawal_rows(kind)):
        return []
    spec = load_layout(layout or DEFAULT_LAYOUTS[kind], kind)
    return profile_gaps(spec, store.settings_group("Court profile"))


def gaps_text(gaps: list[ProfileGap], what: str) -> str:
    """One sentence: which settings are missing and which columns they leave empty."""
    labels = ", ".join(dict.fromkeys(g.label for g in gaps))
    columns = ", ".join(g.column for g in gaps)
    return (f"the court profile lacks {labels}: column(s) {columns} of the {what} would be"
            " written empty, and the file is recorded as reported once written (to correct it"
            " you would void it and write it again)")


def settings_hint(gaps: list[ProfileGap]) -> str:
    """`clerkapp settings court.code=...` for the missing settings."""
    return "clerkapp settings " + " ".join(f"{g.setting}=..." for g in
                                           {g.setting: g for g in gaps}.values())
