"""Benchmark reconciliation: accuracy on a generated truth set, and speed beside a floor.

    .venv/bin/python bench/bench_reconcile.py [--doj-rows 1000000] [--court-rows 500000]
                                              [--db PATH] [--seed N]

The truth set (bench/reconcile_truth.py) is a DOJ research file and a court export made from
the same fake people with the differences real files have, plus people on one side only. Both
are imported with `clerkapp import` into a store (kept at --db, with the truth beside it, so a
second run skips this). Each measured run works on a fresh copy of that store:

- floor: an exact-key join of the same convictions in SQLite (CII and case number as stored,
  with the key tables and their index built in the run), the least a join of the two lists
  costs;
- clerkapp: `clerkapp reconcile OUT.csv` in a child process, end to end (reading both sides,
  blocking, scoring, linking, recording every row, writing the file), with the peak memory of
  its whole process tree sampled from /proc; then the same command again (an incremental
  rerun with nothing new).

Then the links are scored against the truth: precision and recall of the pairs linked by
themselves (matched + conflict), the possible matches, and the misses.
Targets: precision >= 99.5 %, recall >= 98 %; 1,000,000 DOJ rows against 500,000 court rows
in under 60 s, process tree under 1 GB.
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reconcile_truth import score_links, write_truth  # noqa: E402

CLI = [sys.executable, "-m", "clerkapp"]


def build(db: Path, doj_rows: int, court_rows: int, seed: int):
    truth_path = db.with_suffix(".truth.pickle")
    if db.exists() and truth_path.exists():
        with truth_path.open("rb") as handle:
            return pickle.load(handle)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        doj, court, truth = write_truth(Path(tmp), doj_rows, court_rows, seed)
        print(f"generated {truth.doj_rows:,} DOJ rows and {truth.court_rows:,} court rows in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        subprocess.run([*CLI, "--db", str(db), "import", str(doj), str(court)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"imported in {time.perf_counter() - started:.1f} s", flush=True)
    with truth_path.open("wb") as handle:
        pickle.dump(truth, handle)
    return truth


def floor(db: Path) -> tuple[float, int]:
    """Seconds for an exact-key join (CII + case number) of the two sides, and its pairs."""
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    cannabis = "c.section_number IN ('11357', '11358', '11359', '11360')"
    for side, preset in (("d", "doj"), ("k", "generic")):
        conn.execute(f"CREATE TEMP TABLE {side} AS SELECT c.id, p.cii, upper(c.case_number) AS"
                     " case_number FROM convictions c JOIN people p ON p.id = c.person_id"
                     f" JOIN imports i ON i.id = c.import_id WHERE i.preset = '{preset}'"
                     f" AND {cannabis}")
    conn.execute("CREATE INDEX temp.k_key ON k(cii, case_number)")
    pairs = conn.execute("SELECT count(*) FROM d JOIN k ON k.cii = d.cii"
                         " AND k.case_number = d.case_number").fetchone()[0]
    seconds = time.perf_counter() - started
    conn.close()
    return seconds, pairs


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run_measured(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, CPU seconds, peak tree RSS bytes, stdout) of a child command. The CPU time
    says what the wall time would be on an idle machine (the 2 cores are shared)."""
    peak = 0
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(child.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = child.communicate()
    seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    done.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed with exit code {child.returncode}")
    return seconds, cpu, peak, out.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--doj-rows", type=int, default=1_000_000)
    parser.add_argument("--court-rows", type=int, default=None)
    parser.add_argument("--db", type=Path, default=None,
                        help="keep the imported store here for the next run")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    court_rows = args.court_rows or args.doj_rows // 2
    work = Path(tempfile.mkdtemp(prefix="bench-reconcile-"))
    try:
        db = args.db or work / "store.db"
        truth = build(db, args.doj_rows, court_rows, args.seed)
        copy = work / "run.db"
        shutil.copyfile(db, copy)
        floor_s, floor_pairs = floor(copy)
        out = work / "reconcile.csv"
        load = os.getloadavg()[0]
        first_s, first_cpu, first_peak, first_out = run_measured(
            [*CLI, "--db", str(copy), "reconcile", str(out)])
        again_s, again_cpu, again_peak, _ = run_measured(
            [*CLI, "--db", str(copy), "reconcile", str(out)])
        conn = sqlite3.connect(copy)
        score = score_links(conn, truth)
        conn.close()
        print(f"truth set: {truth.doj_rows:,} DOJ rows ({truth.doj_convictions:,} cannabis "
              f"convictions), {truth.court_rows:,} court rows, {len(truth.pairs):,} true pairs, "
              f"{truth.unusable:,} court rows without a usable identity")
        print(f"load average at the start: {load:.1f} (2 cores)")
        print(f"floor  (SQLite exact-key join, CII + case number): {floor_s:6.2f} s, "
              f"{floor_pairs:,} pairs")
        print(f"clerkapp reconcile OUT.csv:                         {first_s:6.2f} s "
              f"({first_s / floor_s:.1f}x floor; CPU {first_cpu:.1f} s), peak process tree "
              f"{first_peak / 2**20:,.0f} MB")
        print(f"  {first_out}")
        print(f"rerun with nothing new (incremental):               {again_s:6.2f} s "
              f"(CPU {again_cpu:.1f} s), peak {again_peak / 2**20:,.0f} MB")
        for line in score.lines():
            print(line)
        ok = (score.precision >= 0.995 and score.recall >= 0.98 and first_s < 60
              and first_peak < 2**30)
        print("targets (precision >= 99.5 %, recall >= 98 %, < 60 s, < 1 GB):",
              "met" if ok else "NOT met")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
