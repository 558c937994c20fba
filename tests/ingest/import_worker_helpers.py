"""Worker-process targets that fail on purpose, for test_import_worker.

They run in the spawned process (which imports this module by name), so they break that
process's own copy of the reader: the real worker code runs up to the failure.
"""

from __future__ import annotations

import os

from clerkapp.ingest import reading

real_flatten = reading.flatten


def _second_batch_does(action):
    calls = []

    def flatten(batch):
        calls.append(1)
        if len(calls) == 2:
            action()
        return real_flatten(batch)

    return flatten


def raise_on_second_batch(conn, *args) -> None:
    def fail():
        # a bug whose message holds personal data: it must not reach the importer
        raise ValueError("SAMPLESON,PAT born 19800101")

    reading.flatten = _second_batch_does(fail)
    reading.read_in_worker(conn, *args)


def die_on_second_batch(conn, *args) -> None:
    reading.flatten = _second_batch_does(lambda: os._exit(3))
    reading.read_in_worker(conn, *args)
