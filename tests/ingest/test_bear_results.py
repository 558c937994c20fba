"""BEAR result files: the 95 DOJ fields plus BEAR's result columns, read as preset `bear`.

gogen's golden case (`configurable_flow.xlsx`, columns B to the end) has exactly the shape of
BEAR's All_Results.csv; the test writes those columns to a csv and reads it back.
"""

from __future__ import annotations

import csv

import pytest
from python_calamine import CalamineWorkbook

from clerkapp.ingest.doj import looks_like_doj, open_doj
from clerkapp.ingest.doj_fields import FIELDS, INDEX
from tests.conftest import gogen_file

# BEAR's words -> clerkapp outcome, restated here from the task rather than imported.
EXPECTED = {
    "Eligible for Dismissal": "dismiss_and_seal",
    "Eligible for Reduction": "redesignate_misdemeanor",
    "Not eligible": "not_eligible",
}


def cell(value) -> str:
    """A calamine value as the csv BEAR writes would hold it (no `.0` on whole numbers)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


@pytest.fixture
def bear_csv(tmp_path):
    rows = CalamineWorkbook.from_path(str(gogen_file("configurable_flow.xlsx"))) \
        .get_sheet_by_index(0).to_python()
    header, data = rows[1], rows[2:]
    path = tmp_path / "All_Results.csv"
    with open(path, "w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow([cell(v) for v in header[1:]])
        for row in data:
            w.writerow([cell(v) for v in row[1:]])
    # (csv row number, determination, reason) of the rows gogen determined (column A true)
    determined = [(i + 2, row[-2], row[-1]) for i, row in enumerate(data) if row[0] is True]
    return path, determined


def test_bear_file_is_detected_with_its_result_columns(bear_csv):
    path, _ = bear_csv
    assert looks_like_doj(path)
    parsed = open_doj(path)
    assert parsed.preset == "bear"
    assert parsed.headers[:95] == list(FIELDS)
    assert parsed.headers[-2:] == ["Eligibility Determination", "Eligibility Reason"]
    assert parsed.total_rows == 38


def test_the_18_determined_rows_carry_the_prosecutor_outcome(bear_csv):
    path, determined = bear_csv
    assert len(determined) == 18
    convictions = [c for b in open_doj(path).batches() for c in b.convictions]
    by_row = {n: c for c in convictions for n in c.source_rows}
    for row_number, determination, reason in determined:
        c = by_row[row_number]
        assert c.prosecutor_outcome == EXPECTED[determination], row_number
        assert c.prosecutor_reason == reason
    # Convictions BEAR did not determine carry no prosecutor outcome.
    determined_rows = {n for n, _, _ in determined}
    others = [c for c in convictions if not set(c.source_rows) & determined_rows]
    assert others and all(c.prosecutor_outcome is None for c in others)
    assert {c.prosecutor_outcome for c in convictions} >= {"dismiss_and_seal",
                                                          "redesignate_misdemeanor"}


def test_not_eligible_and_anything_else(tmp_path):
    header = [*FIELDS, "Case Number", "Eligibility Determination", "Eligibility Reason"]
    rows = []
    for subject, determination in (("1", "Not eligible"), ("2", "Hand Review"), ("3", "")):
        row = [""] * 95
        for name, value in {"SUBJECT_ID": subject, "DISP_DESCR": "CONVICTED-JAIL",
                            "OFFENSE_DESCR": "11359 HS-POSS FOR SALE", "CNT_ORDER": "001002001000",
                            "STP_EVENT_DATE": "20010101"}.items():
            row[INDEX[name]] = value
        rows.append([*row, "BA1", determination, f"reason {subject}" if determination else ""])
    path = tmp_path / "Prop64_Results.csv"
    with open(path, "w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    convictions = [c for b in open_doj(path).batches() for c in b.convictions]
    got = [(c.prosecutor_outcome, c.prosecutor_reason) for c in convictions]
    assert got == [("not_eligible", "reason 1"), ("needs_review", "reason 2"), (None, None)]


def test_bear_results_reach_the_store(bear_csv, store):
    from clerkapp.ingest.service import import_files

    path, determined = bear_csv
    (summary,) = import_files(store, [path])
    assert summary.preset == "bear"
    n = store.conn.execute(
        "SELECT count(*) FROM convictions WHERE prosecutor_outcome IS NOT NULL").fetchone()[0]
    assert n == len(determined) == 18
