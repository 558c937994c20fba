"""Where each conviction came from (the kind of list its import was), for the orders'
recitals: an order recites only what holds for every conviction on it."""

from __future__ import annotations

from collections.abc import Iterable

from clerkapp.store.base import StoreBase

# An import's kind of list; imports recorded before it was stored read by their layout.
SOURCE_OF_IMPORT = ("coalesce(i.source_kind, CASE i.preset WHEN 'doj' THEN 'doj'"
                    " WHEN 'bear' THEN 'prosecutor' ELSE 'court' END)")
SOURCE_OF_CONVICTION = (f"(SELECT {SOURCE_OF_IMPORT} FROM imports i WHERE i.id = c.import_id)")


class SourceStore(StoreBase):
    def relief_sources(self, conviction_ids: Iterable[int] | None = None, *,
                       only_unprinted: bool = False) -> dict[str, list[int]]:
        """The approved convictions an order would print, by kind of list."""
        ids = self.relief_ids(conviction_ids, only_unprinted=only_unprinted)  # type: ignore[attr-defined]
        found: dict[str, list[int]] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ",".join("?" * len(part))
            for cid, kind in self.conn.execute(
                    f"SELECT c.id, {SOURCE_OF_CONVICTION} FROM convictions c"
                    f" WHERE c.id IN ({marks})", part):
                found.setdefault(kind, []).append(int(cid))
        return found

    def prosecutor_of(self, conviction_ids: Iterable[int]) -> str:
        """The prosecuting agency named on the imports of these convictions (the first), or
        the court profile's."""
        ids = list(conviction_ids)[:500]
        if ids:
            marks = ",".join("?" * len(ids))
            row = self.conn.execute(
                "SELECT i.prosecutor FROM convictions c JOIN imports i ON i.id = c.import_id"
                f" WHERE c.id IN ({marks}) AND nullif(trim(i.prosecutor), '') IS NOT NULL"
                " ORDER BY i.id LIMIT 1", ids).fetchone()
            if row:
                return str(row[0]).strip()
        return str(self.get_setting("court.prosecutor") or "").strip()  # type: ignore[attr-defined]
