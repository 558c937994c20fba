"""A restore of a shared PostgreSQL store killed (SIGKILL) after pg_restore committed and before
the restored chain was anchored and recorded (fault run 8): the next open raised the tampering
alarm for the clerk's own restore. Killed while keeping the replaced store's archive, the
archive stayed. Now the next open settles either, as for a store file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clerkapp.backup import backup_store
from clerkapp.integrity import check_store
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.restore_intent import intent_path
from tests.store_targets.test_backup_pg import shared  # noqa: F401
from tests.store_targets.test_migrate_store import worked_store  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent.parent

CHILD = """
import os, signal, sys
from clerkapp import backup_pg
from clerkapp.cli.main import main
url, source, point = sys.argv[1:4]
real = getattr(backup_pg.pg, point)
def step(*args, **kwargs):
    result = real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(backup_pg.pg, point, step)
sys.exit(main(["--db", url, "restore", "--force", source]))
"""


def _more_work(url: str) -> tuple[int, str]:
    with Store(url) as store:
        pending = [r[0] for r in store.conn.execute(
            "SELECT id FROM convictions WHERE review_status = 'pending' ORDER BY id LIMIT 1")]
        decide(store, pending, "deferred", clerk="A. Clerk", note="later")
        return store.chain_head()


@pytest.mark.parametrize("point, landed", [("dump", False), ("restore", True)])
def test_a_killed_pg_restore_is_settled_on_the_next_open(shared, tmp_path, point,  # noqa: F811
                                                         landed):
    backup = tmp_path / "monday.dump"
    backup_store(shared, backup)
    later = _more_work(shared)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, shared, str(backup), point], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert intent_path(shared).exists()
    with Store(shared) as store:
        report = check_store(store)
        assert report.ok, report.first_problem()
        head = store.chain_head()
        last = store.conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1"
                                  ).fetchone()[0]
    assert not intent_path(shared).exists()
    kept = list(tmp_path.glob("*.replaced-*.dump"))
    if landed:
        assert head != later and last == "store.restored" and kept
    else:
        assert head == later and last != "store.restored" and not kept
