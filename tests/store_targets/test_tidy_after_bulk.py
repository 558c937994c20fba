"""After a large import or evaluation run on the shared store, the tables it wrote are
vacuumed and analyzed at once (in the background), so the queue's filters read their indexes
alone without waiting for autovacuum; inside a caller's transaction they are analyzed; a
small step, and a SQLite store, are left as they were."""

from __future__ import annotations

import logging

import psycopg
import pytest

from clerkapp.ingest.service import import_files
from clerkapp.rules.service import evaluate
from clerkapp.store import Store, tidy
from tests.store_targets.test_roles import court  # noqa: F401 - the fixture

HEADER = "Case Number,Name,DOB,Code Section,Level,Conviction Date"


def _court_csv(path, rows: int):
    lines = [HEADER] + [f"T{i:05d},PERSON {i},1970-01-02,HS 11357,M,1990-03-04"
                        for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(url: str) -> dict[str, tuple[int, int]]:
    """(manual VACUUMs, manual ANALYZEs) per table, as the server counts them."""
    with psycopg.connect(url, autocommit=True) as conn:
        return {name: (vacuums, analyzes) for name, vacuums, analyzes in conn.execute(
            "SELECT relname, vacuum_count, analyze_count FROM pg_stat_user_tables")}


def _heap_fetches(url: str) -> int:
    """Rows the outcome filter reads from the table through its index-only plan."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        plan = conn.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM convictions"
            " WHERE outcome_in_force = 'not_eligible'").fetchone()[0][0]["Plan"]
    assert plan["Node Type"] == "Index Only Scan", plan["Node Type"]
    return int(plan["Heap Fetches"])


@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
def test_a_large_import_and_evaluation_are_vacuumed_and_analyzed(db_target, tmp_path,
                                                                  monkeypatch):
    monkeypatch.setattr(tidy, "TIDY_MIN_ROWS", 50)
    with Store(db_target) as store:
        import_files(store, [_court_csv(tmp_path / "court.csv", 60)])
    after_import = _counts(db_target)  # closing waited for the background VACUUM
    for table in ("convictions", "people", "source_rows"):
        assert after_import[table] == (1, 1), (table, after_import[table])
    with Store(db_target) as store:
        evaluate(store, county="")
    after_run = _counts(db_target)
    assert after_run["convictions"] == (2, 2)
    assert after_run["shared_determinations"][0] == 1
    assert after_run["people"] == (1, 1)  # not written by the run
    assert _heap_fetches(db_target) == 0  # every page all-visible: the index alone


@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
def test_a_small_step_is_left_to_autovacuum(db_target, tmp_path, monkeypatch):
    monkeypatch.setattr(tidy, "TIDY_MIN_ROWS", 50)
    with Store(db_target) as store:
        import_files(store, [_court_csv(tmp_path / "court.csv", 20)])
        evaluate(store, county="")
    assert all(v == (0, 0) for v in _counts(db_target).values())


@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
def test_inside_a_callers_transaction_the_tables_are_analyzed(db_target, tmp_path,
                                                              monkeypatch):
    monkeypatch.setattr(tidy, "TIDY_MIN_ROWS", 50)
    with Store(db_target) as store:
        with store.atomic():
            import_files(store, [_court_csv(tmp_path / "court.csv", 60)])
        assert store.checkpointing is None  # nothing left running
    counts = _counts(db_target)
    assert counts["convictions"] == (0, 1) and counts["people"] == (0, 1)


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_a_sqlite_store_is_not_touched(db_target, tmp_path, monkeypatch):
    monkeypatch.setattr(tidy, "TIDY_MIN_ROWS", 1)
    with Store(db_target) as store:
        import_files(store, [_court_csv(tmp_path / "court.csv", 60)])
        assert store.conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()[0] == 0


def test_a_clerks_login_that_may_not_vacuum_leaves_it_to_autovacuum(court, tmp_path,  # noqa: F811
                                                                     monkeypatch, caplog):
    """Before PostgreSQL 17 only the tables' owner (court IT's clerkapp_admin) may vacuum
    them: the clerk's import goes through, the server's refusal is logged; from 17 the
    MAINTAIN privilege roles.sql grants lets the clerk's login do it."""
    url, clerk_url, _reader = court
    monkeypatch.setattr(tidy, "TIDY_MIN_ROWS", 50)
    with caplog.at_level(logging.INFO, logger="clerkapp.store.pg.tidy"):
        with Store(clerk_url) as store:
            summary = import_files(store, [_court_csv(tmp_path / "court.csv", 60)])
    assert summary[0].convictions == 60
    with psycopg.connect(url, autocommit=True) as conn:
        version = int(conn.execute("SHOW server_version_num").fetchone()[0])
    if version >= 170000:
        assert _counts(url)["convictions"][0] == 1
    else:
        assert "not vacuumed" in caplog.text and "convictions" in caplog.text
        assert _counts(url)["convictions"][0] == 0
