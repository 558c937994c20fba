"""Withdrawing an import, and entering a fact the record lacks, through the services and the
command line, on a court's own export."""

from __future__ import annotations

import json

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.ingest.withdraw import withdraw_import
from clerkapp.orders.service import print_orders
from clerkapp.reports.export import export_rows
from clerkapp.review.corrections import correct
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store import Store
from clerkapp.store.queue import EVERYTHING, QueueFilter
from tests.court_export import write_court_export
from tests.orders.conftest import sign_all


@pytest.fixture
def court(store, tmp_path):
    store.set_setting("court.county", "Sonoma")
    store.set_setting("court.judge", "Hon. R. Judge")
    path = write_court_export(tmp_path / "index.xlsx")
    [s] = import_files(store, [path], facts=checked_facts(county="Sonoma"), operator="ana")
    evaluate(store)
    return s, path


def _id(store, case_number):
    return store.conn.execute("SELECT id FROM convictions WHERE case_number IS ?",
                              (case_number,)).fetchone()[0]


def test_a_withdrawn_import_leaves_queue_counts_exports_and_orders(store, court, tmp_path):
    summary, path = court
    decide(store, [_id(store, "SCR-101")], "approved", clerk="ana")
    everything = QueueFilter(outcome=EVERYTHING)
    assert len(store.queue_ids(everything)) == summary.convictions
    before = store.table_counts()

    done = withdraw_import(store, summary.import_id, reason="test extract", by="ana")
    assert done.status == "withdrawn" and done.decisions == 1
    assert len(store.queue_ids(everything)) == 0
    assert store.queue_counts(everything) == {}
    assert store.conviction_count() == 0
    assert export_rows(store, tmp_path / "out.csv") == 0
    with pytest.raises(BadInput):
        print_orders(store, tmp_path / "orders")
    # the rows, the decision and the withdrawal stay on record
    after = store.table_counts()
    for table in ("source_rows", "convictions", "reviews"):
        assert after[table] == before[table]
    entry = store.conn.execute(
        "SELECT actor, details FROM audit_log WHERE action = 'import.withdrawn'").fetchone()
    assert entry["actor"] == store.actor("ana") and json.loads(entry["details"])["reason"] == "test extract"
    # the same file again, without --force, and no "repeats an earlier import" warning
    [again] = import_files(store, [path], facts=checked_facts(county="Sonoma"))
    assert again.repeated == 0
    assert len(store.queue_ids(everything)) == again.convictions


def test_withdrawal_is_refused_once_an_order_was_printed(store, court, tmp_path):
    summary, _ = court
    decide(store, [_id(store, "SCR-104")], "approved", clerk="ana")
    print_orders(store, tmp_path / "orders", operator="ana")
    before = store.table_counts()
    with pytest.raises(BadInput) as err:
        withdraw_import(store, summary.import_id, reason="oops", by="ana")
    assert "printed order stands" in str(err.value) and "deny" in str(err.value)
    assert store.table_counts() == before


def test_unknown_or_twice_withdrawn_imports_are_refused(store, court):
    summary, _ = court
    with pytest.raises(BadInput, match="no import #99"):
        withdraw_import(store, 99, reason="x", by="ana")
    with pytest.raises(BadInput, match="needs a reason"):
        withdraw_import(store, summary.import_id, reason=" ", by="ana")
    withdraw_import(store, summary.import_id, reason="x", by="ana")
    before = store.table_counts()
    with pytest.raises(BadInput, match="already withdrawn"):
        withdraw_import(store, summary.import_id, reason="x", by="ana")
    assert store.table_counts() == before


def test_no_name_is_approved_only_after_the_name_is_entered(store, court):
    cid = _id(store, "SCR-110")
    with pytest.raises(BadInput, match="needs review"):
        decide(store, [cid], "approved", clerk="ana")
    with pytest.raises(BadInput, match="has no name in the record: enter it as a correction"):
        decide(store, [cid], "approved", clerk="ana", outcome="redesignate_misdemeanor",
               note="felony possession, adult")
    source_before = store.conn.execute('SELECT "values" FROM source_rows').fetchall()
    with pytest.raises(BadInput, match="needs a reason"):
        correct(store, cid, "name", "DOE, JANE", reason="", clerk="ana")
    done = correct(store, cid, "name", "DOE, JANE", reason="minute order of 2000-08-08",
                   clerk="ana")
    assert (done.field, done.value, done.clerk) == ("name", "DOE, JANE", store.actor("ana"))
    assert store.conn.execute('SELECT "values" FROM source_rows').fetchall() == source_before
    decide(store, [cid], "approved", clerk="ana", outcome="redesignate_misdemeanor",
           note="felony possession, adult")
    evaluate(store)  # the question is answered: the rules no longer ask for the name
    reasons = store.conn.execute("SELECT reason_summary FROM convictions WHERE id = ?",
                                 (cid,)).fetchone()[0]
    assert "names no one" not in reasons
    audit = store.conn.execute(
        "SELECT actor, details FROM audit_log WHERE action = 'conviction.corrected'").fetchone()
    assert audit["actor"] == store.actor("ana") and json.loads(audit["details"])["field"] == "name"


def test_no_order_line_is_ever_blank_where_a_name_belongs(store, court, tmp_path):
    cid = _id(store, "SCR-110")
    # an approval recorded around the service (an older store, a hand edit) still never prints
    store.conn.execute("UPDATE convictions SET review_status = 'approved', review_id = ("
                       "SELECT max(id) FROM reviews) WHERE id = ?", (cid,))
    assert store.count_order_rows([cid]) == (0, 0)


def test_cli_imports_withdraw_and_correct(db_path, tmp_path, capsys):
    path = write_court_export(tmp_path / "index.xlsx")
    assert main(["--db", str(db_path), "import", str(path), "--county", "Sonoma"]) == 0
    assert main(["--db", str(db_path), "imports"]) == 0
    out = capsys.readouterr().out
    assert "index.xlsx" in out and "county Sonoma" in out
    row = 17  # the row with no name, as the spreadsheet numbers it (title rows included)
    with Store(db_path) as s:
        n = s.conn.execute("SELECT s.row_number FROM convictions c JOIN source_rows s"
                           " ON s.id = json_extract(c.source_row_ids, '$[0]')"
                           " WHERE c.case_number = 'SCR-110'").fetchone()[0]
    assert n == row
    assert main(["--db", str(db_path), "correct", "1", str(row), "--name", "DOE, JANE",
                 "--reason", "minute order", "--by", "ana"]) == 0
    assert "name entered" in capsys.readouterr().out
    assert main(["--db", str(db_path), "withdraw", "1", "--reason", "wrong file",
                 "--by", "ana"]) == 0
    assert "withdrawn" in capsys.readouterr().out
    assert main(["--db", str(db_path), "withdraw", "1", "--reason", "again", "--by", "ana"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already withdrawn" in err
    assert main(["--db", str(db_path), "withdraw", "7", "--reason", "x", "--by", "ana"]) == 2
    assert "no import #7" in capsys.readouterr().err
    assert main(["--db", str(db_path), "import", str(path)]) == 0  # no --force needed
    assert main(["--db", str(db_path), "imports", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()
              if line.startswith("{")]
    assert [(i["id"], i["status"]) for i in listed] == [(1, "withdrawn"), (2, "complete")]
    assert listed[0]["withdraw_reason"] == "wrong file"


def test_the_command_line_never_decides_a_withdrawn_imports_convictions(db_path, tmp_path,
                                                                          capsys):
    """A file imported without its county, withdrawn and imported again: `review --case` and
    `--all-flagged` decide the live import's convictions only (they decided both copies, and
    said "2 convictions approved" for one case)."""
    path = write_court_export(tmp_path / "index.xlsx")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma"]) == 0
    assert main([*db, "import", str(path), "--county", "Sonoma"]) == 0
    assert main([*db, "evaluate"]) == 0
    assert main([*db, "withdraw", "1", "--reason", "imported twice", "--by", "ana"]) == 0
    assert main([*db, "import", str(path), "--county", "Sonoma"]) == 0
    assert main([*db, "evaluate"]) == 0
    capsys.readouterr()
    assert main([*db, "review", "--approve", "--case", "SCR-101", "--by", "ana"]) == 0
    assert "1 conviction approved" in capsys.readouterr().out
    assert main([*db, "review", "--approve", "--all-flagged", "--by", "ana"]) == 0
    with Store(db_path) as s:
        decided = {r[0] for r in s.conn.execute(
            "SELECT DISTINCT c.import_id FROM reviews r JOIN convictions c"
            " ON c.id = r.conviction_id")}
    assert decided == {2}


def test_a_withdrawn_imports_cases_are_not_found_for_review(store, court):
    summary, _path = court
    assert store.conviction_ids_for_cases(["scr-101"])["scr-101"]
    assert store.relief_pending_ids()
    withdraw_import(store, summary.import_id, reason="test extract", by="ana")
    assert store.conviction_ids_for_cases(["scr-101"]) == {"scr-101": []}
    assert store.relief_pending_ids() == []


def test_withdraw_names_the_settings_clerk_when_by_is_left_out(db_path, tmp_path, capsys):
    """Like every other command, `withdraw` takes the clerk from the settings: it stopped with
    "the following arguments are required: --by"."""
    path = write_court_export(tmp_path / "index.xlsx")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "review.clerk_name=T. Clerk"]) == 0
    assert main([*db, "import", str(path), "--county", "Sonoma"]) == 0
    assert main([*db, "withdraw", "1", "--reason", "wrong file"]) == 0
    with Store(db_path) as s:
        assert s.conn.execute("SELECT withdrawn_by FROM imports").fetchone()[0] == "T. Clerk"


def test_the_courts_own_records_take_the_profiles_county_when_none_is_given(
        db_path, tmp_path, capsys):
    """A clerk imports the court's own export as the README shows, but without --county: every
    conviction went to review as "County not recorded" though the profile names the county."""
    path = write_court_export(tmp_path / "index.xlsx")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma County"]) == 0
    assert main([*db, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "county Sonoma where a row gives none" in out and "from the court profile" in out
    assert main([*db, "evaluate"]) == 0
    with Store(db_path) as s:
        assert {r[0] for r in s.conn.execute("SELECT county FROM convictions")} == {"Sonoma"}
        assert s.conn.execute("SELECT county FROM imports").fetchone()[0] == "Sonoma"
        summary = s.conn.execute("SELECT reason_summary FROM convictions"
                                 " WHERE case_number = 'SCR-101'").fetchone()[0]
    assert "County not recorded" not in summary


def test_a_doj_file_keeps_each_rows_own_county(db_path, tmp_path, capsys):
    from tests.ingest.test_import_service import doj_rows, write_doj

    path = write_doj(tmp_path / "research.csv", doj_rows(5))
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma"]) == 0
    assert main([*db, "import", str(path)]) == 0
    assert "court profile" not in capsys.readouterr().out
    with Store(db_path) as s:
        assert s.conn.execute("SELECT county FROM imports").fetchone()[0] is None
        assert "SONOMA" not in {r[0] for r in s.conn.execute("SELECT county FROM convictions")}


def test_the_import_names_its_row_errors_and_they_can_be_written_later(db_path, tmp_path,
                                                                       capsys):
    """`import` said "2 rows with errors" and no more; asked again, the same file is refused
    as already imported, so the clerk had no way to learn which rows."""
    from openpyxl import load_workbook

    path = write_court_export(tmp_path / "index.xlsx")
    db = ["--db", str(db_path)]
    assert main([*db, "import", str(path), "--county", "Sonoma"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  index.xlsx, row ")]
    assert len(lines) == 2 and "name" in out
    assert "clerkapp imports 1 --errors OUT.xlsx" in out
    assert main([*db, "imports", "1", "--errors", str(tmp_path / "e.xlsx")]) == 0
    assert "2 row error(s) of import(s) #1 written" in capsys.readouterr().out
    rows = list(load_workbook(tmp_path / "e.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][:2] == ("file", "row")
    assert [f"  index.xlsx, row {r[1]}," for r in rows[1:]] == [
        line[:line.index(",", len("  index.xlsx, ")) + 1] for line in lines]
    assert main([*db, "imports", "7", "--errors", str(tmp_path / "e.xlsx")]) == 2
    assert "no import #7" in capsys.readouterr().err


def test_the_look_up_leaves_out_a_withdrawn_imports_convictions(db_path, tmp_path, capsys):
    """The file imported twice (the first withdrawn): the counter look-up listed each of the
    person's convictions twice, the withdrawn copy with its own state."""
    path = write_court_export(tmp_path / "index.xlsx")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma"]) == 0
    assert main([*db, "import", str(path)]) == 0
    assert main([*db, "evaluate"]) == 0
    assert main([*db, "withdraw", "1", "--reason", "imported twice", "--by", "ana"]) == 0
    assert main([*db, "import", str(path)]) == 0
    assert main([*db, "evaluate"]) == 0
    capsys.readouterr()
    assert main([*db, "lookup", "--name", "Ana Rivera", "--dob", "03/02/1975"]) == 0
    out = capsys.readouterr().out
    assert "1 person found" in out and out.count("SCR-101") == 1


def test_one_person_on_two_lists_gets_a_certificate_by_reference(db_path, tmp_path, capsys):
    """A list with the CII and one without name the same person twice: with name, date of
    birth and case number given the look-up shows both records, and the certificate was refused
    with "narrow the look-up with --dob or --case", both already given."""
    header = "Case Number,Defendant,DOB,Charge,Level,Disposition,Disposition Date"
    row = "SCR-201,\"RIVERA, ANA\",03/02/1975,HS 11357(a),F,Convicted,05/14/1998"
    (tmp_path / "a.csv").write_text(f"CII,{header}\n A12345678,{row}\n")
    (tmp_path / "b.csv").write_text(f"{header}\n{row}\n")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma", "court.judge=Hon. R. Judge",
                 "court.clerk=C. Clerk"]) == 0
    assert main([*db, "import", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]) == 0
    assert main([*db, "evaluate"]) == 0
    assert main([*db, "review", "--approve", "--all-flagged", "--by", "ana"]) == 0
    assert main([*db, "orders", str(tmp_path / "orders")]) == 0
    with Store(db_path) as signing:  # the judge signed: the confirmation rests on it
        sign_all(signing)
    capsys.readouterr()
    ask = [*db, "lookup", "--name", "Ana Rivera", "--dob", "03/02/1975", "--case", "SCR-201",
           "--certificate", str(tmp_path / "c.pdf")]
    assert main(ask) == 2
    err = capsys.readouterr().err
    assert "choose one with --person (P000001, P000002)" in err and err.count("\n") == 1
    assert main([*ask, "--person", "P000009"]) == 2
    assert "P000009 is not among the people found" in capsys.readouterr().err
    assert main([*ask, "--person", "P000002"]) == 0
    assert (tmp_path / "c.pdf").is_file()


def test_the_evaluations_counts_leave_out_a_withdrawn_import(store, court):
    """After a withdrawal the run printed the withdrawn convictions as 'not applicable': its
    total was larger than the export and `stats` by the withdrawn import's convictions."""
    summary, _path = court
    live = store.conviction_count()
    assert sum(evaluate(store).counts.values()) == live
    withdraw_import(store, summary.import_id, reason="test extract", by="ana")
    assert sum(evaluate(store).counts.values()) == store.conviction_count() == 0
