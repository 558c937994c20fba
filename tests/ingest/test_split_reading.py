"""A large DOJ text file read by two processes, range by range (clerkapp.ingest.split_reading
and doj_ranges): the same rows, row numbers, people, records and errors as one process gives,
whatever the ranges' size; a file that cannot be read in ranges is read on in one go, with
a damaged row reported exactly as before."""

from __future__ import annotations

import csv
import io

import pytest
from test_import_service import doj_rows, write_doj
from test_import_worker import cancel_part_way, workers_alive

from clerkapp.errors import BadInput
from clerkapp.ingest import reading, service, split_reading
from clerkapp.ingest.doj import open_doj
from clerkapp.ingest.doj_fields import FIELDS, INDEX
from clerkapp.ingest.doj_ranges import rows_after, splittable
from clerkapp.ingest.reading import BATCH, DONE, open_reader
from clerkapp.ingest.service import import_files
from clerkapp.ingest.split_reading import FALLBACK, RANGE_END, SplitReader
from clerkapp.store.flatten import flatten
from clerkapp.store.row_text import row_cells

SID, CII = INDEX["SUBJECT_ID"], INDEX["CII_NUMBER"]


@pytest.fixture(autouse=True)
def reading_path(monkeypatch) -> str:
    """Files of any size are read by two processes here (when they can be)."""
    monkeypatch.setattr(split_reading, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", 0)
    return "split"


def odd_rows() -> list[list[str]]:
    """People of one to many rows, a blank SUBJECT_ID grouped by CII and one alone, a SUBJECT_ID
    of a space, a record id with a quote, names with commas and accents, row errors."""
    rows = doj_rows(30)
    out: list[list[str]] = []
    for i, row in enumerate(rows):
        out.append(row)
        if i % 7 == 3:  # a third row for some people
            out.append(list(row))
    big = [list(rows[10]) for _ in range(40)]  # one person of 40 rows
    for n, row in enumerate(big):
        row[INDEX["CNT_ORDER"]] = f"001002{n:03d}000"
    out[30:30] = big
    blank_cii = [list(rows[0]) for _ in range(3)]
    for row in blank_cii:
        row[SID] = ""
        row[CII] = "A77"
    alone = list(rows[1])
    alone[SID] = alone[CII] = ""
    space = list(rows[2])
    space[SID] = " "
    out[12:12] = [*blank_cii, space, alone]
    out[5][INDEX["PRI_NAME"]] = "PEÑA,JOSÉ"
    out[20][INDEX["RECORD_ID"]] = 'R"20'
    out[21][INDEX["PRI_DOB"]] = "not a date"
    out[40][INDEX["CYC_DATE"]] = "20101399"
    return out


def write_text(path, rows, *, header=True, newline="\r\n", encoding="utf-8", blank=(),
               trailing=True):
    """The rows as a csv file; `blank`: places where a blank line goes in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    if header:
        writer.writerow(FIELDS)
    for i, row in enumerate(rows):
        if i in blank:
            buffer.write(newline)
        writer.writerow(row)
    text = buffer.getvalue()
    path.write_bytes((text if trailing else text[:-len(newline)]).encode(encoding))
    return path


def split_here(path, range_bytes: int, batch_size: int = 7):
    """What the two processes send, taken in turn as the importer takes it (in this
    process): the batches, the row after which a FALLBACK says to read on, ranges taken."""
    sent: dict[int, list] = {0: [], 1: []}
    for role in (0, 1):
        parsed = open_doj(path, scan=role == 0)
        assert splittable(parsed)
        split_reading._send_ranges(lambda kind, payload, role=role: sent[role].append(
            (kind, payload)), parsed, role, batch_size, None, range_bytes)
    turns = {role: iter(messages) for role, messages in sent.items()}
    batches, k = [], 0
    while True:
        kind, payload = next(turns[k % 2])
        if kind == BATCH:
            batches.append(payload)
        elif kind == RANGE_END:
            assert payload == k
            k += 1
        elif kind == FALLBACK:
            return batches, payload, k
        else:
            assert kind == DONE
            return batches, None, k


def whole(path, batch_size: int = 7, last_row: int | None = None) -> list:
    parsed = open_doj(path)
    chunks = None if last_row is None else rows_after(parsed, last_row)
    return [flatten(b) for b in parsed.batches(batch_size, chunks=chunks)]


def joined(batches) -> dict:
    """The batches as one: what the store makes of them (places among a batch's rows become
    places among all rows, as the store's row ids do; each row's cells as read back: a range
    read apart is plain where the whole file's chunk holding a two-line record is not, so
    its rows are kept joined where the other read keeps them as JSON, store/row_text.py)."""
    out: dict[str, list] = {k: [] for k in ("rows", "keys", "values", "people", "convictions",
                                             "events", "errors", "skipped")}
    for b in batches:
        base = len(out["rows"])
        out["rows"] += b.row_numbers
        out["keys"] += b.row_keys
        out["values"] += map(row_cells, b.row_values)
        out["people"] += b.people
        out["convictions"] += [(c[0], tuple(base + p for p in c[1]), *c[2:])
                               for c in b.convictions]
        out["events"] += [(e[0], None if e[1] is None else base + e[1], *e[2:])
                          for e in b.events]
        out["errors"] += b.errors
        out["skipped"] += sorted((b.skipped or {}).items())
    return out


FILES = {
    "crlf": {},
    "lf, no line break at the end": {"newline": "\n", "trailing": False},
    "no header": {"header": False},
    "blank lines": {"blank": {0, 3, 4, 13, 14, 31, 50, 77}},
    "byte-order mark": {"encoding": "utf-8-sig"},
    "windows-1252": {"encoding": "cp1252"},
}


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("range_bytes", [60, 700, 2500, 1 << 30])
def test_ranges_give_what_the_whole_file_gives(tmp_path, kind, range_bytes):
    path = write_text(tmp_path / "d.csv", odd_rows(), **FILES[kind])
    batches, fallback, ranges = split_here(path, range_bytes)
    assert fallback is None
    expected = joined(whole(path))
    assert joined(batches) == expected
    assert expected["errors"] and len(expected["rows"]) == len(odd_rows())
    size = path.stat().st_size
    assert ranges == 1 if range_bytes > size else ranges > size // range_bytes // 3
    people = [p[0] for p in expected["people"]]
    assert "cii:A77" in people and "cii:A00000001" in people  # blank, and a space
    assert any(key.startswith("doj:row") for key in people)  # alone


def test_one_person_longer_than_many_ranges_is_read_in_one(tmp_path):
    rows = doj_rows(20)
    big = [list(rows[0]) for _ in range(40)]
    for n, row in enumerate(big):
        row[SID] = "7777"
        row[INDEX["CNT_ORDER"]] = f"001002{n:03d}000"
    path = write_text(tmp_path / "d.csv", rows[:10] + big + rows[10:])
    batches, _, ranges = split_here(path, 100)
    people = [p[0] for b in batches for p in b.people]
    assert len(people) == len(set(people)) == 21  # nobody split in two
    assert joined(batches) == joined(whole(path))
    sent = [b for b in batches if b.row_numbers]
    assert len(sent) < ranges  # ranges inside the long person hold nothing


@pytest.mark.parametrize("range_bytes", [60, 300, 700, 2500])
@pytest.mark.parametrize("odd", ["quoted line break", "lone carriage return",
                                 "line break in the record id"])
def test_a_record_of_two_lines_reads_the_rest_in_one_go_with_the_same_result(
        tmp_path, odd, range_bytes):
    rows = odd_rows()
    if odd == "quoted line break":
        rows[25][INDEX["COMMENT_TEXT"]] = "SEE\nCOMMENT"
    elif odd == "lone carriage return":
        rows[25][INDEX["COMMENT_TEXT"]] = "SEE\rCOMMENT"
    else:
        rows[25][INDEX["RECORD_ID"]] = "R\n25"
    path = write_text(tmp_path / "d.csv", rows)
    batches, last, _ = split_here(path, range_bytes)
    assert last is not None and last < 28  # row 27 holds it (after the header)
    assert joined(batches + whole(path, last_row=last)) == joined(whole(path))


@pytest.mark.parametrize("range_bytes", [60, 700, 2500])
@pytest.mark.parametrize("damage", ["short row", "bytes not utf-8", "long field"])
def test_a_damaged_row_is_reported_as_reading_the_whole_file_reports_it(
        tmp_path, damage, range_bytes):
    rows = odd_rows() + doj_rows(250)  # past the 64 KB the encoding is told from
    path = write_text(tmp_path / "d.csv", rows)
    data = path.read_bytes()
    target = data.index(b"SAMPLE240,PAT")
    assert target > 1 << 16
    if damage == "short row":
        rows[-30] = rows[-30][:90]
        write_text(path, rows)
    elif damage == "bytes not utf-8":
        path.write_bytes(data[:target] + b"\xff\xfe" + data[target + 2:])
    else:
        rows[-30][INDEX["COMMENT_TEXT"]] = "X" * ((1 << 20) + 1)
        write_text(path, rows)
    with pytest.raises(BadInput) as one:
        whole(path)
    batches, last, _ = split_here(path, range_bytes)
    assert last is not None
    with pytest.raises(BadInput) as rest:
        whole(path, last_row=last)
    assert (str(rest.value), rest.value.row) == (str(one.value), one.value.row)


# -- the two processes ----------------------------------------------------------------------

TABLES = ("imports", "source_rows", "people", "cases", "convictions", "person_events",
          "import_errors")


def imported(tmp_path, name: str, path, **options) -> dict:
    from clerkapp.store import Store

    with Store(tmp_path / f"{name}.db") as store:
        import_files(store, [path], **options)
        skip = {"started_at", "finished_at", "created_at", "file_path"}
        dump = {}
        for table in TABLES:
            cols = [c[1] for c in store.conn.execute(f"PRAGMA table_info({table})")
                    if c[1] not in skip]
            rows = [tuple(r) for r in store.conn.execute(
                f'SELECT {",".join(chr(34) + c + chr(34) for c in cols)} FROM {table}'
                " ORDER BY id")]
            if table == "source_rows":  # each row's cells, in whichever form kept (joined())
                at = cols.index("values")
                rows = [(*r[:at], row_cells(r[at]), *r[at + 1:]) for r in rows]
            dump[table] = rows
    assert workers_alive() == []
    return dump


@pytest.mark.parametrize("odd", [None, "quoted line break"])
def test_two_processes_write_the_store_one_writes(tmp_path, monkeypatch, odd):
    rows = odd_rows() * 3
    if odd:
        rows[150][INDEX["COMMENT_TEXT"]] = "SEE\nCOMMENT"
    path = write_text(tmp_path / "d.csv", rows)
    monkeypatch.setattr(split_reading, "RANGE_BYTES", 3000)
    monkeypatch.setattr(service, "BATCH_SIZE", 50)
    split = imported(tmp_path, "split", path)
    monkeypatch.setattr(split_reading, "SPLIT_MIN_BYTES", 1 << 62)
    one = imported(tmp_path, "one", path)
    assert split == one
    assert len(one["source_rows"]) == len(rows) and one["import_errors"]


def test_the_reader_is_split_only_for_a_doj_text_file(tmp_path, monkeypatch):
    monkeypatch.setattr(split_reading, "RANGE_BYTES", 3000)
    path = write_text(tmp_path / "d.csv", odd_rows())
    with open_reader(path, preset="auto", mapping=None, sheet=None, batch_size=50) as reader:
        assert isinstance(reader, SplitReader) and reader.header.total_rows == len(odd_rows())
        batches = list(reader)
        assert reader._split
    assert joined(batches) == joined(whole(path, 50)) != joined([])
    sheet = tmp_path / "court.csv"
    sheet.write_text("Name,DOB,Case Number,Code Section,Disposition Date\n"
                     "SAMPLE,PAT,19800101,LA1,11357(c) HS,20100415\n")
    with open_reader(sheet, preset="auto", mapping=None, sheet=None, batch_size=50) as reader:
        assert reader.header.preset == "generic" and not reader._split
        assert len([r for b in reader for r in b.row_numbers]) == 1
    assert workers_alive() == []


def test_a_damaged_row_from_two_processes_is_the_same_bad_input(tmp_path, monkeypatch):
    rows = doj_rows(600)
    rows[1000] = rows[1000][:90]
    path = write_doj(tmp_path / "damaged.csv", rows)
    monkeypatch.setattr(split_reading, "RANGE_BYTES", 20_000)
    monkeypatch.setattr(service, "BATCH_SIZE", 100)
    from clerkapp.store import Store

    with Store(tmp_path / "s.db") as store, pytest.raises(BadInput) as info:
        import_files(store, [path])
    assert (info.value.row, info.value.file) == (1002, str(path))
    assert "has 90 fields where the file has 95" in str(info.value)
    assert workers_alive() == []


def test_cancel_ends_both_processes(tmp_path, monkeypatch):
    from clerkapp.store import Store

    monkeypatch.setattr(split_reading, "RANGE_BYTES", 20_000)
    monkeypatch.setattr(service, "BATCH_SIZE", 100)
    with Store(tmp_path / "s.db") as store:
        seen, workers = cancel_part_way(
            store, write_doj(tmp_path / "d.csv", doj_rows(3000)), 1000)
        assert store.table_counts()["source_rows"] == 0
    assert 1000 <= max(seen) < 6000
    assert len({p.pid for p in workers}) == 2 and not any(p.is_alive() for p in workers)
    assert workers_alive() == []
