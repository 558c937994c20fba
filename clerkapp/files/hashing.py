"""A binary file that keeps the sha256 and size of what is written to it.

Every output is recorded with its sha256 (clerkapp.files.outputs). A county's export is
about 90 MB: hashed as it is written, it is not read back again to be hashed after.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO


class HashingFile:
    """`write` bytes to `path` (created or truncated); `sha256` and `size` say what was
    written so far."""

    def __init__(self, path: Path) -> None:
        self._handle: IO[bytes] = path.open("wb")
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.size += len(data)
        return self._handle.write(data)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> HashingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def file_sha256(path: Path) -> str:
    """The sha256 of a file on disk, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
