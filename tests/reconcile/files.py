"""Small hand-made DOJ research files and court exports for the reconciliation tests."""

from __future__ import annotations

import csv
from pathlib import Path

from clerkapp.ingest.doj_fields import FIELDS, INDEX

COURT_HEADERS = ["Case Number", "Defendant", "DOB", "CII", "SSN", "Driver License", "Charge",
                 "Level", "Disposition", "Conviction Date"]


def doj_person(subject: str, name: str, dob: str, cii: str, convictions: list[dict],
               ssn: str = "", cdl: str = "", county: str = "LOS ANGELES") -> list[list[str]]:
    """Rows of one DOJ subject: per conviction an arrest step and a court-action step.
    A conviction: {case, offense, level ('F'|'M'), date 'YYYYMMDD'}; `county`: the county
    of its court (the DOJ file is statewide)."""
    rows = []
    for ci, c in enumerate(convictions, start=1):
        for step, kind in ((1, "ARREST/DETAINED/CITED"), (2, "COURT ACTION")):
            row = [""] * len(FIELDS)
            values = {"SUBJECT_ID": subject, "CII_NUMBER": cii, "PRI_NAME": name,
                      "PRI_DOB": dob, "PRI_SSN": ssn, "PRI_CDL": cdl, "CYC_ORDER": f"{ci:03d}",
                      "CYC_DATE": c["date"], "STP_ORDER": f"{step:03d}",
                      "STP_EVENT_DATE": c["date"], "STP_TYPE_DESCR": kind,
                      "STP_ORI_DESCR": f"CASC {county}".strip(), "STP_ORI_CNTY_NAME": county,
                      "CNT_ORDER": f"{ci:03d}{step:03d}001000", "OFFENSE_DESCR": c["offense"],
                      "OFFENSE_TOC": c.get("level", "F"), "END_OF_REC": "#"}
            if step == 2:
                values.update({"OFN": c["case"], "DISP_DESCR": c.get("disp", "CONVICTED-JAIL"),
                               "CONV_STAT_DESCR": {"F": "FELONY", "M": "MISDEMEANOR"}[
                                   c.get("level", "F")]})
            for key, value in values.items():
                row[INDEX[key]] = value
            rows.append(row)
    return rows


def write_doj(path: Path, people: list[list[list[str]]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for rows in people:
            writer.writerows(rows)
    return path


def write_court(path: Path, rows: list[dict]) -> Path:
    """rows: dicts by COURT_HEADERS name; missing ones are empty."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COURT_HEADERS)
        for r in rows:
            writer.writerow([r.get(h, "") for h in COURT_HEADERS])
    return path


def court_row(case: str, name: str, dob: str = "", cii: str = "", charge: str = "HS 11359",
              level: str = "Felony", date: str = "03/15/2005", **extra: str) -> dict:
    return {"Case Number": case, "Defendant": name, "DOB": dob, "CII": cii, "Charge": charge,
            "Level": level, "Disposition": "Convicted", "Conviction Date": date, **extra}


SALE = "11359 HS-POSSESS MARIJUANA FOR SALE"
POSS = "11357(C)HS-POSS MARIJUANA OVER 1 OZ/28.5 GRAM"


def scenario_files(tmp: Path) -> tuple[Path, Path]:
    """One DOJ file and one court export holding one person per rule and status."""
    doj = write_doj(tmp / "doj.csv", [
        # linked by CII, the court writes the case number another way
        doj_person("1", "GARCIA-LOPEZ,MARIA E", "19800304", "11111111",
                   [{"case": "BA100001", "offense": SALE, "date": "20050315"}]),
        # by SSN (no CII in the court's file; the name spelled differently)
        doj_person("2", "SMITH,JOHN", "19700101", "22222222",
                   [{"case": "BA100002", "offense": SALE, "date": "20050315"}], ssn="912345678"),
        # by driver's licence
        doj_person("3", "JONES,ANN", "19710202", "33333333",
                   [{"case": "BA100003", "offense": SALE, "date": "20050315"}], cdl="D1234567"),
        # by name and DOB: First Last, accents, the DOB day and month transposed
        doj_person("4", "NUNEZ,JOSE", "19650708", "44444444",
                   [{"case": "BA100004", "offense": SALE, "date": "20050315"}]),
        # the same person by name and DOB, but the level differs: a conflict
        doj_person("5", "TRAN,MINH", "19750505", "55555555",
                   [{"case": "BA100005", "offense": SALE, "date": "20050315", "level": "F"}]),
        # a typo, the DOB partly known, another case number: the clerk decides
        doj_person("6", "HERNANDEZ,ROSA", "19820911", "66666666",
                   [{"case": "BA100006", "offense": SALE, "date": "20050315"}]),
        # only on the DOJ list: a file to pull
        doj_person("7", "PATEL,RAJ", "19900101", "77777777",
                   [{"case": "BA100007", "offense": POSS, "date": "20050315", "level": "M"}]),
        # the same case number, the name written with an alias, no DOB on the court side
        doj_person("8", "WASHINGTON,TYRONE", "19600606", "88888888",
                   [{"case": "BA100008", "offense": SALE, "date": "20050315"}]),
    ])
    court = write_court(tmp / "court.csv", [
        court_row("BA-0100001-01", "Maria Garcia Lopez", "03/04/1980", "11111111"),
        court_row("BA100002", "John Q Smith", "01/01/1970", SSN="912-34-5678"),
        court_row("BA100003", "Ann Jones", "", **{"Driver License": "D1234567"}, CII=""),
        court_row("LA BA100004", "José Núñez", "08/07/1965"),
        court_row("BA100005", "Minh Tran", "05/05/1975", level="Misdemeanor"),
        court_row("CR-06-123", "Rosa Hernadnez", "1982"),  # the case numbered otherwise
        court_row("BA100009", "Keisha Bell", "02/02/1988"),  # only the court holds it
        court_row("BA100008", "TY WASHINGTON AKA TYRONE WASHINGTON", "", "88888888"),
        court_row("BA100010", "", "01/01/1990"),  # no name
        court_row("BA100011", "Lee Park", ""),  # neither DOB nor CII
    ])
    return doj, court
