"""A court csv with a quote left open is refused as the DOJ reader refuses a damaged row (one
line naming file, row, cell, lines and field counts; no personal data; exit 2; nothing
imported); a cell typed on two lines, quoted as Excel writes it, still imports. Each runs
with the file read here and in a worker (tests/ingest/conftest.py)."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.ingest.service import import_files
from clerkapp.store import Store

HEADER = "Case No,Defendant Name,DOB,Charge,F/M,Disposition,Disp Date"
DOE = 'A1,"DOE, JOHN",01/01/1970,HS 11357,M,CONVICTED,01/01/2005'
ROE = 'A2,"ROE, JANE",01/01/1971,HS 11359,F,CONVICTED,01/01/2006'
POE = 'A3,"POE, AL",01/01/1972,HS 11358,F,CONVICTED,01/01/2007'
OPEN_ROE = 'A2,"ROE, JANE,01/01/1971,HS 11359,F,CONVICTED,01/01/2006'  # the quote not closed
OPEN_POE = 'A3,"POE, AL,01/01/1972,HS 11358,F,CONVICTED,01/01/2007'
PERSONAL = ("DOE", "ROE", "POE", "JANE", "1970", "1971", "1972")


def write(tmp_path, lines, end="\n"):
    path = tmp_path / "court.csv"
    path.write_bytes((end.join(lines) + end).encode())
    return path


def refused(db_path, path, capsys) -> str:
    Store(db_path).close()
    code = main(["--db", str(db_path), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not any(word in err for word in PERSONAL), err
    with Store(db_path) as store:
        assert store.table_counts()["imports"] == 0
    return err


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_quote_left_open_mid_file_refuses_the_file(db_path, tmp_path, capsys, end):
    err = refused(db_path, write(tmp_path, [HEADER, DOE, OPEN_ROE, POE], end), capsys)
    assert ("court.csv, row 3, column Defendant Name: a quote (\") opened in this cell is not "
            "closed where the cell ends, so lines 3 to 4 of the file read as one row of 8 "
            "fields where the header (row 1) has 7") in err
    assert err.rstrip().endswith("nothing was imported")


def test_a_quote_left_open_on_the_last_line_refuses_the_file(db_path, tmp_path, capsys):
    err = refused(db_path, write(tmp_path, [HEADER, DOE, ROE, OPEN_POE]), capsys)
    assert ("court.csv, row 4, column Defendant Name: a quote (\") opened in this cell is not "
            "closed where the cell ends, so the file ends inside it (line 4): the row has 2 "
            "fields where the header (row 1) has 7") in err


def test_a_quote_running_to_the_end_over_several_lines_refuses_the_file(db_path, tmp_path,
                                                                         capsys):
    unquoted = [line.replace('"', "") for line in (ROE, POE)]
    err = refused(db_path, write(tmp_path, [HEADER, DOE, OPEN_ROE.replace(
        '"ROE, JANE', '"ROE JANE'), *unquoted]), capsys)
    assert "court.csv, row 3, column Defendant Name:" in err
    assert "lines 3 to 5 of the file read as one row of 2 fields where the header" in err


def test_a_cell_on_two_lines_still_imports(db_path, tmp_path, capsys):
    lines = [HEADER + ",Notes", DOE + ',"first line\nsecond, with a comma"',
             ROE + ",", POE + ',"one\r\ntwo"']
    path = write(tmp_path, lines, "\r\n")
    Store(db_path).close()
    assert main(["--db", str(db_path), "import", str(path)]) == 0, capsys.readouterr().err
    with Store(db_path) as store:
        counts = store.table_counts()
        assert counts["imports"] == 1 and counts["convictions"] == 3
        assert counts["people"] == 3
        assert store.conn.execute("SELECT count(*) FROM import_errors").fetchone()[0] == 0


def test_a_quote_left_open_after_the_first_batches_leaves_the_store_as_it_was(store, tmp_path):
    rows = [f'B{i},"PERSON, NUMBER{i}",01/01/1970,HS 11357,M,CONVICTED,01/01/2005'
            for i in range(12_000)]
    rows[11_000] = rows[11_000].replace('NUMBER11000"', "NUMBER11000")
    path = write(tmp_path, [HEADER, *rows])
    with pytest.raises(BadInput) as caught:
        import_files(store, [path])
    assert caught.value.row == 11_002 and caught.value.column == "Defendant Name"
    assert "lines 11002 to 11003 of the file read as one row of 8 fields" in str(caught.value)
    assert store.table_counts()["imports"] == 0 and store.table_counts()["convictions"] == 0
