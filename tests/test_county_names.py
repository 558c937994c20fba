"""A county that is not California's is refused where the clerk types it (court profile,
`evaluate --county`) in one line listing the accepted names, with nothing changed: a typo
there would otherwise leave every conviction 'not applicable' and the queue silently empty."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.store import Store


@pytest.mark.parametrize("argv", [
    ["settings", "court.county=Narnia"],
    ["evaluate", "--county", "Oragne"],
])
def test_unknown_county_is_refused_in_one_line(db_path, capsys, argv):
    Store(db_path).close()
    assert main(["--db", str(db_path), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "is not a California county" in err and "Los Angeles" in err
    with Store(db_path) as store:
        assert store.get_setting("court.county") == ""
        assert store.conn.execute("SELECT count(*) FROM eval_runs").fetchone()[0] == 0


@pytest.mark.parametrize("given", ["Orange", "ORANGE", "orange county", ""])
def test_california_county_spellings_are_accepted(db_path, given):
    Store(db_path).close()
    assert main(["--db", str(db_path), "settings", f"court.county={given}"]) == 0
    with Store(db_path) as store:
        assert store.get_setting("court.county") == ("Orange" if given else "")  # as listed


@pytest.mark.parametrize(("argv", "meant"), [
    (["settings", "court.county=San Bernadino"], "San Bernardino"),
    (["evaluate", "--county", "Oragne"], "Orange"),
    (["import", "x.csv", "--county", "Los Angles"], "Los Angeles"),
])
def test_a_county_a_letter_off_is_named_first(db_path, capsys, argv, meant):
    """The refusal listed all 58 counties, the one meant somewhere in the line."""
    Store(db_path).close()
    assert main(["--db", str(db_path), *argv]) == 2
    err = capsys.readouterr().err
    assert f"is not a California county; did you mean {meant}? accepted: Alameda" in err


def test_a_name_like_no_county_gets_no_guess(db_path, capsys):
    Store(db_path).close()
    assert main(["--db", str(db_path), "settings", "court.county=Narnia"]) == 2
    assert "did you mean" not in capsys.readouterr().err
