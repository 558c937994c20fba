"""File ▸ Open a store file… and File ▸ Connect to a shared store… in the real window: the
window says which store is open, switches to another, and remembers it for the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from bench.testdata import fill_queue
from clerkapp.store import Store
from clerkapp.store import probe as probing
from clerkapp.store.engine import display_target
from clerkapp.ui import store_choice
from clerkapp.ui.dialogs.connect_dialog import ConnectDialog
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.mainwindow import MainWindow

pytestmark = [pytest.mark.qt_log_level_fail("WARNING"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, store, settings):
    fill_queue(store, 20, seed=3)
    w = MainWindow(store, settings=settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def test_the_window_says_which_store_is_open(window, store):
    shown = display_target(store.path)
    assert window.windowTitle() == f"clerkapp — {shown}"
    assert shown in window.status.store.toolTip()
    if store.engine == "postgresql":
        where = probing.endpoint_of(store.path)
        assert window.status.store.text() == (f"Shared store {where.database} on this computer"
                                              f" ({where.user})")
        # who decides is the database login, whatever the clerk-name setting says
        store.set_setting("review.clerk_name", "Someone Else")
        window.refresh_all()
        assert window.status.clerk.text() == f"Clerk: {store.login}" == f"Clerk: {where.user}"
        assert "login to the shared store" in window.status.clerk.toolTip()
    else:
        assert window.status.store.text() == "Store file clerk.db"


def test_open_a_store_file_switches_and_is_remembered(qtbot, window, tmp_path, settings,
                                                      monkeypatch):
    other_path = tmp_path / "other" / "county.db"
    other_path.parent.mkdir()
    with Store(other_path) as other:
        fill_queue(other, 7, seed=9)
    menu_texts = [a.text() for a in window.menus["File"].actions()]
    assert "&Connect to a shared store…" in menu_texts and "Open a store &file…" in menu_texts
    monkeypatch.setattr(SafeFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other_path), "")))
    window.actions.open_store_file.trigger()
    switched = store_choice._windows[-1]
    assert switched.store.path == other_path
    assert switched.windowTitle() == f"clerkapp — {other_path}"
    assert switched.store.conviction_count() == 7 and switched.model.rowCount() > 0
    assert not window.isVisible()
    # the next start opens it, unless --db / $CLERKAPP_DB names another
    assert store_choice.startup_target(settings, None) == other_path.resolve()
    assert store_choice.startup_target(settings, tmp_path / "named.db") == tmp_path / "named.db"
    switched.close()  # it closes its store when it goes
    qtbot.waitUntil(lambda: switched not in store_choice._windows)


def test_a_remembered_store_file_since_deleted_is_not_made_again(settings, tmp_path,
                                                                 monkeypatch):
    gone = tmp_path / "gone.db"
    Store(gone).close()
    store_choice.remember(settings, gone)
    assert store_choice.remembered_target(settings) == gone.resolve()
    gone.unlink()
    monkeypatch.delenv("CLERKAPP_DB", raising=False)
    assert store_choice.remembered_target(settings) is None
    assert not gone.exists()


def test_a_shared_store_is_remembered_without_its_password(settings):
    url = probing.with_password("postgresql://jdoe@clerkdb.court.local/clerkapp", "s3cr:t/")
    store_choice.remember(settings, url)
    assert settings.value(store_choice.REMEMBERED_KEY) == \
        "postgresql://jdoe@clerkdb.court.local/clerkapp"
    words, shown = store_choice.describe(url)
    assert words == "Shared store clerkapp on clerkdb.court.local (jdoe)"
    assert "s3cr" not in shown and "***" in shown


def test_connect_dialog_says_when_the_server_cannot_be_reached(qtbot, tmp_path):
    dialog = ConnectDialog(initial=probing.Endpoint("127.0.0.1", 1, "clerkapp", "jdoe"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.result_probe is not None, timeout=15000)
    assert dialog.result_probe.kind == probing.UNREACHABLE
    text = dialog.message.text()
    assert text.startswith("Cannot reach the database server at 127.0.0.1:1: check the host")
    assert dialog.target is None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled())
    shot = dialog.grab()
    assert shot.save(str(Path(tmp_path) / "connect-unreachable.png"))


def test_connect_dialog_needs_server_database_and_login(qtbot):
    dialog = ConnectDialog(initial=probing.Endpoint("", 5432, "clerkapp", "jdoe"))
    qtbot.addWidget(dialog)
    assert not dialog.connect_button.isEnabled() and not dialog.test_button.isEnabled()
    dialog.host.setText("clerkdb.court.local")
    assert dialog.connect_button.isEnabled()
    assert dialog.url() == "postgresql://jdoe@clerkdb.court.local/clerkapp"
    dialog.port.setValue(6543)
    assert dialog.url() == "postgresql://jdoe@clerkdb.court.local:6543/clerkapp"
    assert not dialog.password.isVisible()


def test_connect_to_a_shared_store_from_the_window(qtbot, window, pg_server, settings,
                                                   monkeypatch, tmp_path):
    import uuid

    import psycopg

    name = f"connect_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(name)
    with Store(url) as shared:
        fill_queue(shared, 9, seed=2)
    where = probing.endpoint_of(url)

    def run_dialog(dialog):
        dialog.host.setText(where.host)
        dialog.database.setText(where.database)
        dialog.user.setText(where.user)
        dialog.show()
        dialog.connect_button.click()
        qtbot.waitUntil(lambda: dialog.result() == ConnectDialog.DialogCode.Accepted,
                        timeout=15000)
        dialog.grab().save(str(tmp_path / "connect-ok.png"))
        return dialog.result()

    monkeypatch.setattr(ConnectDialog, "exec", run_dialog)
    window.actions.connect_store.trigger()
    switched = store_choice._windows[-1]
    assert switched.store.engine == "postgresql" and switched.store.conviction_count() == 9
    assert switched.windowTitle() == f"clerkapp — {display_target(url)}"
    assert switched.status.store.text() == (f"Shared store {where.database} on this computer"
                                            f" ({where.user})")
    assert settings.value(store_choice.REMEMBERED_KEY) == url
    assert store_choice.startup_target(settings, None) == url
    switched.grab().save(str(tmp_path / "window-shared.png"))
    switched.close()
    qtbot.waitUntil(lambda: switched not in store_choice._windows)


def test_an_unreachable_shared_store_offers_the_desks_own_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    own = tmp_path / "desk" / "clerk.db"
    own.parent.mkdir()
    Store(own).close()
    said = []

    def choose_own_file(box):
        said.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_own_file)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: next(
        b for b in box.buttons() if b.text() == "Open clerk.db instead"))
    store = store_choice.open_target(None, "postgresql://jdoe:pw@127.0.0.1:1/clerkapp", own)
    try:
        assert store is not None and store.path == own
    finally:
        store.close()
    assert said[0].startswith("postgresql://jdoe:***@127.0.0.1:1/clerkapp\n\nCannot reach the"
                              " database server at 127.0.0.1:1")
    assert "pw@" not in said[0]
