"""The engine's half of a large run shared with a worker process: two cores at work.

The engine is pure Python and holds the GIL, so in a thread it would share one core with the
run's writer. The run's connection stages the people whose histories the engine must read
(while the worker starts) and cuts them into chunks in person order; the run's own process
decides one chunk in `DEAL` between its writes, the worker processes the rest, each reading
its people's histories on its own connection and sending back determination rows, small
tuples of text, through a bounded queue of its own. The run takes the chunks in person
order, so it writes exactly what a run in one process writes, determination ids included.
Workers start with `spawn`, as on Windows (the frozen build's entry points call
`multiprocessing.freeze_support`); each costs an interpreter and clerkapp's imports, which
is why the run's process takes a share instead of waiting. A worker that fails sends its
error; one that dies is noticed; a cancel or a failure stops them all.
"""

from __future__ import annotations

import gc
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
    check_decided,
    decided_chunks,
    put_until_stopped,
)

WAIT = 0.2  # seconds between looks at the workers while the queue is empty
# of every DEAL chunks the run's own process decides the first (between its writes), the
# workers the others in turn: the run's process also stages and writes everything. One in
# four balances the two at a million rows (CPU seconds of each: 1.8 and 1.8; one in three
# left the run's process 0.4 s behind its worker, one in five the worker 0.2 s behind)
DEAL = 4
# the collector's pace in a worker, as in the import's reading processes: the engine builds
# hundreds of thousands of small records and makes no cycles, and at the default pace (every
# 700 allocations) the collector cost a fifth of a worker's time at a million rows
WORKER_GC_THRESHOLD = (50_000, 20, 100)


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
          tasks: Any, results: Any, stop: Any) -> None:
    """One worker: the people dealt to it, decided and sent back chunk by chunk. It opens
    the store while the run works out what to stage (its share comes through `tasks`: the
    fixed keys and the people; None: nothing to do)."""
    from clerkapp.lifeline import exit_with_parent

    exit_with_parent()  # a killed run leaves no worker waiting on `tasks` forever
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    try:
        from clerkapp.rules.engine import Context
        from clerkapp.rules.law import load_law

        # the rules' part of the store only: all a worker asks of it, and half the imports
        # of the whole Store (about 80 ms of CPU less for each worker to start)
        from clerkapp.store.rules import RulesStore

        ctx = Context(policy=policy, as_of=as_of, county=county, law=load_law())
        store = RulesStore(path)
        try:
            task = tasks.get()
            if task is None:
                return
            fixed_keys, people = task
            store.begin_history_read()  # the state the run started from
            store.stage_people(fixed_keys, people)
            for item in decided_chunks(store, ctx, chunk_people):
                if not put_until_stopped(results, stop, item):
                    results.cancel_join_thread()  # stopped: nobody reads what is left
                    return
            put_until_stopped(results, stop, _End(part))
        finally:
            store.close()
    except BaseException as e:  # the run's process raises it
        frame = traceback.extract_tb(e.__traceback__)[-1] if e.__traceback__ else None
        where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
        put_until_stopped(results, stop, _Failure(part, type(e).__name__, where))


@contextmanager
def engine_processes(store: Any, ctx: Any, chunk_people: int,
                     workers: int) -> Iterator[Callable[[list[tuple[Any, ...]]],
                                                        Iterator[Staged | Chunk]]]:
    """Start `workers` processes on `store`'s file; yields `start(fixed_keys)`, which stages
    the run on `store`'s connection, deals the people out and returns the chunks, like
    pending.engine_rows: one Staged first, then the chunks in person order."""
    mp = multiprocessing.get_context("spawn")
    tasks = [mp.Queue() for _ in range(workers)]
    results = [mp.Queue(maxsize=QUEUE_CHUNKS) for _ in range(workers)]
    stop = mp.Event()
    procs = [mp.Process(target=_work, name=f"clerkapp-evaluate-{part}", daemon=True,
                        args=(str(store.path), ctx.policy, ctx.as_of, ctx.county, chunk_people,
                              part, tasks[part], results[part], stop))
             for part in range(workers)]
    for proc in procs:
        proc.start()
    started = False
    ended: set[int] = set()

    def start(fixed_keys: list[tuple[Any, ...]]) -> Iterator[Staged | Chunk]:
        nonlocal started
        pending = store.stage_pending(fixed_keys)
        people = store.pending_people()
        chunks = [people[i:i + chunk_people] for i in range(0, len(people), chunk_people)]
        owners = deal(len(chunks), workers)
        for part in range(workers):
            tasks[part].put((fixed_keys, [p for chunk, owner in zip(chunks, owners, strict=True)
                                          if owner == part for p in chunk]))
        started = True
        mine = [p for chunk, owner in zip(chunks, owners, strict=True) if owner is None
                for p in chunk]
        if mine:  # the run's own share, staged on its own connection in place of all
            store.stage_people(fixed_keys, mine)
        return consume(pending, owners, decided_chunks(store, ctx, chunk_people))

    def consume(pending: int, owners: list[int | None],
                local: Iterator[Chunk]) -> Iterator[Staged | Chunk]:
        yield Staged(pending)
        decided = 0
        for owner in owners:
            item = next(local, None) if owner is None else receive(owner)
            if not isinstance(item, tuple):  # a share ended before its last chunk
                raise RuntimeError(f"the evaluation ended early; decided {decided} of"
                                   f" {pending} convictions")
            decided += len(item[0])
            yield item
        for part in range(workers):
            if not isinstance(receive(part), _End):
                raise RuntimeError("the evaluation worker sent more than it was dealt")
            ended.add(part)
        check_decided(decided, pending)

    def receive(part: int) -> Any:
        while True:
            try:
                item = results[part].get(timeout=WAIT)
            except queue.Empty:
                _check_alive(procs, ended)
                continue
            if isinstance(item, _Failure):
                raise RuntimeError(f"the evaluation worker failed ({item.kind} at {item.where});"
                                   " nothing was changed")
            return item

    try:
        yield start
    finally:
        if not started:
            for q in tasks:
                q.put(None)
        stop.set()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for q in (*tasks, *results):
            q.close()
            q.join_thread()


def deal(chunks: int, workers: int) -> list[int | None]:
    """Who decides each chunk: None for the run's own process (the first of every DEAL),
    else the worker, in turn."""
    owners: list[int | None] = []
    turn = 0
    for k in range(chunks):
        if k % DEAL == 0:
            owners.append(None)
        else:
            owners.append(turn % workers)
            turn += 1
    return owners


def _check_alive(procs: list[Any], ended: set[int]) -> None:
    """A worker gone without saying it ended (killed, out of memory) fails the run."""
    for part, proc in enumerate(procs):
        if part not in ended and not proc.is_alive() and proc.exitcode not in (None, 0):
            raise RuntimeError(f"the evaluation worker stopped unexpectedly (exit code"
                               f" {proc.exitcode}); nothing was changed")
