"""Retake docs/closing.md's screenshots from a real window on a virtual X screen.

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take_closeout.py

Builds a throwaway store from the bundled sample (import, evaluate, approve every relief
outcome) and prints three bulk orders of it. For the illustration, the first tranche is dated
45 days back (approved, printed and signed then: its DOJ report is overdue) and the second
12 days back (signed, and reported to the DOJ); the third is printed today. Then it shows the
queue filtered to "Ordered, not reported", the DOJ update dialog and the print dialog's
close-out bar, each photographed from the X screen itself. Names in the sample are fake.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from take import ROOT, shoot  # noqa: E402 - the README's script sets up paths and the platform


def build_store(folder: Path):
    from clerkapp.closeout.signing import mark_signed
    from clerkapp.closeout.updates import write_update
    from clerkapp.ingest.service import import_files
    from clerkapp.orders.service import print_orders
    from clerkapp.review.service import decide
    from clerkapp.rules.service import evaluate
    from clerkapp.store import Store

    store = Store(folder / "clerk.db")
    with store.atomic():
        store.set_setting("court.county", "Los Angeles")
        store.set_setting("court.judge", "Hon. Ada Q. Testjudge")
        store.set_setting("review.clerk_name", "M. Okafor")
    import_files(store, sorted((ROOT / "resources" / "sample").glob("*.csv")), operator="J. Rivera")
    evaluate(store, operator="J. Rivera")
    decide(store, store.relief_pending_ids(), "approved", clerk="J. Rivera")
    printable = [r.conviction_id for r in store.iter_order_rows()]
    for n, (chunk, days) in enumerate(zip((printable[:15], printable[15:30], printable[30:]),
                                          (45, 12, 0), strict=True)):
        order = print_orders(store, folder / "orders", bulk=True, conviction_ids=chunk).orders[0]
        if not days:
            continue
        back = (date.today() - timedelta(days=days)).isoformat()
        with store.atomic():  # the illustration's earlier tranches
            store.conn.execute("UPDATE orders SET created_at = ? WHERE id = ?",
                               (back + "T17:00:00+00:00", order.order_id))
            store.conn.execute("UPDATE reviews SET decided_at = ? WHERE conviction_id IN"
                               " (SELECT conviction_id FROM order_items WHERE order_id = ?)",
                               (back + "T16:00:00+00:00", order.order_id))
        mark_signed(store, order.order_number, back)
        if n == 1:
            write_update(store, "doj", folder / "doj-update.xlsx", since=back)
    return store


def main() -> int:
    from PySide6.QtCore import QSettings, QTimer

    from clerkapp.store.queue import QueueFilter
    from clerkapp.ui.app import make_app

    app = make_app()
    folder = Path(tempfile.mkdtemp(prefix="clerkapp-shots-"))
    store = build_store(folder)

    from clerkapp.ui.dialogs.print_dialog import PrintOrdersDialog
    from clerkapp.ui.dialogs.update_dialog import UpdateFileDialog
    from clerkapp.ui.mainwindow import MainWindow

    desk = QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=desk)
    window.setGeometry(0, 0, 1600, 1000)
    window.show()
    window.filter_bar.set_filter(QueueFilter(closeout="ordered_not_reported"))
    window.queue.selectRow(0)
    window.show_current_detail()
    shoot(app, "closeout-queue.png")

    dialog = UpdateFileDialog(store, window, kind="doj", settings=desk)
    dialog.path_edit.setText(str(folder / "doj-update_today.xlsx"))
    dialog.setGeometry(0, 0, 1000, 520)
    dialog.show()
    shoot(app, "closeout-doj-update.png", dialog)
    dialog.close()

    printing = PrintOrdersDialog(store, window, settings=desk)
    printing.setGeometry(0, 0, 1500, 820)
    printing.show()
    printing.history_table.selectRow(1)
    shoot(app, "closeout-print-history.png", printing)
    printing.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
