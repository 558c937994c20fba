"""Run a service off the UI thread, with a progress dialog that appears only for slow jobs.

A SQLite connection belongs to the thread that opened it, so the worker opens its own
`Store(path)` and closes it when the service returns. Progress reaches the UI through queued
signals, throttled to about ten a second so a 100k-row import never floods the event loop.
Expected failures (`ClerkError`) become a one-line message; `Cancelled` becomes `cancelled`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from clerkapp.errors import ClerkError
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.paths import log_file
from clerkapp.store.engine import is_postgres

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.1  # seconds between progress signals (about ten a second)
SHOW_DELAY_MS = 500  # a job shorter than this never shows a dialog


class WorkerSignals(QObject):
    """Signals of one ServiceWorker (a QRunnable cannot carry signals itself)."""

    progressed = Signal(int, object, str)  # done, total (int or None), message
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()  # always last, after exactly one of the three above


class ServiceWorker(QRunnable):
    """Calls `fn(store, *args, progress=..., cancel=..., **kwargs)` in a pool thread.

    `store_path` is the path of the UI's store; the worker opens its own Store on it.
    """

    def __init__(self, store_path: str | Path, fn: Callable[..., Any], *args: Any,
                 **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference; Qt must not delete it twice
        # a shared store's URL stays a string (a Path would fold its `//`)
        self.store_path = store_path if is_postgres(store_path) else Path(store_path)
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.token = CancelToken()
        self.signals = WorkerSignals()
        self._last_emit = 0.0

    def cancel(self) -> None:
        self.token.cancel()

    def _progress(self, done: int, total: int | None, message: str) -> None:
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self._last_emit < PROGRESS_INTERVAL:
            return
        self._last_emit = now
        self.signals.progressed.emit(int(done), total, message)

    opens_store = True  # False: `fn(*args, ...)` without a Store (a restore replacing the file)

    def run(self) -> None:  # Qt override: runs in the pool thread
        from clerkapp.store import Store

        try:
            store = Store(self.store_path) if self.opens_store else None
        except Exception as exc:  # noqa: BLE001 - reported, not swallowed
            log.exception("worker could not open the store")
            self.signals.failed.emit(f"Could not open the database: {type(exc).__name__}")
            self.signals.finished.emit()
            return
        try:
            self.token.raise_if_cancelled()
            args = self.args if store is None else (store, *self.args)
            result = self.fn(*args, progress=self._progress, cancel=self.token, **self.kwargs)
        except Cancelled:
            self.signals.cancelled.emit()
        except ClerkError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:  # a bug: log the trace, tell the clerk, never hang the UI
            log.exception("background job failed")
            self.signals.failed.emit(
                f"Internal error ({type(exc).__name__}); the details were written to the log:"
                f" {log_file()}"
            )
        else:
            self.signals.succeeded.emit(result)
        finally:
            if store is not None:
                store.close()
            self.signals.finished.emit()


def format_rate(done: int, total: int | None, elapsed_s: float, unit: str = "rows") -> str:
    """'12,345 of 100,000 rows · 8,200 rows/s' — what the progress dialog shows."""
    count = f"{done:,} of {total:,} {unit}" if total else f"{done:,} {unit}"
    if elapsed_s > 0.05 and done > 0:
        return f"{count} · {done / elapsed_s:,.0f} {unit}/s"
    return count


class _ProgressDialog(QProgressDialog):
    """Escape and the window's close button mean Cancel (the job stops and rolls back);
    the dialog goes away only when the job has."""

    cancel_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self.cancel_requested.emit()
        event.ignore()

    def reject(self) -> None:  # Qt override
        self.cancel_requested.emit()


_RUNNING: set[Job] = set()  # keeps jobs without a parent alive until they finish


class Job(QObject):
    """One background service call with its (delayed) progress dialog.

    Connect to `succeeded`, `failed`, `cancelled`; `finished` always comes last.
    """

    progressed = Signal(int, object, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QWidget | None, title: str, worker: ServiceWorker, *,
                 unit: str = "rows", delay_ms: int = SHOW_DELAY_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.unit = unit
        self.done = False
        self.shown = False  # whether the progress dialog ever appeared
        self._pool = pool or QThreadPool.globalInstance()
        self._clock = QElapsedTimer()
        self._last: tuple[int, int | None, str] = (0, None, title)
        self.dialog = _ProgressDialog(title, "Cancel", 0, 0, parent)
        self.cancel_button = QPushButton("Cancel")
        self.dialog.setCancelButton(self.cancel_button)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)  # the caller waits
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumDuration(10**9)  # shown by our own timer, not by setValue
        self.dialog.setMinimumWidth(self.dialog.fontMetrics().averageCharWidth() * 60)
        self.dialog.canceled.connect(self._on_dialog_canceled)  # button and Esc shortcut
        self.dialog.cancel_requested.connect(self._on_dialog_canceled)  # Esc key, window close
        self.dialog.hide()
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._on_show_timer_timeout)
        self._delay_ms = delay_ms
        sig = worker.signals
        sig.progressed.connect(self._on_worker_progressed)
        sig.succeeded.connect(self._on_worker_succeeded)
        sig.failed.connect(self._on_worker_failed)
        sig.cancelled.connect(self._on_worker_cancelled)
        sig.finished.connect(self._on_worker_finished)

    def start(self) -> Job:
        _RUNNING.add(self)
        self._clock.start()
        self._show_timer.start(self._delay_ms)
        self._pool.start(self.worker)
        return self

    def cancel(self) -> None:
        """Ask the service to stop at its next batch; it rolls back what it began."""
        self.worker.cancel()
        if not self.done:
            self.dialog.setLabelText("Cancelling… (undoing the unfinished work)")
            self.cancel_button.setEnabled(False)

    @property
    def elapsed_s(self) -> float:
        return self._clock.elapsed() / 1000.0 if self._clock.isValid() else 0.0

    def _on_dialog_canceled(self) -> None:
        self.cancel()

    def _on_show_timer_timeout(self) -> None:
        if not self.done:
            self._render()
            self.dialog.show()
            self.shown = True

    def _on_worker_progressed(self, done: int, total: object, message: str) -> None:
        self._last = (done, total if isinstance(total, int) else None, message)
        if self.dialog.isVisible():
            self._render()
        self.progressed.emit(done, total, message)

    def _render(self) -> None:
        done, total, message = self._last
        if self.worker.token.cancelled:
            return
        if total:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
        else:
            self.dialog.setRange(0, 0)
        self.dialog.setLabelText(f"{message}\n{format_rate(done, total, self.elapsed_s, self.unit)}")

    def _on_worker_succeeded(self, result: object) -> None:
        self._close()
        self.succeeded.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self._close()
        self.failed.emit(message)

    def _on_worker_cancelled(self) -> None:
        self._close()
        self.cancelled.emit()

    def _on_worker_finished(self) -> None:
        _RUNNING.discard(self)
        self.finished.emit()

    def _close(self) -> None:
        self.done = True
        self._show_timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()


def run_with_progress(
    parent: QWidget | None,
    title: str,
    store_path: str | Path,
    fn: Callable[..., Any],
    *args: Any,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
    unit: str = "rows",
    delay_ms: int | None = None,
    **kwargs: Any,
) -> Job:
    """Start `fn(Store(store_path), *args, progress=, cancel=, **kwargs)` in the background.

    A progress dialog with Cancel appears if the job outlives `delay_ms`. The callbacks run on
    the UI thread. Returns the started Job (its signals are there for tests and chaining).
    """
    job = Job(parent, title, ServiceWorker(store_path, fn, *args, **kwargs), unit=unit,
              delay_ms=SHOW_DELAY_MS if delay_ms is None else delay_ms)
    if on_success is not None:
        job.succeeded.connect(on_success)
    if on_failure is not None:
        job.failed.connect(on_failure)
    if on_cancel is not None:
        job.cancelled.connect(on_cancel)
    return job.start()
