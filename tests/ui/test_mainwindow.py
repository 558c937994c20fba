"""The real main window, offscreen, driven by the keyboard; checked against the store."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from bench.testdata import fill_queue
from clerkapp.store import Store
from clerkapp.store.queue import QueueFilter
from clerkapp.store.row_text import row_cells
from clerkapp.ui import decisions
from clerkapp.ui.mainwindow import MainWindow
from clerkapp.ui.models.queue_model import COLUMN_INDEX, RecordRole
from clerkapp.ui.views import prompts

# Qt warnings are defects here; the offscreen platform's size-hint notice is not ours.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def filled(store):
    fill_queue(store, 200, seed=21)
    return store


@pytest.fixture
def window(open_main_window, filled, settings):
    w = open_main_window(filled, settings)
    yield w
    w.close()


@pytest.fixture
def asked(monkeypatch):
    """Replace the prompts: record what was asked, answer from `answers`."""
    log: dict[str, list] = {"reason": [], "override": [], "confirm": [], "warn": [],
                            "inform": []}
    answers: dict[str, object] = {"reason": "prosecutor objects", "confirm": True,
                                  "override": ("redesignate_infraction", "minor then")}

    def ask_reason(parent, title, prompt):
        log["reason"].append(prompt)
        return answers["reason"]

    def ask_override(parent, current):
        log["override"].append(current)
        return answers["override"]

    def confirm(parent, title, text):
        log["confirm"].append(text)
        return answers["confirm"]

    monkeypatch.setattr(prompts, "ask_reason", ask_reason)
    monkeypatch.setattr(prompts, "ask_override", ask_override)
    monkeypatch.setattr(prompts, "confirm", confirm)
    monkeypatch.setattr(prompts, "warn", lambda p, t, text: log["warn"].append(text))
    monkeypatch.setattr(prompts, "inform", lambda p, t, text: log["inform"].append(text))
    log["answers"] = answers  # type: ignore[assignment]
    return log


def _status(store, cid):
    return store.conn.execute("SELECT review_status FROM convictions WHERE id = ?",
                              (cid,)).fetchone()[0]


def _audit(store):
    return [dict(r) for r in store.conn.execute("SELECT * FROM audit_log ORDER BY id")]


def test_opens_on_the_first_row_with_keyboard_focus_and_status_bar(window, filled, qtbot):
    assert str(filled.path) in window.windowTitle()
    assert window.queue.currentIndex().row() == 0
    assert window.queue.hasFocus()
    assert window.detail.detail.conviction["id"] == window.model.conviction_id(0)
    qtbot.waitUntil(lambda: "shown" in window.status.counts.text())
    n = window.model.rowCount()
    assert window.status.counts.text().startswith(f"{n:,} shown")
    assert "Policy statute" in window.status.run.text()
    import getpass

    assert window.status.clerk.text() == f"Clerk: {filled.actor(getpass.getuser())}"


def test_approve_with_a_moves_to_the_next_pending_row(window, filled, qtbot):
    first = window.queue.current_id()
    qtbot.keyClick(window.queue, Qt.Key.Key_A)
    assert _status(filled, first) == "approved"
    assert window.queue.currentIndex().row() == 1
    assert window.model.index(0, COLUMN_INDEX["status"]).data() == "Approved"
    review = filled.conn.execute("SELECT clerk, decided_outcome FROM reviews").fetchone()
    import getpass

    assert review[0] == filled.actor(getpass.getuser())  # on a shared store: the login
    [entry] = _audit(filled)
    assert entry["action"] == "review.approved" and entry["entity_id"] == first


def test_the_clerk_name_setting_is_used_for_decisions(window, filled, qtbot):
    filled.set_setting("review.clerk_name", "Dana Deputy")
    window.refresh_all()
    name = filled.actor("Dana Deputy")  # on a shared store the login, whatever the setting
    assert window.status.clerk.text() == f"Clerk: {name}"
    qtbot.keyClick(window.queue, Qt.Key.Key_F)
    assert _audit(filled)[-1]["actor"] == name


def test_deny_asks_a_reason_and_cancel_writes_nothing(window, filled, qtbot, asked):
    cid = window.queue.current_id()
    asked["answers"]["reason"] = None
    qtbot.keyClick(window.queue, Qt.Key.Key_D)
    assert asked["reason"] and _status(filled, cid) == "pending"
    assert filled.table_counts()["reviews"] == 0
    asked["answers"]["reason"] = "prosecutor objects"
    qtbot.keyClick(window.queue, Qt.Key.Key_D)
    assert _status(filled, cid) == "denied"
    assert filled.conn.execute("SELECT note FROM reviews").fetchone()[0] == "prosecutor objects"


def test_defer_then_undo_twice_with_ctrl_z(window, filled, qtbot):
    a = window.queue.current_id()
    qtbot.keyClick(window.queue, Qt.Key.Key_F)
    b = window.queue.current_id()
    qtbot.keyClick(window.queue, Qt.Key.Key_A)
    assert (_status(filled, a), _status(filled, b)) == ("deferred", "approved")
    qtbot.keyClick(window.queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _status(filled, b) == "pending" and window.queue.current_id() == b
    qtbot.keyClick(window.queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _status(filled, a) == "pending" and window.queue.current_id() == a
    actions = [e["action"] for e in _audit(filled)]
    assert actions == ["review.deferred", "review.approved", "review.undone", "review.undone"]
    assert window.model.index(0, COLUMN_INDEX["status"]).data() == "Pending"
    qtbot.keyClick(window.queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(_audit(filled)) == 4  # nothing left to undo


def test_override_asks_outcome_and_reason(window, filled, qtbot, asked):
    cid = window.queue.current_id()
    qtbot.keyClick(window.queue, Qt.Key.Key_O)
    row = filled.conn.execute("SELECT status, decided_outcome, overridden, note FROM reviews"
                              " WHERE conviction_id = ?", (cid,)).fetchone()
    assert tuple(row) == ("approved", "redesignate_infraction", 1, "minor then")


def test_an_override_shows_in_the_queue_filter_and_history(window, filled, qtbot, asked):
    cid = window.queue.current_id()
    engine = filled.conn.execute("SELECT outcome FROM convictions WHERE id = ?",
                                 (cid,)).fetchone()[0]
    assert engine != "redesignate_infraction"
    qtbot.keyClick(window.queue, Qt.Key.Key_O)
    index = window.model.index(0, COLUMN_INDEX["outcome"])
    assert window.model.data(index, RecordRole).id == cid
    assert index.data().startswith("Redesignate as infraction ✎")
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert "override" in tip and prompts_label(engine) in tip
    window.queue.setCurrentIndex(index)
    window.show_current_detail()
    assert window.detail.detail.conviction["id"] == cid
    history = window.detail.browser.toPlainText().split("History of this person")[1]
    assert f"Redesignate as infraction (override; evaluation: {prompts_label(engine)})" \
        in history
    window.filter_bar.set_filter(QueueFilter(outcome=engine))
    assert window.model.queue_filter.outcome == engine and window.model.rowCount() > 0
    assert cid not in [window.model.index(r, 0).data(RecordRole).id
                       for r in range(window.model.rowCount())]
    window.filter_bar.set_filter(QueueFilter(outcome="redesignate_infraction"))
    assert cid in [window.model.index(r, 0).data(RecordRole).id
                   for r in range(window.model.rowCount())]


def prompts_label(outcome):
    from clerkapp.ui.models.styles import outcome_look
    return outcome_look(outcome).label


def test_j_and_k_move_like_down_and_up(window, qtbot):
    qtbot.keyClick(window.queue, Qt.Key.Key_J)
    qtbot.keyClick(window.queue, Qt.Key.Key_J)
    assert window.queue.currentIndex().row() == 2
    qtbot.keyClick(window.queue, Qt.Key.Key_K)
    assert window.queue.currentIndex().row() == 1
    qtbot.keyClick(window.queue, Qt.Key.Key_Down)
    assert window.queue.currentIndex().row() == 2
    qtbot.waitUntil(lambda: window.detail.detail.conviction["id"] == window.queue.current_id())


def test_filter_combo_and_search_as_you_type(window, filled, qtbot):
    bar = window.filter_bar
    bar.outcome.setCurrentIndex(bar.outcome.findData("needs_review"))
    bar.outcome.activated.emit(bar.outcome.currentIndex())
    n = filled.conn.execute(
        "SELECT count(*) FROM convictions WHERE outcome = 'needs_review'").fetchone()[0]
    assert window.model.rowCount() == n > 0
    assert window.queue.currentIndex().row() == 0
    bar.outcome.setCurrentIndex(0)
    bar.outcome.activated.emit(0)
    name = window.model.index(5, 0).data(RecordRole).name
    prefix = name.split(",")[0][:6]
    qtbot.keyClick(window.queue, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.search.hasFocus()
    qtbot.keyClicks(bar.search, prefix.lower())
    qtbot.waitUntil(lambda: window.model.queue_filter.search == prefix.lower(), timeout=2000)
    names = [window.model.index(r, COLUMN_INDEX["name"]).data()
             for r in range(window.model.rowCount())]
    assert name in names and all(x.startswith(prefix) for x in names)
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert window.queue.hasFocus()
    assert filled.table_counts()["reviews"] == 0  # typing "a"/"d"/"f" in search decided nothing


def test_bulk_approve_the_filter_states_count_and_outcomes(window, filled, qtbot, asked):
    window.queue.selectRow(0)  # one row: bulk works on the filter
    qtbot.keyClick(window.queue, Qt.Key.Key_D)  # deny one relief row first: it must be skipped
    denied = filled.conn.execute("SELECT conviction_id FROM reviews").fetchone()[0]
    expected = filled.conn.execute(
        "SELECT outcome, count(*) FROM convictions WHERE review_status = 'pending' AND outcome"
        " IN ('dismiss_and_seal','redesignate_misdemeanor','redesignate_infraction')"
        " GROUP BY outcome").fetchall()
    total = sum(n for _, n in expected)
    window.actions.bulk_approve.trigger()
    [text] = asked["confirm"]
    assert f"Approve {total:,} pending convictions in the current filter" in text
    for outcome, n in expected:
        label = {"dismiss_and_seal": "Dismiss and seal",
                 "redesignate_misdemeanor": "Redesignate as misdemeanor",
                 "redesignate_infraction": "Redesignate as infraction"}[outcome]
        assert f"{label}: {n:,}" in text
    approved = filled.conn.execute(
        "SELECT count(*) FROM convictions WHERE review_status = 'approved'").fetchone()[0]
    assert approved == total and _status(filled, denied) == "denied"
    assert sum(1 for e in _audit(filled) if e["action"] == "review.approved") == total
    qtbot.keyClick(window.queue, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert filled.conn.execute(
        "SELECT count(*) FROM convictions WHERE review_status = 'approved'").fetchone()[0] == 0


def test_bulk_approve_declined_writes_nothing(window, filled, asked):
    asked["answers"]["confirm"] = False
    window.actions.bulk_approve.trigger()
    assert asked["confirm"] and filled.table_counts()["reviews"] == 0


def test_bulk_approve_of_a_selection_skips_non_relief(window, filled, qtbot, asked):
    model = window.model
    rows = range(0, 12)
    records = [model.record(r) for r in rows]
    for r in rows:
        window.queue.selectionModel().select(
            model.index(r, 0), window.queue.selectionModel().SelectionFlag.Select
            | window.queue.selectionModel().SelectionFlag.Rows)
    relief = [x.id for x in records if x.outcome in ("dismiss_and_seal",
              "redesignate_misdemeanor", "redesignate_infraction")]
    qtbot.keyClick(window.queue, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert f"Approve {len(relief)} pending" in asked["confirm"][0]
    assert "selected" in asked["confirm"][0]
    approved = {r[0] for r in filled.conn.execute(
        "SELECT id FROM convictions WHERE review_status = 'approved'")}
    assert approved == set(relief)


def test_large_bulk_approve_runs_in_the_background(window, filled, qtbot, asked, monkeypatch):
    monkeypatch.setattr(decisions, "BACKGROUND_AT", 5)
    window.actions.bulk_approve.trigger()
    assert window.reviews.busy
    qtbot.waitUntil(lambda: not window.reviews.busy, timeout=10000)
    n = filled.conn.execute(
        "SELECT count(*) FROM convictions WHERE review_status = 'approved'").fetchone()[0]
    assert n > 5 and len(window.reviews.undo_stack) == 1
    qtbot.waitUntil(lambda: "Approved" in window.status.counts.text())


def test_detail_pane_masks_identifiers_until_asked(window, qtbot):
    source = window.detail.source
    assert source.value_shown("SSN") == "•••••• (hidden)"
    assert source.value_shown("CASE") == window.detail.detail.conviction["case_number"]
    source.show_identifiers.setChecked(True)
    assert source.value_shown("SSN") == "000-00-0000"
    text = window.detail.text()
    assert "Determination" in text and "History of this person" in text


def test_layout_and_filter_survive_a_restart(qtbot, filled, settings):
    first = MainWindow(filled, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.filter_bar.outcome.setCurrentIndex(first.filter_bar.outcome.findData("not_eligible"))
    first.filter_bar.outcome.activated.emit(first.filter_bar.outcome.currentIndex())
    first.queue.setColumnWidth(COLUMN_INDEX["name"], 333)
    first.queue.sortByColumn(COLUMN_INDEX["conviction_date"], Qt.SortOrder.DescendingOrder)
    first.close()
    assert json.loads(settings.value(first._filter_key()))["outcome"] == "not_eligible"
    second = MainWindow(filled, settings=settings)
    qtbot.addWidget(second)
    assert second.model.queue_filter.outcome == "not_eligible"
    assert second.queue.columnWidth(COLUMN_INDEX["name"]) == 333
    assert second.model.sort_key == "conviction_date" and second.model.descending
    dates = [second.model.index(r, COLUMN_INDEX["conviction_date"]).data()
             for r in range(second.model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    second.close()


def test_empty_store_offers_import_and_sample(qtbot, store, settings):
    w = MainWindow(store, settings=settings)
    qtbot.addWidget(w)
    w.show()
    assert w.stack.currentWidget() is w.empty
    assert not w.actions.approve.isEnabled()
    w.close()


def test_open_sample_data_opens_the_sample_store_never_the_clerks(qtbot, store, settings,
                                                                   tmp_path, monkeypatch):
    pytest.importorskip("clerkapp.rules.service")
    sample_db = tmp_path / "data" / "sample.db"
    monkeypatch.setenv("CLERKAPP_SAMPLE_DB", str(sample_db))
    w = MainWindow(store, settings=settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.mouseClick(w.empty.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.sample_window is not None, timeout=60000)
    sample = w.sample_window
    assert "SAMPLE DATA" in sample.windowTitle() and str(sample_db) in sample.windowTitle()
    assert "SAMPLE" not in w.windowTitle()
    assert sample.stack.currentWidget() is sample.workspace
    assert sample.model.rowCount() > 0
    assert store.table_counts()["imports"] == 0  # the clerk's store was not touched
    with Store(sample_db) as s:
        assert s.latest_run() is not None
    sample.close()


def test_dropping_files_opens_the_import_dialog_with_them(window, tmp_path, qtbot):
    pytest.importorskip("clerkapp.ui.dialogs.import_dialog")
    path = tmp_path / "cases.csv"
    path.write_text("Case Number,Name,Charge,Conviction Date\nA1,DOE,11357 HS,2001-01-01\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    dialog = window.dialog
    assert type(dialog).__name__ == "ImportDialog"
    dialog.close()


def test_a_missing_dialog_gives_a_clear_message(window, asked, monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name.endswith("print_dialog"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    window.actions.print_orders.trigger()
    assert asked["inform"] and "not available" in asked["inform"][0]


def test_hide_empty_leaves_out_blank_source_columns(window, filled):
    source = window.detail.source
    [ids] = filled.conn.execute("SELECT source_row_ids FROM convictions WHERE id = ?",
                                (window.queue.current_id(),)).fetchone()
    row_id = json.loads(ids)[0]
    [text] = filled.conn.execute('SELECT "values" FROM source_rows WHERE id = ?',
                                 (row_id,)).fetchone()
    values = row_cells(text)
    values[6] = ""
    filled.conn.execute('UPDATE source_rows SET "values" = ? WHERE id = ?',
                        (json.dumps(values), row_id))
    window.show_current_detail()
    assert source.value_shown("COUNTY") == ""
    source.hide_empty.setChecked(True)
    assert source.value_shown("COUNTY") is None and source.value_shown("CASE")


@pytest.mark.parametrize("action, module, name", [
    ("audit", "audit_dialog", "AuditDialog"),
    ("settings", "settings_dialog", "SettingsDialog"),
    ("evaluation", "evaluation_dialog", "EvaluationDialog"),
    ("import_files", "import_dialog", "ImportDialog"),
    ("print_orders", "print_dialog", "PrintOrdersDialog"),
])
def test_menu_commands_open_the_dialogs(window, action, module, name):
    pytest.importorskip(f"clerkapp.ui.dialogs.{module}")
    window.actions[action].trigger()
    assert type(window.dialog).__name__ == name
    assert window.dialog.isVisible()
    window.dialog.close()


def test_settings_dialog_closing_updates_the_clerk_name(window, filled, qtbot):
    pytest.importorskip("clerkapp.ui.dialogs.settings_dialog")
    window.actions.settings.trigger()
    filled.set_setting("review.clerk_name", "R. Registrar")
    window.dialog.reject()
    # R. Registrar; on a shared store the login, whatever the setting
    qtbot.waitUntil(lambda: window.status.clerk.text() == f"Clerk: {filled.clerk_name()}")


def test_export_writes_the_determinations_in_the_background(window, filled, qtbot, tmp_path,
                                                            monkeypatch):
    pytest.importorskip("clerkapp.reports.export")
    openpyxl = pytest.importorskip("openpyxl")
    from clerkapp.ui.files import SafeFileDialog

    out = tmp_path / "out.xlsx"
    monkeypatch.setattr(SafeFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    asked_scope = []
    monkeypatch.setattr(prompts, "ask_export_scope",
                        lambda parent, shown, total: asked_scope.append((shown, total)) or "all")
    window.actions.export.trigger()
    qtbot.waitUntil(lambda: window.job is None and out.exists(), timeout=20000)
    sheet = openpyxl.load_workbook(out, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("import_file", "source_row", "person_name")
    assert len(rows) - 1 == filled.conviction_count()
    assert asked_scope == [(len(window.model.ids()), filled.conviction_count())]


def test_export_can_write_only_the_convictions_the_filter_shows(window, filled, qtbot,
                                                                tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    from clerkapp.ui.files import SafeFileDialog

    window.filter_bar.set_filter(QueueFilter(outcome="needs_review"))
    shown = list(window.model.ids())
    assert 0 < len(shown) < filled.conviction_count()
    out = tmp_path / "view.xlsx"
    monkeypatch.setattr(SafeFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    monkeypatch.setattr(prompts, "ask_export_scope", lambda parent, shown, total: "view")
    window.actions.export.trigger()
    qtbot.waitUntil(lambda: window.job is None and out.exists(), timeout=20000)
    rows = list(openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    outcome = rows[0].index("outcome")
    assert len(rows) - 1 == len(shown)
    assert {r[outcome] for r in rows[1:]} == {"needs_review"}

    monkeypatch.setattr(prompts, "ask_export_scope", lambda parent, shown, total: None)
    out.unlink()
    window.actions.export.trigger()  # cancelled at the question: nothing asked or written
    assert window.job is None and not out.exists()


def test_a_restored_sort_loads_the_queue_once(qtbot, filled, settings, monkeypatch):
    first = MainWindow(filled, settings=settings)
    qtbot.addWidget(first)
    first.queue.sortByColumn(COLUMN_INDEX["county"], Qt.SortOrder.AscendingOrder)
    first.close()
    calls = []
    real = filled.queue_ids
    monkeypatch.setattr(filled, "queue_ids", lambda *a, **k: calls.append(a) or real(*a, **k))
    second = MainWindow(filled, settings=settings)
    qtbot.addWidget(second)
    assert len(calls) == 1 and calls[0][1] == "county"
    second.close()


def test_letters_typed_in_a_filter_box_decide_nothing(window, filled, qtbot, asked):
    combo = window.filter_bar.county
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    for key in (Qt.Key.Key_A, Qt.Key.Key_D, Qt.Key.Key_F):
        qtbot.keyClick(combo, key)
    assert filled.table_counts()["reviews"] == 0 and not asked["reason"]
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_A)
    assert filled.table_counts()["reviews"] == 1


def _select(window, row):
    window.queue.select_row(row)
    return window.queue.current_id()


def test_n_skips_decided_rows_and_says_when_no_pending_is_left(window, filled, qtbot):
    from clerkapp.review.service import decide

    ids = list(window.model.ids())
    deferred = ids[3]
    decide(filled, [i for i in ids if i != deferred], "approved", clerk="T",
           outcome="dismiss_and_seal", note="test setup")
    decide(filled, [deferred], "deferred", clerk="T")
    window.model.reload()
    first = _select(window, 0)
    window.status.clearMessage()
    qtbot.keyClick(window.queue, Qt.Key.Key_N)
    assert window.queue.current_id() == first
    assert window.status.currentMessage() == "No pending conviction in this filter"


@pytest.mark.parametrize("scan", [5000, 2])  # found in the cache, and by the store query
def test_n_goes_to_the_next_pending_row_and_wraps(window, filled, qtbot, monkeypatch, scan):
    import clerkapp.ui.mainwindow as mw
    from clerkapp.review.service import decide

    monkeypatch.setattr(mw, "NEXT_PENDING_SCAN", scan)
    ids = list(window.model.ids())
    pending = {ids[2], ids[40]}
    decide(filled, [i for i in ids if i not in pending], "approved", clerk="T",
           outcome="dismiss_and_seal", note="setup")
    window.model.reload()
    _select(window, 5)
    qtbot.keyClick(window.queue, Qt.Key.Key_N)
    assert window.queue.current_id() == ids[40]
    qtbot.keyClick(window.queue, Qt.Key.Key_N)
    assert window.queue.current_id() == ids[2]
    assert window.status.currentMessage() == "Wrapped to the top of the queue"


def test_detail_names_the_remedy_track_in_words(window, filled):
    """A dismissal beside the bare word "redesignate" read as a contradiction to a clerk."""
    cid, det = filled.conn.execute(
        "SELECT id, determination_id FROM convictions WHERE outcome = 'dismiss_and_seal'"
        " LIMIT 1").fetchone()
    remedy = "redesignate"  # a completed sentence: the track the engine gives most dismissals
    filled.conn.execute("UPDATE determinations SET remedy = ? WHERE id = ?", (remedy, det))
    row = next(r for r in range(window.model.rowCount())
               if window.model.index(r, 0).data(RecordRole).id == cid)
    window.queue.setCurrentIndex(window.model.index(row, 0))
    window.show_current_detail()
    text = window.detail.browser.toPlainText()
    assert "remedy:" not in text
    expected = "Sentence completed" if remedy == "redesignate" else "Sentence still running"
    assert expected in text and "HS 11361.8" in text


def test_show_conviction_finds_one_the_filter_hides(window, filled):
    hidden = filled.conn.execute(
        "SELECT id FROM convictions WHERE outcome = 'not_applicable' LIMIT 1").fetchone()[0]
    assert window.model.row_of(hidden) < 0  # the cannabis queue does not list it
    window.show_conviction(hidden)
    assert window.model.queue_filter.outcome == "all"
    assert window.queue.current_id() == hidden


def test_the_filter_is_remembered_per_store(qtbot, filled, settings, tmp_path):
    from clerkapp.store import Store

    first = MainWindow(filled, settings=settings)
    qtbot.addWidget(first)
    first.filter_bar.set_filter(QueueFilter(outcome="dismiss_and_seal", search="garc"))
    first.close()
    other = Store(tmp_path / "other" / "clerk.db")
    try:
        fresh = MainWindow(other, settings=settings)
        qtbot.addWidget(fresh)
        assert fresh.model.queue_filter.outcome == "cannabis"  # a new store: the default
        fresh.close()
    finally:
        other.close()
    again = MainWindow(filled, settings=settings)
    qtbot.addWidget(again)
    assert again.model.queue_filter.outcome == "dismiss_and_seal"
    assert again.model.queue_filter.search == ""  # a typed name is not brought back
    again.close()
