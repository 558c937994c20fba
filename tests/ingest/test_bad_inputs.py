"""Every listed input, through `clerkapp import`: refused with exit 2 and one line naming the
file (and row) and the real problem, the store untouched; or imported as what it is."""

from __future__ import annotations

import codecs
import contextlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from clerkapp.cli.main import main
from clerkapp.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "sample_doj.csv"
SHEET = ["Name,DOB,Case Number,Code Section,Conviction Date",
         "GARCÍA JOSÉ,1970-01-02,A100,HS 11357,1990-03-04",
         "NGUYEN ANH,1981-05-06,A200,HS 11359,1999-07-08"]


def doj_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def sheet(tmp, encoding, sep=",", bom=b""):
    text = "\r\n".join(line.replace(",", sep) for line in SHEET) + "\r\n"
    return write(tmp, "court.csv", bom + text.encode(encoding))


REFUSED = {
    "NUL bytes in a DOJ row": (
        lambda tmp: write(tmp, "doj.csv", "\n".join(doj_lines()[:2] + [
            doj_lines()[2].replace(",", ",\x00", 1)] + doj_lines()[3:6]).encode()),
        "doj.csv, row 3: holds NUL bytes"),
    "headerless DOJ file with 94 fields": (
        lambda tmp: write(tmp, "doj.csv", "\n".join(
            line.rsplit(",", 1)[0] for line in doj_lines()[1:5]).encode()),
        "doj.csv, row 1: has 94 fields where a DOJ file has 95"),
    "headerless DOJ file with 96 fields": (
        lambda tmp: write(tmp, "doj.csv", "\n".join(
            line + ",X" for line in doj_lines()[1:5]).encode()),
        "doj.csv, row 1: has 96 fields where a DOJ file has 95"),
    "a workbook saved as .csv": (
        lambda tmp: _workbook(tmp, "court.csv"),
        "court.csv: is an Excel workbook (.xlsx) with a .csv name"),
    "a csv named .xlsx": (
        lambda tmp: write(tmp, "court.xlsx", "\n".join(SHEET).encode()),
        "court.xlsx: is not an Excel workbook although its name ends in .xlsx"),
    "a symbolic link loop": (
        lambda tmp: _loop(tmp), "loop.csv: is a symbolic link that leads back to itself"),
    "a link to nothing": (
        lambda tmp: _dangling(tmp), "gone.csv: is a shortcut (symbolic link) to a file that"
                                    " does not exist"),
    "an empty file": (lambda tmp: write(tmp, "empty.csv", b""), "empty.csv: the file is empty"),
    "a folder": (lambda tmp: _folder(tmp), "folder.csv: is a folder, not a file"),
    "a missing file": (lambda tmp: tmp / "missing.csv", "missing.csv: file not found"),
    "a PDF named .csv": (lambda tmp: write(tmp, "scan.csv", b"%PDF-1.7\n..."),
                         "scan.csv: is a PDF document, not a spreadsheet"),
}


def _workbook(tmp, name):
    from openpyxl import Workbook

    book = Workbook()
    for line in SHEET:
        book.active.append(line.split(","))
    book.save(tmp / "real.xlsx")
    return write(tmp, name, (tmp / "real.xlsx").read_bytes())


def _loop(tmp):
    link = tmp / "loop.csv"
    os.symlink(link, link)
    return link


def _dangling(tmp):
    link = tmp / "gone.csv"
    os.symlink(tmp / "nowhere.csv", link)
    return link


def _folder(tmp):
    (tmp / "folder.csv").mkdir()
    return tmp / "folder.csv"


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_with_one_line_and_exit_2(db_path, tmp_path, capsys, case):
    build, message = REFUSED[case]
    files = tmp_path / "in"
    files.mkdir()
    path = build(files)
    Store(db_path).close()
    code = main(["--db", str(db_path), "import", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert message in err, err
    with Store(db_path) as store:
        assert store.table_counts()["imports"] == 0


@contextlib.contextmanager
def as_unprivileged_user():
    """Root reads any file, and CI runs as root: the check then runs with the effective user
    `nobody` (the real user stays root, so the test takes its rights back)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_unreadable_file_is_one_line(capsys):
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-unreadable-"))
    try:
        folder.chmod(0o777)  # the unprivileged user may create the store here
        path = sheet(folder, "utf-8")
        path.chmod(0)
        db_path = folder / "clerk.db"
        with as_unprivileged_user():
            code = main(["--db", str(db_path), "import", str(path)])
        assert code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "court.csv: cannot be read: permission denied" in err and "Traceback" not in err
    finally:
        shutil.rmtree(folder, ignore_errors=True)


ENCODINGS = {
    "UTF-16 LE with BOM, tab-separated (Excel's Unicode text)": ("utf-16-le", "\t",
                                                                 codecs.BOM_UTF16_LE),
    "UTF-16 BE with BOM, tab-separated": ("utf-16-be", "\t", codecs.BOM_UTF16_BE),
    "UTF-16 LE without BOM": ("utf-16-le", ",", b""),
    "UTF-8 with BOM": ("utf-8", ",", codecs.BOM_UTF8),
    "UTF-8": ("utf-8", ",", b""),
    "Windows-1252": ("cp1252", ",", b""),
    "UTF-8, tab-separated": ("utf-8", "\t", b""),
}


@pytest.mark.parametrize("case", list(ENCODINGS))
def test_encodings_import_as_what_they_are(db_path, tmp_path, capsys, case):
    encoding, sep, bom = ENCODINGS[case]
    path = sheet(tmp_path, encoding, sep, bom)
    assert main(["--db", str(db_path), "import", str(path)]) == 0, capsys.readouterr().err
    with Store(db_path) as store:
        names = sorted(r[0] for r in store.conn.execute("SELECT name FROM people"))
        convictions = store.conn.execute(
            "SELECT case_number, code_section FROM convictions ORDER BY case_number").fetchall()
        errors = store.conn.execute("SELECT count(*) FROM import_errors").fetchone()[0]
    assert names == ["GARCÍA JOSÉ", "NGUYEN ANH"]
    assert [tuple(c) for c in convictions] == [("A100", "HS 11357"), ("A200", "HS 11359")]
    assert errors == 0


def test_a_utf16_doj_file_imports_as_doj(db_path, tmp_path, capsys):
    text = "\r\n".join(doj_lines())
    path = write(tmp_path, "doj.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert main(["--db", str(db_path), "import", str(path)]) == 0, capsys.readouterr().err
    same = tmp_path / "same.db"
    assert main(["--db", str(same), "import", str(SAMPLE)]) == 0
    with Store(db_path) as a, Store(same) as b:
        assert a.conn.execute("SELECT preset FROM imports").fetchone()[0] == "doj"
        count = "SELECT count(*), group_concat(name) FROM people"
        assert tuple(a.conn.execute(count).fetchone()) == tuple(b.conn.execute(count).fetchone())
        assert a.table_counts()["convictions"] == b.table_counts()["convictions"]


@pytest.mark.parametrize(("value", "why"), [
    ("1899-12-30", "implausible date: before 1900"),
    ("1850-06-01", "implausible date: before 1900"),
    ("2099-01-01", "implausible date: after today"),
])
def test_implausible_dates_are_row_errors_with_the_value(db_path, tmp_path, capsys, value, why):
    lines = list(SHEET)
    lines[2] = lines[2].replace("1999-07-08", value)
    path = write(tmp_path, "court.csv", "\n".join(lines).encode())
    assert main(["--db", str(db_path), "import", str(path)]) == 0
    with Store(db_path) as store:
        errors = store.conn.execute(
            "SELECT row_number, \"column\", value, message FROM import_errors").fetchall()
        dates = [r[0] for r in store.conn.execute(
            "SELECT conviction_date FROM convictions ORDER BY case_number")]
    assert [tuple(e)[:3] for e in errors] == [(3, "Conviction Date", value)]
    assert why in errors[0][3]
    assert dates == ["1990-03-04", None]  # never a silent date
