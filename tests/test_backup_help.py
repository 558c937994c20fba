"""`clerkapp backup --help` names its file OUT, as its --force help, restore's IN and the README
do (it showed a lower-case `out`)."""

from __future__ import annotations

import pytest

from clerkapp.cli.main import main


def test_backup_help_names_the_file_out(capsys):
    with pytest.raises(SystemExit):
        main(["backup", "--help"])
    usage = capsys.readouterr().out
    assert "usage: clerkapp backup [-h] [--force] OUT" in usage
