"""The counter look-up: tolerant names, candidates until narrowed, states, audit entries."""

from __future__ import annotations

import json

import pytest

from clerkapp.cli.main import main
from clerkapp.domain.names import parse_name
from clerkapp.errors import BadInput
from clerkapp.relief.lookup import MATCH_NAME_ALONE, look_up, match_score, standing_text


@pytest.mark.parametrize("typed, recorded", [
    ("Anna Alpha", "ALPHA,ANNA MARIE"),
    ("ALPHA, ANNA", "ALPHA,ANNA MARIE"),
    ("alpha anna", "ALPHA,ANNA MARIE"),  # last name first without a comma
    ("Ana Alpah", "ALPHA,ANNA MARIE"),  # two typos
    ("María García", "GARCIA LOPEZ,MARIA ELENA"),  # accents, one of two surnames
    ("Maria Elena Garcia-Lopez", "GARCÍA LÓPEZ,MARÍA ELENA"),
    ("John Smith", "SMITH,JOHN JR"),
])
def test_names_match_however_typed(typed, recorded):
    assert match_score(parse_name(typed), parse_name(recorded)) >= MATCH_NAME_ALONE


@pytest.mark.parametrize("typed, recorded", [
    ("Anna Alpha", "BRAVO,BEN"),
    ("Anna Alpha", "ALPHA,ZACHARY"),
    ("Ben Bravo", "BRAVADO,BENEDICT"),
])
def test_other_people_do_not_match(typed, recorded):
    assert match_score(parse_name(typed), parse_name(recorded)) < MATCH_NAME_ALONE


def test_one_person_found_with_every_state(relief_store):
    book = relief_store.book
    # ALPHA also has a pending, a denied and an approved-not-ordered conviction
    pending = book.conviction("CASE-P1", "ALPHA,ANNA MARIE", section="HS 11359", level="F")
    denied = book.conviction("CASE-P2", "ALPHA,ANNA MARIE", section="HS 11358", level="F")
    approved = book.conviction("CASE-P3", "ALPHA,ANNA MARIE", section="HS 11357(c)")
    book.decide("CASE-P2", "denied", note="records show otherwise")
    book.decide("CASE-P3", "approved")
    result = look_up(relief_store, "anna alpah", clerk="Clerk Counter")
    assert [p.card.person_id for p in result.people] == [book.people["ALPHA,ANNA MARIE"]]
    states = {s.conviction_id: s.state for s in result.people[0].standings}
    for cid in book.by_case["CASE-A1"]:
        assert states[cid] == "ordered"
    assert states[pending] == "in_review" and states[denied] == "not_eligible"
    assert states[approved] == "approved"
    ordered = [s for s in result.people[0].standings if s.state == "ordered"][0]
    number = relief_store.order_of_conviction(ordered.conviction_id).order_number
    assert number and ordered.order.number == number
    assert standing_text(ordered).startswith(f"Ordered {ordered.order.date}, order No. {number}:")
    assert standing_text(ordered).endswith("Dismissed and sealed")


def test_a_name_alone_that_fits_many_lists_candidates_only(relief_store, capsys):
    book = relief_store.book
    book.conviction("CASE-X1", "ALPHA,ANNE", dob="1985-09-09", cii="X1")
    result = look_up(relief_store, "Anna Alpha", clerk="Clerk Counter")
    assert result.people == []
    assert {c.person_id for c in result.candidates} == {book.people["ALPHA,ANNA MARIE"],
                                                        book.people["ALPHA,ANNE"]}
    assert {c.birth_year for c in result.candidates} == {"1970", "1985"}
    assert "give a date of birth or a case number" in result.message
    narrowed = look_up(relief_store, "Anna Alpha", dob="1985-09-09")
    assert [p.card.person_id for p in narrowed.people] == [book.people["ALPHA,ANNE"]]
    for typed in ("CASE-A1", "case a1", "casea1"):  # case, spaces and dashes aside
        by_case = look_up(relief_store, "Anna Alpha", case_number=typed)
        assert [p.card.person_id for p in by_case.people] == [book.people["ALPHA,ANNA MARIE"]]
    # the CLI shows the candidates without a record
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Anna Alpha"]) == 0
    out = capsys.readouterr().out
    assert "2 people fit: give a date of birth or a case number" in out
    assert "CASE-A1" not in out and "born 1985" in out


def test_every_lookup_is_audited_with_ids_not_names(relief_store):
    book = relief_store.book
    look_up(relief_store, "Ben Bravo", clerk="Clerk Counter")
    look_up(relief_store, "Nobody Atall", clerk="Clerk Counter", dob="1990-01-01")
    rows = relief_store.conn.execute(
        "SELECT actor, entity, entity_id, details FROM audit_log WHERE action = 'lookup.person'"
        " ORDER BY id").fetchall()
    assert len(rows) == 2
    assert rows[0]["actor"] == relief_store.actor("Clerk Counter") and rows[0]["entity_id"] == book.people["BRAVO,BEN"]
    assert json.loads(rows[0]["details"])["shown"] == [book.people["BRAVO,BEN"]]
    assert json.loads(rows[1]["details"]) == {"shown": [], "listed": [], "dob_given": True,
                                              "case_given": False}
    assert all("BRAVO" not in r["details"] and "Bravo" not in r["details"] for r in rows)
    assert relief_store.verify_audit_chain() is None


def test_a_dob_typed_the_us_way_narrows_like_iso(relief_store, capsys):
    bravo = relief_store.book.people["BRAVO,BEN"]
    for typed in ("05/06/1980", "5/6/1980", "05-06-1980", "05/06/80", "1980-05-06"):
        found = look_up(relief_store, "Ben Bravo", dob=typed)
        assert [p.card.person_id for p in found.people] == [bravo], typed
        assert found.narrowed_by == ("dob",)
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo",
                 "--dob", "5/6/1980"]) == 0
    assert "1 person found" in capsys.readouterr().out


@pytest.mark.parametrize("typed, says", [
    ("06/05/15", "--dob: a two-digit year could be 19.. or 20..: type all four digits"),
    ("02/30/1980", "--dob: no such day (day out of range for the month (1-29))"),
    ("2099-01-01", "--dob: that day is after today"),
    ("1980", "--dob: a whole date is needed"),
    ("May 6", "--dob: not a date: type it as MM/DD/YYYY (04/07/1985) or YYYY-MM-DD"),
])
def test_a_bad_dob_is_refused_in_one_line(relief_store, capsys, typed, says):
    with pytest.raises(BadInput) as raised:
        look_up(relief_store, "Ben Bravo", dob=typed)
    assert str(raised.value).startswith(says)
    before = relief_store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert main(["--db", str(relief_store.path), "lookup", "--name", "Ben Bravo",
                 "--dob", typed]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"clerkapp: {raised.value}"] and typed not in err[0]
    # nothing looked up, so nothing audited
    assert relief_store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_cli_shows_the_record_of_one_person(relief_store, capsys):
    assert main(["--db", str(relief_store.path), "lookup", "--name", "GOLF, GINA"]) == 0
    out = capsys.readouterr().out
    assert "1 person found" in out and "GINA GOLF" in out
    assert "CASE-G7  HS 11358  1991-06-07  F  Ordered " in out
    assert out.rstrip().endswith("Now an infraction")


def test_reported_to_doj_shows_once_the_update_file_is_written(relief_store, tmp_path):
    from clerkapp.closeout.updates import write_update

    write_update(relief_store, "doj", tmp_path / "doj.csv", operator="Clerk Test")
    found = look_up(relief_store, "Gina Golf").people[0]
    (standing,) = found.standings
    assert standing.state == "reported" and standing.reported_at
    assert standing_text(standing).endswith(f"infraction; reported to DOJ {standing.reported_at[:10]}")


def test_a_date_of_birth_two_people_share_still_lists_candidates(relief_store):
    book = relief_store.book
    book.conviction("CASE-T1", "ALPHA,ANNE", dob="1970-02-03", cii="T1")  # ALPHA's DOB too
    result = look_up(relief_store, "Anna Alpha", dob="1970-02-03")
    assert result.people == [] and result.total == 2
    assert result.message == "2 people fit: give a case number to see a record"
    both = look_up(relief_store, "Anna Alpha", dob="1970-02-03", case_number="CASE-T1")
    assert [p.card.person_id for p in both.people] == [book.people["ALPHA,ANNE"]]


def test_a_closed_record_says_the_case_system_was_updated_too(relief_store, tmp_path):
    """Reported to the DOJ and updated in the court's case system, the look-up said only
    'reported to DOJ': the counter could not tell a closed record from a half-closed one."""
    from clerkapp.closeout.updates import write_update

    write_update(relief_store, "doj", tmp_path / "doj.csv", operator="Clerk Test")
    write_update(relief_store, "cms", tmp_path / "cms.csv", operator="Clerk Test")
    (standing,) = look_up(relief_store, "Gina Golf").people[0].standings
    assert standing.stage == "closed"
    assert standing_text(standing).endswith(
        f"infraction; reported to DOJ {standing.reported_at[:10]}; case system updated")
