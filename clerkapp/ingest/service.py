"""Importing files into the store: detect the layout, refuse duplicates, and land each file
whole or not at all (one transaction per file; a failure or a cancel rolls it back)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from clerkapp.errors import BadInput, DuplicateImport
from clerkapp.ingest.base import ParsedFile
from clerkapp.jobs import CancelToken, Progress, check, no_progress

log = logging.getLogger(__name__)

BATCH_SIZE = 5000
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".dat", ".txt"}


@dataclass(frozen=True)
class ImportSummary:
    import_id: int
    file_name: str
    preset: str
    rows: int
    people: int
    convictions: int
    errors: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise BadInput("file not found", file=str(path))
    if path.is_dir():
        raise BadInput("is a folder, not a file", file=str(path))
    if path.stat().st_size == 0:
        raise BadInput("the file is empty", file=str(path))
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise BadInput(
            f"unsupported file type {path.suffix or '(none)'}: expected .csv, .dat or .xlsx",
            file=str(path),
        )


def open_parsed_file(
    path: Path, *, preset: str = "auto", mapping: dict[str, str] | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """Open a file with the parser its layout calls for (`auto` detects DOJ/BEAR files)."""
    from clerkapp.ingest import doj, sheets

    path = Path(path)
    _check_readable(path)
    if preset not in {"auto", "doj", "generic"}:
        raise BadInput(f"unknown preset {preset!r}: use auto, doj or generic", file=str(path))
    # a research file re-saved in Excel is still a DOJ file: the header decides, not the suffix
    if preset == "doj" or (preset == "auto" and doj.looks_like_doj(path)):
        return doj.open_doj(path)
    return sheets.open_sheet(path, mapping=mapping, sheet=sheet)


def import_files(
    store,
    paths: list[Path] | list[str],
    *,
    preset: str = "auto",
    mapping: dict[str, str] | None = None,
    force: bool = False,
    operator: str | None = None,
    sheet: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[ImportSummary]:
    """Import each file in its own transaction. Every file is checked (readable, not a
    duplicate) before any is written, so a bad file named last does not leave the others in."""
    files = [Path(p) for p in paths]
    hashes: list[str] = []
    for path in files:
        _check_readable(path)
        sha = file_sha256(path)
        earlier = store.find_import_by_sha256(sha)
        if earlier is not None and not force:
            raise DuplicateImport(
                f"already imported as import #{earlier.id} ({earlier.file_name}, "
                f"{earlier.started_at}); use --force to import it again",
                file=str(path),
            )
        if sha in hashes and not force:
            raise DuplicateImport("named twice in the same import", file=str(path))
        hashes.append(sha)
    summaries = []
    for path, sha in zip(files, hashes, strict=True):
        summaries.append(
            _import_one(store, path, sha, preset=preset, mapping=mapping, force=force,
                        operator=operator, sheet=sheet, progress=progress, cancel=cancel)
        )
    return summaries


def _import_one(
    store, path: Path, sha: str, *, preset: str, mapping: dict[str, str] | None, force: bool,
    operator: str | None, sheet: str | None, progress: Progress, cancel: CancelToken | None,
) -> ImportSummary:
    parsed = open_parsed_file(path, preset=preset, mapping=mapping, sheet=sheet)
    total = parsed.total_rows
    progress(0, total, f"Importing {path.name}")
    with store.atomic():
        writer = store.begin_import(
            file_name=path.name, file_path=str(path.resolve()), sha256=sha,
            size=path.stat().st_size, preset=parsed.preset, headers=list(parsed.headers),
            mapping=dict(parsed.mapping), sheet=parsed.sheet, operator=operator, forced=force,
        )
        for batch in parsed.batches(BATCH_SIZE):
            check(cancel)
            store.write_batch(writer, batch)
            progress(writer.rows, total, f"Importing {path.name}")
        check(cancel)
        if writer.rows == 0:
            raise BadInput("no data rows found", file=str(path))
        store.finish_import(writer)
        store.audit(
            operator or "clerkapp", "import", entity="import", entity_id=writer.import_id,
            details={"file": path.name, "sha256": sha, "preset": parsed.preset,
                     "rows": writer.rows, "errors": writer.errors, "forced": force},
        )
    log.info("imported %s: %d rows, %d convictions, %d row errors",
             path.name, writer.rows, writer.convictions, writer.errors)
    return ImportSummary(
        import_id=writer.import_id, file_name=path.name, preset=parsed.preset,
        rows=writer.rows, people=len(writer.people_touched), convictions=writer.convictions,
        errors=writer.errors,
    )
