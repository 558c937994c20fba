"""Bulk work (an import, an evaluation, an export) runs with the garbage collector at the bulk
pace, whichever way it is started (its command, `process`, the window), and leaves the usual
pace behind it, nested or not."""

from __future__ import annotations

import gc

import pytest

from clerkapp.jobs import BULK_GC_THRESHOLD, bulk_gc
from clerkapp.reports import export
from clerkapp.rules.service import evaluate
from tests.rules.store_data import sample


@pytest.fixture
def usual_pace():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_nested_bulk_work_restores_the_usual_pace_when_the_last_ends(usual_pace):
    with bulk_gc():
        assert gc.get_threshold() == BULK_GC_THRESHOLD
        with bulk_gc():
            assert gc.get_threshold() == BULK_GC_THRESHOLD
        assert gc.get_threshold() == BULK_GC_THRESHOLD
    assert gc.get_threshold() == usual_pace


def test_an_evaluation_runs_at_the_bulk_pace(store, usual_pace):
    sample(store)
    seen = []
    evaluate(store, as_of="2020-01-01", county="",
             progress=lambda done, total, message: seen.append(gc.get_threshold()))
    assert BULK_GC_THRESHOLD in seen
    assert gc.get_threshold() == usual_pace


def test_an_export_is_written_at_the_bulk_pace(store, tmp_path, usual_pace, monkeypatch):
    sample(store)
    evaluate(store, as_of="2020-01-01", county="")
    seen = []
    write = export.write_export_csv

    def noting(*args, **kwargs):
        seen.append(gc.get_threshold())
        return write(*args, **kwargs)

    monkeypatch.setattr(export, "write_export_csv", noting)
    assert export.export_rows(store, tmp_path / "out.csv") == 5
    assert seen == [BULK_GC_THRESHOLD]
    assert gc.get_threshold() == usual_pace
