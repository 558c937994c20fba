"""Files written in bulk (orders, exports, DOJ update files, notices) never appear half-done
or unrecorded, even when the process is killed.

The protocol, for every file of a run:

1. the run is recorded (`output_runs`) and an OS lock taken before the first byte is written;
2. each file is written under a temporary name in its target folder (`.clerkapp-<token>-N.part`,
   created readable by the user only);
3. `commit(record)` records every file as pending (`output_files`: final path, sha256) in ONE
   transaction together with what the caller records for them (orders, audit entries);
4. only then is each file moved into place (`os.replace`), and the run marked complete with
   one statement.

A crash before 3 leaves only temporary files: the next run (or `clerkapp verify`) deletes them.
A crash after 3 leaves recorded files, some under their temporary names: they are moved into
place. Either way every file under a final name is recorded, and every recorded file is on disk;
`Recovery.lines()` says what was cleaned. The record writes are one batch per run, so the cost
per file is the temporary name and one rename.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

from clerkapp.errors import BadInput
from clerkapp.files.overwrite import refuse_overwriting_import
from clerkapp.files.runlock import RunLock

T = TypeVar("T")
TEMP_SUFFIX = ".part"

# kinds of output file (`output_files.kind`) the clerk may move, edit, delete or write again
# under the same name: an export, the copy of an order reprinted as printed, the impact report,
# a reconciliation's file, a confirmation of relief (handed to the person; what it confirms is
# checked by its code, `clerkapp verify-certificate`). The others (orders, update files, the
# judge's reports, notices) are the court's record of what it issued or reported, kept as
# written.
CLERKS_OWN = frozenset({"export", "order.reprinted", "report.impact", "reconcile",
                        "certificate"})
RECORD_WORDS = {"order.single": "a printed order", "order.bulk": "a printed order",
                "closeout.doj": "a DOJ update file", "closeout.cms": "a case-system update file",
                "closeout.judge_review": "a judge's review list",
                "closeout.judge_final": "a judge's final report", "notice": "a notice"}


def _lock_name(token: str) -> str:
    return f".clerkapp-{token}.lock"


def _temp_prefix(token: str) -> str:
    return f".clerkapp-{token}-"


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) readable by the user only; an existing one is left as is."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BadInput(f"cannot create the output folder: {exc.strerror}",
                       file=str(folder)) from None


def unique_path(folder: Path, file_name: str, taken: set[str]) -> Path:
    """`file_name` in `folder`, or `<stem>_2<suffix>`, `_3`… when the file exists or was
    already handed out in this run: an earlier file is never overwritten."""
    stem, suffix = Path(file_name).stem, Path(file_name).suffix
    candidate, n = file_name, 1
    while candidate.lower() in taken or (folder / candidate).exists():
        n += 1
        candidate = f"{stem}_{n}{suffix}"
    taken.add(candidate.lower())
    return folder / candidate


@dataclass
class StagedFile:
    """A file written under its temporary name, waiting for `commit`."""

    final: Path
    temp: Path
    sha256: str = ""
    size: int = 0


@dataclass
class Recovery:
    """What a recovery found of runs a crash interrupted."""

    runs: int = 0
    completed: int = 0  # recorded files moved into place
    removed: int = 0  # temporary files of unrecorded work deleted
    missing: list[str] = field(default_factory=list)  # recorded, yet on disk under no name
    unreachable: list[str] = field(default_factory=list)  # folders that cannot be read now

    def lines(self) -> list[str]:
        """One sentence per finding, for the CLI's stderr and the window's message."""
        out: list[str] = []
        if self.removed:
            out.append(f"removed {self.removed} unfinished file(s) an interrupted earlier run"
                       " left (nothing was recorded for them)")
        if self.completed:
            out.append(f"moved {self.completed} recorded file(s) of an interrupted earlier run"
                       " into place")
        if self.missing:
            out.append(f"{len(self.missing)} recorded file(s) are missing from disk, e.g."
                       f" {self.missing[0]}")
        for folder in self.unreachable:
            out.append(f"an interrupted run's folder cannot be read now; it will be cleaned"
                       f" when it can: {folder}")
        return out


def recover_outputs(store) -> Recovery:
    """Finish or clean every run a crash left (runs still alive elsewhere are left alone)."""
    found = Recovery()
    for run in store.unfinished_output_runs():
        token, folder = run.token, Path(run.folder)
        if not folder.is_dir():
            found.unreachable.append(str(folder))
            continue
        lock = RunLock(folder / _lock_name(token))
        try:
            alive = not lock.acquire()
        except OSError:
            found.unreachable.append(str(folder))
            continue
        if alive:
            continue
        try:
            found.runs += 1
            pending = store.pending_output_files(run.id)
            recorded_temps = set()
            for f in pending:
                temp, final = Path(f.temp_path), Path(f.path)
                recorded_temps.add(temp.name)
                if temp.exists():
                    os.replace(temp, final)
                    found.completed += 1
                elif not final.exists():
                    found.missing.append(str(final))
            for leftover in folder.glob(_temp_prefix(token) + "*" + TEMP_SUFFIX):
                if leftover.name not in recorded_temps:
                    leftover.unlink(missing_ok=True)
                    found.removed += 1
            store.finish_output_run(run.id, status="recovered")
        finally:
            lock.release()
    return found


class OutputBatch:
    """One run of files written into `folder`:

        with OutputBatch(store, "order.single", folder) as out:
            staged = out.write_bytes("A-123.pdf", data)
            ...
            out.commit(lambda files: store.record_orders(...))

    Leaving the block without `commit` (an error, a cancel) deletes the temporary files.
    `recovered` tells what cleaning up after an earlier crash did (see `Recovery.lines`).
    """

    def __init__(self, store, kind: str, folder: str | Path, *, recover: bool = True) -> None:
        self.store = store
        self.kind = kind
        # absolute, so the record finds the file whatever folder a later command runs in
        self.folder = Path(folder).absolute()
        self.recovered = recover_outputs(store) if recover else Recovery()
        self.files: list[StagedFile] = []
        self._taken: set[str] = set()
        self._token = secrets.token_hex(6)
        self._seq = 0
        self._lock: RunLock | None = None
        self._run_id: int | None = None
        self._committed = False

    def __enter__(self) -> OutputBatch:
        make_private_dir(self.folder)
        lock = RunLock(self.folder / _lock_name(self._token))
        try:
            lock.acquire()
        except OSError as exc:
            raise BadInput(f"cannot write in the folder: {exc.strerror}",
                           file=str(self.folder)) from None
        self._lock = lock
        # the token names this run's temporary files: a later recovery finds them by it
        self._run_id = self.store.start_output_run(self.kind, str(self.folder.resolve()),
                                                   self._token)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self._committed:
            self.discard()

    # -- naming -------------------------------------------------------------------------------

    def reserve(self, file_name: str, *, overwrite: bool = False,
                label: str = "the file") -> Path:
        """`file_name` in the folder, or `<stem>_2<suffix>`, `_3`… when a file of that name
        exists or was handed out in this run; `overwrite`: exactly `file_name`, unless that is
        a file the store imported (`files.overwrite`) or keeps on record: refused."""
        if overwrite:
            refuse_overwriting_import(self.store, self.folder / file_name, label)
            self._taken.add(file_name.lower())
            self._refuse_recorded(self.folder / file_name)
            return self.folder / file_name
        return unique_path(self.folder, file_name, self._taken)

    def _refuse_recorded(self, path: Path) -> None:
        """A file the court's record holds (an update file reported, an order, a notice) is
        never written over: the record would name a file whose bytes are gone."""
        found = self.store.recorded_output_at(str(path), tuple(CLERKS_OWN))
        if found is not None:
            what = RECORD_WORDS.get(found.kind, f"a {found.kind} file")
            raise BadInput(f"this is {what} clerkapp recorded as written, and a recorded file"
                           " is never written over: choose another name", file=str(path))

    def stage(self, file_name: str, *, overwrite: bool = False,
              label: str = "the file") -> StagedFile:
        """A final name and an empty temporary file (readable by the user only) for a writer
        that needs a path (openpyxl, csv): write over `staged.temp`; `commit` hashes it."""
        staged = self._stage(file_name, overwrite, label)
        self._create(staged, label).close()
        return staged

    def _stage(self, file_name: str, overwrite: bool, label: str = "the file") -> StagedFile:
        self._seq += 1
        staged = StagedFile(self.reserve(file_name, overwrite=overwrite, label=label),
                            self.folder / f"{_temp_prefix(self._token)}{self._seq}{TEMP_SUFFIX}")
        self.files.append(staged)
        return staged

    # -- writing ------------------------------------------------------------------------------

    def write_bytes(self, file_name: str, data: bytes, *, overwrite: bool = False,
                    label: str = "the file") -> StagedFile:
        """`label` names what failed in a message ("the order for case A-1"): never the
        file name, which may carry a person's name."""
        staged = self._stage(file_name, overwrite, label)
        with self._create(staged, label) as handle:
            try:
                handle.write(data)
            except OSError as exc:
                raise BadInput(f"cannot write {label}: {exc.strerror}",
                               file=str(self.folder)) from None
        staged.sha256 = hashlib.sha256(data).hexdigest()
        staged.size = len(data)
        return staged

    @contextmanager
    def open(self, file_name: str, *, overwrite: bool = False,
             label: str = "the file") -> Iterator[tuple[IO[bytes], StagedFile]]:
        """A binary handle on a new staged file; hashed when the block ends unless the writer
        set `staged.sha256` and `staged.size` itself."""
        staged = self._stage(file_name, overwrite, label)
        with self._create(staged, label) as handle:
            yield handle, staged
        if not staged.sha256:
            self.seal(staged)

    def seal(self, staged: StagedFile) -> StagedFile:
        """Hash a staged file its writer has finished."""
        digest = hashlib.sha256()
        size = 0
        with staged.temp.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
        staged.sha256, staged.size = digest.hexdigest(), size
        return staged

    def _create(self, staged: StagedFile, label: str = "the file") -> IO[bytes]:
        """The temporary file, created readable and writable by the user only."""
        try:
            fd = os.open(staged.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as exc:
            raise BadInput(f"cannot write {label}: {exc.strerror}",
                           file=str(self.folder)) from None
        return os.fdopen(fd, "wb")

    # -- landing ------------------------------------------------------------------------------

    def commit(self, record: Callable[[list[StagedFile]], T] | None = None) -> T | None:
        """Record every staged file as pending together with `record(files)` in one
        transaction, move the files into place, and mark them complete."""
        if self._run_id is None:
            raise RuntimeError("OutputBatch.commit outside its with-block")
        for staged in self.files:
            if not staged.sha256:
                self.seal(staged)
        result: Any = None
        with self.store.atomic():
            self.store.add_output_files(
                self._run_id, self.kind,
                [(str(f.final), str(f.temp), f.sha256, f.size) for f in self.files])
            if record is not None:
                result = record(self.files)
        self._committed = True
        for staged in self.files:
            os.replace(staged.temp, staged.final)
        self.store.finish_output_run(self._run_id)
        self._release()
        return result

    def discard(self) -> None:
        """Delete this run's temporary files and close the run (nothing was recorded)."""
        for staged in self.files:
            staged.temp.unlink(missing_ok=True)
        if self._run_id is not None:
            try:
                self.store.finish_output_run(self._run_id, status="abandoned")
            except Exception:  # noqa: BLE001 - the store may be what failed; recovery closes it
                pass
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None
