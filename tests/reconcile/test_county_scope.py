"""A court acts for its own county, the DOJ file is statewide: the reconciliation and the
impact report count and list only the court's county's convictions, say how many others
they left out, and agree with `clerkapp stats` and the queue for that county."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.reconcile.service import reconcile
from clerkapp.rules.service import evaluate
from clerkapp.store.queue import EVERYTHING, QueueFilter
from tests.reconcile.files import POSS, SALE, court_row, doj_person, write_court, write_doj

LA = "Los Angeles"
SECTIONS = ("11357", "11358", "11359", "11360")


@pytest.fixture
def two_counties(store, tmp_path):
    """A statewide DOJ file: two Los Angeles convictions (one on the court's list), three of
    Orange County, one with no county; the Los Angeles court's export of two."""
    doj = write_doj(tmp_path / "doj.csv", [
        doj_person("1", "GARCIA,MARIA", "19800304", "11111111",
                   [{"case": "BA100001", "offense": SALE, "date": "20050315"}]),
        doj_person("2", "PATEL,RAJ", "19900101", "22222222",
                   [{"case": "BA100002", "offense": POSS, "date": "20050315", "level": "M"}]),
        doj_person("3", "NGUYEN,LAN", "19850505", "33333333",
                   [{"case": "OC300001", "offense": SALE, "date": "20060101"},
                    {"case": "OC300002", "offense": POSS, "date": "20070101", "level": "M"}],
                   county="ORANGE"),
        doj_person("4", "BELL,KEISHA", "19880202", "44444444",  # her Orange case, not LA's
                   [{"case": "OC300003", "offense": SALE, "date": "20050315"}],
                   county="ORANGE"),
        doj_person("5", "DOE,JANE", "19750101", "55555555",
                   [{"case": "XX500001", "offense": SALE, "date": "20050315"}], county=""),
    ])
    court = write_court(tmp_path / "court.csv", [
        court_row("BA-0100001-01", "Maria Garcia", "03/04/1980", "11111111"),
        court_row("BA100009", "Keisha Bell", "02/02/1988"),
    ])
    [doj_import] = import_files(store, [doj])
    import_files(store, [court], facts=checked_facts(county=LA))
    store.set_setting("court.county", LA)
    evaluate(store, as_of="2026-01-01")
    store.doj_import = doj_import.import_id
    return store


def queue_outcomes(store, **narrow) -> Counter:
    """The queue's convictions of the court's county by outcome (every review status)."""
    counts: Counter = Counter()
    for section in SECTIONS:
        for (outcome, _status), n in store.queue_counts(QueueFilter(
                outcome=EVERYTHING, county=LA, code_section=section, **narrow)).items():
            counts[outcome or "not_evaluated"] += n
    return counts


def stats_of(store, capsys) -> dict:
    assert main(["--db", str(store.path), "stats"]) == 0
    return json.loads(capsys.readouterr().out)


def test_reconcile_compares_the_courts_county_only(two_counties, tmp_path, capsys):
    store = two_counties
    summary = reconcile(store, operator="tester")
    assert summary.county == LA
    assert summary.left_out == {"other_counties": 3, "county_not_recorded": 1}
    assert {k: v for k, v in summary.counts.items() if v} == {
        "matched": 1, "doj_only": 1, "court_only": 1}
    # no row holds a conviction of another county (Keisha Bell's Orange case is not hers here)
    counties = {r[0] for r in store.conn.execute(
        "SELECT upper(c.county) FROM reconcile_links l JOIN convictions c"
        " ON c.id IN (l.doj_id, l.court_id)")}
    assert counties == {"LOS ANGELES"}
    # the DOJ side equals the queue's Los Angeles convictions of the DOJ file, and the left
    # out equals what `stats` counts for the other counties
    doj_side = store.conn.execute(
        "SELECT count(*) FROM reconcile_links WHERE doj_id IS NOT NULL").fetchone()[0]
    assert doj_side == sum(queue_outcomes(store, import_id=store.doj_import).values()) == 2
    stats = stats_of(store, capsys)
    assert stats["by_county"]["ORANGE"] == summary.left_out["other_counties"]
    assert stats["by_county"][""] == summary.left_out["county_not_recorded"]
    run = store.last_reconcile_run()
    assert run["county"] == LA and json.loads(run["left_out"]) == summary.left_out
    # the command says which county and what it left out; its file lists only that county
    out = tmp_path / "reconcile.csv"
    assert main(["--db", str(store.path), "reconcile", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == ("Los Angeles County only: 3 convictions of other counties and 1 with"
                         " no county recorded left out")
    with out.open(encoding="utf-8-sig") as handle:
        cases = {r["doj_case_number"] or r["court_case_number"] for r in csv.DictReader(handle)}
    assert cases == {"BA100001", "BA100002", "BA100009"}


def test_a_rerun_for_another_county_drops_the_first_countys_rows(two_counties):
    store = two_counties
    reconcile(store)
    evaluate(store, as_of="2026-01-01", county="Orange")
    summary = reconcile(store)
    assert summary.county == "Orange"
    # the court's export names Los Angeles: none of it is compared for Orange
    assert summary.left_out == {"other_counties": 4, "county_not_recorded": 1}
    assert {k: v for k, v in summary.counts.items() if v} == {"doj_only": 3}
    assert summary.removed == 3


def test_impact_counts_the_courts_county_like_the_queue_and_stats(two_counties, tmp_path,
                                                                   capsys):
    store = two_counties
    reconcile(store)
    stats = stats_of(store, capsys)
    impact = stats["impact"]
    assert impact["county"] == LA
    assert impact["left_out"] == {"other_counties": 3, "county_not_recorded": 1}
    # BA100001 is one conviction on both lists; BA100002 (DOJ) and BA100009 (court) the others
    assert impact["convictions"] == 3 and impact["people"] == 3
    assert Counter(impact["by_outcome"]["convictions"]) == queue_outcomes(store)
    assert (impact["convictions"] + sum(impact["left_out"].values())
            == stats["cannabis_convictions"])
    assert "ORANGE" in stats["by_county"]  # stats itself still counts the whole store
    pdf = tmp_path / "impact.pdf"
    assert main(["--db", str(store.path), "report", str(pdf)]) == 0
    first = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Superior Court of California, County of Los Angeles" in first
    assert ("Los Angeles County's convictions only. The DOJ's file covers the whole state: 3"
            " cannabis convictions of other counties and 1 with no county recorded are left"
            " out.") in first
    assert "Cannabis convictions in the records 3" in first
    assert "Cannabis convictions of other counties (left out) 3" in first


def test_with_no_county_set_every_county_counts_and_it_is_said(store, tmp_path, capsys):
    doj = write_doj(tmp_path / "doj.csv", [
        doj_person("1", "GARCIA,MARIA", "19800304", "11111111",
                   [{"case": "BA100001", "offense": SALE, "date": "20050315"}]),
        doj_person("3", "NGUYEN,LAN", "19850505", "33333333",
                   [{"case": "OC300001", "offense": SALE, "date": "20060101"}],
                   county="ORANGE")])
    court = write_court(tmp_path / "court.csv", [court_row("BA100009", "Keisha Bell",
                                                           "02/02/1988")])
    import_files(store, [doj, court])
    summary = reconcile(store)
    assert summary.county == "" and summary.counts["doj_only"] == 2
    impact = stats_of(store, capsys)["impact"]
    assert impact["county"] == "" and impact["convictions"] == 3
    assert impact["left_out"] == {"other_counties": 0, "county_not_recorded": 0}


def test_the_window_says_which_county_and_what_it_left_out(two_counties, qtbot, tmp_path):
    from clerkapp.ui.dialogs.reconcile_dialog import ReconcileDialog

    dialog = ReconcileDialog(two_counties)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.links_changed, timeout=60000):
        dialog.run_reconciliation()
    assert dialog.last_run.text().endswith(
        "; Los Angeles County only: 3 convictions of other counties and 1 with no county"
        " recorded left out. 3 rows new, 0 changed, 0 as before.")
    assert dialog.model.rowCount() == 3
    dialog.grab().save(str(tmp_path / "reconcile.png"))
