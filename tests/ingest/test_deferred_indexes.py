"""An import builds the conviction and people indexes once at its end: the store's schema
after it is exactly the schema before, the name search finds every new person, and a failed
import leaves the indexes as they were."""

from __future__ import annotations

import pytest

from clerkapp.ingest.service import import_files
from clerkapp.store.queue import EVERYTHING, QueueFilter
from tests.ingest.test_import_service import doj_rows, fail_on_batch, write_doj

# SQLite's own schema table, FTS5 index, PRAGMAs and checkpoint: PostgreSQL keeps its indexes
# through an import (worth_deferring) and searches names with a trigram index
pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


def schema(store) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in store.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        " ORDER BY type, name")]


def searched(store, text: str) -> int:
    """People the name search finds (the queue's search box runs the same MATCH; text with a
    digit would search case numbers there)."""
    return len(store.conn.execute("SELECT rowid FROM people_fts WHERE people_fts MATCH ?",
                                  (f'"{text}"*',)).fetchall())


def test_a_first_import_leaves_the_schema_whole_and_every_name_searchable(tmp_path, store):
    before = schema(store)
    assert any(name == "convictions_county" for _, name, _ in before)
    import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(30))])
    assert schema(store) == before
    # the planner uses the rebuilt index, and it holds every row
    plan = " ".join(r[3] for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM convictions WHERE county = 'LOS ANGELES'"
        " COLLATE NOCASE"))
    assert "convictions_county" in plan
    assert store.conn.execute("SELECT count(*) FROM convictions INDEXED BY convictions_county"
                              " WHERE county = 'LOS ANGELES' COLLATE NOCASE").fetchone()[0] == 30
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert searched(store, "sample17") == 1
    assert len(store.queue_ids(QueueFilter(outcome=EVERYTHING, search="pat"))) == 30
    assert store.conn.execute("SELECT count(*) FROM people_fts").fetchone()[0] == 30


def test_a_second_large_import_adds_its_people_to_the_search_and_keeps_the_first(
        tmp_path, store):
    import_files(store, [write_doj(tmp_path / "a.csv", doj_rows(3))])
    before = schema(store)
    rows = doj_rows(40)[6:]  # people 3..39: new to the store
    import_files(store, [write_doj(tmp_path / "b.csv", rows)])
    assert schema(store) == before
    assert searched(store, "sample1") == 11  # sample1 and sample10..19
    assert searched(store, "sample2") == 11
    assert store.conn.execute("SELECT count(*) FROM people_fts").fetchone()[0] == 40
    assert store.conn.execute("INSERT INTO people_fts(people_fts) VALUES ('integrity-check')")


def test_a_failed_import_keeps_every_index(tmp_path, store, monkeypatch):
    before = schema(store)
    fail_on_batch(monkeypatch, store, 2)
    with pytest.raises(OSError):
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(10))])
    assert schema(store) == before
    assert store.table_counts()["people"] == 0


def pragmas(store) -> tuple[int, ...]:
    return tuple(store.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in (
        "foreign_keys", "wal_autocheckpoint", "cache_size", "threads"))


@pytest.mark.parametrize("fails", [False, True], ids=["lands", "fails"])
def test_an_import_writes_without_key_checks_yet_every_key_holds(tmp_path, store, monkeypatch,
                                                                 fails):
    """The import turns foreign-key checks and the commit's checkpoint off for its own
    transaction only (and sorts the indexes it builds in small runs, in a helper thread):
    afterwards (landed or rolled back) each is as before, every key the import wrote points
    at a row, and the log is copied into the file in the background."""
    import_files(store, [write_doj(tmp_path / "earlier.csv", doj_rows(5))])
    before = pragmas(store)
    assert before[0] == 1 and before[1] > 0 and before[3] == 0
    if fails:
        fail_on_batch(monkeypatch, store, 2)
        with pytest.raises(OSError):
            import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(40))])
    else:
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(40))])
    assert pragmas(store) == before
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.checkpointing is not None
    store.checkpointing.join()
    rows = store.conn.execute("SELECT count(*) FROM source_rows").fetchone()[0]
    assert rows == (10 if fails else 90)  # two rows a person


def test_the_triggers_an_import_drops_never_fire_for_what_it_writes(store):
    """The close-out trigger on a new conviction is dropped for an import, nothing redone at
    its end: it fires for a conviction decided already, and an import writes none (no review
    column among the ones it writes, so each is pending with no review)."""
    from clerkapp.store.deferred_indexes import SILENT_TRIGGERS
    from clerkapp.store.imports import CONVICTION_COLUMNS

    (sql,) = [r[0] for r in store.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", SILENT_TRIGGERS)]
    assert " ".join(sql.split()).startswith(
        "CREATE TRIGGER closeout_stage_conviction_new AFTER INSERT ON convictions"
        " WHEN NEW.review_status != 'pending' OR NEW.review_id IS NOT NULL BEGIN")
    assert not {"review_status", "review_id"} & set(CONVICTION_COLUMNS)
