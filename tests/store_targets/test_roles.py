"""Who did it, from the database: a real PostgreSQL cluster set up as court IT would
(resources/sql/roles.sql), one login per clerk and a look-up-only login. The clerk's login is
the name on every decision and audit entry whatever name was typed; a clerk cannot rewrite
the log or write under another name even from psql; a reader looks up (audited under the
reader's login) but is told plainly that deciding is not theirs; a clerk opening a store that
needs upgrading is sent to court IT."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from bench.testdata import fill_queue
from clerkapp.errors import NotPermitted, StoreUnreadable
from clerkapp.relief.lookup import look_up
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.audit import GENESIS, _entry_hash, entry_matches

ROLES_SQL = Path(__file__).resolve().parents[2] / "resources" / "sql" / "roles.sql"
_count = 0


def run_roles_sql(cluster, dbname: str, **logins: str) -> None:
    """roles.sql as court IT runs it: psql, as a superuser, the database named by a variable."""
    variables = [f"-v{k}={v}" for k, v in {"dbname": dbname, **logins}.items()]
    done = subprocess.run([str(cluster.bin_dir / "psql"), "-X", "-q", cluster.url(), *variables,
                           "-f", str(ROLES_SQL)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def as_login(url: str, login: str) -> str:
    """The same store reached with another login."""
    return url.replace("postgresql://clerkapp_test@", f"postgresql://{login}@", 1)


def _new_database(cluster) -> str:
    """An empty database made as docs/shared-store.md says."""
    global _count
    _count += 1
    name = f"roles_{_count}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
                     " TEMPLATE template0")
    return name


def _drop_database(cluster, name: str) -> None:
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def court(pg_server):
    """A new database, roles.sql run before anything else, the first opening as
    clerkapp_admin (the migrations), then a queue filled in by a clerk: (url as superuser,
    clerk's url, reader's url)."""
    name = _new_database(pg_server)
    run_roles_sql(pg_server, name, clerk="clerk_ann", reader="reader_bo")
    url = pg_server.url(name)
    Store(as_login(url, "clerkapp_admin")).close()
    with Store(as_login(url, "clerk_ann")) as clerk:
        fill_queue(clerk, 40, seed=3)
    yield url, as_login(url, "clerk_ann"), as_login(url, "reader_bo")
    _drop_database(pg_server, name)


def _relief(store: Store, n: int) -> list[int]:
    ids = store.relief_pending_ids()
    assert len(ids) >= n
    return ids[:n]


def test_the_clerks_login_is_the_name_on_decisions_whatever_was_typed(court):
    _url, clerk_url, _reader = court
    with Store(clerk_url) as store:
        assert store.login == "clerk_ann" and store.clerk_name() == "clerk_ann"
        store.set_setting("review.clerk_name", "Judge Judy")  # a shared setting: not asked
        assert store.clerk_name() == "clerk_ann"
        ids = _relief(store, 2)
        batch = decide(store, ids, "approved", clerk="Someone Else")
        rows = store.conn.execute("SELECT DISTINCT clerk FROM reviews WHERE batch_id = ?",
                                  (batch,)).fetchall()
        assert [r[0] for r in rows] == ["clerk_ann"]
        actors = {r[0] for r in store.conn.execute(
            "SELECT actor FROM audit_log WHERE details LIKE ?", (f"%{batch}%",))}
        assert actors == {"clerk_ann"}
        assert store.latest_batch("Someone Else") == batch  # "my last act" is the login's
        assert store.verify_audit_chain() is None
        assert store.check_chain(full=True).ok
        with store.atomic():
            made = store.add_correction(ids[0], "case_number", "X1", reason="minute order",
                                        clerk="Typed Name")
        assert made.clerk == "clerk_ann"
        assert [c.clerk for c in store.corrections(ids[0])] == ["clerk_ann"]


def test_a_clerk_can_neither_rewrite_the_log_nor_write_under_another_name(court):
    url, clerk_url, _reader = court
    with Store(clerk_url) as store:
        decide(store, _relief(store, 1), "approved", clerk="clerk_ann")
    with psycopg.connect(clerk_url, autocommit=True) as conn:
        for sql in ("UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
        # a forged entry, hash and all, under another clerk's name
        row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
        last = row[0] if row else GENESIS
        at, details = "2026-01-02T03:04:05+00:00", '{"forged":true}'
        forged = _entry_hash(last, at, "clerk_other", "review.approved", "conviction", 1,
                             None, details)
        stored = conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, case_number, details,"
            " prev_hash, hash) VALUES (%s, 'clerk_other', 'review.approved', 'conviction', 1,"
            " NULL, %s, %s, %s) RETURNING id, at, actor, action, entity, entity_id,"
            " case_number, details, prev_hash, hash", (at, details, last, forged)).fetchone()
    assert stored[2] == "clerk_ann"
    assert stored[9] != forged and entry_matches(stored)  # hashed over what is stored
    with Store(url) as owner:
        assert owner.verify_audit_chain() is None  # still one chain, naming the right clerk
        # the owner (migrations, tests, restores) writes what it writes
        with owner.atomic():
            owner.audit("clerkapp_test", "test.owner")
        # a clerk's group cannot take the append-only trigger off either
    with psycopg.connect(clerk_url, autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_login_actor")


def test_a_reader_looks_up_under_the_readers_login_but_may_not_decide(court, tmp_path):
    _url, clerk_url, reader_url = court
    with Store(clerk_url) as clerk:
        name = clerk.conn.execute("SELECT name FROM people ORDER BY id LIMIT 1").fetchone()[0]
    with Store(reader_url) as reader:
        assert reader.login == "reader_bo"
        result = look_up(reader, name, clerk="Typed Name")
        assert result.total >= 1
        entry = reader.conn.execute("SELECT actor, action FROM audit_log"
                                    " ORDER BY id DESC LIMIT 1").fetchone()
        assert tuple(entry) == ("reader_bo", "lookup.person")
        ids = _relief(reader, 1)
        before = reader.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        with pytest.raises(NotPermitted) as refused:
            decide(reader, ids, "approved", clerk="reader_bo")
        assert "ask court IT" in str(refused.value) and "reviews" in str(refused.value)
        assert reader.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == before
        assert reader.verify_audit_chain() is None
    # the command line: one line, exit 2, no traceback
    done = subprocess.run(
        [sys.executable, "-m", "clerkapp.cli.main", "--db", reader_url, "review", "--approve",
         "--all-flagged", "--by", "reader_bo"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("clerkapp: your login may not do this in the shared store")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_clerk_opening_a_store_that_needs_upgrading_is_sent_to_court_it(court):
    url, clerk_url, _reader = court
    with psycopg.connect(url, autocommit=True) as conn:  # as if a newer clerkapp came
        conn.execute("UPDATE clerkapp_schema SET version = version - 1")
    with pytest.raises(StoreUnreadable) as refused:
        Store(clerk_url)
    assert "court IT runs the first opening of a new clerkapp" in str(refused.value)
    assert "clerk_ann" not in str(refused.value) or "@" in str(refused.value)
    Store(as_login(url, "clerkapp_admin")).close()  # court IT's first opening
    with Store(clerk_url) as store:
        assert store.schema_version == store.conn.execute(
            "SELECT version FROM clerkapp_schema").fetchone()[0]


def test_roles_sql_after_a_superuser_opened_the_store_hands_it_to_clerkapp_admin(pg_server):
    name = _new_database(pg_server)
    url = pg_server.url(name)
    Store(url).close()  # migrated by a superuser before the roles existed
    run_roles_sql(pg_server, name, clerk="clerk_cy")
    with psycopg.connect(url, autocommit=True) as conn:
        owners = {r[0] for r in conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert owners == {"clerkapp_admin"}
    with Store(as_login(url, "clerk_cy")) as clerk:
        fill_queue(clerk, 8, seed=4)
        decide(clerk, _relief(clerk, 1), "approved", clerk="x")
        assert clerk.conn.execute("SELECT DISTINCT actor FROM audit_log").fetchall() == [
            ("clerk_cy",)]
    with psycopg.connect(as_login(url, "clerk_cy"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_log")
    _drop_database(pg_server, name)


@contextmanager
def _readers_window(reader_url, qtbot, tmp_path):
    """The main window on the reader's login, shown with its first row's detail; closed after."""
    from PySide6.QtCore import QSettings

    from clerkapp.ui.mainwindow import MainWindow

    store = Store(reader_url)
    window = MainWindow(store, settings=QSettings(str(tmp_path / "desk.ini"),
                                                  QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        window.queue.setFocus()
        qtbot.waitUntil(lambda: window.detail.detail is not None)
        yield window, store
    finally:
        window.close()
        store.close()


def test_the_window_tells_a_reader_plainly_that_deciding_is_not_theirs(court, qtbot,
                                                                       tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from clerkapp.ui.views import prompts

    warned: list[tuple[str, str]] = []
    monkeypatch.setattr(prompts, "warn", lambda parent, title, text: warned.append((title, text)))
    _url, _clerk, reader_url = court
    with _readers_window(reader_url, qtbot, tmp_path) as (window, store):
        assert window.queue.current_id() is not None
        assert window.status.clerk.text() == "Clerk: reader_bo"
        before = store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        qtbot.keyClick(window.queue, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: bool(warned))
        title, text = warned[0]
        assert title == "Decision not recorded"
        assert text.startswith("Your login may not do this in the shared store")
        assert "ask court IT" in text and "Traceback" not in text
        assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == before


def test_a_readers_next_pending_shows_the_next_conviction_without_claiming(
        court, qtbot, tmp_path, caplog):
    """A look-up-only login may browse the queue: Next pending moves on as for a clerk, claims
    nothing (the store would refuse it) and leaves no error in the log."""
    from PySide6.QtCore import Qt

    _url, clerk_url, reader_url = court
    with _readers_window(reader_url, qtbot, tmp_path) as (window, _store):
        pending = [r for r in range(window.model.rowCount())
                   if window.model.record(r).review_status == "pending"]
        assert len(pending) >= 3
        window.queue.select_row(pending[0])
        caplog.clear()
        for expected in pending[1:3]:
            qtbot.keyClick(window.queue, Qt.Key.Key_N)
            assert window.queue.currentIndex().row() == expected
        assert window.desk.looks_only
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
        with Store(clerk_url) as clerk:
            assert clerk.conn.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
