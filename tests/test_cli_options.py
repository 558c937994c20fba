"""Wrong options are one line and exit 2, like every other refusal; a person's reference is
taken as the notices and the look-up print it."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main
from clerkapp.cli.notices_cmd import person_reference


@pytest.mark.parametrize("argv", [
    ["evaluate", "--bogus"],
    ["notices", "out", "--person", "Q12"],
    ["frobnicate"],
])
def test_a_wrong_option_is_one_line_and_exit_2(db_path, capsys, argv):
    with pytest.raises(SystemExit) as ended:
        main(["--db", str(db_path), *argv])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "usage:" not in err and "--help" in err


@pytest.mark.parametrize("text, expected", [("P000247", 247), ("p247", 247), (" 247 ", 247)])
def test_person_reference_as_printed(text, expected):
    assert person_reference(text) == expected
