"""`clerkapp orders --reprint ORDER_NO`: the order as it was printed, its recorded file byte for
byte; refused in one line when the file is missing or changed; never a new order number;
every reprint and refusal in the audit log."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.files.check import check_recorded_files
from clerkapp.orders.reprint import reprint_order
from clerkapp.orders.service import print_orders


def _orders(store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM orders").fetchone()[0])


def _audit(store, action: str) -> list[dict]:
    return [json.loads(r[0]) for r in store.conn.execute(
        "SELECT details FROM audit_log WHERE action = ? ORDER BY id", (action,))]


@pytest.fixture
def printed(court_store, tmp_path):
    summary = print_orders(court_store, tmp_path / "orders", bulk=True, operator="Clerk Test")
    return summary.orders[0]


def test_a_reprint_is_the_recorded_file_byte_for_byte(court_store, printed, tmp_path):
    before = _orders(court_store)
    done = reprint_order(court_store, printed.order_number, tmp_path / "copies",
                         operator="Clerk Again")
    assert done.copied and done.path.parent == (tmp_path / "copies").absolute()
    assert done.path.name == Path(printed.path).name
    assert done.path.read_bytes() == Path(printed.path).read_bytes()
    done_bytes = done.path.read_bytes()
    assert hashlib.sha256(done.path.read_bytes()).hexdigest() == printed.sha256
    pages = PdfReader(done.path).pages
    assert f"Order No. {printed.order_number}" in pages[0].extract_text()
    assert _orders(court_store) == before  # no new order, no new number
    (entry,) = _audit(court_store, "order.reprinted")
    assert entry == {"order_number": printed.order_number, "sha256": printed.sha256,
                     "kind": "bulk", "copy": True}
    # the copy is recorded like every file clerkapp writes; it is the clerk's to hand over
    # or delete, so the store's check reads the original only
    assert check_recorded_files(court_store) == []
    again = reprint_order(court_store, printed.order_number, tmp_path / "copies")
    assert again.path.name.endswith("_2.pdf")  # an earlier copy is never overwritten
    done.path.unlink()
    again.path.unlink()
    assert check_recorded_files(court_store) == []
    Path(printed.path).write_bytes(b"%PDF-1.4 changed")
    assert len(check_recorded_files(court_store)) == 1
    Path(printed.path).write_bytes(done_bytes)
    # without a folder: the recorded file itself, checked
    itself = reprint_order(court_store, f" {printed.order_number} ")
    assert not itself.copied and itself.path == Path(printed.path)
    assert [e["copy"] for e in _audit(court_store, "order.reprinted")] == [True, True, False]


def test_a_changed_or_missing_file_is_refused_naming_what_is_wrong(court_store, printed,
                                                                   tmp_path):
    path = Path(printed.path)
    original = path.read_bytes()
    path.write_bytes(original.replace(b"ORDER", b"0RDER", 1))
    with pytest.raises(BadInput) as changed:
        reprint_order(court_store, printed.order_number, tmp_path / "copies")
    message = str(changed.value)
    assert message.startswith(f"order {printed.order_number}: its file was changed after it"
                              " was printed")
    assert "nothing was reprinted and no new order was made" in message
    assert path.name not in message  # the folder, never the file name (a person's name)
    path.unlink()
    with pytest.raises(BadInput, match="its recorded file is missing from"):
        reprint_order(court_store, printed.order_number, tmp_path / "copies")
    assert not (tmp_path / "copies").exists() or not any((tmp_path / "copies").iterdir())
    assert [e["problem"] for e in _audit(court_store, "order.reprint_refused")] == [
        "changed", "missing"]
    assert _audit(court_store, "order.reprinted") == []
    with pytest.raises(BadInput, match="no order numbered '2026-X-1'"):
        reprint_order(court_store, "2026-X-1")


def test_cli_reprint(court_store, printed, tmp_path, capsys):
    db = ["--db", str(court_store.path)]
    out = tmp_path / "copies"
    assert main([*db, "orders", str(out), "--reprint", printed.order_number]) == 0
    captured = capsys.readouterr()
    number, path = captured.out.strip().split("\t")
    assert number == printed.order_number
    assert Path(path).read_bytes() == Path(printed.path).read_bytes()
    assert "byte for byte" in captured.err and "no new order was made" in captured.err
    assert main([*db, "orders", "--reprint", printed.order_number]) == 0
    assert capsys.readouterr().out.strip() == f"{printed.order_number}\t{printed.path}"
    Path(printed.path).unlink()
    assert main([*db, "orders", str(out), "--reprint", printed.order_number]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"order {printed.order_number}: its recorded file is missing" in err
    assert main([*db, "orders", "--history"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1  # still one order
