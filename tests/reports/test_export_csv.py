"""The export's csv is written a column batch at a time (reports/export_csv.py): the same bytes
as `csv.writer` with formula-like cells behind an apostrophe, whatever the cells hold; and a
conviction's source rows are listed in the order its import recorded them, on both engines."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random

import pytest

from clerkapp.reports.export import EXPORT_COLUMNS, export_columns, export_row, export_rows
from clerkapp.reports.export_csv import FORMULA_FIRST, csv_cell, write_csv_columns
from tests.ingest.test_doj import conviction_row, write

# the characters csv.writer quotes for, those Excel reads as a formula, and some plain ones
ALPHABET = [",", '"', "\r", "\n", "=", "+", "-", "@", "\t", "'", "\0", " ", "a", "Z", "9",
            "é", ";", "\u2028"]


def csv_writer_bytes(header, rows) -> bytes:
    """What the export wrote before: csv.writer over the cells, formula-like ones quoted."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([f"'{c}" if c[:1] in FORMULA_FIRST else c for c in cells])
    return buffer.getvalue().encode("utf-8-sig")


def random_cell(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return ""
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))


@pytest.mark.parametrize("width", [1, 2, 5])
def test_the_columns_writer_writes_csv_writer_s_bytes(tmp_path, width):
    rng = random.Random(width)
    header = [f"h{i}" for i in range(width)]
    rows = [[random_cell(rng) for _ in range(width)] for _ in range(3000)]
    # plain batches too: a column with nothing to quote is written as it is
    rows += [["plain", "2020-01-01", "x"][:1] * width for _ in range(50)]
    batches = [list(zip(*rows[i:i + 97], strict=True)) for i in range(0, len(rows), 97)]
    out = tmp_path / "out.csv"
    assert write_csv_columns(out, header, batches) == len(rows)
    assert out.read_bytes() == csv_writer_bytes(header, rows)


@pytest.mark.parametrize("cell", [f"a{c}b" for c in ',"\r\n'] + [f"{c}b" for c in "=+-@\t\r"]
                         + ["a\0=b", "a\0b"])
def test_one_special_cell_in_a_plain_batch(tmp_path, cell):
    """Each character that makes a cell quoted, alone in a batch of plain cells."""
    rows = [["plain", "x"], [cell, "y"], ["", "z"]]
    out = tmp_path / "out.csv"
    write_csv_columns(out, ["a", "b"], [list(zip(*rows, strict=True))])
    assert out.read_bytes() == csv_writer_bytes(["a", "b"], rows)


def test_cells_not_yet_text_are_written_as_export_row_writes_them(tmp_path):
    """The county's export hands the store's values to the writer as they are (one pass
    fewer): None, a number or bytes among them are written as `export_row` makes them text,
    quoted like any text."""
    rng = random.Random(7)
    odd = [None, 0, 12, -3, 2.5, b"x,y", "=1"]
    rows = [[rng.choice(odd) if rng.random() < 0.2 else random_cell(rng) for _ in range(3)]
            for _ in range(500)]
    rows.append([None, None, None])
    batches = [list(zip(*rows[i:i + 50], strict=True)) for i in range(0, len(rows), 50)]
    out = tmp_path / "out.csv"
    assert write_csv_columns(out, ["a", "b", "c"], batches) == len(rows)
    as_text = [["" if v is None else str(v) for v in row] for row in rows]
    assert out.read_bytes() == csv_writer_bytes(["a", "b", "c"], as_text)


def test_a_formula_like_cell_is_quoted_in_any_column_and_batch():
    assert csv_cell("=1+2") == "'=1+2"
    assert csv_cell("-3, 4") == "\"'-3, 4\""
    assert csv_cell('a "b"') == '"a ""b"""'
    assert csv_cell("2020-01-01") == "2020-01-01"


@pytest.fixture
def two_rows_one_conviction(store, tmp_path):
    """A DOJ conviction and its revocation at a later step: one conviction, two source rows
    (file rows 2 and 3)."""
    from clerkapp.ingest.service import import_files
    from clerkapp.rules.service import evaluate

    first = dict(CNT_ORDER="001002001000", STP_EVENT_DATE="19990415",
                 DISP_DESCR="CONVICTED-PROBATION", STP_ORI_CNTY_NAME="SACRAMENTO")
    later = dict(CNT_ORDER="001003001000", STP_EVENT_DATE="20000610",
                 DISP_DESCR="CONVICTED-JAIL", COMMENT_TEXT="PROB REVOKED",
                 STP_ORI_CNTY_NAME="SACRAMENTO")
    other = dict(OFN="BA999999", CYC_ORDER="002", CNT_ORDER="002001001000",
                 PRI_NAME='SMITH,"JO"', STP_ORI_CNTY_NAME="SACRAMENTO")
    rows = [conviction_row(**first), conviction_row(**later), conviction_row(**other)]
    import_files(store, [write(tmp_path / "d.csv", rows)], operator="test")
    evaluate(store, policy="statute", as_of="2003-01-01", county="SACRAMENTO", operator="t")
    return store


def exported(store, tmp_path) -> list[dict[str, str]]:
    out = tmp_path / "e.csv"
    export_rows(store, out)
    with open(out, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_source_rows_are_listed_in_the_order_the_import_recorded_them(
        two_rows_one_conviction, tmp_path):
    store = two_rows_one_conviction
    assert [r["source_row"] for r in exported(store, tmp_path)] == ["2;3", "4"]
    (cid, ids), = store.conn.execute(
        "SELECT id, source_row_ids FROM convictions WHERE source_row_ids LIKE '%,%'")
    store.conn.execute("UPDATE convictions SET source_row_ids = ? WHERE id = ?",
                       (json.dumps(list(reversed(json.loads(ids)))), cid))
    assert [r["source_row"] for r in exported(store, tmp_path)] == ["3;2", "4"]


def test_the_csv_is_export_row_s_cells_through_csv_writer(two_rows_one_conviction, tmp_path):
    store = two_rows_one_conviction
    store.conn.execute("UPDATE convictions SET attempted = 1, prosecutor_reason = ?"
                       " WHERE case_number = 'BA999999'", ('line one\r\nline "two", @3',))
    store.conn.execute("UPDATE people SET name = '=HYPERLINK(1)' WHERE id = ("
                       "SELECT person_id FROM convictions WHERE case_number = 'BA123456')")
    expected = [export_row(r) for r in store.iter_export_rows()]
    out = tmp_path / "e.csv"
    export_rows(store, out)
    assert out.read_bytes() == csv_writer_bytes(EXPORT_COLUMNS, expected)
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
    # the same cells whatever the batch size
    for size in (1, 2, 5):
        names, rows = store.export_tuples()
        cells = [list(c) for cols in export_columns(names, rows, size=size)
                 for c in zip(*cols, strict=True)]
        assert cells == expected


SQLITE_ONLY = pytest.mark.parametrize(
    "db_target", ["sqlite"], indirect=True,
    ids=["sqlite: the second process is started on a SQLite store only (data_version)"])


@SQLITE_ONLY
def test_two_processes_write_the_bytes_one_writes(two_rows_one_conviction, tmp_path):
    from clerkapp.reports.export_split import write_export_csv

    store = two_rows_one_conviction
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    alone = write_export_csv(store, one)  # small: this process alone
    split = write_export_csv(store, two, split_from=1)  # each process one conviction
    assert two.read_bytes() == one.read_bytes()
    # the rows, and the file's hash and size as written (what the export's record holds)
    for written, path in ((alone, one), (split, two)):
        assert written.rows == 2
        assert written.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert written.size == path.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv") == [
        "d.csv", "one.csv", "two.csv"]  # the second process's share is gone
    # the second process's part (run here): the later conviction's line, no header
    from clerkapp.reports.export_split import _share_process

    first = store.conviction_id_span()[0]
    part = tmp_path / "share.part"
    sql, params = store.export_sql(after=first, packed=True)
    assert _share_process(str(store.path), sql, params, str(part)) == 1
    assert part.read_bytes() == one.read_bytes().splitlines(keepends=True)[-1]


@SQLITE_ONLY
def test_a_share_that_failed_is_written_again_here_and_hashed_as_rewritten(
        two_rows_one_conviction, tmp_path, monkeypatch):
    from clerkapp.reports import export_split

    store = two_rows_one_conviction
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    export_split.write_export_csv(store, one)
    # the second process's result lost: its share is not appended, the whole file is
    # written again from the start (not appended to the first share already written)
    monkeypatch.setattr(export_split, "_result", lambda later: None)
    written = export_split.write_export_csv(store, two, split_from=1)
    assert two.read_bytes() == one.read_bytes()
    assert (written.rows, written.size) == (2, two.stat().st_size)
    assert written.sha256 == hashlib.sha256(two.read_bytes()).hexdigest()
    assert not list(tmp_path.glob("*-2.csv"))  # the share's part is gone


@SQLITE_ONLY
def test_the_data_version_moves_when_another_connection_commits(store, tmp_path):
    import sqlite3

    before = store.data_version()
    store.conviction_id_span()  # its own reads change nothing
    assert store.data_version() == before
    other = sqlite3.connect(store.path)
    other.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    other.commit()
    other.close()
    assert store.data_version() != before


def test_a_second_process_that_cannot_open_the_store_leaves_its_share_to_the_first(tmp_path):
    from clerkapp.reports.export_split import _share_process

    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert _share_process(str(blocked / "clerk.db"), "SELECT 1", {},
                          str(tmp_path / "p.part")) is None
    # it opens the store file read-only: a store that is not there is not created
    missing = tmp_path / "missing.db"
    assert _share_process(str(missing), "SELECT 1", {}, str(tmp_path / "q.part")) is None
    assert not missing.exists()
