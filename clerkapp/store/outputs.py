"""The record of files written in bulk (orders, exports, update files, notices): every file is
written under a temporary name, recorded as pending in the same transaction as what it stands
for, moved into place, then marked complete. `clerkapp.files.outputs` drives it; this is its SQL.

`output_runs`: one row per writing run (kind, folder, status running | complete | recovered).
`output_files`: one row per file (final path, temporary path, sha256, size, pending | complete).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clerkapp.store.base import StoreBase, now_iso


@dataclass(frozen=True)
class OutputRun:
    id: int
    kind: str
    folder: str
    token: str  # names the run's temporary files and lock in its folder
    started_at: str
    status: str


@dataclass(frozen=True)
class OutputFile:
    id: int
    run_id: int
    kind: str
    path: str
    temp_path: str
    sha256: str
    size: int
    status: str


class OutputStore(StoreBase):
    def start_output_run(self, kind: str, folder: str, token: str) -> int:
        """A run is recorded before its first temporary file exists, so a crash at any point
        leaves a row that says where to look."""
        with self.atomic():
            return int(self.conn.execute(
                "INSERT INTO output_runs (kind, folder, token, started_at, status)"
                " VALUES (?, ?, ?, ?, 'running')", (kind, folder, token, now_iso())).lastrowid)

    def add_output_files(self, run_id: int, kind: str,
                         files: Sequence[tuple[str, str, str, int]]) -> None:
        """Record (final path, temporary path, sha256, size) as pending: call inside the
        transaction that records what the files stand for (orders, update files)."""
        at = now_iso()
        self.conn.executemany(
            "INSERT INTO output_files (run_id, kind, path, temp_path, sha256, size, status,"
            " recorded_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            ((run_id, kind, path, temp, digest, size, at) for path, temp, digest, size in files))

    def finish_output_run(self, run_id: int, status: str = "complete") -> None:
        """Every pending file of the run is in place (or, `status` abandoned, none was
        recorded): one statement for the whole run."""
        with self.atomic():
            self.conn.execute("UPDATE output_files SET status = 'complete'"
                              " WHERE run_id = ? AND status = 'pending'", (run_id,))
            self.conn.execute("UPDATE output_runs SET status = ?, finished_at = ? WHERE id = ?",
                              (status, now_iso(), run_id))

    def unfinished_output_runs(self) -> list[OutputRun]:
        rows = self.conn.execute(
            "SELECT id, kind, folder, token, started_at, status FROM output_runs"
            " WHERE status = 'running' ORDER BY id")
        return [OutputRun(*r) for r in rows]

    def pending_output_files(self, run_id: int) -> list[OutputFile]:
        rows = self.conn.execute(
            "SELECT id, run_id, kind, path, temp_path, sha256, size, status FROM output_files"
            " WHERE run_id = ? AND status = 'pending' ORDER BY id", (run_id,))
        return [OutputFile(*r) for r in rows]

    def complete_output_files(self, kind_prefix: str = "") -> list[OutputFile]:
        """Files recorded as in place (of kinds starting with `kind_prefix`)."""
        rows = self.conn.execute(
            "SELECT id, run_id, kind, path, temp_path, sha256, size, status FROM output_files"
            " WHERE status = 'complete' AND kind LIKE ? || '%' ORDER BY id", (kind_prefix,))
        return [OutputFile(*r) for r in rows]

    def recorded_output_at(self, path: str, kinds_not: Sequence[str] = ()) -> OutputFile | None:
        """The latest file recorded as in place at `path` (of a kind not in `kinds_not`)."""
        marks = ", ".join("?" for _ in kinds_not) or "''"
        row = self.conn.execute(
            "SELECT id, run_id, kind, path, temp_path, sha256, size, status FROM output_files"
            f" WHERE path = ? AND status = 'complete' AND kind NOT IN ({marks})"
            " ORDER BY id DESC LIMIT 1", (path, *kinds_not)).fetchone()
        return OutputFile(*row) if row else None
