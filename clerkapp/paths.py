"""Where things live: the bundled resources and forms, and the clerk's own data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    # PyInstaller unpacks data next to the executable (sys._MEIPASS); a checkout has them
    # one level above the package.
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else PACKAGE_DIR.parent


# CLERKAPP_RESOURCES / CLERKAPP_FORMS point at another copy (the self-test's own test runs it
# against a tree with a font or template removed; a court may keep edited forms elsewhere).
RESOURCES_DIR = Path(os.environ.get("CLERKAPP_RESOURCES") or _bundle_root() / "resources")
FORMS_DIR = Path(os.environ.get("CLERKAPP_FORMS") or _bundle_root() / "forms")


def user_data_dir() -> Path:
    """The per-user data folder: %LOCALAPPDATA%\\clerkapp on Windows, XDG on Linux."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "clerkapp"


def store_target(text: str | Path) -> str | Path:
    """A store as given on the command line, in `CLERKAPP_DB` or in a setting: a
    `postgresql://` URL passes through untouched (a shared PostgreSQL store), anything else is
    a path to a SQLite file."""
    text = str(text)
    # the same rule as clerkapp.store.engine.is_postgres (this leaf module imports no store)
    return text if text.lower().startswith(("postgresql://", "postgres://")) else Path(text)


# The installer's choice of store for every user of the machine (`/DB=` at install time):
# [store] db = ... in clerkapp.ini beside the executable (installer/windows/clerkapp.nsi).
INSTALL_SETTINGS = "clerkapp.ini"


def installed_settings_file() -> Path | None:
    """clerkapp.ini beside the installed executable; None when running from a checkout."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent / INSTALL_SETTINGS


def installed_db_target() -> str | Path | None:
    """The store the installer was pointed at (`/DB=...`), if any."""
    import configparser

    ini = installed_settings_file()
    if ini is None or not ini.is_file():
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(ini, encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None
    value = parser.get("store", "db", fallback="").strip()
    return store_target(value) if value else None


def default_db_path() -> str | Path:
    """The store when none is named: `CLERKAPP_DB` when set, else the one the installer was
    pointed at, else clerk.db in the user's data folder. A URL is a shared PostgreSQL store."""
    env = os.environ.get("CLERKAPP_DB")
    if env:
        return store_target(env)
    return installed_db_target() or user_data_dir() / "clerk.db"


SAMPLE_DB_NAME = "sample.db"  # the sample store's file name, wherever it lives


def sample_db_path() -> Path:
    """The separate store the bundled sample is loaded into (`CLERKAPP_SAMPLE_DB`, else
    sample.db in the user's data folder): never a clerk's own store."""
    env = os.environ.get("CLERKAPP_SAMPLE_DB")
    return Path(env) if env else user_data_dir() / SAMPLE_DB_NAME


def is_sample_store(path: str | Path) -> bool:
    return Path(path).name == SAMPLE_DB_NAME


def log_file() -> Path:
    """Where the window writes its log (errors with their traces; never names or ids)."""
    return user_data_dir() / "logs" / "clerkapp.log"


def user_config_dir() -> Path:
    """Where the user's settings live, apart from the data: %APPDATA%\\clerkapp on Windows (the
    roaming profile a court's domain keeps off the PC), ~/.config/clerkapp on Linux."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Preferences"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "clerkapp"


def anchor_dir() -> Path:
    """Where each store's audit-chain anchor is kept: beside the user's settings, outside the
    store's folder (`CLERKAPP_ANCHORS` points elsewhere, as the tests do)."""
    env = os.environ.get("CLERKAPP_ANCHORS")
    return Path(env) if env else user_config_dir() / "anchors"


def private_files() -> None:
    """Everything this process creates from now on (the store, its log files, logs, orders,
    exports, update files) is readable by the user only: umask 077 on Linux and macOS.
    On Windows the files live in the user's own profile, which other users cannot read."""
    if sys.platform != "win32":
        os.umask(0o077)


def sample_paths() -> list[Path]:
    """The bundled sample files (resources/sample/*.csv) the empty window offers to load."""
    return sorted((RESOURCES_DIR / "sample").glob("*.csv"))
