"""A restore killed (SIGKILL: no cleanup runs) at each step (fault run 8): killed after writing
the store, the next open raised the tampering alarm ("audit entries were deleted") for the
clerk's own restore; killed after keeping the dated copy, the copy of the whole store stayed
behind. Now the next open finishes the one (verified in full, anchored, recorded) and removes
the other, and the store verifies either way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from clerkapp.backup import backup_store
from clerkapp.cli.main import main
from clerkapp.integrity import check_store
from clerkapp.store import Store
from clerkapp.store.restore_intent import intent_path
from tests.test_backup import _work

ROOT = Path(__file__).resolve().parent.parent

# `clerkapp restore --force` in a child that kills itself once POINT is passed
CHILD = """
import os, signal, sys
from clerkapp import backup
from clerkapp.cli.main import main
db, source, point = sys.argv[1:4]
def killing(name):
    real = getattr(backup, name)
    def step(*args, **kwargs):
        result = real(*args, **kwargs)
        if name == point:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(backup, name, step)
for name in ("_keep", "overwrite_store", "copy_store"):
    killing(name)
if point == "accept_chain":
    from clerkapp.store import Store
    real_accept = Store.accept_chain
    def accept(self):
        status = real_accept(self)
        os.kill(os.getpid(), signal.SIGKILL)
    Store.accept_chain = accept
command = ["backup", source] if point == "backup" else ["restore", "--force", source]
if point == "backup":
    killing_backup = getattr(backup, "copy_store")
    def copy_then_die(*args, **kwargs):
        killing_backup(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    backup.copy_store = copy_then_die
sys.exit(main(["--db", db, *command]))
"""


def _killed_restore(db: Path, source: Path, point: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(db), str(source), point],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr


def _actions(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT action FROM audit_log ORDER BY id")]


@pytest.mark.parametrize("point, landed", [("_keep", False), ("overwrite_store", True),
                                           ("accept_chain", True)])
def test_a_killed_restore_is_settled_on_the_next_open(tmp_path, capsys, point, landed):
    db = tmp_path / "clerk.db"
    _work(db)
    backup = tmp_path / "monday.db"
    backup_store(db, backup, operator="IT")
    later = _work(db)  # work after the backup: the restore takes the store back before it
    _killed_restore(db, backup, point)
    assert intent_path(db).exists()
    with Store(db) as store:
        report = check_store(store)
        assert report.ok, report.first_problem()
        head = store.chain_head()
    assert not intent_path(db).exists()
    copies = sorted(p.name for p in tmp_path.glob("clerk.replaced-*.db"))
    if landed:
        assert head != later
        assert _actions(db)[-1] == "store.restored"
        assert copies  # the store it replaced is kept, as after a restore not killed
    else:
        assert head == later  # the store was never written: as it was
        assert "store.restored" not in _actions(db)
        assert copies == []  # its needless copy removed
    assert main(["--db", str(db), "verify", "--no-files"]) == 0
    assert "OK: the store matches its audit log" in capsys.readouterr().out


def test_a_restore_not_killed_leaves_no_intent(tmp_path):
    db = tmp_path / "clerk.db"
    _work(db)
    backup = tmp_path / "monday.db"
    backup_store(db, backup, operator="IT")
    _work(db)
    assert main(["--db", str(db), "restore", "--force", str(backup)]) == 0
    assert not intent_path(db).exists()
    assert _actions(db).count("store.restored") == 1


def test_a_working_copy_a_kill_left_is_removed_by_the_next_run(tmp_path):
    """Killed once the backup's copy, or the restore's private copy of the backup, is
    written: the copy (the store's data, recorded nowhere) stays; the next backup or restore
    of the same file removes it, and completes."""
    db = tmp_path / "clerk.db"
    _work(db)
    monday = tmp_path / "monday.db"
    _killed_restore(db, monday, "backup")
    assert [p.name for p in tmp_path.glob(".monday.db.backup-*.tmp")]
    assert main(["--db", str(db), "backup", str(monday)]) == 0
    assert not list(tmp_path.glob(".monday.db.backup-*.tmp"))
    _work(db)
    _killed_restore(db, monday, "copy_store")
    assert [p.name for p in tmp_path.glob(".clerk.db.restore-*.tmp")]
    assert not intent_path(db).exists()  # killed before anything was decided
    assert main(["--db", str(db), "restore", "--force", str(monday)]) == 0
    assert not list(tmp_path.glob(".*.tmp"))
