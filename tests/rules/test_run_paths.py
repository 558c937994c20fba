"""The fast paths of a run give exactly what the engine gives: the set-based rows (other
counties, sections outside HS 11357-11360), the engine's half on a second connection, the
reason encoder; and a run still lands whole or not at all."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import fields, replace

import pytest

import clerkapp.rules.processes as processes
import clerkapp.rules.service as service
from clerkapp.domain.outcomes import Reason
from clerkapp.domain.records import PersonEvent, PersonRecord
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.rules.engine import (
    Context,
    encode,
    evaluate_conviction,
    evaluate_person,
    fixed_determination,
)
from clerkapp.rules.law import load_law
from clerkapp.rules.policies import load_policy
from clerkapp.rules.rows import Encoder, fixed_rows, histories
from clerkapp.rules.service import evaluate

from .helpers import conv, person
from .store_data import add_history, conviction, sec

COUNTIES = ["SACRAMENTO", "YOLO", "Los Angeles", " sacramento ", "", None, "SAN DIEGO"]


def varied(store) -> None:
    """Every kind of conviction the two halves split: cannabis and not, attempts and
    conspiracies, plea-bargain sections in a cannabis case, 11357.5, unreadable sections
    (with and without cannabis words), odd and missing counties, priors that decide."""
    sections = [
        sec("HS", "11359"), sec("HS", "11357", "c"), sec("HS", "11360", "a"),
        sec("HS", "11358"), sec("HS", "11359", attempted=True), sec("PC", "459"),
        sec("PC", "187", "a"), sec("HS", "11364"), sec("PC", "32"), sec("HS", "11357.5"),
        sec("VC", "23152", "a"), sec("PC", "288", "a"), None,
    ]
    people, convictions, events = [], [], []
    row = 0
    for i in range(40):
        key = f"doj:{i}"
        people.append(PersonRecord(key, dob=f"{1950 + i}-03-0{1 + i % 9}" if i % 7 else None))
        for k in range(1 + i % 5):
            row += 1
            s = sections[(i * 3 + k * 5) % len(sections)]
            year = 1990 + (i + k * 7) % 30
            record = conviction(
                key, row, s, "FMI"[k % 3] if (i + k) % 6 else None,
                convicted=f"{year}-05-01", offense=f"{year}-02-01" if k % 4 else None,
                county=COUNTIES[(i + k) % len(COUNTIES)], cycle=f"cy{i}-{k % 2}",
                case=f"CASE{i}-{k % 2}")
            if s is None:
                record = replace(record, raw_offense="POSS MARIJUANA" if i % 2 else "GARBLED 12")
            convictions.append(record)
        if i % 9 == 0:
            row += 1
            events.append(PersonEvent(key, "registration", row, "1985-01-01",
                                      sec("PC", "290"), "290 PC"))
    add_history(store, people, convictions, events)


def engine_reference(store, ctx: Context) -> dict[int, tuple]:
    """Every conviction decided the slow way: whole histories of everyone, one at a time."""
    out = {}
    for chunk in store.iter_history_rows(7):
        for p in histories(chunk):
            for d in evaluate_person(p, ctx):
                out[d.conviction_id] = (d.outcome.value, d.remedy.value if d.remedy else None,
                                        encode(d.reasons), d.authority, d.summary)
    return out


@pytest.mark.parametrize("mode", ["processes", "thread", "lazy"])
@pytest.mark.parametrize("policy, county", [("statute", "Sacramento"), ("statute", ""),
                                            ("dismiss-all", "YOLO")])
def test_a_run_writes_what_the_engine_decides(store, monkeypatch, mode, policy, county):
    monkeypatch.setattr(service, "PARALLEL", mode != "lazy")
    monkeypatch.setattr(service, "PROCESSES_FROM", 0 if mode == "processes" else 10**9)
    monkeypatch.setattr(service, "CHUNK_PEOPLE", 3)
    varied(store)
    ctx = Context(policy=load_policy(policy), as_of=service._as_of("2020-01-01"),
                  county=county.strip().casefold(), law=load_law())
    want = engine_reference(store, ctx)
    combos = store.conviction_combos()
    fixed = fixed_rows(combos, ctx)
    assert 0 < len(fixed) < len(combos)  # both halves have work

    run = evaluate(store, policy=policy, as_of="2020-01-01", county=county)
    got = {r[0]: tuple(r[1:]) for r in store.current_results()}
    assert got == want
    # the engine's half: a determination of their own, the conviction pointing at it
    own = store.conn.execute(
        "SELECT count(*) FROM convictions c JOIN determinations d ON d.id = c.determination_id"
        " WHERE d.conviction_id = c.id AND d.run_id = ? AND c.outcome IS d.outcome"
        " AND c.remedy IS d.remedy", (run.run_id,)).fetchone()[0]
    assert own == store.conn.execute("SELECT count(*) FROM determinations WHERE run_id = ?",
                                     (run.run_id,)).fetchone()[0]
    # the rest share one determination per county and section, and they are not applicable
    shared = store.conn.execute("SELECT count(*), count(DISTINCT outcome), min(outcome)"
                                " FROM shared_determinations WHERE run_id = ?",
                                (run.run_id,)).fetchone()
    sharing = store.conn.execute("SELECT count(*) FROM convictions WHERE determination_id"
                                 " IS NULL AND outcome IS NULL").fetchone()[0]
    assert 0 < shared[0] < sharing and shared[1:] == (1, "not_applicable")
    assert own + sharing == len(want)
    assert sum(run.counts.values()) == len(want)


def test_worker_processes_write_what_one_process_writes(store, monkeypatch):
    """The chunks dealt out to the workers come back in the order they were dealt: the run
    writes the same determinations under the same ids as a run in one process."""
    varied(store)
    monkeypatch.setattr(service, "CHUNK_PEOPLE", 3)
    runs = []
    for mode in ("lazy", "processes"):
        monkeypatch.setattr(service, "PARALLEL", mode != "lazy")
        monkeypatch.setattr(service, "PROCESSES_FROM", 0 if mode == "processes" else 10**9)
        run = evaluate(store, as_of="2020-01-01", county="")
        rows = store.conn.execute(
            "SELECT id, conviction_id, outcome, remedy, reasons, authority FROM determinations"
            " WHERE run_id = ? ORDER BY id", (run.run_id,)).fetchall()
        runs.append([(r[0] - rows[0][0], *r[1:]) for r in rows])
    assert len(runs[0]) > 4 * 3  # chunks enough for both workers, several each
    assert runs[0] == runs[1]


def test_history_rows_fill_the_conviction_fields_in_order():
    """rows.histories passes a history row's columns by position: the store's columns and
    the record's fields must stay in the same order."""
    from clerkapp.rules.history import Conviction
    from clerkapp.rules.rows import ROW_FIELDS
    from clerkapp.store.rules import CONVICTION_COLUMNS

    assert CONVICTION_COLUMNS[7:19] == ROW_FIELDS
    assert tuple(f.name for f in fields(Conviction))[2:14] == ROW_FIELDS
    assert CONVICTION_COLUMNS[:2] == ("id", "person_id")
    assert tuple(f.name for f in fields(Conviction))[14:] == ("flags",)


def test_the_run_deals_one_chunk_in_four_to_itself_and_the_rest_in_turn():
    assert processes.deal(9, 1) == [None, 0, 0, 0, None, 0, 0, 0, None]
    assert processes.deal(8, 2) == [None, 0, 1, 0, None, 1, 0, 1]
    assert processes.deal(0, 1) == []


def test_the_set_based_rows_are_the_engines_for_any_history():
    """A fixed determination must not depend on the person: check it against rich histories."""
    ctx = Context(policy=load_policy("statute"), as_of=service._as_of("2020-01-01"),
                  county="sacramento", law=load_law())
    history = person(conv(1, "HS 11359", county="YOLO"), conv(2, "PC 187(a)", county="YOLO"),
                     conv(3, "PC 32", county="YOLO", case_id=1),
                     conv(4, "PC 459", county="SACRAMENTO"),
                     conv(5, "HS 11357.5", county="SACRAMENTO", case_id=1))
    for c in history.convictions:
        fixed = fixed_determination(c, ctx)
        assert fixed is not None, c
        full = evaluate_conviction(c, history, ctx)
        assert (fixed.outcome, fixed.remedy, fixed.reasons) == \
               (full.outcome, full.remedy, full.reasons)
    # what depends on the history is never fixed
    assert fixed_determination(conv(6, "HS 11359"), ctx) is None
    assert fixed_determination(conv(7, "HS 11364", county="SACRAMENTO"), ctx) is None
    assert fixed_determination(conv(8, None, county="SACRAMENTO"), ctx) is None
    assert fixed_determination(conv(9, "PC 459", county=None), ctx) is None


def test_the_out_of_county_reason_names_the_county_as_recorded(store):
    varied(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    results = {r[0]: r[3] for r in store.current_results()}
    reasons = {r[0]: json.loads(results[r[1]]) for r in store.conn.execute(
        "SELECT county, id FROM convictions WHERE county IN ('YOLO', 'Los Angeles')")}
    assert reasons["Los Angeles"] == [{
        "code": "other_county", "text": "Conviction from Los Angeles county; this court handles"
        " SACRAMENTO (it still counts in the person's history)", "citation": "HS 11361.8(a), (e)",
        "kind": "decisive"}]
    assert reasons["YOLO"][0]["text"].startswith("Conviction from YOLO county;")


def test_the_encoder_writes_exactly_what_encode_writes():
    odd = [Reason("a", 'quote " backslash \\ tab \t newline \n', "HS 11361.8(e)"),
           Reason("b", "accents é ñ — “curly” \u2028 \x01", "PC 1203.4", "info"),
           Reason("c", "", "")]
    enc = Encoder()
    for reasons in (tuple(odd), tuple(odd[:1]), (), tuple(reversed(odd))):
        assert enc.encode(reasons) == encode(reasons)
        assert json.loads(enc.encode(reasons)) == json.loads(encode(reasons))


def test_a_failure_in_the_engines_thread_rolls_the_run_back(store, monkeypatch):
    varied(store)
    before = store.table_counts()
    import clerkapp.rules.pending as pending

    def boom(*a, **k):
        raise ValueError("engine failed")

    monkeypatch.setattr(pending, "evaluate_conviction", boom)
    with pytest.raises(ValueError, match="engine failed"):
        evaluate(store, as_of="2020-01-01", county="")
    assert store.table_counts() == before
    assert [t.name for t in threading.enumerate() if t.name.startswith("clerkapp-evaluate")] == []


# about 20 s each when nothing stops them
LONG_READ = ("WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r"
             " WHERE x < 200000000) SELECT count(*) FROM r")
LONG_WRITE = ("INSERT INTO eval_runs (rule_set_version, policy_name, policy_hash, policy_text,"
              " as_of, started_at) WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1"
              " FROM r WHERE x < 200000000) SELECT 'x', 'x', 'x', 'x', 'x', x FROM r"
              " WHERE x % 50000000 = 0")


@pytest.mark.parametrize("sql", [LONG_READ, LONG_WRITE])
@pytest.mark.parametrize("between", [False, True])
def test_a_cancel_interrupts_a_long_statement_and_rolls_back(store, sql, between):
    """The store's cancel watcher stops SQLite mid-statement, even when the cancel came
    between statements; nothing of the run stays (SQLite rolls an interrupted write back
    itself, and the caller's rollback must not hide the cancel). Cancelled is raised only
    from an interrupted statement: one that ran to its end would give no error at all."""
    varied(store)
    before = store.table_counts()
    token = CancelToken()
    timer = None if between else threading.Timer(0.3, token.cancel)  # mid-statement
    with pytest.raises(Cancelled), store.bulk_run(), store.atomic(), \
            store.interruptible(lambda: token.cancelled):
        store.conn.execute("INSERT INTO eval_runs (rule_set_version, policy_name, policy_hash,"
                           " policy_text, as_of, started_at) VALUES ('x','x','x','x','x','x')")
        if between:
            token.cancel()  # the cancel arrives while no statement runs
            time.sleep(0.3)  # the watcher's interrupts meanwhile land on no statement
        else:
            timer.start()
        store.conn.execute(sql).fetchall()
    assert store.table_counts() == before
    store.conn.execute("SELECT 1")  # the connection is usable again
    assert not store.conn.in_transaction


def test_a_run_inside_a_callers_transaction_sees_its_uncommitted_rows(store):
    """A second connection could not see them: the run stays on the caller's connection."""
    with store.atomic():
        varied(store)
        run = evaluate(store, as_of="2020-01-01", county="")
    n = store.conn.execute("SELECT count(*) FROM convictions").fetchone()[0]
    assert sum(run.counts.values()) == n
    assert len(store.current_results()) == n
    assert all(r[1] for r in store.current_results())


def _workers() -> list:
    return [p for p in multiprocessing.active_children() if p.name.startswith("clerkapp-evaluate")]


@pytest.fixture
def in_processes(monkeypatch):
    monkeypatch.setattr(service, "PROCESSES_FROM", 0)
    monkeypatch.setattr(service, "CHUNK_PEOPLE", 2)
    monkeypatch.setattr(processes, "QUEUE_CHUNKS", 1)


def test_a_cancel_stops_the_worker_processes_and_rolls_back(store, in_processes):
    varied(store)
    before = store.table_counts()
    token = CancelToken()

    def progress(done, total, message):
        if done:
            token.cancel()

    with pytest.raises(Cancelled):
        evaluate(store, as_of="2020-01-01", county="", progress=progress, cancel=token)
    assert store.table_counts() == before
    assert _workers() == []


def test_a_worker_process_that_dies_fails_the_run_clearly(store, in_processes):
    varied(store)
    before = store.table_counts()
    killed = []

    def progress(done, total, message):
        if done and not killed:
            for p in _workers():
                os.kill(p.pid, signal.SIGKILL)
                killed.append(p.pid)

    with pytest.raises(RuntimeError, match="evaluation worker stopped unexpectedly"):
        evaluate(store, as_of="2020-01-01", county="", progress=progress)
    assert killed and store.table_counts() == before
    assert _workers() == []


# SQLite's write-ahead log and its checkpoint: PostgreSQL has neither to catch up
@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_the_file_catches_up_with_the_run_in_the_background(store):
    varied(store)
    evaluate(store, as_of="2020-01-01", county="")
    assert store.checkpointing is not None
    store.checkpointing.join(timeout=30)
    busy, frames, copied = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert busy == 0 and frames == copied
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000


def test_a_worker_that_fails_names_the_error_not_its_message(tmp_path):
    """A worker that cannot open the store (here: the path is a folder) fails the run with
    the error's type and place; its message, which could quote a record, stays out."""
    ctx = Context(policy=load_policy("statute"), as_of=service._as_of("2020-01-01"),
                  law=load_law())
    secret = tmp_path / "Doe, Jane 1970-01-01"
    secret.mkdir()

    class Folder:
        """A run's store as far as the dealing goes (nobody is pending), on a path no
        worker can open."""

        path = secret

        def stage_pending(self, fixed_keys):
            return 0

        def pending_people(self):
            return []

    with pytest.raises(RuntimeError) as failed, \
            processes.engine_processes(Folder(), ctx, 10, 2) as start:
        list(start([]))
    message = str(failed.value)
    assert "evaluation worker failed (StoreUnreadable at " in message
    assert "Doe" not in message and "1970" not in message
    assert _workers() == []
