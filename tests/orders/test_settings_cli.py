"""`clerkapp settings`: list and set the declared settings from the command line, so a clerk
without the app can fill in the court profile and print orders."""

from __future__ import annotations

import json

from clerkapp.cli.main import main
from clerkapp.store import Store
from clerkapp.store.settings import SETTINGS


def test_lists_every_declared_setting(db_target, capsys):
    assert main(["--db", str(db_target), "settings"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [s.key for s in SETTINGS]
    name = next(line for line in lines if line.startswith("court.name "))
    assert "Court name" in name and name.endswith("Superior Court of California")


def test_sets_values_in_one_transaction_with_audit(db_target, capsys):
    code = main(["--db", str(db_target), "settings", "court.county=Yolo",
                 "court.judge=Hon. A. Judge", "--by", "Clerk Cli"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Yolo" in out and "Hon. A. Judge" in out
    with Store(db_target) as store:
        assert store.get_setting("court.county") == "Yolo"
        assert store.get_setting("court.judge") == "Hon. A. Judge"
        entries = store.conn.execute(
            "SELECT actor, action, details FROM audit_log ORDER BY id").fetchall()
        assert store.verify_audit_chain() is None
        by = store.actor("Clerk Cli")  # the database login on PostgreSQL
    changed = [json.loads(d)["changed"] for a, act, d in entries if act == "settings"]
    assert changed == [["court.county"], ["court.judge"]]
    assert {a for a, act, _ in entries if act == "settings"} == {by}
    assert main(["--db", str(db_target), "settings", "court.judge=Hon. B. Judge"]) == 0
    assert main(["--db", str(db_target), "settings"]) == 0
    assert "Hon. B. Judge" in capsys.readouterr().out


def test_unknown_key_is_exit_2_and_changes_nothing(db_target, capsys):
    code = main(["--db", str(db_target), "settings", "court.county=Yolo", "court.jduge=X"])
    assert code == 2
    assert "unknown setting 'court.jduge'" in capsys.readouterr().err
    with Store(db_target) as store:
        assert store.get_setting("court.county") == ""
    assert main(["--db", str(db_target), "settings", "court.county"]) == 2
    assert "expected KEY=VALUE, got 'court.county'" in capsys.readouterr().err


def test_cli_only_clerk_can_print_orders(store, casebook, tmp_path, capsys):
    casebook.conviction("CASE-Z1", "ZULU,ZED")
    casebook.decide("CASE-Z1", "approved")
    db = str(store.path)
    store.close()
    assert main(["--db", db, "orders", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "Tools ▸ Court profile & settings" in err
    assert "clerkapp settings court.county=... court.judge=..." in err
    assert main(["--db", db, "settings", "court.county=Alameda", "court.judge=Hon. A. Judge"]) == 0
    assert main(["--db", db, "orders", str(tmp_path / "o")]) == 0


def test_a_county_is_kept_as_listed_whatever_its_spelling(db_target, capsys):
    """`Orange County` would print "Orange County County" on the batch report."""
    assert main(["--db", str(db_target), "settings", "court.county= orange county"]) == 0
    assert capsys.readouterr().out.split() == ["court.county", "County", "Orange"]
    with Store(db_target) as store:
        assert store.get_setting("court.county") == "Orange"
