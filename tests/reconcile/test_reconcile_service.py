"""Reconciliation end to end on real imports: every rule and every status, the file, the
exit codes."""

from __future__ import annotations

import csv

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.ingest.service import import_files
from clerkapp.reconcile.output import RECONCILE_COLUMNS, write_reconcile_file
from clerkapp.reconcile.service import reconcile
from tests.reconcile.files import scenario_files


@pytest.fixture
def reconciled(store, tmp_path):
    doj, court = scenario_files(tmp_path)
    import_files(store, [doj, court])
    summary = reconcile(store, operator="tester")
    return store, summary


def rows_by_court_case(store) -> dict[str, dict]:
    out = {}
    for r in store.conn.execute(
            "SELECT l.*, d.case_number AS doj_case, k.case_number AS court_case"
            " FROM reconcile_links l LEFT JOIN convictions d ON d.id = l.doj_id"
            " LEFT JOIN convictions k ON k.id = l.court_id"):
        out[r["court_case"] or r["doj_case"]] = dict(r)
    return out


def test_each_rule_and_status(reconciled):
    store, summary = reconciled
    rows = rows_by_court_case(store)
    assert rows["BA-0100001-01"]["status"] == "matched"
    assert rows["BA-0100001-01"]["match_key"] == "cii"
    assert rows["BA100002"]["match_key"] == "ssn" and rows["BA100002"]["status"] == "matched"
    assert rows["BA100003"]["match_key"] == "cdl" and rows["BA100003"]["status"] == "matched"
    assert rows["LA BA100004"]["match_key"] == "name_dob"
    assert rows["LA BA100004"]["status"] == "matched"
    assert "transposed" in rows["LA BA100004"]["note"]
    assert rows["BA100005"]["status"] == "conflict"
    assert "level F (DOJ) vs M (court)" in rows["BA100005"]["note"]
    assert rows["CR-06-123"]["status"] == "possible_match"
    assert rows["BA100007"]["status"] == "doj_only" and rows["BA100007"]["court_id"] is None
    assert rows["BA100009"]["status"] == "court_only" and rows["BA100009"]["doj_id"] is None
    assert rows["BA100008"]["status"] == "matched"  # CII on both sides, AKA in the name
    assert rows["BA100010"]["status"] == "unmatched"
    assert rows["BA100010"]["note"] == "not matched: no name"
    assert rows["BA100011"]["note"] == "not matched: no date of birth or CII"
    assert summary.counts == {"matched": 5, "possible_match": 1, "conflict": 1,
                              "court_only": 1, "doj_only": 1, "unmatched": 2}


def test_case_number_key_links_when_the_person_keys_do_not(store, tmp_path):
    from tests.reconcile.files import SALE, court_row, doj_person, write_court, write_doj

    doj = write_doj(tmp_path / "doj.csv", [doj_person(
        "1", "WASHINGTON,TYRONE", "19600606", "88888888",
        [{"case": "BA200001", "offense": SALE, "date": "20050315"}])])
    # the court's DOB is a year off and it has no CII: only the case number ties them
    court = write_court(tmp_path / "court.csv", [
        court_row("BA-200001", "Tyrone Washington", "06/06/1961")])
    import_files(store, [doj, court])
    reconcile(store)
    link = store.conn.execute("SELECT * FROM reconcile_links").fetchone()
    assert (link["status"], link["match_key"]) == ("matched", "case_number")
    assert "dates of birth differ" in link["note"]


def test_the_file_has_the_columns_in_order_and_no_ssn(reconciled, tmp_path):
    store, _ = reconciled
    out = tmp_path / "out.csv"
    count = write_reconcile_file(store, out)
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == RECONCILE_COLUMNS
    assert count == len(rows) - 1 == 11
    text = out.read_text(encoding="utf-8-sig")
    assert "912345678" not in text and "912-34-5678" not in text and "D1234567" not in text
    conflict = next(r for r in rows if r[0] == "conflict")
    assert conflict[1] == "BA100005" and conflict[2] == "BA100005" and conflict[8] == "name_dob"
    xlsx = tmp_path / "out.xlsx"
    assert write_reconcile_file(store, xlsx, status="matched") == 5


def test_cli_writes_the_file_and_refuses_without_both_sides(tmp_path, capsys):
    db = str(tmp_path / "c.db")
    doj, court = scenario_files(tmp_path)
    assert main(["--db", db, "import", str(court)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "reconcile", str(tmp_path / "r.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no DOJ import" in err[0]
    assert main(["--db", db, "import", str(doj)]) == 0
    assert main(["--db", db, "reconcile", str(tmp_path / "r.csv"), "--court", "2"]) == 2
    assert "not a court import" in capsys.readouterr().err
    assert main(["--db", db, "reconcile", str(tmp_path / "r.csv")]) == 0
    assert "5 matched" in capsys.readouterr().out
    assert (tmp_path / "r.csv").exists()


def test_no_court_import(store, tmp_path):
    doj, _ = scenario_files(tmp_path)
    import_files(store, [doj])
    with pytest.raises(BadInput, match="no court import"):
        reconcile(store)
