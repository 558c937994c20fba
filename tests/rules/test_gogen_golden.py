"""Issue 7's golden case: gogen's configurable_flow through `clerkapp import` and `evaluate`."""

from __future__ import annotations

import json
import subprocess
import sys

from .gogen_data import write_golden_csv
from .tests_rules_paths import gogen


def _determinations(db) -> dict[int, tuple[str, list[dict], str | None]]:
    from clerkapp.store import Store
    with Store(db) as store:
        results = {r[0]: r for r in store.current_results()}  # own or shared determinations
        rows = [(cid, results[cid][1], results[cid][3], county, source_ids)
                for cid, county, source_ids in store.conn.execute(
                    "SELECT id, county, source_row_ids FROM convictions") if cid in results]
        number = {r[0]: r[1] for r in store.conn.execute("SELECT id, row_number FROM source_rows")}
    out = {}
    for _cid, outcome, reasons, county, source_ids in rows:
        for sid in json.loads(source_ids):
            out[number[sid]] = (outcome, json.loads(reasons), county)
    return out


def clerkapp(*args: str) -> subprocess.CompletedProcess:
    """The real command line, in its own process."""
    return subprocess.run([sys.executable, "-m", "clerkapp", *args], capture_output=True,
                          text=True, timeout=120)


def _run(tmp_path, policy):
    data = tmp_path / "configurable_flow.csv"
    expected = write_golden_csv(data)
    db = tmp_path / "clerk.db"
    done = clerkapp("--db", str(db), "import", str(data), "--by", "test")
    assert done.returncode == 0, done.stderr
    done = clerkapp("--db", str(db), "evaluate", "--policy", policy, "--county", "SACRAMENTO",
                    "--as-of", "2019-11-11", "--by", "test")
    assert done.returncode == 0, done.stderr
    return expected, _determinations(db), done.stdout


def test_bear_options_give_gogens_expected_determinations(tmp_path):
    expected, got, out = _run(tmp_path, str(gogen("eligibility_options.json")))
    assert len(expected) == 18
    for row, (outcome, reason) in expected.items():
        assert row in got, f"csv row {row}: no conviction"
        g_outcome, reasons, _ = got[row]
        decisive = [r["text"] for r in reasons if r["kind"] == "decisive"]
        assert (g_outcome, decisive) == (outcome, [reason]), f"csv row {row}"
    others = {row: g for row, g in got.items() if row not in expected}
    assert others and all(g[0] in ("not_applicable",) for g in others.values()), others
    assert "run 1: policy bear:eligibility_options" in out


def test_statute_on_the_same_data(tmp_path):
    expected, got, out = _run(tmp_path, "statute")
    statute = {row: got[row][0] for row in expected}
    # what the statute says differently from BEAR on this data set (docs/rules.md)
    differs = {row: (expected[row][0], statute[row]) for row in expected
               if statute[row] != expected[row][0]}
    print(json.dumps({r: [got[r][0], [x["text"] for x in got[r][1] if x["kind"] == "decisive"]]
                      for r in expected}, indent=1))
    assert differs  # the statute never grants BEAR's dismissals of felony 11358-11360
    assert all(got[r][0] == "not_applicable" for r in got if r not in expected)
