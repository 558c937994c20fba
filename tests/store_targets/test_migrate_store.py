"""`clerkapp migrate-store`: a SQLite store copied into PostgreSQL and back, every table equal,
the audit chain verified in the copy; a target that holds work refused; Ctrl+C (cancel)
leaves the target as it was."""

from __future__ import annotations

import psycopg
import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.migrate_store import migrate_store
from clerkapp.paths import sample_paths
from clerkapp.store import Store, transfer
from clerkapp.store.transfer import OWN_SETTINGS, columns_of, copy_order


def _run(*argv: str) -> None:
    assert main(list(argv)) == 0


@pytest.fixture
def worked_store(tmp_path):
    """A store as a clerk leaves it: imported, evaluated, decided, ordered, set up."""
    path = tmp_path / "desk.db"
    db = ["--db", str(path)]
    _run(*db, "import", *map(str, sample_paths()))
    _run(*db, "evaluate")
    _run(*db, "settings", "court.county=Los Angeles", "court.judge=Hon. R. Judge")
    _run(*db, "review", "--approve", "--all-flagged", "--by", "A. Clerk")
    _run(*db, "orders", str(tmp_path / "orders"))
    return path


@pytest.fixture
def empty_pg(pg_server):
    """A new, empty PostgreSQL database (no clerkapp store in it yet): its URL."""
    name = f"migrate_{id(object())}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.url(name)


def _sqlite_columns(table: str) -> list[str]:
    """A table's columns as the SQLite schema has them (PostgreSQL's may add an `id`)."""
    global _REFERENCE
    if _REFERENCE is None:
        _REFERENCE = Store(":memory:")
    return sorted(columns_of(_REFERENCE, table))


_REFERENCE = None


def contents(target, *, up_to_audit: int | None = None) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, in one column order (the store's own settings left out)."""
    with Store(target) as store:
        out = {}
        for table in copy_order(store):
            columns = _sqlite_columns(table)
            names = ", ".join(f'"{c}"' for c in columns)
            rows = [tuple(r) for r in store.conn.execute(f'SELECT {names} FROM "{table}"')]
            if table == "settings":
                rows = [r for r in rows if r[columns.index("key")] not in OWN_SETTINGS]
            if table == "audit_log" and up_to_audit is not None:
                rows = [r for r in rows if r[columns.index("id")] <= up_to_audit]
            out[table] = sorted(rows, key=repr)
        return out


def test_sqlite_into_postgresql_and_back(worked_store, empty_pg, tmp_path, capsys):
    before = contents(worked_store)
    assert before["orders"] and before["reviews"] and before["audit_log"]
    head = max(r[0] for r in Store(worked_store).conn.execute("SELECT id FROM audit_log"))

    assert main(["migrate-store", str(worked_store), empty_pg]) == 0
    out = capsys.readouterr().out
    assert "every count matches" in out and f"head #{head}" in out
    assert contents(empty_pg, up_to_audit=head) == before
    with Store(empty_pg) as shared:
        assert shared.verify_audit_chain() is None
        last = shared.conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
        assert last.fetchone()[0] == "store.copied_in"
        # the sequences moved past the copied ids: new rows get new ids
        with shared.atomic():
            new_id = shared.audit("B. Clerk", "test.after_copy")
        assert new_id == head + 2

    back = tmp_path / "back" / "desk.db"
    summary = migrate_store(empty_pg, back)
    assert contents(back, up_to_audit=head) == before
    assert summary.head_id == head + 2
    with Store(back) as store:  # the name search works on the copy (FTS filled)
        from clerkapp.store.queue import QueueFilter

        name = store.conn.execute("SELECT name FROM people WHERE name IS NOT NULL").fetchone()[0]
        found = store.queue_ids(QueueFilter(search=name.split(",")[0].split()[0]))
        assert found


def test_a_target_holding_a_store_is_refused_unless_replace(worked_store, both_targets,
                                                            tmp_path):
    from bench.testdata import fill_queue

    with Store(both_targets) as other:
        fill_queue(other, 12, seed=4)
    held = contents(both_targets)
    with pytest.raises(BadInput, match="the target holds a store already .*--replace"):
        migrate_store(worked_store, both_targets)
    assert contents(both_targets) == held
    migrate_store(worked_store, both_targets, replace=True)
    head = max(r[0] for r in Store(worked_store).conn.execute("SELECT id FROM audit_log"))
    assert contents(both_targets, up_to_audit=head) == contents(worked_store)


def test_cancel_leaves_the_target_as_it_was(worked_store, both_targets, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH", 3)
    with Store(both_targets) as fresh:
        empty = contents(both_targets)
        assert not empty["convictions"]
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append(message)
        if done >= 10:
            token.cancel()

    with pytest.raises(Cancelled):
        migrate_store(worked_store, both_targets, progress=progress, cancel=token)
    assert any(m.startswith("Copying ") for m in seen)
    assert contents(both_targets) == empty
    del fresh


def test_ctrl_c_mid_copy_leaves_the_target_as_it_was(worked_store, both_targets, monkeypatch):
    """Ctrl+C arrives as KeyboardInterrupt wherever the copy is: here, between two batches."""
    monkeypatch.setattr(transfer, "BATCH", 3)
    empty = contents(both_targets)

    def progress(done, total, message):
        if done >= 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        migrate_store(worked_store, both_targets, progress=progress)
    assert contents(both_targets) == empty
    with Store(both_targets) as store:  # and the store opens and takes writes again
        with store.atomic():
            store.audit("B. Clerk", "test.after_interrupt")


def test_a_file_made_for_the_copy_is_removed_when_it_fails(worked_store, tmp_path, monkeypatch):
    target = tmp_path / "new.db"

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("clerkapp.migrate_store.copy_tables", fail)
    with pytest.raises(KeyboardInterrupt):
        migrate_store(worked_store, target)
    assert not target.exists() and not list(tmp_path.glob("new.db*"))


def test_refusals_are_one_line_and_exit_2(worked_store, tmp_path, capsys):
    assert main(["migrate-store", str(tmp_path / "none.db"), str(tmp_path / "x.db")]) == 2
    assert capsys.readouterr().err == f"clerkapp: {tmp_path / 'none.db'}: no store there\n"
    assert main(["migrate-store", str(worked_store), str(worked_store)]) == 2
    assert "cannot be copied onto itself" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()
