"""Per-case orders drawn in worker processes: the same orders, in the same order, with the
same numbers as drawn in one process; a cancel still leaves nothing behind."""

from __future__ import annotations

import io
import re
from itertools import groupby

import pytest
from pypdf import PdfReader

from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.orders import case_workers
from clerkapp.orders.case_workers import draw_cases
from clerkapp.orders.context import court_values
from clerkapp.orders.service import print_orders
from clerkapp.orders.templates import load_template
from tests.orders.test_orders_case import APPROVED, pdf_text


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def cases_of(store):
    rows = store.iter_order_rows(None, sort="case")
    return [(f"N-{i}", f"2026-T-{i:03d}", list(group), "court")
            for i, (_, group) in enumerate(groupby(rows, key=lambda r: r.case_key), start=1)]


def test_workers_draw_what_one_process_draws(court_store, monkeypatch):
    monkeypatch.setattr(case_workers, "PARALLEL_MIN_CASES", 0)
    monkeypatch.setattr(case_workers, "CHUNK_CASES", 1)  # several tasks in flight at once
    tmpl = load_template("per-case-order", "case")
    court = court_values(court_store.settings_group("Court profile"), tmpl, "2026-03-04")
    cases = cases_of(court_store)
    assert len(cases) == 4
    variants = {"court": (tmpl, court)}
    here = list(draw_cases(variants, iter(cases), convictions=99, workers=1))
    there = list(draw_cases(variants, iter(cases), convictions=99, workers=2))
    assert [(n, [r.conviction_id for r in rows]) for n, rows, _ in there] == \
        [(n, [r.conviction_id for r in rows]) for n, rows, _ in here]
    for (number, rows, a), (_, _, b) in zip(here, there, strict=True):
        drawn = text_of(b)
        assert drawn == text_of(a)
        assert rows[0].case_number in drawn
        assert f"2026-T-{number.split('-')[1].zfill(3)}" in drawn


def test_a_run_drawn_in_workers_is_numbered_written_and_recorded(court_store, tmp_path,
                                                                monkeypatch):
    monkeypatch.setattr(case_workers, "PARALLEL_MIN_CASES", 0)
    monkeypatch.setattr(case_workers, "CHUNK_CASES", 1)
    summary = print_orders(court_store, tmp_path / "out", operator="Clerk Test")
    assert {p.stem.split("_")[0] for p in summary.files} == APPROVED
    numbers = [row[0] for row in court_store.conn.execute(
        "SELECT order_number FROM orders ORDER BY id")]
    assert len(numbers) == 4 and numbers == sorted(set(numbers))  # one series, in case order
    for path, order in zip(summary.files, numbers, strict=True):
        _, text = pdf_text(path)
        assert order in text
    assert court_store.table_counts()["orders"] == 4


def test_a_cancel_while_workers_draw_leaves_no_files_and_no_records(court_store, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setattr(case_workers, "PARALLEL_MIN_CASES", 0)
    monkeypatch.setattr(case_workers, "CHUNK_CASES", 1)
    token = CancelToken()

    def progress(done, total, message):
        if done >= 2:
            token.cancel()

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        print_orders(court_store, out, progress=progress, cancel=token)
    assert list(out.iterdir()) == []
    assert court_store.table_counts()["orders"] == 0
