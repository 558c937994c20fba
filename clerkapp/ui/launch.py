"""What the main window starts but does not do itself: dialogs built by other parts of the app,
background jobs (sample data, export), and the status-bar counts computed off the UI thread.

The window imports this module, never the other way round: what is needed of the window is
described by `Window` below."""

from __future__ import annotations

import importlib
import logging
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal

from clerkapp.paths import sample_paths
from clerkapp.store import Store
from clerkapp.store.queue import QueueFilter
from clerkapp.ui.files import CSV, XLSX, ask_save_path
from clerkapp.ui.views import prompts

log = logging.getLogger(__name__)


class Window(Protocol):
    """What these helpers use of the main window (`clerkapp.ui.mainwindow.MainWindow`)."""

    store: Store
    model: Any  # the queue model: ids() of the rows shown
    status: Any  # the status bar: showMessage()
    empty: Any  # the empty page: set_busy()
    job: Any  # the running background job, None when idle
    dialog: Any  # the dialog opened last

    def refresh_all(self) -> None: ...

    def open_sample(self, path: Any) -> Any: ...  # a window on the sample store

    def clerk_name(self) -> str: ...


def _count_job(store: Store, f: QueueFilter, *, progress, cancel) -> dict:
    return store.queue_counts(f)


class CountsUpdater(QObject):
    """Counts by outcome and status for a filter, in a worker: a million-row count must not
    freeze the queue. Only the newest request's answer is shown."""

    counted = Signal(object)  # {(outcome, status): n}

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.seq = 0
        self._pending: QueueFilter | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._held = False

    def request(self, f: QueueFilter) -> None:
        self._pending = f
        if not self._held:
            self._timer.start()

    def hold(self) -> None:
        """No count read starts (each opens a connection of its own) until `release`: a
        restore replaces the file, and refuses while any connection has it open."""
        self._held = True
        self._timer.stop()

    def release(self) -> None:
        """Counts again, the latest request first if one came meanwhile."""
        self._held = False
        if self._pending is not None:
            self._timer.start()

    def _on_timer_timeout(self) -> None:
        from clerkapp.ui.workers import ServiceWorker

        if self._pending is None:
            return
        self.seq += 1
        worker = ServiceWorker(self.store.path, _count_job, self._pending)
        _Relay(self, self.seq, worker)
        QThreadPool.globalInstance().start(worker)


def _closeout_job(store: Store, *, progress, cancel) -> dict:
    return store.closeout_counts()


class CloseoutCounter(CountsUpdater):
    """The whole store's close-out counts (ordered, not reported; overdue) for the status bar,
    in a worker, after anything that can change them (decisions, orders, update files)."""

    def request(self, f: QueueFilter | None = None) -> None:  # the counts ignore the filter
        super().request(f or QueueFilter())

    def _on_timer_timeout(self) -> None:
        from clerkapp.ui.workers import ServiceWorker

        if self._pending is None:
            return
        self.seq += 1
        worker = ServiceWorker(self.store.path, _closeout_job)
        _Relay(self, self.seq, worker)
        QThreadPool.globalInstance().start(worker)


class _Relay(QObject):
    """Holds one count worker until it finishes and passes on its answer if still wanted.
    A child of the updater: when the window goes, the connections go with it."""

    def __init__(self, updater: CountsUpdater, seq: int, worker: Any) -> None:
        super().__init__(updater)
        self.updater = updater
        self.seq = seq
        self.worker = worker
        worker.signals.succeeded.connect(self._on_worker_succeeded)
        worker.signals.finished.connect(self._on_worker_finished)

    def _on_worker_succeeded(self, counts: object) -> None:
        if self.seq == self.updater.seq:
            self.updater.counted.emit(counts)

    def _on_worker_finished(self) -> None:
        self.worker = None
        self.deleteLater()


def open_dialog(window: Window, module: str, class_name: str, **kwargs: Any) -> Any:
    """Open `clerkapp.ui.dialogs.<module>.<class_name>(store, window, **kwargs)` window-modal.

    A dialog another engineer has not delivered yet gives a clear message, not a traceback.
    """
    try:
        cls = getattr(importlib.import_module(f"clerkapp.ui.dialogs.{module}"), class_name)
    except (ImportError, AttributeError):
        log.warning("dialog %s.%s is not available", module, class_name)
        prompts.inform(window, "Not available yet",
                       f"This part of clerkapp ({class_name}) is not available in this build yet.")
        return None
    dialog = cls(window.store, window, **kwargs)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.dialog = dialog
    dialog.open()
    return dialog


def _export_job(store: Store, path: str, ids: list[int] | None, *, progress, cancel) -> int:
    from clerkapp.reports.export import export_rows

    progress(0, None, "Exporting determinations")
    return export_rows(store, path, ids=ids)


def export_determinations(window: Window) -> None:
    """Export what the review window shows, or everything: asked when the filter hides some."""
    from clerkapp.ui.workers import run_with_progress

    shown, total = window.model.ids(), window.store.conviction_count()
    ids: list[int] | None = None
    if len(shown) < total:
        scope = prompts.ask_export_scope(window, len(shown), total)
        if scope is None:
            return
        ids = list(shown) if scope == "view" else None
    path = ask_save_path(window, "Export determinations", "determinations.xlsx", (XLSX, CSV))
    if path is None:
        return

    def done(n: object) -> None:
        window.job = None
        window.status.showMessage(f"Exported {n:,} rows to {path}", 8000)

    def failed(message: str) -> None:
        window.job = None
        prompts.warn(window, "Export failed", message)

    window.job = run_with_progress(window, "Exporting", window.store.path, _export_job, path,
                                   ids, on_success=done, on_failure=failed,
                                   on_cancel=lambda: setattr(window, "job", None))


def _sample_job(store: Store, paths: list[str], *, operator: str, progress, cancel) -> object:
    from clerkapp.ingest.service import import_files
    from clerkapp.rules.service import evaluate

    import_files(store, paths, operator=operator, progress=progress, cancel=cancel)
    return evaluate(store, operator=operator, progress=progress, cancel=cancel)


def load_sample(window: Window) -> None:
    """Open the sample store in a window of its own (its title says so), loading the bundled
    sample into it first when it is new; the store that is open is never touched."""
    from clerkapp.paths import sample_db_path
    from clerkapp.ui.workers import run_with_progress

    target = sample_db_path()
    if target.exists():
        with Store(target) as existing:
            ready = existing.conviction_count() > 0
        if ready:
            window.open_sample(target)
            return
    paths = [str(p) for p in sample_paths()]
    if not paths:
        prompts.warn(window, "No sample data", "The sample data files are missing from this"
                     " installation (resources/sample).")
        return
    window.empty.set_busy(True)

    def finish() -> None:
        window.job = None
        window.empty.set_busy(False)

    def done(_run: object) -> None:
        finish()
        window.open_sample(target)

    def failed(message: str) -> None:
        finish()
        prompts.warn(window, "Sample data not loaded", message)

    window.job = run_with_progress(window, "Loading sample data", target,
                                   _sample_job, paths, operator=window.clerk_name(),
                                   on_success=done, on_failure=failed, on_cancel=finish)

