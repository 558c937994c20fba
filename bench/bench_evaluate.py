"""Benchmark `evaluate` on synthetic histories, beside a floor measured in the same run.

    .venv/bin/python bench/bench_evaluate.py [--convictions 1000000] [--policy statute] [--db P]

The store is filled through the Store's own import writer (fast, no file parsing; kept with
--db for the next run). A child process then measures, on a copy, so every run evaluates a
store with no earlier run and the peak memory is the evaluation's own. The floor is one pass
over the same rows in plain Python doing only the regex parse of the offense text, so the
ratio says what the engine, the history streaming and the writes cost on top. The last line
adds the WAL checkpoint the run starts in the background after its commit (the results are
committed and shown before it ends), for a view of the whole cost.
Targets: within 5x of the floor and under 60 s for 1,000,000 convictions on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerkapp.domain.records import (  # noqa: E402
    ConvictionRecord,
    ParsedBatch,
    PersonEvent,
    PersonRecord,
    Section,
)
from clerkapp.rules.service import evaluate  # noqa: E402
from clerkapp.store import Store  # noqa: E402

COUNTIES = ("LOS ANGELES", "SACRAMENTO", "YOLO", "ALAMEDA", "SAN DIEGO")
OFFENSES = [  # (section, level, raw text, weight)
    (Section("HS", "11357", ("c",)), "M", "11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM", 6),
    (Section("HS", "11357", ("b",)), "I", "11357(B) HS-POSS MARIJ 28.5 GRAMS OR LESS", 6),
    (Section("HS", "11358"), "F", "11358 HS-CULTIVATE MARIJUANA", 4),
    (Section("HS", "11359"), "F", "11359HS-POSS MARIJUANA FOR SALE", 8),
    (Section("HS", "11360", ("a",)), "F", "11360(A) HS-TRANSPORT/SELL MARIJUANA", 5),
    (Section("HS", "11359", attempted=True), "F", "664/11359 HS-ATTEMPT POSS FOR SALE", 1),
    (Section("HS", "11357.5"), "M", "11357.5 HS-SYNTH CANNABINOID", 1),
    (Section("PC", "459"), "F", "459 PC-BURGLARY", 10),
    (Section("VC", "23152", ("a",)), "M", "23152(A) VC-DUI ALCOHOL", 15),
    (Section("PC", "484", ("a",)), "M", "484(A) PC-PETTY THEFT", 12),
    (Section("HS", "11350", ("a",)), "F", "11350(A) HS-POSS NARC CONTROLLED SUBSTANCE", 10),
    (Section("PC", "245", ("a", "1")), "F", "245(A)(1) PC-ASSAULT W/DEADLY WEAPON", 5),
    (Section("PC", "187", ("a",)), "F", "187(A) PC-MURDER", 1),
    (Section("PC", "288", ("a",)), "F", "288(A) PC-LEWD ACT W/CHILD", 1),
]
WEIGHTS = [o[3] for o in OFFENSES]
FLOOR_PATTERN = re.compile(
    r"(?:(664|182)[/.\- ]?)?(\d{3,5}(?:\.\d+)?)((?:\s*\([A-Za-z0-9]+\))*)\s*-?\s*([A-Z&]{2,3})?"
)


def fill(store: Store, n_convictions: int, seed: int = 7) -> tuple[int, float]:
    """Synthetic people with 1-8 convictions each; returns (people, seconds)."""
    rng = random.Random(seed)
    start = time.perf_counter()
    written = person = 0
    with store.atomic():
        writer = store.begin_import(file_name="synthetic", file_path="synthetic", sha256="bench",
                                    size=0, preset="doj", headers=["row"], mapping={},
                                    sheet=None, operator="bench", forced=False)
        row = 0
        while written < n_convictions:
            batch = ParsedBatch()
            for _ in range(5000):
                if written >= n_convictions:
                    break
                person += 1
                key = f"doj:{person}"
                born = rng.randint(1940, 2000)
                batch.people.append(PersonRecord(key, dob=f"{born}-{rng.randint(1, 12):02d}-"
                                                 f"{rng.randint(1, 28):02d}"))
                for k in range(min(rng.randint(1, 8), n_convictions - written)):
                    row += 1
                    written += 1
                    section, level, text, _ = rng.choices(OFFENSES, WEIGHTS)[0]
                    year = rng.randint(born + 15, 2021)
                    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                    batch.rows.append((row, [str(row)]))
                    batch.convictions.append(ConvictionRecord(
                        person_key=key, source_rows=[row], cycle_key=f"{k:03d}",
                        case_numbers=[f"C{row}"], county=rng.choice(COUNTIES),
                        raw_offense=text, section=section, level=level,
                        conviction_date=day, offense_date=day, offense_date_source="arrest date",
                        sentence_end=f"{year + rng.randint(0, 3)}-06-30" if rng.random() < .8 else None,
                    ))
                if rng.random() < 0.01:
                    row += 1
                    batch.rows.append((row, [str(row)]))
                    batch.events.append(PersonEvent(key, "registration", row, "1999-01-01",
                                                    Section("PC", "290"), "290 PC"))
            store.write_batch(writer, batch)
        store.finish_import(writer)
    return person, time.perf_counter() - start


def floor(store: Store) -> tuple[int, float]:
    """One pass over the same rows doing only the regex parse of the offense text."""
    start = time.perf_counter()
    cur = store.conn.cursor()
    cur.row_factory = None
    n = 0
    match = FLOOR_PATTERN.search
    for (text,) in cur.execute("SELECT raw_offense FROM convictions"):
        match(text)
        n += 1
    return n, time.perf_counter() - start


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the run's workers): what
    the evaluation costs the machine, which wall time on a busy one does not say."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def measure(db: Path, policy: str) -> dict:
    """Floors and the evaluation on a copy of `db` (so the filled store stays pristine for
    the next run), in this process, whose peak memory is then the evaluation's."""
    work = db.with_name(db.name + ".work")
    shutil.copyfile(db, work)
    try:
        with Store(work) as store:
            n, floor_s = floor(store)
            t0 = time.perf_counter()
            cpu0 = _cpu()
            run = evaluate(store, policy=policy, as_of="2020-01-01", county="SACRAMENTO")
            eval_s = time.perf_counter() - t0
            cpu_s = _cpu() - cpu0
            if store.checkpointing is not None:  # the file catching up, in the background
                store.checkpointing.join()
            settled_s = time.perf_counter() - t0
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
    return {"n": n, "floor": floor_s, "evaluate": eval_s, "settled": settled_s, "cpu": cpu_s,
            "counts": run.counts,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--convictions", type=int, default=1_000_000)
    parser.add_argument("--policy", default="statute")
    parser.add_argument("--db", type=Path, help="reuse or keep this store (default: temporary)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the child process: print the figures as JSON
        print(json.dumps(measure(args.db, args.policy)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        with Store(db) as store:
            have = store.count_convictions()
            if have > args.convictions:
                raise SystemExit(f"{db} holds {have:,} convictions; use another --db")
            if have < args.convictions:
                people, fill_s = fill(store, args.convictions - have)
                print(f"filled {args.convictions - have:,} convictions ({people:,} people)"
                      f" in {fill_s:.1f} s")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out = subprocess.run([sys.executable, __file__, "--db", str(db), "--policy",
                              args.policy, "--measure"], check=True, capture_output=True,
                             text=True).stdout
        r = json.loads(out.splitlines()[-1])
    n, floor_s, eval_s = r["n"], r["floor"], r["evaluate"]
    print(f"{'measure':<44}{'seconds':>9}{'rows/s':>12}{'x floor':>9}")
    for label, secs in (("floor: regex parse of offense text", floor_s),
                        (f"evaluate ({args.policy})", eval_s),
                        ("... and the WAL checkpoint it starts", r["settled"])):
        print(f"{label:<44}{secs:>9.2f}{n / secs:>12,.0f}{secs / floor_s:>9.1f}")
    print(f"CPU of the evaluation, its process and its workers: {r['cpu']:.2f} s"
          f" ({r['cpu'] / floor_s:.1f}x the floor)")
    print(f"peak memory of the evaluating process: {r['peak_mb']:,.0f} MB, of each worker"
          f" process at most {r['worker_peak_mb']:,.0f} MB;"
          f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"targets: <= 5x the regex floor: {'yes' if eval_s <= 5 * floor_s else 'NO'}"
          f" ({eval_s / floor_s:.1f}x); under 60 s: {'yes' if eval_s < 60 else 'NO'}")
    print("outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(r["counts"].items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
