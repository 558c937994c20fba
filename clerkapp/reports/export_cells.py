"""The export's cells: one row per conviction in the exact columns of architecture.md, worked
a batch of store rows at a time (a county's export is millions of cells). No store here: the
process writing a share of the export (export_split.py) imports only this and the writer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from clerkapp.reports.export_csv import FORMULA_FIRST, texts

EXPORT_COLUMNS = (
    "import_file", "source_row", "person_name", "dob", "cii", "case_number", "county",
    "code_section", "attempted", "offense_level", "conviction_date", "outcome", "remedy",
    "reasons", "authority", "review_status", "reviewed_by", "reviewed_at",
    "prosecutor_outcome", "prosecutor_reason",
    # what the clerk decided: the approval's or denial's outcome, and the override's or
    # denial's reason (issue 14), then the related charges (issue 12): appended in the
    # agreed order, so the columns above keep their places
    "decided_outcome", "review_note", "related_charges",
)


def _reason_cells(reasons_json: str) -> tuple[str, str]:
    """The reasons' texts joined, and the cannabis conviction's related charges
    (rules/related.py: its reason's list)."""
    reasons = json.loads(reasons_json)
    return ("; ".join(r["text"] for r in reasons),
            next((r["text"].split(": ", 1)[-1] for r in reasons
                  if r.get("code") == "related_charges"), ""))


def export_row(row: dict[str, Any]) -> list[str]:
    """One store row as the export's cells (text), in EXPORT_COLUMNS order."""
    reasons_json = row.get("reasons_json")
    attempted = ("attempted conspiracy" if row["attempted"] and row["conspiracy"] else "attempt"
                 if row["attempted"] else "conspiracy" if row["conspiracy"] else "")
    reasons, related = _reason_cells(reasons_json) if reasons_json else ("", "")
    values = {
        **row,
        "attempted": attempted,
        "reasons": reasons,
        "authority": row.get("authority") or "",
        "related_charges": related,
        # in force, as the queue shows it: the clerk's override, else the latest evaluation's
        # (an approval of an earlier evaluation's outcome is not an override)
        "outcome": row.get("override_outcome") or row.get("outcome") or "",
        # a deferral decides nothing; a pending conviction has no decision
        "decided_outcome": (row.get("decided_outcome") or "")
        if row.get("review_status") in ("approved", "denied") else "",
    }
    return ["" if values.get(name) is None else str(values[name]) for name in EXPORT_COLUMNS]


# the export's columns that export_row works out rather than copies from the store's row
_DERIVED = frozenset({"attempted", "reasons", "outcome", "decided_outcome", "related_charges"})
_ATTEMPT_WORDS = {(0, 0): "", (1, 0): "attempt", (0, 1): "conspiracy",
                  (1, 1): "attempted conspiracy"}
BATCH_ROWS = 256  # store rows worked at a time: small enough that a batch stays in the CPU cache
_REASONS_KEPT = 100_000  # distinct reasons remembered in one export


# the store's `decisions` cell (export_tuples(packed=True)): NULL, or a JSON object of these
DECISION_COLUMNS = ("reviewed_by", "reviewed_at", "decided_outcome", "override_outcome",
                    "prosecutor_outcome", "prosecutor_reason", "review_note")


def _unpacked(packed: Sequence[str | None]) -> list[Sequence[Any]]:
    """A batch's `decisions` cells as the columns of DECISION_COLUMNS (None where there is
    none, as the store gives override_outcome; '' for the others when the batch has none)."""
    n = len(packed)
    if packed.count(None) == n:  # a county's first export: no decision anywhere
        return [(None,) * n if name == "override_outcome" else ("",) * n
                for name in DECISION_COLUMNS]
    found = [json.loads(cell) if cell is not None else {} for cell in packed]
    return [[one.get(name) for one in found] for name in DECISION_COLUMNS]


def _as_given(values: Sequence[Any]) -> Sequence[Any]:
    return values


def export_columns(names: Sequence[str], rows: Iterable[Sequence[Any]], *,
                   size: int = BATCH_ROWS, as_text: bool = True,
                   ) -> Iterator[list[Sequence[str]]]:
    """`export_row`'s cells of the store rows given as tuples under `names` (the decisions'
    columns, or them packed as `decisions`), a batch of rows at a time, as the batch's
    columns in EXPORT_COLUMNS order. A county's export is millions of cells: a column of one
    batch is worked as a whole, mostly in one step. `as_text` False: the cells copied from
    the store as it gives them (None, a number), for a writer that makes them text itself
    (export_csv's columns: one pass over each column fewer)."""
    at = {name: i for i, name in enumerate(names)}
    packed = at.get("decisions")
    if packed is not None:  # its columns follow the store's in each batch
        at.update({name: len(names) + k for k, name in enumerate(DECISION_COLUMNS)})
    copied = [(j, at[name]) for j, name in enumerate(EXPORT_COLUMNS) if name not in _DERIVED]
    place = {name: i for i, name in enumerate(EXPORT_COLUMNS)}
    attempted, conspiracy, reasons_json, override, outcome, status, decided = (
        at[name] for name in ("attempted", "conspiracy", "reasons_json", "override_outcome",
                              "outcome", "review_status", "decided_outcome"))
    # reasons JSON -> its cells (most convictions share a determination's reasons)
    known: dict[str | None, tuple[str, str]] = {}
    text = texts if as_text else _as_given
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        n = len(batch)
        store = list(zip(*batch, strict=True))
        if packed is not None:
            store += _unpacked(store[packed])
        out: list[Sequence[str]] = [()] * len(EXPORT_COLUMNS)
        for j, i in copied:
            out[j] = text(store[i])
        tried, plotted = store[attempted], store[conspiracy]
        out[place["attempted"]] = (
            [_ATTEMPT_WORDS[(bool(a), bool(c))] for a, c in zip(tried, plotted, strict=True)]
            if any(tried) or any(plotted) else [""] * n)
        if len(known) > _REASONS_KEPT or not known:
            known.clear()
            known.update({None: ("", ""), "": ("", "")})
        get = known.get
        cells = [get(r) or known.setdefault(r, _reason_cells(r)) for r in store[reasons_json]]
        out[place["reasons"]], out[place["related_charges"]] = zip(*cells, strict=True)
        overrides = store[override]
        # in force, as the queue shows it: the clerk's override, else the evaluation's
        out[place["outcome"]] = (
            text(store[outcome]) if overrides.count(None) == n
            else [o or e or "" for o, e in zip(overrides, store[outcome], strict=True)])
        statuses = store[status]
        # a deferral decides nothing; a pending conviction has no decision
        out[place["decided_outcome"]] = (
            [(d or "") if s in ("approved", "denied") else ""
             for d, s in zip(store[decided], statuses, strict=True)]
            if "approved" in statuses or "denied" in statuses else [""] * n)
        yield out


def export_cells(names: Sequence[str], rows: Iterable[Sequence[Any]], *,
                 quote_formulas: bool = False) -> Iterator[list[str]]:
    """`export_row` of each store row given as a tuple under `names`, a row at a time (the
    xlsx's rows). `quote_formulas`: a leading apostrophe on formula-like cells, as the csv
    writes them."""
    first = FORMULA_FIRST
    for columns in export_columns(names, rows):
        for cells in zip(*columns, strict=True):
            yield ([f"'{c}" if c[:1] in first else c for c in cells] if quote_formulas
                   else list(cells))
