"""clerkapp beside gogen (the engine inside BEAR) on the same DOJ file, in the same run.

    .venv/bin/python bench/bench_vs_gogen.py [--rows 1000000] [--county "LOS ANGELES"]
        [--as-of 2020-07-01] [--skip-floor] [--steps] [--keep DIR]

gogen is built from `../shared/peers/gogen` with its `build.sh` into a temporary folder (an
offline Go build), run as BEAR ran it with its options file, and clerkapp runs `process`
(import, `--policy` that same options file, export to csv) on the same file; with
`--steps`, also `import`, `evaluate` and `export` as three commands (the exports must be the
same). Printed:
each tool's wall time and CPU time, the peak memory of its whole process tree (the resident
memory of the process and every process it started, added up, sampled every 50 ms from
/proc), the count of convictions each gives relief, and, conviction by conviction, where the
two disagree, by cause: gogen reads `11357.5` as 11357, misses attempts written
`664-11357(C)`, and reads a partial date of birth as year 1. A change in clerkapp's answers
shows up as "other". The floor (the standard library reading the csv and inserting every row
into SQLite with `executemany`) shows how busy the machine was; the store's floor
(`store_floor.py`: SQLite's own code copying the tables `process` wrote, with their indexes,
into an empty file) is what writing that store costs whatever reads and decides.
Targets: clerkapp's import + evaluate + export in at most half gogen's wall time; clerkapp's
tree under 500 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

GOGEN_DIR = ROOT.parent / "shared" / "peers" / "gogen"
OPTIONS = GOGEN_DIR / "eligibility_options.json"
SAMPLE_SECONDS = 0.05
GOGEN_WORDS = {"Eligible for Dismissal": "dismiss", "Eligible for Reduction": "reduce"}
CLERK_WORDS = {"dismiss_and_seal": "dismiss", "redesignate_misdemeanor": "reduce",
               "redesignate_infraction": "reduce"}
ATTEMPT_DASH = re.compile(r"^\s*664-")
csv.field_size_limit(1 << 24)


@dataclass
class Measured:
    seconds: float
    cpu: float  # user + system of the process and its children
    peak_mb: float  # the process tree's resident memory at its highest sample


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and all its descendants, in KiB."""
    tree = _children()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, ()))
        try:
            with open(f"/proc/{p}/statm") as handle:
                total += int(handle.read().split()[1]) * resource.getpagesize() // 1024
        except OSError:
            continue
    return total


def measure(cmd: list[str], **kwargs) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, **kwargs)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, cpu, peak / 1024)


def build_gogen(folder: Path) -> Path:
    out = subprocess.run(["bash", str(GOGEN_DIR / "build.sh"), str(folder)], check=True,
                         capture_output=True, text=True)
    return Path(out.stdout.strip().splitlines()[-1])


def csv_floor(path: Path, folder: Path) -> Measured:
    code = ("import sys, bench_import; from pathlib import Path;"
            " bench_import.job_csv_floor(Path(sys.argv[1]), Path(sys.argv[2]))")
    db = folder / "floor.db"
    try:
        return measure([sys.executable, "-c", code, str(path), str(db)], cwd=HERE)
    finally:
        db.unlink(missing_ok=True)


# -- comparing the answers ---------------------------------------------------------------------

def gogen_answers(results: Path) -> dict[tuple[str, str], str]:
    """(SUBJECT_ID, CNT_ORDER) -> dismiss | reduce | other, for every conviction gogen
    determined (Prop64_Results.csv: the county's HS 11357-11360 convictions)."""
    answers = {}
    with open(results, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        subject, count = header.index("SUBJECT_ID"), header.index("CNT_ORDER")
        word = header.index("Eligibility Determination")
        for row in reader:
            answers[(row[subject], row[count])] = GOGEN_WORDS.get(row[word], "other")
    return answers


def clerk_answers(export: Path) -> dict[int, str]:
    """The first source row of each conviction -> dismiss | reduce | other."""
    answers = {}
    with open(export, newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            first = int(row["source_row"].split(";")[0])
            answers[first] = CLERK_WORDS.get(row["outcome"], "other")
    return answers


def file_facts(path: Path, rows: set[int]) -> dict[int, tuple[str, ...]]:
    """Row number -> (SUBJECT_ID, CNT_ORDER, offense text with comment, PRI_DOB)."""
    from clerkapp.ingest.doj_fields import INDEX

    s, c, o, m, d = (INDEX[k] for k in ("SUBJECT_ID", "CNT_ORDER", "OFFENSE_DESCR",
                                        "COMMENT_TEXT", "PRI_DOB"))
    facts = {}
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, row in enumerate(reader, start=2):
            if number in rows:
                facts[number] = (row[s], row[c], f"{row[o]} {row[m]}", row[d])
    return facts


def cause(offense: str, dob: str, ours: str, theirs: str) -> str:
    if "11357.5" in offense:
        return "11357.5 read as 11357"
    if ATTEMPT_DASH.match(offense) and theirs == "none":
        return "missed 664-11357(C) attempt"
    if dob.endswith("0000") or len(dob) == 4:
        return "partial DOB read as year 1"
    return "other"


def compare(path: Path, gogen_results: Path, export: Path) -> tuple[Counter, Counter, int]:
    theirs = gogen_answers(gogen_results)
    ours_by_row = clerk_answers(export)
    facts = file_facts(path, set(ours_by_row))
    ours = {}
    offense_of = {}
    for number, answer in ours_by_row.items():
        subject, count, offense, dob = facts[number]
        ours[(subject, count)] = answer
        offense_of[(subject, count)] = (offense, dob)
    relief = Counter()
    causes = Counter()
    compared = 0
    for key in set(theirs) | {k for k, v in ours.items() if v != "other"}:
        mine = ours.get(key, "none")
        gogen = theirs.get(key, "none")
        mine = "none" if mine == "other" else mine
        gogen = "none" if gogen == "other" else gogen
        relief["clerkapp"] += mine != "none"
        relief["gogen"] += gogen != "none"
        compared += 1
        if mine != gogen:
            offense, dob = offense_of.get(key, ("", ""))
            causes[cause(offense, dob, mine, gogen)] += 1
    return relief, causes, compared


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--county", default="LOS ANGELES")
    parser.add_argument("--as-of", default="2020-07-01")
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the outputs and the evaluated store"
                        " in this folder")
    parser.add_argument("--steps", action="store_true",
                        help="also time `import`, `evaluate` and `export` as three commands")
    args = parser.parse_args(argv)
    import bench_import

    print(f"clerkapp vs gogen (python {sys.version.split()[0]}, {os.cpu_count()} cpus,"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    path = bench_import.build("csv", args.rows)
    folder = Path(tempfile.mkdtemp(prefix="bench-gogen-"))
    try:
        gogen = build_gogen(folder / "gogen-build")
        gogen_out = folder / "gogen-out"
        gogen_out.mkdir()
        results: list[tuple[str, Measured]] = []
        if not args.skip_floor:
            results.append(("floor: csv read + executemany", csv_floor(path, folder)))
        results.append(("gogen run", measure(
            [str(gogen), "run", f"--input-doj={path}", f"--county={args.county}",
             f"--compute-at={args.as_of}", f"--eligibility-options={OPTIONS}",
             f"--outputs={gogen_out}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
        db, export = folder / "clerk.db", folder / "clerkapp.csv"
        clerk = [sys.executable, "-m", "clerkapp", "--db", str(db)]
        evaluation = ["--policy", str(OPTIONS), "--county", args.county, "--as-of", args.as_of]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT}
        if args.steps:  # the three commands one by one, on a store of their own
            steps_db, steps_export = folder / "steps.db", folder / "steps.csv"
            one_by_one = [sys.executable, "-m", "clerkapp", "--db", str(steps_db)]
            steps = [
                ("  import (command)", one_by_one + ["import", str(path)]),
                ("  evaluate (command)", one_by_one + ["evaluate", *evaluation]),
                ("  export csv (command)", one_by_one + ["export", str(steps_export)]),
            ]
            ours = []
            for label, cmd in steps:
                ours.append(measure(cmd, **quiet))
                results.append((label, ours[-1]))
                print(f"{label}: {ours[-1].seconds:.1f} s", flush=True)
            results.append(("clerkapp, three commands", Measured(
                sum(m.seconds for m in ours), sum(m.cpu for m in ours),
                max(m.peak_mb for m in ours))))
            steps_db.unlink()
        log = folder / "process.txt"
        with log.open("w") as out:
            whole = measure(clerk + ["process", str(path), "--export", str(export), *evaluation],
                            stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        took = log.read_text().splitlines()[-1]
        print(f"  clerkapp process: {whole.seconds:.1f} s ({took})", flush=True)
        results.append(("clerkapp process (import+eval+export)", whole))
        if not args.skip_floor:  # SQLite alone writing the store `process` left
            results.append(("floor: SQLite writes the job's store", measure(
                [sys.executable, str(HERE / "store_floor.py"), str(db)],
                stdout=subprocess.DEVNULL, cwd=ROOT)))
        if args.steps and steps_export.read_bytes() != export.read_bytes():
            raise SystemExit("the three commands and `process` wrote different exports")
        relief, causes, compared = compare(path, gogen_out / "Prop64_Results.csv", export)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(export, args.keep / export.name)
            shutil.copytree(gogen_out, args.keep / "gogen-out", dirs_exist_ok=True)
            # the evaluated store, for `bench_queue.py --db KEEP/clerk.db`
            with sqlite3.connect(db) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copy(db, args.keep / db.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    gogen_m = dict(results)["gogen run"]
    print(f"\n{args.rows:,} DOJ rows, county {args.county}, as of {args.as_of},"
          f" options {OPTIONS.name}\n")
    print(f"{'job':<38}{'wall s':>8}{'cpu s':>8}{'tree peak MB':>14}{'x gogen':>9}")
    for label, m in results:
        print(f"{label:<38}{m.seconds:>8.1f}{m.cpu:>8.1f}{m.peak_mb:>14.0f}"
              f"{m.seconds / gogen_m.seconds:>9.2f}")
    print(f"clerkapp process, by step: {took.removeprefix('took: ')}")
    print("targets: clerkapp's whole job <= 0.50 x gogen's wall time; tree < 500 MB")
    print(f"\nconvictions given relief: clerkapp {relief['clerkapp']:,},"
          f" gogen {relief['gogen']:,} (of {compared:,} either determined)")
    print("disagreements by cause:")
    for name in ("11357.5 read as 11357", "missed 664-11357(C) attempt",
                 "partial DOB read as year 1", "other"):
        print(f"  {name:<32}{causes.get(name, 0):>8,}")
    print(f"  {'total':<32}{sum(causes.values()):>8,}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print(json.dumps({"results": {k.strip(): vars(v) for k, v in results}, "relief": relief,
                      "causes": causes, "process": took}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
