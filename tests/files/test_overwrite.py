"""A file written under a name the clerk chose never replaces a file the store imported. The
trial gave the court's spreadsheet to `clerkapp reconcile` (whose argument is where its output
goes): the reconciliation was written over it, the court's source lost without a word; an
export or an update file named as the DOJ's list did the same."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from clerkapp.cli.main import main
from clerkapp.errors import BadInput
from clerkapp.files.check import check_recorded_files
from clerkapp.ingest.file_facts import checked_facts
from clerkapp.ingest.service import import_files
from clerkapp.reconcile.output import write_reconcile_file
from clerkapp.reports.errors_export import export_import_errors
from clerkapp.reports.export import export_rows
from tests.court_export import write_court_export


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def imported(store, tmp_path):
    """The court's own export, imported: its file, and its bytes as imported."""
    store.set_setting("court.county", "Sonoma")
    source = write_court_export(tmp_path / "index.xlsx")
    import_files(store, [source], facts=checked_facts(county="Sonoma", source="court"),
                 operator="ana")
    return source, _digest(source)


def test_an_output_named_as_the_imported_file_is_refused_and_the_file_kept(store, imported):
    source, digest = imported
    for write, what in ((lambda: export_rows(store, source), "the export"),
                        (lambda: write_reconcile_file(store, source), "the reconcile file"),
                        (lambda: export_import_errors(store, [1], source), "the row errors")):
        with pytest.raises(BadInput) as refused:
            write()
        assert "this is the file imported as import #1 (index.xlsx)" in str(refused.value)
        assert f"writing {what} here would replace it" in str(refused.value)
        assert "nothing was written" in str(refused.value)
        assert _digest(source) == digest
    assert check_recorded_files(store) == []


def test_a_copy_of_the_imported_file_elsewhere_is_known_by_its_bytes(store, imported,
                                                                     tmp_path):
    source, digest = imported
    copy = tmp_path / "moved" / "court-list.xlsx"
    copy.parent.mkdir()
    shutil.copyfile(source, copy)
    with pytest.raises(BadInput, match="imported as import #1"):
        export_rows(store, copy)
    assert _digest(copy) == digest
    other = tmp_path / "moved" / "notes.xlsx"  # any other file is the clerk's to replace
    other.write_bytes(b"not an import")
    assert export_rows(store, other) > 0


def test_the_command_says_it_in_one_line_and_exits_2(db_target, store, imported, capsys):
    source, digest = imported
    store.close()
    assert main(["--db", str(db_target), "export", str(source)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "imported as import #1" in err[0] and str(source) in err[0]
    assert _digest(source) == digest
