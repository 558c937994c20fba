"""Generic spreadsheets end to end: real xlsx written with openpyxl, real csv files."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from clerkapp.errors import BadInput, UnknownLayout
from clerkapp.ingest.sheets import REQUIRED_FIELDS, open_sheet, preview_sheet

HEADER = ["Case No.", "Defendant", "Date of Birth", "Charge", "F/M", "DISPO", "Conviction Date",
          "Arrest Date", "CII", "Sentence"]


def set_cached_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the cached value Excel would have saved (openpyxl saves none)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode()
                text = re.sub(rf'(<c r="{cell}")([^>]*)>(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
                              rf'\1 t="str"\2>\3<v>{value}</v>', text)
                data = text.encode()
            zout.writestr(item, data)
    tmp.replace(path)


@pytest.fixture
def court_xlsx(tmp_path) -> Path:
    """A notes sheet first; the list on the second sheet under a merged title, starting at B5."""
    path = tmp_path / "court list.xlsx"
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Prepared for the court"
    ws = wb.create_sheet("Convictions")
    ws["B2"] = "SUPERIOR COURT OF CALIFORNIA, COUNTY OF FRESNO"
    ws.merge_cells("B2:K2")
    ws["B3"] = "Proposition 64 list"
    rows = [
        HEADER,
        ["BA123456", "SMITH, JOHN A", datetime(1970, 4, 15), "11357(C)HS-POSS MARIJUANA OVER 1 OZ",
         "FEL", "CONVICTED", datetime(1995, 3, 1), "03/01/1994", "A12345678",
         "JAIL 90 D; PROBATION 3 Y"],
        ["BA123457", "Smith, John", datetime(1970, 4, 15), "664/11359 HS", "Misd", "CONVICTED",
         34000, "19940101", None, None],
        ["BA123458", "DOE, JANE", "19700000", "SEE COMMENT", "W", "CONVICTED", "not a date",
         None, None, None],
        [None, "ROE, RICHARD", "041589", None, "I", "DISMISSED", "4/5/96", None, None, None],
        ["BA123460", "FORMULA, PAT", None, None, "M", None, "1995-05-05", None, None, None],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.cell(row=5 + r, column=2 + c, value=value)
    ws["E10"] = '="11360"&" HS"'
    ws.cell(row=25, column=14).number_format = "0.00"  # a formatted, empty trailing cell
    wb.save(path)
    set_cached_value(path, "E10", "11360 HS")
    return path


def read_all(sheet_file):
    batches = list(sheet_file.batches(batch_size=2))
    rows = [r for b in batches for r in b.rows]
    people = [p for b in batches for p in b.people]
    convictions = [c for b in batches for c in b.convictions]
    errors = [e for b in batches for e in b.errors]
    return batches, rows, people, convictions, errors


def test_preview_finds_the_sheet_and_the_header_under_the_title(court_xlsx):
    p = preview_sheet(court_xlsx, rows=3)
    assert p.sheets == ["Notes", "Convictions"]
    assert p.sheet == "Convictions"
    assert p.headers == HEADER
    assert p.rows[p.header_row] == HEADER  # columns from B: calamine starts at the used range
    assert p.rows[p.header_row - 3][0].startswith("SUPERIOR COURT")
    assert len(p.rows) == p.header_row + 1 + 3
    assert p.mapping["Case No."] == "case_number"
    assert p.mapping["Arrest Date"] == "offense_date"
    assert p.missing == []
    assert re.fullmatch(r"[0-9a-f]{16}", p.layout_key)


def test_rows_records_and_errors(court_xlsx):
    f = open_sheet(court_xlsx)
    assert f.preset == "generic" and f.sheet == "Convictions"
    batches, rows, people, convictions, errors = read_all(f)
    assert [len(b.rows) for b in batches] == [2, 2, 1]
    # Row numbers are the spreadsheet's, so the clerk finds the row in Excel.
    assert [n for n, _ in rows] == [6, 7, 8, 9, 10]
    assert all(len(cells) == len(HEADER) for _, cells in rows)
    first = dict(zip(HEADER, rows[0][1], strict=True))
    assert first["Date of Birth"] == "1970-04-15"  # a real Excel date as ISO text
    assert first["Arrest Date"] == "03/01/1994"  # text exactly as typed
    assert dict(zip(HEADER, rows[1][1], strict=True))["Conviction Date"] == "34000"
    assert rows[4][1][3] == "11360 HS"  # the formula's cached value

    c = convictions[0]
    assert c.person_key == "cii:A12345678" and c.source_rows == [6]
    assert c.section.text == "HS 11357(c)" and c.raw_offense.startswith("11357(C)HS")
    assert (c.level, c.disposition) == ("F", "CONVICTED")
    assert (c.conviction_date, c.offense_date, c.offense_date_source) == (
        "1995-03-01", "1994-03-01", "arrest date")
    assert c.sentence_text == "JAIL 90 D; PROBATION 3 Y"
    assert c.sentence_end == "1998-05-30"  # 3 years then 90 days, calendar-wise
    assert c.sentence_days == 1186

    c = convictions[1]
    assert c.section.text == "HS 11359" and c.section.attempted
    assert c.conviction_date == "1993-01-31"  # Excel serial 34000
    assert c.level == "M"
    assert c.person_key == "name:SMITH,JOHN|1970-04-15"

    c = convictions[2]  # every problem noted, the row still kept
    assert c.source_rows == [8] and c.section is None and c.level is None
    assert c.conviction_date is None and c.case_numbers == ["BA123458"]
    row8 = {e.column: e for e in errors if e.row_number == 8}
    assert set(row8) == {"Charge", "F/M", "Conviction Date"}
    assert row8["Charge"].value == "SEE COMMENT"
    assert row8["F/M"].value == "W" and "level" in row8["F/M"].message
    assert row8["Conviction Date"].value == "not a date"

    # a dismissed count is the person's history, kept with its row, not a conviction
    assert [c.source_rows for c in convictions] == [[6], [7], [8], [10]]
    events = [e for b in batches for e in b.events]
    assert [(e.kind, e.source_row, e.event_date) for e in events] == [
        ("dismissed", 9, "1996-04-05")]
    assert not [e for e in errors if e.row_number == 9]  # nothing missing for a conviction

    assert convictions[3].section.text == "HS 11360"
    assert {e.row_number for e in errors} == {8}
    by_key = {p.key: p for p in people}
    assert by_key["name:DOE,JANE|1970"].dob == "1970"  # partial DOB kept partial
    assert by_key["name:ROE,RICHARD|1989-04-15"].dob == "1989-04-15"  # MMDDYY
    assert len(people) == len(by_key)  # each person once, across batches
    assert by_key["cii:A12345678"].name == "SMITH, JOHN A"


def test_total_rows_counts_the_rows_below_the_header(court_xlsx):
    f = open_sheet(court_xlsx)
    assert f.total_rows is not None and f.total_rows >= 5
    assert f.header_index == 4


def test_sheet_can_be_chosen_and_a_wrong_name_is_refused(court_xlsx):
    with pytest.raises(UnknownLayout, match="sheet 'Notes'"):
        open_sheet(court_xlsx, sheet="Notes")
    with pytest.raises(BadInput, match="Nope"):
        open_sheet(court_xlsx, sheet="Nope")


def test_unknown_layout_is_one_message_naming_headers_and_missing_fields(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Case Number,Last Name,First Name,Conviction Date\nX1,DOE,JOHN,1/2/1990\n",
                    encoding="utf-8")
    with pytest.raises(UnknownLayout) as info:
        open_sheet(path)
    message = str(info.value)
    assert "list.csv" in message and "code_section" in message
    assert "Case Number, Last Name, First Name, Conviction Date" in message
    assert "DOE" not in message and "1990" not in message


def test_map_overrides_detection(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Case Number,Last Name,First Name,Judgment,Stat,Entered\n"
                    "X1,DOE,JOHN,01/02/1990,11357 HS,03/04/2020\n", encoding="utf-8")
    f = open_sheet(path, mapping={"Stat": "code_section", "Judgment": "ignore",
                                  "Entered": "conviction_date"})
    assert f.mapping == {"Case Number": "case_number", "Last Name": "last_name",
                         "First Name": "first_name", "Stat": "code_section",
                         "Entered": "conviction_date"}
    (batch,) = f.batches()
    assert batch.convictions[0].conviction_date == "2020-03-04"
    assert batch.people[0].name == "DOE,JOHN"
    assert batch.people[0].key == "name:DOE,JOHN|"


def test_a_sheet_without_a_header_row_does_not_leak_its_data(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("SMITH JOHN,04/15/1970,11357 HS\n", encoding="utf-8")
    with pytest.raises(UnknownLayout) as info:
        open_sheet(path)
    assert "SMITH" not in str(info.value) and "1970" not in str(info.value)


def test_windows_csv_with_semicolons(tmp_path):
    path = tmp_path / "win.csv"
    text = ("Docket;True Name;DOB;Statute;Class;Disposition Date;Violation Date\r\n"
            "C1;MU\xd1OZ, JOS\xc9;04/15/70;H&S 11357(A);M;1990-01-02;\r\n")
    path.write_bytes(text.encode("cp1252"))
    (batch,) = open_sheet(path).batches()
    assert batch.rows == [(2, ["C1", "MU\xd1OZ, JOS\xc9", "04/15/70", "H&S 11357(A)", "M",
                               "1990-01-02", ""])]
    assert batch.people[0].name == "MU\xd1OZ, JOS\xc9"
    assert batch.people[0].dob == "1970-04-15"
    c = batch.convictions[0]
    assert c.section.text == "HS 11357(a)" and c.offense_date is None
    assert c.offense_date_source is None


def test_utf8_bom_csv_blank_lines_and_partial_dates(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfCOURTNO,Last Name,First Name,CURRENT_CHARGE,CASE_CLAS,"
                     b"Sentence Date,Offense Date\n\n1,A,B,11360(a)(2) HS,F,19900102,19890000\n"
                     b",,,,,,\n\n")
    f = open_sheet(path)
    assert f.headers[0] == "COURTNO"
    (batch,) = f.batches()
    assert [n for n, _ in batch.rows] == [3]
    c = batch.convictions[0]
    assert (c.offense_date, c.offense_date_source) == ("1989", "offense date")
    assert c.section.text == "HS 11360(a)(2)" and c.level == "F"


def test_repeated_header_rows_are_not_data(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("Case No,Defendant,Charge,Conviction Date\n"
                    "A1,John Doe,11357 HS,1/2/1990\n"
                    "Case No,Defendant,Charge,Conviction Date\n"
                    "A2,Jane Q. Roe,11358 HS,1/3/1990\n", encoding="utf-8")
    (batch,) = open_sheet(path).batches()
    assert [n for n, _ in batch.rows] == [2, 4]
    # Without a comma a name reads FIRST [MIDDLE] LAST.
    assert [c.person_key for c in batch.convictions] == ["name:DOE,JOHN|", "name:ROE,JANE|"]


def test_a_damaged_workbook_is_bad_input_naming_the_file(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(BadInput, match="broken.xlsx"):
        open_sheet(path)


def test_big_sheet_streams_in_batches(tmp_path):
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("List")
    ws.append(["Case Number", "Defendant", "DOB", "Charge", "Level", "Conviction Date"])
    for i in range(2500):
        ws.append([f"C{i}", f"PERSON{i % 700}, ANN", datetime(1960 + i % 30, 1, 1),
                   "11357 HS", "M", datetime(1990, 1, 1 + i % 28)])
    wb.save(path)
    f = open_sheet(path)
    sizes = [len(b.rows) for b in f.batches(batch_size=1000)]
    assert sizes == [1000, 1000, 500]
    assert f.total_rows == 2500


def test_a_case_number_merged_down_belongs_to_each_row(tmp_path):
    path = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Case Number", "Defendant", "Charge", "Conviction Date"])
    ws.append(["F99", "DOE, JOHN", "11357 HS", datetime(1990, 1, 2)])
    ws.append([None, None, "11359 HS", datetime(1990, 1, 2)])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    wb.save(path)
    (batch,) = open_sheet(path).batches()
    assert [c.case_numbers for c in batch.convictions] == [["F99"], ["F99"]]
    assert len(batch.people) == 1 and batch.errors == []


def test_tab_separated_and_preview_of_a_chosen_sheet(tmp_path, court_xlsx):
    path = tmp_path / "list.csv"
    path.write_text("Case Number\tDefendant\tCharge\tConviction Date\n"
                    "A1\tDOE, JOHN\t11357(b) HS\t02/03/1991\n", encoding="utf-8")
    p = preview_sheet(path)
    assert (p.sheets, p.sheet, p.header_row) == ([], None, 0)
    assert p.rows == [p.headers, ["A1", "DOE, JOHN", "11357(b) HS", "02/03/1991"]]
    p = preview_sheet(court_xlsx, sheet="Notes")
    assert p.sheet == "Notes" and p.missing == list(REQUIRED_FIELDS)


def test_a_date_of_birth_that_does_not_read_is_not_in_its_error(tmp_path):
    """A date of birth is personal data: its row error names the row and column and withholds
    the value (it stays in the source row), as the DOJ importer does; other dates keep theirs."""
    path = tmp_path / "court.csv"
    path.write_text(
        "Case No.,Defendant,Date of Birth,Charge,F/M,DISPO,Conviction Date\n"
        "BA1,\"POE, AL\",31/31/1971,11357(C) HS,M,CONVICTED,not a date\n")
    errors = read_all(open_sheet(path))[4]
    by_column = {e.column: e for e in errors}
    dob = by_column["Date of Birth"]
    assert dob.row_number == 2 and not dob.value
    assert "31/31/1971" not in dob.message and "1971" not in dob.message
    assert dob.message.startswith("date of birth:") and "withheld" in dob.message
    assert by_column["Conviction Date"].value == "not a date"
