"""A court's own export (title rows, no county column, a footer line) through the import
service and the command line: the county given for the whole file, rows that are not
convictions left out and counted, counts that ended without a conviction kept as history."""

from __future__ import annotations

import json
from datetime import date

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.store import Store
from tests.court_export import CONVICTED, ENDED, write_court_export


@pytest.fixture
def court_xlsx(tmp_path):
    return write_court_export(tmp_path / "case-index.xlsx")


def _convictions(store):
    return [dict(r) for r in store.conn.execute(
        "SELECT c.case_number, c.county, c.code_section, c.flags, p.name FROM convictions c"
        " JOIN people p ON p.id = c.person_id ORDER BY c.id")]


def test_the_files_county_fills_every_row_and_is_stored_on_the_import(store, court_xlsx):
    facts = checked_facts(county="SONOMA county", court="Santa Rosa", source="court")
    [s] = import_files(store, [court_xlsx], facts=facts, operator="clerk")
    rows = _convictions(store)
    # six convicted counts, the row with no name and the row with no case number
    assert s.convictions == len(rows) == len(CONVICTED) + 2
    assert {r["county"] for r in rows} == {"Sonoma"}
    imp = store.conn.execute("SELECT county, court, source_kind, skipped, history_count"
                             " FROM imports").fetchone()
    assert (imp["county"], imp["court"], imp["source_kind"]) == ("Sonoma", "Santa Rosa", "court")
    # the footer, the header printed again, the blank band and the blank line above the footer
    assert json.loads(imp["skipped"]) == {"blank row": 2, "repeated header row": 1,
                                          "footer or total line": 1}
    assert s.skipped_text() == "2 blank rows, 1 repeated header row, 1 footer or total line"
    assert imp["history_count"] == s.history == len(ENDED)
    events = store.conn.execute("SELECT kind, text, county FROM person_events ORDER BY id").fetchall()
    assert [(e["kind"], e["county"]) for e in events] == [("dismissed", "Sonoma")] * 3
    assert [e["text"].split(":")[0] for e in events] == [
        "Dismissed", "Not guilty", "Diversion completed"]
    # every row kept as read, the skipped ones aside: 6 + 3 + 2
    assert store.table_counts()["source_rows"] == s.rows == 11
    audit = json.loads(store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'import'").fetchone()[0])
    assert audit["county"] == "Sonoma" and audit["source"] == "court"


def test_a_rows_own_county_wins_and_a_disagreement_is_a_note(store, tmp_path):
    path = tmp_path / "with-county.csv"
    path.write_text("Case Number,Defendant,Charge,Conviction Date,County\n"
                    "A1,\"DOE, JO\",HS 11357(a),2001-02-03,\n"
                    "A2,\"ROE, AL\",HS 11359,2002-02-03,MARIN\n"
                    "A3,\"POE, ED\",HS 11359,2003-02-03,Sonoma County\n")
    [s] = import_files(store, [path], facts=checked_facts(county="Sonoma"))
    rows = _convictions(store)
    assert [r["county"] for r in rows] == ["Sonoma", "MARIN", "Sonoma County"]
    assert s.notes == 1
    assert json.loads(rows[1]["flags"]) == [
        "note: the row's county (MARIN) differs from the file's (Sonoma); the row's is used"]
    assert json.loads(rows[2]["flags"]) == []  # the same county spelled another way


def test_a_county_outside_california_is_refused_with_the_accepted_names(store, court_xlsx):
    with pytest.raises(BadInput) as err:
        checked_facts(county="Clark")
    assert "'Clark' is not a California county" in str(err.value)
    assert "Alameda" in str(err.value) and "Yuba" in str(err.value)


def test_no_name_or_no_case_number_is_flagged_and_sent_to_review(store, court_xlsx):
    from clerkapp.rules.service import evaluate

    import_files(store, [court_xlsx], facts=checked_facts(county="Sonoma"))
    evaluate(store, county="Sonoma")
    rows = {r["code_section"] + "|" + (r["case_number"] or ""): r for r in _convictions(store)}
    no_name = rows["HS 11357(a)|SCR-110"]
    no_case = rows["HS 11359|"]
    assert no_name["name"] is None and json.loads(no_name["flags"]) == ["no_name"]
    assert json.loads(no_case["flags"]) == ["no_case_number"]
    got = dict(store.conn.execute(
        "SELECT coalesce(case_number, ''), outcome FROM convictions WHERE flags != '[]'"))
    assert got == {"SCR-110": "needs_review", "": "needs_review"}
    reasons = store.conn.execute(
        "SELECT reason_summary FROM convictions WHERE case_number = 'SCR-110'").fetchone()[0]
    assert reasons.startswith("The record names no one")


def test_cli_import_with_county_court_and_source(db_path, court_xlsx, capsys):
    code = main(["--db", str(db_path), "import", str(court_xlsx), "--county", "sonoma",
                 "--court", "Hall of Justice", "--source", "court"])
    out = capsys.readouterr().out
    assert code == 0
    assert "8 convictions" in out
    assert "the court's own records; county Sonoma where a row gives none" in out
    assert "3 count(s) not convictions" in out
    assert "skipped: 2 blank rows, 1 repeated header row, 1 footer or total line" in out
    with Store(db_path) as s:
        assert s.conn.execute("SELECT county, court FROM imports").fetchone()[:] == (
            "Sonoma", "Hall of Justice")


def test_cli_refuses_a_county_outside_california_and_writes_nothing(db_path, court_xlsx,
                                                                     capsys):
    code = main(["--db", str(db_path), "import", str(court_xlsx), "--county", "Washoe"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "'Washoe' is not a California county" in err
    assert "Los Angeles" in err and "Traceback" not in err
    with Store(db_path) as s:
        assert s.table_counts()["imports"] == 0


def test_a_dismissal_after_probation_is_still_a_conviction(store, tmp_path):
    path = write_court_export(tmp_path / "x.xlsx", extra_rows=[
        ("SCR-200", "FOX, AMY", date(1970, 1, 1), "HS 11359", "F",
         "Convicted; dismissed PC 1203.4", date(1999, 9, 9))])
    [s] = import_files(store, [path], facts=checked_facts(county="Sonoma"))
    assert s.history == len(ENDED)
    assert store.conn.execute(
        "SELECT count(*) FROM convictions WHERE case_number = 'SCR-200'").fetchone()[0] == 1
