"""The throwaway PostgreSQL clusters of killed test runs are swept, never a live run's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pgcluster  # noqa: E402


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _folder(base: Path, name: str, owner: int | None, age_s: float = 0) -> Path:
    folder = base / (pgcluster.PREFIX + name)
    (folder / "data").mkdir(parents=True)
    if owner is not None:
        (folder / pgcluster.OWNER_FILE).write_text(f"{owner}\n")
    if age_s:
        then = time.time() - age_s
        os.utime(folder, (then, then))
    return folder


def test_sweep_removes_only_what_no_live_run_owns(tmp_path):
    dead = _folder(tmp_path, "dead", _dead_pid())
    live = _folder(tmp_path, "live", os.getpid())
    old_unowned = _folder(tmp_path, "old", None, age_s=pgcluster.ORPHAN_AGE_S + 60)
    new_unowned = _folder(tmp_path, "new", None)  # perhaps a run between mkdtemp and owner
    other = tmp_path / "someone-else"
    other.mkdir()

    removed = pgcluster.sweep_left_over(Path("/nonexistent"), tmp_path)

    assert sorted(removed) == sorted([dead, old_unowned])
    assert not dead.exists() and not old_unowned.exists()
    assert live.exists() and new_unowned.exists() and other.exists()
