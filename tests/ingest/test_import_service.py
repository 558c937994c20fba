"""The import service: duplicates refused, each file whole or not at all, the export and the
command line agreeing with the store."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from clerkapp.cli.main import main
from clerkapp.errors import BadInput, DuplicateImport
from clerkapp.ingest import service
from clerkapp.ingest.doj_fields import FIELDS, INDEX
from clerkapp.ingest.service import import_files
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.reports.export import EXPORT_COLUMNS, export_rows
from clerkapp.store.imports import encode_texts
from clerkapp.store.row_text import row_cells


def doj_rows(people: int) -> list[list[str]]:
    """One 11357(c) misdemeanor conviction and one dismissed count per person."""
    rows = []
    for n in range(people):
        for cnt, dispo in (("001002001000", "CONVICTED-PROBATION"), ("001002002000", "DISMISSED")):
            row = [""] * 95
            values = {
                "SUBJECT_ID": str(5000 + n), "PRI_NAME": f"SAMPLE{n},PAT", "PRI_DOB": "19800101",
                "CII_NUMBER": f"A{n:08d}", "CYC_ORDER": "001", "CYC_DATE": "20100301",
                "STP_TYPE_DESCR": "COURT ACTION", "STP_EVENT_DATE": "20100415",
                "STP_ORI_CNTY_NAME": "LOS ANGELES", "STP_ORI_DESCR": "CASC LOS ANGELES",
                "CNT_ORDER": cnt, "OFN": f"LA{n:05d}",
                "OFFENSE_DESCR": "11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM",
                "OFFENSE_TOC": "M", "DISP_DESCR": dispo, "CONV_STAT_DESCR": "MISDEMEANOR",
            }
            for name, value in values.items():
                row[INDEX[name]] = value
            rows.append(row)
    return rows


def write_doj(path, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        writer.writerows(rows)
    return path


def test_import_builds_people_convictions_and_keeps_dismissals_as_history(tmp_path, store):
    rows = doj_rows(3)
    arrest_only = list(rows[0])  # a fourth person with an arrest and nothing else
    arrest_only[INDEX["SUBJECT_ID"]] = "9999"
    arrest_only[INDEX["STP_TYPE_DESCR"]] = "ARREST/DETAINED/CITED"
    arrest_only[INDEX["DISP_DESCR"]] = ""
    path = write_doj(tmp_path / "doj.csv", rows + [arrest_only])
    (summary,) = import_files(store, [path], operator="tester")
    assert (summary.rows, summary.people, summary.convictions) == (7, 4, 3)
    assert summary.people == store.table_counts()["people"]
    assert store.conn.execute("SELECT count(*) FROM source_rows WHERE person_id IS NULL"
                              ).fetchone()[0] == 0
    counts = store.table_counts()
    assert counts["source_rows"] == 7 and counts["people"] == 4 and counts["convictions"] == 3
    dismissed = store.conn.execute(
        "SELECT count(*) FROM person_events WHERE kind = 'dismissed'").fetchone()[0]
    assert dismissed == 3
    # every conviction points at the source row it came from, kept verbatim
    row = store.conn.execute(
        'SELECT sr."values", sr.row_number FROM convictions c'
        " JOIN source_rows sr ON sr.id = CAST(json_extract(c.source_row_ids, '$[0]') AS INTEGER)"
        " WHERE c.case_number = 'LA00001'").fetchone()
    values = row_cells(row[0])
    assert values[INDEX["OFN"]] == "LA00001" and row[1] == 4  # header is row 1
    assert store.verify_audit_chain() is None
    assert store.conn.execute("SELECT action FROM audit_log").fetchone()[0] == "import"


def test_same_file_twice_is_refused_naming_the_earlier_import_unless_forced(tmp_path, store):
    path = write_doj(tmp_path / "doj.csv", doj_rows(2))
    (first,) = import_files(store, [path])
    before = store.table_counts()
    with pytest.raises(DuplicateImport) as error:
        import_files(store, [path])
    assert f"import #{first.import_id}" in str(error.value) and "doj.csv" in str(error.value)
    assert store.table_counts() == before
    (again,) = import_files(store, [path], force=True)
    assert again.import_id != first.import_id
    # the same people are recognized, not duplicated
    assert store.table_counts()["people"] == 2
    assert store.table_counts()["convictions"] == 4


def fail_on_batch(monkeypatch, store, n: int) -> list[int]:
    """Batches of 4 rows, the `n`th failing to write as a full disk would; returns the calls."""
    monkeypatch.setattr(service, "BATCH_SIZE", 4)
    real_write = type(store).write_flat
    calls: list[int] = []

    def failing_write(self, writer, batch):
        calls.append(1)
        if len(calls) == n:
            raise OSError("disk full (simulated)")
        real_write(self, writer, batch)

    monkeypatch.setattr(type(store), "write_flat", failing_write)
    return calls


def test_a_failure_mid_import_leaves_the_store_exactly_as_before(tmp_path, store, monkeypatch):
    import_files(store, [write_doj(tmp_path / "first.csv", doj_rows(2))])
    before = store.table_counts()
    calls = fail_on_batch(monkeypatch, store, 3)
    with pytest.raises(OSError):
        import_files(store, [write_doj(tmp_path / "big.csv", doj_rows(40))])
    assert len(calls) == 3  # two batches had been written before the failure
    assert store.table_counts() == before
    assert store.find_import_by_sha256(service.file_sha256(tmp_path / "big.csv")) is None


def test_cancel_between_batches_rolls_back(tmp_path, store, monkeypatch):
    monkeypatch.setattr(service, "BATCH_SIZE", 4)
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done >= 8:
            token.cancel()

    with pytest.raises(Cancelled):
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(30))], progress=progress,
                     cancel=token)
    assert max(seen) >= 8
    assert all(n == 0 for n in store.table_counts().values())


def test_a_bad_file_named_last_stops_before_anything_is_written(tmp_path, store):
    good = write_doj(tmp_path / "good.csv", doj_rows(2))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(BadInput) as error:
        import_files(store, [good, empty])
    assert "empty.csv" in str(error.value)
    assert store.table_counts()["imports"] == 0


def test_a_file_refused_half_way_leaves_none_of_the_others_in(tmp_path, store, capsys):
    """The whole act lands or none of it, whatever the order the files are named in: the
    clerk is told "nothing was imported", and that is what happened."""
    good = write_doj(tmp_path / "good.csv", doj_rows(3))
    rows = doj_rows(3)
    rows[4] = rows[4][:92]  # a damaged line in the second file, after readable ones
    damaged = write_doj(tmp_path / "damaged.csv", rows)
    before = store.table_counts()
    with pytest.raises(BadInput, match="damaged.csv.*row 6"):
        import_files(store, [good, damaged])
    assert store.table_counts() == before
    db = str(store.path)
    store.close()
    assert main(["--db", db, "import", str(good), str(damaged)]) == 2
    assert "nothing was imported" in capsys.readouterr().err
    assert main(["--db", db, "stats"]) == 0
    assert json.loads(capsys.readouterr().out)["convictions"] == 0


def test_the_same_records_in_another_file_are_counted_as_repeated(tmp_path, store, capsys):
    """A re-exported report (other bytes, same records) is imported, but the clerk is told
    how many convictions repeat ones already held: printing both would order relief twice."""
    first = write_doj(tmp_path / "first.csv", doj_rows(3))
    again = write_doj(tmp_path / "again.csv", list(reversed(doj_rows(3))) + doj_rows(4)[6:])
    (summary,) = import_files(store, [first])
    assert summary.repeated == 0
    db = str(store.path)
    store.close()
    assert main(["--db", db, "import", str(again)]) == 0
    captured = capsys.readouterr()
    assert "warning: 3 conviction(s) repeat ones an earlier import holds" in captured.err
    assert "4 convictions" in captured.out  # the new person's conviction is not counted


def test_export_neutralizes_formulas_in_csv_and_xlsx(tmp_path, store):
    rows = doj_rows(2)
    rows[0][INDEX["OFN"]] = "=HYPERLINK(\"http://x\")"
    import_files(store, [write_doj(tmp_path / "doj.csv", rows)])
    assert export_rows(store, tmp_path / "out.csv") == 2
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert tuple(table[0]) == EXPORT_COLUMNS
    case_numbers = [r[EXPORT_COLUMNS.index("case_number")] for r in table[1:]]
    assert "'=HYPERLINK(\"http://x\")" in case_numbers
    assert export_rows(store, tmp_path / "out.xlsx") == 2
    sheet = load_workbook(tmp_path / "out.xlsx").active
    cells = [c for c in sheet.iter_rows(min_row=2) if str(c[5].value).startswith("=")]
    assert cells and cells[0][5].data_type == "s"  # text, not a formula


def test_cli_import_export_and_stats_agree(tmp_path, capsys):
    db = tmp_path / "c.db"
    doj = write_doj(tmp_path / "doj.csv", doj_rows(3))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Court export, printed 2020-01-02"])
    sheet.append([])
    sheet.append(["Case No", "Defendant", "DOB", "Charge", "Level", "Disposition", "Conviction Date"])
    sheet.append(["SC100", "ROE,RIVER", "04/15/1989", "11359 HS", "F", "Convicted", "2012-03-04"])
    sheet.append(["SC101", "ROE,RIVER", "04/15/1989", "11360(a) HS", "F", "Convicted", "bad date"])
    workbook.save(tmp_path / "court.xlsx")

    errors = tmp_path / "errors.xlsx"
    assert main(["--db", str(db), "import", str(doj), str(tmp_path / "court.xlsx"),
                 "--errors", str(errors)]) == 0
    out = capsys.readouterr().out
    assert "doj.csv" in out and "court.xlsx" in out and "1 row with errors" in out
    assert f"1 row error(s) written to {errors}" in out
    rows = list(load_workbook(errors, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("file", "row", "column", "value", "message")
    assert rows[1][0] == "court.xlsx" and rows[1][3] == "bad date"
    assert main(["--db", str(db), "import", str(doj)]) == 2
    assert "already imported" in capsys.readouterr().err

    assert main(["--db", str(db), "export", str(tmp_path / "all.csv")]) == 0
    assert "5 rows" in capsys.readouterr().out
    with open(tmp_path / "all.csv", encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == 5
    court_rows = [r for r in exported if r["import_file"] == "court.xlsx"]
    assert {r["case_number"] for r in court_rows} == {"SC100", "SC101"}
    assert {r["source_row"] for r in court_rows} == {"4", "5"}
    assert {r["code_section"] for r in court_rows} == {"HS 11359", "HS 11360(a)"}

    assert main(["--db", str(db), "stats"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["convictions"] == 5 and stats["people"] == 4
    assert stats["by_section"] == {"11357": 3, "11359": 1, "11360": 1}
    assert stats["import_errors"] == 1


def test_unreadable_files_exit_2_with_one_line(tmp_path, capsys):
    db = tmp_path / "c.db"
    fake = tmp_path / "report.xlsx"
    fake.write_bytes(b"PK\x03\x04 this is not a workbook")
    assert main(["--db", str(db), "import", str(fake)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "report.xlsx" in err
    assert "not an Excel .xlsx workbook" in err and "Error" not in err  # words, not type names
    assert main(["--db", str(db), "import", str(tmp_path / "missing.csv")]) == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text() | st.integers() | st.none(), max_size=20))
def test_source_rows_are_encoded_as_json_exactly(values):
    assert json.loads(encode_texts(values)) == values


def test_stats_into_a_closed_pipe_stops_quietly(tmp_path):
    """`clerkapp stats | head -1`: the reader leaves early; no traceback, exit 0."""
    import subprocess
    import sys

    db = tmp_path / "clerk.db"
    proc = subprocess.Popen([sys.executable, "-m", "clerkapp", "--db", str(db), "stats"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader gone before a line is written (`head` after its lines)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err
