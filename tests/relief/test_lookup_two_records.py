"""One person on two lists, in the window: the look-up found both records (the trial's
P000002 from the DOJ list by CII and P000245 from the court's by name and date of birth) and
kept "Print confirmation of relief…" disabled. Each conviction now names its record and the
clerk chooses the one to print for, as `clerkapp lookup --person REF` does."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings

from clerkapp.cli.main import main
from clerkapp.store import Store
from clerkapp.ui.dialogs.lookup_dialog import LookupDialog
from tests.orders.conftest import sign_all
from tests.relief.conftest import look_up_in

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]

HEADER = "Case Number,Defendant,DOB,Charge,Level,Disposition,Disposition Date"
ROW = "SCR-201,\"RIVERA, ANA\",03/02/1975,HS 11357(a),F,Convicted,05/14/1998"


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def two_records(db_path, tmp_path):
    """RIVERA, ANA on a list with her CII and on one without: two records; the first list's
    conviction approved and ordered, the second list's imported after it and not decided."""
    (tmp_path / "a.csv").write_text(f"CII,{HEADER}\n A12345678,{ROW}\n")
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{ROW}\n")
    db = ["--db", str(db_path)]
    assert main([*db, "settings", "court.county=Sonoma", "court.judge=Hon. R. Judge",
                 "court.clerk=C. Clerk", "review.clerk_name=Ana Clerk"]) == 0
    assert main([*db, "import", str(tmp_path / "a.csv")]) == 0
    assert main([*db, "evaluate"]) == 0
    assert main([*db, "review", "--approve", "--all-flagged"]) == 0
    assert main([*db, "orders", str(tmp_path / "orders")]) == 0
    with Store(db_path) as signing:  # the judge signed: the confirmation rests on it
        sign_all(signing)
    assert main([*db, "import", str(tmp_path / "b.csv")]) == 0
    assert main([*db, "evaluate"]) == 0
    return db_path


def _look_up(qtbot, dialog):
    return look_up_in(qtbot, dialog, "Ana Rivera", "03/02/1975", "SCR-201")


def test_the_clerk_chooses_the_record_and_prints_its_confirmation(two_records, qtbot,
                                                                  qsettings, tmp_path):
    from clerkapp.store import Store

    with Store(two_records) as store:
        dialog = LookupDialog(store, None, settings=qsettings)
        qtbot.addWidget(dialog)
        dialog.show()
        result = _look_up(qtbot, dialog)
        assert [p.card.person_id for p in result.people] == [1, 2]
        # each conviction names its record
        assert dialog.table.columnCount() == 6
        assert dialog.table.horizontalHeaderItem(0).text() == "Record"
        records = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        assert records == ["P000001", "P000002"]
        # the chooser: the record with relief ordered is chosen, and the button works
        assert dialog.person_combo.isVisible() and dialog.person_combo.count() == 2
        assert dialog.person_combo.currentText() == \
            "P000001, born 1975-03-02 (relief ordered)"
        assert dialog.person_combo.itemText(1) == "P000002, born 1975-03-02 (no relief ordered)"
        assert dialog.certificate_button.isEnabled() and dialog.notice_button.isEnabled()
        dialog.grab().save(str(tmp_path / "lookup-two-records.png"))
        # the other record has nothing ordered: nothing to confirm for it
        dialog.table.selectRow(1)
        assert dialog.person_combo.currentData() == 2
        assert not dialog.certificate_button.isEnabled()
        dialog.table.selectRow(0)
        assert dialog.person_combo.currentData() == 1 and dialog.certificate_button.isEnabled()
        out = tmp_path / "confirmation.pdf"
        with qtbot.waitSignal(dialog.certificate_printed, timeout=30000) as printed:
            dialog.print_certificate_to(out)
        qtbot.waitUntil(lambda: dialog.job is None)
        assert printed.args[0].person_id == 1
        text = PdfReader(str(out)).pages[0].extract_text()
        assert "SCR-201" in text and "Ana Rivera" in text.replace("ANA RIVERA", "Ana Rivera")
