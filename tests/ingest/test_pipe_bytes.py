"""A reading process's messages arrive whole and unchanged through `receive_bytes`, as
`recv_bytes` gives them: small and large, empty, several in a row, the long framing, a sender
gone before or part-way through a message, and a connection it cannot read directly."""

from __future__ import annotations

import multiprocessing
import os
import struct
import threading
from multiprocessing.connection import Connection

import pytest

from clerkapp.ingest.pipe_bytes import receive_bytes


def _pipe():
    return multiprocessing.Pipe(duplex=False)


def test_messages_of_every_size_arrive_in_order():
    reader, writer = _pipe()
    messages = [b"", b"M", os.urandom(70_000), b"x" * (3 << 20), bytes(range(256)) * 9]

    def send():
        for data in messages:
            writer.send_bytes(data)
        writer.close()

    sender = threading.Thread(target=send)
    sender.start()  # the large ones do not fit the pipe: sent while received
    got = [bytes(receive_bytes(reader)) for _ in messages]
    sender.join()
    assert got == messages
    with pytest.raises(EOFError):
        receive_bytes(reader)
    reader.close()


def test_the_long_framing_is_read():
    read_fd, write_fd = os.pipe()
    reader = Connection(read_fd, writable=False)
    payload = b"a long message's framing"
    os.write(write_fd, struct.pack("!i", -1) + struct.pack("!Q", len(payload)) + payload)
    assert receive_bytes(reader) == payload
    os.close(write_fd)
    reader.close()


def test_a_sender_gone_part_way_through_a_message_is_an_end():
    read_fd, write_fd = os.pipe()
    reader = Connection(read_fd, writable=False)
    os.write(write_fd, struct.pack("!i", 1000) + b"only part of it")
    os.close(write_fd)
    with pytest.raises(EOFError):
        receive_bytes(reader)
    reader.close()


def test_a_connection_it_cannot_read_directly_is_asked_for_its_bytes():
    class Other:  # Windows' PipeConnection, say
        def recv_bytes(self):
            return b"as recv_bytes gave it"

    assert receive_bytes(Other()) == b"as recv_bytes gave it"
