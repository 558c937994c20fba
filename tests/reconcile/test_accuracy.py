"""The matcher's accuracy on a generated truth set (bench/reconcile_truth.py): the figures
the benchmark prints at a million rows, held here on a small set."""

from __future__ import annotations

import importlib.util
import sys

from clerkapp.ingest.service import import_files
from clerkapp.reconcile.service import reconcile
from tests.conftest import REPO_ROOT


def _truth_module():
    spec = importlib.util.spec_from_file_location("reconcile_truth",
                                                  REPO_ROOT / "bench" / "reconcile_truth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["reconcile_truth"] = module  # dataclasses look their module up while built
    spec.loader.exec_module(module)
    return module


def test_precision_and_recall_on_a_truth_set(store, tmp_path):
    truth_module = _truth_module()
    doj, court, truth = truth_module.write_truth(tmp_path, 12000, 6000, seed=5)
    import_files(store, [doj, court])
    summary = reconcile(store)
    score = truth_module.score_links(store.conn, truth)
    print("\n".join(score.lines()))
    assert score.true_pairs > 4000
    assert score.precision >= 0.995
    assert score.recall >= 0.98
    assert score.missed_unlisted == 0  # every miss is a possible match or listed
    assert summary.counts["unmatched"] == truth.unusable
    assert summary.counts["conflict"] >= len(truth.conflicts) * 0.9
