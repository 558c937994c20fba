"""A file the court's record holds is never written over, and a report the clerk may write
again is not taken for tampering (fault run 8): a second DOJ update written under the first's
name replaced the file whose counts the store records as reported (verify said OK: the two
records share a path); an export could replace it too; and the impact report written twice
to the same name made `clerkapp verify` report the first as changed and exit 3."""

from __future__ import annotations

from datetime import date

import pytest

from clerkapp.cli.main import main
from clerkapp.closeout.updates import write_update
from clerkapp.errors import BadInput
from clerkapp.orders.service import print_orders
from clerkapp.reports.export import export_rows
from tests.orders.conftest import sign_all


@pytest.fixture
def reported(court_store, tmp_path):
    """Orders printed, the first signed and reported to the DOJ in doj.csv; the others not
    signed yet."""
    store = court_store
    store.set_setting("court.code", "CA001013J")
    store.set_setting("court.ori", "CA0010000")
    print_orders(store, tmp_path / "orders")
    first = store.conn.execute("SELECT min(id) FROM orders").fetchone()[0]
    store.record_signature(first, date.today().isoformat(), "Hon. Ada Q. Testjudge",
                           recorded_by="Clerk Test")
    out = tmp_path / "doj.csv"
    assert write_update(store, "doj", out).path is not None
    return store, out, out.read_bytes()


def test_a_reported_update_file_is_not_written_over(reported, tmp_path, capsys):
    store, out, first = reported
    sign_all(store)  # more counts to report: the next file differs
    with pytest.raises(BadInput) as refused:
        write_update(store, "doj", out)
    assert "a DOJ update file clerkapp recorded as written" in str(refused.value)
    assert "choose another name" in str(refused.value)
    assert out.read_bytes() == first
    assert store.conn.execute("SELECT count(*) FROM update_files").fetchone()[0] == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".clerkapp-")]
    other = tmp_path / "doj-2.csv"
    assert write_update(store, "doj", other).path is not None  # another name: written
    with pytest.raises(BadInput):
        export_rows(store, out)  # an export is not written over it either
    assert out.read_bytes() == first
    assert main(["--db", str(store.path), "verify"]) == 0
    assert "OK: the store matches its audit log" in capsys.readouterr().out


def test_the_impact_report_written_twice_under_one_name_verifies(court_store, tmp_path,
                                                                 capsys):
    pdf = tmp_path / "impact.pdf"
    for _ in range(2):
        assert main(["--db", str(court_store.path), "report", str(pdf)]) == 0
    export = tmp_path / "queue.csv"
    for _ in range(2):  # the clerk's own files: written again as asked
        assert main(["--db", str(court_store.path), "export", str(export)]) == 0
    capsys.readouterr()
    assert main(["--db", str(court_store.path), "verify"]) == 0
    assert "OK: the store matches its audit log" in capsys.readouterr().out
