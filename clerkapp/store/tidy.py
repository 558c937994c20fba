"""After a large import or evaluation run: the shared store's tables tidied (VACUUM ANALYZE,
`pg/tidy.py`) in the background, as a SQLite store's write-ahead log is copied into its file
in the background after one (`StoreBase.checkpoint_in_background`). Nothing on SQLite: its
indexes hold each row's id, so its filters read them alone however new the rows are."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from clerkapp.store.base import StoreBase

log = logging.getLogger(__name__)

# A step writing fewer rows than this leaves its tables to autovacuum: VACUUM skips the
# all-visible pages, but ANALYZE reads a sample of each table whatever was written.
TIDY_MIN_ROWS = 10_000
# the tables each step writes in bulk (what the queue reads among them comes first)
IMPORT_TABLES = ("convictions", "people", "source_rows", "person_events")
EVALUATION_TABLES = ("convictions", "shared_determinations")


class TidyStore(StoreBase):
    def tidy_after_bulk(self, tables: Sequence[str], rows: int) -> None:
        """After a step that wrote `rows` rows into `tables` (committed, or inside the
        caller's transaction): on PostgreSQL, from `TIDY_MIN_ROWS` rows, VACUUM (ANALYZE)
        them on a connection of a background thread (`close()` waits for it, as for the
        checkpoint), or ANALYZE them at once inside a caller's transaction."""
        if self.engine != "postgresql" or rows < TIDY_MIN_ROWS:
            return
        from clerkapp.store.pg.tidy import analyze_in_transaction, vacuum_analyze

        if self.conn.in_transaction:
            analyze_in_transaction(self.conn, tables)
            return
        url = str(self.path)
        names = list(tables)

        def work() -> None:
            try:
                vacuum_analyze(url, names)
            except Exception as e:  # tidying is maintenance: autovacuum does it later anyway
                log.warning("VACUUM ANALYZE after a large write did not run: %s",
                            type(e).__name__)

        if self.checkpointing is not None:
            self.checkpointing.join()
        self.checkpointing = threading.Thread(target=work, name="clerkapp-tidy", daemon=True)
        self.checkpointing.start()
