"""`clerkapp review` through the real CLI entry point, on a real store file."""

from __future__ import annotations

import pytest

from bench.testdata import fill_queue
from clerkapp.cli.main import main
from clerkapp.store import Store


@pytest.fixture
def db(db_path):
    with Store(db_path) as s:
        fill_queue(s, 60, seed=5)
    return db_path


def _statuses(db_path):
    with Store(db_path) as s:
        return {r[0]: (r[1], r[2], r[3]) for r in s.conn.execute(
            "SELECT id, review_status, outcome, case_number FROM convictions")}


def test_all_flagged_approves_every_pending_relief_outcome(db, capsys):
    before = _statuses(db)
    relief = {i for i, (_, o, _) in before.items()
              if o in ("dismiss_and_seal", "redesignate_misdemeanor", "redesignate_infraction")}
    assert main(["--db", str(db), "review", "--approve", "--all-flagged", "--by", "C. Clerk"]) == 0
    assert f"{len(relief)} convictions approved by C. Clerk" in capsys.readouterr().out
    after = _statuses(db)
    assert {i for i, (s, _, _) in after.items() if s == "approved"} == relief
    with Store(db) as s:
        assert s.conn.execute("SELECT count(*) FROM audit_log WHERE actor = 'C. Clerk'"
                              ).fetchone()[0] == len(relief)
    # a second run finds nothing left to approve
    assert main(["--db", str(db), "review", "--approve", "--all-flagged", "--by", "C"]) == 0
    assert capsys.readouterr().out.startswith("0 convictions decided")


def test_case_numbers_select_their_convictions(db, capsys):
    before = _statuses(db)
    cid, (_, _, case) = next(iter(sorted(before.items())))
    code = main(["--db", str(db), "review", "--deny", "--case", case.lower(), "--by", "C",
                 "--note", "prosecutor objects"])
    assert code == 0
    assert "1 conviction denied" in capsys.readouterr().out
    after = _statuses(db)
    assert after[cid][0] == "denied"
    assert sum(1 for s, _, _ in after.values() if s != "pending") == 1


def test_deny_without_note_is_bad_input_and_changes_nothing(db, capsys):
    case = next(iter(_statuses(db).values()))[2]
    assert main(["--db", str(db), "review", "--deny", "--case", case, "--by", "C"]) == 2
    assert "denial needs a reason: give it with --note REASON" in capsys.readouterr().err
    assert {s for s, _, _ in _statuses(db).values()} == {"pending"}


def test_unknown_case_number_is_named(db, capsys):
    assert main(["--db", str(db), "review", "--defer", "--case", "NOPE-1", "--by", "C"]) == 2
    assert "NOPE-1" in capsys.readouterr().err


def test_override_outcome_from_the_cli(db, capsys):
    cid, (_, _, case) = next(iter(sorted(_statuses(db).items())))
    assert main(["--db", str(db), "review", "--approve", "--case", case, "--by", "C",
                 "--outcome", "redesignate_infraction", "--note", "minor at the time"]) == 0
    with Store(db) as s:
        r = s.conn.execute("SELECT decided_outcome, note FROM reviews WHERE conviction_id = ?",
                           (cid,)).fetchone()
    assert tuple(r) == ("redesignate_infraction", "minor at the time")


def test_an_override_without_a_note_says_which_option_gives_it(db, capsys):
    case = next(iter(_statuses(db).values()))[2]
    assert main(["--db", str(db), "review", "--approve", "--case", case, "--by", "C",
                 "--outcome", "redesignate_infraction"]) == 2
    assert capsys.readouterr().err == ("clerkapp: overriding the outcome needs a reason: give it"
                                       " with --note REASON\n")


def test_status_and_selection_are_required(db, capsys):
    with pytest.raises(SystemExit):
        main(["--db", str(db), "review", "--all-flagged", "--by", "C"])
    with pytest.raises(SystemExit):
        main(["--db", str(db), "review", "--approve", "--by", "C"])


def test_without_by_the_clerk_name_setting_decides(db, capsys):
    """`--by` may be left out, as for every other command: the decision is recorded under the
    clerk name in settings (on a shared store, under the database login)."""
    with Store(db) as s:
        s.set_setting("review.clerk_name", "R. Default")
    case = next(iter(_statuses(db).values()))[2]
    assert main(["--db", str(db), "review", "--defer", "--case", case]) == 0
    assert "deferred by R. Default" in capsys.readouterr().out
    with Store(db) as s:
        actors = [r[0] for r in s.conn.execute(
            "SELECT actor FROM audit_log WHERE action = 'review.deferred'")]
        clerks = {r[0] for r in s.conn.execute("SELECT clerk FROM reviews")}
    assert clerks == {"R. Default"}
    assert actors and set(actors) == {"R. Default"}
