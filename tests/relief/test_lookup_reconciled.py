"""One conviction on both lists, after a reconciliation: the trial found the court's copy of
TESTPERSON's OR101529 reading "In review" in the look-up, though the pair was approved and
ordered on the DOJ's record (and, on later code, the court's record reading "no cannabis
conviction in the records"). A reconciled pair is one conviction whose decision and order live
on one side; the other side's copy now reads where that one stands, naming the record
("Reconciled with DOJ record P000002: …"), in the command, the window and the confirmation's
refusal; a possible match not yet decided is named beside the conviction."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.paths import RESOURCES_DIR
from clerkapp.relief.certificate import print_certificate
from clerkapp.relief.lookup import look_up, standing_text
from clerkapp.store import Store
from clerkapp.ui.dialogs.lookup_dialog import LookupDialog
from tests.orders.conftest import QT_MARKS, sign_all
from tests.relief.conftest import look_up_in

pytestmark = QT_MARKS

DOJ = RESOURCES_DIR / "sample" / "sample_doj.csv"
HEADER = "Case No,Defendant Name,DOB,Charge,F/M,Disposition,Disp Date"
SAME = 'OR101529,"TESTPERSON, FOXTROT",03/02/1930,HS 11360(B),M,Convicted,06/02/1989'
# another case number, day and month of birth swapped, a date 18 days off: a possible match
MAYBE = 'OR999999,"TESTPERSON, FOXTROT",02/03/1930,HS 11360(B),M,Convicted,06/20/1989'


def _run(db, *args: str) -> None:
    assert main(["--db", str(db), *args]) == 0


def _court_list(db, tmp_path, row: str) -> None:
    (tmp_path / "court.csv").write_text(f"{HEADER}\n{row}\n")
    _run(db, "import", str(tmp_path / "court.csv"), "--county", "Orange", "--source", "court")
    _run(db, "evaluate")


@pytest.fixture
def doj_first(db_path, tmp_path):
    """The DOJ list approved and ordered (signed); then the court's list, holding OR101529."""
    _run(db_path, "settings", "court.county=Orange", "court.judge=Hon. R. Judge",
         "court.clerk=C. Clerk", "review.clerk_name=Ana Clerk")
    _run(db_path, "import", str(DOJ))
    _run(db_path, "evaluate")
    _run(db_path, "review", "--approve", "--all-flagged")
    _run(db_path, "orders", str(tmp_path / "orders"), "--print-unreconciled")
    with Store(db_path) as store:
        sign_all(store)
    return db_path


def _found(store, **narrow):
    result = look_up(store, "Foxtrot Testperson", dob="03/02/1930", **narrow)
    return {f.card.person_id: f for f in result.people}


def _or101529(found):
    return next(s for s in found.standings if s.case_number == "OR101529")


def test_the_courts_copy_reads_where_the_doj_record_stands(doj_first, tmp_path, capsys):
    db = doj_first
    _court_list(db, tmp_path, SAME)
    _run(db, "reconcile", str(tmp_path / "rec.csv"))
    with Store(db) as store:
        people = _found(store, case_number="OR101529")
        assert len(people) == 2
        doj_id, court_id = sorted(people)  # the DOJ list was imported first
        doj = _or101529(people[doj_id])
        assert standing_text(doj).startswith("Ordered ")
        court = _or101529(people[court_id])
        text = standing_text(court)
        assert text == f"Reconciled with DOJ record P{doj_id:06d}: {standing_text(doj)}"
        assert "In review" not in text
        assert court.order is None and not people[court_id].ordered  # the order is the DOJ's
        assert people[court_id].ordered_elsewhere == [doj_id]
        with pytest.raises(BadInput, match=rf"person P{court_id:06d} has no relief ordered on"
                                           rf" this record: its conviction is reconciled with"
                                           rf" DOJ record P{doj_id:06d}, where the relief was"
                                           rf" ordered; print the confirmation for"
                                           rf" P{doj_id:06d}"):
            print_certificate(store, court_id, tmp_path / "c.pdf", clerk="C")
    capsys.readouterr()
    _run(db, "lookup", "--name", "Foxtrot Testperson", "--dob", "03/02/1930", "--case",
         "OR101529")
    out = capsys.readouterr().out
    assert f"OR101529  HS 11360(b)  1989-06-02  M  Reconciled with DOJ record P{doj_id:06d}:" \
           " Ordered " in out
    assert "no cannabis conviction" not in out and "In review" not in out


def test_the_window_shows_it_and_points_to_the_record_with_the_order(doj_first, tmp_path,
                                                                    qtbot, qsettings):
    db = doj_first
    _court_list(db, tmp_path, SAME)
    _run(db, "reconcile", str(tmp_path / "rec.csv"))
    with Store(db) as store:
        dialog = LookupDialog(store, None, settings=qsettings)
        qtbot.addWidget(dialog)
        dialog.show()
        result = look_up_in(qtbot, dialog, "Foxtrot Testperson", "03/02/1930", "OR101529")
        doj_id, court_id = sorted(f.card.person_id for f in result.people)
        rows = {(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text()):
                dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())}
        court_row = rows[(f"P{court_id:06d}", "OR101529")]
        assert court_row.startswith(f"Reconciled with DOJ record P{doj_id:06d}: Ordered ")
        assert court_row.endswith(rows[(f"P{doj_id:06d}", "OR101529")])
        assert "In review" not in rows.values()
        assert dialog.person_combo.itemText(1) == (f"P{court_id:06d}, born 1930-03-02 (relief"
                                                   f" ordered on P{doj_id:06d})")
        dialog.resize(1100, 520)
        dialog.grab().save(str(tmp_path / "lookup-reconciled.png"))


def test_the_courts_decided_copy_is_the_one_the_doj_record_points_to(db_path, tmp_path):
    """The court's list decided and ordered first, the DOJ's imported after: the pair's
    decision stands on the court's record, and the DOJ's copy reads it."""
    _run(db_path, "settings", "court.county=Orange", "court.judge=Hon. R. Judge")
    _court_list(db_path, tmp_path, SAME)
    _run(db_path, "review", "--approve", "--all-flagged")
    _run(db_path, "orders", str(tmp_path / "orders"))
    _run(db_path, "import", str(DOJ))
    _run(db_path, "evaluate")
    _run(db_path, "reconcile", str(tmp_path / "rec.csv"))
    with Store(db_path) as store:
        people = _found(store, case_number="OR101529")
        court_id, doj_id = sorted(people)  # the court's list was imported first
        court = _or101529(people[court_id])
        assert standing_text(court).startswith("Order printed ")
        assert standing_text(_or101529(people[doj_id])) == (
            f"Reconciled with court record P{court_id:06d}: {standing_text(court)}")


def test_a_possible_match_not_decided_is_named(doj_first, tmp_path):
    db = doj_first
    _court_list(db, tmp_path, MAYBE)
    _run(db, "reconcile", str(tmp_path / "rec.csv"))
    with Store(db) as store:
        court = next(f for f in look_up(store, "Foxtrot Testperson", dob="02/03/1930",
                                        case_number="OR999999").people)
        (standing,) = court.standings
        doj_id = standing.linked.person_id
        assert standing_text(standing) == (
            f"In review; possible match with DOJ record P{doj_id:06d}, to confirm or reject in"
            " Tools ▸ Reconcile with the DOJ list")


def test_a_copy_ordered_twice_before_the_reconciliation_counts_once(db_path, tmp_path):
    """Both lists approved and printed before reconciling (the trial's two orders for one
    conviction): once reconciled the court's copy reads the DOJ record's order, and its own
    duplicate order is not one more relief of the person's."""
    _run(db_path, "settings", "court.county=Orange", "court.judge=Hon. R. Judge")
    _run(db_path, "import", str(DOJ))
    _court_list(db_path, tmp_path, SAME)
    _run(db_path, "review", "--approve", "--all-flagged")
    _run(db_path, "orders", str(tmp_path / "orders"), "--print-unreconciled")
    _run(db_path, "reconcile", str(tmp_path / "rec.csv"))
    with Store(db_path) as store:
        people = _found(store, case_number="OR101529")
        doj_id, court_id = sorted(people)
        court = _or101529(people[court_id])
        assert standing_text(court).startswith(f"Reconciled with DOJ record P{doj_id:06d}:"
                                               " Order printed ")
        assert people[court_id].ordered == [] and people[court_id].ordered_elsewhere == [doj_id]
