"""Issue 7: the prosecutor's BEAR results imported, the statute evaluated beside them, and
the disagreements counted and exported, all through the real command line."""

from __future__ import annotations

import csv
import json

from python_calamine import CalamineWorkbook

from clerkapp.cli.main import main
from tests.conftest import gogen_file

BEAR_WORDS = {"Eligible for Dismissal": "dismiss_and_seal",
              "Eligible for Reduction": "redesignate_misdemeanor"}


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def write_bear_results(path):
    rows = CalamineWorkbook.from_path(str(gogen_file("configurable_flow.xlsx"))) \
        .get_sheet_by_index(0).to_python()
    header, data = rows[1], rows[2:]
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_cell(v) for v in header[1:]])
        writer.writerows([_cell(v) for v in row[1:]] for row in data)
    return {i + 2: (BEAR_WORDS[row[-2]], row[-1]) for i, row in enumerate(data) if row[0] is True}


def test_bear_results_beside_the_statute(tmp_path, capsys):
    db = str(tmp_path / "c.db")
    expected = write_bear_results(tmp_path / "All_Results.csv")
    assert len(expected) == 18
    assert main(["--db", db, "import", str(tmp_path / "All_Results.csv")]) == 0
    assert "(bear)" in capsys.readouterr().out
    assert main(["--db", db, "evaluate", "--policy", "statute", "--county", "SACRAMENTO",
                 "--as-of", "2019-11-11"]) == 0
    capsys.readouterr()

    assert main(["--db", db, "export", str(tmp_path / "out.csv")]) == 0
    capsys.readouterr()
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_row = {int(r["source_row"].split(";")[0]): r for r in rows}
    for row_number, (outcome, reason) in expected.items():
        exported = by_row[row_number]
        assert exported["prosecutor_outcome"] == outcome, row_number
        assert exported["prosecutor_reason"] == reason, row_number
    disagreeing = [r for r in by_row.values()
                   if r["prosecutor_outcome"] and r["prosecutor_outcome"] != r["outcome"]]
    assert disagreeing  # the statute does not grant every dismissal BEAR gave

    assert main(["--db", db, "stats"]) == 0
    stats = json.loads(capsys.readouterr().out)
    kinds = stats["prosecutor_disagreements"]
    assert sum(kinds.values()) == len(disagreeing)
    for r in disagreeing:
        assert kinds[f"{r['prosecutor_outcome']} -> {r['outcome']}"] >= 1
