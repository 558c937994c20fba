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
