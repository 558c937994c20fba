"""The background worker: its own store, throttled progress, cancel that stops, errors as text."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt

from clerkapp.errors import BadInput
from clerkapp.jobs import check
from clerkapp.ui.workers import format_rate, run_with_progress


def _write_rows(store, n, *, progress, cancel, gate=None):
    """A toy service: writes n settings in one transaction, checking the token each row."""
    with store.atomic():
        for i in range(n):
            if gate is not None and i == 1:
                gate.wait(5)
            check(cancel)
            store.set_setting(f"t.{i}", i)
            progress(i + 1, n, "Writing")
    return n


def test_success_runs_in_another_thread_with_its_own_store(qtbot, store):
    seen = {}

    def service(s, *, progress, cancel):
        seen["thread"] = threading.get_ident()
        seen["same_store"] = s is store
        return _write_rows(s, 5, progress=progress, cancel=cancel)

    job = run_with_progress(None, "Test", store.path, service)
    with qtbot.waitSignal(job.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == [5]
    assert seen["thread"] != threading.get_ident()
    assert seen["same_store"] is False
    assert store.get_setting("t.4") == 4
    assert job.shown is False  # a quick job never flashes a progress dialog


def test_slow_job_shows_progress_with_rate(qtbot, store):
    gate = threading.Event()

    def service(s, *, progress, cancel):
        progress(1200, 5000, "Importing doj.csv")
        gate.wait(5)
        return 1

    job = run_with_progress(None, "Importing", store.path, service, delay_ms=50)
    qtbot.waitUntil(lambda: job.shown, timeout=3000)
    qtbot.waitUntil(lambda: "1,200 of 5,000 rows" in job.dialog.labelText(), timeout=3000)
    assert "Importing doj.csv" in job.dialog.labelText()
    assert job.dialog.maximum() == 5000 and job.dialog.value() == 1200
    with qtbot.waitSignal(job.succeeded, timeout=5000):
        gate.set()
    assert not job.dialog.isVisible()


def test_cancel_stops_and_rolls_back(qtbot, store):
    gate = threading.Event()
    job = run_with_progress(None, "Test", store.path, _write_rows, 1000, gate=gate, delay_ms=0)
    qtbot.waitUntil(lambda: job.dialog.isVisible(), timeout=3000)
    qtbot.mouseClick(job.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        pass
    assert store.get_setting("t.0") is None  # nothing half-written


def test_expected_error_becomes_message(qtbot, store):
    def service(s, *, progress, cancel):
        raise BadInput("not a DOJ file", file="x.csv", row=3, column="CII")

    job = run_with_progress(None, "Test", store.path, service)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        pass
    assert blocker.args == ["x.csv, row 3, column CII: not a DOJ file"]


def test_bug_becomes_message_not_hang(qtbot, store, caplog):
    def service(s, *, progress, cancel):
        raise ZeroDivisionError("boom")

    job = run_with_progress(None, "Test", store.path, service)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        pass
    assert "ZeroDivisionError" in blocker.args[0]


def test_progress_is_throttled(qtbot, store):
    def service(s, *, progress, cancel):
        t0 = time.monotonic()
        i = 0
        while time.monotonic() - t0 < 0.35:
            i += 1
            progress(i, None, "Spinning")
        progress(10, 10, "Done")
        return i

    job = run_with_progress(None, "Test", store.path, service)
    got = []
    job.progressed.connect(lambda d, t, m: got.append(d))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert 1 <= len(got) <= 8  # ~10/s over 0.35 s, plus the final one
    assert got[-1] == 10


def test_format_rate():
    assert format_rate(12345, 100000, 1.5) == "12,345 of 100,000 rows · 8,230 rows/s"
    assert format_rate(0, None, 0.0) == "0 rows"


def test_escape_or_closing_the_progress_dialog_cancels(qtbot, store):
    gate = threading.Event()
    job = run_with_progress(None, "Test", store.path, _write_rows, 1000, gate=gate, delay_ms=0)
    qtbot.waitUntil(lambda: job.shown, timeout=3000)
    job.dialog.close()  # the window's close button
    assert job.worker.token.cancelled
    assert job.dialog.isVisible()  # stays until the job has rolled back
    gate.set()
    with qtbot.waitSignal(job.cancelled, timeout=5000):
        pass
    assert store.get_setting("t.0") is None


def test_a_bugs_trace_goes_to_the_log_file_the_message_names(qtbot, store, tmp_path,
                                                              monkeypatch):
    """A windowed Windows build has no terminal: the message must name a file that holds
    the trace (what the window's logging set-up writes)."""
    import logging

    from clerkapp.ui import app as app_module

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        app_module._log_to_file()

        def service(s, *, progress, cancel):
            raise ZeroDivisionError("boom")

        job = run_with_progress(None, "Test", store.path, service)
        with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
            pass
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            if handler not in saved[0]:
                handler.close()
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    log = tmp_path / "clerkapp" / "logs" / "clerkapp.log"
    assert str(log) in blocker.args[0]
    text = log.read_text(encoding="utf-8")
    assert "background job failed" in text and "ZeroDivisionError" in text
