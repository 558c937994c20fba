"""Read-only queries for exports and statistics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from clerkapp.store.base import StoreBase

EXPORT_QUERY = """
SELECT i.file_name AS import_file,
       (SELECT group_concat(sr.row_number, ';') FROM json_each(c.source_row_ids) j
            JOIN source_rows sr ON sr.id = j.value) AS source_row,
       p.name AS person_name, p.dob AS dob, p.cii AS cii,
       c.case_number, c.county, c.code_section, c.attempted, c.conspiracy,
       c.level AS offense_level, c.conviction_date,
       c.outcome, c.remedy, d.reasons AS reasons_json, d.authority,
       c.review_status, r.clerk AS reviewed_by, r.decided_at AS reviewed_at,
       r.decided_outcome, c.prosecutor_outcome, c.prosecutor_reason
FROM convictions c
JOIN people p ON p.id = c.person_id
JOIN imports i ON i.id = c.import_id
LEFT JOIN determinations d ON d.id = c.determination_id
LEFT JOIN reviews r ON r.id = c.review_id
{where}
ORDER BY c.id
"""


class ReportStore(StoreBase):
    def iter_export_rows(self, *, status: str | None = None) -> Iterator[dict[str, Any]]:
        """Every conviction with its person, latest determination and review, in import order.
        `status` filters on review status (pending/approved/denied/deferred)."""
        where, params = "", ()
        if status:
            where, params = "WHERE c.review_status = ?", (status,)
        cursor = self.conn.execute(EXPORT_QUERY.format(where=where), params)
        for row in cursor:
            yield dict(row)

    def count_by(self, expression: str, *, where: str = "") -> dict[str, int]:
        """Conviction counts grouped by a column expression (used by stats only, with
        expressions from a fixed list in reports/stats.py, never from user input)."""
        sql = (
            f"SELECT {expression} AS k, count(*) FROM convictions c"
            f" JOIN people p ON p.id = c.person_id {where} GROUP BY k ORDER BY k"
        )
        return {("" if k is None else str(k)): n for k, n in self.conn.execute(sql)}

    def scalar(self, sql: str) -> Any:
        return self.conn.execute(sql).fetchone()[0]

    def latest_run(self) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM eval_runs ORDER BY id DESC LIMIT 1").fetchone()
        return dict(row) if row else None
