"""evaluate() over a real SQLite store: runs, determinations, denormalized columns, changes."""

from __future__ import annotations

import json

import pytest

from clerkapp.domain.records import PersonEvent, PersonRecord
from clerkapp.errors import BadInput, PolicyError
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.rules.service import evaluate

from .store_data import add_history, conviction, sample, sec


def outcomes(store) -> dict[str, str]:
    """code section -> the outcome in force, own or shared (not applicable is shared)."""
    results = {r[0]: r[1] for r in store.current_results()}
    return {r[0]: results.get(r[1]) for r in store.conn.execute(
        "SELECT code_section, id FROM convictions ORDER BY id")}


def summaries(store) -> dict[str, str]:
    results = {r[0]: r[5] for r in store.current_results()}
    return {r[0]: results.get(r[1]) for r in store.conn.execute(
        "SELECT code_section, id FROM convictions ORDER BY id")}


def test_evaluate_writes_determinations_and_points_convictions_at_them(store):
    sample(store)
    run = evaluate(store, as_of="2020-01-01", county="sacramento", operator="clerk")
    assert outcomes(store) == {
        "HS 11359": "redesignate_misdemeanor", "PC 459": "not_applicable",
        "HS 11360(a)": "not_eligible", "PC 187(a)": "not_applicable", "HS 11357(b)": "not_applicable",
    }
    assert run.counts == {"redesignate_misdemeanor": 1, "not_applicable": 3, "not_eligible": 1}
    assert run.policy_name == "statute" and run.as_of == "2020-01-01" and run.changed_decided == []
    row = store.conn.execute(
        "SELECT c.remedy, c.reason_summary, d.reasons, d.authority, d.id = c.determination_id"
        " FROM convictions c JOIN determinations d ON d.conviction_id = c.id"
        " WHERE c.code_section = 'HS 11359'").fetchone()
    assert row[0] == "redesignate" and row[4] == 1
    assert "Age at the offense: age 25 (arrest date 2005-06-15)" in row[1]
    reasons = json.loads(row[2])
    assert {"code", "text", "citation", "kind"} <= set(reasons[0])
    assert "HS 11359(b)" in row[3]
    strike = store.conn.execute(
        "SELECT reason_summary FROM convictions WHERE code_section = 'HS 11360(a)'").fetchone()[0]
    assert "Prior conviction for PC 187(a) on 1995-01-01 is a super strike" in strike
    assert "YOLO" in summaries(store)["HS 11357(b)"]
    # not applicable is shared: one row per county and section, the convictions untouched
    assert store.conn.execute("SELECT count(*) FROM convictions WHERE outcome IS NOT NULL"
                              " OR determination_id IS NOT NULL").fetchone()[0] == 2
    assert store.conn.execute("SELECT count(*) FROM shared_determinations"
                              " WHERE run_id = ?", (run.run_id,)).fetchone()[0] == 3
    er = store.conn.execute("SELECT * FROM eval_runs").fetchone()
    assert er["policy_name"] == "statute" and er["county"] == "sacramento"
    assert er["rule_set_version"] and er["finished_at"] and "statute" in er["policy_text"]
    assert er["operator"] == store.actor("clerk") and len(er["policy_hash"]) == 64
    assert store.conn.execute("SELECT count(*) FROM audit_log WHERE action = 'evaluate'"
                              ).fetchone()[0] == 1


def test_settings_fill_in_policy_as_of_and_county(store):
    sample(store)
    store.set_setting("evaluation.policy", "dismiss-all")
    store.set_setting("evaluation.as_of", "2019-05-05")
    store.set_setting("court.county", "YOLO")
    run = evaluate(store)
    assert (run.policy_name, run.as_of, run.county) == ("dismiss-all", "2019-05-05", "YOLO")
    assert outcomes(store)["HS 11357(b)"] == "dismiss_and_seal"
    assert outcomes(store)["HS 11359"] == "not_applicable"


@pytest.mark.parametrize("typed", ["Yolo County", "County of Yolo", " yolo "])
def test_the_court_county_as_a_clerk_types_it_names_the_same_county(store, typed):
    """The court profile accepts `Yolo County` (a California county); the DOJ file says YOLO.
    Compared as typed, every conviction was another county's and the queue came up empty."""
    sample(store)
    store.set_setting("court.county", typed)
    evaluate(store, as_of="2020-01-01")
    assert outcomes(store)["HS 11357(b)"] == "dismiss_and_seal"
    assert outcomes(store)["HS 11359"] == "not_applicable"
    assert evaluate(store, as_of="2020-01-01", county=typed).counts.get("dismiss_and_seal") == 1


def test_old_runs_are_kept_and_the_latest_is_shown(store):
    sample(store)
    first = evaluate(store, as_of="2020-01-01", county="")
    second = evaluate(store, policy="dismiss-all", as_of="2020-01-01", county="")
    assert second.run_id > first.run_id
    assert store.conn.execute("SELECT count(DISTINCT run_id) FROM determinations").fetchone()[0] == 2
    assert outcomes(store)["HS 11360(a)"] == "dismiss_and_seal"
    assert store.latest_eval_run().id == second.run_id
    history = store.determinations_of(
        store.conn.execute("SELECT id FROM convictions WHERE code_section='HS 11360(a)'").fetchone()[0])
    assert [h["outcome"] for h in history] == ["dismiss_and_seal", "not_eligible"]


def test_changed_decided_lists_reviewed_convictions_whose_outcome_changed(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="")
    ids = {r[0]: r[1] for r in store.conn.execute("SELECT code_section, id FROM convictions")}
    store.conn.execute("UPDATE convictions SET review_status = 'approved' WHERE id IN (?, ?)",
                       (ids["HS 11360(a)"], ids["HS 11359"]))
    run = evaluate(store, policy="dismiss-all", as_of="2020-01-01", county="")
    assert run.changed_decided == [ids["HS 11359"], ids["HS 11360(a)"]]
    again = evaluate(store, policy="dismiss-all", as_of="2020-01-01", county="")
    assert again.changed_decided == []


def test_cancel_leaves_the_previous_run_in_force(store):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="")
    before = store.table_counts()
    token = CancelToken()

    def progress(done, total, message):
        if done:
            token.cancel()

    with pytest.raises(Cancelled):
        evaluate(store, policy="dismiss-all", as_of="2020-01-01", progress=progress, cancel=token)
    assert store.table_counts() == before
    assert outcomes(store)["HS 11360(a)"] == "not_eligible"


def test_bad_inputs(store, tmp_path):
    sample(store)
    with pytest.raises(BadInput, match="YYYY-MM-DD"):
        evaluate(store, as_of="01/02/2020")
    bad = tmp_path / "bad.toml"
    bad.write_text("[options]\nnope = 1\n")
    with pytest.raises(PolicyError, match="options.nope"):
        evaluate(store, policy=str(bad))
    assert store.conn.execute("SELECT count(*) FROM eval_runs").fetchone()[0] == 0


def test_registration_events_and_deaths_reach_the_engine(store):
    people = [PersonRecord("doj:9", dob="1970-01-01")]
    convictions = [conviction("doj:9", 1, sec("HS", "11359"))]
    events = [PersonEvent("doj:9", "registration", 2, "2001-01-01", sec("PC", "290"), "290 PC"),
              PersonEvent("doj:9", "deceased", 3, "2018-01-01")]
    add_history(store, people, convictions, events)
    evaluate(store, as_of="2020-01-01", county="")
    summary = store.conn.execute("SELECT reason_summary, outcome FROM convictions").fetchone()
    assert summary[1] == "not_eligible" and "Registered as a sex offender" in summary[0]
    d = store.determinations_of(1)[0]
    assert any(r["code"] == "deceased" for r in d["reasons"])


def test_many_people_stream_in_chunks(store, monkeypatch):
    import clerkapp.rules.service as service
    monkeypatch.setattr(service, "CHUNK_PEOPLE", 7)
    people = [PersonRecord(f"doj:{i}", dob="1980-06-15") for i in range(50)]
    convictions = [conviction(f"doj:{i}", i * 2 + 1, sec("HS", "11359")) for i in range(50)]
    convictions += [conviction(f"doj:{i}", i * 2 + 2, sec("PC", "187"), convicted="2001-01-01",
                               offense="2000-01-01") for i in range(0, 50, 5)]
    add_history(store, people, convictions)
    calls = []
    run = evaluate(store, as_of="2020-01-01", county="", progress=lambda d, t, m: calls.append(d))
    assert run.counts == {"redesignate_misdemeanor": 40, "not_eligible": 10, "not_applicable": 10}
    assert len(calls) >= 8 and calls[-1] == 60
