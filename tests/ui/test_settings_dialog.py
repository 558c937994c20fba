"""Settings dialog: generated from SETTINGS, saved in the store, audited, seal picker."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit

from clerkapp.store.settings import SETTINGS
from clerkapp.ui.dialogs.file_facts_box import FileFactsBox
from clerkapp.ui.dialogs.settings_dialog import ImagePicker, SettingsDialog
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.views.county_box import CountyBox


def _open(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_form_has_every_declared_setting_outside_evaluation(qtbot, store):
    dialog = _open(qtbot, store)
    expected = {s.key for s in SETTINGS if s.group != "Evaluation"}
    assert set(dialog.editors) == expected
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Court profile", "Review"]
    assert isinstance(dialog.editors["court.seal_image"], ImagePicker)
    assert isinstance(dialog.editors["court.address"], QPlainTextEdit)
    assert dialog.editors["court.name"].text() == "Superior Court of California"


# the clerk name is typed here; on a shared store it is the login (test_clerk_name_is_the_login)
@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_round_trip(qtbot, store, tmp_path, monkeypatch):
    seal = tmp_path / "seal.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    assert image.save(str(seal))
    monkeypatch.setattr(SafeFileDialog, "getOpenFileName", lambda *a, **k: (str(seal), ""))

    dialog = _open(qtbot, store)
    county = dialog.editors["court.county"]
    assert isinstance(county, CountyBox)
    qtbot.keyClicks(county, "Alameda")
    dialog.editors["court.address"].setPlainText("1225 Fallon St\nOakland, CA 94612")
    qtbot.keyClicks(dialog.editors["review.clerk_name"], "J. Rivera")
    dialog.editors["court.seal_image"].choose_button.click()
    assert dialog.editors["court.seal_image"].preview.pixmap().isNull() is False
    with qtbot.waitSignal(dialog.settings_saved) as blocker:
        dialog.save_button.click()
    assert set(blocker.args[0]) == {"court.county", "court.address", "review.clerk_name",
                                    "court.seal_image"}
    assert store.get_setting("court.county") == "Alameda"
    assert store.get_setting("court.address") == "1225 Fallon St\nOakland, CA 94612"
    assert store.get_setting("court.seal_image") == str(seal)
    entry = store.audit_page(limit=1)[0]
    assert (entry.actor, entry.action) == ("J. Rivera", "settings")

    again = _open(qtbot, store)
    assert again.editors["court.county"].currentText() == "Alameda"
    assert again.editors["review.clerk_name"].text() == "J. Rivera"
    assert again.editors["court.seal_image"].path() == str(seal)


def test_cancel_saves_nothing(qtbot, store):
    dialog = _open(qtbot, store)
    qtbot.keyClicks(dialog.editors["court.county"], "Kern")
    dialog.reject()
    assert store.get_setting("court.county") == ""
    assert store.audit_count() == 0


def test_unreadable_seal_is_refused(qtbot, store, tmp_path, monkeypatch):
    bad = tmp_path / "seal.png"
    bad.write_text("not an image")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    dialog = _open(qtbot, store)
    dialog.editors["court.seal_image"].set_path(str(bad))
    dialog.save_button.click()
    assert warned and "cannot be read" in warned[0]
    assert dialog.isVisible()
    assert store.get_setting("court.seal_image") == ""


@pytest.mark.parametrize("db_target", ["postgresql"], indirect=True)
def test_clerk_name_is_the_login_on_a_shared_store(qtbot, store, tmp_path):
    """On PostgreSQL the field shows the database login, cannot be edited and is not saved;
    what is recorded names the login whatever the setting says."""
    with store.atomic():
        store.set_setting("review.clerk_name", "Somebody Typed")  # an older desk's setting
    dialog = _open(qtbot, store)
    field = dialog.editors["review.clerk_name"]
    assert isinstance(field, QLineEdit)
    assert field.text() == store.login == "clerkapp_test"
    assert field.isReadOnly() and "database login" in field.toolTip()
    qtbot.keyClicks(field, "X")
    assert field.text() == "clerkapp_test"
    dialog.grab().save(str(tmp_path / "settings-shared.png"))
    dialog.tabs.setCurrentIndex(1)
    dialog.grab().save(str(tmp_path / "settings-shared-review.png"))
    qtbot.keyClicks(dialog.editors["court.judge"], "Hon. A. Judge")
    with qtbot.waitSignal(dialog.settings_saved) as blocker:
        dialog.save_button.click()
    assert blocker.args[0] == ["court.judge"]
    assert store.get_setting("review.clerk_name") == "Somebody Typed"  # left as it was
    assert store.clerk_name() == "clerkapp_test"
    assert store.audit_page(limit=1)[0].actor == "clerkapp_test"


def _offered(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_county_offers_the_import_dialogs_list_and_keeps_a_listed_one(qtbot, store,
                                                                       monkeypatch):
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    facts = FileFactsBox()
    qtbot.addWidget(facts)
    dialog = _open(qtbot, store)
    county = dialog.editors["court.county"]
    assert _offered(county) == _offered(facts.county_combo) and len(_offered(county)) == 59
    county.setCurrentIndex(county.findText("Orange"))
    dialog.save_button.click()
    assert store.get_setting("court.county") == "Orange" and not warned

    again = _open(qtbot, store)
    assert again.editors["court.county"].currentText() == "Orange"
    again.editors["court.county"].setCurrentText("los angeles county")  # typed, any spelling
    again.save_button.click()
    assert store.get_setting("court.county") == "Los Angeles"  # kept as listed

    wrong = _open(qtbot, store)
    wrong.editors["court.county"].setCurrentText("Orangy")
    wrong.save_button.click()
    assert warned and "'Orangy' is not a California county" in warned[0]
    assert wrong.isVisible() and store.get_setting("court.county") == "Los Angeles"
