"""`clerkapp backup` / `clerkapp restore` on a shared PostgreSQL store: pg_dump's archive
checked by reading it back (its audit chain recomputed from its own rows), restored into a
fresh database and compared table by table; a store with work replaced only when forced."""

from __future__ import annotations

import psycopg
import pytest

from clerkapp.backup import backup_store, restore_store
from clerkapp.cli.main import main
from clerkapp.errors import BadInput, ClerkError
from clerkapp.migrate_store import migrate_store
from clerkapp.store import Store
from clerkapp.store.pg import dump as pg
from tests.store_targets.test_migrate_store import contents, worked_store  # noqa: F401


def _new_database(pg_server, name: str) -> str:
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return pg_server.url(name)


@pytest.fixture
def shared(pg_server, worked_store):  # noqa: F811
    """A PostgreSQL store with a clerk's work in it."""
    url = _new_database(pg_server, f"shared_{id(object())}")
    migrate_store(worked_store, url)
    return url


def test_backup_then_restore_into_a_fresh_database(shared, pg_server, tmp_path, capsys):
    out = tmp_path / "nightly.dump"
    assert main(["--db", shared, "backup", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "audit log verified in the copy" in printed and out.stat().st_size > 10_000
    with Store(shared) as store:
        last = store.conn.execute("SELECT action, details FROM audit_log ORDER BY id DESC"
                                  " LIMIT 1").fetchone()
        assert last[0] == "store.backed_up" and "nightly.dump" in last[1]
        head_in_backup = store.chain_head()[0] - 1
    facts = pg.read_archive_facts(out)
    assert facts.head_id == head_in_backup and facts.counts["convictions"] == 665

    fresh = _new_database(pg_server, f"fresh_{id(object())}")
    assert main(["--db", fresh, "restore", str(out)]) == 0
    assert contents(fresh, up_to_audit=head_in_backup) == contents(
        shared, up_to_audit=head_in_backup)
    with Store(fresh) as restored:
        assert restored.verify_audit_chain() is None
        action = restored.conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")
        assert action.fetchone()[0] == "store.restored"


def test_a_store_with_work_is_replaced_only_when_forced(shared, tmp_path):
    out = tmp_path / "monday.dump"
    backup_store(shared, out)
    with Store(shared) as store, store.atomic():
        store.audit("B. Clerk", "test.later_work")
    with pytest.raises(ClerkError, match="the store holds work .* --force"):
        restore_store(out, shared)
    summary = restore_store(out, shared, force=True)
    assert summary.replaced is not None and summary.replaced.is_file()
    assert pg.read_archive_facts(summary.replaced).head_id > summary.backup.head_id
    with Store(shared) as store:
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        assert "test.later_work" not in actions and actions[-1] == "store.restored"


def test_a_connection_just_closed_is_not_taken_for_a_clerks_window(shared):
    """Its server process ends a moment after the close: the count waits for it (polled, with
    a deadline), as a restore from the window's menu does right after closing its store."""
    with Store(shared) as store:
        for _ in range(5):
            psycopg.connect(shared, autocommit=True).close()
            assert pg.other_sessions(store.conn.raw, settle_s=pg.CLOSING_S) == 0


def test_a_restore_is_refused_while_another_connection_is_open(shared, tmp_path, monkeypatch):
    out = tmp_path / "tuesday.dump"
    backup_store(shared, out)
    monkeypatch.setattr(pg, "CLOSING_S", 0.5)  # an open one stays open: no need to wait long
    with psycopg.connect(shared, autocommit=True), \
            pytest.raises(ClerkError, match="1 other connection.* close them first"):
        restore_store(out, shared, force=True)
    with Store(shared) as store:  # nothing was replaced
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        assert "store.restored" not in actions and actions[-1] == "store.backed_up"
    assert restore_store(out, shared, force=True).replaced is not None  # closed: it goes ahead


def test_a_broken_archive_is_refused(shared, pg_server, tmp_path):
    out = tmp_path / "x.dump"
    backup_store(shared, out)
    damaged = tmp_path / "damaged.dump"
    damaged.write_bytes(out.read_bytes()[: out.stat().st_size // 2])
    fresh = _new_database(pg_server, f"fresh_{id(object())}")
    with pytest.raises(BadInput):
        restore_store(damaged, fresh)
    not_a_dump = tmp_path / "notes.dump"
    not_a_dump.write_text("not a backup")
    with pytest.raises(BadInput, match="not a PostgreSQL backup"):
        restore_store(not_a_dump, fresh)


def test_without_pg_dump_the_message_says_what_to_install(shared, tmp_path, monkeypatch):
    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    monkeypatch.delenv("CLERKAPP_PG_BIN", raising=False)
    with pytest.raises(pg.ToolMissing, match="pg_dump is not installed: .*postgresql-client"):
        backup_store(shared, tmp_path / "y.dump")
    assert not list(tmp_path.glob("*y.dump*"))


def test_an_archive_cut_anywhere_is_refused_in_one_line(shared, pg_server, tmp_path):
    """Cut at half its size, an archive was refused or, depending on where the cut fell (its
    bytes vary with the day's dates), raised IndexError on a data row cut short: every cut
    is now refused in one line (the suite's half-size cut failed so at 00:10 UTC)."""
    out = tmp_path / "x.dump"
    backup_store(shared, out)
    data = out.read_bytes()
    fresh = _new_database(pg_server, f"fresh_{id(object())}")
    for fraction in [n / 40 for n in range(12, 40)]:  # where the cut falls varies by day
        damaged = tmp_path / f"cut-{fraction}.dump"
        damaged.write_bytes(data[: int(len(data) * fraction)])
        with pytest.raises(ClerkError):  # refused in reading, or by pg_restore: one line
            restore_store(damaged, fresh)
