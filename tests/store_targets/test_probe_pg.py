"""Trying a shared store before opening it, against a real PostgreSQL server: each reason it
cannot be opened is one plain sentence; a store newer than this clerkapp is refused on open
on both engines."""

from __future__ import annotations

import psycopg
import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.store import Store
from clerkapp.store import probe as probing
from clerkapp.store.migrations import MIGRATIONS


def _sql(pg_server, *statements: str, database: str = "postgres") -> None:
    with psycopg.connect(pg_server.url(database), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _url(pg_server, database: str, user: str | None = None) -> str:
    url = pg_server.url(database)
    return url.replace(f"{probing.user_of(url)}@", f"{user}@") if user else url


def test_a_clerkapp_store_and_an_empty_database_can_be_opened(pg_server, both_targets):
    if isinstance(both_targets, str):
        result = probing.probe(both_targets)
        assert result.kind == probing.OK and result.schema_version == len(MIGRATIONS)
    _sql(pg_server, "DROP DATABASE IF EXISTS probe_empty", "CREATE DATABASE probe_empty")
    empty = probing.probe(_url(pg_server, "probe_empty"))
    assert empty.kind == probing.EMPTY and empty.ok


def test_a_missing_database_and_login_are_named(pg_server):
    missing = probing.probe(_url(pg_server, "no_such_db"))
    assert missing.kind == probing.NO_DATABASE
    assert "has no database no_such_db: check the name with court IT" in missing.message
    nobody = probing.probe(_url(pg_server, "postgres", user="no_such_clerk"))
    assert nobody.kind == probing.LOGIN and "no login no_such_clerk" in nobody.message


def test_a_database_of_something_else_is_not_a_clerkapp_store(pg_server):
    _sql(pg_server, "DROP DATABASE IF EXISTS probe_other", "CREATE DATABASE probe_other")
    _sql(pg_server, "CREATE TABLE payroll (id int)", database="probe_other")
    result = probing.probe(_url(pg_server, "probe_other"))
    assert result.kind == probing.NOT_CLERKAPP
    assert "holds 1 other table(s) but no clerkapp store" in result.message


def test_a_password_is_asked_for_and_a_wrong_one_said(pg_server):
    """A login the server asks a password of (scram, for this role only)."""
    _sql(pg_server, "DROP ROLE IF EXISTS probe_pw",
         "CREATE ROLE probe_pw LOGIN PASSWORD 'right horse'")
    hba = pg_server.folder / "data" / "pg_hba.conf"
    rules = hba.read_text()
    hba.write_text("local all probe_pw scram-sha-256\n" + rules)
    _sql(pg_server, "SELECT pg_reload_conf()")
    try:
        url = _url(pg_server, "postgres", user="probe_pw")
        asked = probing.probe(url)
        assert asked.kind == probing.PASSWORD
        assert asked.message == "the server asks for a password for probe_pw"
        wrong = probing.probe(probing.with_password(url, "wrong"))
        assert wrong.kind == probing.PASSWORD and "refused the password" in wrong.message
        right = probing.probe(probing.with_password(url, "right horse"))
        assert right.kind == probing.EMPTY
    finally:
        hba.write_text(rules)
        _sql(pg_server, "SELECT pg_reload_conf()")


def test_a_newer_store_is_refused_on_both_engines(both_targets, capsys):
    Store(both_targets).close()
    newer = len(MIGRATIONS) + 1
    if isinstance(both_targets, str):
        with psycopg.connect(both_targets, autocommit=True) as conn:
            conn.execute("UPDATE clerkapp_schema SET version = %s", (newer,))
        assert probing.probe(both_targets).kind == probing.NEWER
    else:
        import sqlite3

        with sqlite3.connect(both_targets) as conn:
            conn.execute(f"PRAGMA user_version = {newer}")
    with pytest.raises(BadInput, match=f"this store was written by a newer clerkapp \\(schema"
                                       f" {newer}, this one knows {len(MIGRATIONS)}\\): install"
                                       " the newer clerkapp"):
        Store(both_targets)
    assert main(["--db", str(both_targets), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install the newer clerkapp" in err


def test_the_window_asks_for_a_password_and_keeps_it_for_the_session_only(pg_server, qtbot,
                                                                          tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QInputDialog

    from clerkapp.ui import store_choice

    _sql(pg_server, "DROP DATABASE IF EXISTS probe_pw_store", "CREATE DATABASE probe_pw_store",
         "DROP ROLE IF EXISTS probe_pw2", "CREATE ROLE probe_pw2 LOGIN PASSWORD 'right horse'",
         "ALTER DATABASE probe_pw_store OWNER TO probe_pw2")
    hba = pg_server.folder / "data" / "pg_hba.conf"
    rules = hba.read_text()
    hba.write_text("local all probe_pw2 scram-sha-256\n" + rules)
    _sql(pg_server, "SELECT pg_reload_conf()")
    asked = []
    answers = iter([("wrong", True), ("right horse", True)])

    def answer(parent, title, label, echo):
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    try:
        url = _url(pg_server, "probe_pw_store", user="probe_pw2")
        store = store_choice.open_target(None, url)
        assert store is not None
        try:
            assert asked[0].startswith("The server asks for a password for probe_pw2.")
            assert asked[1].startswith("The server refused the password for probe_pw2")
            assert store.engine == "postgresql" and store.login == "probe_pw2"
            settings = QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)
            store_choice.remember(settings, store.path)
            assert settings.value(store_choice.REMEMBERED_KEY) == url
            assert "right" not in (tmp_path / "desk.ini").read_text()
        finally:
            store.close()
    finally:
        hba.write_text(rules)
        _sql(pg_server, "SELECT pg_reload_conf()")
