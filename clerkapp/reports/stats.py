"""The figures courts and reporters ask for: how many convictions, what relief, for whom."""

from __future__ import annotations

from typing import Any

# name -> SQL expression over convictions c / people p (a fixed list: never user input)
BREAKDOWNS = {
    "by_outcome": "c.outcome",
    "by_review_status": "c.review_status",
    "by_section": "c.section_number",
    "by_level": "c.level",
    "by_decade": "substr(c.conviction_date, 1, 3) || '0s'",
    "by_county": "upper(c.county)",
    "by_race": "p.race",
    "by_gender": "p.gender",
}
CANNABIS = "c.section_number IN ('11357', '11358', '11359', '11360')"


def collect(store) -> dict[str, Any]:
    counts = store.table_counts()
    stats: dict[str, Any] = {
        "imports": counts["imports"],
        "source_rows": counts["source_rows"],
        "people": counts["people"],
        "convictions": counts["convictions"],
        "cannabis_convictions": store.scalar(
            f"SELECT count(*) FROM convictions c WHERE {CANNABIS}"
        ),
        "import_errors": counts["import_errors"],
        "evaluation_runs": counts["eval_runs"],
        "orders": counts["orders"],
    }
    run = store.latest_run()
    stats["latest_run"] = (
        {k: run[k] for k in ("id", "policy_name", "policy_hash", "as_of", "county", "finished_at")}
        if run else None
    )
    for name, expression in BREAKDOWNS.items():
        stats[name] = store.count_by(expression)
    stats["cannabis_by_outcome_and_race"] = store.count_by(
        "coalesce(c.outcome, '') || ' / ' || coalesce(p.race, 'unknown')", where=f"WHERE {CANNABIS}"
    )
    stats["prosecutor_disagreements"] = store.count_by(
        "c.prosecutor_outcome || ' -> ' || coalesce(c.outcome, 'not evaluated')",
        where="WHERE c.prosecutor_outcome IS NOT NULL"
        " AND c.prosecutor_outcome IS NOT coalesce(c.outcome, '')",
    )
    return stats
