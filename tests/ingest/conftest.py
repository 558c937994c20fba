"""Every import test here runs twice: the file read in the importing process, and read in a
worker process (what files of a few megabytes and more get)."""

from __future__ import annotations

import pytest

from clerkapp.ingest import reading


@pytest.fixture(autouse=True, params=["here", "worker"])
def reading_path(request, monkeypatch) -> str:
    """Forces where `import_files` reads files, whatever their size."""
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", 0 if request.param == "worker" else 1 << 62)
    return request.param
