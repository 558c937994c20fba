"""Progress reporting and cancellation shared by every long-running service.

Services never import Qt: the CLI passes a terminal adapter, the GUI passes a signal's emit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

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
