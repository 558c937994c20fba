"""Receiving a reading process's messages with fewer copies.

`Connection.recv_bytes` reads a message from the pipe a pipe's worth (64 KB) at a time, each
read a new bytes object copied into a growing buffer, and copies that buffer once more at the
end: for the 1.6 MB batches of an import that was a third of what receiving them cost the
writer. Here the message is read straight into one buffer of its size. The framing is
`multiprocessing`'s own (a 4-byte big-endian length, or -1 and an 8-byte one), so the sender
still calls `send_bytes`; where the connection is not a plain file descriptor (Windows' named
pipes) or `os.readv` is missing, `recv_bytes` does it as before.
"""

from __future__ import annotations

import os
import struct
from multiprocessing.connection import Connection
from typing import Any

_LENGTH = struct.Struct("!i")
_LONG_LENGTH = struct.Struct("!Q")


def receive_bytes(conn: Any) -> bytes | bytearray:
    """The next message on `conn` (a `multiprocessing` connection), as `recv_bytes` gives
    it; EOFError when the sender has closed its end, even part-way through a message."""
    if not _readable_directly(conn):
        return conn.recv_bytes()
    fd = conn.fileno()
    (size,) = _LENGTH.unpack(_read_exactly(fd, 4))
    if size == -1:
        (size,) = _LONG_LENGTH.unpack(_read_exactly(fd, 8))
    return _read_exactly(fd, size)


def _readable_directly(conn: Any) -> bool:
    return type(conn) is Connection and hasattr(os, "readv")


def _read_exactly(fd: int, size: int) -> bytearray:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = os.readv(fd, [view[got:]])
        if n == 0:
            raise EOFError
        got += n
    return buffer
