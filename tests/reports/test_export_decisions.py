"""The export carries what the clerk decided (decided_outcome, review_note, after the columns
that were there), and its xlsx is one a clerk can work in: real dates, frozen header with
filters, outcomes in words."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.reports.export import EXPORT_COLUMNS, export_rows
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from tests.court_export import write_court_export

BEFORE = ("import_file", "source_row", "person_name", "dob", "cii", "case_number", "county",
          "code_section", "attempted", "offense_level", "conviction_date", "outcome",
          "remedy", "reasons", "authority", "review_status", "reviewed_by", "reviewed_at",
          "prosecutor_outcome", "prosecutor_reason")


@pytest.fixture
def decided(store, tmp_path):
    store.set_setting("court.county", "Sonoma")
    import_files(store, [write_court_export(tmp_path / "index.xlsx")],
                 facts=checked_facts(county="Sonoma"))
    evaluate(store)

    def cid(case):
        return store.conn.execute("SELECT id FROM convictions WHERE case_number = ?",
                                  (case,)).fetchone()[0]
    decide(store, [cid("SCR-104")], "approved", clerk="ana")
    decide(store, [cid("SCR-101")], "approved", clerk="ana", outcome="dismiss_and_seal",
           note="court's own finding of 1999")
    decide(store, [cid("SCR-102")], "denied", clerk="ana", note="plea bargain, see file")
    decide(store, [cid("SCR-103")], "deferred", clerk="ana")
    return store


def test_the_columns_before_keep_their_order_and_the_new_ones_follow(decided, tmp_path):
    assert EXPORT_COLUMNS[:len(BEFORE)] == BEFORE
    assert EXPORT_COLUMNS.index("review_note") == EXPORT_COLUMNS.index("decided_outcome") + 1
    assert EXPORT_COLUMNS.index("decided_outcome") == len(BEFORE)
    export_rows(decided, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as f:
        rows = {r["case_number"]: r for r in csv.DictReader(f)}
    assert (rows["SCR-104"]["decided_outcome"], rows["SCR-104"]["review_note"]) == (
        "dismiss_and_seal", "")
    assert (rows["SCR-101"]["decided_outcome"], rows["SCR-101"]["review_note"]) == (
        "dismiss_and_seal", "court's own finding of 1999")
    assert rows["SCR-101"]["outcome"] == "dismiss_and_seal"  # the override is in force
    assert rows["SCR-102"]["review_status"] == "denied"
    assert rows["SCR-102"]["review_note"] == "plea bargain, see file"
    assert rows["SCR-102"]["decided_outcome"] == "redesignate_misdemeanor"
    assert rows["SCR-103"]["decided_outcome"] == ""  # a deferral decides nothing
    assert rows["SCR-105"]["decided_outcome"] == rows["SCR-105"]["review_note"] == ""


def test_the_xlsx_has_dates_a_frozen_filtered_header_and_a_legend(decided, tmp_path):
    out = tmp_path / "out.xlsx"
    export_rows(decided, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Convictions", "Legend"]
    ws = wb["Convictions"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{ws.max_row}"
    header = [c.value for c in ws[1]]
    assert header[:17] == list(BEFORE[:17]) and header[17] == "reviewed_at (UTC)"
    rows = {r[5]: dict(zip(EXPORT_COLUMNS, r, strict=True))
            for r in ws.iter_rows(min_row=2, values_only=True)}
    walsh = rows["SCR-104"]
    assert walsh["dob"] == datetime(1972, 12, 1) and walsh["conviction_date"] == datetime(
        2011, 6, 6)
    assert isinstance(walsh["reviewed_at"], datetime)
    assert walsh["reviewed_at"].date() <= date.today()
    assert ws.cell(2, EXPORT_COLUMNS.index("dob") + 1).number_format == "yyyy-mm-dd"
    legend = {(r[0], r[1]): r[2] for r in wb["Legend"].iter_rows(min_row=2, values_only=True)}
    key = "outcome, prosecutor_outcome, decided_outcome"
    assert legend[(key, "dismiss_and_seal")] == "Dismiss and seal"
    assert legend[(key, "redesignate_misdemeanor")] == "Redesignate as misdemeanor"
    assert legend[("review_status", "denied")].startswith("Denied")


def test_the_export_cells_are_export_row_s_cells(decided):
    """The export writes its cells from plain tuples (a county's export is hundreds of
    thousands of rows): the same cells as `export_row` gives for the same row as a dict,
    with formula-like cells quoted for the csv; attempts and conspiracies worded."""
    from clerkapp.reports.export import export_cells, export_row
    from clerkapp.reports.export_csv import FORMULA_FIRST

    decided.conn.execute("UPDATE convictions SET attempted = 1 WHERE case_number = 'SCR-101'")
    decided.conn.execute("UPDATE convictions SET conspiracy = 1 WHERE case_number IN"
                         " ('SCR-101', 'SCR-102')")
    decided.conn.execute("UPDATE people SET name = '=HYPERLINK(1)' WHERE id = 1")
    expected = [export_row(r) for r in decided.iter_export_rows()]
    names, rows = decided.export_tuples()
    assert list(export_cells(names, rows)) == expected
    names, rows = decided.export_tuples()
    quoted = list(export_cells(names, rows, quote_formulas=True))
    assert quoted == [[f"'{c}" if c[:1] in FORMULA_FIRST else c for c in cells]
                      for cells in expected]
    words = {cells[EXPORT_COLUMNS.index("attempted")] for cells in expected}
    assert {"attempted conspiracy", "conspiracy", ""} <= words
    assert any(c.startswith("'=") for cells in quoted for c in cells)


def test_the_decisions_packed_in_one_cell_give_the_same_cells(decided):
    """A county's export reads the decisions' columns as one cell, NULL for a conviction
    with none of them (store: PACKED_DECISIONS_SQL): the same cells, whatever the batch
    holds (no decision, some, all) and whatever the texts hold."""
    from clerkapp.reports.export import export_columns, export_row

    decided.conn.execute(
        "UPDATE convictions SET prosecutor_outcome = 'dismiss_and_seal', prosecutor_reason = ?"
        " WHERE case_number = 'SCR-105'", ('line one\r\nline "two", \\ é 日本 =1',))
    decided.conn.execute("UPDATE reviews SET note = ? WHERE note IS NOT NULL",
                         ('{"a": [1]} \t\u2028 ""',))
    expected = [export_row(r) for r in decided.iter_export_rows()]
    assert any(cells[EXPORT_COLUMNS.index("prosecutor_reason")] for cells in expected)
    names, _ = decided.export_tuples(packed=True)
    assert "decisions" in names and "review_note" not in names
    packed = [cell for cell in decided.export_tuples(packed=True)[1]]
    assert any(row[names.index("decisions")] is None for row in packed)
    for size in (1, 2, 3, 100):
        cells = [list(c) for cols in export_columns(names, packed, size=size)
                 for c in zip(*cols, strict=True)]
        assert cells == expected
