"""File ▸ Back up… and File ▸ Restore… in the real window, offscreen, on a real store."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QSettings

from bench.testdata import fill_queue
from clerkapp.review.service import decide
from clerkapp.store.backup import read_facts
from clerkapp.store.queue import QueueFilter
from clerkapp.ui import backup_actions
from clerkapp.ui.mainwindow import MainWindow
from clerkapp.ui.views import prompts

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def window(qtbot, store, tmp_path):
    fill_queue(store, 60, seed=5)
    w = MainWindow(store, settings=QSettings(str(tmp_path / "desk.ini"),
                                             QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def _facts(path):
    """What a backup holds: a store file's copy, or a shared store's pg_dump archive."""
    if path.suffix == ".dump":
        from clerkapp.store.pg.dump import read_archive_facts

        return read_archive_facts(path)
    return read_facts(path)


def _reviews(store) -> list[tuple]:
    columns = "id, conviction_id, status, clerk, decided_at"
    return sorted(tuple(r) for r in store.conn.execute(f"SELECT {columns} FROM reviews"))


def _pending_dismissals(store, n):
    return [i for i in store.queue_ids(QueueFilter(outcome="dismiss_and_seal"))][:n]


def test_back_up_then_restore_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    store = window.store
    decide(store, _pending_dismissals(store, 2), "approved", clerk="A. Clerk")
    out = tmp_path / "saved" / f"monday{'.dump' if store.engine == 'postgresql' else '.db'}"
    out.parent.mkdir()
    monkeypatch.setattr(backup_actions, "ask_save_path", lambda *a, **k: out)
    menu = window.menus["File"]
    texts = [a.text() for a in menu.actions()]
    assert "&Back up…" in texts and "&Restore…" in texts

    window.actions.backup.trigger()
    job = window.job
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    assert window.job is None
    assert _facts(out).counts["reviews"] == 2
    assert "Backed up to" in window.status.currentMessage()
    backed_up = _reviews(store)

    # work after the backup, then restore: the window shows the backup's state again
    later = _pending_dismissals(store, 5)[2:]
    decide(store, later, "denied", clerk="A. Clerk", note="not ours")
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 5
    monkeypatch.setattr(backup_actions.SafeFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text: asked.append(text) or True)
    told = []
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(prompts, "warn", lambda parent, title, text: told.append(text))
    window.actions.restore.trigger()
    job = window.job
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.job is None)
    assert "60 convictions, 5 decisions" in asked[0]
    # when the backup chosen was written, so an old or a wrong one shows before it replaces
    written = datetime.fromtimestamp(out.stat().st_mtime)
    assert f"with the backup {out}\n(written {written:%Y-%m-%d %H:%M})?" in asked[0]
    assert told and "replaced store is kept" in told[0], told
    # the window's own store object reads the restored file
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2
    assert _reviews(store) == backed_up
    assert store.check_chain().ok
    kept = [p for p in tmp_path.rglob("*") if ".replaced-" in p.name]
    assert len(kept) == 1 and _facts(kept[0]).counts["reviews"] == 5
    assert window.model.rowCount() > 0
    menu.adjustSize()
    menu.grab().save(str(tmp_path / "file-menu.png"))


def test_a_refused_restore_leaves_the_window_working(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / f"notes{'.dump' if window.store.engine == 'postgresql' else '.db'}"
    bad.write_text("not a store\n" * 50)
    monkeypatch.setattr(prompts, "confirm", lambda *a: True)
    warned = []
    monkeypatch.setattr(prompts, "warn", lambda parent, title, text: warned.append(text))
    job = backup_actions.restore(window, bad)
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.job is None)
    assert "not a clerkapp store" in warned[0] or "not a PostgreSQL backup" in warned[0]
    assert window.store.conviction_count() == 60
    assert not [p for p in tmp_path.rglob("*") if ".replaced-" in p.name]


def test_no_count_read_starts_while_a_restore_runs(qtbot, window, tmp_path, monkeypatch):
    """The counts a backup's end (or a decision) asks for are read 120 ms later on a
    connection of their own; a restore started meanwhile found the store 'open in another
    clerkapp window or program' and refused (seen under load in the suite)."""
    store = window.store
    out = tmp_path / f"b{'.dump' if store.engine == 'postgresql' else '.db'}"
    monkeypatch.setattr(backup_actions, "ask_save_path", lambda *a, **k: out)
    window.actions.backup.trigger()
    with qtbot.waitSignal(window.job.finished, timeout=20000):
        pass
    monkeypatch.setattr(backup_actions.SafeFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    monkeypatch.setattr(prompts, "confirm", lambda *a: True)
    told: list[str] = []
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(prompts, "warn", lambda parent, title, text: told.append(text))
    window.counts.request(QueueFilter())  # as the backup's end asks
    window.closeout_counts.request()
    window.actions.restore.trigger()
    job = window.job
    assert job is not None
    for counter in (window.counts, window.closeout_counts):
        counter.request(QueueFilter())  # asked again while the restore runs: held
        assert not counter._timer.isActive()
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    qtbot.waitUntil(lambda: window.job is None)
    assert told and "replaced store is kept" in told[0], told
