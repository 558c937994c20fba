"""A court's own export with no county column, from import to printed per-case and bulk
orders: the text holds no recital the records do not support (read back with pypdf)."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.orders.service import print_orders
from clerkapp.orders.wording import wording_lines
from clerkapp.review.corrections import correct
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate
from clerkapp.store import Store
from tests.court_export import write_court_export

DOJ_RECITAL = "Department of Justice identified"
CHALLENGE = "did not challenge"
COURT_RECITAL = "The court has reviewed its own record"
PROSECUTOR = "Sonoma County District Attorney"


def _text(path) -> str:
    return " ".join((p.extract_text() or "") for p in PdfReader(str(path)).pages)


def _profile(store):
    store.set_setting("court.county", "Sonoma")
    store.set_setting("court.judge", "Hon. R. Judge")


def _approve_relief(store):
    ids = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE outcome IN ('dismiss_and_seal',"
        " 'redesignate_misdemeanor', 'redesignate_infraction') AND review_status = 'pending'")]
    decide(store, ids, "approved", clerk="ana")
    return ids


@pytest.fixture
def court_store(store, tmp_path):
    _profile(store)
    import_files(store, [write_court_export(tmp_path / "index.xlsx")],
                 facts=checked_facts(county="Sonoma", source="court"), operator="ana")
    evaluate(store)
    # the row with no name: entered from the court file, then decided by the clerk
    cid = store.conn.execute("SELECT id FROM convictions WHERE case_number = 'SCR-110'"
                             ).fetchone()[0]
    correct(store, cid, "name", "DOE, JANE", reason="minute order", clerk="ana")
    decide(store, [cid], "approved", clerk="ana", outcome="redesignate_misdemeanor",
           note="felony possession by an adult")
    _approve_relief(store)
    return store


def test_per_case_orders_recite_only_the_courts_own_review(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path / "cases", operator="ana")
    assert len(summary.files) == 6  # five relieved cases, and the one whose name was entered
    for path in summary.files:
        text = _text(path)
        assert COURT_RECITAL in text
        assert DOJ_RECITAL not in text and CHALLENGE not in text and PROSECUTOR not in text
        assert "PEOPLE OF THE STATE OF CALIFORNIA v." in text
    names = " ".join(_text(p) for p in summary.files)
    assert "Jane Doe" in names or "DOE, JANE" in names.upper() or "JANE DOE" in names.upper()
    # the conviction without a case number was never approved, so never printed
    assert "PATEL" not in names.upper()


def test_the_bulk_order_recites_only_the_courts_own_review(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path / "bulk", bulk=True, operator="ana")
    [path] = summary.files
    text = _text(path)
    assert COURT_RECITAL[:30] in text or "reviewed its own records" in text
    assert DOJ_RECITAL not in text and CHALLENGE not in text
    assert summary.convictions == 6
    assert wording_lines(court_store, bulk=True, only_unprinted=True) == []  # all printed


def test_a_prosecutors_list_gets_its_own_bulk_order_naming_the_prosecutor(court_store,
                                                                          tmp_path):
    other = write_court_export(tmp_path / "da-list.xlsx", extra_rows=[
        ("SCR-300", "FOX, AMY", date(1970, 1, 1), "HS 11359", "F", "Convicted",
         date(1999, 9, 9))])
    import_files(court_store, [other], facts=checked_facts(
        county="Sonoma", source="prosecutor", prosecutor=PROSECUTOR), force=True)
    evaluate(court_store)
    new = [r[0] for r in court_store.conn.execute(
        "SELECT id FROM convictions WHERE case_number = 'SCR-300'")]
    decide(court_store, new, "approved", clerk="ana")
    lines = wording_lines(court_store, bulk=True)
    assert lines[0].startswith("2 bulk orders, one per kind of list")
    assert any("from a prosecutor's list: worded as a prosecutor's list" in line
               for line in lines)
    summary = print_orders(court_store, tmp_path / "bulk", bulk=True, operator="ana")
    assert len(summary.files) == 2
    texts = {p.name.split("_")[0]: _text(p) for p in summary.files}
    assert set(texts) == {"bulk-order-court", "bulk-order-prosecutor"}
    da = texts["bulk-order-prosecutor"]
    assert f"{PROSECUTOR} identified the convictions" in da.replace("\n", " ")
    assert DOJ_RECITAL not in da and "reviewed its own records" not in da
    court = texts["bulk-order-court"]
    assert PROSECUTOR not in court and DOJ_RECITAL not in court
    assert "SCR-300" in da and "SCR-300" not in court


def test_the_cli_path_of_a_new_clerk(db_target, tmp_path, capsys):
    db = str(db_target)
    path = write_court_export(tmp_path / "index.xlsx")
    assert main(["--db", db, "settings", "court.county=Sonoma", "court.judge=Hon. R. Judge"]) == 0
    assert main(["--db", db, "import", str(path), "--county", "Sonoma", "--source", "court"]) == 0
    assert main(["--db", db, "evaluate"]) == 0
    assert main(["--db", db, "review", "--approve", "--all-flagged", "--by", "ana"]) == 0
    assert main(["--db", db, "orders", str(tmp_path / "out"), "--bulk"]) == 0
    capsys.readouterr()
    [pdf] = list((tmp_path / "out").glob("*.pdf"))
    text = _text(pdf)
    assert DOJ_RECITAL not in text and CHALLENGE not in text
    with Store(db) as s:
        assert s.conn.execute("SELECT count(*) FROM order_items").fetchone()[0] == 5
