"""An OS lock on a small file, held while a writing run is alive. The OS drops it when the
process dies (even under kill -9), so "is that run still going?" needs no process ids."""

from __future__ import annotations

import os
import sys
from pathlib import Path


class RunLock:
    """Exclusive, non-blocking lock on `path` (created 0600 when missing)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another holder is alive."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self, *, remove: bool = True) -> None:
        if self._fd is None:
            return
        # POSIX: removed while held, so no other process takes it in between; Windows cannot
        # remove an open file, so there it is closed first
        if sys.platform == "win32":
            os.close(self._fd)
        if remove:
            try:
                self.path.unlink()
            except OSError:
                pass
        if sys.platform != "win32":
            os.close(self._fd)
        self._fd = None
