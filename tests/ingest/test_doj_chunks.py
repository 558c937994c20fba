"""Reading a DOJ file a chunk of rows at a time gives what reading it row by row gives: the
same rows, records, errors and batches, the same row named when the file is damaged, and
each row's cells stored as exactly the JSON `json.dumps` writes, whatever they hold."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerkapp.domain.records import ParsedBatch
from clerkapp.errors import BadInput
from clerkapp.ingest import doj
from clerkapp.ingest.doj import open_doj, plain_bytes
from clerkapp.ingest.doj_columns import SUBJECT_ID
from clerkapp.ingest.doj_fields import FIELDS
from clerkapp.ingest.doj_records import RecordBuilder
from clerkapp.store.flatten import encode_texts, flatten
from clerkapp.store.row_text import UNIT, joined_rows, row_cells
from tests.ingest.test_doj import conviction_row, doj_row, write


def _dumps(cells: list[str]) -> str:
    return json.dumps(cells, ensure_ascii=False, separators=(",", ":"))


def row_by_row(path, batch_size):
    """The reading this replaces: one row at a time, a person's rows built together, a batch
    ending between people once it holds `batch_size` rows."""
    parsed = open_doj(path)
    builder = RecordBuilder(parsed.bear_columns)
    batches, batch, person, subject = [], ParsedBatch(), [], None
    with open(path, encoding=parsed.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=parsed.delimiter)
        if parsed.has_header:
            next(reader)
        for n, row in enumerate(reader, start=2 if parsed.has_header else 1):
            if not row:
                continue
            if row[SUBJECT_ID] != subject:
                if person:
                    builder.add_person(person, batch)
                    batch.row_person_keys.extend([batch.people[-1].key] * len(person))
                    if len(batch.rows) >= batch_size:
                        batches.append(batch)
                        batch = ParsedBatch()
                    person = []
                subject = row[SUBJECT_ID]
            person.append((n, row))
            batch.rows.append((n, row))
    if person:
        builder.add_person(person, batch)
        batch.row_person_keys.extend([batch.people[-1].key] * len(person))
    if batch.rows:
        batches.append(batch)
    return batches


def _content(batch: ParsedBatch):
    return (batch.rows, batch.people, batch.convictions, batch.events, batch.errors,
            batch.row_person_keys)


def _people_file(tmp_path, sizes, name="people.csv", header=True, **extra):
    """A file of people with the given numbers of rows each: convictions, dismissals, arrests."""
    rows = []
    for i, size in enumerate(sizes):
        for j in range(size):
            kind = j % 3
            if kind == 0:
                rows.append(conviction_row(SUBJECT_ID=str(5000 + i), CNT_ORDER=f"00100{j}001000",
                                           **extra))
            elif kind == 1:
                rows.append(conviction_row(SUBJECT_ID=str(5000 + i), CNT_ORDER=f"00100{j}001000",
                                           DISP_DESCR="DISMISSED", CONV_STAT_DESCR="", **extra))
            else:
                rows.append(doj_row(SUBJECT_ID=str(5000 + i), CYC_ORDER="002",
                                    STP_TYPE_DESCR="ARREST/DETAINED/CITED",
                                    STP_EVENT_DATE="20010203", **extra))
    return write(tmp_path / name, rows, header=header)


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 7, 2000])
@pytest.mark.parametrize("batch_size", [1, 4, 5000])
def test_chunks_give_the_batches_row_by_row_reading_gives(tmp_path, monkeypatch, chunk_rows,
                                                          batch_size):
    # people of 1 to 7 rows, so that people start, end and straddle every chunk boundary
    path = _people_file(tmp_path, [1, 7, 2, 1, 1, 5, 3, 6, 1, 4, 2, 2, 7, 1])
    monkeypatch.setattr(doj, "CHUNK_ROWS", chunk_rows)
    got = list(open_doj(path).batches(batch_size))
    want = row_by_row(path, batch_size)
    assert [_content(b) for b in got] == [_content(b) for b in want]
    assert all(b.plain for b in got)
    for b in want:  # the file is plain, as the chunks found: its rows are stored joined
        b.plain = True
    assert [flatten(b) for b in got] == [flatten(b) for b in want]


def test_blank_lines_keep_their_row_numbers(tmp_path, monkeypatch):
    path = _people_file(tmp_path, [2, 3, 1], header=False)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:2] + ["\n"] + lines[2:4] + ["\r\n", "\n"] + lines[4:] + ["\n"]))
    monkeypatch.setattr(doj, "CHUNK_ROWS", 2)
    got = list(open_doj(path).batches(2))
    assert [n for b in got for n, _ in b.rows] == [1, 2, 4, 5, 8, 9]
    assert [_content(b) for b in got] == [_content(b) for b in row_by_row(path, 2)]


# -- the row named when a file is damaged ----------------------------------------------------

def test_the_first_damaged_row_of_a_chunk_is_the_one_named(tmp_path, monkeypatch):
    monkeypatch.setattr(doj, "CHUNK_ROWS", 50)
    rows = [conviction_row(SUBJECT_ID=str(1000 + i)) for i in range(20)]
    rows[4] = rows[4][:94]  # row 6, counting the header
    rows[9][INDEX_COMMENT] = "X" * ((1 << 20) + 1)  # row 11: past the csv field limit
    path = write(tmp_path / "damaged.csv", rows)
    with pytest.raises(BadInput) as info:
        list(open_doj(path).batches())
    assert "row 6" in str(info.value) and "94 fields" in str(info.value)

    rows[4] = conviction_row(SUBJECT_ID="1004")
    write(path, rows)
    with pytest.raises(BadInput) as info:
        list(open_doj(path).batches())
    assert "row 11" in str(info.value) and "not a well-formed csv file" in str(info.value)
    assert "XXXX" not in str(info.value)


INDEX_COMMENT = FIELDS.index("COMMENT_TEXT")


@pytest.mark.parametrize("chunk_rows", [3, 2000])
def test_bytes_not_in_the_encoding_name_the_row_reading_row_by_row_names(tmp_path, monkeypatch,
                                                                           chunk_rows):
    monkeypatch.setattr(doj, "CHUNK_ROWS", chunk_rows)
    path = _people_file(tmp_path, [3] * 200)  # 600 rows, well past the 64 KB sniffed
    data = path.read_bytes()
    at = data.index(b"5150,")  # a row of person 150
    path.write_bytes(data[:at] + b"\xff\xfe" + data[at:])
    with pytest.raises(BadInput) as info:
        list(open_doj(path).batches())
    # the row reading row by row names: the one after the last record read before the text
    # decoder failed (it decodes the file a block at a time)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        n = 1
        try:
            for n, _ in enumerate(csv.reader(handle), start=1):  # noqa: B007
                pass
        except UnicodeDecodeError:
            pass
    assert f"row {n + 1}" in str(info.value) and "not utf-8-sig text" in str(info.value)


# -- the JSON each row is stored as ----------------------------------------------------------

TRICKY = {
    "quotes": ['SAY "HI"', '"', '""', '","', 'A","B'],
    "backslash": ["C:\\DOJ\\", "\\", '\\"'],
    "controls": ["A\x01B", "\x1f", "\x7f", "TAB\tIN", "\x0b\x0c"],
    "newlines": ["TWO\nLINES", "CR\rLF\r\n", "\n"],
    "non_ascii": ["MUÑOZ, JOSÉ", "李小龍", "\u2028\u0085", "😀", "\ufeffBOM"],
    "empty": ["", " ", "  "],
}


@pytest.mark.parametrize("kind", sorted(TRICKY))
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_tricky_cells_are_stored_in_their_batch_s_form_and_read_back(tmp_path, monkeypatch,
                                                                     kind, delimiter):
    monkeypatch.setattr(doj, "CHUNK_ROWS", 3)
    rows = []
    for i, value in enumerate(TRICKY[kind] * 3):
        row = conviction_row(SUBJECT_ID=str(7000 + i // 2), CNT_ORDER=f"00100{i % 2}001000")
        row[INDEX_COMMENT] = value
        row[FIELDS.index("POB_NAME")] = value + value
        rows.append(row)
    rows[0:0] = [conviction_row(SUBJECT_ID=str(6000 + i)) for i in range(7)]  # plain ones first
    path = tmp_path / "tricky.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, delimiter=delimiter)
        w.writerow(FIELDS)
        w.writerows(rows)
    parsed = open_doj(path)
    assert parsed.delimiter == delimiter
    batches = list(parsed.batches(2))
    assert [r for b in batches for _, r in b.rows] == rows
    for b in batches:  # a plain batch's rows joined, any other's as json.dumps writes them
        stored, cells = flatten(b).row_values, [r for _, r in b.rows]
        assert [row_cells(t) for t in stored] == cells
        assert stored == ([UNIT.join(r) for r in cells] if b.plain else list(map(_dumps, cells)))
    plain = kind in ("quotes", "non_ascii", "empty") and delimiter == ","
    assert parsed.plain == (plain or (kind == "newlines" and delimiter == ","))
    assert batches[0].plain == (plain or (kind == "newlines" and delimiter == ","))
    assert batches[-1].plain == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",))), max_size=6))
def test_a_row_reads_back_from_either_form_and_json_never_holds_the_separator(cells):
    assert UNIT not in encode_texts(cells) and UNIT not in _dumps(cells)
    assert row_cells(encode_texts(cells)) == cells
    plain = [c for c in cells if c.isprintable()]
    joined = joined_rows([plain])
    if len(plain) < 2:
        assert joined is None  # written as JSON
    else:
        assert row_cells(joined[0]) == plain


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.sampled_from('ab,"\\\n\r\t\x01é '), max_size=4), min_size=95,
                max_size=95))
def test_any_cells_written_by_csv_come_back_as_stored(tmp_path_factory, cells):
    cells[SUBJECT_ID] = "42"
    path = tmp_path_factory.mktemp("any") / "one.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([conviction_row(SUBJECT_ID="41"), cells])
    batches = list(open_doj(path).batches())
    assert [r for b in batches for _, r in b.rows][-1] == cells
    assert row_cells([t for b in batches for t in flatten(b).row_values][-1]) == cells


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_plain_bytes_finds_what_deleting_the_not_plain_bytes_finds(data):
    not_plain = bytes(b for b in range(32) if b not in b"\r\n") + b"\\"
    assert plain_bytes(data) == (len(data.translate(None, not_plain)) == len(data))


@pytest.mark.parametrize("case_number", ["BA123", 'SAY "HI"', "C:\\DOJ", "A\x01B", "MUÑOZ",
                                         "X\u2028Y", "TAB\tIN"])
def test_a_convictions_case_numbers_are_stored_as_json_dumps_writes_them(tmp_path, case_number):
    path = write(tmp_path / "case.csv", [
        conviction_row(OFN=case_number),
        conviction_row(OFN=case_number, FE_NUM_CRT_CASE="CC1", CNT_ORDER="001002002000")])
    flat = [flatten(b) for b in open_doj(path).batches()]
    stored = [c[3][1] for f in flat for c in f.convictions]
    assert stored == [_dumps([case_number]), _dumps([case_number, "CC1"])]
