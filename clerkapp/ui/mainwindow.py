"""The main window: the review queue with its filters, the detail pane, and the decisions.

It wires pieces built elsewhere (views, the queue model, the decision controller, dialogs)
and remembers the desk's layout in QSettings. Long work runs in workers (`ui.workers`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from clerkapp.store import Store
from clerkapp.store.queue import EVERYTHING, QueueFilter
from clerkapp.ui import launch
from clerkapp.ui.actions import REVIEW_ACTIONS, Actions
from clerkapp.ui.decisions import Act, ReviewController, bulk_plan_for_filter, bulk_plan_for_ids
from clerkapp.ui.models.queue_model import QueueModel
from clerkapp.ui.sharing import SharedDesk
from clerkapp.ui.views import prompts
from clerkapp.ui.views.detail_pane import DetailPane
from clerkapp.ui.views.empty_page import EmptyPage
from clerkapp.ui.views.filter_bar import FilterBar, filter_from_dict, filter_to_dict
from clerkapp.ui.views.legend import Legend
from clerkapp.ui.views.queue_view import QueueView
from clerkapp.ui.views.status_bar import StatusBar

log = logging.getLogger(__name__)
NEEDS_OUTCOME = " needs review: approve it with the outcome you decide"  # review/service.py
NEXT_PENDING_SCAN = 5000  # rows looked at for the next pending one after a decision


class MainWindow(QMainWindow):
    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings if settings is not None else QSettings()
        self.setObjectName("mainWindow")
        from clerkapp.paths import is_sample_store
        from clerkapp.ui.store_choice import describe

        self.sample_window: QWidget | None = None  # opened by "Open sample data"
        store_words, store_shown = describe(store.path)
        if is_sample_store(store.path):
            self.setWindowTitle(f"clerkapp — SAMPLE DATA (made-up people, not a court's"
                                f" records) — {store_shown}")
        else:
            self.setWindowTitle(f"clerkapp — {store_shown}")
        self.setAcceptDrops(True)
        self.dialog: QWidget | None = None  # the last dialog opened (tests drive it)
        self.job = None  # the running background job, if any

        self.model = QueueModel(store, self)
        self.filter_bar = FilterBar()
        self.queue = QueueView(self.model)
        self.legend = Legend()
        self.detail = DetailPane()
        self.empty = EmptyPage()
        queue_box = QWidget()
        box = QVBoxLayout(queue_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.queue)
        box.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(queue_box)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        workspace = QWidget()
        layout = QVBoxLayout(workspace)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(workspace)
        self.workspace = workspace
        self.setCentralWidget(self.stack)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.status.show_store(store_words, store_shown)

        self.actions = Actions(self)
        self.menus = self.actions.build_menus(self)
        self.toolbar = self.actions.build_toolbar(self)
        self.actions.scope_letter_shortcuts(self, self.splitter)
        self.reviews = ReviewController(store, self.clerk_name, self)
        self.desk = SharedDesk(self)  # claims, expected reviews, others' decisions shown
        self.counts = launch.CountsUpdater(store, self)
        self.closeout_counts = launch.CloseoutCounter(store, self)

        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(40)
        self._detail_timer.timeout.connect(self._on_detail_timer_timeout)
        self.filter_bar.filter_changed.connect(self._on_filter_bar_filter_changed)
        self.filter_bar.search.returnPressed.connect(self._on_search_return_pressed)
        self.queue.current_conviction_changed.connect(self._on_queue_current_changed)
        self.queue.doubleClicked.connect(lambda _index: self.detail.browser.setFocus())
        self.model.filter_applied.connect(self._on_model_filter_applied)
        self.reviews.decided.connect(self._on_reviews_decided)
        self.reviews.undone.connect(self._on_reviews_undone)
        self.reviews.failed.connect(self._on_reviews_failed)
        self.reviews.busy_changed.connect(self._on_reviews_busy_changed)
        self.counts.counted.connect(self.status.show_counts)
        self.closeout_counts.counted.connect(self.status.show_closeout)
        self.status.closeout_clicked.connect(self._on_status_closeout_clicked)
        self.empty.import_requested.connect(self._on_import_files_triggered)
        self.empty.sample_requested.connect(self._on_empty_sample_requested)

        self._restore_settings()
        self.refresh_all()

    # --- state -------------------------------------------------------------------------------
    def clerk_name(self) -> str:
        """The name decisions are recorded under: on a shared store the database login; else
        the setting, else the OS login name."""
        return self.store.clerk_name()

    def refresh_all(self) -> None:
        """Re-read everything from the store (after an import, an evaluation, settings)."""
        empty = self.store.conviction_count() == 0
        self.stack.setCurrentWidget(self.empty if empty else self.workspace)
        self.actions.set_enabled(REVIEW_ACTIONS, not empty)
        self.filter_bar.set_options(self.store.queue_options())
        self.status.show_clerk(self.clerk_name(), database_login=bool(self.store.login))
        self.status.show_run(self.store.latest_run())
        self.model.set_filter(self.filter_bar.current_filter())
        if not empty:
            self.queue.setFocus()

    def current_filter(self) -> QueueFilter:
        return self.model.queue_filter

    # --- the queue ---------------------------------------------------------------------------
    def _on_filter_bar_filter_changed(self, f: QueueFilter) -> None:
        self.model.set_filter(f)

    def _on_search_return_pressed(self) -> None:
        self.filter_bar.flush_search()
        self.queue.setFocus()

    def _on_model_filter_applied(self) -> None:
        self.counts.request(self.model.queue_filter)
        self.closeout_counts.request()

    def _on_queue_current_changed(self, conviction_id: object) -> None:
        self.desk.on_current_changed(conviction_id)  # type: ignore[arg-type]
        self._detail_timer.start()

    def _on_detail_timer_timeout(self) -> None:
        self.show_current_detail()

    def show_current_detail(self) -> None:
        cid = self.queue.current_id()
        try:
            detail = self.store.conviction_detail(cid) if cid is not None else None
        except Exception:
            log.exception("the detail of a conviction could not be read")
            detail = None
        self.detail.show_detail(detail)

    # --- decisions ---------------------------------------------------------------------------
    def _on_approve_triggered(self) -> None:
        ids = self.queue.selected_ids()
        if len(ids) > 1:
            self._bulk_approve(ids)
        else:
            self.reviews.decide(ids, "approved")

    def _on_deny_triggered(self) -> None:
        ids = self.queue.selected_ids()
        if not ids:
            return
        what = "this conviction" if len(ids) == 1 else f"these {len(ids):,} convictions"
        reason = prompts.ask_reason(self, "Deny", f"Why deny {what}? (required)")
        if reason:
            self.reviews.decide(ids, "denied", note=reason)

    def _on_defer_triggered(self) -> None:
        self.reviews.decide(self.queue.selected_ids(), "deferred")

    def _on_override_triggered(self) -> None:
        ids = self.queue.selected_ids()
        if not ids:
            return
        record = self.model.record(self.queue.currentIndex().row())
        answer = prompts.ask_override(self, record.outcome if record else None)
        if answer:
            outcome, reason = answer
            self.reviews.decide(ids, "approved", note=reason, outcome=outcome)

    def _on_bulk_approve_triggered(self) -> None:
        ids = self.queue.selected_ids()
        self._bulk_approve(ids if len(ids) > 1 else None)

    def _bulk_approve(self, ids: list[int] | None) -> None:
        plan = (bulk_plan_for_ids(self.store, ids) if ids is not None
                else bulk_plan_for_filter(self.store, self.model.queue_filter))
        scope = "selected" if ids is not None else "in the current filter"
        if not plan.ids:
            prompts.inform(self, "Bulk approve", f"No pending convictions with a relief"
                              f" outcome {scope}. Only relief outcomes can be approved in bulk.")
            return
        if prompts.confirm(self, "Bulk approve", prompts.bulk_text(plan, scope)):
            self.reviews.decide(plan.ids, "approved", seen=plan.seen)

    def _on_undo_triggered(self) -> None:
        if not self.reviews.undo_stack:
            self.status.showMessage("Nothing to undo", 3000)
            return
        self.reviews.undo_last()

    def _on_next_pending_triggered(self) -> None:
        self._go_to_next_pending(self.queue.currentIndex().row())

    def _on_reviews_decided(self, act: Act) -> None:
        self.model.refresh(act.ids)
        self.counts.request(self.model.queue_filter)
        self.closeout_counts.request()
        row = self.queue.currentIndex().row()
        what = f"{len(act.ids):,} conviction{'s' if len(act.ids) != 1 else ''} {act.status}"
        self.status.showMessage(f"{what} — Ctrl+Z to undo", 5000)
        if len(act.ids) == 1 and act.ids[0] == self.queue.current_id():
            self._go_to_next_pending(row)
        else:
            self.show_current_detail()

    def _on_reviews_undone(self, act: Act) -> None:
        self.model.refresh(act.ids)
        self.counts.request(self.model.queue_filter)
        self.closeout_counts.request()
        row = self.model.row_of(act.ids[0], self.queue.currentIndex().row())
        if row >= 0:
            self.queue.select_row(row)
        self.show_current_detail()
        self.status.showMessage(f"Undone: {len(act.ids):,} {act.status}", 5000)

    def _on_reviews_failed(self, message: str) -> None:
        # the service's messages are command-line lines; a message box starts a sentence
        title = "Undo refused" if "undo" in message else "Decision not recorded"
        if NEEDS_OUTCOME in message:  # the window's own way to decide the outcome
            message += ". Choose the outcome with Review ▸ Override outcome… (O)"
        prompts.warn(self, title, message[:1].upper() + message[1:])

    def _on_reviews_busy_changed(self, busy: bool) -> None:
        self.actions.set_enabled(REVIEW_ACTIONS + ("undo",), not busy)

    def _go_to_next_pending(self, row: int) -> None:
        """Select the next pending row after `row`, wrapping to the top; when the filter holds
        no other, say so and leave the selection where it is (never onto decided rows)."""
        found = self.desk.next_pending(row, NEXT_PENDING_SCAN)  # never one another clerk has
        if found is None:
            self.show_current_detail()
            self.status.showMessage("No pending conviction in this filter", 5000)
            return
        if found <= row:
            self.status.showMessage("Wrapped to the top of the queue", 3000)
        self.queue.select_row(found)

    # --- other commands ----------------------------------------------------------------------
    def _on_find_triggered(self) -> None:
        self.filter_bar.focus_search()

    def _on_import_files_triggered(self) -> None:
        self.open_import(None)

    def open_import(self, paths: list[str] | None) -> None:
        dialog = launch.open_dialog(self, "import_dialog", "ImportDialog", paths=paths)
        if dialog is not None:
            dialog.imports_finished.connect(lambda _s: self.refresh_all())

    def _on_print_orders_triggered(self) -> None:
        dialog = launch.open_dialog(self, "print_dialog", "PrintOrdersDialog",
                                    filter_ids_provider=lambda: list(self.model.ids()),
                                    selected_ids=tuple(self.queue.selected_ids()))
        if dialog is not None:
            dialog.orders_printed.connect(lambda _s: self.refresh_closeout())

    def _on_evaluation_triggered(self) -> None:
        dialog = launch.open_dialog(self, "evaluation_dialog", "EvaluationDialog")
        if dialog is not None:
            dialog.evaluation_finished.connect(lambda _r: self.refresh_all())
            dialog.conviction_chosen.connect(self.show_conviction)

    def show_conviction(self, conviction_id: int) -> None:
        """Select this conviction in the queue, showing everything when the filter hides it."""
        row = self.model.row_of(conviction_id, self.queue.currentIndex().row())
        if row < 0:
            self.filter_bar.set_filter(QueueFilter(outcome=EVERYTHING))
            row = self.model.row_of(conviction_id)
        if row >= 0:
            self.queue.select_row(row)
            self.show_current_detail()
            self.activateWindow()

    def _on_settings_triggered(self) -> None:
        dialog = launch.open_dialog(self, "settings_dialog", "SettingsDialog")
        if dialog is not None:
            dialog.finished.connect(lambda _code: self.status.show_clerk(
                self.clerk_name(), database_login=bool(self.store.login)))

    def _on_imports_triggered(self) -> None:
        dialog = launch.open_dialog(self, "imports_dialog", "ImportsDialog")
        if dialog is not None:
            dialog.withdrawn.connect(lambda _i: self.refresh_all())

    def _on_correct_triggered(self) -> None:
        cid = self.queue.current_id()
        if cid is None:
            return
        dialog = launch.open_dialog(self, "correction_dialog", "CorrectionDialog",
                                    conviction_id=cid)
        if dialog is not None:
            dialog.accepted.connect(lambda: (self.model.refresh([cid]),
                                             self.show_current_detail()))

    def _on_audit_triggered(self) -> None:
        launch.open_dialog(self, "audit_dialog", "AuditDialog")

    def _on_print_notices_triggered(self) -> None:
        launch.open_dialog(self, "notices_dialog", "NoticesDialog")

    def _on_lookup_triggered(self) -> None:
        launch.open_dialog(self, "lookup_dialog", "LookupDialog")

    def _on_impact_report_triggered(self) -> None:
        launch.open_dialog(self, "impact_dialog", "ImpactReportDialog")

    def _on_reconcile_triggered(self) -> None:
        dialog = launch.open_dialog(self, "reconcile_dialog", "ReconcileDialog")
        if dialog is not None:
            dialog.links_changed.connect(self.refresh_all)

    def _on_export_triggered(self) -> None:
        launch.export_determinations(self)

    def _on_doj_update_triggered(self) -> None:
        self._open_update("doj")

    def _on_cms_update_triggered(self) -> None:
        self._open_update("cms")

    def _open_update(self, kind: str) -> None:
        dialog = launch.open_dialog(self, "update_dialog", "UpdateFileDialog", kind=kind)
        if dialog is not None:
            dialog.update_written.connect(lambda _s: self.refresh_closeout())

    def _on_status_closeout_clicked(self, kind: str) -> None:
        """The status bar's 'Ordered, not reported' / 'Overdue': the queue filtered to them."""
        self.filter_bar.set_filter(QueueFilter(outcome=EVERYTHING, closeout=kind))

    def refresh_closeout(self) -> None:
        """After orders or update files: the queue's close-out column and the counts (a
        close-out filter is asked again: what it holds has changed)."""
        if self.model.queue_filter.closeout:
            self.model.reload()
        else:
            self.model.refresh_rows()
        self.closeout_counts.request()

    def _on_empty_sample_requested(self) -> None:
        launch.load_sample(self)

    def _on_user_guide_triggered(self) -> None:
        launch.open_dialog(self, "guide_dialog", "GuideDialog")

    def open_sample(self, path) -> MainWindow:
        """A main window on the sample store; this one closes (it shows a store the clerk
        can open again), so the sample is never mistaken for it."""
        store = Store(path)
        sample = MainWindow(store, settings=self.settings)
        sample.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sample.destroyed.connect(lambda *_: store.close())
        self.sample_window = sample
        sample.show()
        sample.status.showMessage("The sample data set: made-up people, kept apart from your"
                                  " store", 8000)
        self.close()
        return sample

    def _on_shortcuts_triggered(self) -> None:
        prompts.show_shortcuts(self, self.actions.shortcut_table())

    def _on_about_triggered(self) -> None:
        prompts.show_about(self)

    def _on_quit_triggered(self) -> None:
        self.close()

    # --- drag and drop -----------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_import(paths)

    # --- the desk's layout -------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.settings
        for key, restore in (("main/geometry", self.restoreGeometry),
                             ("main/state", self.restoreState),
                             ("main/splitter", self.splitter.restoreState),
                             ("main/detail_splitter", self.detail.splitter.restoreState),
                             ("queue/header", self.queue.horizontalHeader().restoreState)):
            value = s.value(key)
            if isinstance(value, QByteArray | bytes):
                restore(QByteArray(value))
        if not isinstance(s.value("main/geometry"), QByteArray | bytes):
            # a first start fits the screen it opens on (a court's 1366x768 laptop included)
            screen = self.screen().availableGeometry() if self.screen() else None
            width = min(1400, screen.width()) if screen else 1400
            height = min(900, screen.height() - 40) if screen else 900
            self.resize(width, height)
            self.splitter.setSizes([height * 4 // 9, height * 5 // 9])
        header = self.queue.horizontalHeader()
        self.model.sort_key = "id"
        if header.sortIndicatorSection() >= 0 and s.value("queue/header") is not None:
            from clerkapp.ui.models.queue_model import COLUMNS

            section = header.sortIndicatorSection()
            if section < len(COLUMNS):
                self.model.sort_key = COLUMNS[section].key
                self.model.descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        try:
            saved = json.loads(str(s.value(self._filter_key(), "{}")))
        except ValueError:
            saved = {}
        self.filter_bar.set_filter(filter_from_dict(saved), emit=False)

    def _filter_key(self) -> str:
        """The filter is remembered per store: its counties, sections and imports are that
        store's, and a new store opens on the default (every cannabis conviction)."""
        from clerkapp.store.engine import is_postgres, without_password

        target = self.store.path
        where = (without_password(str(target)) if is_postgres(target)
                 else str(Path(target).resolve()))
        return "queue/filter-" + hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("main/geometry", self.saveGeometry())
        s.setValue("main/state", self.saveState())
        s.setValue("main/splitter", self.splitter.saveState())
        s.setValue("main/detail_splitter", self.detail.splitter.saveState())
        s.setValue("queue/header", self.queue.horizontalHeader().saveState())
        s.setValue(self._filter_key(), json.dumps(filter_to_dict(self.filter_bar.current_filter())))
        s.sync()

    def _on_connect_store_triggered(self) -> None:
        from clerkapp.ui import store_choice

        if self._idle():
            store_choice.connect_shared(self)

    def _on_open_store_file_triggered(self) -> None:
        from clerkapp.ui import store_choice

        if self._idle():
            store_choice.open_file(self)

    def _idle(self) -> bool:
        if self.job is not None or self.reviews.busy:
            self.status.showMessage("Wait for the running job to finish (or cancel it)", 4000)
            return False
        return True

    def _on_backup_triggered(self) -> None:
        from clerkapp.ui import backup_actions

        backup_actions.back_up(self)

    def _on_restore_triggered(self) -> None:
        from clerkapp.ui import backup_actions

        if self.job is not None or self.reviews.busy:
            self.status.showMessage("Wait for the running job to finish (or cancel it)", 4000)
            return
        backup_actions.restore(self)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        if self.reviews.busy or self.job is not None:
            self.status.showMessage("Wait for the running job to finish (or cancel it)", 4000)
            event.ignore()
            return
        self.save_settings()
        self.desk.stop()
        QThreadPool.globalInstance().waitForDone(3000)
        super().closeEvent(event)
