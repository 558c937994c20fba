"""Importing files into the store: detect the layout, refuse duplicates, and land each file
whole or not at all (one transaction per file; a failure or a cancel rolls it back)."""

from __future__ import annotations

import logging
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from clerkapp.errors import BadInput, DuplicateImport
from clerkapp.files.hashing import file_sha256
from clerkapp.ingest.file_facts import FileFacts, source_kind
from clerkapp.ingest.reading import (
    LocalReader,
    WorkerReader,
    check_readable,
    open_parsed_file,
    open_reader,
    reads_in_worker,
)
from clerkapp.ingest.row_kinds import counted
from clerkapp.jobs import CancelToken, Progress, bulk_gc, check, no_progress
from clerkapp.store.tidy import IMPORT_TABLES as TIDY_IMPORT_TABLES

__all__ = ["BATCH_SIZE", "ImportSummary", "file_sha256", "import_files", "open_parsed_file"]

log = logging.getLogger(__name__)

BATCH_SIZE = 5000


@dataclass(frozen=True)
class ImportSummary:
    import_id: int
    file_name: str
    preset: str
    rows: int
    people: int
    convictions: int
    errors: int
    repeated: int = 0  # convictions an earlier import already holds (see the store)
    skipped: dict[str, int] = field(default_factory=dict)  # rows that are not records, by reason
    history: int = 0  # counts kept as history, not convictions (dismissed, acquitted...)
    notes: int = 0  # notes left on rows (a row's county differing from the file's)
    county: str | None = None  # the file-wide county the clerk gave
    source: str = ""  # court | prosecutor | doj

    def skipped_text(self) -> str:
        """`2 footer or total lines, 1 blank row` for the summary line; empty when none."""
        return ", ".join(counted(reason, n) for reason, n in self.skipped.items() if n)


def import_files(
    store,
    paths: list[Path] | list[str],
    *,
    preset: str = "auto",
    mapping: dict[str, str] | None = None,
    force: bool = False,
    operator: str | None = None,
    sheet: str | None = None,
    facts: FileFacts | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> list[ImportSummary]:
    """Import the files as one act: every file is checked (readable, not a duplicate) before
    any is written, and all of them land in one transaction, so a file refused half-way (a
    damaged row) leaves none of the others in: what the clerk is told ("nothing was
    imported") is what happened, whatever the order the files were named in.

    `facts` (`clerkapp.ingest.file_facts.checked_facts`): what holds for every row of the
    files (county, court, kind of list), stored on each import."""
    files = [Path(p) for p in paths]
    options = {"preset": preset, "mapping": mapping, "sheet": sheet, "facts": facts}
    summaries = []
    with ExitStack() as early:
        # a large first file's reading process starts now, while the files are hashed:
        # starting it takes as long as hashing, and it only reads (a refusal below ends it)
        first = None
        if files:
            check_readable(files[0])
            if reads_in_worker(files[0]):
                first = early.enter_context(open_reader(
                    files[0], batch_size=BATCH_SIZE, cancel=cancel, **options))
        hashes = _new_file_hashes(store, files, force)
        size = sum(path.stat().st_size for path in files)
        with store.bulk_import(size), store.atomic():  # each file a savepoint inside
            for index, (path, sha) in enumerate(zip(files, hashes, strict=True)):
                summaries.append(_import_one(
                    store, path, sha, force=force, operator=operator, progress=progress,
                    cancel=cancel, reader=None if index else first, **options))
    # a shared store's new rows made visible to its index-only filters at once (VACUUM
    # ANALYZE in the background; nothing on SQLite)
    store.tidy_after_bulk(TIDY_IMPORT_TABLES, sum(s.rows for s in summaries))
    return summaries


def _new_file_hashes(store, files: list[Path], force: bool) -> list[str]:
    """Each file's SHA-256, refusing one imported before or named twice (unless forced).
    The first file `import_files` checked already (a second look for NUL bytes would cost
    a pass over it)."""
    hashes: list[str] = []
    for index, path in enumerate(files):
        if index:
            check_readable(path)
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
    return hashes


def _import_one(
    store, path: Path, sha: str, *, preset: str, mapping: dict[str, str] | None, force: bool,
    operator: str | None, sheet: str | None, facts: FileFacts | None, progress: Progress,
    cancel: CancelToken | None, reader: LocalReader | WorkerReader | None = None,
) -> ImportSummary:
    """One file in one transaction. A large file is read in a worker process while this one
    writes (clerkapp.ingest.reading); leaving the block, however, ends the worker (`reader`:
    one started already, which its opener ends)."""
    opened = nullcontext(reader) if reader is not None else open_reader(
        path, preset=preset, mapping=mapping, sheet=sheet, batch_size=BATCH_SIZE,
        cancel=cancel, facts=facts)
    with opened as reader, bulk_gc():
        header = reader.header
        kind = source_kind(facts, header.preset)
        total = header.total_rows
        progress(0, total, f"Importing {path.name}")
        # inside the act's transaction (import_files): a savepoint per file would copy every
        # page it changes to a sub-journal, for nothing, since a failure ends the whole act
        own = nullcontext() if store.conn.in_transaction else store.atomic()
        with store.bulk_writing(), own:
            writer = store.begin_import(
                file_name=path.name, file_path=str(path.resolve()), sha256=sha,
                size=path.stat().st_size, preset=header.preset, headers=header.headers,
                mapping=header.mapping, sheet=header.sheet, operator=operator, forced=force,
                county=facts.county if facts else None, court=facts.court if facts else None,
                source_kind=kind, prosecutor=facts.prosecutor if facts else None,
            )
            for flat in reader:
                check(cancel)
                store.write_flat(writer, flat)
                progress(writer.rows, total, f"Importing {path.name}")
            check(cancel)
            if writer.rows == 0:
                raise BadInput("no data rows found", file=str(path))
            store.finish_import(writer)
            repeated = store.count_repeated_convictions(writer)
            store.audit(
                operator or "clerkapp", "import", entity="import", entity_id=writer.import_id,
                details={"file": path.name, "sha256": sha, "preset": header.preset,
                         "rows": writer.rows, "errors": writer.errors, "forced": force,
                         "repeated_convictions": repeated, "source": kind,
                         "county": facts.county if facts else None,
                         "skipped": writer.skipped, "history": writer.history},
            )
    log.info("imported %s: %d rows, %d convictions, %d row errors",
             path.name, writer.rows, writer.convictions, writer.errors)
    return ImportSummary(
        import_id=writer.import_id, file_name=path.name, preset=header.preset,
        rows=writer.rows, people=len(writer.people_touched), convictions=writer.convictions,
        errors=writer.errors, repeated=repeated, skipped=dict(writer.skipped),
        history=writer.history, notes=writer.notes, county=facts.county if facts else None,
        source=kind,
    )
