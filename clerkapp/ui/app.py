"""Start the GUI: the QApplication (name and organisation for QSettings, stylesheet, icon),
the store, and the main window."""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from clerkapp import __version__
from clerkapp.paths import (
    RESOURCES_DIR,
    default_db_path,
    log_file,
    private_files,
    store_target,
)

ORGANIZATION = "clerkapp"
APPLICATION = "clerkapp"


def make_app(qt_args: list[str] | None = None) -> QApplication:
    """The QApplication, set up once: names for QSettings, the style sheet and the icon."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(["clerkapp", *(qt_args or [])])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("clerkapp")
    icon = RESOURCES_DIR / "icons" / "clerkapp.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = RESOURCES_DIR / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def _log_to_file() -> None:
    """The log on the screen's terminal (if any) and in a file the error messages name, so a
    Windows build without a console keeps the trace of an internal error."""
    from logging.handlers import RotatingFileHandler

    handlers: list[logging.Handler] = [logging.StreamHandler()]
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                            encoding="utf-8"))
    except OSError:  # a read-only profile: the terminal only
        pass
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s",
                        handlers=handlers, force=True)


def run_gui(db_path: str | Path | None, qt_args: list[str] | None = None) -> int:
    """Open the store at `db_path` (None: the one the clerk opened last, else the default) in
    the main window; returns the exit code."""
    from PySide6.QtCore import QSettings, QTimer

    from clerkapp.ui.mainwindow import MainWindow
    from clerkapp.ui.opening import check_on_open
    from clerkapp.ui.store_choice import open_target, remember, startup_target

    private_files()
    _log_to_file()
    app = make_app(qt_args)
    settings = QSettings()
    target = startup_target(settings, db_path)
    # a remembered shared store that cannot be reached offers this computer's store instead
    fallback = default_db_path() if db_path is None and target != default_db_path() else None
    store = open_target(None, target, fallback)
    if store is None:
        return 2
    if db_path is None and store.path != target:
        remember(settings, store.path)  # the clerk chose the fallback: start there next time
    try:
        window = MainWindow(store, settings=settings)
        window.show()
        QTimer.singleShot(0, lambda: check_on_open(window, store))
        return int(app.exec())
    finally:
        store.close()


def main() -> int:
    """The `clerkapp-gui` entry point: `clerkapp-gui [--db PATH] [Qt options]`."""
    multiprocessing.freeze_support()  # see clerkapp.cli.main: worker processes of a frozen build
    args = sys.argv[1:]
    db = None
    if "--db" in args:
        at = args.index("--db")
        if at + 1 < len(args):
            db = store_target(args[at + 1])
            del args[at:at + 2]
    if db is None and os.environ.get("CLERKAPP_DB"):
        db = default_db_path()
    return run_gui(db, args)


if __name__ == "__main__":
    raise SystemExit(main())
