"""Generic spreadsheet parsing speed and memory, beside floors measured in the same run.

Floors: python-calamine iterating the xlsx sheet's rows, and `csv.reader` over the csv: the
least any importer must do to see every cell. clerkapp: `open_sheet(...).batches()` building
every record (sections, dates, people, row errors), no database. Each job runs in its own
process so its peak resident memory is its own; two sizes show whether memory stays flat.

    python bench/bench_sheets.py [--rows 50000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

HEADER = ["Case No.", "Defendant", "DOB", "Charge", "F/M", "Disposition", "Conviction Date",
          "Arrest Date", "County", "Sentence"]
CHARGES = ["11357(C)HS-POSS MARIJ", "11359 HS", "H&S 11360(A)", "664/11357 HS", "11358",
           "PC 459", "23152(A) VC", "11350(A) HS"]


def rows(n: int, seed: int = 64):
    rnd = random.Random(seed)
    base = datetime(1980, 1, 1)
    for i in range(n):
        conv = base + timedelta(days=rnd.randrange(13000))
        yield [f"BA{100000 + i}", f"PERSON{i % (n // 3 + 1)}, ALEX", base - timedelta(
            days=rnd.randrange(20000)), rnd.choice(CHARGES), rnd.choice("FFMMI"), "CONVICTED",
            conv, (conv - timedelta(days=40)).strftime("%m/%d/%Y"), "FRESNO",
            rnd.choice(["JAIL 90 D; PROBATION 3 Y", "", "FINE"])]


def build(kind: str, n: int) -> Path:
    cache = HERE / "out" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"sheet_{n}.{kind}"
    if path.exists():
        return path
    part = path.with_name(f"part_{path.name}")
    if kind == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("List")
        ws.append(["Superior Court of California, County of Fresno"])
        ws.append([])
        ws.append(HEADER)
        for row in rows(n):
            ws.append(row)
        wb.save(part)
    else:
        import csv

        with open(part, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(HEADER)
            for row in rows(n):
                w.writerow([v.strftime("%m/%d/%Y") if isinstance(v, datetime) else v
                            for v in row])
    part.rename(path)
    return path


def job(name: str, path: Path) -> int:
    if name == "floor":
        if path.suffix == ".xlsx":
            from python_calamine import CalamineWorkbook

            return sum(1 for _ in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
                       .iter_rows())
        import csv

        with open(path, newline="", encoding="utf-8") as fh:
            return sum(1 for _ in csv.reader(fh))
    from clerkapp.ingest.sheets import open_sheet

    return sum(len(b.convictions) for b in open_sheet(path).batches())


def child(name: str, path: str) -> None:
    import clerkapp.ingest.sheets  # noqa: F401  (module loading is not timed)

    start = time.perf_counter()
    n = job(name, Path(path))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": n, "seconds": seconds, "peak_mb": peak}))


def run(name: str, path: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", name, str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows in the larger files")
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    n = args.rows // 10 if args.quick else args.rows
    print(f"{'file':<22}{'job':<10}{'rows':>9}{'seconds':>9}{'rows/s':>10}{'peak MB':>9}"
          f"{'x floor':>9}")
    for kind in ("csv", "xlsx"):
        for size in (n // 4, n):
            path = build(kind, size)
            floor = run("floor", path)
            for name, res in (("floor", floor), ("clerkapp", run("clerkapp", path))):
                if "error" in res:
                    print(f"{path.name:<22}{name:<10} error: {res['error']}")
                    continue
                ratio = res["seconds"] / floor["seconds"] if "seconds" in floor else float("nan")
                print(f"{path.name:<22}{name:<10}{res['rows']:>9}{res['seconds']:>9.2f}"
                      f"{res['rows'] / res['seconds']:>10.0f}{res['peak_mb']:>9.0f}"
                      f"{ratio:>9.1f}")
    print("targets: within 5x the floor (every cell parsed into records); peak MB flat "
          "for csv across sizes (calamine holds an xlsx sheet in memory, floor included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
