"""The lazy queue model on real stores, up to a million convictions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from bench.testdata import fill_queue, fill_queue_fast
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.queue import EVERYTHING, QueueFilter
from clerkapp.ui.models.queue_model import COLUMN_INDEX, COLUMNS, IdRole, QueueModel, RecordRole

# Qt warnings are defects here; the offscreen platform's size-hint notice is not ours.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture(autouse=True)
def _app(qapp):
    return qapp


@pytest.fixture
def filled(store):
    fill_queue(store, 300, seed=11)
    return store


def _column(model, key):
    return [model.index(r, COLUMN_INDEX[key]).data() for r in range(model.rowCount())]


def test_qtmodeltester_passes(qtmodeltester, filled):
    model = QueueModel(filled)
    model.reload()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_columns_are_data_and_headers_follow_them(filled):
    model = QueueModel(filled)
    assert model.columnCount() == len(COLUMNS) == 11
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert titles[:3] == ["Status", "Outcome", "Name"] and titles[-1] == "Reasons"


def test_default_filter_shows_cannabis_outcomes_in_id_order(filled):
    model = QueueModel(filled)
    model.reload()
    expected = [r[0] for r in filled.conn.execute(
        "SELECT id FROM convictions WHERE outcome != 'not_applicable' ORDER BY id")]
    assert [model.index(r, 0).data(IdRole) for r in range(model.rowCount())] == expected
    assert "Not applicable" not in _column(model, "outcome")


def test_filters_match_sql_counts(filled):
    model = QueueModel(filled)
    model.set_filter(QueueFilter(outcome="needs_review", county="LOS ANGELES"))
    n = filled.conn.execute("SELECT count(*) FROM convictions WHERE outcome = 'needs_review'"
                            " AND county = 'LOS ANGELES'").fetchone()[0]
    assert model.rowCount() == n > 0
    assert set(_column(model, "outcome")) == {"Needs review"}
    assert set(_column(model, "county")) == {"LOS ANGELES"}
    model.set_filter(QueueFilter(outcome=EVERYTHING, disagree=True))
    rows = [model.index(r, 0).data(RecordRole) for r in range(model.rowCount())]
    assert rows and all(r.prosecutor_outcome and r.prosecutor_outcome != r.outcome for r in rows)


def test_search_by_name_prefix_and_case_number_prefix(filled):
    model = QueueModel(filled)
    model.reload()
    record = model.index(0, 0).data(RecordRole)
    last = record.name.split(",")[0]
    model.set_filter(QueueFilter(search=last[:5].lower()))
    names = _column(model, "name")
    assert names and all(n.lower().startswith(last[:5].lower()) for n in names)
    model.set_filter(QueueFilter(search=record.case_number[:-1]))
    assert record.case_number in _column(model, "case_number")
    model.set_filter(QueueFilter(search="QQQQ"))
    assert model.rowCount() == 0


def test_sort_by_column_asks_the_store(filled):
    model = QueueModel(filled)
    model.reload()
    model.sort(COLUMN_INDEX["conviction_date"], Qt.SortOrder.DescendingOrder)
    dates = _column(model, "conviction_date")
    assert dates == sorted(dates, reverse=True)
    model.sort(COLUMN_INDEX["name"], Qt.SortOrder.AscendingOrder)
    names = _column(model, "name")
    assert names == sorted(names, key=str.lower)


def test_refresh_reloads_only_the_decided_rows(qtbot, filled):
    model = QueueModel(filled)
    model.reload()
    for r in range(model.rowCount()):
        model.index(r, 0).data()
    target_row = 5
    cid = model.conviction_id(target_row)
    decide(filled, [cid], "approved", clerk="T")
    assert model.index(target_row, 0).data() == "Pending"  # still cached
    with qtbot.waitSignal(model.dataChanged) as blocker:
        model.refresh([cid])
    top, bottom = blocker.args[0], blocker.args[1]
    assert (top.row(), bottom.row()) == (target_row, target_row)
    assert model.index(target_row, 0).data() == "Approved"


def test_a_row_that_fails_to_load_is_disabled_not_an_exception(filled, monkeypatch):
    model = QueueModel(filled)
    model.reload()

    def broken(ids):
        raise RuntimeError("disk error")

    monkeypatch.setattr(filled, "queue_rows", broken)
    index = model.index(0, 0)
    assert index.data() == "…"
    assert model.flags(index) == Qt.ItemFlag.NoItemFlags
    assert model.data(QModelIndex()) is None


@pytest.fixture(scope="module")
def million(tmp_path_factory):
    path = tmp_path_factory.mktemp("million") / "clerk.db"
    with Store(path) as s:
        fill_queue_fast(s, 1_000_000)
    return path


@pytest.mark.slow
def test_a_million_convictions_open_and_scroll_to_the_end_lazily(qtbot, million):
    store = Store(million)
    try:
        model = QueueModel(store)
        model.set_filter(QueueFilter(outcome=EVERYTHING))
        assert model.rowCount() == 1_000_000
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(900, 600)
        view.show()
        qtbot.waitExposed(view)
        view.scrollToBottom()
        qtbot.wait(50)
        last = model.index(model.rowCount() - 1, COLUMN_INDEX["case_number"])
        assert last.data(RecordRole).id == model.conviction_id(model.rowCount() - 1)
        assert view.rowAt(view.viewport().height() - 2) > 999_000
        # only windows around what was on screen were read, and the cache stays bounded
        assert 0 < model.total_fetched_rows < 10 * QueueModel.WINDOW
        assert model.cached_rows <= QueueModel.WINDOW * QueueModel.MAX_WINDOWS
        for row in range(0, 1_000_000, 20_000):  # jump around: the cache evicts, never grows
            model.index(row, 0).data()
        assert model.cached_rows <= QueueModel.WINDOW * QueueModel.MAX_WINDOWS
    finally:
        store.close()


def test_filter_choices_come_from_the_store(filled):
    filled.conn.execute("UPDATE convictions SET county = 'Kern' WHERE id = (SELECT min(id)"
                        " FROM convictions WHERE county = 'KERN')")
    options = filled.queue_options()
    expected = sorted({r[0].upper() for r in filled.conn.execute(
        "SELECT county FROM convictions")})
    assert [c.upper() for c in options.counties] == expected
    sections = {r[0] for r in filled.conn.execute(
        "SELECT code_section FROM convictions WHERE section_number IN"
        " ('11357','11358','11359','11360')")}
    assert set(options.sections) - {"11357", "11358", "11359", "11360"} == sections
    assert options.imports and options.imports[0][1] == "synthetic-11.csv"


def test_a_decision_the_latest_evaluation_disagrees_with_is_marked(store):
    """Approved as one outcome, then a new evaluation says another: the status cell says so
    (an override is the clerk's own outcome and is not marked)."""
    from clerkapp.rules.service import evaluate
    from tests.rules.store_data import sample

    sample(store)
    evaluate(store, as_of="2020-01-01", county="SACRAMENTO")
    ids = {r[0]: r[1] for r in store.conn.execute("SELECT code_section, id FROM convictions")}
    decide(store, [ids["HS 11359"]], "approved", clerk="clerk")
    decide(store, [ids["HS 11360(a)"]], "approved", clerk="clerk", outcome="dismiss_and_seal",
           note="court's order")
    model = QueueModel(store)
    model.set_filter(QueueFilter(outcome=EVERYTHING))

    def outcome(cid: int) -> tuple[str, object]:
        index = model.index(model.row_of(cid), COLUMN_INDEX["outcome"])
        return index.data(), index.data(Qt.ItemDataRole.ToolTipRole)

    assert outcome(ids["HS 11359"]) == ("Redesignate as misdemeanor", None)
    evaluate(store, as_of="2020-01-01", county="YOLO")
    model.reload()
    text, tip = outcome(ids["HS 11359"])
    assert text == "Not applicable ⚠"
    assert "Approved as Redesignate as misdemeanor; the latest evaluation says otherwise" in tip
    assert "⚠" not in outcome(ids["HS 11360(a)"])[0]  # an override is the clerk's own
