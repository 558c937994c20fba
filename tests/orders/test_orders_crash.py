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
from clerkapp.files.outputs import recover_outputs
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


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to see the workers")
def test_a_killed_run_leaves_no_worker_behind(store, casebook, court_profile, tmp_path):
    """A run large enough to draw in worker processes, killed: its workers end too."""
    import time

    from clerkapp.orders.case_workers import PARALLEL_MIN_CASES
    from clerkapp.review.service import decide

    court_profile(store)
    ids = [casebook.conviction(f"W-{n:04d}", f"WORKER,CASE {n}", cii=f"W{n:08d}")
           for n in range(PARALLEL_MIN_CASES + 20)]
    decide(store, ids, "approved", clerk="Clerk Test")
    db, out, pids = store.path, tmp_path / "orders", tmp_path / "pids"
    store.close()
    args = [sys.executable, str(CHILD), str(db), str(out), "staged", "30"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.getcwd(), "CRASH_PIDS": str(pids)})
    assert done.returncode == -9, done.stderr
    workers = [int(p) for p in pids.read_text().split()]
    assert workers  # the run was drawing in workers when it was killed
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if _alive(p)]
    with Store(db) as store:
        assert recover_outputs(store).removed == 30  # the files written, none recorded
    _assert_files_match_records(db, out)
