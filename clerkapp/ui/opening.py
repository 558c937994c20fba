"""Opening the store in the window: another program holding it (wait, then a message with
Retry), a new store made where another was (a calm note), and the integrity check on open (a
mismatch is said at once; printing and exporting refuse on their own)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from clerkapp.errors import StoreLocked


def open_store(db_path: str | Path, parent: QWidget | None = None):
    """The Store, or None when the clerk gives up on a store another program holds."""
    from clerkapp.store import Store

    while True:
        try:
            return Store(db_path)
        except StoreLocked as exc:
            answer = QMessageBox.warning(
                parent, "The store is in use", f"{exc}",
                QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Retry)
            if answer != QMessageBox.StandardButton.Retry:
                return None


def integrity_message(store) -> str | None:
    """The check on open (what is new since the last check): None when the store matches its
    audit log, else what the window says."""
    from clerkapp.integrity import check_store

    report = check_store(store)
    if report.ok:
        return None
    return (f"The store does not match its audit log: {report.first_problem()}.\n\n"
            "Printing orders, exports and update files are stopped until this is resolved."
            " Call court IT; the command clerkapp verify gives the full report.")


def tell_new_store(window: QWidget, store) -> None:
    """A store created here where another was anchored: said calmly, once (the event is in
    its audit log; see clerkapp.store.new_store)."""
    note = store.replaced_note()
    if note:
        QMessageBox.information(window, "A new store", note)


def check_on_open(window: QWidget, store) -> None:
    tell_new_store(window, store)
    message = integrity_message(store)
    if message:
        QMessageBox.critical(window, "Audit log mismatch", message)
