"""The DOJ research-file reader: gogen's fixtures read in place, hand-made rows for the edge
cases, and imports through the real service into a real SQLite store."""

from __future__ import annotations

import csv
import dataclasses
import subprocess
import sys

import pytest

from clerkapp.errors import BadInput
from clerkapp.ingest.doj import looks_like_doj, open_doj
from clerkapp.ingest.doj_fields import FIELDS, INDEX
from tests.conftest import REPO_ROOT, gogen_file


def parse(path, batch_size=5000):
    """Everything the file yields, flattened: (rows, people, convictions, events, errors)."""
    out = ([], [], [], [], [])
    for batch in open_doj(path).batches(batch_size):
        for acc, part in zip(out, (batch.rows, batch.people, batch.convictions, batch.events,
                                   batch.errors), strict=True):
            acc.extend(part)
    return out


def doj_row(**values: str) -> list[str]:
    row = [""] * 95
    defaults = {"SUBJECT_ID": "1001", "PRI_NAME": "TESTPERSON,ALPHA", "PRI_DOB": "19700101",
                "CII_NUMBER": "900000001", "STP_TYPE_DESCR": "COURT ACTION",
                "STP_ORI_CNTY_NAME": "LOS ANGELES", "STP_ORI_DESCR": "CASC LOS ANGELES"}
    for name, value in {**defaults, **values}.items():
        row[INDEX[name]] = value
    return row


def conviction_row(**values: str) -> list[str]:
    base = {"CYC_ORDER": "001", "CYC_DATE": "19990301", "STP_EVENT_DATE": "19990415",
            "CNT_ORDER": "001002001000", "OFFENSE_DESCR": "11359 HS-POSSESS MARIJUANA FOR SALE",
            "OFFENSE_TOC": "F", "DISP_DESCR": "CONVICTED-JAIL", "CONV_STAT_DESCR": "FELONY",
            "OFN": "BA123456", "SENT_LOC_DESCR": "JAIL", "SENT_LENGTH": "90", "SENT_TIME_CODE": "D"}
    return doj_row(**{**base, **values})


def write(path, rows, header=True):
    with open(path, "w", newline="") as handle:
        w = csv.writer(handle)
        if header:
            w.writerow(FIELDS)
        w.writerows(rows)
    return path


# -- gogen's fixtures ----------------------------------------------------------------------

def test_gogen_files_are_detected():
    assert looks_like_doj(gogen_file("no_headers.csv")) and looks_like_doj(gogen_file("extra_comma.csv")) and looks_like_doj(gogen_file("bad.csv"))
    assert open_doj(gogen_file("no_headers.csv")).preset == "doj"
    assert open_doj(gogen_file("extra_comma.csv")).headers == list(FIELDS)  # trailing empty header dropped


def test_no_headers_and_extra_comma_give_the_same_records():
    a = parse(gogen_file("no_headers.csv"))
    b = parse(gogen_file("extra_comma.csv"))
    assert len(a[0]) == len(b[0]) == 38
    assert [r for _, r in a[0]] == [r for _, r in b[0]]
    # Row numbers differ by the header row; everything else is identical.
    assert [n + 1 for n, _ in a[0]] == [n for n, _ in b[0]]
    shifted = [dataclasses.replace(c, source_rows=[n + 1 for n in c.source_rows]) for c in a[2]]
    assert shifted == b[2]
    assert a[1] == b[1]
    assert [dataclasses.replace(e, source_row=e.source_row + 1) for e in a[3]] == b[3]
    assert len({p.key for p in a[1]}) == 11
    assert len(a[2]) == 28


def test_gogen_records_carry_what_the_rules_need():
    rows, people, convictions, events, errors = parse(gogen_file("no_headers.csv"))
    assert errors == []
    bird = [c for c in convictions if c.person_key == "doj:17954908"]
    first = bird[0]
    assert first.section.text == "HS 11357(c)"
    assert (first.level, first.conviction_date, first.sentence_days, first.sentence_end) == (
        "F", "1979-06-01", 90, "1979-08-30")
    assert first.case_numbers == ["998877"]
    assert first.county == "SAN JOAQUIN"
    assert first.raw_offense == "11357(C)HS-POSSESS MARIJUANA"
    kinds = {(e.person_key, e.kind, e.event_date) for e in events}
    assert ("doj:17954908", "registration", "1979-06-01") in kinds
    assert ("doj:17954908", "deceased", "1979-05-25") in kinds
    reg = next(e for e in events if e.kind == "registration")
    assert reg.section.code == "PC" and reg.section.number == "290"
    # Rows 21 and 22 share a CNT_ORDER: one conviction whose sentence parts add up.
    oscar = next(c for c in convictions if 21 in c.source_rows)
    assert oscar.source_rows == [21, 22]
    assert oscar.sentence_text == "PROBATION 6 M; FINE"
    assert oscar.sentence_end == "2017-09-12" and oscar.level == "M"
    # SEE COMMENT FOR CHARGE: the charge comes from the comment; both texts kept.
    elmo = next(c for c in convictions if 14 in c.source_rows)
    assert elmo.raw_offense == "SEE COMMENT FOR CHARGE"
    assert elmo.comment_text == "11358 HS-CULTIVATE CANNABIS"
    assert elmo.section.text == "HS 11358" and "offense_from_comment" in elmo.flags
    people_by_key = {p.key: p for p in people}
    assert people_by_key["doj:18675309"].name == "SKYWALKER,LUKE S"
    assert people_by_key["doj:18675309"].dob == "1960-03-14"
    assert people_by_key["doj:18675309"].cii == "1008675309"
    dismissed = [e for e in events if e.kind == "dismissed"]
    assert any(e.text.startswith("DISMISSED/CHARGE DROPPED") for e in dismissed)


def test_bad_csv_is_refused_naming_file_and_row():
    with pytest.raises(BadInput) as info:
        list(open_doj(gogen_file("bad.csv")).batches())
    assert "bad.csv" in str(info.value) and "row 1" in str(info.value)
    assert "SKYWALKER" not in str(info.value)


def test_cli_refuses_bad_csv_with_exit_2_and_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "clerkapp", "--db", str(tmp_path / "c.db"), "import", str(gogen_file("bad.csv"))],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bad.csv" in lines[0] and "row 1" in lines[0]


# -- damaged and foreign files -------------------------------------------------------------

def test_a_short_row_mid_file_refuses_the_whole_import(tmp_path, store):
    from clerkapp.ingest.service import import_files

    rows = [conviction_row(SUBJECT_ID=str(1000 + i)) for i in range(6)]
    rows[4] = rows[4][:94]
    path = write(tmp_path / "short.csv", rows)
    with pytest.raises(BadInput) as info:
        import_files(store, [path])
    assert "short.csv" in str(info.value) and "row 6" in str(info.value)
    assert "TESTPERSON" not in str(info.value)
    assert store.conn.execute("SELECT count(*) FROM convictions").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM source_rows").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_empty_binary_and_undecodable_files_are_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "zip.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)) * 4)
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02]) * 50)
    for path in (empty, binary, garbage):
        with pytest.raises(BadInput) as info:
            open_doj(path)
        assert path.name in str(info.value)
        assert not looks_like_doj(path)


def test_a_wrong_header_names_the_column(tmp_path):
    path = tmp_path / "renamed.csv"
    header = list(FIELDS)
    header[12] = "FULL_NAME"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows([header, conviction_row()])
    with pytest.raises(BadInput) as info:
        open_doj(path)
    assert "column 13" in str(info.value) and "FULL_NAME" in str(info.value)


def test_detection_rejects_other_layouts(tmp_path):
    sheet = tmp_path / "court.csv"
    sheet.write_text("Case No,Defendant,DOB,Charge\nBA1,TESTPERSON,01/01/1970,11357 HS\n")
    narrow = write(tmp_path / "narrow.csv", [conviction_row()[:94]], header=False)
    assert not looks_like_doj(sheet)
    assert not looks_like_doj(narrow)
    assert looks_like_doj(write(tmp_path / "headless.csv", [conviction_row()], header=False))


# -- building records ----------------------------------------------------------------------

def test_multi_part_sentence_case_numbers_and_level(tmp_path):
    rows = [
        conviction_row(OFN="NULL  ", FE_NUM_CRT_CASE="BA123456-01", FE_NUM_DOCKET="D55",
                       CONV_STAT_DESCR="", OFFENSE_TOC="M", SENT_ORDER="1"),
        conviction_row(OFN="BA777", SENT_LOC_DESCR="PROBATION", SENT_LENGTH="3",
                       SENT_TIME_CODE="Y", SENT_ORDER="2"),
        # The same part repeated on another row (same SENT_ORDER) counts once.
        conviction_row(OFN="BA777", SENT_LOC_DESCR="PROBATION", SENT_LENGTH="3",
                       SENT_TIME_CODE="Y", SENT_ORDER="2"),
    ]
    _, _, convictions, _, errors = parse(write(tmp_path / "s.csv", rows))
    assert errors == []
    (c,) = convictions
    assert c.source_rows == [2, 3, 4]
    assert c.sentence_text == "JAIL 90 D; PROBATION 3 Y"
    assert c.sentence_end == "2002-07-14"  # 1999-04-15 + 3 years + 90 days
    assert c.sentence_days == 1186
    assert c.case_numbers == ["BA123456-01", "D55", "BA777"]
    assert c.level == "M"  # CONV_STAT_DESCR blank: OFFENSE_TOC decides
    assert (c.offense_date, c.offense_date_source) == ("1999-03-01", "arrest date")
    assert (c.cycle_key, c.count_key) == ("001", "001002001000")


def test_unknown_sentence_length_stays_unknown(tmp_path):
    rows = [conviction_row(SENT_LOC_DESCR="PROBATION", SENT_LENGTH="", SENT_TIME_CODE=""),
            conviction_row(SUBJECT_ID="2", SENT_LOC_DESCR="", SENT_LENGTH="", SENT_TIME_CODE=""),
            conviction_row(SUBJECT_ID="3", SENT_LOC_DESCR="FINE", SENT_LENGTH="", SENT_TIME_CODE="")]
    _, _, (a, b, c), _, _ = parse(write(tmp_path / "u.csv", rows))
    assert (a.sentence_days, a.sentence_end, a.sentence_text) == (None, None, "PROBATION")
    assert (b.sentence_days, b.sentence_end, b.sentence_text) == (None, None, None)
    assert (c.sentence_days, c.sentence_end) == (0, "1999-04-15")


def test_flags_for_the_rules(tmp_path):
    rows = [
        conviction_row(SUBJECT_ID="1", OFFENSE_DESCR="11357(A) HS-POSS CONCENTRATED CANNABIS",
                       COMMENT_TEXT="11357(C) HS-POSS MARIJUANA OVER 1 OZ"),
        conviction_row(SUBJECT_ID="2", COMMENT_TEXT="CONV SET ASIDE & DISM PER 1203.4 PC"),
        conviction_row(SUBJECT_ID="3", SENT_LOC_DESCR="SEE COMMENT", SENT_LENGTH="",
                       SENT_TIME_CODE=""),
        conviction_row(SUBJECT_ID="4", OFFENSE_DESCR="11359 HS-POSS FOR SALE",
                       COMMENT_TEXT="11359 HS-POSS MARIJUANA FOR SALE"),
    ]
    _, _, convictions, _, _ = parse(write(tmp_path / "f.csv", rows))
    flags = {c.person_key: c.flags for c in convictions}
    assert flags["doj:1"] == ["offense_comment_disagree"]
    assert convictions[0].section.text == "HS 11357(a)"
    assert convictions[0].comment_text == "11357(C) HS-POSS MARIJUANA OVER 1 OZ"
    assert flags["doj:2"] == ["set_aside_1203_4"]
    assert flags["doj:3"] == ["sentence_see_comment"]
    assert flags["doj:4"] == []  # the same subsection in both texts is no disagreement


def test_row_problems_are_kept_as_errors_and_the_conviction_stays(tmp_path):
    rows = [conviction_row(CYC_ORDER="x", CYC_DATE="x       ", PRI_DOB="19991399",
                           OFFENSE_DESCR="UNKNOWN LOCAL ORDINANCE", STP_EVENT_DATE="2001")]
    _, people, convictions, _, errors = parse(write(tmp_path / "e.csv", rows))
    (c,) = convictions
    assert c.cycle_key is None and c.offense_date is None and c.section is None
    assert c.conviction_date == "2001"  # partial date kept partial
    cols = {(e.row_number, e.column) for e in errors}
    assert cols == {(2, "CYC_ORDER"), (2, "CYC_DATE"), (2, "PRI_DOB"), (2, "OFFENSE_DESCR")}
    dob_error = next(e for e in errors if e.column == "PRI_DOB")
    assert dob_error.value is None and "19991399" not in dob_error.message
    assert people[0].dob is None


def test_partial_dob_and_identifiers_kept_out_of_records(tmp_path):
    rows = [conviction_row(PRI_DOB="19700000", PRI_SSN="000123456", PRI_CDL="X7654321",
                           FBI_NUMBER="000999XX0", GENDER="M", RACE_DESCR="OTHER")]
    raw, people, convictions, events, _ = parse(write(tmp_path / "p.csv", rows))
    assert people[0].dob == "1970" and people[0].gender == "M" and people[0].race == "OTHER"
    built = repr((people, convictions, events))
    for secret in ("000123456", "X7654321", "000999XX0"):
        assert secret not in built
        assert secret in raw[0][1]  # only the verbatim source row holds them


def test_batches_end_between_people(tmp_path):
    rows = []
    for subject, n in (("1", 2), ("2", 4), ("3", 1), ("4", 3)):
        rows += [conviction_row(SUBJECT_ID=subject, CNT_ORDER=f"00100200{i}000") for i in range(n)]
    batches = list(open_doj(write(tmp_path / "b.csv", rows)).batches(3))
    assert [len(b.rows) for b in batches] == [6, 4]
    seen = [{r[INDEX["SUBJECT_ID"]] for _, r in b.rows} for b in batches]
    assert seen == [{"1", "2"}, {"3", "4"}]
    for b in batches:
        keys = {p.key for p in b.people}
        assert {c.person_key for c in b.convictions} <= keys


def test_a_person_reappearing_later_is_one_person_in_the_store(tmp_path, store):
    from clerkapp.ingest.service import import_files

    rows = [conviction_row(SUBJECT_ID="7"), conviction_row(SUBJECT_ID="8"),
            conviction_row(SUBJECT_ID="7", CNT_ORDER="002002001000", CYC_ORDER="002")]
    (summary,) = import_files(store, [write(tmp_path / "r.csv", rows)])
    assert summary.preset == "doj" and summary.rows == 3 and summary.convictions == 3
    people = store.conn.execute("SELECT subject_key FROM people ORDER BY subject_key").fetchall()
    assert [p[0] for p in people] == ["doj:7", "doj:8"]


def test_gogen_file_through_the_import_service(store):
    from clerkapp.ingest.service import import_files

    (summary,) = import_files(store, [gogen_file("extra_comma.csv")])
    assert (summary.preset, summary.rows, summary.convictions) == ("doj", 38, 28)
    got = store.conn.execute(
        "SELECT code_section, level, conviction_date FROM convictions WHERE count_key = ?"
        " AND person_id = (SELECT id FROM people WHERE subject_key = 'doj:17954908')",
        ("101001008000",),
    ).fetchone()
    assert tuple(got) == ("HS 11357(c)", "F", "1979-06-01")
    deceased = store.conn.execute(
        "SELECT deceased FROM people WHERE subject_key = 'doj:17954908'").fetchone()[0]
    assert deceased == 1


def test_a_research_file_resaved_as_a_workbook(tmp_path):
    """Excel turns digit strings into numbers on re-save; the reader turns them back."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(FIELDS))
    row = conviction_row()
    for name in ("SUBJECT_ID", "PRI_DOB", "CYC_DATE", "STP_EVENT_DATE", "SENT_LENGTH"):
        row[INDEX[name]] = int(row[INDEX[name]])
    ws.append([v if v != "" else None for v in row])
    ws.cell(row=2, column=120, value=None)
    path = tmp_path / "resaved.xlsx"
    wb.save(path)
    assert looks_like_doj(path)
    _, people, (c,), _, errors = parse(path)
    assert errors == [] and people[0].key == "doj:1001" and people[0].dob == "1970-01-01"
    assert (c.conviction_date, c.offense_date, c.sentence_days) == ("1999-04-15", "1999-03-01", 90)


def test_auto_detection_loads_a_workbook_once(tmp_path, monkeypatch):
    """python-calamine reads a whole sheet even for its first row: detecting a research file
    saved as a workbook must not read it a second time to import it."""
    from openpyxl import Workbook

    from clerkapp.ingest import doj
    from clerkapp.ingest.service import open_parsed_file

    wb = Workbook()
    ws = wb.active
    ws.append(list(FIELDS))
    for i in range(5):
        ws.append(conviction_row(SUBJECT_ID=str(2000 + i)))
    path = tmp_path / "research.xlsx"
    wb.save(path)
    loads = []
    real = doj._xlsx_sheet
    monkeypatch.setattr(doj, "_xlsx_sheet", lambda p: loads.append(p) or real(p))
    parsed = open_parsed_file(path)  # preset auto
    assert parsed.preset == "doj" and sum(len(b.rows) for b in parsed.batches()) == 5
    assert len(loads) == 1


def test_windows_1252_text_is_read_and_damage_past_the_sniff_is_refused(tmp_path):
    accented = tmp_path / "cp1252.csv"
    row = conviction_row(PRI_NAME="TESTPERSÓN,ÑAME")
    accented.write_bytes((",".join(FIELDS) + "\n" + ",".join(row) + "\n").encode("cp1252"))
    with pytest.raises(BadInput) as info:  # the unquoted comma in the name shifted the row
        parse(accented)
    assert "row 2" in str(info.value) and "96 fields" in str(info.value)
    assert "TESTPERS" not in str(info.value)
    write(accented, [row])
    accented.write_bytes(accented.read_text().encode("cp1252"))
    assert parse(accented)[1][0].name == "TESTPERSÓN,ÑAME"

    rows = [conviction_row(SUBJECT_ID=str(i)) for i in range(400)]  # well past 64 KB
    damaged = write(tmp_path / "nul.csv", rows)
    damaged.write_bytes(damaged.read_bytes() + b",,1,\x00,\n")
    with pytest.raises(BadInput) as info:
        parse(damaged)
    assert "nul.csv" in str(info.value) and "row 402" in str(info.value)
