"""Order numbers: the court's pattern, validated; one number per order file, printed on every
page (Exhibit A and its slip page included), recorded, and readable through the store for the
DOJ update file and the certificate."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.domain.order_numbers import PatternError, parse_pattern
from clerkapp.errors import BadInput
from clerkapp.orders.exhibit import Geometry
from clerkapp.orders.service import preview_order, print_orders
from clerkapp.review.service import decide
from clerkapp.store import Store
from clerkapp.store.migrations import MIGRATIONS
from clerkapp.store.migrations import statements_of as _statements


def page_texts(path) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(path)).pages]


@pytest.mark.parametrize(("pattern", "date", "kind", "seq", "number", "series"), [
    ("{year}-P64-{seq:05d}", "2026-12-03", "case", 17, "2026-P64-00017", "2026-P64-{seq}"),
    ("{year}-P64-{seq:05d}", "2027-01-02", "bulk", 1, "2027-P64-00001", "2027-P64-{seq}"),
    ("P64/{yy}{month}/{seq:04d}", "2026-03-09", "case", 5, "P64/2603/0005", "P64/2603/{seq}"),
    ("{kind}-{seq}", "2026-03-09", "bulk", 123456, "B-123456", "B-{seq}"),
    ("{kind}-{seq}", "2026-03-09", "case", 2, "C-2", "C-{seq}"),
    ("ORD {seq:06d}", "1999-12-31", "case", 42, "ORD 000042", "ORD {seq}"),  # never restarts
])
def test_pattern_numbers_and_series(pattern, date, kind, seq, number, series):
    parsed = parse_pattern(pattern)
    assert parsed.number(date, kind, seq) == number
    assert parsed.series(date, kind) == series


@pytest.mark.parametrize(("pattern", "message"), [
    ("", "the order number pattern is empty (e.g. {year}-P64-{seq:05d})"),
    ("{year}-P64", "must contain {seq} exactly once"),
    ("{seq}-{seq}", "must contain {seq} exactly once"),
    ("{year}-{number:05d}", "unknown field {number}"),
    ("{year}-{seq:05x!}", "is not a number format"),
    ("{year:04d}-{seq}", "{year} takes no format"),
    ("{year}-{seq", "expected '}' before end of string"),
    ("{year}*{seq}", "the character '*' is not allowed"),
    ("{year}-LONG-ORDER-NUMBER-PREFIX-OF-THE-COURT-{seq:05d}", "longer than 40 characters"),
])
def test_bad_patterns_say_why(pattern, message):
    with pytest.raises(PatternError, match=re.escape(message)):
        parse_pattern(pattern)


def test_settings_refuse_a_bad_pattern_in_one_line(db_target, capsys):
    code = main(["--db", str(db_target), "settings", "orders.number_pattern={year}-P64"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("clerkapp: setting orders.number_pattern: order number pattern")
    assert "must contain {seq} exactly once" in err and "\n" not in err
    with Store(db_target) as store:
        assert store.get_setting("orders.number_pattern") == "{year}-P64-{seq:05d}"
    assert main(["--db", str(db_target), "settings", "orders.number_pattern=SF-{yy}-{seq:04d}"]) == 0


def test_every_per_case_order_gets_its_number_on_every_page(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path, order_date="2026-12-03")
    numbers = [o.order_number for o in summary.orders]
    assert numbers == [f"2026-P64-{n:05d}" for n in range(1, 5)]
    for order in summary.orders:
        pages = page_texts(order.path)
        assert f"Order No. {order.order_number}" in pages[0].split("Counts")[0]  # the caption
        for n, page in enumerate(pages, start=1):
            assert f"Order No. {order.order_number} · Page {n} of {len(pages)}" in page
    # a second run continues the series; a new year starts a new one
    again = print_orders(court_store, tmp_path, conviction_ids=court_store.conn.execute(
        "SELECT min(conviction_id) FROM order_items").fetchone(), order_date="2026-12-04",
        supersede="the first paper was lost before it was signed")
    assert [o.order_number for o in again.orders] == ["2026-P64-00005"]
    new_year = print_orders(court_store, tmp_path, order_date="2027-01-04", supersede="again")
    assert [o.order_number for o in new_year.orders][:2] == ["2027-P64-00001", "2027-P64-00002"]


def test_bulk_order_number_on_every_page_exhibit_included(store, casebook, court_profile,
                                                         tmp_path):
    court_profile(store, **{"orders.number_pattern": "{kind}{yy}-{seq:03d}"})
    n = Geometry.letter_landscape().rows_per_page + 3  # two exhibit pages
    for i in range(n):
        casebook.conviction(f"N{i:04d}", f"PERSON{i:04d},FIRST", cii=f"N{i:08d}")
    decide(store, [c for ids in casebook.by_case.values() for c in ids], "approved", clerk="Clerk")
    summary = print_orders(store, tmp_path, bulk=True, order_date="2026-05-06")
    (order,) = summary.orders
    assert order.order_number == "B26-001"
    pages = page_texts(order.path)
    assert len(pages) >= 5  # order text, slip page, two exhibit pages
    for page in pages:
        assert "Order No. B26-001" in page
    assert sum("EXHIBIT A to Order No. B26-001" in p for p in pages) == 2
    assert "To Order No. B26-001: convictions relieved" in pages[-3]  # the slip page


def test_store_api_for_update_files_and_certificates(court_store, tmp_path):
    ids = [r[0] for r in court_store.conn.execute(
        "SELECT id FROM convictions WHERE case_number IN ('CASE-A1', 'CASE-G7', 'CASE-D4')"
        " ORDER BY id")]
    a1, a1_second, d4, g7 = ids
    assert court_store.order_of_conviction(a1) is None
    first = print_orders(court_store, tmp_path, order_date="2026-12-03")
    bulk = print_orders(court_store, tmp_path, bulk=True, conviction_ids=[g7],
                        order_date="2026-12-03", supersede="the court orders it in bulk")
    by_case = {court_store.conn.execute(
        "SELECT case_number FROM convictions WHERE id = ?", (court_store.order_conviction_ids(
            o.order_id)[0],)).fetchone()[0]: o for o in first.orders}
    assert court_store.order_of_conviction(a1).order_number == by_case["CASE-A1"].order_number
    # a later order (here a bulk order printed with supersede) supersedes the earlier one
    assert court_store.order_of_conviction(g7).order_number == bulk.orders[0].order_number
    assert court_store.order_of_conviction(d4) is None  # pending: never printed
    numbers = court_store.order_numbers_of([a1, a1_second, d4, g7])
    assert numbers == {a1: by_case["CASE-A1"].order_number,
                       a1_second: by_case["CASE-A1"].order_number,
                       g7: bulk.orders[0].order_number}
    assert len(court_store.order_numbers_of()) == 5
    found = court_store.order_by_number(f" {bulk.orders[0].order_number} ")
    assert found is not None and found.kind == "bulk" and found.reprint
    assert court_store.order_conviction_ids(found.order_id) == [g7]
    assert court_store.order_by_number("2026-P64-99999") is None
    audit = court_store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'order.printed.bulk'").fetchone()[0]
    assert json.loads(audit)["order_number"] == bulk.orders[0].order_number


def test_a_number_taken_meanwhile_records_nothing(court_store, tmp_path, monkeypatch):
    # another desk prints at the same moment and takes the number this run reserved, again
    # at every new attempt: the run gives up, having recorded nothing
    real = court_store.record_orders

    def racing(orders, **kwargs):
        court_store.conn.execute(
            "INSERT INTO orders (kind, path, sha256, created_by, created_at, order_number)"
            " VALUES ('single', 'x', 'x', 'other desk', 'now', ?)", (orders[0].number.number,))
        return real(orders, **kwargs)

    monkeypatch.setattr(court_store, "record_orders", racing)
    with pytest.raises(BadInput, match="same numbers.*nothing was recorded; print again"):
        print_orders(court_store, tmp_path / "out", order_date="2026-12-03")
    assert list((tmp_path / "out").iterdir()) == []
    assert court_store.conn.execute("SELECT count(*) FROM order_items").fetchone()[0] == 0


def test_numbers_skip_one_an_earlier_pattern_made(court_store, tmp_path):
    court_store.set_setting("orders.number_pattern", "X-{seq}")
    print_orders(court_store, tmp_path, conviction_ids=[1], order_date="2026-12-03")
    court_store.set_setting("orders.number_pattern", "X-{seq:01d}")  # same series, same numbers
    summary = print_orders(court_store, tmp_path, order_date="2026-12-03", only_unprinted=True)
    assert [o.order_number for o in summary.orders] == ["X-2", "X-3", "X-4", "X-5"]


def test_bad_pattern_in_the_store_stops_printing_before_any_file(court_store, tmp_path):
    court_store.set_setting("orders.number_pattern", "{year}")  # written around the checks
    with pytest.raises(BadInput, match=r"setting orders.number_pattern: .* must contain \{seq\}"):
        print_orders(court_store, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_preview_shows_the_next_number_and_takes_none(court_store, tmp_path):
    print_orders(court_store, tmp_path / "o", bulk=True)
    path = preview_order(court_store, tmp_path / "p.pdf", bulk=True)
    year = court_store.recent_orders(1)[0].order_number[:4]
    assert f"Order No. {year}-P64-00002" in page_texts(path)[0]
    assert court_store.next_order_seq(f"{year}-P64-{{seq}}") == 2


def test_migration_keeps_earlier_orders_without_a_number(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:2], start=1):
        for statement in _statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute("INSERT INTO orders (kind, path, sha256, created_by, created_at)"
                 " VALUES ('bulk', 'old.pdf', 'x', 'clerk', '2025-01-01T00:00:00')")
    conn.commit()
    conn.close()
    with Store(path) as store:
        (old,) = store.recent_orders()
        assert old.order_number == ""
        assert store.next_order_seq("2026-P64-{seq}") == 1
        with pytest.raises(sqlite3.IntegrityError):  # the number is unique
            for _ in range(2):
                store.conn.execute("INSERT INTO orders (kind, path, sha256, created_by,"
                                   " created_at, order_number) VALUES ('bulk', 'p', 'x', 'c',"
                                   " 'now', 'SAME-1')")
