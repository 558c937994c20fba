"""The window on a small screen, the mapping dialog's field names, and the user guide."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from bench.testdata import fill_queue
from clerkapp.domain.outcomes import Outcome
from clerkapp.ingest.mapping import FIELD_LABELS, FIELDS
from clerkapp.ui.dialogs.import_dialog import ImportDialog
from clerkapp.ui.mainwindow import MainWindow
from tests.court_export import write_court_export

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def window(qtbot, store, tmp_path):
    fill_queue(store, 50, seed=3)
    w = MainWindow(store, settings=QSettings(str(tmp_path / "d.ini"),
                                             QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def test_the_main_window_fits_a_1366_by_768_screen(qtbot, window):
    """Every control of the window fits: its smallest size is within the screen (a real
    Xvfb screenshot at 1366x768 is in docs/screenshots, taken by take.py), with the status
    bar filled (the counts, and a shared store's longer name)."""
    qtbot.waitUntil(lambda: "shown" in window.status.counts.text())
    # what a county's 66,000 convictions show: every outcome and status, five-digit counts
    window.status.show_counts({(o.value, s): 12_345 for o in Outcome
                               for s in ("pending", "approved", "denied", "deferred")})
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 - 10 and hint.height() <= 768 - 60
    window.resize(1366, 728)
    assert window.filter_bar.width() >= window.filter_bar.minimumSizeHint().width()
    assert window.filter_bar.search.isVisible() and window.filter_bar.disagree.isVisible()


def test_the_mapping_dialog_names_fields_in_words(qtbot, store, tmp_path):
    assert set(FIELD_LABELS) == set(FIELDS)
    dialog = ImportDialog(store, None, paths=[write_court_export(tmp_path / "i.xlsx")])
    qtbot.addWidget(dialog)
    combo = dialog.mapping_table.combos[0]  # "Case Number"
    assert combo.currentText() == "Case number *"
    assert combo.toolTip() == "field: case_number" or combo.itemData(
        combo.currentIndex(), Qt.ItemDataRole.ToolTipRole) == "field: case_number"
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Conviction date *" in texts and "conviction_date" not in " ".join(texts)
    date = texts.index("Conviction date *")
    assert combo.itemData(date, Qt.ItemDataRole.ToolTipRole) == "field: conviction_date"


def test_help_user_guide_opens_the_shipped_guide(window):
    window.actions["user_guide"].trigger()
    text = window.dialog.browser.toPlainText()
    for part in ("Court profile", "Import", "Review", "Print the orders", "Ctrl+Enter"):
        assert part in text
