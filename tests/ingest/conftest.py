"""Every import test here runs three times: the file read in the importing process, read in
a worker process (what files of a few megabytes and more get), and read by two worker
processes a range at a time (what DOJ text files of many megabytes get; small ranges here,
so that a small file has many)."""

from __future__ import annotations

import pytest

from clerkapp.ingest import reading, split_reading


@pytest.fixture(autouse=True, params=["here", "worker", "split"])
def reading_path(request, monkeypatch) -> str:
    """Forces where `import_files` reads files, whatever their size."""
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", 0 if request.param != "here" else 1 << 62)
    monkeypatch.setattr(split_reading, "SPLIT_MIN_BYTES", 0 if request.param == "split" else 1 << 62)
    monkeypatch.setattr(split_reading, "RANGE_BYTES", 2000)
    return request.param
