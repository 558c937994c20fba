"""A large DOJ file imported with one reading process and with two (clerkapp.ingest.
split_reading), taken in turns in the same run, beside the csv floor of the same minutes.

    python bench/bench_split_import.py FILE [--repeat 2] [--skip-floor]

Each import is `clerkapp import FILE` into a fresh store in its own process; printed: wall
seconds, CPU seconds of the whole process tree (user + system), the tree's peak resident
memory, and the two-process figures as a share of the one-process ones from the same round.
The machine may be shared: compare the ratios, and the floor, not the seconds alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_vs_gogen import Measured, csv_floor, measure  # noqa: E402

CHILD = (
    "import sys; sys.path.insert(0, sys.argv[4])\n"
    "from clerkapp.ingest import split_reading\n"
    "split_reading.SPLIT_MIN_BYTES = int(sys.argv[3])\n"
    "from clerkapp.cli.main import main\n"
    "if __name__ == '__main__':\n"
    "    sys.exit(main(['--db', sys.argv[2], 'import', sys.argv[1]]))\n"
)
MODES = {"one process": 1 << 62, "two processes": 0}


def imported(path: Path, folder: Path, least: int) -> Measured:
    db = folder / "bench.db"
    script = folder / "child.py"
    script.write_text(CHILD)
    try:
        return measure([sys.executable, str(script), str(path), str(db), str(least),
                        str(ROOT)], stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="rounds of both")
    parser.add_argument("--skip-floor", action="store_true")
    args = parser.parse_args(argv)
    print(f"{args.file.name}: {args.file.stat().st_size / 1e6:.0f} MB, {os.cpu_count()} cpus,"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'round':<7}{'reading':<15}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}"
          f"{'wall x':>8}{'cpu x':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_floor:
            floor = csv_floor(args.file, folder)
            print(f"{'':<7}{'csv floor':<15}{floor.seconds:>8.1f}{floor.cpu:>8.1f}"
                  f"{floor.peak_mb:>9.0f}")
        for round_ in range(1, args.repeat + 1):
            first: Measured | None = None
            order = list(MODES.items())
            if round_ % 2 == 0:
                order.reverse()  # neither always runs first
            got = {name: imported(args.file, folder, least) for name, least in order}
            first = got["one process"]
            for name in MODES:
                m = got[name]
                print(f"{round_:<7}{name:<15}{m.seconds:>8.1f}{m.cpu:>8.1f}{m.peak_mb:>9.0f}"
                      f"{m.seconds / first.seconds:>8.2f}{m.cpu / first.cpu:>7.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
