"""The engine's half of a large run in worker processes, one per core.

The engine is pure Python and holds the GIL, so in a thread it shares one core with the
run's writer. Worker processes each take a share of the people (person id modulo the number
of workers, every person whole in one share), read their histories from their own
connection and send back determination rows, small tuples of text, through a bounded queue;
the run's connection writes them. Started with `spawn`, as on Windows (the frozen build's
entry points call `multiprocessing.freeze_support`). A worker that fails sends its error;
one that dies is noticed; a cancel or a failure stops them all.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clerkapp.rules.pending import (
    QUEUE_CHUNKS,
    Chunk,
    Staged,
    engine_chunks,
    put_until_stopped,
)

WAIT = 0.2  # seconds between looks at the workers while the queue is empty


@dataclass(frozen=True)
class _End:
    part: int


@dataclass(frozen=True)
class _Failure:
    """A worker's error by its type and where it was raised: never its message, which could
    quote a record (a name, a date of birth) into a log."""

    part: int
    kind: str
    where: str


def _work(path: str, policy: Any, as_of: Any, county: str, chunk_people: int, part: int,
          parts: int, tasks: Any, results: Any, stop: Any) -> None:
    """One worker: its share of the people, decided and sent back chunk by chunk. It starts
    while the run is still working out which convictions it shares (the fixed keys come
    through `tasks`; None: nothing to do)."""
    from clerkapp.lifeline import exit_with_parent

    exit_with_parent()  # a killed run leaves no worker waiting on `tasks` forever
    try:
        from clerkapp.rules.engine import Context
        from clerkapp.rules.law import load_law
        from clerkapp.store import Store

        ctx = Context(policy=policy, as_of=as_of, county=county, law=load_law())
        fixed_keys = tasks.get()
        if fixed_keys is None:
            return
        store = Store(path)
        try:
            store.begin_history_read()  # the state the run started from
            for item in engine_chunks(store, fixed_keys, ctx, chunk_people, part, parts):
                if not put_until_stopped(results, stop, (part, item)):
                    results.cancel_join_thread()  # stopped: nobody reads what is left
                    return
            put_until_stopped(results, stop, (part, _End(part)))
        finally:
            store.close()
    except BaseException as e:  # the run's process raises it
        frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        put_until_stopped(results, stop, (part, _Failure(part, type(e).__name__, where)))


@contextmanager
def engine_processes(store: Any, ctx: Any, chunk_people: int,
                     workers: int) -> Iterator[Callable[[list[tuple[Any, ...]]],
                                                        Iterator[Staged | Chunk]]]:
    """Start `workers` processes on `store`'s file; yields `start(fixed_keys)`, which hands
    them the keys and returns the chunks, like pending.engine_rows: one Staged (the sum of
    the workers') first, then every worker's chunks as they come."""
    mp = multiprocessing.get_context("spawn")
    tasks = mp.Queue()
    results = mp.Queue(maxsize=QUEUE_CHUNKS)
    stop = mp.Event()
    procs = [mp.Process(target=_work, name=f"clerkapp-evaluate-{part}", daemon=True,
                        args=(str(store.path), ctx.policy, ctx.as_of, ctx.county, chunk_people,
                              part, workers, tasks, results, stop))
             for part in range(workers)]
    for proc in procs:
        proc.start()
    started = False

    def start(fixed_keys: list[tuple[Any, ...]]) -> Iterator[Staged | Chunk]:
        nonlocal started
        started = True
        for _ in procs:
            tasks.put(fixed_keys)
        return consume()

    def consume() -> Iterator[Staged | Chunk]:
        ended: set[int] = set()
        staged: dict[int, int] = {}
        early: list[Chunk] | None = []  # chunks that came before every worker had staged
        while len(ended) < workers:
            try:
                part, item = results.get(timeout=WAIT)
            except queue.Empty:
                _check_alive(procs, ended)
                continue
            if isinstance(item, _Failure):
                raise RuntimeError(f"the evaluation worker failed ({item.kind} at {item.where});"
                                   " nothing was changed")
            if isinstance(item, _End):
                ended.add(part)
            elif isinstance(item, Staged):
                staged[part] = item.pending
                if len(staged) == workers:
                    yield Staged(sum(staged.values()))
                    yield from early or ()
                    early = None
            elif early is not None:
                early.append(item)
            else:
                yield item

    try:
        yield start
    finally:
        if not started:
            for _ in procs:
                tasks.put(None)
        stop.set()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for q in (tasks, results):
            q.close()
            q.join_thread()


def _check_alive(procs: list[Any], ended: set[int]) -> None:
    """A worker gone without saying it ended (killed, out of memory) fails the run."""
    for part, proc in enumerate(procs):
        if part not in ended and not proc.is_alive() and proc.exitcode not in (None, 0):
            raise RuntimeError(f"the evaluation worker stopped unexpectedly (exit code"
                               f" {proc.exitcode}); nothing was changed")
