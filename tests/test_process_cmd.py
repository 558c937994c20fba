"""`clerkapp process`: import, evaluate and export in one go gives the very export the three
commands give one by one, and refuses what it would refuse only at the end before it
imports anything."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.store import Store
from tests.ingest.test_import_service import doj_rows, write_doj

STEPS = ["--policy", "statute", "--as-of", "2020-07-01", "--county", "Los Angeles"]


def test_the_whole_job_equals_the_three_commands(tmp_path, capsys):
    path = write_doj(tmp_path / "research.csv", doj_rows(60))
    one, three = tmp_path / "one.db", tmp_path / "three.db"
    assert main(["--db", str(one), "process", str(path), "--export",
                 str(tmp_path / "one.csv"), *STEPS]) == 0
    printed = capsys.readouterr().out
    assert main(["--db", str(three), "import", str(path)]) == 0
    assert main(["--db", str(three), "evaluate", *STEPS]) == 0
    assert main(["--db", str(three), "export", str(tmp_path / "three.csv")]) == 0
    separately = capsys.readouterr().out
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "three.csv").read_bytes()
    # what the three commands print, then how long each step took
    assert printed.splitlines()[:-1] == [
        line.replace("three.csv", "one.csv") for line in separately.splitlines()]
    took = printed.splitlines()[-1]
    assert took.startswith("took: import ") and ", evaluate " in took and ", export " in took
    with Store(one) as store:
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert actions[-3:] == ["import", "evaluate", "export.written"]


@pytest.mark.parametrize("extra, message", [
    (["--export", "out.pdf"], "the export must end in .csv or .xlsx"),
    (["--export", "out.csv", "--county", "Narnia"], "--county"),
    (["--export", "out.csv", "--policy", "no-such-policy"], "policy"),
    (["--export", "out.csv", "--as-of", "2020-02-30"], "--as-of '2020-02-30'"),
])
def test_refused_before_anything_is_imported(tmp_path, capsys, extra, message):
    path = write_doj(tmp_path / "research.csv", doj_rows(5))
    db = tmp_path / "clerk.db"
    extra = [str(tmp_path / v) if v.startswith("out.") else v for v in extra]
    assert main(["--db", str(db), "process", str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_a_typoed_as_of_date_is_refused_by_name_on_the_command_and_in_the_settings(
        tmp_path, capsys):
    """It was taken, then refused by the evaluation as "column as_of: ..." (and by every
    evaluation after, once saved in the settings)."""
    db = ["--db", str(tmp_path / "clerk.db")]
    assert main([*db, "evaluate", "--as-of", "2026-13-01"]) == 2
    err = capsys.readouterr().err
    assert err == "clerkapp: --as-of '2026-13-01': expected a date as YYYY-MM-DD\n"
    assert main([*db, "settings", "evaluation.as_of=2026-13-01"]) == 2
    err = capsys.readouterr().err
    assert "evaluation.as_of" in err and "2026-13-01" in err and err.count("\n") == 1
    assert main([*db, "settings", "evaluation.as_of=2020-07-01"]) == 0
    assert main([*db, "settings", "evaluation.as_of="]) == 0
