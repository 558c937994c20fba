"""A DOJ csv written here -> `clerkapp import` -> `evaluate` -> `export` csv -> outcomes."""

from __future__ import annotations

import csv
import subprocess
import sys

from clerkapp.ingest.doj_fields import FIELDS


def clerkapp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clerkapp", *args], capture_output=True,
                          text=True, timeout=120)


def doj_row(subject, dob, cyc, cyc_date, step_date, step, county, cnt, offense, toc, disp="",
            level="", sent=("", "", ""), ofn=""):
    values = dict.fromkeys(FIELDS, "")
    values.update(
        RECORD_ID="1", SUBJECT_ID=subject, PRI_NAME="TESTPERSON,ALPHA", PRI_DOB=dob,
        CII_NUMBER=f"A{subject}", CYC_ORDER=cyc, CYC_DATE=cyc_date, STP_EVENT_DATE=step_date,
        STP_TYPE_DESCR=step, STP_ORI_CNTY_NAME=county, CNT_ORDER=cnt, OFN=ofn,
        OFFENSE_DESCR=offense, OFFENSE_TOC=toc, DISP_DESCR=disp, CONV_STAT_DESCR=level,
        SENT_LOC_DESCR=sent[0], SENT_LENGTH=sent[1], SENT_TIME_CODE=sent[2],
    )
    return [values[f] for f in FIELDS]


ROWS = [
    # person 100: an 11359 felony whose sentence comes in two parts (one conviction)
    doj_row("100", "19800615", "001", "20050615", "20050615", "ARREST/DETAINED/CITED",
            "SACRAMENTO", "001001001000", "11359 HS-POSS MARIJ FOR SALE", "F"),
    doj_row("100", "19800615", "001", "20050615", "20050901", "COURT ACTION", "SACRAMENTO",
            "001002001000", "11359 HS-POSS MARIJ FOR SALE", "F", "CONVICTED-JAIL", "FELONY",
            ("JAIL", "90", "D"), "05F001"),
    doj_row("100", "19800615", "001", "20050615", "20050901", "COURT ACTION", "SACRAMENTO",
            "001002001000", "11359 HS-POSS MARIJ FOR SALE", "F", "CONVICTED-JAIL", "FELONY",
            ("PROBATION", "20", "Y"), "05F001"),
    # person 100: conduct after Prop 64 took effect
    doj_row("100", "19800615", "002", "20170101", "20170214", "COURT ACTION", "SACRAMENTO",
            "002001001000", "11358 HS-CULTIVATE MARIJUANA", "F", "CONVICTED-PROBATION", "FELONY",
            ofn="17F002"),
    doj_row("100", "19800615", "003", "20100101", "20100301", "COURT ACTION", "SACRAMENTO",
            "003001001000", "459 PC-BURGLARY", "M", "CONVICTED-PROBATION", "MISDEMEANOR",
            ofn="10M003"),
    # person 200: a super strike before the cannabis offense
    doj_row("200", "19700101", "001", "19940601", "19950101", "COURT ACTION", "SACRAMENTO",
            "001001001000", "187 PC-MURDER", "F", "CONVICTED-PRISON", "FELONY", ofn="95F001"),
    doj_row("200", "19700101", "002", "19991201", "20000101", "COURT ACTION", "SACRAMENTO",
            "002001001000", "11360(A) HS-TRANSPORT MARIJ", "F", "CONVICTED-PROBATION", "FELONY",
            ofn="00F002"),
    # person 300: another county
    doj_row("300", "19750101", "001", "20050101", "20050301", "COURT ACTION", "YOLO",
            "001001001000", "11357(B) HS-POSS MARIJ LESS THAN 1 OZ", "M", "CONVICTED-FINE",
            "MISDEMEANOR", ofn="05M009"),
]


def test_import_evaluate_export(tmp_path):
    data = tmp_path / "doj.csv"
    with data.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(FIELDS)
        w.writerows(ROWS)
    db = str(tmp_path / "clerk.db")
    done = clerkapp("--db", db, "import", str(data), "--by", "test")
    assert done.returncode == 0, done.stderr
    done = clerkapp("--db", db, "evaluate", "--as-of", "2020-01-01", "--county", "Sacramento")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("run 1: policy statute")
    assert "redesignate_misdemeanor: 1" in lines and "not_eligible: 2" in lines
    assert "not_applicable: 3" in lines and "total: 6" in lines
    out = tmp_path / "out.csv"
    done = clerkapp("--db", db, "export", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    got = {(r["case_number"], r["code_section"]): r for r in rows}
    assert len(rows) == 6  # two sentence-part rows made one conviction
    sale = got[("05F001", "HS 11359")]
    assert (sale["outcome"], sale["remedy"]) == ("redesignate_misdemeanor", "resentence")
    assert "arrest date 2005-06-15" in sale["reasons"] and "HS 11359(b)" in sale["authority"]
    assert got[("17F002", "HS 11358")]["outcome"] == "not_eligible"
    assert "on or after 2016-11-09" in got[("17F002", "HS 11358")]["reasons"]
    assert got[("00F002", "HS 11360(a)")]["outcome"] == "not_eligible"
    assert "super strike" in got[("00F002", "HS 11360(a)")]["reasons"]
    assert got[("05M009", "HS 11357(b)")]["outcome"] == "not_applicable"
    assert got[("10M003", "PC 459")]["outcome"] == "not_applicable"


def test_bad_policy_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[options]\npriors_counting = 'sometimes'\n")
    done = clerkapp("--db", str(tmp_path / "c.db"), "evaluate", "--policy", str(bad))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "options.priors_counting" in done.stderr
    assert str(bad) in done.stderr
    done = clerkapp("--db", str(tmp_path / "c.db"), "evaluate", "--as-of", "2020-13-01")
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr
