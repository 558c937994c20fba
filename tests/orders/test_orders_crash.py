"""kill -9 at each step of printing: afterwards every order file under its final name is
recorded, every recorded order is on disk, and the next run cleans what the crash left and
says so (issue: 19 of 20 killed runs used to leave unrecorded PDFs, and reruns `_2` copies)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clerkapp.cli.main import main
from clerkapp.files.check import check_recorded_files
from clerkapp.store import Store

CHILD = Path(__file__).with_name("crash_child.py")
PRINTABLE = 5  # court_store: approved convictions with relief, in 4 cases

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _kill_at(db: Path, out: Path, point: str, n: int, bulk: bool) -> None:
    args = [sys.executable, str(CHILD), str(db), str(out), point, str(n)]
    done = subprocess.run(args + (["--bulk"] if bulk else []), capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert done.returncode == -9, done.stderr


def _assert_files_match_records(db: Path, out: Path) -> None:
    with Store(db) as store:
        recorded = {r[0] for r in store.conn.execute("SELECT path FROM orders")}
        assert check_recorded_files(store) == []
        assert store.verify_audit_chain() is None
    on_disk = {str(p) for p in out.glob("*.pdf")}
    assert on_disk <= recorded  # no order file the store does not record
    assert all(p.stat().st_size > 0 for p in out.glob("*.pdf"))
    assert not [p for p in out.iterdir() if p.name.startswith(".clerkapp-")]


@pytest.mark.parametrize(("point", "n", "bulk", "committed"), [
    ("staged", 2, False, False),
    ("record", 0, False, False),
    ("replace", 2, False, True),
    ("finish", 0, False, None),  # every file was in place already: nothing to say
    ("staged", 0, True, False),
    ("record", 0, True, False),
    ("replace", 1, True, None),
])
def test_killed_print_run_leaves_no_orphan(court_store, tmp_path, capsys, point, n, bulk,
                                           committed):
    db, out = court_store.path, tmp_path / "orders"
    court_store.close()
    _kill_at(db, out, point, n, bulk)
    before = {p.name for p in out.glob("*.pdf")}
    with Store(db) as store:
        recorded = {Path(r[0]).name for r in store.conn.execute("SELECT path FROM orders")}
    assert before <= recorded  # even before any cleaning

    code = main(["--db", str(db), "orders", str(out), "--unprinted"]
                + (["--bulk"] if bulk else []))
    err = capsys.readouterr().err
    if committed is None:
        assert code == 2 and "interrupted" not in err
    elif committed:  # recorded before the kill: moved into place, nothing left to print
        assert code == 2 and "recorded file(s) of an interrupted earlier run into place" in err
    else:  # nothing recorded: the temporary files are removed and the rerun prints all
        assert code == 0, err
        assert "unfinished file(s) an interrupted earlier run left" in err
    _assert_files_match_records(db, out)
    names = [p.name for p in out.glob("*.pdf")]
    assert not [name for name in names if "_2." in name]  # no copies beside leftovers
    with Store(db) as store:
        covered = store.conn.execute(
            "SELECT count(DISTINCT conviction_id), count(*) FROM order_items").fetchone()
    assert tuple(covered) == (PRINTABLE, PRINTABLE)  # each printed once, none lost
