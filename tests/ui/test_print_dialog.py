"""Print orders dialog: scopes and counts, background printing, reprint history, preview,
court-profile shortcut, remembered folder, and opening the result."""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QDesktopServices

from bench.testdata import fill_queue
from clerkapp.review.service import decide
from clerkapp.ui.dialogs.print_dialog import FOLDER_KEY, PrintOrdersDialog

RELIEF = ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")


def relief_ids(store, county: str = "LOS ANGELES") -> list[int]:
    """The court's own convictions with relief (a court orders relief for its county only)."""
    marks = ",".join("?" * len(RELIEF))
    return [r[0] for r in store.conn.execute(
        f"SELECT id FROM convictions WHERE outcome IN ({marks}) AND county = ? ORDER BY id",
        (*RELIEF, county))]


@pytest.fixture
def approved_store(store):
    fill_queue(store, 60, seed=3)
    ids = relief_ids(store)
    decide(store, ids[:-3], "approved", clerk="setup")  # the last three stay pending
    with store.atomic():
        store.set_setting("court.county", "Los Angeles")
        store.set_setting("court.judge", "Hon. Pat Q. Bench")
    return store


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def opened(monkeypatch):
    urls = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: urls.append(url.toLocalFile()) or True)
    return urls


def _open(qtbot, store, qsettings, **kwargs):
    dialog = PrintOrdersDialog(store, None, settings=qsettings, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _print(qtbot, dialog):
    with qtbot.waitSignal(dialog.orders_printed, timeout=60000) as blocker:
        dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    return blocker.args[0]


def test_prints_per_case_orders_for_the_selection(qtbot, approved_store, qsettings, tmp_path, opened):
    store = approved_store
    approved = relief_ids(store)[:-3]
    pending = relief_ids(store)[-1]
    selection = approved[:3] + [pending]
    dialog = _open(qtbot, store, qsettings, selected_ids=selection,
                   filter_ids_provider=lambda: approved)
    assert dialog.scope == "selection"
    assert dialog.count_label.text().startswith("3 approved conviction(s)")
    dialog.folder_edit.setText(str(tmp_path / "out"))
    summary = _print(qtbot, dialog)
    assert len(summary.files) == 3 and all(p.exists() for p in summary.files)
    assert store.table_counts()["orders"] == 3
    covered = {r[0] for r in store.conn.execute("SELECT conviction_id FROM order_items")}
    assert covered == set(approved[:3])  # the pending one never reaches an order
    assert "Wrote 3 order file(s) covering 3 conviction(s)" in dialog.result_label.text()
    assert dialog.open_folder_button.isVisible() and dialog.open_pdf_button.isVisible()
    dialog.open_folder_button.click()
    dialog.open_pdf_button.click()
    assert opened == [str(tmp_path / "out"), str(summary.files[0])]
    # the history answers "was this printed, and when?" for the selection
    assert dialog.history_table.rowCount() == 3
    assert dialog.history_label.text() == "Earlier orders covering the selected convictions"
    # the same selection again: a conviction is ordered once; printing waits until the clerk
    # chooses to supersede their orders, with the reason
    first_numbers = [o.order_number for o in summary.orders]
    assert "3 of them already have an order in force (Order No. " in dialog.count_label.text()
    assert all(n in dialog.count_label.text() for n in first_numbers)
    assert dialog.supersede_box.isVisible() and not dialog.print_button.isEnabled()
    dialog.supersede_box.check.setChecked(True)
    assert not dialog.print_button.isEnabled()  # a reason is required
    dialog.supersede_box.reason_edit.setText("the papers were lost before signing")
    assert dialog.print_button.isEnabled()
    again = _print(qtbot, dialog)
    assert again.reprints == 3
    assert sorted(again.superseded) == sorted(first_numbers)
    assert f"Supersedes Order No. {', '.join(again.superseded)} for 3 conviction(s)." in \
        dialog.result_label.text()
    assert "(reprint)" in dialog.history_table.item(0, 2).text()
    # the order numbers: the history shows them, newest first, and the result line names them
    numbers = [dialog.history_table.item(r, 0).text() for r in range(dialog.history_table.rowCount())]
    assert numbers == [o.order_number for o in reversed(again.orders)] + [
        o.order_number for o in reversed(summary.orders)]
    assert len(set(numbers)) == 6 and all(re.fullmatch(r"\d{4}-P64-\d{5}", n) for n in numbers)
    assert (f"Order Nos. {again.orders[0].order_number} to {again.orders[-1].order_number}."
            in dialog.result_label.text())
    assert qsettings.value(FOLDER_KEY) == str(tmp_path / "out")


def test_bulk_order_for_the_filter_and_remembered_folder(qtbot, approved_store, qsettings, tmp_path):
    store = approved_store
    approved = relief_ids(store)[:-3]
    qsettings.setValue(FOLDER_KEY, str(tmp_path / "bulk"))
    dialog = _open(qtbot, store, qsettings, filter_ids_provider=lambda: approved[:10])
    assert dialog.folder_edit.text() == str(tmp_path / "bulk")  # remembered on this desk
    assert dialog.scope == "unprinted" and not dialog.scope_radios["selection"].isEnabled()
    dialog.scope_radios["filter"].setChecked(True)
    assert dialog.count_label.text().startswith("10 approved conviction(s)")
    dialog.bulk_radio.setChecked(True)
    assert dialog.sort_combo.isEnabled()
    summary = _print(qtbot, dialog)
    assert summary.kind == "bulk" and len(summary.files) == 1
    assert summary.files[0].name.endswith("_10-convictions.pdf")
    assert store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0] == 10
    # "not printed yet" now leaves those ten out
    dialog.scope_radios["unprinted"].setChecked(True)
    assert dialog.count_label.text().startswith(f"{len(approved) - 10} approved")


def test_missing_court_profile_blocks_printing_and_offers_settings(qtbot, approved_store, qsettings):
    store = approved_store
    store.set_setting("court.judge", "")
    dialog = _open(qtbot, store, qsettings)
    assert not dialog.print_button.isEnabled()
    assert dialog.profile_button.isVisible()
    assert "Judge" in dialog.profile_label.text()
    dialog.profile_button.click()
    settings_dialog = dialog.profile_dialog
    qtbot.waitUntil(settings_dialog.isVisible)
    settings_dialog.editors["court.judge"].setText("Hon. New Judge")
    settings_dialog.accept()
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled())
    assert not dialog.profile_button.isVisible()
    assert store.get_setting("court.judge") == "Hon. New Judge"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_preview_shows_the_first_page_and_records_nothing(qtbot, approved_store, qsettings):
    dialog = _open(qtbot, approved_store, qsettings)
    dialog.show_preview()
    pixmap = dialog.preview_label.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.height() > pixmap.width()
    dialog.bulk_radio.setChecked(True)  # the per-case preview would now mislead
    assert dialog.preview_label.pixmap().isNull() and dialog.preview_pdf is None
    assert dialog.preview_label.text() == "No preview yet."
    dialog.show_preview()
    assert dialog.preview_pdf.name == "preview-bulk.pdf"
    assert approved_store.table_counts()["orders"] == 0


def test_cancel_writes_and_records_nothing(qtbot, store, qsettings, tmp_path):
    fill_queue(store, 3000, seed=5)
    decide(store, relief_ids(store), "approved", clerk="setup")
    with store.atomic():
        store.set_setting("court.county", "Los Angeles")
        store.set_setting("court.judge", "Hon. Pat Q. Bench")
    dialog = _open(qtbot, store, qsettings)
    dialog.folder_edit.setText(str(tmp_path / "out"))
    dialog.print_button.click()
    job = dialog.job
    with qtbot.waitSignal(job.cancelled, timeout=60000):
        dialog.reject()  # closing while printing asks the job to stop
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert "Cancelled" in dialog.result_label.text()
    assert store.table_counts()["orders"] == 0
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_juvenile_adjudications_are_named_before_printing(qtbot, approved_store, qsettings,
                                                          tmp_path):
    store = approved_store
    juvenile = relief_ids(store)[0]  # a record of the juvenile court, 16 at the offense
    person = store.conn.execute("SELECT person_id FROM convictions WHERE id = ?",
                                (juvenile,)).fetchone()[0]
    with store.atomic():
        store.conn.execute("UPDATE convictions SET court = 'CASC LOS ANGELES JUVENILE',"
                           " offense_date = '1990-01-01', conviction_date = '1990-03-01'"
                           " WHERE id = ?", (juvenile,))
        store.conn.execute("UPDATE people SET dob = '1974-01-01' WHERE id = ?", (person,))
    dialog = _open(qtbot, store, qsettings)
    assert "1 of them are juvenile adjudications: they print on the juvenile order" \
        in dialog.count_label.text()
    dialog.bulk_radio.setChecked(True)
    assert "1 of them are juvenile adjudications: a bulk order leaves them out" \
        in dialog.count_label.text()
    dialog.folder_edit.setText(str(tmp_path / "bulk"))
    summary = _print(qtbot, dialog)
    assert summary.juvenile_left_out == 1 and juvenile not in {
        r[0] for r in store.conn.execute("SELECT conviction_id FROM order_items")}
    assert "1 juvenile adjudication(s) left out of the bulk order" in dialog.result_label.text()


def test_nothing_is_squeezed_over_anything_else(qtbot, approved_store, qsettings):
    """The choices and the words under them keep their height when the dialog opens (wrapped
    words once squeezed the scope's radio buttons over one another), and the close-out bar's
    words are not wrapped a word a line beside its buttons."""
    dialog = _open(qtbot, approved_store, qsettings, selected_ids=relief_ids(approved_store)[:2])
    qtbot.waitExposed(dialog)
    shown = [*dialog.scope_radios.values(), dialog.count_label]
    for widget in shown:
        assert widget.height() >= widget.minimumSizeHint().height(), widget
    tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in shown]
    bottoms = [w.mapTo(dialog, w.rect().bottomLeft()).y() for w in shown]
    assert all(below > above for above, below in zip(bottoms, tops[1:], strict=False))
    label = dialog.closeout.label
    assert label.height() <= 2 * label.fontMetrics().lineSpacing()
