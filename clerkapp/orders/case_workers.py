"""Drawing per-case orders on every core: the store, the numbers and the files stay here.

reportlab draws in pure Python, so one order takes a few milliseconds of one core and a day's
66,000 orders are mostly drawing. Drawing needs nothing but the template, the court's values
and the case's rows, so worker processes draw while this process reads the store, hands out
the order numbers (in case order, as before), writes each file under its temporary name and
records them: the files and numbering are exactly what drawing here gives. A few cases are
drawn here, since starting the workers costs more than it saves.

Workers are started with `spawn`, as a frozen Windows build needs (the entry points call
`multiprocessing.freeze_support()`). Only a bounded number of chunks is in flight, so memory
stays flat however many orders a run prints; a cancel or a failure stops the workers, and
the caller's output batch removes what was written.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from clerkapp.jobs import CancelToken, check
from clerkapp.lifeline import exit_with_parent
from clerkapp.orders.render_case import render_case_order
from clerkapp.orders.templates import Template
from clerkapp.store.orders import OrderRow

N = TypeVar("N")  # the order number object the caller hands out

# A run of fewer convictions than this is drawn in this process (a worker starts in 0.3-0.5 s).
PARALLEL_MIN_CASES = 200
CHUNK_CASES = 24  # cases per task: big enough that the pipe's cost per order is small
IN_FLIGHT_PER_WORKER = 3  # tasks queued per worker: keeps workers busy, memory bounded
MAX_WORKERS = 4

# the kinds of order a run draws (the court's template, its juvenile variant), each with the
# court's values: sent to every worker once, named by key in each case
Variants = Mapping[str, tuple[Template, Mapping[str, str]]]
_variants: dict[str, tuple[Template, Mapping[str, str]]] = {}


def worker_count() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _start_worker(variants: dict[str, tuple[Template, dict[str, str]]]) -> None:
    exit_with_parent()  # a killed run leaves no worker waiting for work forever
    _variants.clear()
    _variants.update(variants)


def _draw(variants: Variants, key: str, number: str, rows: list[OrderRow]) -> bytes:
    template, court = variants[key]
    return render_case_order(template, {**court, "order.number": number}, rows)


def _draw_chunk(chunk: list[tuple[str, str, list[OrderRow]]]) -> list[bytes]:
    return [_draw(_variants, key, number, rows) for number, key, rows in chunk]


def draw_cases(variants: Variants, cases: Iterable[tuple[N, str, list[OrderRow], str]], *,
               convictions: int, cancel: CancelToken | None = None,
               workers: int | None = None) -> Iterator[tuple[N, list[OrderRow], bytes]]:
    """(number, rows, PDF bytes) for each (number, number text, rows, variant key) of
    `cases`, in order. `cases` is read lazily, only as far as the drawing has got (plus what
    is in flight)."""
    workers = worker_count() if workers is None else workers
    if workers <= 1 or convictions < PARALLEL_MIN_CASES:
        for number, text, rows, key in cases:
            check(cancel)
            yield number, rows, _draw(variants, key, text, rows)
        return
    context = multiprocessing.get_context("spawn")
    sent = {key: (template, dict(court)) for key, (template, court) in variants.items()}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_start_worker, initargs=(sent,))
    pending: deque[tuple[list[tuple[N, list[OrderRow]]], Future[list[bytes]]]] = deque()
    source = iter(cases)
    try:
        while True:
            while len(pending) < workers * IN_FLIGHT_PER_WORKER:
                chunk = list(islice(source, CHUNK_CASES))
                if not chunk:
                    break
                task = pool.submit(_draw_chunk, [(text, key, rows)
                                                  for _, text, rows, key in chunk])
                pending.append(([(number, rows) for number, _, rows, _ in chunk], task))
            if not pending:
                return
            check(cancel)
            chunk_cases, task = pending.popleft()
            drawn = task.result()
            for (number, rows), data in zip(chunk_cases, drawn, strict=True):
                yield number, rows, data
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
