"""Fault injection: kill -9 `clerkapp` at a random moment of import (a first large import
into an empty store too, written with the rollback journal), evaluation, bulk approval,
printing (per-case and bulk), recording the judge's signatures, the DOJ and case-system update
files, notices, the export, a backup and a restore, then check what it left. Prints trials and
failures per step.

    .venv/bin/python bench/faults.py [--trials 10] [--steps print,bulk,...] [--rows 20000]
    .venv/bin/python bench/faults.py --steps print --trials 50      # the README's figure

`--trials`: runs killed before they end, per step (a run that ends before its kill is checked
too, and counted in `trials`). `cleaned`: kills the next run cleaned up after (temporary files
deleted, nothing had been recorded); `finished`: kills after the record, whose files the next
run moved into place.

A template store is built once through the command line (a synthetic DOJ file imported,
evaluated, the flagged convictions approved, the court profile set). Each trial copies it,
starts the step as a separate process, kills it (SIGKILL: no cleanup runs) after a random
delay within the step's own unkilled duration, then checks:

- the store: `PRAGMA integrity_check`, the audit chain, every decision and order against its
  audit entry (`clerkapp.integrity.check_store(full=True)`);
- files against records, before anything cleans up: every order or update file under its
  final name is recorded, none is empty; after `clerkapp verify` (which finishes or cleans
  what the kill left): every recorded file is on disk with its sha256, no temporary file left;
- the step landed whole or not at all (imports, runs, decisions), and running it again
  completes: no `_2` copy of an order, every approved conviction in exactly one order.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_csv  # noqa: E402 - bench/synthetic.py, beside this file

from clerkapp.files.check import check_recorded_files  # noqa: E402
from clerkapp.integrity import check_store  # noqa: E402
from clerkapp.store import Store  # noqa: E402

CLERK = "Fault Bench"
STEPS = ("import", "first-import", "evaluate", "approve", "print", "bulk", "sign", "update",
         "cms", "notices", "export", "backup", "restore")
# steps that start from printed orders (signed, but for `sign`)
PRINTED_FIRST = ("sign", "update", "cms", "notices")
BIG_ROWS = 60_000  # a first import this large is written with the rollback journal (16 MB)


@dataclass
class Tally:
    trials: int = 0
    failures: list[str] = field(default_factory=list)
    killed_before_end: int = 0
    cleaned: int = 0  # trials whose temporary files the next run deleted (killed before record)
    completed: int = 0  # trials whose recorded files it moved into place (killed after)


def cli(db: Path, *args: str, anchors: Path) -> subprocess.Popen:
    env = {**os.environ, "CLERKAPP_ANCHORS": str(anchors), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "clerkapp", "--db", str(db), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def run(db: Path, *args: str, anchors: Path) -> tuple[int, str]:
    proc = cli(db, *args, anchors=anchors)
    out, err = proc.communicate()
    return proc.returncode, out + err


def build_template(work: Path, rows: int) -> tuple[Path, Path]:
    """(a store with approved decisions, the DOJ file it was imported from); beside the store,
    `pending.db`: the same before the approval (what the approval step starts from)."""
    source = work / "doj.csv"
    write_csv(source, rows, seed=13)
    db = work / "template.db"
    anchors = work / "anchors-template"
    steps = [("import", str(source)),
             ("settings", "court.county=Los Angeles", "court.judge=Hon. A. Bench"),
             ("evaluate",),
             ("review", "--approve", "--all-flagged", "--by", CLERK)]
    for step in steps:
        if step[0] == "review":
            _checkpoint(db)
            shutil.copy(db, work / "pending.db")
        code, text = run(db, *step, anchors=anchors)
        if code != 0:
            raise SystemExit(f"building the template: {' '.join(step)} failed: {text}")
    code, text = run(db, "settings", "court.address=1 Main St, Los Angeles, CA 90012",
                     "court.clerk_phone=(213) 555-0100", "court.clerk=Clerk of the Court",
                     "court.code=CA019", anchors=anchors)
    if code != 0:
        raise SystemExit(f"building the template: the court profile failed: {text}")
    _checkpoint(db)
    return db, source


def big_source(work: Path) -> Path:
    """A DOJ file large enough for a first import written with the rollback journal."""
    path = work / "doj-big.csv"
    if not path.exists():
        write_csv(path, BIG_ROWS, seed=17)
    return path


def _checkpoint(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def step_args(step: str, trial_dir: Path, source: Path) -> list[str]:
    return {
        "import": ["import", str(source), "--force"],
        "first-import": ["import", str(big_source(source.parent))],
        "sign": ["orders", "--mark-signed", *_order_numbers(trial_dir / "clerk.db"), "--date",
                 time.strftime("%Y-%m-%d")],
        "cms": ["cms-update", str(trial_dir / "update.csv")],
        "notices": ["notices", str(trial_dir / "notices")],
        "backup": ["backup", str(trial_dir / "backup.db")],
        "restore": ["restore", "--force", str(trial_dir / "monday.db")],
        "evaluate": ["evaluate"],
        "approve": ["review", "--approve", "--all-flagged", "--by", CLERK],
        "print": ["orders", str(trial_dir / "orders")],
        "bulk": ["orders", str(trial_dir / "orders"), "--bulk"],
        "update": ["doj-update", str(trial_dir / "update.csv")],
        "export": ["export", str(trial_dir / "export.xlsx")],
    }[step]


def _order_numbers(db: Path) -> list[str]:
    with Store(db) as store:
        return [o.order_number for o in store.recent_orders(1_000_000)]


def prepare(step: str, template: Path, trial_dir: Path, anchors: Path) -> Path:
    db = trial_dir / "clerk.db"
    if step == "first-import":  # an empty store, as the installer leaves it
        with Store(db):
            pass
        return db
    shutil.copy(template.with_name("pending.db") if step == "approve" else template, db)
    if step in PRINTED_FIRST:  # these report or record printed orders: print them first
        code, text = run(db, "orders", str(trial_dir / "printed"), anchors=anchors)
        if code != 0:
            raise SystemExit(f"printing before the {step} trial failed: {text}")
    if step in PRINTED_FIRST and step != "sign":  # the judge signed them
        code, text = run(db, "orders", "--mark-signed", *_order_numbers(db), "--date",
                         time.strftime("%Y-%m-%d"), anchors=anchors)
        if code != 0:
            raise SystemExit(f"recording the signing before the {step} trial failed: {text}")
    if step == "restore":  # a backup, then more work: the restore takes the store back
        code, text = run(db, "backup", str(trial_dir / "monday.db"), anchors=anchors)
        if code != 0:
            raise SystemExit(f"the backup before the restore trial failed: {text}")
        code, text = run(db, "orders", str(trial_dir / "printed"), anchors=anchors)
        if code != 0:
            raise SystemExit(f"printing before the restore trial failed: {text}")
    return db


def counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return store.table_counts()


def check_trial(step: str, db: Path, trial_dir: Path, before: dict[str, int],
                source: Path, anchors: Path, tally: Tally) -> list[str]:
    problems: list[str] = []
    conn = sqlite3.connect(db)
    if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        problems.append("integrity_check failed")
    conn.close()
    orders_dir = trial_dir / "orders"
    # files against records before any cleaning: nothing under a final name unrecorded
    with Store(db) as store:
        recorded = {r[0] for r in store.conn.execute("SELECT path FROM orders")}
        recorded |= {r[0] for r in store.conn.execute("SELECT path FROM output_files")}
    if orders_dir.is_dir():
        for pdf in orders_dir.glob("*.pdf"):
            if str(pdf) not in recorded:
                problems.append(f"unrecorded order file {pdf.name}")
            elif pdf.stat().st_size == 0:
                problems.append(f"empty order file {pdf.name}")
    update = trial_dir / "update.csv"
    if update.exists() and str(update) not in recorded:
        problems.append("unrecorded update file")
    notices_dir = trial_dir / "notices"
    if notices_dir.is_dir():
        for pdf in notices_dir.glob("*.pdf"):
            if str(pdf) not in recorded:
                problems.append(f"unrecorded notice file {pdf.name}")

    # clerkapp verify finishes or cleans what the kill left, and checks everything
    code, text = run(db, "verify", anchors=anchors)
    tally.cleaned += "unfinished file(s)" in text
    tally.completed += "into place" in text
    if code != 0:
        problems.append("verify: " + " | ".join(
            line for line in text.splitlines() if "MISMATCH" in line or "clerkapp:" in line))
    with Store(db) as store:
        report = check_store(store, full=True)
        if not report.ok:
            problems.append(f"integrity: {report.first_problem()}")
        problems += [f"files: {p}" for p in check_recorded_files(store)]
        after = store.table_counts()
        if step in ("import", "first-import") and after["imports"] not in (
                before["imports"], before["imports"] + 1):
            problems.append("import half-landed")
        if step == "first-import" and after["imports"] == before["imports"] and (
                after["convictions"] or after["people"]):
            problems.append("a first import left rows without its import")
        if step == "sign":
            signed = store.conn.execute("SELECT count(*) FROM order_signatures").fetchone()[0]
            if signed not in (0, after["orders"]):
                problems.append(f"signing half-landed: {signed} of {after['orders']} orders")
        if step == "approve":
            decided = after["reviews"] - before["reviews"]
            if decided not in (0, len(store.relief_pending_ids()) + decided):
                problems.append(f"bulk approval half-landed: {decided} decisions")
    if orders_dir.is_dir() and [p for p in orders_dir.iterdir()
                                if p.name.startswith(".clerkapp-")]:
        problems.append("temporary files left after verify")
    # running the step again completes, and prints each conviction exactly once
    again = step_args(step, trial_dir, source)
    if step in ("print", "bulk"):
        again.append("--unprinted")
    code, text = run(db, *again, anchors=anchors)
    if step == "restore":
        if list(trial_dir.glob("clerk.replaced-*.db")) and "store.restored" not in _actions(db):
            problems.append("a copy of the replaced store beside a store never replaced")
    if code not in (0, 2) or (code == 2 and "not printed before" not in text
                              and "nothing new" not in text and "already imported" not in text
                              and "file exists" not in text
                              and "already has this notice" not in text):
        problems.append(f"rerun exit {code}: {text.strip().splitlines()[-1:]}")
    # a backup's or a restore's working copy (the store's data, recorded nowhere) may be left
    # by the kill; the next run of the same command removes it
    leftovers = [p.name for p in trial_dir.iterdir() if p.name.endswith(".tmp")]
    if leftovers:
        problems.append(f"working copies left after the next run: {', '.join(leftovers)}")
    if step in ("print", "bulk"):
        names = [p.name for p in orders_dir.glob("*.pdf")] if orders_dir.is_dir() else []
        if any("_2." in name for name in names) and step == "bulk":
            problems.append("a _2 copy beside a leftover")
        with Store(db) as store:
            dup, total = store.conn.execute(
                "SELECT count(*) - count(DISTINCT conviction_id), count(DISTINCT conviction_id)"
                " FROM order_items").fetchone()
            relief = store.count_relief()
        if dup:
            problems.append(f"{dup} conviction(s) in more than one order")
        if total != relief:
            problems.append(f"{relief - total} approved conviction(s) in no order")
    return problems


def _actions(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]
    finally:
        conn.close()


def duration(step: str, template: Path, work: Path, source: Path) -> float:
    trial_dir = work / f"timing-{step}"
    trial_dir.mkdir()
    anchors = trial_dir / "anchors"
    db = prepare(step, template, trial_dir, anchors)
    start = time.perf_counter()
    code, text = run(db, *step_args(step, trial_dir, source), anchors=anchors)
    if code != 0:
        raise SystemExit(f"{step} without a kill failed: {text}")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=10, help="trials per step")
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--rows", type=int, default=20_000, help="DOJ rows in the template")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    steps = [s for s in args.steps.split(",") if s]
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="clerkapp-faults-") as tmp:
        work = Path(tmp)
        template, source = build_template(work, args.rows)
        print(f"template: {args.rows:,} DOJ rows; {counts(template)['convictions']:,}"
              " convictions")
        print(f"{'step':<10} {'unkilled s':>10} {'trials':>7} {'killed':>7} {'cleaned':>8}"
              f" {'finished':>8} {'failures':>9}")
        total_failures = 0
        for step in steps:
            full = duration(step, template, work, source)
            tally = Tally()
            n = -1
            # --trials runs killed before they end (a run that finishes first is not counted)
            while tally.killed_before_end < args.trials and n < 3 * args.trials:
                n += 1
                trial_dir = work / f"{step}-{n}"
                trial_dir.mkdir()
                anchors = trial_dir / "anchors"
                db = prepare(step, template, trial_dir, anchors)
                before = counts(db)
                proc = cli(db, *step_args(step, trial_dir, source), anchors=anchors)
                time.sleep(rnd.uniform(0.05, full))
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    tally.killed_before_end += 1
                try:  # the pipes close once every process of the run has ended
                    proc.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    tally.failures.append(f"trial {n}: a worker process outlived the killed run")
                    proc.stdout.close()
                    proc.stderr.close()
                tally.trials += 1
                for problem in check_trial(step, db, trial_dir, before, source, anchors,
                                           tally):
                    tally.failures.append(f"trial {n}: {problem}")
                shutil.rmtree(trial_dir, ignore_errors=True)
            total_failures += len(tally.failures)
            print(f"{step:<10} {full:>10.2f} {tally.trials:>7} {tally.killed_before_end:>7}"
                  f" {tally.cleaned:>8} {tally.completed:>8} {len(tally.failures):>9}")
            for failure in tally.failures[:10]:
                print(f"    {failure}")
        print(f"failures in all: {total_failures}")
    return 1 if total_failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
