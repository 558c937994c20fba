"""When each part of `clerkapp process` runs, and which process is busy meanwhile: the
import's batches, its tail after the last batch (finish, commit, checkpoint), the hand-over to
evaluate and to export. Runs `process` in this process with a few store and service calls
wrapped to note the time, and samples the CPU of this process and its children every
0.1 s. The command's own output goes to a file beside the store.

    python bench/timeline_process.py FILE [--policy OPTIONS] [--county C] [--as-of DATE]

Prints the events (seconds since the start, CPU seconds of this process so far) and, per
second, how busy this process (`main`) and each child process was (1.0: one core).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TICK = os.sysconf("SC_CLK_TCK")
START = time.perf_counter()
EVENTS: list[tuple[float, float, str]] = []


def note(what: str) -> None:
    """An event: wall seconds since the start, and this thread's CPU seconds so far."""
    EVENTS.append((time.perf_counter() - START, time.thread_time(), what))


def _cpu_of(pid: int) -> tuple[str, float] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            raw = handle.read()
    except OSError:
        return None
    name = raw[raw.index("(") + 1:raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / TICK


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _own_cpu(pid: int, leave_out: int) -> float:
    """This process's CPU seconds, but for the sampling thread's own."""
    total = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        if int(task) == leave_out:
            continue
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as handle:
                raw = handle.read()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


class Sampler(threading.Thread):
    """CPU seconds per process, sampled."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.stop = threading.Event()
        self.names: dict[int, str] = {}

    def run(self) -> None:
        me, mine = os.getpid(), threading.get_native_id()
        while not self.stop.wait(0.1):
            now = time.perf_counter() - START
            cpu: dict[str, float] = {"main": _own_cpu(me, mine)}
            for pid in _children(me):
                got = _cpu_of(pid)
                if got is not None:
                    cpu[self.names.setdefault(pid, f"child{len(self.names) + 1}")] = got[1]
            self.samples.append((now, cpu))

    def per_second(self) -> list[tuple[int, dict[str, float]]]:
        last: dict[str, float] = {}
        buckets: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for now, cpu in self.samples:
            for label, seconds in cpu.items():
                buckets[int(now)][label] += seconds - last.get(label, seconds if label != "main"
                                                              else 0.0)
                last[label] = seconds
        return sorted(buckets.items())


def wrap(owner: object, name: str, before: str | None = None, after: str | None = None) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapped(*args, **kwargs):
        if before:
            note(before)
        try:
            return original(*args, **kwargs)
        finally:
            if after:
                note(after)

    setattr(owner, name, wrapped)


def instrument() -> None:
    from clerkapp.ingest import reading
    from clerkapp.reports import export
    from clerkapp.rules import service
    from clerkapp.store import imports
    from clerkapp.store.base import StoreBase

    wrap(imports.ImportStore, "begin_import", after="import: began (header read)")
    wrap(imports.ImportStore, "finish_import", before="import: last batch written; tail",
         after="import: finish_import done")
    wrap(imports, "restore_indexes", before="  tail: name search + indexes",
         after="  tail: indexes done")
    wrap(StoreBase, "checkpoint_in_background", before="checkpoint started (background)")
    wrap(service, "evaluate", before="evaluate: start", after="evaluate: end")
    wrap(export, "export_rows", before="export: start", after="export: end")
    original_atomic = StoreBase.atomic

    @contextlib.contextmanager
    def atomic(self):
        outer = self._depth == 0
        with original_atomic(self):
            yield
            if outer:
                note("  commit starts")
        if outer:
            note("  committed")

    StoreBase.atomic = atomic  # type: ignore[method-assign]
    original_iter = reading.WorkerReader.__iter__

    def batches(self):
        first = True
        for batch in original_iter(self):
            if first:
                note("import: first batch received")
                first = False
            yield batch
        note("import: reader done")

    reading.WorkerReader.__iter__ = batches  # type: ignore[method-assign]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--policy", type=Path,
                        default=HERE.parent.parent / "shared" / "peers" / "gogen"
                        / "eligibility_options.json")
    parser.add_argument("--county", default="LOS ANGELES")
    parser.add_argument("--as-of", default="2019-09-01")
    parser.add_argument("--keep", type=Path, help="a folder to keep the store and export in")
    args = parser.parse_args(argv)
    from clerkapp.cli.main import main as clerk_main

    instrument()
    sampler = Sampler()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        out = io.StringIO()
        cmd = ["--db", str(folder / "clerk.db"), "process", str(args.file), "--export",
               str(folder / "out.csv"), "--county", args.county, "--as-of", args.as_of]
        if args.policy.exists():
            cmd += ["--policy", str(args.policy)]
        sampler.start()
        note("process: start")
        with contextlib.redirect_stdout(out):
            code = clerk_main(cmd)
        note("process: end")
        sampler.stop.set()
        sampler.join()
    print(f"exit {code}; {out.getvalue().strip().splitlines()[-1]}")
    print(f"{'wall s':>7}{'cpu s':>7}  event")
    for wall, cpu, what in EVENTS:
        print(f"{wall:>7.2f}{cpu:>7.2f}  {what}")
    rows = sampler.per_second()
    labels = sorted({label for _, cpu in rows for label in cpu}, key=lambda x: (x != "main", x))
    print("busy per second (1.0 = one core): " + "  ".join(labels))
    for second, cpu in rows:
        print(f"{second:>4}  " + "  ".join(f"{cpu.get(label, 0.0):>{len(label)}.2f}"
                                          for label in labels))
    return code


if __name__ == "__main__":
    sys.exit(main())
