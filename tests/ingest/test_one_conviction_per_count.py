"""Issue 12, point 4: one conviction per count (prop64-rules.md step 7). A later court step on
a count already convicted (probation violation or revocation, modification) is history of that
conviction (a `court_step` event, its rows among the conviction's source rows, its sentence
extending the conviction's), never a second conviction with its own determination, order line
or update-file line. DOJ: a later step of the same cycle listing the same count number, or
saying it is a later step (words in resources/dispositions.toml [later_step]); court sheets:
a row of the same person, case and charge whose disposition says so."""

from __future__ import annotations

import csv

import pytest

from tests.ingest.test_doj import conviction_row, parse, write

FIRST = dict(CNT_ORDER="001002001000", STP_EVENT_DATE="19990415", DISP_DESCR="CONVICTED-PROBATION",
             SENT_LOC_DESCR="PROBATION", SENT_LENGTH="3", SENT_TIME_CODE="Y")


def later(**kw) -> dict:
    base = dict(CNT_ORDER="001003001000", STP_EVENT_DATE="20000610", DISP_DESCR="CONVICTED-JAIL",
                SENT_LOC_DESCR="JAIL", SENT_LENGTH="4", SENT_TIME_CODE="Y")
    return {**base, **kw}


# (name, rows after the first conviction, convictions, court_step events, first's sentence end)
CASES = [
    ("same count relisted at a later step", [later()], 1, 1, "2004-06-10"),
    ("revocation named in the comment, another count number",
     [later(CNT_ORDER="001003002000", COMMENT_TEXT="PROB REVOKED")], 1, 1, "2004-06-10"),
    ("VOP in the disposition", [later(CNT_ORDER="001003004000", DISP_DESCR="CONVICTED-VOP")],
     1, 1, "2004-06-10"),
    ("a disposition that is not a conviction: PROBATION REVOKED",
     [later(DISP_DESCR="PROBATION REVOKED", SENT_LOC_DESCR="", SENT_LENGTH="",
            SENT_TIME_CODE="")], 1, 1, "2002-04-15"),
    ("modification with a sentence of unknown length",
     [later(DISP_DESCR="CONVICTED-PROB MODIFIED", SENT_LENGTH="")], 1, 1, None),
    ("two counts of the same charge in one step are two convictions",
     [later(CNT_ORDER="001002002000", STP_EVENT_DATE="19990415")], 2, 0, "2002-04-15"),
    ("another count number, no words of a later step: two counts",
     [later(CNT_ORDER="001003002000")], 2, 0, "2002-04-15"),
    ("another cycle: another conviction",
     [later(CYC_ORDER="002", CNT_ORDER="002001001000", COMMENT_TEXT="PROB REVOKED")], 2, 0,
     "2002-04-15"),
    ("another charge at the later step",
     [later(OFFENSE_DESCR="11360(A) HS-TRANSPORT MARIJ")], 2, 0, "2002-04-15"),
    ("another case number at the later step",
     [later(OFN="BA999999", COMMENT_TEXT="PROB REVOKED")], 2, 0, "2002-04-15"),
    ("two later steps on one count", [later(), later(CNT_ORDER="001004001000",
                                                     STP_EVENT_DATE="20010101",
                                                     DISP_DESCR="PROBATION REINSTATED",
                                                     SENT_LOC_DESCR="", SENT_LENGTH="",
                                                     SENT_TIME_CODE="")], 1, 2, "2004-06-10"),
]


@pytest.mark.parametrize(("name", "rows", "n_convictions", "n_steps", "end"), CASES,
                         ids=[c[0] for c in CASES])
def test_later_court_steps_on_a_count(tmp_path, name, rows, n_convictions, n_steps, end):
    data = [conviction_row(**FIRST), *[conviction_row(**r) for r in rows]]
    _, _, convictions, events, errors = parse(write(tmp_path / "d.csv", data))
    assert errors == []
    assert len(convictions) == n_convictions
    first = next(c for c in convictions if c.source_rows[0] == 2)
    steps = [e for e in events if e.kind == "court_step"]
    assert len(steps) == n_steps
    assert not [e for e in events if e.kind == "dismissed"]  # a revocation is no dismissal
    assert first.sentence_end == end
    assert first.conviction_date == "1999-04-15"  # the conviction stays the first step's
    if n_steps:
        assert sorted(first.source_rows) == list(range(2, 3 + len(rows)))
        assert all("later step on the count convicted 1999-04-15" in e.text for e in steps)


def test_one_conviction_one_determination_one_export_line(tmp_path, store):
    """Through the real import and evaluation: the revoked count is one line everywhere."""
    from clerkapp.ingest.service import import_files
    from clerkapp.reports.export import export_rows
    from clerkapp.rules.service import evaluate
    data = [conviction_row(**FIRST, STP_ORI_CNTY_NAME="SACRAMENTO"),
            conviction_row(**later(COMMENT_TEXT="PROB REVOKED", STP_ORI_CNTY_NAME="SACRAMENTO"))]
    import_files(store, [write(tmp_path / "d.csv", data)], operator="test")
    evaluate(store, policy="statute", as_of="2003-01-01", county="SACRAMENTO", operator="t")
    results = store.current_results()
    assert len(results) == 1
    assert results[0][1:3] == ("redesignate_misdemeanor", "resentence")  # jail ends 2004-06-10
    out = tmp_path / "e.csv"
    export_rows(store, out)
    with open(out, newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 1
    kinds = [k for (k,) in store.conn.execute("SELECT kind FROM person_events")]
    assert kinds == ["court_step"]


SHEET = ["Case No", "Defendant", "Date of Birth", "Charge", "F/M", "Disposition",
         "Conviction Date"]
# (second row, convictions, court_step events)
SHEET_CASES = [
    (["A1", "DOE, JANE", "1970-01-01", "11359 HS", "F", "PROBATION VIOLATION - REVOKED",
      "2006-01-01"], 1, 1),
    (["A1", "DOE, JANE", "1970-01-01", "HS 11359", "F", "PROB MODIFIED", "2006-01-01"], 1, 1),
    (["A2", "DOE, JANE", "1970-01-01", "11359 HS", "F", "PROBATION REVOKED", "2006-01-01"], 2, 0),
    (["A1", "DOE, JANE", "1970-01-01", "11360 HS", "F", "PROBATION REVOKED", "2006-01-01"], 2, 0),
    (["A1", "DOE, JANE", "1970-01-01", "11359 HS", "F", "CONVICTED", "2006-01-01"], 2, 0),
    (["A1", "ROE, RICH", "1971-01-01", "11359 HS", "F", "PROBATION REVOKED", "2006-01-01"], 2, 0),
]


@pytest.mark.parametrize(("second", "n_convictions", "n_steps"), SHEET_CASES)
def test_court_sheet_rows_of_a_later_step(tmp_path, second, n_convictions, n_steps):
    from clerkapp.ingest.sheets import open_sheet
    path = tmp_path / "court.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerows([SHEET, ["A1", "DOE, JANE", "1970-01-01", "11359 HS", "F", "CONVICTED",
                             "2005-01-01"], second])
    convictions, events = [], []
    for batch in open_sheet(path).batches():
        convictions += batch.convictions
        events += batch.events
    assert len(convictions) == n_convictions
    steps = [e for e in events if e.kind == "court_step"]
    assert len(steps) == n_steps
    if n_steps:
        assert convictions[0].source_rows == [2, 3]
        assert steps[0].event_date == "2006-01-01"
