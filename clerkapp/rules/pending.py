"""The engine's half of a run: the people with a conviction the set-based part could not
decide, streamed in chunks with their whole history, decided, turned into rows.

On a store file this runs in a thread of its own on a second connection, while the run's
connection writes the set-based determinations: SQLite releases the GIL while it works, so
the two halves use both cores. Chunks wait in a bounded queue, so memory stays bounded.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from clerkapp.rules.engine import Context, evaluate_conviction
from clerkapp.rules.rows import Encoder, histories

Chunk = tuple[list[tuple[Any, ...]], Counter]  # (determination rows, outcome counts)


@dataclass(frozen=True)
class Staged:
    """The first item of the engine's chunks: how many convictions it will decide."""

    pending: int

QUEUE_CHUNKS = 32  # chunks of results that may wait for the writer (a few MB each)
_END = object()


def engine_chunks(store: Any, fixed_keys: list[tuple[Any, ...]], ctx: Context,
                  chunk_people: int) -> Iterator[Staged | Chunk]:
    """Decide every conviction whose combination is not in `fixed_keys`, a chunk of people
    at a time, reading from `store` (whichever connection that is)."""
    pending = store.stage_pending(fixed_keys)
    yield Staged(pending)
    decided = 0
    for rows, counts in decided_chunks(store, ctx, chunk_people):
        decided += len(rows)
        yield rows, counts
    check_decided(decided, pending)


def decided_chunks(store: Any, ctx: Context, chunk_people: int) -> Iterator[Chunk]:
    """The determination rows of the people staged on `store`'s connection, a chunk of
    `chunk_people` people at a time, in person order."""
    encoder = Encoder()
    for chunk in store.iter_pending_histories(chunk_people):
        todo = chunk.pending
        rows = []
        counts: Counter[str] = Counter()
        for person in histories(chunk):
            for c in person.convictions:
                if c.id in todo:
                    d = evaluate_conviction(c, person, ctx)
                    counts[d.outcome.value] += 1
                    rows.append(encoder.row(d))
        yield rows, counts


def check_decided(decided: int, pending: int) -> None:
    """Every staged conviction decided exactly once."""
    if decided != pending:
        raise RuntimeError(f"the engine decided {decided} of {pending} convictions")


def put_until_stopped(results: Any, stop: Any, item: Any) -> bool:
    """Put `item` on a bounded queue (a thread's or a process's), waiting while it is full,
    unless `stop` is set first (then False: the reader has gone)."""
    while not stop.is_set():
        try:
            results.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def engine_rows(store: Any, fixed_keys: list[tuple[Any, ...]], ctx: Context,
                chunk_people: int, *, parallel: bool) -> AbstractContextManager[Iterator[Staged | Chunk]]:
    """The engine's chunks: computed in a background thread on a second connection when
    `parallel`, else lazily on `store`'s own connection as they are iterated."""
    if not parallel:
        return _lazy(store, fixed_keys, ctx, chunk_people)
    return _background(store, fixed_keys, ctx, chunk_people)


@contextmanager
def _lazy(store: Any, fixed_keys: list[tuple[Any, ...]], ctx: Context,
          chunk_people: int) -> Iterator[Iterator[Staged | Chunk]]:
    yield engine_chunks(store, fixed_keys, ctx, chunk_people)


@contextmanager
def _background(store: Any, fixed_keys: list[tuple[Any, ...]], ctx: Context,
                chunk_people: int) -> Iterator[Iterator[Staged | Chunk]]:
    results: queue.Queue = queue.Queue(maxsize=QUEUE_CHUNKS)
    stop = threading.Event()

    def put(item: Any) -> bool:
        return put_until_stopped(results, stop, item)

    def work() -> None:
        try:
            with store.pending_reader() as reader:
                for chunk in engine_chunks(reader, fixed_keys, ctx, chunk_people):
                    if not put(chunk):
                        return
            put(_END)
        except BaseException as e:  # handed to the run's thread, which raises it
            put(e)

    def consume() -> Iterator[Staged | Chunk]:
        while True:
            item = results.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    worker = threading.Thread(target=work, name="clerkapp-evaluate", daemon=True)
    worker.start()
    try:
        yield consume()
    finally:
        stop.set()
        worker.join()
