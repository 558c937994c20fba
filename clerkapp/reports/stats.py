"""The figures courts and reporters ask for: how many convictions, what relief, for whom."""

from __future__ import annotations

from typing import Any


def collect(store) -> dict[str, Any]:
    counts = store.table_counts()
    stats: dict[str, Any] = {
        "imports": counts["imports"],
        "source_rows": counts["source_rows"],
        "people": counts["people"],
        "convictions": counts["convictions"],
        "cannabis_convictions": store.cannabis_conviction_count(),
        "import_errors": counts["import_errors"],
        "evaluation_runs": counts["eval_runs"],
        "orders": counts["orders"],
    }
    run = store.latest_run()
    stats["latest_run"] = (
        {k: run.get(k) for k in ("id", "policy_name", "policy_hash", "as_of", "county", "finished_at",
                             "rule_set_version")}
        if run else None
    )
    stats.update(store.conviction_breakdowns())
    # the close-out of granted relief: ordered, reported to the DOJ (due `doj_deadline_days`
    # after the order date, PC 13151), case system updated
    stats["closeout"] = {**store.closeout_counts(), "doj_deadline_days": store.doj_days(),
                         "doj_update_files": len(store.update_files("doj", limit=10**9)),
                         "cms_update_files": len(store.update_files("cms", limit=10**9))}
    # the impact report's figures (cannabis convictions and people), the files they come from
    stats["impact"] = store.impact_figures()
    stats["input_files"] = store.input_files()
    return stats
