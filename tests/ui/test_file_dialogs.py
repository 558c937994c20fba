"""The file dialogs must never open the store's files: on POSIX that drops SQLite's locks, and
another process then deletes the write-ahead log under the open window (decisions lost)."""

from __future__ import annotations

import subprocess
import sys
import time

from PySide6.QtWidgets import QApplication, QFileSystemModel

from clerkapp.store import Store
from clerkapp.ui.files import _dialog


def _browse(qtbot, folder) -> None:
    dialog = _dialog(None, "Choose files to import", str(folder), "")
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    names: set[str] = set()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not {"clerk.db-wal", "clerk.db-shm"} <= names:
        QApplication.processEvents()
        root = model.index(str(folder))
        names = {model.index(r, 0, root).data() for r in range(model.rowCount(root))}
        for r in range(model.rowCount(root)):  # what the detail view shows: icon and type
            model.index(r, 0, root).data(1)
            model.index(r, 2, root).data()
    qtbot.wait(500)  # Qt's file-info thread gathers types and icons after the listing
    dialog.close()


def test_browsing_the_stores_folder_keeps_what_the_window_writes(qtbot, tmp_path):
    db = tmp_path / "clerk.db"
    store = Store(db)
    store.set_setting("court.county", "YOLO")
    _browse(qtbot, tmp_path)
    # another process opens and closes the store: the clerk's command line, a backup
    done = subprocess.run([sys.executable, "-m", "clerkapp", "--db", str(db), "stats"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    store.set_setting("court.judge", "Hon. A. Judge")  # the window's next write
    with Store(db) as other:  # what any other reader finds in the file
        assert other.get_setting("court.judge") == "Hon. A. Judge"
    assert (tmp_path / "clerk.db-wal").exists()
    store.close()
