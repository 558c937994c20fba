"""A notice tells the person what the court ordered, so it rests on the signed order, as the DOJ
update and the confirmation of relief do (per-case and bulk orders alike are signed by a judge:
shared docs/orders.md, sections 1, 2 and 5). Before, notices went out for orders printed but
never recorded as signed, dated the day they were printed. Now they report signed orders only,
dated the day of signing, and say how many convictions they left out and which orders await the
signature; in the command, the Print notices window and the look-up's Print notice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.relief.letter_pdf import long_date
from clerkapp.relief.notices import print_notices
from clerkapp.relief.templates import load_notice_templates
from clerkapp.ui.dialogs.lookup_dialog import LookupDialog
from clerkapp.ui.dialogs.notices_dialog import NoticesDialog
from tests.orders.conftest import QT_MARKS, sign_all

pytestmark = QT_MARKS


def _order_of(store, case_number: str) -> tuple[int, str]:
    row = store.conn.execute(
        "SELECT o.id, o.order_number FROM orders o JOIN order_items oi ON oi.order_id = o.id"
        " JOIN convictions c ON c.id = oi.conviction_id WHERE c.case_number = ? LIMIT 1",
        (case_number,)).fetchone()
    return int(row[0]), str(row[1])


def _noticed(store) -> list[int]:
    return [int(r[0]) for r in store.conn.execute(
        "SELECT conviction_id FROM notice_items ORDER BY conviction_id")]


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())


def test_no_notice_for_an_order_not_recorded_as_signed(printed_store, tmp_path):
    store = printed_store
    numbers = [_order_of(store, case)[1] for case in ("CASE-A1", "CASE-B2", "CASE-G7")]
    with pytest.raises(BadInput) as refused:
        print_notices(store, tmp_path / "n")
    message = str(refused.value)
    assert message.startswith(f"nothing to print: 4 ordered conviction(s) left out: Order No."
                              f" {', '.join(numbers)} not recorded as signed by the judge yet;"
                              " record the signing (`clerkapp orders --mark-signed")
    assert message.endswith("and they are in the next notices; no notice was written")
    assert not (tmp_path / "n").exists() or not any((tmp_path / "n").iterdir())
    assert _noticed(store) == []


def test_notices_report_signed_orders_dated_the_day_of_signing(printed_store, tmp_path):
    store = printed_store
    book = store.book
    a1, a1_number = _order_of(store, "CASE-A1")
    signed_on = (date.today() - timedelta(days=4)).isoformat()
    store.record_signature(a1, signed_on, "Hon. A", recorded_by="Clerk Test")
    summary = print_notices(store, tmp_path / "n")
    assert summary.people == 1 and _noticed(store) == sorted(book.by_case["CASE-A1"])
    others = [_order_of(store, case)[1] for case in ("CASE-B2", "CASE-G7")]
    assert summary.unsigned == 2 and summary.awaiting == tuple(others)
    assert summary.unsigned_note.startswith(
        f"2 ordered conviction(s) left out: Order No. {', '.join(others)} not recorded as"
        " signed by the judge yet")
    (path,) = summary.files
    text = _text(path)
    template = load_notice_templates(("en",))["en"]
    assert long_date(signed_on, template) in text and a1_number in text
    # the signing recorded, the others are in the next notices, and nothing is left out
    sign_all(store)
    second = print_notices(store, tmp_path / "n2")
    assert second.people == 2 and second.unsigned == 0 and second.unsigned_note == ""
    assert len(_noticed(store)) == 4


def test_a_person_whose_order_awaits_the_signature_is_refused_in_one_line(printed_store,
                                                                         tmp_path):
    store = printed_store
    golf = store.book.people["GOLF,GINA"]
    number = _order_of(store, "CASE-G7")[1]
    with pytest.raises(BadInput, match=rf"person P{golf:06d}'s relief is in Order No\. {number},"
                                       " not recorded as signed by the judge yet: a notice"
                                       " tells the person of the court's signed order"):
        print_notices(store, tmp_path / "n", person_ids=[golf], again=True)
    assert _noticed(store) == []


def test_the_command_says_what_it_left_out(printed_store, tmp_path, capsys):
    store = printed_store
    db = ["--db", str(store.path)]
    assert main([*db, "notices", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "nothing to print: 4 ordered conviction(s) left out" in err
    assert len(err.strip().splitlines()) == 1
    store.record_signature(_order_of(store, "CASE-B2")[0], date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    assert main([*db, "notices", str(tmp_path / "n")]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("1 notice(s) for 1 person(s) in 1 file(s)")
    assert "; 3 ordered conviction(s) left out: Order No. " in last


def test_the_window_counts_the_unsigned_before_printing(printed_store, qtbot, qsettings,
                                                        tmp_path):
    store = printed_store
    dialog = NoticesDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.count_label.text().startswith("Nothing to print: 4 ordered conviction(s)"
                                                " left out: Order No. ")
    assert not dialog.print_button.isEnabled()
    store.record_signature(_order_of(store, "CASE-A1")[0], date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    dialog.again_check.setChecked(True)  # read again
    assert dialog.count_label.text().startswith(
        "1 person to write to, about 2 ordered convictions. 2 ordered conviction(s) left out:"
        " Order No. ")
    assert dialog.print_button.isEnabled()
    dialog.grab().save(str(tmp_path / "notices-unsigned.png"))
    dialog.folder_edit.setText(str(tmp_path / "n"))
    with qtbot.waitSignal(dialog.notices_printed, timeout=30000):
        dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert "Note: 2 ordered conviction(s) left out" in dialog.result_label.text()
    assert _noticed(store) == sorted(store.book.by_case["CASE-A1"])


def test_the_lookups_print_notice_says_the_order_awaits_the_signature(printed_store, qtbot,
                                                                      qsettings, tmp_path):
    store = printed_store
    qsettings.setValue("notices/folder", str(tmp_path / "counter"))
    dialog = LookupDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name_edit, "Gina Golf")
    with qtbot.waitSignal(dialog.looked_up, timeout=30000):
        dialog.lookup_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    dialog.notice_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30000)
    text = dialog.result_row.label.text()
    assert text.startswith("Not printed: person P") and "not recorded as signed" in text
    assert _noticed(store) == []
