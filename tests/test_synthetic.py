"""The synthetic DOJ generator: reproducible, realistic in the ways the rules care about, and
read back by the real importer into exactly the records it meant to write."""

from __future__ import annotations

import collections
import importlib.util
import subprocess
import sys

import pytest
from python_calamine import CalamineWorkbook

from clerkapp.ingest.doj import looks_like_doj, open_doj
from clerkapp.ingest.doj_fields import FIELDS, INDEX
from tests.conftest import REPO_ROOT

SAMPLE = REPO_ROOT / "resources" / "sample" / "sample_doj.csv"
SAMPLE_ROWS, SAMPLE_SEED = 2000, 64  # as documented in docs/doj-import.md


def _load():
    spec = importlib.util.spec_from_file_location("synthetic", REPO_ROOT / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


synthetic = _load()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("gen") / "doj.csv"
    tally = synthetic.write_csv(path, 6000, seed=11)
    batches = list(open_doj(path).batches(1000))
    return path, tally, batches


def test_same_seed_same_file_other_seed_other_file(tmp_path):
    a, b, c = (tmp_path / n for n in ("a.csv", "b.csv", "c.csv"))
    synthetic.write_csv(a, 500, seed=5)
    synthetic.write_csv(b, 500, seed=5)
    synthetic.write_csv(c, 500, seed=6)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_importer_reads_back_what_the_generator_wrote(generated):
    path, tally, batches = generated
    assert looks_like_doj(path) and open_doj(path).preset == "doj"
    rows = sum(len(b.rows) for b in batches)
    people = {p.key for b in batches for p in b.people}
    convictions = [c for b in batches for c in b.convictions]
    events = collections.Counter(e.kind for b in batches for e in b.events)
    assert rows == tally.rows == 6000
    assert people == {f"doj:{s}" for s in tally.people}
    assert len(convictions) == tally.convictions
    assert events["registration"] == tally.registrations_290 > 0
    assert events["deceased"] == tally.deaths > 0
    assert events["dismissed"] > 0
    assert sum("offense_from_comment" in c.flags for c in convictions) == tally.see_comment > 0
    assert sum(b.errors.__len__() for b in batches) == 0


def test_the_data_has_the_variety_the_rules_need(generated):
    path, tally, batches = generated
    convictions = [c for b in batches for c in b.convictions]
    sections = [c.section for c in convictions if c.section]
    cannabis = [s for s in sections if s.code == "HS" and s.number in
                {"11357", "11358", "11359", "11360"}]
    assert {s.number for s in cannabis} == {"11357", "11358", "11359", "11360"}
    assert any(s.attempted for s in cannabis) and any(s.conspiracy for s in cannabis)
    assert {s.subs for s in cannabis if s.number == "11357"} >= {("a",), ("b",), ("c",), ()}
    assert any(s.number == "11357.5" for s in sections)  # not cannabis under Prop 64
    assert any(s.code == "PC" and s.number in {"187", "207", "261", "288"} for s in sections)
    for flag in ("offense_comment_disagree", "set_aside_1203_4", "sentence_see_comment"):
        assert any(flag in c.flags for c in convictions), flag
    assert any(c.sentence_text and ";" in c.sentence_text for c in convictions)
    assert {c.level for c in convictions} >= {"F", "M", "I"}
    counties = collections.Counter(c.county for c in convictions)
    assert counties.most_common(1)[0][0] == "LOS ANGELES" and len(counties) >= 8
    dates = sorted(c.offense_date for c in convictions if c.offense_date)
    assert dates[0] >= "1960" and dates[-1] <= "2022-12-31"
    assert tally.after_prop64 > 0
    assert sum(c.offense_date >= "2016-11-09" for c in convictions if c.offense_date) \
        == tally.after_prop64
    dobs = [p.dob for b in batches for p in b.people]
    assert any(d and len(d) == 4 for d in dobs)  # partial DOBs kept partial


def test_names_are_obviously_fake(generated):
    path, _, batches = generated
    for b in batches:
        for p in b.people:
            last = p.name.split(",")[0]
            assert last in synthetic.LAST_NAMES
        for _, row in b.rows:
            assert row[INDEX["PRI_SSN"]].startswith("000")  # never an issued SSN


def test_xlsx_holds_the_same_rows(tmp_path):
    xlsx, csv_path = tmp_path / "d.xlsx", tmp_path / "d.csv"
    synthetic.write_xlsx(xlsx, 300, seed=9)
    synthetic.write_csv(csv_path, 300, seed=9)
    sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    assert [str(v) for v in sheet[0]] == list(FIELDS)
    expected = [r for b in open_doj(csv_path).batches() for _, r in b.rows]
    assert len(sheet) == 301
    assert [[str(v) for v in row] for row in sheet[1:]] == expected
    # The importer reads the workbook into the same records as the csv.
    assert looks_like_doj(xlsx) and open_doj(xlsx).preset == "doj"
    from_xlsx = [(b.people, b.convictions, b.events) for b in open_doj(xlsx).batches()]
    from_csv = [(b.people, b.convictions, b.events) for b in open_doj(csv_path).batches()]
    assert from_xlsx == from_csv and from_csv[0][1]


def test_command_line(tmp_path):
    out = tmp_path / "cli.csv"
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "synthetic.py"), "--rows",
                           "120", "--seed", "3", "--out", str(out), "--no-header"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "120 rows" in proc.stdout
    assert not out.read_text().startswith("RECORD_ID") and looks_like_doj(out)
    assert sum(len(b.rows) for b in open_doj(out).batches()) == 120


def test_committed_sample_is_small_and_reproducible(tmp_path):
    assert SAMPLE.exists()
    assert SAMPLE.stat().st_size < 800_000
    again = tmp_path / "again.csv"
    synthetic.write_csv(again, SAMPLE_ROWS, seed=SAMPLE_SEED)
    assert again.read_bytes() == SAMPLE.read_bytes()
    people = {p.key for b in open_doj(SAMPLE).batches() for p in b.people}
    assert 200 <= len(people) <= 500
