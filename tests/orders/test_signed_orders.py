"""What the court's record of a signed order means, per-case and bulk alike: a printed order is a
paper for the judge to sign (CR-403: "Signature: date plus judicial officer"; the bulk order
"signed by a judge"). The trial found the DOJ update reporting unsigned per-case orders with the
print date as ORDER_DATE, and a confirmation of relief "derived from the court's record of the
signed order" for orders none of which was marked signed. Now the update reports signed orders
only and says how many it left out and why; the confirmation lists signed orders only and is
refused with none; per-case orders can be marked signed in the window and several at once on
the command line."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.closeout.updates import write_update
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.relief.certificate import print_certificate
from clerkapp.relief.lookup import standing_text
from clerkapp.ui.dialogs.print_dialog import PrintOrdersDialog
from clerkapp.ui.dialogs.update_dialog import UpdateFileDialog
from tests.orders.conftest import QT_MARKS
from tests.relief.conftest import relief_profile

pytestmark = QT_MARKS



@pytest.fixture
def per_case(court_store, tmp_path):
    """The court's five approved counts printed as per-case orders (A1, B2, F6, G7), none
    signed yet; the court code set (the update is not stopped for it)."""
    court_store.set_setting("court.code", "CA001013J")
    summary = print_orders(court_store, tmp_path / "orders")
    return court_store, {o.order_number: o for o in summary.orders}


def _csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _number_of(store, case_number: str) -> str:
    return store.conn.execute(
        "SELECT o.order_number FROM orders o JOIN order_items oi ON oi.order_id = o.id"
        " JOIN convictions c ON c.id = oi.conviction_id WHERE c.case_number = ?"
        " LIMIT 1", (case_number,)).fetchone()[0]


def test_the_doj_update_reports_signed_orders_only_and_says_what_it_left_out(per_case,
                                                                            tmp_path):
    store, orders = per_case
    assert len(orders) == 4
    nothing = write_update(store, "doj", tmp_path / "none.csv")
    assert nothing.path is None and not (tmp_path / "none.csv").exists()
    assert nothing.message.startswith("nothing to write for the DOJ update: 5 ordered"
                                      " count(s) left out: Order No. ")
    assert "not recorded as signed by the judge yet" in nothing.message
    assert "clerkapp orders --mark-signed ORDER_NO --date YYYY-MM-DD" in nothing.message
    # the judge signed A1's order three days ago: its two counts, dated that day
    signed_on = (date.today() - timedelta(days=3)).isoformat()
    a1 = _number_of(store, "CASE-A1")
    store.record_signature(store.find_order(a1), signed_on, "Hon. Ada Q. Testjudge",
                           recorded_by="Clerk Test")
    summary = write_update(store, "doj", tmp_path / "doj.csv")
    rows = _csv(tmp_path / "doj.csv")
    assert summary.rows == 2 and {r["CASE_NUMBER"] for r in rows} == {"CASE-A1"}
    assert {r["ORDER_DATE"] for r in rows} == {signed_on}
    assert "3 ordered count(s) left out: Order No. " in summary.message
    assert a1 not in summary.message.split("left out")[1]


def test_the_command_says_it_and_marks_several_orders_signed_at_once(per_case, tmp_path,
                                                                     capsys):
    store, orders = per_case
    db = str(store.path)
    assert main(["--db", db, "doj-update", str(tmp_path / "a.csv")]) == 0
    assert "5 ordered count(s) left out" in capsys.readouterr().out
    numbers = sorted(orders)
    today = date.today().isoformat()
    # an unknown number among them: none recorded
    assert main(["--db", db, "orders", "--mark-signed", *numbers[:2], "2026-X-1",
                 "--date", today]) == 2
    assert "no order numbered '2026-X-1'" in capsys.readouterr().err
    assert all(store.order_signature(store.find_order(n)) is None for n in numbers)
    assert main(["--db", db, "orders", "--mark-signed", *numbers, "--date", today]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4 and all(f"recorded as signed on {today}" in line for line in out)
    assert main(["--db", db, "doj-update", str(tmp_path / "b.csv")]) == 0
    assert capsys.readouterr().out.startswith("5 count(s) written to the DOJ update")


def test_the_update_dialog_counts_the_unsigned_before_write(qtbot, per_case, qsettings):
    store, orders = per_case
    dialog = UpdateFileDialog(store, None, kind="doj", settings=qsettings)
    qtbot.addWidget(dialog)
    assert dialog.count_label.text().startswith("Nothing to write: 5 ordered count(s) left"
                                                " out: Order No. ")
    assert not dialog.write_button.isEnabled()
    g7 = _number_of(store, "CASE-G7")
    store.record_signature(store.find_order(g7), date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    dialog.scope.setCurrentIndex(1)
    dialog.scope.setCurrentIndex(0)  # read again
    assert dialog.count_label.text().startswith("1 count(s) will be written and recorded as"
                                                " reported. 4 ordered count(s) left out")
    assert dialog.write_button.isEnabled()


def test_a_per_case_order_is_marked_signed_from_the_print_dialog(qtbot, per_case, qsettings,
                                                                 tmp_path):
    store, orders = per_case
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    bar = dialog.closeout
    row = next(i for i, o in enumerate(dialog.history_orders) if o.kind != "bulk")
    dialog.history_table.selectRow(row)
    picked = dialog.history_orders[row]
    assert bar.sign_button.isEnabled()
    assert not bar.review_button.isEnabled() and not bar.final_button.isEnabled()
    assert "not recorded as signed yet" in bar.label.text()
    dialog.grab().save(str(tmp_path / "print-dialog-per-case.png"))
    bar.sign_button.click()
    bar.sign_dialog.accept()
    qtbot.waitUntil(lambda: bar.job is None)  # recorded in the background
    signature = store.order_signature(picked.order_id)
    assert signature is not None and signature.signed_on == date.today().isoformat()
    assert f"Order {picked.order_number}: signed {signature.signed_on}" in bar.label.text()
    assert not bar.final_button.isEnabled()  # the judge's reports are a bulk order's


def test_the_confirmation_rests_on_the_signed_order(per_case, casebook, tmp_path, capsys):
    store, _orders = per_case
    relief_profile(store)
    alpha = casebook.people["ALPHA,ANNA MARIE"]
    a1 = _number_of(store, "CASE-A1")
    with pytest.raises(BadInput, match=f"relief is in Order No. {a1}, not recorded as signed"
                                       " by the judge yet: a confirmation of relief rests on"
                                       " the signed order"):
        print_certificate(store, alpha, tmp_path / "none.pdf", clerk="Clerk Counter")
    assert not (tmp_path / "none.pdf").exists()
    standing = next(s for s in store.person_standings(alpha) if s.order is not None)
    assert standing_text(standing).startswith(
        f"Order printed {date.today().isoformat()}, not yet recorded as signed, order No. {a1}")
    store.record_signature(store.find_order(a1), date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    cert = print_certificate(store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter")
    assert cert.unsigned == 0 and cert.unsigned_note == ""
    text = PdfReader(str(cert.path)).pages[0].extract_text().replace("\n", " ")
    assert "Each order listed above was signed by the judge on the order date shown" in text
    assert "derived from the court's record of the signed order" not in text
    standing = next(s for s in store.person_standings(alpha) if s.order is not None)
    assert standing_text(standing).startswith(f"Ordered {date.today().isoformat()}, order No.")


def test_a_confirmation_leaves_out_what_awaits_the_signature_and_says_so(court_store,
                                                                        casebook, tmp_path,
                                                                        capsys):
    """ALPHA's two counts on two orders: one signed, one not."""
    store = court_store
    relief_profile(store)
    a1 = casebook.by_case["CASE-A1"]
    first = print_orders(store, tmp_path / "one", conviction_ids=a1[:1]).orders[0]
    second = print_orders(store, tmp_path / "two", conviction_ids=a1[1:]).orders[0]
    store.record_signature(first.order_id, date.today().isoformat(), "Hon. A",
                           recorded_by="Clerk Test")
    alpha = casebook.people["ALPHA,ANNA MARIE"]
    cert = print_certificate(store, alpha, tmp_path / "c.pdf", clerk="Clerk Counter")
    assert cert.convictions == 1 and cert.unsigned == 1
    assert cert.awaiting == (second.order_number,)
    assert cert.unsigned_note.startswith(
        f"1 conviction(s) with relief ordered are not on the confirmation: Order No."
        f" {second.order_number} is not recorded as signed by the judge yet")
    text = PdfReader(str(cert.path)).pages[0].extract_text()
    assert first.order_number in text and second.order_number not in text
    # the command line says it under the paper's name
    code = main(["--db", str(store.path), "lookup", "--name", "Anna Alpha", "--case",
                 "CASE-A1", "--certificate", str(tmp_path / "d.pdf"), "--by", "Clerk C"])
    assert code == 0
    assert f"Order No. {second.order_number} is not recorded as signed" in \
        capsys.readouterr().err


def test_a_signing_corrected_after_an_update_says_which_file_to_void(per_case, tmp_path,
                                                                     capsys):
    """Marking an order signed again corrects the record silently: the trial changed the judge
    after the DOJ update had reported the order, and nothing said that the DOJ held the
    earlier judge (or date) nor that the next update would not send the counts again."""
    from clerkapp.closeout.signing import signing_corrected

    store, _orders = per_case
    db = str(store.path)
    a1 = _number_of(store, "CASE-A1")
    today = date.today().isoformat()
    assert main(["--db", db, "orders", "--mark-signed", a1, "--date", today]) == 0
    assert capsys.readouterr().err == ""  # a first signing corrects nothing
    assert main(["--db", db, "doj-update", str(tmp_path / "doj.csv")]) == 0
    file_id = store.conn.execute("SELECT max(id) FROM update_files").fetchone()[0]
    capsys.readouterr()
    assert main(["--db", db, "orders", "--mark-signed", a1, "--date", today, "--judge",
                 "Hon. B. Other"]) == 0
    err = capsys.readouterr().err
    assert f"order {a1}: this corrects the signing recorded before ({today} by" in err
    assert (f"the DOJ update #{file_id} (doj.csv, {today}) told the DOJ the earlier judge:"
            f" void it (clerkapp doj-update --void {file_id} --reason TEXT") in err
    # the same date and judge again: nothing to correct
    assert main(["--db", db, "orders", "--mark-signed", a1, "--date", today, "--judge",
                 "Hon. B. Other"]) == 0
    assert capsys.readouterr().err == ""
    # a date set right, once that file is voided: nothing left to void
    before = store.order_signature(store.find_order(a1))
    store.void_update_file(file_id, "wrong judge", voided_by="Clerk Test")
    store.record_signature(store.find_order(a1), (date.today() - timedelta(days=1))
                           .isoformat(), "Hon. B. Other", recorded_by="Clerk Test")
    note = signing_corrected(store, a1, before)
    assert note.startswith(f"order {a1}: this corrects the signing recorded before")
    assert "void it" not in note


def test_the_history_says_which_orders_are_signed(per_case, capsys):
    """`orders --history` gave no hint of which orders await the judge, which every update
    file and the confirmation of relief now depend on."""
    store, orders = per_case
    db = str(store.path)
    a1 = _number_of(store, "CASE-A1")
    today = date.today().isoformat()
    assert main(["--db", db, "orders", "--mark-signed", a1, "--date", today]) == 0
    capsys.readouterr()
    assert main(["--db", db, "orders", "--history"]) == 0
    last = {line.split("\t")[0]: line.split("\t")[-1]
            for line in capsys.readouterr().out.strip().splitlines()}
    assert last == {n: (f"signed {today}" if n == a1 else "not recorded as signed")
                    for n in orders}


def test_the_print_dialog_says_what_a_signing_recorded_again_corrects(qtbot, per_case,
                                                                      qsettings, tmp_path):
    """Mark signed… in the window on an order the DOJ update reported: it names the update
    file that told the DOJ the earlier judge, as the command does."""
    store, _orders = per_case
    a1 = _number_of(store, "CASE-A1")
    today = date.today().isoformat()
    store.record_signature(store.find_order(a1), today, "Hon. A", recorded_by="Clerk Test")
    write_update(store, "doj", tmp_path / "doj.csv")
    file_id = store.conn.execute("SELECT max(id) FROM update_files").fetchone()[0]
    dialog = PrintOrdersDialog(store, None, settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    bar = dialog.closeout
    row = next(i for i, o in enumerate(dialog.history_orders) if o.order_number == a1)
    dialog.history_table.selectRow(row)
    bar.sign_button.click()
    bar.sign_dialog.judge.setText("Hon. B. Other")
    bar.sign_dialog.accept()
    qtbot.waitUntil(lambda: bar.job is None)
    text = bar.label.text()
    assert f"Order {a1}: this corrects the signing recorded before ({today} by Hon. A)" in text
    assert f"the DOJ update #{file_id} (doj.csv, {today}) told the DOJ the earlier judge" in text
    dialog.grab().save(str(tmp_path / "print-dialog-corrected.png"))
