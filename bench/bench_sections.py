"""Code-section parsing and date parsing speed, beside a floor measured in the same run.

Floor: one precompiled regex (`\\d+`) searched in each string, the least any parser must do
to look at a charge text. clerkapp: `parse_section` uncached (every text distinct: the worst
case) and cached (a real file repeats a few hundred spellings), and `parse_date` on text
dates. Figures are microseconds per call, and the share of the distinct texts the fast path
reads (the rest go through the full scanner: what an uncached parse costs depends on it).
This is where the parser's speed is measured; the tests check only that the common
spellings take the fast path.

    python bench/bench_sections.py [--n 200000]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.domain import sections  # noqa: E402
from clerkapp.domain.dates import parse_date  # noqa: E402

SHAPES = [
    "{n}(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM",
    "{n}(A)(2) HS",
    "HS {n}(b)",
    "H&S {n}(A)",
    "664/{n}(c) HS",
    "{n}B2 HS",
    "182/{n} PC",
    "{n}HS-INTENT SELL",
    "{n}",
    "SEE COMMENT FOR CHARGE",
]


def per_call(fn, items) -> float:
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / len(items) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200_000)
    args = parser.parse_args()
    rng = random.Random(64)
    distinct = [rng.choice(SHAPES).format(n=11000 + i % 900) + f" {i}" for i in range(args.n)]
    repeated = [rng.choice(SHAPES).format(n=rng.choice([11357, 11358, 11359, 11360, 187]))
                for _ in range(args.n)]
    dates = [f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1950, 2016)}"
             for _ in range(args.n)]
    digits = re.compile(r"\d+")

    floor = per_call(digits.search, distinct)
    uncached = per_call(lambda t: sections._parse.__wrapped__(t.upper().strip()), distinct)
    sections._parse.cache_clear()
    cached = per_call(sections.parse_section, repeated)
    date_us = per_call(parse_date, dates)
    fast = sum(sections._fast(t.upper().strip()) is not None for t in distinct) / len(distinct)
    print(f"{args.n:,} texts each (microseconds per call)")
    print(f"  floor: regex search              {floor:6.2f}")
    print(f"  parse_section, all distinct      {uncached:6.2f}")
    print(f"  parse_section, repeated (cached) {cached:6.2f}")
    print(f"  parse_date, MM/DD/YYYY text      {date_us:6.2f}")
    print(f"  {'fast path: share of distinct':33}{fast:6.1%}")


if __name__ == "__main__":
    main()
