"""Retake the README's screenshots from a real window on a virtual X screen.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take.py

Builds a throwaway store from the bundled sample (import, evaluate, a few decisions by made-up
clerks), then shows the main window, the import dialog on a court export with a title row and
an unknown charge header, and the audit log, each photographed from the X screen itself
(`QScreen.grabWindow(0)`), not rendered off-screen. Names in the sample are fake.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


def build_store(folder: Path):
    from clerkapp.ingest.service import import_files
    from clerkapp.review.service import decide
    from clerkapp.rules.service import evaluate
    from clerkapp.store import Store

    store = Store(folder / "clerk.db")
    import_files(store, sorted((ROOT / "resources" / "sample").glob("*.csv")), operator="J. Rivera")
    evaluate(store, operator="J. Rivera")
    ids = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE outcome IN ('dismiss_and_seal',"
        " 'redesignate_misdemeanor') ORDER BY id LIMIT 8")]
    decide(store, ids[:4], "approved", clerk="J. Rivera")
    decide(store, ids[4:5], "denied", clerk="M. Okafor", note="Prior PC 667.5(c) in the file")
    decide(store, ids[5:6], "deferred", clerk="M. Okafor", note="Ask the DA for the plea")
    decide(store, ids[6:7], "approved", clerk="S. Nguyen", outcome="redesignate_infraction",
           note="Minor at the offense: the birth certificate is in the file")
    store.set_setting("review.clerk_name", "M. Okafor")
    return store


def court_export(folder: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Convictions"
    sheet.append(["Superior Court of California, County of Fresno: case management export"])
    sheet.append([])
    sheet.append(["Case No.", "Defendant", "Birth Date", "Viol Stat Cd", "Level", "Disp Date",
                  "County", "Dept"])
    rows = [("F10196033", "TESTPERSON,CHARLIE", "1960-12-26", "HS 11360(a)", "M", "2009-04-20"),
            ("F19814338", "SAMPLESON,DELTA", "1990-07-26", "HS11357(c)", "M", "2007-08-17"),
            ("F10128778", "FAKERTON,DELTA", "1970-07-14", "HS11357(c)", "F", "2007-03-08"),
            ("F10285304", "FAKERTON,BRAVO", "1958-09-17", "HS 11360(a)", "M", "2011-09-06"),
            ("F16870075", "MOCKLEY,CEDAR", "1987-06-12", "11358", "F", "2014-07-23")]
    for case, name, dob, charge, level, date in rows:
        sheet.append([case, name, dob, charge, level, date, "FRESNO", "D3"])
    path = folder / "fresno_cms_export.xlsx"
    book.save(path)
    return path


def imports_list(store, folder: Path, window):
    """File ▸ Imports… after a court's own export (no county column: Sonoma given for the
    file) and a test extract imported by mistake and withdrawn."""
    from clerkapp.ingest.file_facts import checked_facts
    from clerkapp.ingest.service import import_files
    from clerkapp.ingest.withdraw import withdraw_import
    from clerkapp.rules.service import evaluate
    from clerkapp.ui.dialogs.imports_dialog import ImportsDialog
    from tests.court_export import write_court_export

    court = write_court_export(folder / "sonoma-case-index.xlsx")
    import_files(store, [court], operator="M. Okafor",
                 facts=checked_facts(county="Sonoma", source="court"))
    wrong = write_court_export(folder / "test-extract.xlsx", extra_rows=[
        ("SCR-999", "TESTPERSON, ECHO", None, "HS 11357(a)", "M", "Convicted", None)])
    [extract] = import_files(store, [wrong], operator="M. Okafor", force=True,
                             facts=checked_facts(county="Sonoma", source="court"))
    withdraw_import(store, extract.import_id, reason="Test extract, not the court's list",
                    by="M. Okafor")
    evaluate(store, operator="M. Okafor")
    return ImportsDialog(store, window)


def shoot(app, name: str, widget=None) -> None:
    """Let background jobs (the status bar's counts) finish and the screen settle, then grab it."""
    import time

    from PySide6.QtCore import QThreadPool

    for _ in range(10):
        QThreadPool.globalInstance().waitForDone(2000)
        app.processEvents()
        time.sleep(0.05)
    area = widget.frameGeometry() if widget is not None else app.primaryScreen().geometry()
    app.primaryScreen().grabWindow(0, area.x(), area.y(), area.width(), area.height()).save(
        str(HERE / name))
    print("wrote", HERE / name)


def main() -> int:
    from PySide6.QtCore import QSettings, QTimer

    from clerkapp.ui.app import make_app

    app = make_app()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-shots-"))
    store = build_store(folder)

    from clerkapp.ui.dialogs.audit_dialog import AuditDialog
    from clerkapp.ui.dialogs.import_dialog import ImportDialog
    from clerkapp.ui.mainwindow import MainWindow

    window = MainWindow(store, settings=QSettings(str(folder / "desk.ini"),
                                                  QSettings.Format.IniFormat))
    window.setGeometry(0, 0, 1600, 1000)
    window.show()
    row = next(r for r in range(window.model.rowCount())
               if "✎" in str(window.model.index(r, 1).data()))
    window.queue.selectRow(row)
    window.show_current_detail()
    shoot(app, "queue.png")

    dialog = ImportDialog(store, window, paths=[court_export(folder)])
    dialog.setGeometry(0, 0, 1400, 860)
    dialog.show()
    shoot(app, "import-mapping.png", dialog)
    dialog.close()

    audit = AuditDialog(store, window)
    audit.setGeometry(0, 0, 1300, 760)
    audit.show()
    shoot(app, "audit.png", audit)
    audit.close()

    imports = imports_list(store, folder, window)
    imports.setGeometry(0, 0, 1300, 420)
    imports.show()
    shoot(app, "imports.png", imports)
    imports.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
