"""Convictions outside a run's scope share one not_applicable determination per county and
section (migrations.SCHEMA_2): every reader (queue, detail, export, stats, review, the
evaluation dialog's changes) must still see them as not applicable, with the reason."""

from __future__ import annotations

import json

from clerkapp.domain.records import PersonRecord
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import EVERYTHING, QueueFilter

from .store_data import add_history, conviction, sample, sec


def ids(store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.conn.execute("SELECT code_section, id FROM convictions")}


def test_the_queue_shows_shared_ones_as_not_applicable_with_their_reason(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    c = ids(store)
    rows = store.queue_rows(list(c.values()))
    yolo = rows[c["HS 11357(b)"]]
    assert (yolo.outcome, yolo.engine_outcome) == ("not_applicable", "not_applicable")
    assert yolo.reason_summary.startswith("Conviction from YOLO county")
    assert rows[c["PC 459"]].reason_summary.startswith("PC 459 is not one of HS 11357-11360")
    assert rows[c["HS 11359"]].outcome == "redesignate_misdemeanor"

    everything = QueueFilter(outcome=EVERYTHING)
    assert store.queue_counts(everything) == {
        ("not_applicable", "pending"): 3, ("redesignate_misdemeanor", "pending"): 1,
        ("not_eligible", "pending"): 1}
    assert sorted(store.queue_ids(QueueFilter(outcome="not_applicable"))) == sorted(
        [c["HS 11357(b)"], c["PC 459"], c["PC 187(a)"]])
    assert list(store.queue_ids(QueueFilter())) == sorted([c["HS 11359"], c["HS 11360(a)"]])


def test_detail_export_stats_and_review_see_the_shared_determination(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    c = ids(store)
    detail = store.conviction_detail(c["HS 11357(b)"])
    assert detail.determination.outcome == "not_applicable"
    assert detail.determination.policy_name == "statute"
    assert detail.determination.reasons[0]["code"] == "other_county"
    assert detail.conviction["outcome_in_force"] == "not_applicable"
    history = {h["code_section"]: h["outcome_in_force"] for h in
               store.conviction_detail(c["PC 187(a)"]).history}
    assert history == {"PC 187(a)": "not_applicable", "HS 11360(a)": "not_eligible"}

    exported = {r["code_section"]: r for r in store.iter_export_rows()}
    assert exported["PC 459"]["outcome"] == "not_applicable"
    assert json.loads(exported["PC 459"]["reasons_json"])[0]["code"] == "not_cannabis"
    assert exported["HS 11359"]["outcome"] == "redesignate_misdemeanor"

    assert store.conviction_breakdowns()["by_outcome"] == {
        "not_applicable": 3, "not_eligible": 1, "redesignate_misdemeanor": 1}
    assert store.review_states([c["PC 459"]])[c["PC 459"]].outcome == "not_applicable"


def test_a_conviction_imported_after_the_run_is_not_evaluated(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    add_history(store, [PersonRecord("doj:4", dob="1980-01-01")],
                [conviction("doj:4", 6, sec("PC", "459"), "M")])
    late = store.conn.execute("SELECT max(id) FROM convictions").fetchone()[0]
    assert store.queue_rows([late])[late].outcome is None
    assert store.conviction_detail(late).determination is None
    assert store.queue_counts(QueueFilter(outcome=EVERYTHING))[(None, "pending")] == 1
    assert store.review_states([late])[late].outcome is None
    assert store.conviction_breakdowns()["by_outcome"]["not_evaluated"] == 1
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    assert store.queue_rows([late])[late].outcome == "not_applicable"


def test_a_new_county_shares_what_the_old_run_decided_and_lists_decided_changes(store):
    sample(store)
    first = evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    c = ids(store)
    store.conn.execute("UPDATE convictions SET review_status = 'approved' WHERE id = ?",
                       (c["HS 11359"],))
    second = evaluate(store, as_of="2020-01-01", county="YOLO")
    # decided one by one last time, shared now: its own columns are cleared
    assert store.conn.execute("SELECT outcome, determination_id FROM convictions WHERE id = ?",
                              (c["HS 11359"],)).fetchone()[:] == (None, None)
    assert store.queue_rows([c["HS 11359"]])[c["HS 11359"]].outcome == "not_applicable"
    assert second.changed_decided == [c["HS 11359"]]
    (changed,) = store.changed_decided_rows(second.changed_decided)
    assert (changed["old_outcome"], changed["new_outcome"]) == (
        "redesignate_misdemeanor", "not_applicable")
    runs = [(h["run_id"], h["outcome"]) for h in store.determinations_of(c["HS 11359"])]
    assert runs == [(second.run_id, "not_applicable"), (first.run_id, "redesignate_misdemeanor")]
    assert store.queue_rows([c["HS 11357(b)"]])[c["HS 11357(b)"]].outcome == "dismiss_and_seal"


def test_the_export_outcome_is_the_one_in_force_after_a_new_evaluation(store, tmp_path):
    """An approval keeps its decision, but the export's outcome is what the queue shows: the
    clerk's override, else the latest evaluation's (README, export columns)."""
    from openpyxl import load_workbook

    from clerkapp.reports.export import EXPORT_COLUMNS, export_rows
    from clerkapp.review.service import decide

    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    c = ids(store)
    decide(store, [c["HS 11359"]], "approved", clerk="clerk")
    decide(store, [c["HS 11360(a)"]], "approved", clerk="clerk", outcome="dismiss_and_seal",
           note="court's order of 2019")
    evaluate(store, as_of="2020-01-01", county="YOLO")  # neither is this court's any more
    out = tmp_path / "export.xlsx"
    export_rows(store, out)
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    col = {name: i for i, name in enumerate(EXPORT_COLUMNS)}
    by_section = {r[col["code_section"]]: r for r in rows[1:]}
    approved = by_section["HS 11359"]
    assert (approved[col["outcome"]], approved[col["review_status"]]) == (
        "not_applicable", "approved")
    assert approved[col["reasons"]].startswith("Conviction from SACRAMENTO county")
    assert by_section["HS 11360(a)"][col["outcome"]] == "dismiss_and_seal"  # the override
    queue = store.queue_rows([c["HS 11359"], c["HS 11360(a)"]])
    assert queue[c["HS 11359"]].outcome == "not_applicable"
    assert queue[c["HS 11360(a)"]].outcome == "dismiss_and_seal"
