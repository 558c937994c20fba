"""The export's rows read by a process that does not open the Store: export_split's second
process. The statement and its parameters are the Store's own (ReportStore.export_sql), made
in the process that asked; here the file is opened read-only and the rows stepped through.
Nothing else of the store is imported, so the process starts sooner and spends its core on
the rows (opening the Store costs a tenth of a second: its modules, the schema check)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def read_only_rows(path: str, sql: str, params: dict[str, Any],
                   ) -> Iterator[tuple[list[str], Iterator[tuple[Any, ...]]]]:
    """The column names and rows of `sql` on the store file at `path`, opened read-only."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           isolation_level=None)
    try:
        cursor = conn.execute(sql, params)
        yield [d[0] for d in cursor.description], iter(cursor)
    finally:
        conn.close()
