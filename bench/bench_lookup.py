"""Benchmark the counter look-up on a large store, beside a floor from the same run.

    .venv/bin/python bench/bench_lookup.py [--people 250000]

Figures: reading and parsing every name into the look-up's index (done per look-up from the
command line; the window builds it per look-up too), a look-up with the index at hand (name
alone, with a typo; name and date of birth), and the whole look-up as `clerkapp lookup` does
it. Floor: SQLite alone reading the same names into Python tuples.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.testdata import fill_queue_fast  # noqa: E402
from clerkapp.relief.lookup import NameIndex, look_up  # noqa: E402
from clerkapp.store import Store  # noqa: E402


def best(fn, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=250_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-bench-lookup-"))
    try:
        store = Store(folder / "clerk.db")
        fill_queue_fast(store, args.people * 4)
        name, dob = store.conn.execute(
            "SELECT name, dob FROM people WHERE id = ?", (args.people // 2,)).fetchone()
        last, first = name.split(",")
        typed = f"{first} {last[:-1] + last[-1].lower()}x"  # first last, with a typo
        floor, _ = best(lambda: list(store.conn.execute("SELECT id, name, aliases, dob FROM people")))
        build, index = best(lambda: NameIndex.from_store(store))
        alone, found = best(lambda: look_up(store, typed, index=index, clerk="bench"))
        with_dob, _ = best(lambda: look_up(store, typed, dob=dob, index=index, clerk="bench"))
        whole, _ = best(lambda: look_up(store, typed, dob=dob, clerk="bench"), repeat=2)
        print(f"{args.people:,} people ({len(index.keys):,} names and aliases)")
        print(f"  floor: read the names from SQLite          {floor:8.0f} ms")
        print(f"  build the name index                       {build:8.0f} ms"
              f"  ({build / floor:.1f}x the floor)")
        print(f"  look-up, name alone, index at hand         {alone:8.0f} ms"
              f"  ({len(found.candidates)} candidates, {len(found.people)} shown)")
        print(f"  look-up, name and DOB, index at hand       {with_dob:8.0f} ms")
        print(f"  look-up as the CLI does it (index + match) {whole:8.0f} ms")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
