"""A terminal progress adapter for services: one updating line on stderr, throttled."""

from __future__ import annotations

import sys
import time


class TerminalProgress:
    """Call as `progress(done, total, message)`; prints at most a few times a second, and only
    to a terminal, so scripted runs and CI logs stay clean."""

    def __init__(self, stream=None, interval: float = 0.25) -> None:
        self.stream = stream or sys.stderr
        self.interval = interval
        self._last = 0.0
        self.enabled = self.stream.isatty()

    def __call__(self, done: int, total: int | None, message: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.interval and (total is None or done < total):
            return
        self._last = now
        share = f" {100 * done // total}%" if total else ""
        self.stream.write(f"\r{message} {done:,}{share}\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
