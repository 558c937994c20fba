"""The row of a file's first NUL byte, found wherever it lies: in the first block read, past
it, on a block's first byte, or nowhere."""

from __future__ import annotations

import pytest

from clerkapp.ingest.textfile import nul_row

BLOCK = 1 << 20  # what nul_row reads at a time


def _file(tmp_path, data: bytes):
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("line", [1, 2, 5000, 40_000])
def test_the_row_of_the_first_nul_is_named(tmp_path, line):
    rows = [b"A,B,C%d" % i for i in range(1, 50_001)] * 3  # 1.5 MB: two blocks
    rows[line - 1] = rows[line - 1][:2] + b"\x00" + rows[line - 1][2:]
    rows[-1] = rows[-1] + b"\x00"  # a later one does not count
    assert nul_row(_file(tmp_path, b"\n".join(rows) + b"\n")) == line


def test_a_nul_past_the_first_block_is_counted_from_the_start(tmp_path):
    rows = [b"x" * 99 for _ in range(15_000)]  # 1.5 MB of 100-byte lines
    data = b"\n".join(rows) + b"\n"
    at = BLOCK + 2_000 * 100 + 7  # in the second block
    data = data[:at] + b"\x00" + data[at + 1:]
    assert nul_row(_file(tmp_path, data)) == data[:at].count(b"\n") + 1


def test_a_nul_on_the_first_byte_of_a_block(tmp_path):
    data = bytearray(b"abc,def\n" * (BLOCK // 8 + 10))
    data[BLOCK] = 0
    assert nul_row(_file(tmp_path, bytes(data))) == BLOCK // 8 + 1


def test_no_nul_gives_none(tmp_path):
    assert nul_row(_file(tmp_path, b"a,b\n" * 400_000)) is None
