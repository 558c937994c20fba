"""Which store the window opens, and switching: File ▸ Connect to a shared store… (PostgreSQL)
and File ▸ Open a store file… (SQLite). The last store opened is remembered in QSettings and
opened at the next start, unless `--db` or `$CLERKAPP_DB` names another. A password typed for
a shared store lives in memory only: what is remembered is the URL without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from clerkapp.errors import ClerkError
from clerkapp.paths import default_db_path, store_target, user_data_dir
from clerkapp.store.engine import display_target, is_postgres

REMEMBERED_KEY = "store/last"
STORE_FILES = "clerkapp store (*.db);;All files (*)"

_windows: list[QWidget] = []  # windows opened on another store: kept alive until closed


def remembered_target(settings: QSettings) -> str | Path | None:
    value = settings.value(REMEMBERED_KEY)
    if not value:
        return None
    target = store_target(str(value))
    # a store file since moved or deleted is not made again, empty, where it was
    return target if is_postgres(target) or Path(target).is_file() else None


def remember(settings: QSettings, target: str | Path) -> None:
    """Remember the store for the next start (a URL without its password)."""
    from clerkapp.store.engine import without_password

    text = without_password(target) if is_postgres(target) else str(Path(target).resolve())
    settings.setValue(REMEMBERED_KEY, text)
    settings.sync()


def startup_target(settings: QSettings, named: str | Path | None) -> str | Path:
    """The store to open: the one named (--db, $CLERKAPP_DB), else the one remembered, else the
    installer's or the data folder's (paths.default_db_path)."""
    return named or remembered_target(settings) or default_db_path()


def describe(target: str | Path) -> tuple[str, str]:
    """(short words for the status bar, the full masked target for the title and tooltip)."""
    shown = display_target(target)
    if is_postgres(target):
        from clerkapp.store.probe import endpoint_of

        where = endpoint_of(str(target))
        host = where.host if not where.host.startswith("/") else "this computer"
        return f"Shared store {where.database} on {host} ({where.user})", shown
    return f"Store file {Path(target).name}", shown


def _ask_password(parent: QWidget | None, message: str) -> str | None:
    text, ok = QInputDialog.getText(
        parent, "Password for the shared store",
        f"{message[:1].upper()}{message[1:]}.\nIt is used for this session only, never saved.",
        QLineEdit.EchoMode.Password)
    return text if ok and text else None


def open_target(parent: QWidget | None, target: str | Path,
                fallback: str | Path | None = None) -> Any:
    """The Store at `target`, or None when the clerk gives up. A shared store is tried first
    and its server's refusal said plainly (Retry, or `fallback` when given: the store file
    of this computer, so a server that is down never locks the clerk out of the app)."""
    from clerkapp.store.probe import PASSWORD, probe, with_password
    from clerkapp.ui.opening import open_store

    while is_postgres(target):
        result = probe(str(target))
        if result.ok:
            break
        if result.kind == PASSWORD:
            password = _ask_password(parent, result.message)
            if password is None:
                return None
            target = with_password(str(target), password)
            continue
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open the shared store",
                          f"{display_target(target)}\n\n{result.message[:1].upper()}"
                          f"{result.message[1:]}.", QMessageBox.StandardButton.Retry
                          | QMessageBox.StandardButton.Cancel, parent)
        other = None
        if fallback is not None:
            other = box.addButton(f"Open {Path(fallback).name} instead",
                                  QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        if other is not None and box.clickedButton() is other:
            return open_target(parent, fallback)
        if box.clickedButton() is not box.button(QMessageBox.StandardButton.Retry):
            return None
    try:
        return open_store(target, parent)
    except ClerkError as exc:  # a newer store, not a clerkapp store, a file that cannot be read
        QMessageBox.critical(parent, "Cannot open the store", str(exc))
        return None


def switch_store(window: Any, target: str | Path) -> Any:
    """Open `target` in a new main window in place of `window` (which closes, saving its
    layout), and remember it. Returns the new window, or None when it did not open."""
    store = open_target(window, target)
    if store is None:
        return None
    remember(window.settings, target)
    other = type(window)(store, settings=window.settings)
    other.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _windows.append(other)
    other.destroyed.connect(lambda *_: (store.close(), _windows.remove(other)))
    other.show()
    from clerkapp.ui.opening import tell_new_store

    tell_new_store(other, store)
    short, _full = describe(store.path)
    other.status.showMessage(f"Opened: {short}", 8000)
    window.close()
    return other


def connect_shared(window: Any) -> Any:
    """File ▸ Connect to a shared store…: the dialog, filled with the last shared store."""
    from clerkapp.store.probe import endpoint_of
    from clerkapp.ui.dialogs.connect_dialog import ConnectDialog

    last = remembered_target(window.settings)
    if not is_postgres(last or "") and is_postgres(window.store.path):
        last = window.store.path
    dialog = ConnectDialog(window, initial=endpoint_of(str(last)) if is_postgres(last or "")
                           else None)
    window.dialog = dialog
    if dialog.exec() != ConnectDialog.DialogCode.Accepted or not dialog.target:
        return None
    return switch_store(window, dialog.target)


def open_file(window: Any, path: str | Path | None = None) -> Any:
    """File ▸ Open a store file…: back to (or onto) a SQLite store on this computer."""
    from clerkapp.ui.files import SafeFileDialog

    if path is None:
        start = (window.store.path if not is_postgres(window.store.path)
                 else user_data_dir() / "clerk.db")
        chosen, _ = SafeFileDialog.getOpenFileName(window, "Open a store file",
                                                   str(Path(str(start)).parent), STORE_FILES)
        if not chosen:
            return None
        path = chosen
    return switch_store(window, Path(path))
