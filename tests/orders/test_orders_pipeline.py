"""End to end on the bundled DOJ sample: import, evaluate, approve some, deny some, print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from clerkapp.errors import BadInput
from clerkapp.ingest.service import import_files
from clerkapp.orders.naming import safe_part
from clerkapp.orders.service import print_orders
from clerkapp.review.service import decide
from clerkapp.rules.service import evaluate

SAMPLE_DOJ = Path(__file__).resolve().parents[2] / "resources" / "sample" / "sample_doj.csv"
RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


def test_sample_data_prints_exactly_the_approved_relief(store, court_profile, tmp_path):
    court_profile(store)
    import_files(store, [SAMPLE_DOJ], operator="t")
    evaluate(store, policy="statute", operator="t")
    marks = ",".join("?" * len(RELIEF))
    rows = store.conn.execute(
        f"SELECT id, case_number FROM convictions WHERE outcome IN ({marks}) ORDER BY id", RELIEF
    ).fetchall()
    assert len(rows) >= 4
    approved, denied = rows[: len(rows) // 2], rows[len(rows) // 2:]
    decide(store, [r[0] for r in approved], "approved", clerk="t")
    decide(store, [r[0] for r in denied], "denied", clerk="t", note="test")
    approved_cases = {r[1] for r in approved}
    denied_only = {r[1] for r in denied} - approved_cases

    bulk = print_orders(store, tmp_path / "bulk", bulk=True)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(str(bulk.files[0])).pages))
    assert bulk.convictions == len(approved)
    assert f"Total convictions {len(approved)}" in text
    assert all(case in text for case in approved_cases)
    assert not any(case in text for case in denied_only)

    # the bulk order ordered them: per-case orders for the same convictions are refused
    with pytest.raises(BadInput, match=rf"^{len(approved)} of the {len(approved)} conviction\(s\)"
                       rf" to print already have an order in force: Order No\."
                       rf" {bulk.orders[0].order_number} \(bulk, {len(approved)}\)"):
        print_orders(store, tmp_path / "cases")
    assert not (tmp_path / "cases").exists()
    cases = print_orders(store, tmp_path / "cases", supersede="one paper for each case")
    names = {p.stem.split("_")[0] for p in cases.files}
    assert names == {safe_part(c).upper() for c in approved_cases}
    assert sum(1 for _ in store.conn.execute("SELECT 1 FROM order_items")) == 2 * len(approved)
    assert cases.reprints == len(cases.files)  # the bulk order printed them already
