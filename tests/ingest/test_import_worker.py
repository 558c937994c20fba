"""Large files are read in a worker process while the importer writes: what goes wrong there
reaches the caller as it would have in-process, the store is left as it was, and no worker
outlives its import."""

from __future__ import annotations

import json
import multiprocessing

import import_worker_helpers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_import_service import doj_rows, write_doj

from clerkapp.errors import BadInput, DuplicateImport
from clerkapp.ingest import reading, service
from clerkapp.ingest.doj_fields import INDEX
from clerkapp.ingest.reading import LocalReader, ReaderFailed, WorkerReader, open_reader
from clerkapp.ingest.service import import_files
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.store.flatten import encode_texts

PEOPLE = 3000  # 6,000 rows: two batches of 5,000 rows at the default size


@pytest.fixture(autouse=True)
def reading_path(monkeypatch) -> str:
    """Here every file is read in the worker (tests comparing both set the threshold)."""
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", 0)
    return "worker"


@pytest.fixture
def started_store(tmp_path, store):
    """A store holding one earlier import, so 'unchanged' means more than 'empty'."""
    import_files(store, [write_doj(tmp_path / "earlier.csv", doj_rows(3))])
    return store


def workers_alive() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "clerkapp-import-reader"]


def test_the_threshold_picks_where_the_file_is_read(tmp_path, monkeypatch):
    path = write_doj(tmp_path / "d.csv", doj_rows(2))
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", path.stat().st_size + 1)
    with open_reader(path, preset="auto", mapping=None, sheet=None, batch_size=10) as reader:
        assert isinstance(reader, LocalReader)
        here = [list(b) for b in reader]
    monkeypatch.setattr(reading, "WORKER_MIN_BYTES", path.stat().st_size)
    with open_reader(path, preset="auto", mapping=None, sheet=None, batch_size=10) as reader:
        assert isinstance(reader, WorkerReader) and reader.header.preset == "doj"
        assert reader.header.total_rows == 4
        there = [list(b) for b in reader]
    assert there == here and len(here) == 1 and len(here[0][1]) == 4  # one batch, four rows
    assert workers_alive() == []


def test_a_damaged_row_late_in_a_big_file_is_the_same_bad_input_as_in_process(
        tmp_path, started_store, monkeypatch):
    rows = doj_rows(PEOPLE)
    rows[5800] = rows[5800][:90]  # file row 5802: after a whole batch was written
    path = write_doj(tmp_path / "damaged.csv", rows)
    before = started_store.table_counts()
    errors = []
    for threshold in (1 << 62, 0):  # read here, then in the worker
        monkeypatch.setattr(reading, "WORKER_MIN_BYTES", threshold)
        with pytest.raises(BadInput) as info:
            import_files(started_store, [path])
        errors.append(info.value)
        assert started_store.table_counts() == before
        assert workers_alive() == []
    here, there = errors
    assert type(there) is type(here) is BadInput
    assert (there.file, there.row, there.column) == (here.file, here.row, here.column)
    assert (there.file, there.row, there.column) == (str(path), 5802, None)
    assert str(there) == str(here) == (
        f"{path}, row 5802: has 90 fields where the file has 95 (damaged, perhaps by a re-save"
        " in a spreadsheet program); nothing was imported")


def test_a_wrong_header_from_the_worker_names_the_column(tmp_path, store):
    path = write_doj(tmp_path / "header.csv", doj_rows(2))
    text = path.read_text().replace("SUBJECT_ID", "SUBJECT", 1)
    path.write_text(text)
    with pytest.raises(BadInput) as info:
        import_files(store, [path])
    assert info.value.row == 1 and info.value.column == f"{INDEX['SUBJECT_ID'] + 1}"
    assert "'SUBJECT'" in str(info.value)
    assert store.table_counts()["imports"] == 0


def cancel_part_way(store, path, at: int) -> tuple[list[int], list]:
    """Import `path`, cancelling once `at` rows are written: the rows written by each
    progress call, and the reading processes alive meanwhile."""
    token = CancelToken()
    seen: list[int] = []
    workers: list = []

    def progress(done, total, message):
        seen.append(done)
        workers.extend(workers_alive())
        if done >= at:
            token.cancel()

    with pytest.raises(Cancelled):
        import_files(store, [path], progress=progress, cancel=token)
    return seen, workers


def test_cancel_mid_import_rolls_back_and_ends_the_worker(
        tmp_path, started_store, monkeypatch):
    monkeypatch.setattr(service, "BATCH_SIZE", 500)
    before = started_store.table_counts()
    seen, workers = cancel_part_way(
        started_store, write_doj(tmp_path / "big.csv", doj_rows(PEOPLE)), 1500)
    assert 1500 <= max(seen) < 2 * PEOPLE  # cancelled part-way, after some batches
    assert workers and not any(p.is_alive() for p in workers)
    assert workers_alive() == []
    assert started_store.table_counts() == before


def test_the_first_file_is_read_while_the_files_are_hashed_and_a_refusal_ends_it(
        tmp_path, started_store, monkeypatch):
    """The first file's worker starts before the files are hashed (starting one takes as
    long); a duplicate found meanwhile refuses the import as before and ends the worker."""
    seen: list = []
    hashed = service.file_sha256

    def hashing(path):
        seen.append((path.name, len(workers_alive())))
        return hashed(path)

    monkeypatch.setattr(service, "file_sha256", hashing)
    first = write_doj(tmp_path / "first.csv", doj_rows(20))
    again = tmp_path / "again.csv"
    again.write_bytes((tmp_path / "earlier.csv").read_bytes())
    before = started_store.table_counts()
    with pytest.raises(DuplicateImport, match="already imported as import #1"):
        import_files(started_store, [first, again])
    assert seen == [("first.csv", 1), ("again.csv", 1)]
    assert workers_alive() == []
    assert started_store.table_counts() == before
    seen.clear()
    rows = doj_rows(8)[4:]
    (summary, other) = import_files(started_store, [first, write_doj(tmp_path / "b.csv", rows)])
    assert (summary.rows, other.rows) == (len(doj_rows(20)), len(rows))
    assert seen == [("first.csv", 1), ("b.csv", 1)]
    assert workers_alive() == []


def test_cancel_before_the_worker_answers(tmp_path, store):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        import_files(store, [write_doj(tmp_path / "d.csv", doj_rows(5))], cancel=token)
    assert workers_alive() == []
    assert store.table_counts()["imports"] == 0


def test_a_bug_in_the_worker_is_an_error_without_personal_data(
        tmp_path, started_store, monkeypatch):
    monkeypatch.setattr(reading, "WORKER_TARGET", import_worker_helpers.raise_after_first_batch)
    before = started_store.table_counts()
    with pytest.raises(ReaderFailed) as info:
        import_files(started_store, [write_doj(tmp_path / "big.csv", doj_rows(PEOPLE))])
    message = str(info.value)
    assert "ValueError" in message and "import_worker_helpers.py" in message
    assert "SAMPLESON" not in message and "1980" not in message
    assert started_store.table_counts() == before
    assert workers_alive() == []


def test_a_worker_that_dies_is_an_error_not_a_hang(
        tmp_path, started_store, monkeypatch):
    monkeypatch.setattr(reading, "WORKER_TARGET", import_worker_helpers.die_after_first_batch)
    before = started_store.table_counts()
    with pytest.raises(ReaderFailed) as info:
        import_files(started_store, [write_doj(tmp_path / "big.csv", doj_rows(PEOPLE))])
    assert "ended unexpectedly" in str(info.value) and "exit code 3" in str(info.value)
    assert started_store.table_counts() == before
    assert workers_alive() == []


def test_both_paths_write_the_same_store(tmp_path, monkeypatch):
    from clerkapp.store import Store

    rows = doj_rows(40)
    rows[2][INDEX["PRI_DOB"]] = "not a date"  # a row error too (on a person's first row)
    path = write_doj(tmp_path / "d.csv", rows)
    monkeypatch.setattr(service, "BATCH_SIZE", 7)
    dumps = []
    for where, threshold in (("here", 1 << 62), ("worker", 0)):
        monkeypatch.setattr(reading, "WORKER_MIN_BYTES", threshold)
        with Store(tmp_path / f"{where}.db") as store:
            import_files(store, [path])
            dumps.append({
                table: [tuple(r) for r in store.conn.execute(
                    f"SELECT * FROM {table} ORDER BY id")]
                for table in ("source_rows", "people", "cases", "convictions",
                              "person_events", "import_errors")})
    assert dumps[0] == dumps[1]
    assert dumps[0]["import_errors"] and len(dumps[0]["source_rows"]) == 80


@given(st.lists(st.text()))
def test_rows_are_encoded_exactly_as_json_dumps_writes_them(values):
    assert encode_texts(values) == json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def test_a_batch_crosses_as_marshal_data_and_anything_else_pickled(tmp_path):
    """Batches go to the importer as marshal data, faster than pickle; a value marshal cannot
    write (none today, but a parser may one day hand one out) still crosses, pickled, and
    so do the header and the errors."""
    from datetime import date

    from clerkapp.ingest.doj import open_doj
    from clerkapp.store.flatten import flatten

    path = write_doj(tmp_path / "d.csv", doj_rows(4))
    (batch,) = [flatten(b) for b in open_doj(path).batches()]
    data = reading.encode_message(reading.BATCH, batch)
    assert data[:1] == b"M"
    assert reading.decode_message(data) == (reading.BATCH, batch)
    odd = batch._replace(notes=date(2020, 1, 1))
    data = reading.encode_message(reading.BATCH, odd)
    assert data[:1] == b"P" and reading.decode_message(data) == (reading.BATCH, odd)
    failure = (reading.BAD_INPUT, ("BadInput", "bad", "f.csv", 3, "CYC_DATE"))
    assert reading.decode_message(reading.encode_message(*failure)) == failure
