"""A Superior Court's own case-management export, as a clerk receives it: an .xlsx with title
rows above the header, no county column, real Excel dates, a blank formatted row, the header
printed again on the next "page", counts that ended without a conviction, a row that names no
one, one with no case number, and a footer line. Written with openpyxl by the tests (no binary
is committed), so every test sees exactly what it describes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

HEADER = ["Case Number", "Defendant", "DOB", "Charge", "Level", "Disposition",
          "Disposition Date"]

# (case number, name, dob, charge, level, disposition, disposition date)
CONVICTED = [
    ("SCR-101", "RIVERA, ANA", date(1975, 3, 2), "HS 11357(a)", "F", "Convicted",
     date(1998, 5, 14)),
    ("SCR-102", "OKAFOR, JAMES", date(1969, 8, 30), "HS 11359", "F", "Guilty plea",
     date(2003, 2, 3)),
    ("SCR-103", "NGUYEN, LINH", date(1980, 1, 9), "HS 11360(a)", "F", "Convicted",
     date(2009, 10, 21)),
    ("SCR-104", "WALSH, PETER", date(1972, 12, 1), "HS 11357(b)", "M", "Convicted",
     date(2011, 6, 6)),
    ("SCR-105", "GARCIA, ROSA", date(1985, 7, 17), "HS 11358", "F", "Convicted",
     date(2013, 9, 12)),
    ("SCR-106", "BROWN, TERRENCE", date(1966, 4, 25), "PC 459", "F", "Convicted",
     date(2001, 3, 30)),
]
ENDED = [  # kept as history, not convictions
    ("SCR-107", "KIM, DAVID", date(1979, 5, 5), "HS 11359", "F", "Dismissed",
     date(2004, 1, 15)),
    ("SCR-108", "LOPEZ, MARIA", date(1983, 2, 14), "HS 11357(a)", "M", "Not guilty",
     date(2006, 11, 2)),
    ("SCR-109", "HALL, STEVEN", date(1977, 9, 9), "HS 11360(a)", "F",
     "Diversion completed", date(2008, 7, 7)),
]
NO_NAME = ("SCR-110", "", None, "HS 11357(a)", "F", "Convicted", date(2000, 8, 8))
NO_CASE = ("", "PATEL, ARJUN", date(1981, 6, 3), "HS 11359", "F", "Convicted",
           date(2007, 4, 4))
TITLE = ["SUPERIOR COURT OF CALIFORNIA, COUNTY OF SONOMA",
         "Criminal case index: cannabis charges, 1995-2016"]
FOOTER = "Total records: 11"


def write_court_export(path: Path, *, extra_rows: list[tuple] | None = None) -> Path:
    """The export described above (plus `extra_rows` at the end), at `path`."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Case Index"
    for line in TITLE:
        ws.append([line])
    ws.append([f"Report run {datetime(2026, 11, 30, 8, 15):%m/%d/%Y %H:%M}"])
    ws.append([])
    ws.append(HEADER)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    rows = [*CONVICTED[:3], None, "header", *CONVICTED[3:], *ENDED, NO_NAME, NO_CASE,
            *(extra_rows or [])]
    for row in rows:
        if row is None:  # a blank row the report formats as a band
            ws.append([None] * len(HEADER))
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor="DDDDDD")
            continue
        if row == "header":
            ws.append(HEADER)
            continue
        ws.append(list(row))
        for col in (3, 7):
            ws.cell(ws.max_row, col).number_format = "mm/dd/yyyy"
    ws.append([])
    ws.append([FOOTER])
    wb.save(path)
    return path
