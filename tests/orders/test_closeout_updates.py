"""The DOJ and case-system update files against their layouts: columns, relief codes, dates,
identifiers only when named, formula-like cells as text, the record of what was reported, and
the refusals of a bad layout."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.closeout.layout import load_layout
from clerkapp.closeout.updates import write_update
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.paths import FORMS_DIR
from tests.orders.conftest import sign_all


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def ordered(court_store, tmp_path):
    court_store.set_setting("court.code", "CA001013J")
    order = print_orders(court_store, tmp_path / "orders", bulk=True).orders[0]
    court_store.record_signature(order.order_id, "2026-11-20", "Hon. Ada Q. Testjudge",
                                 recorded_by="Clerk Test")
    return court_store, order


def test_doj_update_has_the_layout_columns_and_one_row_per_ordered_count(ordered, tmp_path):
    store, order = ordered
    summary = write_update(store, "doj", tmp_path / "doj.csv", operator="Clerk Test")
    rows = read_csv(tmp_path / "doj.csv")
    layout = load_layout("doj-update", "doj")
    assert list(rows[0]) == layout.header
    assert summary.rows == len(rows) == 5  # A1 two counts, B2, F6, G7
    by_case = {(r["CASE_NUMBER"], r["COUNT"]): r for r in rows}
    a2 = by_case[("CASE-A1", "2")]
    assert a2["CII_NUMBER"] == "A12345678" and a2["NAME"] == "ALPHA,ANNA MARIE"
    assert a2["ORIGINAL_SECTION"] == "HS 11360(a)" and a2["ORIGINAL_LEVEL"] == "F"
    assert a2["RELIEF"] == layout.relief_codes["dismiss_and_seal"]
    assert a2["RESULTING_SECTION"] == "" and a2["RESULTING_LEVEL"] == ""
    assert a2["ORDER_DATE"] == "2026-11-20" and a2["ORDER_NUMBER"] == order.order_number != ""
    assert a2["COURT_CODE"] == "CA001013J" and a2["JUDICIAL_OFFICER"] == "Hon. Ada Q. Testjudge"
    b2 = by_case[("CASE-B2", "1")]  # the clerk's override to misdemeanor is what is reported
    assert b2["RELIEF"] == layout.relief_codes["redesignate_misdemeanor"]
    # the offense the count becomes, as the order names it (resources/law/resulting_offenses)
    assert (b2["RESULTING_SECTION"], b2["RESULTING_LEVEL"]) == ("HS 11359(b)", "M")
    printed = " ".join(p.extract_text() for p in PdfReader(order.path).pages)
    assert "HS 11359(b), misdemeanor" in " ".join(printed.split())
    g7 = by_case[("CASE-G7", "1")]  # sentence still running: resentenced
    assert g7["RELIEF"] == layout.relief_codes["resentence"] and g7["RESULTING_LEVEL"] == "I"
    assert "CASE-C3" not in {r["CASE_NUMBER"] for r in rows}  # denied
    assert "CASE-E5" not in {r["CASE_NUMBER"] for r in rows}  # approved "not eligible"
    files = store.update_files("doj")
    assert files[0].row_count == 5 and files[0].created_by == store.actor("Clerk Test")
    entry = store.audit_page()[0]
    assert entry.action == "closeout.doj_update" and json.loads(entry.details)["rows"] == 5
    assert "doj.csv" not in entry.details
    assert store.verify_audit_chain() is None


def test_the_same_count_is_not_reported_twice_unless_all_is_asked(ordered, tmp_path):
    store, _ = ordered
    write_update(store, "doj", tmp_path / "one.csv")
    again = write_update(store, "doj", tmp_path / "two.csv")
    assert again.rows == 0 and not (tmp_path / "two.csv").exists()
    assert "nothing new" in again.message
    every = write_update(store, "doj", tmp_path / "all.xlsx", include_all=True)
    assert every.rows == 5
    sheet = load_workbook(tmp_path / "all.xlsx").active
    assert sheet.title == "Dispositions" and sheet.max_row == 6
    assert json.loads(store.audit_page()[0].details)["reported_before"] == 5
    # a case-system update is its own record
    assert write_update(store, "cms", tmp_path / "cms.csv").rows == 5


def test_since_keeps_only_orders_dated_that_day_or_later(ordered, tmp_path):
    store, _ = ordered
    assert write_update(store, "doj", tmp_path / "a.csv", since="2026-11-21").rows == 0
    assert write_update(store, "doj", tmp_path / "b.csv", since="2026-11-20").rows == 5
    with pytest.raises(BadInput, match="--since '20/11/2026': expected a date as YYYY-MM-DD"):
        write_update(store, "doj", tmp_path / "c.csv", since="20/11/2026")


def test_an_empty_court_code_is_said_with_the_column_it_leaves_empty(court_store, tmp_path):
    print_orders(court_store, tmp_path / "orders", bulk=True)
    sign_all(court_store)
    summary = write_update(court_store, "doj", tmp_path / "doj.csv")
    assert summary.rows == 5 and "column(s) COURT_CODE are empty" in summary.message
    assert {r["COURT_CODE"] for r in read_csv(tmp_path / "doj.csv")} == {""}


def test_before_any_order_says_so_and_writes_nothing(court_store, tmp_path, capsys):
    code = main(["--db", str(court_store.path), "doj-update", str(tmp_path / "doj.csv")])
    out = capsys.readouterr().out
    assert code == 0 and "no order has been printed yet" in out
    assert not (tmp_path / "doj.csv").exists()
    assert court_store.update_files() == []


def test_cli_writes_both_updates_and_names_a_bad_output(ordered, tmp_path, capsys):
    store, _ = ordered
    db = str(store.path)
    assert main(["--db", db, "cms-update", str(tmp_path / "cms.xlsx"), "--by", "Deputy"]) == 0
    assert "5 count(s) written" in capsys.readouterr().out
    sheet = load_workbook(tmp_path / "cms.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Case Number", "Count", "Charge"]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    a1 = next(r for r in rows if r["Case Number"] == "CASE-A1")
    assert a1["Sealed"] == "Y" and a1["Order Date"] == "11/20/2026"
    assert a1["New Disposition"].startswith("Dismissed and sealed")
    b2 = next(r for r in rows if r["Case Number"] == "CASE-B2")
    assert b2["Sealed"] == "N" and b2["New Level"] == "M"
    assert main(["--db", db, "doj-update", str(tmp_path / "doj.txt")]) == 2
    assert "must end in .csv or .xlsx" in capsys.readouterr().err


def test_formula_like_cells_are_text_and_identifiers_stay_out(ordered, tmp_path):
    store, _ = ordered
    with store.atomic():
        store.conn.execute("UPDATE convictions SET case_number = '=HYPERLINK(\"x\")'"
                           " WHERE case_number = 'CASE-F6'")
        rid = store.conn.execute(
            "INSERT INTO source_rows (import_id, row_number, \"values\") VALUES (1, 1, ?)",
            (json.dumps(["=1+1", "123-45-6789", "D1234567", "FBI99"]),)).lastrowid
        store.conn.execute("UPDATE imports SET headers = ? WHERE id = 1",
                           (json.dumps(["CASE", "PRI_SSN", "PRI_CDL", "FBI_NUMBER"]),))
        store.conn.execute("UPDATE convictions SET source_row_ids = ?", (json.dumps([rid]),))
    write_update(store, "doj", tmp_path / "doj.xlsx")
    sheet = load_workbook(tmp_path / "doj.xlsx").active
    cells = [c for row in sheet.iter_rows() for c in row]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    text = " ".join(str(c.value) for c in cells)
    assert "123-45-6789" not in text and "D1234567" not in text and "FBI99" not in text
    # a layout that names them gets them
    layout = (FORMS_DIR / "doj-update.toml").read_text(encoding="utf-8").replace(
        '[relief]', '[[columns]]\nname = "SSN"\nfield = "ssn"\n\n[[columns]]\nname = "FBI"\n'
                    'field = "fbi"\n\n[relief]')
    custom = tmp_path / "with-ids.toml"
    custom.write_text(layout, encoding="utf-8")
    write_update(store, "doj", tmp_path / "ids.csv", layout=custom, include_all=True)
    rows = read_csv(tmp_path / "ids.csv")
    assert {r["SSN"] for r in rows} == {"123-45-6789"} and {r["FBI"] for r in rows} == {"FBI99"}
    raw = (tmp_path / "ids.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw


@pytest.mark.parametrize(("change", "message"), [
    (('field = "dob"', 'field = "birthday"'), "key columns[3].field: 'birthday': unknown column field"),
    (('resentence = "RESENTENCED HS 11361.8(B)"', 'pardoned = "P"'),
     "key relief.pardoned: 'pardoned': unknown relief"),
    (('resentence = "RESENTENCED HS 11361.8(B)"', ''), "key relief.resentence: None: missing"),
    (('date_format = "%Y-%m-%d"', 'date_format = "%Y-%m-%d"\ncolour = "red"'),
     "key layout.colour: 'colour': unknown key"),
    (('kind = "doj"', 'kind = "cms"'), "key layout.kind: 'cms': this is not a doj update layout"),
])
def test_a_bad_layout_is_refused_naming_file_key_and_value(tmp_path, change, message):
    text = (FORMS_DIR / "doj-update.toml").read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "bad-layout.toml"
    bad.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        load_layout(bad, "doj")
    assert str(caught.value).startswith("bad-layout.toml: ") and message in str(caught.value)


def test_a_bad_layout_on_the_command_line_exits_2_with_one_line(ordered, tmp_path, capsys):
    store, _ = ordered
    bad = tmp_path / "bad.toml"
    bad.write_text('[layout]\nkind = "doj"\n[[columns]]\nname = "X"\nfield = "shoe"\n',
                   encoding="utf-8")
    code = main(["--db", str(store.path), "doj-update", str(tmp_path / "o.csv"),
                 "--layout", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "'shoe'" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_a_count_without_its_own_number_takes_its_cases_and_rows_are_in_case_order(ordered,
                                                                                  tmp_path):
    store, _ = ordered
    with store.atomic():
        store.conn.execute("UPDATE convictions SET case_number = NULL"
                           " WHERE case_number = 'CASE-B2'")
    write_update(store, "cms", tmp_path / "cms.csv")
    numbers = [r["Case Number"] for r in read_csv(tmp_path / "cms.csv")]
    assert numbers == ["CASE-A1", "CASE-A1", "CASE-B2", "CASE-F6", "CASE-G7"]


def test_a_voided_update_file_puts_its_counts_back_in_the_next(ordered, tmp_path, capsys):
    store, _ = ordered
    db = str(store.path)
    assert main(["--db", db, "doj-update", str(tmp_path / "one.csv")]) == 0
    file_id = store.update_files("doj")[0].file_id
    assert main(["--db", db, "doj-update", str(tmp_path / "two.csv")]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["--db", db, "doj-update", "--void", str(file_id)]) == 2
    assert "needs a reason" in capsys.readouterr().err
    # the file numbers are shared by both kinds: cms-update --void N never voids a DOJ file
    assert main(["--db", db, "cms-update", "--void", str(file_id), "--reason", "typo"]) == 2
    assert (f"update file {file_id} is a DOJ update, not a case-system update: void it with"
            f" clerkapp doj-update --void {file_id}") in capsys.readouterr().err
    assert store.update_files("doj")[0].voided_at is None
    assert main(["--db", db, "doj-update", "--void", str(file_id), "--reason",
                 "the DOJ portal rejected the file"]) == 0
    assert (f"DOJ update file {file_id} voided: its 5 count(s) will be in the next DOJ"
            " update") in capsys.readouterr().out
    assert main(["--db", db, "doj-update", "--void", str(file_id), "--reason", "again"]) == 2
    assert "voided on" in capsys.readouterr().err
    assert main(["--db", db, "doj-update", "--void", "999", "--reason", "x"]) == 2
    assert store.closeout_counts()["ordered_not_reported"] == 5
    assert main(["--db", db, "doj-update", str(tmp_path / "three.csv")]) == 0
    assert len(read_csv(tmp_path / "three.csv")) == 5
    capsys.readouterr()
    assert main(["--db", db, "doj-update", "--history"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 2 and "voided" in listing[1] and "rejected" in listing[1]
    actions = [e.action for e in store.audit_page(limit=3)]
    assert "closeout.update_voided" in actions
