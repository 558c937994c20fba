"""Benchmark backup and restore of a large store, beside a floor from the same run.

    .venv/bin/python bench/bench_backup.py [--convictions 1000000]

Figures: `backup_store` (online copy, the copy's audit chain verified, its SHA-256) and
`restore_store` over a store holding work (backup read and verified, the replaced store kept,
the restore written, its chain verified again and anchored). Floor: copying the same file with
the operating system (shutil.copyfile), which is what any backup must at least do.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.testdata import fill_queue_fast  # noqa: E402
from clerkapp.backup import backup_store, restore_store  # noqa: E402
from clerkapp.store import Store  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--convictions", type=int, default=1_000_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-bench-backup-"))
    os.environ.setdefault("CLERKAPP_ANCHORS", str(folder / "anchors"))
    try:
        db = folder / "clerk.db"
        with Store(db) as store:
            fill_queue_fast(store, args.convictions)
        size = db.stat().st_size
        floor, _ = timed(lambda: shutil.copyfile(db, folder / "floor.db"))
        (folder / "floor.db").unlink()
        backup, summary = timed(lambda: backup_store(db, folder / "backup.db"))
        restore, _ = timed(lambda: restore_store(folder / "backup.db", db, force=True))
        mb = size / 1e6
        print(f"{args.convictions:,} convictions, store {mb:,.0f} MB")
        print(f"  floor: copy the file (shutil.copyfile)   {floor:7.2f} s")
        print(f"  clerkapp backup                          {backup:7.2f} s"
              f"  ({backup / floor:.1f}x the floor, {mb / backup:,.0f} MB/s)")
        print(f"  clerkapp restore --force                 {restore:7.2f} s"
              f"  ({restore / floor:.1f}x the floor; three copies: the backup staged, the"
              " replaced store kept, the restore written)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
