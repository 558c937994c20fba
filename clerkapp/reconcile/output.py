"""The reconcile file: one row per conviction (or linked pair), in the issue's columns.

SSN and driver's licence numbers link records but are never written here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch
from clerkapp.reports.export import write_table
from clerkapp.store import Store

RECONCILE_COLUMNS = ("status", "doj_case_number", "court_case_number", "person_name", "dob",
                     "cii", "code_section", "conviction_date", "match_key", "score", "note")


def both(doj: str | None, court: str | None) -> str:
    """One value when the sides agree or one is empty, else both, each marked."""
    doj, court = doj or "", court or ""
    if not doj or not court or doj == court:
        return doj or court
    return f"{doj} (DOJ) / {court} (court)"


def reconcile_cells(row: tuple) -> list[str]:
    """A `store.iter_link_export` row as the file's cells."""
    (status, match_key, score, note, _doj_id, _court_id,
     d_case, d_name, d_dob, d_cii, d_section, d_date,
     k_case, k_name, k_dob, k_cii, k_section, k_date) = row
    cells = [status, d_case, k_case, d_name or k_name, d_dob or k_dob, d_cii or k_cii,
             both(d_section, k_section), both(d_date, k_date), match_key,
             "" if score is None else f"{score:g}", note]
    return ["" if c is None else str(c) for c in cells]


def iter_reconcile_cells(store: Store, status: str | None = None) -> Iterator[list[str]]:
    for row in store.iter_link_export(status):
        yield reconcile_cells(row)


def write_reconcile_file(store: Store, out_path: Path | str, *, status: str | None = None) -> int:
    """Write the reconciliation to .xlsx or .csv under a temporary name, recorded and audited,
    then moved into place (clerkapp.files.outputs); returns the number of rows."""
    out = Path(out_path)
    suffix = out.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise BadInput("the reconcile file must end in .csv or .xlsx", file=str(out))
    with OutputBatch(store, "reconcile", out.parent) as batch:
        staged = batch.stage(out.name, overwrite=True, label="the reconcile file")
        try:
            count = write_table(staged.temp, RECONCILE_COLUMNS,
                                iter_reconcile_cells(store, status), as_csv=suffix == ".csv",
                                sheet="Reconciliation")
        except OSError as exc:
            raise BadInput(f"cannot write the reconcile file: {exc.strerror}",
                           file=str(out)) from None
        batch.commit(lambda files: store.audit(
            store.clerk_name(), "reconcile.written", entity="reconcile_file",
            details={"rows": count, "status": status or "", "sha256": files[0].sha256}))
    return count
