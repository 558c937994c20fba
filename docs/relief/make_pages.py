"""Render the sample pages in this folder: a notice in English and in Spanish, a confirmation
of relief, the impact report's first page and the look-up window, from the project's sample
DOJ file plus a small made-up court export that carries a mailing address (names are fake).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/relief/make_pages.py   (needs pdftoppm)
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from clerkapp.ingest.service import import_files  # noqa: E402
from clerkapp.orders.service import print_orders  # noqa: E402
from clerkapp.relief.certificate import print_certificate  # noqa: E402
from clerkapp.relief.lookup import look_up  # noqa: E402
from clerkapp.relief.notices import print_notices  # noqa: E402
from clerkapp.reports.impact import write_impact_report  # noqa: E402
from clerkapp.review.service import decide  # noqa: E402
from clerkapp.rules.service import evaluate  # noqa: E402
from clerkapp.store import Store  # noqa: E402

PROFILE = {
    "court.county": "Los Angeles", "court.judge": "Hon. Pat Q. Bench",
    "court.address": "111 Example Street, Los Angeles, CA 90012", "court.clerk": "Lee R. Ledger",
    "court.clerk_phone": "(555) 010-0100", "court.website": "www.example-court.gov/prop64",
    "defender.office": "Los Angeles County Public Defender",
    "defender.address": "210 Sample Avenue, Los Angeles, CA 90012",
    "defender.phone": "(555) 010-0200",
}
COURT_EXPORT = [
    ["Case No", "Defendant", "DOB", "Charge", "Level", "Conviction Date", "County",
     "Mailing Address", "City", "State", "Zip"],
    ["BA101234", "QUIBBLEWORTH, DELTA MARÍA", "1968-03-14", "HS 11357(b)", "M", "1993-05-04",
     "Los Angeles", "742 Evergreen Terrace Apt 3", "Pasadena", "CA", "91101"],
    ["BA101234", "QUIBBLEWORTH, DELTA MARÍA", "1968-03-14", "HS 11359", "F", "1993-05-04",
     "Los Angeles", "742 Evergreen Terrace Apt 3", "Pasadena", "CA", "91101"],
]


def render(pdf: Path, out: str, *, first: int = 1, dpi: int = 72) -> None:
    stem = HERE / out
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(first),
                    "-singlefile", str(pdf), str(stem)], check=True)
    print(stem.with_suffix(".png"))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="clerkapp-relief-"))
    export = work / "court_export.csv"
    with export.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(COURT_EXPORT)
    store = Store(work / "clerk.db")
    with store.atomic():
        for key, value in PROFILE.items():
            store.set_setting(key, value)
    import_files(store, [ROOT / "resources" / "sample" / "sample_doj.csv", export],
                 operator="sample")
    evaluate(store, operator="sample")  # the court profile's county, as a court runs it
    relief = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE outcome IN ('dismiss_and_seal',"
        " 'redesignate_misdemeanor', 'redesignate_infraction') AND review_status = 'pending'")]
    decide(store, relief, "approved", clerk="Lee R. Ledger")
    printed = print_orders(store, work / "orders", operator="Lee R. Ledger")
    with store.atomic():  # the judge signed them: the confirmation rests on the signed order
        for order in printed.orders:
            store.record_signature(order.order_id, date.today().isoformat(),
                                   "Hon. Sample Judge", recorded_by="Lee R. Ledger")
    person = look_up(store, "Delta Quibbleworth", clerk="sample").people[0].card.person_id
    notices = print_notices(store, work / "notices", lang="both", person_ids=[person])
    render(notices.files[0], "notice-en", dpi=80)
    from pypdf import PdfReader

    texts = [page.extract_text() for page in PdfReader(notices.files[0]).pages]
    spanish = next(i for i, t in enumerate(texts, start=1) if "Página 1 de" in t)
    render(notices.files[0], "notice-es", first=spanish, dpi=80)
    cert = print_certificate(store, person, work / "confirmation.pdf", clerk="Lee R. Ledger")
    render(cert.path, "certificate", dpi=80)
    report = write_impact_report(store, work / "impact.pdf")
    render(report.pdf, "impact-report-page1", dpi=80)
    lookup_window(store)
    store.close()


def lookup_window(store: Store) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from clerkapp.ui.dialogs.lookup_dialog import LookupDialog

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "desk.ini"), QSettings.Format.IniFormat)
    dialog = LookupDialog(store, None, settings=settings)
    dialog.name_edit.setText("delta quibelworth")
    dialog._on_lookup_succeeded(look_up(store, "delta quibelworth", clerk="sample"))
    dialog.resize(900, 380)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(HERE / "lookup.png"))
    print(HERE / "lookup.png")


if __name__ == "__main__":
    main()
