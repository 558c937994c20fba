"""A judge signs a stack of per-case orders in one sitting. The command line recorded several at
once (`orders --mark-signed A B C --date D`); the window took them one at a time. Now the print
dialog's list of orders takes several rows (and lists every order awaiting the signature), and
Mark signed… records them on one date, listed before anything is recorded, each audited, all or
none, in the background with Cancel."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate

from clerkapp.closeout.signing import mark_many_signed
from clerkapp.errors import BadInput
from clerkapp.jobs import Cancelled, CancelToken
from clerkapp.orders.service import print_orders
from clerkapp.ui.dialogs.print_dialog import PrintOrdersDialog
from tests.orders.conftest import QT_MARKS

pytestmark = QT_MARKS


@pytest.fixture
def per_case(court_store, tmp_path):
    """The court's approved counts printed as four per-case orders, none signed yet."""
    summary = print_orders(court_store, tmp_path / "orders")
    numbers = [o.order_number for o in summary.orders]
    assert len(numbers) == 4
    return court_store, numbers


def _signed(store) -> dict[str, str]:
    return {str(n): str(d) for n, d in store.conn.execute(
        "SELECT o.order_number, s.signed_on FROM order_signatures s JOIN orders o"
        " ON o.id = s.order_id")}


def _audited(store) -> int:
    return int(store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'order.signed'").fetchone()[0])


def test_several_orders_signed_on_one_day_each_audited(per_case):
    store, numbers = per_case
    day = date.today().isoformat()  # printed today: signed today
    seen: list[tuple[int, int | None]] = []
    signatures = mark_many_signed(store, numbers, day, judge="Hon. B", operator="Clerk Test",
                                  progress=lambda done, total, _m: seen.append((done, total)))
    assert [s.signed_on for s in signatures] == [day] * 4
    assert _signed(store) == dict.fromkeys(numbers, day)
    assert _audited(store) == 4
    assert seen[-1] == (4, 4)


def test_one_refused_records_none(per_case):
    store, numbers = per_case
    with pytest.raises(BadInput, match="no order numbered '2026-NOPE'"):
        mark_many_signed(store, [*numbers[:2], "2026-NOPE"], date.today().isoformat())
    # a day before the orders were printed: refused for the first, so none is recorded
    with pytest.raises(BadInput, match="cannot have been signed before"):
        mark_many_signed(store, numbers, (date.today() - timedelta(days=400)).isoformat())
    assert _signed(store) == {} and _audited(store) == 0


def test_a_cancel_midway_records_none(per_case):
    store, numbers = per_case
    token = CancelToken()

    def progress(done, _total, _message):
        if done == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        mark_many_signed(store, numbers, date.today().isoformat(), progress=progress,
                         cancel=token)
    assert _signed(store) == {} and _audited(store) == 0


def test_the_window_marks_the_orders_picked_signed_at_once(qtbot, per_case, qsettings,
                                                           tmp_path):
    store, numbers = per_case
    store.record_signature(store.find_order(numbers[0]), date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")  # signed already: not awaiting
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    pane, bar = dialog.history, dialog.closeout
    signed_column = [pane.table.horizontalHeaderItem(c).text()
                     for c in range(pane.table.columnCount())].index("Signed")
    pane.awaiting_box.setChecked(True)
    assert pane.label.text() == "Awaiting the judge's signature: 3"
    assert sorted(o.order_number for o in pane.orders) == sorted(numbers[1:])
    assert all(not pane.table.item(r, signed_column).text() for r in range(3))
    pane.table.selectAll()
    assert len(bar.orders) == 3 and bar.order is None
    assert bar.label.text().startswith("3 orders picked: 3 not recorded as signed yet.")
    assert bar.sign_button.text() == "Mark 3 signed…" and bar.sign_button.isEnabled()
    assert not bar.review_button.isEnabled() and not bar.final_button.isEnabled()
    assert not dialog.reprint.button.isEnabled()  # a copy is one order's
    dialog.grab().save(str(tmp_path / "print-dialog-three-picked.png"))
    bar.sign_button.click()
    sign = bar.sign_dialog
    assert sign.windowTitle() == "3 orders signed"
    assert all(n in sign.orders_label.text() for n in numbers[1:])
    sign.grab().save(str(tmp_path / "sign-three.png"))
    day = date.today()
    assert sign.date.date() == QDate(day.year, day.month, day.day)
    sign.judge.setText("Hon. Pat Q. Bench")
    sign.accept()
    qtbot.waitUntil(lambda: bar.job is None and bar.signatures is not None, timeout=20000)
    assert _signed(store) == {numbers[0]: date.today().isoformat(),
                              **dict.fromkeys(numbers[1:], day.isoformat())}
    assert _audited(store) == 4
    # the list no longer holds them, and the bar says what was recorded
    assert pane.label.text() == "Every order printed is recorded as signed."
    assert bar.label.text().startswith(f"3 orders recorded as signed on {day.isoformat()} by"
                                       " Hon. Pat Q. Bench; DOJ report due ")
    # the recent orders show the day each was signed
    pane.awaiting_box.setChecked(False)
    assert {pane.table.item(r, 0).text(): pane.table.item(r, signed_column).text()
            for r in range(pane.table.rowCount())} == _signed(store)
    dialog.grab().save(str(tmp_path / "print-dialog-signed.png"))


def test_signed_ones_among_those_picked_are_said_before_marking(qtbot, per_case, qsettings):
    store, numbers = per_case
    store.record_signature(store.find_order(numbers[1]), date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.history_table.selectAll()
    bar = dialog.closeout
    assert bar.label.text().startswith("4 orders picked: 3 not recorded as signed yet, 1"
                                       " signed already (marking them again corrects the date)")
    bar.sign_button.click()
    assert f"1 of them ({numbers[1]}) are recorded as signed already: their date is" \
           " corrected." in bar.sign_dialog.orders_label.text()
    bar.sign_dialog.reject()
    assert bar.job is None and len(_signed(store)) == 1
