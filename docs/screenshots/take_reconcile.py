"""Retake the README's screenshot of Tools ▸ Reconcile from a real window on a virtual X screen.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take_reconcile.py

Builds a throwaway store from a small generated truth set (bench/reconcile_truth.py: fake
people, a DOJ file and a court export that differ the way real ones do), reconciles it, and
photographs the window from the X screen (`QScreen.grabWindow(0)`) with a possible match
selected, its differences highlighted side by side.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


def main() -> int:
    from PySide6.QtCore import QSettings
    from reconcile_truth import write_truth
    from take import shoot

    from clerkapp.ingest.service import import_files
    from clerkapp.reconcile.service import reconcile
    from clerkapp.store import Store
    from clerkapp.ui.app import make_app
    from clerkapp.ui.dialogs.reconcile_dialog import ReconcileDialog
    from clerkapp.ui.mainwindow import MainWindow

    app = make_app()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-shots-"))
    doj, court, _truth = write_truth(folder, 6000, 3000, seed=4)
    store = Store(folder / "clerk.db")
    import_files(store, [doj, court], operator="J. Rivera")
    store.set_setting("review.clerk_name", "M. Okafor")
    reconcile(store, operator="M. Okafor")
    window = MainWindow(store, settings=QSettings(str(folder / "desk.ini"),
                                                  QSettings.Format.IniFormat))
    window.setGeometry(0, 0, 1600, 1000)
    window.show()
    dialog = ReconcileDialog(store, window)
    dialog.setGeometry(20, 20, 1500, 930)
    dialog.show()
    statuses = [dialog.model.link(r)[0] for r in range(dialog.model.rowCount())]
    possible = (statuses.index("possible_match") if "possible_match" in statuses
                else statuses.index("conflict"))
    dialog.table.selectRow(possible)
    dialog.table.scrollTo(dialog.model.index(possible, 0))
    shoot(app, "reconcile.png", dialog)
    dialog.close()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
