"""A DOJ row without a court case number: the per-case order names the conviction by what the
record holds (court, DOJ cycle, arrest and conviction dates, CII), and the run says how many
orders lack a case number. Real stores, real PDFs read back with pypdf."""

from __future__ import annotations

import re
import subprocess
from shutil import which

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.orders.identity import case_identity, case_reference, doj_cycle
from clerkapp.orders.service import print_orders


def _text(path) -> str:
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in reader.pages))


@pytest.fixture
def doj_store(store, casebook, court_profile):
    court_profile(store)
    # two counts of one DOJ cycle (003), no case number; one case with a number beside them
    ids = [casebook.conviction("", "NONUMBER,NORA", cii="N11111111", court="CASC OAKLAND",
                               count=count, offense_date="1998-04-01",
                               conviction_date="1998-06-01", county="ALAMEDA")
           for count in ("003002001000", "003002002000")]
    store.conn.execute("UPDATE convictions SET case_id = (SELECT case_id FROM convictions"
                       " WHERE id = ?) WHERE id = ?", (ids[0], ids[1]))  # one case, two counts
    casebook.conviction("CASE-Z9", "ZULU,ZED", cii="Z99999999")
    casebook.decide("", "approved")
    casebook.decide("CASE-Z9", "approved")
    return store


def test_doj_cycle_is_the_count_orders_first_part():
    assert doj_cycle("003002001000") == "3"
    assert doj_cycle("2") == ""
    assert doj_cycle("000002001000") == ""


def test_an_order_without_case_number_names_the_conviction_by_its_record(doj_store, tmp_path,
                                                                        capsys):
    summary = print_orders(doj_store, tmp_path / "out", operator="Clerk Test")
    assert summary.no_case_number == 1
    assert "1 order(s) have no case number" in summary.no_case_number_text()
    texts = {p.name: _text(p) for p in summary.files}
    assert len(texts) == 2
    bare = next(t for name, t in texts.items() if "CASE-Z9" not in name)
    numbered = next(t for name, t in texts.items() if "CASE-Z9" in name)
    assert "None in the record" in bare
    for part in ("court CASC OAKLAND", "DOJ cycle 3", "arrest 04/01/1998",
                 "convicted 06/01/1998", "CII N11111111"):
        assert part in bare, part
    # the running footer names it too, never an empty "People v. X ·"
    assert "People v. NONUMBER, NORA · 06/01/1998 Order No." in bare
    # an order with its case number says nothing of the kind
    assert "Identified by" not in numbered and "None in the record" not in numbered
    assert "CASE-Z9" in numbered


def test_the_command_line_warns_how_many_orders_lack_a_case_number(doj_store, tmp_path, capsys):
    assert main(["--db", str(doj_store.path), "orders", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "warning: 1 order(s) have no case number" in err


def test_identity_is_empty_when_the_case_has_a_number(doj_store):
    rows = list(doj_store.iter_order_rows())
    numbered = [r for r in rows if r.case_number]
    assert case_identity(numbered) == "" and case_reference(numbered) == "CASE-Z9"


@pytest.mark.skipif(which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")
def test_the_page_renders(doj_store, tmp_path):
    summary = print_orders(doj_store, tmp_path / "out", operator="Clerk Test")
    bare = next(p for p in summary.files if "CASE-Z9" not in p.name)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(bare),
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 10_000
