"""Worker-process targets that fail on purpose, for test_import_worker.

They run in the spawned process (which imports this module by name), so they break that
process's own copy of the reader: the real worker code runs up to the failure, which comes
after the first batch of 5,000 rows has gone to the importer.
"""

from __future__ import annotations

import os

from clerkapp.ingest import reading
from clerkapp.ingest.doj import DojFile

FAIL_AT_ROW = 5500


def _fail_at_row(action) -> None:
    """`action` when the reader reaches row FAIL_AT_ROW (counting from 0)."""
    real = DojFile._record_chunks

    def record_chunks(self):
        read = 0
        for rows, plain in real(self):
            if read <= FAIL_AT_ROW < read + len(rows):
                yield rows[:FAIL_AT_ROW - read], plain
                action()
                yield rows[FAIL_AT_ROW - read:], plain
            else:
                yield rows, plain
            read += len(rows)

    DojFile._record_chunks = record_chunks


def raise_after_first_batch(conn, *args) -> None:
    def fail():
        # a bug whose message holds personal data: it must not reach the importer
        raise ValueError("SAMPLESON,PAT born 19800101")

    _fail_at_row(fail)
    reading.read_in_worker(conn, *args)


def die_after_first_batch(conn, *args) -> None:
    _fail_at_row(lambda: os._exit(3))
    reading.read_in_worker(conn, *args)
