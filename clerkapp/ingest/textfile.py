"""What a file is, from its bytes: the text encoding (byte-order marks, UTF-16 without one,
UTF-8, else Windows-1252), the field separator, NUL bytes in a text file, and files whose
name says one thing and whose first bytes another (a workbook saved as .csv).

Every refusal names the file and, where there is one, the row; nothing here guesses past
what the bytes show.
"""

from __future__ import annotations

import codecs
import errno
import stat
from pathlib import Path

from clerkapp.errors import BadInput

SNIFF_BYTES = 1 << 16
_TEXT_SUFFIXES = frozenset({".csv", ".dat", ".txt", ".tsv"})
_SIGNATURES = (
    (b"PK\x03\x04", "is an Excel workbook (.xlsx) with a {suffix} name: rename it to .xlsx, or"
                    " save it from Excel as CSV"),
    (b"\xd0\xcf\x11\xe0", "is an old Excel workbook (.xls) with a {suffix} name: save it from"
                          " Excel as .xlsx or CSV"),
    (b"%PDF", "is a PDF document, not a spreadsheet"),
)


def detect_encoding(head: bytes) -> str:
    """The codec for a text file starting with `head`: a byte-order mark decides; UTF-16
    without one shows as NUL bytes in every other position; else UTF-8 when the bytes decode
    as UTF-8, else Windows-1252 (what Excel writes as "CSV" on a US Windows)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        half = len(sample) // 2
        if odd > half * 0.4 and even < half * 0.05:
            return "utf-16-le"
        if even > half * 0.4 and odd < half * 0.05:
            return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"  # also reads UTF-8 without a mark
    except UnicodeDecodeError:
        return "cp1252"


def is_utf16(encoding: str) -> bool:
    return encoding.startswith("utf-16")


def detect_delimiter(first_line: str) -> str:
    """Tab for a tab-separated file (Excel's "Unicode text"), else comma."""
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def first_line(head: bytes, encoding: str) -> str:
    text = head.decode(encoding, errors="replace")
    return text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""


def check_file(path: Path) -> None:
    """Refuse, in one line, a file that cannot be read or is not what its name says: missing,
    a symbolic link loop, a folder, permission denied, empty, a workbook or PDF under a text
    name, or NUL bytes in a text file (naming the row of the first)."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise BadInput("is a shortcut (symbolic link) to a file that does not exist",
                           file=name) from None
        raise BadInput("file not found", file=name) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise BadInput("is a symbolic link that leads back to itself (a link loop):"
                           " point it at the file itself", file=name) from None
        raise BadInput(f"cannot be read: {exc.strerror}", file=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise BadInput("is a folder, not a file", file=name)
    if info.st_size == 0:
        raise BadInput("the file is empty", file=name)
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except PermissionError:
        raise BadInput("cannot be read: permission denied (ask for read access to it, or copy"
                       " it into a folder of yours)", file=name) from None
    except OSError as exc:
        raise BadInput(f"cannot be read: {exc.strerror}", file=name) from None
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        for signature, message in _SIGNATURES:
            if head.startswith(signature):
                raise BadInput(message.format(suffix=suffix), file=name)
        encoding = detect_encoding(head)
        if not is_utf16(encoding):
            row = nul_row(path)
            if row is not None:
                raise BadInput("holds NUL bytes (a damaged file, or not a text file); nothing"
                               " was imported", file=name, row=row)
    elif suffix == ".xlsx" and not head.startswith(b"PK\x03\x04"):
        raise BadInput("is not an Excel workbook although its name ends in .xlsx (perhaps a"
                       " csv renamed: rename it back to .csv)", file=name)


def nul_row(path: Path) -> int | None:
    """The line number (1-based) of the first NUL byte in an 8-bit text file, else None.
    memchr-fast: a 300 MB file takes a few hundredths of a second from the page cache. Lines
    are counted only once a NUL is found (counting them on every block took three times as
    long as looking for the NUL)."""
    offset = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            at = block.find(b"\x00")
            if at >= 0:
                return _line_at(handle, offset + at)
            offset += len(block)
    return None


def _line_at(handle, position: int) -> int:
    """The line number (1-based) holding the byte at `position`."""
    handle.seek(0)
    lines = 0
    while position > 0:
        block = handle.read(min(1 << 20, position))
        if not block:
            break
        lines += block.count(b"\n")
        position -= len(block)
    return lines + 1
