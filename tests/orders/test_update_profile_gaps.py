"""A court profile without the court code (ORI) is said before the DOJ update is written, in
the dialog and on the command line: once written, the file counts as reported. The clerk
chooses to fill in the profile first or to write it as it is."""

from __future__ import annotations

import csv

import pytest

from clerkapp.cli.main import main
from clerkapp.orders.service import print_orders
from clerkapp.ui.dialogs.settings_dialog import SettingsDialog
from clerkapp.ui.dialogs.update_dialog import UpdateFileDialog
from clerkapp.ui.views import prompts
from tests.orders.conftest import QT_MARKS, answering, sign_all

pytestmark = QT_MARKS



@pytest.fixture
def printed(court_store, tmp_path):
    print_orders(court_store, tmp_path / "orders", bulk=True)
    sign_all(court_store)
    return court_store


def test_the_command_says_it_before_writing_and_writes_nothing(printed, tmp_path, capsys):
    db = str(printed.path)
    out = tmp_path / "doj.csv"
    assert main(["--db", db, "doj-update", str(out)]) == 2
    err = capsys.readouterr().err
    assert "the court profile lacks Court code for DOJ reports (ORI): column(s) COURT_CODE" \
        " of the DOJ update would be written empty" in err
    assert "clerkapp settings court.code=..." in err and "--allow-empty-columns" in err
    assert "nothing was written" in err and err.count("\n") == 1
    assert not out.exists() and printed.update_files() == []
    # the clerk fills it in: written, with the code
    printed.set_setting("court.code", "CA030013J")
    assert main(["--db", db, "doj-update", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        assert {r["COURT_CODE"] for r in csv.DictReader(handle)} == {"CA030013J"}


def test_the_command_writes_it_as_it_is_when_asked(printed, tmp_path, capsys):
    out = tmp_path / "doj.csv"
    assert main(["--db", str(printed.path), "doj-update", str(out),
                 "--allow-empty-columns"]) == 0
    assert "column(s) COURT_CODE are empty" in capsys.readouterr().out
    assert out.exists() and len(printed.update_files()) == 1


def test_the_case_system_layout_prints_no_court_code_and_is_not_stopped(printed, tmp_path):
    assert main(["--db", str(printed.path), "cms-update", str(tmp_path / "cms.csv")]) == 0


def test_nothing_new_is_said_as_before_not_the_missing_code(printed, tmp_path, capsys):
    db = str(printed.path)
    assert main(["--db", db, "doj-update", str(tmp_path / "a.csv"),
                 "--allow-empty-columns"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "doj-update", str(tmp_path / "b.csv")]) == 0
    assert "nothing new for the DOJ update" in capsys.readouterr().out


def test_the_dialog_says_it_before_write_and_asks(qtbot, printed, tmp_path, qsettings,
                                                  monkeypatch):
    dialog = UpdateFileDialog(printed, None, kind="doj", settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.count_label.text().startswith("5 count(s) will be written")
    assert dialog.profile_label.isVisible() and dialog.profile_button.isVisible()
    assert "Court code for DOJ reports (ORI): column(s) COURT_CODE" in \
        dialog.profile_label.text()
    dialog.grab().save(str(tmp_path / "doj-update-gap.png"))
    dialog.path_edit.setText(str(tmp_path / "doj.csv"))
    asked: list[str] = []
    # Cancel: nothing written, nothing recorded
    monkeypatch.setattr(prompts, "ask_go_on", answering(None, asked))
    dialog.write_button.click()
    assert asked and "COURT_CODE" in asked[-1] and dialog.job is None
    assert not (tmp_path / "doj.csv").exists() and printed.update_files() == []
    # the court profile first: the settings dialog opens; once filled, no warning
    monkeypatch.setattr(prompts, "ask_go_on", answering("fix", asked))
    dialog.write_button.click()
    assert isinstance(dialog.profile_dialog, SettingsDialog)
    assert dialog.profile_dialog.isVisible() and printed.update_files() == []
    printed.set_setting("court.code", "CA030013J")
    dialog.profile_dialog.reject()
    assert not dialog.profile_label.isVisible()
    # the warning no longer asks: written at once
    asked.clear()
    with qtbot.waitSignal(dialog.update_written, timeout=20000):
        dialog.write_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert asked == [] and len(printed.update_files()) == 1


def test_the_dialog_writes_it_as_it_is_when_the_clerk_goes_on(qtbot, printed, tmp_path,
                                                             qsettings, monkeypatch):
    dialog = UpdateFileDialog(printed, None, kind="doj", settings=qsettings)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "doj.csv"))
    monkeypatch.setattr(prompts, "ask_go_on", lambda *a: "go")
    with qtbot.waitSignal(dialog.update_written, timeout=20000) as blocker:
        dialog.write_button.click()
    qtbot.waitUntil(lambda: dialog.job is None)
    assert blocker.args[0].rows == 5 and (tmp_path / "doj.csv").exists()
    assert not dialog.profile_label.isVisible()  # nothing new to write: nothing to warn of
