"""Progress reporting and cancellation shared by every long-running service.

Services never import Qt: the CLI passes a terminal adapter, the GUI passes a signal's emit.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int | None, str], None]


def no_progress(done: int, total: int | None, message: str) -> None:
    """The default progress callback: reports nothing."""


class Cancelled(Exception):
    """Raised inside a service when the user asked to stop; the service rolls back."""


class CancelToken:
    """A flag the caller sets and the service checks between batches."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled by the user")


def check(cancel: CancelToken | None) -> None:
    """Raise Cancelled when a token is given and set; a None token never cancels."""
    if cancel is not None:
        cancel.raise_if_cancelled()


# Python's cyclic garbage collector, while bulk work runs (an import, an evaluation, an
# export), looks at new objects every 50,000 allocations instead of 700: that work allocates
# millions of small objects and makes no cycles, and the default pace costs a third of the
# parse time of an import (and 0.25 s of CPU of an evaluation and export at a million rows).
BULK_GC_THRESHOLD = (50_000, 20, 100)
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def bulk_gc() -> Iterator[None]:
    """The garbage collector's bulk thresholds for the duration (process-wide; nested and
    concurrent bulk jobs restore the usual ones when the last ends)."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            gc.set_threshold(*BULK_GC_THRESHOLD)
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)
