"""A court sheet's own Count column reaches the order (issue 12, point 7: "the case's own
count number where the record has one"): imported, evaluated, approved, printed, read back."""

from __future__ import annotations

import re

from pypdf import PdfReader

from clerkapp.ingest.service import import_files
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate


def test_sheet_count_number_is_printed_beside_the_resulting_offense(store, court_profile,
                                                                   tmp_path):
    sheet = tmp_path / "court.csv"
    sheet.write_text(
        "Case No,Defendant,DOB,Charge,F/M,Disposition,Conviction Date,Count,County\n"
        "CR-90-1,\"PINEWORTH,KAI\",1960-01-02,HS 11359,F,CONVICTED,1990-05-06,3,ALAMEDA\n"
        "CR-90-1,\"PINEWORTH,KAI\",1960-01-02,HS 11360(a),F,CONVICTED,1990-05-06,5,ALAMEDA\n",
        encoding="utf-8")
    court_profile(store)
    import_files(store, [sheet])
    evaluate(store, as_of="2026-01-01")
    ids = [r[0] for r in store.conn.execute("SELECT id FROM convictions ORDER BY id")]
    assert [r[0] for r in store.conn.execute("SELECT count_key FROM convictions ORDER BY id")] \
        == ["3", "5"]
    decide(store, ids, "approved", clerk="Clerk Test")
    (path,) = print_orders(store, tmp_path / "out").files
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(path)).pages))
    assert "3 HS 11359 05/06/1990 Felony Redesignated as a misdemeanor HS 11359(b), misdemeanor" in text
    assert "5 HS 11360(a) 05/06/1990 Felony Redesignated as a misdemeanor HS 11360(a)(2)," \
           " misdemeanor" in text
