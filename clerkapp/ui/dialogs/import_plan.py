"""What the import dialog knows about each chosen file, and the background job that imports
them: kept apart from the widgets so the planning can be read (and tested) without them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clerkapp.errors import BadInput


@dataclass
class FilePlan:
    """What the dialog knows about one chosen file and how it will be imported."""

    path: Path
    preset: str = "generic"  # doj | bear | generic
    refused: str | None = None  # the BadInput text when the file cannot be imported
    rows_estimate: int | None = None
    preview: Any = None  # clerkapp.ingest.sheets.SheetPreview for generic sheets
    sheet: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    detected_mapping: dict[str, str] = field(default_factory=dict)
    saved_mapping_used: bool = False
    force: bool = False

    @property
    def is_sheet(self) -> bool:
        return self.preset == "generic" and self.refused is None

    def overrides(self) -> dict[str, str]:
        """Every header with its field or "ignore", so a column set to (ignore) stays out."""
        headers = self.preview.headers if self.preview is not None else list(self.mapping)
        return {h: self.mapping.get(h, "ignore") for h in headers}


def plan_file(store, path: Path, sheet: str | None = None) -> FilePlan:
    """Detect the file's layout (cheap: the first rows only, plus a line count for DOJ)."""
    from clerkapp.ingest import doj

    plan = FilePlan(Path(path))
    try:
        suffix = plan.path.suffix.lower()
        if not plan.path.is_file():
            raise BadInput("file not found", file=str(path))
        if suffix not in {".csv", ".dat", ".txt", ".xlsx", ".xlsm"}:
            raise BadInput(f"unsupported file type {suffix or '(none)'}: expected .csv, .dat "
                           "or .xlsx", file=str(path))
        if suffix not in {".xlsx", ".xlsm"} and doj.looks_like_doj(plan.path):
            opened = doj.open_doj(plan.path)
            plan.preset = opened.preset
            plan.rows_estimate = opened.total_rows
            return plan
        from clerkapp.ingest.sheets import preview_sheet

        preview = preview_sheet(plan.path, sheet=sheet)
    except BadInput as exc:
        plan.refused = str(exc)
        return plan
    plan.preview = preview
    plan.sheet = preview.sheet
    plan.detected_mapping = dict(preview.mapping)
    saved = store.get_setting(f"mapping.{preview.layout_key}")
    if isinstance(saved, dict) and saved:
        plan.mapping = {h: f for h, f in saved.items() if h in preview.headers}
        plan.saved_mapping_used = True
    else:
        plan.mapping = dict(preview.mapping)
    return plan


def import_plans(store, plans: list[FilePlan], *, operator: str, progress, cancel,
                 facts: Any = None) -> list[Any]:
    """The background job: each file through `import_files`, all in one transaction (a file
    refused half-way leaves none of the others in)."""
    from clerkapp.ingest.service import import_files

    summaries: list[Any] = []
    with store.atomic():
        for plan in plans:
            summaries += import_files(
                store, [plan.path], preset="generic" if plan.is_sheet else "auto",
                mapping=plan.overrides() if plan.is_sheet else None, sheet=plan.sheet,
                force=plan.force, operator=operator, facts=facts, progress=progress,
                cancel=cancel,
            )
    return summaries
