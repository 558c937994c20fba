"""gogen's golden case (configurable_flow.xlsx) written as the DOJ csv BEAR read."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from .tests_rules_paths import gogen

DETERMINATION = {"Eligible for Dismissal": "dismiss_and_seal",
                 "Eligible for Reduction": "redesignate_misdemeanor"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_golden_csv(out: Path) -> dict[int, tuple[str, str]]:
    """Columns B-CR with row 2 as the header; returns csv row number -> (expected outcome,
    BEAR's reason) for the 18 rows gogen determines."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(gogen("configurable_flow.xlsx"), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    header = rows[1]
    det, why = header.index("Eligibility Determination"), header.index("Eligibility Reason")
    expected = {}
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([_text(v) for v in header[1:96]])
        for n, row in enumerate(rows[2:], start=2):  # csv row numbers: header is row 1
            w.writerow([_text(v) for v in row[1:96]])
            if row[0] is True:
                expected[n] = (DETERMINATION[row[det]], row[why])
    return expected
